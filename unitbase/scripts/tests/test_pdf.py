"""PDF import (pdfplumber): element types from indents, page and scene numbers from the margins."""

import io

import pytest

from unitbase.scripts import cli
from unitbase.scripts.pagination import layout_for, paginate
from unitbase.scripts.parsers import ScriptFormatError, parse_bytes, parse_path
from unitbase.scripts.parsers.model import ElementType as ET
from unitbase.scripts.parsers.scenes import extract_scenes

from .test_services import producer_access  # noqa: F401


@pytest.fixture(scope="module")
def brick(shared_dir):
    return parse_path(shared_dir / "scripts/samples/brick-and-steel.screenplain.pdf")


def test_brick_and_steel_pdf_elements(brick):
    assert brick.format == "pdf"
    assert brick.title == "BRICK & STEEL FULL RETIRED"
    assert brick.title_page["author"] == "Stu Maschwitz"
    types = [(e.type, e.text) for e in brick.elements[:8]]
    assert types[0] == (ET.SCENE_HEADING, "EXT. BRICK'S PATIO - DAY")
    assert types[1][0] == ET.ACTION and types[1][1].startswith("A gorgeous day.  The sun is shining.")
    assert types[1][1].endswith("contemplating -- something.")  # wrapped lines joined
    assert types[3] == (ET.CHARACTER, "STEEL")
    assert types[4] == (ET.DIALOGUE, "Beer's ready!")
    parens = [e.text for e in brick.of_type(ET.PARENTHETICAL)]
    assert parens[:2] == ["(beer raised)", "(in Vietnamese, subtitled)"]
    duals = [(e.type, e.text) for e in brick.elements if e.dual]
    assert duals == [
        (ET.CHARACTER, "STEEL"), (ET.DIALOGUE, "Screw retirement."),
        (ET.CHARACTER, "BRICK"), (ET.DIALOGUE, "Screw retirement."),
    ]
    assert [e.text for e in brick.of_type(ET.TRANSITION)][:3] == ["SMASH CUT TO:", "CUT TO:", "CUT TO:"]
    assert [e.text for e in brick.of_type(ET.CENTERED)] == [
        "BRICK BRADDOCK", "& DICK STEEL IN", "BRICK & STEEL", "FULL RETIRED", "THE END",
    ]
    # A lone capitals line after a transition opens a scene; elsewhere it is a shot.
    assert [e.text for e in brick.of_type(ET.SHOT)] == ["SNIPER SCOPE POV"]
    assert "OPENING TITLES" in [e.text for e in brick.of_type(ET.SCENE_HEADING)]


def test_brick_and_steel_pdf_pages_and_eighths(brick):
    scenes = extract_scenes(brick)
    result = paginate(brick, layout_for(brick), scenes)
    assert result.pages == 3  # the title page is not counted
    assert [(s.heading, s.page_start, s.page_end) for s in scenes][:3] == [
        ("EXT. BRICK'S PATIO - DAY", 1, 1), ("INT. TRAILER HOME - DAY", 1, 2), ("EXT. BRICK'S POOL - DAY", 2, 2),
    ]
    # 39 printed lines (incl. nothing above: it opens the page) of 55 per page -> 39 / 6.875 -> 6/8.
    assert scenes[0].eighths == 6
    assert all(s.eighths >= 1 for s in scenes)
    assert sorted({c for s in scenes for c in s.characters}) == [
        "BRICK", "COGNITO", "DAN", "HANDSOME MAN", "JACK", "MINION", "STEEL",
    ]


def test_scene_numbers_from_both_margins(shared_dir):
    script = parse_path(shared_dir / "scripts/suites/screenplain/scene-numbers.pdf")
    heads = [(e.scene_number, e.text) for e in script.of_type(ET.SCENE_HEADING)]
    assert heads == [
        ("1", "INT. THE FIRST PLACE - DAY"), ("2", "INT. THE SECOND PLACE - NIGHT"),
        (None, "INT. A THIRD PLACE - DAY"), (None, "INT. A FOURTH PLACE - DAY"), ("2-B", "INT. A FIFTH PLACE - DAY"),
    ]


def test_a4_pdf_page_numbers_split_speech_and_dual(shared_dir):
    script = parse_path(shared_dir / "scripts/suites/afterwriting/client.afterwriting.pdf")
    assert script.layout["page_height_in"] == pytest.approx(11.69, abs=0.01)
    scenes = extract_scenes(script)
    result = paginate(script, layout_for(script), scenes)
    assert result.pages == 4
    split = next(s for s in scenes if s.heading == "INT. SPLIT DIALOGUE - DUSK")
    assert (split.page_start, split.page_end) == (2, 3)
    # The speech broken across the page is one cue and one dialogue paragraph ((CONT'D) folded back).
    cues = [e for e in split.elements if e.type == ET.CHARACTER]
    assert [c.text for c in cues] == ["HERO 1"]
    dialogue = [e for e in split.elements if e.type == ET.DIALOGUE]
    assert len(dialogue) == 1 and dialogue[0].text.endswith("blah blah blah.")
    dual = [e.name for e in script.elements if e.type == ET.CHARACTER and e.dual]
    assert dual == ["HERO 1", "HERO 2"]
    long_cue = next(e for e in script.of_type(ET.CHARACTER) if e.name.startswith("VERY"))
    assert long_cue.name.endswith("LONG NAME")  # a cue wrapped over several lines stays one cue
    spanish = next(e for e in script.of_type(ET.DIALOGUE) if e.text.startswith("El pingüino"))
    assert spanish.text.endswith("querido cachorro.")  # centered-looking dialogue lines stay dialogue


def test_cli_parses_a_pdf(shared_dir, capsys):
    code = cli.main(["parse", str(shared_dir / "scripts/samples/brick-and-steel.screenplain.pdf"), "--json"])
    assert code == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "pdf" and data["pages"] == 3 and len(data["scenes"]) == 7
    assert data["total_eighths"] == sum(s["eighths"] for s in data["scenes"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "could not be"),
        (b"hello, not a pdf", "not a PDF"),
    ],
)
def test_bad_pdfs_give_one_clear_error(data, message):
    with pytest.raises(ScriptFormatError, match=message):
        parse_bytes(data, "draft.pdf")


def test_pdf_without_text_layer_is_refused():
    # A one-page PDF with no text (as a scanner makes, minus the image).
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(ScriptFormatError, match="no text layer"):
        parse_bytes(io.BytesIO(pdf).getvalue(), "scan.pdf")


@pytest.mark.django_db
def test_pdf_upload_through_the_page_imports_in_the_background(client, shared_dir, producer_access):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from unitbase.scripts.models import ScriptRevision

    client.force_login(producer_access.user)
    production = producer_access.production
    data = (shared_dir / "scripts/samples/brick-and-steel.screenplain.pdf").read_bytes()
    response = client.post(reverse("scripts:upload", args=[production.pk]), {
        "file": SimpleUploadedFile("brick.pdf", data, content_type="application/pdf"), "paper": "a4", "colour": ""})
    assert response.status_code == 302 and response.url == reverse("productions:tasks", args=[production.pk])
    revision = ScriptRevision.objects.get(production=production)
    # The PDF's own pages decide the paper and the page count, not the form's choice.
    assert (revision.format, revision.paper, revision.page_count, revision.scenes.count()) == ("pdf", "letter", 3, 7)
    scene = revision.scenes.order_by("order").first()
    assert (scene.heading, scene.page_start, scene.eighths) == ("EXT. BRICK'S PATIO - DAY", 1, 6)
    assert {t.element.name for t in scene.tags.filter(element__category__key="cast")} >= {"BRICK", "STEEL"}


def test_pdf_glyphs_without_unicode_are_left_out_with_a_warning(shared_dir):
    # screenplain's PDF of non-Latin greetings: its font maps them to no text (NUL characters).
    script = parse_path(shared_dir / "scripts/suites/screenplain/extended-characters.pdf")
    assert [e.text for e in script.elements] == ["Hello"]
    assert "22 characters in the PDF have no text in their font (no Unicode mapping) and were left out" in script.warnings
