"""FDX scenes that Final Draft marks omitted (an <OmittedScene> in the Scene Heading paragraph, or a
heading that reads OMITTED) keep their number as an OMITTED placeholder: no set, no room on the page,
0 eighths, no Scene row; shown in the scene index, the CLI JSON and the revision's omitted_scenes."""

import json

import pytest
from django.core.exceptions import ValidationError

from unitbase.core.models import AuditEvent
from unitbase.scripts import cli, selectors, services
from unitbase.scripts.models import ScriptRevision
from unitbase.scripts.pagination import LETTER, paginate
from unitbase.scripts.parsers import parse_fdx
from unitbase.scripts.parsers.scenes import extract_scenes

from .test_services import producer_access  # noqa: F401


def _fdx(*paragraphs: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
        '<FinalDraft DocumentType="Script" Template="No" Version="5"><Content>'
        + "".join(paragraphs)
        + "</Content></FinalDraft>"
    ).encode()


def _scene(number: str, heading: str, action: str) -> str:
    return (f'<Paragraph Number="{number}" Type="Scene Heading"><Text>{heading}</Text></Paragraph>'
            f'<Paragraph Type="Action"><Text>{action}</Text></Paragraph>'
            '<Paragraph Type="Character"><Text>MAGGIE</Text></Paragraph>'
            '<Paragraph Type="Dialogue"><Text>Hold the line.</Text></Paragraph>')


FILLER = " ".join(["The storm batters the harbour wall and the boats pull at their ropes."] * 6)
# Scene 2 is omitted the way Final Draft writes it: the heading says OMITTED and what the scene held
# is kept inside <OmittedScene> (not script text). Scene 4 is a heading that only reads "OMITTED".
OMITTED_2 = (
    '<Paragraph Number="2" Type="Scene Heading"><SceneProperties Length="1 2/8" Page="1" Title=""/>'
    '<OmittedScene><Paragraph Number="2" Type="Scene Heading"><Text>EXT. PIER - NIGHT</Text></Paragraph>'
    f'<Paragraph Type="Action"><Text>{FILLER}</Text></Paragraph>'
    '<Paragraph Type="Character"><Text>HIDDEN</Text></Paragraph></OmittedScene>'
    "<Text>OMITTED</Text></Paragraph>"
)
OMITTED_4 = '<Paragraph Number="4" Type="Scene Heading"><Text>OMITTED</Text></Paragraph>'
WITH_OMITTED = _fdx(_scene("1", "INT. LIGHTHOUSE - NIGHT", FILLER), OMITTED_2,
                    _scene("3", "EXT. HARBOUR - DAWN", FILLER), OMITTED_4, _scene("5", "INT. PUB - DAY", "Quiet."))
WITHOUT_OMITTED = _fdx(_scene("1", "INT. LIGHTHOUSE - NIGHT", FILLER), _scene("3", "EXT. HARBOUR - DAWN", FILLER),
                       _scene("5", "INT. PUB - DAY", "Quiet."))


def test_parser_marks_omitted_headings_and_skips_what_the_omitted_scene_held():
    script = parse_fdx(WITH_OMITTED)
    headings = [e for e in script.elements if e.type == "scene_heading"]
    assert [(e.scene_number, e.text, e.attrs.get("omitted")) for e in headings] == [
        ("1", "INT. LIGHTHOUSE - NIGHT", None), ("2", "OMITTED", "yes"), ("3", "EXT. HARBOUR - DAWN", None),
        ("4", "OMITTED", "yes"), ("5", "INT. PUB - DAY", None)]
    assert headings[1].attrs["omitted_heading"] == "EXT. PIER - NIGHT"
    assert "omitted_heading" not in headings[3].attrs
    assert not any("HIDDEN" in e.text or e.text == "EXT. PIER - NIGHT" for e in script.elements)


def test_omitted_scenes_keep_their_number_take_no_room_and_count_no_eighths():
    result = paginate(parse_fdx(WITH_OMITTED), LETTER)
    plain = paginate(parse_fdx(WITHOUT_OMITTED), LETTER)
    scenes = result.scenes
    assert [(s.number, s.omitted) for s in scenes] == [("1", False), ("2", True), ("3", False), ("4", True),
                                                       ("5", False)]
    two, four = scenes[1], scenes[3]
    assert (two.heading, two.int_ext, two.set_name, two.time_of_day, two.characters) == ("OMITTED", "", "", None, [])
    assert (two.eighths, four.eighths) == (0, 0)
    # Where they sit: scene 2 on the page where scene 1 ends, scene 4 where scene 3 ends.
    assert (two.page_start, two.page_end) == (scenes[0].page_end, scenes[0].page_end)
    assert (four.page_start, four.page_end) == (scenes[2].page_end, scenes[2].page_end)
    # No room: the other scenes lie out exactly as in the same script without the omitted ones.
    real = [s for s in scenes if not s.omitted]
    assert [(s.page_start, s.page_end, s.eighths) for s in real] == [
        (s.page_start, s.page_end, s.eighths) for s in plain.scenes]
    assert result.pages == plain.pages and result.total_eighths == plain.total_eighths
    assert result.total_eighths == sum(s.eighths for s in real) > 0
    # The time of day chain skips them (scene 3 is DAWN of its own; nothing inherits from OMITTED).
    assert scenes[2].time_of_day_effective == "DAWN"


def test_omitted_scene_with_nothing_after_it():
    script = parse_fdx(_fdx(_scene("1", "INT. SHED - DAY", "Dust."), OMITTED_4))
    scenes = paginate(script, LETTER).scenes
    assert [(s.number, s.omitted, s.eighths, s.page_start) for s in scenes] == [("1", False, 1, 1), ("4", True, 0, 1)]
    assert [s.omitted for s in extract_scenes(script)] == [False, True]


def test_cli_json_shows_omitted_scenes(tmp_path, capsys):
    path = tmp_path / "harbour.fdx"
    path.write_bytes(WITH_OMITTED)
    assert cli.main(["parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    keys = {"number", "heading", "int_ext", "set", "time_of_day", "page_start", "page_end", "eighths", "characters"}
    assert all(keys <= set(s) for s in out["scenes"])
    assert [(s["number"], s["omitted"], s["eighths"], s["heading"]) for s in out["scenes"]] == [
        ("1", False, out["scenes"][0]["eighths"], "INT. LIGHTHOUSE - NIGHT"), ("2", True, 0, "OMITTED"),
        ("3", False, out["scenes"][2]["eighths"], "EXT. HARBOUR - DAWN"), ("4", True, 0, "OMITTED"),
        ("5", False, out["scenes"][4]["eighths"], "INT. PUB - DAY")]
    assert out["total_eighths"] == sum(s["eighths"] for s in out["scenes"])
    assert {c["name"] for c in out["characters"]} == {"MAGGIE"}  # HIDDEN spoke only inside the omitted scene


@pytest.mark.django_db
def test_import_keeps_omitted_fdx_scenes_as_placeholders(producer_access):  # noqa: F811
    revision = services.script_import(access=producer_access, filename="harbour.fdx", data=WITH_OMITTED)
    scenes = list(revision.scenes.order_by("order"))
    assert [s.number for s in scenes] == ["1", "3", "5"]
    assert revision.omitted_scenes == [
        {"number": "2", "heading": "EXT. PIER - NIGHT", "omitted_in": 1, "after_order": 1},
        {"number": "4", "heading": "", "omitted_in": 1, "after_order": 2}]
    assert revision.total_eighths == sum(s.eighths for s in scenes)
    assert "OMITTED" not in {s.set_name for s in scenes}
    index = selectors.scene_index(access=producer_access, revision=revision)
    assert [(s.number, s.omitted) for s in index] == [("1", False), ("2", True), ("3", False), ("4", True),
                                                      ("5", False)]
    # The numbers stay taken: a later draft with locked numbers does not give 2 or 4 to a new scene.
    services.script_revision_lock_numbers(access=producer_access, revision_id=revision.pk)
    added = _fdx(_scene("1", "INT. LIGHTHOUSE - NIGHT", FILLER), _scene("", "EXT. CLIFF - DUSK", "Wind."),
                 _scene("3", "EXT. HARBOUR - DAWN", FILLER), OMITTED_4, _scene("5", "INT. PUB - DAY", "Quiet."))
    second = services.script_import(access=producer_access, filename="harbour.fdx", data=added)
    assert [s.number for s in second.scenes.order_by("order")] == ["1", "1A", "3", "5"]
    assert [(p["number"], p["omitted_in"]) for p in second.omitted_scenes] == [("2", 1), ("4", 1)]


@pytest.mark.django_db
def test_a_file_of_omitted_scenes_only_is_refused_and_changes_nothing(producer_access):  # noqa: F811
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="marked omitted"):
        services.script_import(access=producer_access, filename="cut.fdx", data=_fdx(OMITTED_2, OMITTED_4))
    assert not ScriptRevision.objects.exists() and AuditEvent.objects.count() == before
