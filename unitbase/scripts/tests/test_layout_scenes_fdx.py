"""Pagination, scene extraction, FDX reading and the CLI (fixtures written here)."""

import json

import pytest

from unitbase.scripts import cli
from unitbase.scripts.pagination import A4, LETTER, layout_for, paginate
from unitbase.scripts.pagination.layout import wrap_count
from unitbase.scripts.parsers import ScriptFormatError, parse_fdx
from unitbase.scripts.parsers.fountain import parse_fountain
from unitbase.scripts.parsers.model import ElementType as ET
from unitbase.scripts.parsers.scenes import extract_scenes, format_eighths, parse_eighths, parse_heading, set_key


@pytest.mark.parametrize(
    ("heading", "int_ext", "set_name", "tod"),
    [
        ("INT. HOUSE - KITCHEN - DAY", "INT", "HOUSE - KITCHEN", "DAY"),
        ("EXT. PIER--NIGHT", "EXT", "PIER", "NIGHT"),
        ("INT./EXT. CAR, DUSK", "INT/EXT", "CAR", "DUSK"),
        ("INT HOUSE DAY", "INT", "HOUSE", "DAY"),
        ("INT. DINER - NIGHT (1962)", "INT", "DINER", "NIGHT"),
        ("UNDERWATER", "", "UNDERWATER", None),
        ("EXT. FIELD - MOMENTS LATER", "EXT", "FIELD", "MOMENTS LATER"),
    ],
)
def test_parse_heading(heading, int_ext, set_name, tod):
    parts = parse_heading(heading)
    assert (parts.int_ext, parts.set_name, parts.time_of_day) == (int_ext, set_name, tod)


def test_set_key_normalises_dashes_and_case():
    assert set_key("HOUSE - KITCHEN") == set_key("house-kitchen") == set_key("HOUSE \u2013 KITCHEN")


def test_scenes_characters_and_continuous_inherits():
    script = parse_fountain(
        "FADE IN:\n\nINT. SHOP - NIGHT #4#\n\nAL (O.S.)\nOpen!\n\nBO\nNo.\n\nAL (CONT'D)\nPlease.\n\n"
        "EXT. STREET - CONTINUOUS\n\nRain.\n"
    )
    first, second = extract_scenes(script)
    assert first.number == "4" and first.elements[0].text == "FADE IN:"
    assert first.characters == ["AL", "BO"] and first.lines_by_character == {"AL": 2, "BO": 1}
    assert (second.number, second.time_of_day, second.time_of_day_effective) == ("2", "CONTINUOUS", "NIGHT")


def test_wrap_count():
    assert wrap_count("", 10) == 1
    assert wrap_count("aaaa bbbb cccc", 10) == 2
    assert wrap_count("x" * 25, 10) == 3
    assert wrap_count("one\ntwo", 10) == 2


def test_eighths_formatting():
    assert [format_eighths(n) for n in (1, 8, 11)] == ["1/8", "1", "1 3/8"]
    assert [parse_eighths(v) for v in ("2/8", "1 3/8", "2", "x")] == [2, 11, 16, None]


def _scene(n, action_lines=1):
    return f"INT. ROOM {n} - DAY\n\n" + "\n".join("Line." for _ in range(action_lines)) + "\n\n"


def test_short_scene_is_at_least_one_eighth_and_lengths_round_up():
    result = paginate(parse_fountain(_scene(1, 1) + _scene(2, 10)), LETTER)
    # 2 lines (heading + its action: no space above a heading at the top of the page, 1 blank) -> 3 lines
    assert [s.eighths for s in result.scenes] == [1, 3]  # 3 lines; 2 + 1 + 1 + 10 = 14 lines -> ceil(2.04)
    assert result.pages == 1


def test_heading_is_not_left_at_the_foot_of_a_page_and_page_break_forces_a_page():
    filler = "\n".join("Line." for _ in range(50))
    result = paginate(parse_fountain(f"INT. A - DAY\n\n{filler}\n\nINT. B - DAY\n\nText.\n\n===\n\nINT. C - DAY\n\nEnd.\n"), LETTER)
    # page 1 has 52 lines; B needs 2 + 1 + 1 + 1 lines: it starts on page 2, C after the forced break on page 3
    assert [(s.page_start, s.page_end) for s in result.scenes] == [(1, 1), (2, 2), (3, 3)]
    assert result.pages == 3


def test_long_dialogue_splits_with_more_and_contd():
    speech = "\n".join("Word " * 6 for _ in range(70))
    result = paginate(parse_fountain(f"INT. A - DAY\n\nAL\n{speech}\n"), LETTER)
    scene = result.scenes[0]
    assert (scene.page_start, scene.page_end) == (1, 2)
    # 1 heading + 1 blank + 1 cue + 70 lines + (MORE) + cue (CONT'D) = 75 lines
    assert scene.eighths == 11


def test_a4_has_more_lines_per_page():
    script = parse_fountain(_scene(1, 60))
    assert paginate(script, A4).scenes[0].eighths <= paginate(script, LETTER).scenes[0].eighths


FDX = b"""<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Type="Action"><Text>FADE IN:</Text></Paragraph>
    <Paragraph Number="7A" Type="Scene Heading">
      <SceneProperties Length="1 2/8" Page="3"/>
      <Text>INT. BARN - </Text><Text>NIGHT</Text>
    </Paragraph>
    <Paragraph Type="Action"><ScriptNote ID="1"><Paragraph><Text>Check lamp</Text></Paragraph></ScriptNote>
      <Text>A </Text><Text TagNumber="3">LAMP</Text><Text> flickers.</Text></Paragraph>
    <Paragraph><DualDialogue>
      <Paragraph Type="Character"><Text>AL (V.O.)</Text></Paragraph>
      <Paragraph Type="Dialogue"><Text>Now.</Text></Paragraph>
      <Paragraph Type="Character"><Text>BO</Text></Paragraph>
      <Paragraph Type="Dialogue"><Text>Now!</Text></Paragraph>
    </DualDialogue></Paragraph>
  </Content>
  <PageLayout BottomMargin="62" TopMargin="90"><PageSize Height="11.00" Width="8.50"/></PageLayout>
  <TagData><TagCategories><TagCategory Id="c1" Name="Props" Number="5"/></TagCategories>
    <TagDefinitions><TagDefinition CatId="c1" Id="d1" Label="LAMP" Number="1"/></TagDefinitions>
    <Tags><Tag Number="3"><DefId>d1</DefId></Tag></Tags></TagData>
</FinalDraft>"""


def test_fdx_paragraphs_scene_properties_dual_notes_and_tags():
    script = parse_fdx(FDX)
    head = script.of_type(ET.SCENE_HEADING)[0]
    assert (head.text, head.scene_number, head.stated_eighths, head.stated_page) == ("INT. BARN - NIGHT", "7A", 10, "3")
    action = script.elements[2]
    assert action.text == "A LAMP flickers." and action.attrs["tags"] == "3@2-6"
    assert script.layout["tags"] == {"3": ("Props", "LAMP")}
    assert [e.text for e in script.of_type(ET.NOTE)] == ["Check lamp"]
    cues = script.of_type(ET.CHARACTER)
    assert [(c.name, c.extensions, c.dual) for c in cues] == [("AL", ("V.O.",), True), ("BO", (), True)]
    assert float(layout_for(script).lines_per_page) == pytest.approx(640 / 12)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><FinalDraft>&b;</FinalDraft>', "entities"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><FinalDraft>&e;</FinalDraft>', "entities"),
        (b"<FinalDraft><Content>", "not well-formed"),
        (b"<Other/>", "not a Final Draft file"),
    ],
)
def test_fdx_hostile_or_broken_input_is_refused(data, message):
    with pytest.raises(ScriptFormatError, match=message):
        parse_fdx(data)


def test_cli_json_and_errors(tmp_path, capsys):
    path = tmp_path / "a.fountain"
    path.write_text("Title: Tiny\n\nINT. SHED - DAY\n\nAL\nHi.\n\nEXT. YARD - NIGHT\n\nAL\nBye.\n")
    assert cli.main(["parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["title"], out["format"], out["pages"], out["total_eighths"]) == ("Tiny", "fountain", 1, 2)
    assert [(s["number"], s["int_ext"], s["set"], s["time_of_day"], s["characters"]) for s in out["scenes"]] == [
        ("1", "INT", "SHED", "DAY", ["AL"]), ("2", "EXT", "YARD", "NIGHT", ["AL"]),
    ]
    assert out["characters"] == [{"name": "AL", "scenes": 2, "lines": 2}]
    bad = tmp_path / "b.fountain"
    bad.write_bytes(b"\x00\x01\x02")
    assert cli.main(["parse", str(bad), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "binary" in err


def _cli(tmp_path, capsys, name, data):
    path = tmp_path / name
    if isinstance(data, int):
        with open(path, "wb") as fh:  # a sparse file: large on disk without writing it
            fh.truncate(data)
    else:
        path.write_bytes(data)
    code = cli.main(["parse", str(path), "--json"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.fountain", b"", "empty"),
        ("blob.fountain", bytes(range(256)) * 4, "binary"),
        ("cut.fdx", b'<?xml version="1.0"?><FinalDraft><Content><Paragraph Type="Action"><Text>Hi', "not well-formed"),
        ("huge.fountain", 100 * 1048576, "100.0 MB"),
        ("fake.pdf", b"INT. HOUSE - DAY\n", "not a PDF"),
    ],
)
def test_cli_bad_input_one_clear_line_and_exit_2(tmp_path, capsys, name, data, message):
    code, out, err = _cli(tmp_path, capsys, name, data)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_cli_sensible_parses_of_odd_scripts(tmp_path, capsys):
    # No scene headings: a parse with no scenes (the import service refuses it with its own message).
    code, out, _ = _cli(tmp_path, capsys, "none.fountain", b"Just some action.\n\nBOB\nHello.\n")
    assert code == 0 and json.loads(out)["scenes"] == []
    # Unclosed boneyard and unclosed note: kept as literal text, the scenes after them still found.
    code, out, _ = _cli(tmp_path, capsys, "open.fountain",
                        b"INT. A - DAY\n\n/* never closed\n\nINT. B - DAY\n\n[[ open note\n\nEXT. C - NIGHT\n\nGo.\n")
    assert code == 0 and [s["heading"] for s in json.loads(out)["scenes"]] == ["INT. A - DAY", "INT. B - DAY", "EXT. C - NIGHT"]
    # 5,000 scenes: parsed and paginated, numbered in order.
    body = "".join(f"INT. ROOM {k} - DAY\n\nAL\nLine {k}.\n\n" for k in range(5000)).encode()
    code, out, _ = _cli(tmp_path, capsys, "many.fountain", body)
    data = json.loads(out)
    assert code == 0 and len(data["scenes"]) == 5000 and data["scenes"][-1]["number"] == "5000"
    assert data["characters"] == [{"name": "AL", "scenes": 5000, "lines": 5000}]
