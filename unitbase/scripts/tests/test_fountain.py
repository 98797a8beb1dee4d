"""Unit tests for our Fountain parser, one syntax feature at a time (fixtures written here)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unitbase.scripts.parsers import ScriptFormatError, parse_bytes
from unitbase.scripts.parsers.decoding import decode
from unitbase.scripts.parsers.fountain import parse_fountain
from unitbase.scripts.parsers.model import ElementType as ET
from unitbase.scripts.parsers.text import strip_emphasis, strip_notes


def kinds(text):
    return [(e.type, e.text) for e in parse_fountain(text).elements]


def test_title_page_multiline_values_and_body():
    s = parse_fountain("Title: Gone Fishing\nCredit: by\nContact:\n    Mae Ray\n    12 Pier Rd\n\nEXT. DOCK - DAY\n")
    assert s.title_page == {"title": "Gone Fishing", "credit": "by", "contact": "Mae Ray\n12 Pier Rd"}
    assert s.title_page_lines == (1, 5)
    assert s.elements[0].text == "EXT. DOCK - DAY"


def test_first_line_that_is_not_a_known_key_is_script():
    s = parse_fountain("CUT TO:\n\nINT. SHED - NIGHT\n")
    assert s.title_page == {}
    assert s.elements[0].type == ET.TRANSITION


@pytest.mark.parametrize(
    "heading", ["INT. SHED - NIGHT", "EXT SHED DAY", "EST. TOWN", "INT./EXT. VAN - DAY", "I/E VAN", "int. shed - day"]
)
def test_scene_heading_prefixes(heading):
    assert kinds(f"Some action.\n\n{heading}\n\nMore.\n")[1] == (ET.SCENE_HEADING, heading)


def test_forced_heading_scene_number_and_non_headings():
    s = parse_fountain(".UNDERWATER POV #12A#\n\n...not forced\n\nESTABLISHMENT\n")
    head = s.elements[0]
    assert (head.type, head.text, head.scene_number, head.forced) == (ET.SCENE_HEADING, "UNDERWATER POV", "12A", True)
    assert [e.type for e in s.elements[1:]] == [ET.ACTION, ET.ACTION]


def test_stacked_heading_lines_are_not_headings():
    assert [k for k, _ in kinds("INT. A - DAY\nEXT. B - DAY\n")] == [ET.CHARACTER, ET.DIALOGUE]


def test_action_keeps_leading_whitespace_and_forced_action():
    els = parse_fountain("    Indented line\n\tTabbed\n\n!LOUD NOISE\nfollows\n").elements
    assert els[0].text == "    Indented line\n\tTabbed"
    assert (els[1].type, els[1].text, els[1].forced) == (ET.ACTION, "LOUD NOISE\nfollows", True)


def test_cue_extensions_parenthetical_dialogue():
    els = parse_fountain("\nMAE (V.O.) (CONT'D)\n(quietly)\nHello there.\nSecond line.\n").elements
    cue = els[0]
    assert (cue.name, cue.extensions, cue.extension) == ("MAE", ("V.O.", "CONT'D"), "(V.O.) (CONT'D)")
    assert [(e.type, e.text) for e in els[1:]] == [
        (ET.PARENTHETICAL, "(quietly)"), (ET.DIALOGUE, "Hello there.\nSecond line."),
    ]
    assert (els[2].line_start, els[2].line_end) == (4, 5)


def test_forced_cue_lowercase_and_cue_needs_a_letter():
    assert kinds("@McGee\nHi.\n")[0] == (ET.CHARACTER, "McGee")
    assert kinds("42 (O.S.)\nNope.\n")[0][0] == ET.ACTION


def test_two_space_line_keeps_speech_together():
    els = parse_fountain("BO\nOne.\n  \nTwo.\n").elements
    assert [(e.type, e.text) for e in els] == [(ET.CHARACTER, "BO"), (ET.DIALOGUE, "One.\n\nTwo.")]


def test_dual_dialogue_marks_both_speeches():
    els = parse_fountain("AL\nYes.\n\nBO ^\nNo.\n").elements
    assert [(e.text, e.dual) for e in els] == [("AL", True), ("Yes.", True), ("BO", True), ("No.", True)]


def test_lyrics_transitions_centered_page_break():
    els = parse_fountain("~La la la\n\nSMASH CUT TO:\n\n> FADE OUT HARD.\n\n> THE END <\n\n===\n").elements
    assert [(e.type, e.text) for e in els] == [
        (ET.LYRICS, "La la la"), (ET.TRANSITION, "SMASH CUT TO:"), (ET.TRANSITION, "FADE OUT HARD."),
        (ET.CENTERED, "THE END"), (ET.PAGE_BREAK, ""),
    ]


def test_transition_with_trailing_spaces_is_action():
    assert kinds("CUT TO:  \n")[0][0] == ET.ACTION


def test_sections_synopses_notes():
    els = parse_fountain("## Act Two\n\n= They meet.\n\n[[Check the\nprops list]]\n\nA cat [[tabby]] sits.\n").elements
    assert [(e.type, e.text, e.depth) for e in els] == [
        (ET.SECTION, "Act Two", 2), (ET.SYNOPSIS, "They meet.", 0), (ET.NOTE, "Check the\nprops list", 0),
        (ET.ACTION, "A cat [[tabby]] sits.", 0),
    ]
    assert strip_notes(els[-1].text) == "A cat  sits."


def test_boneyard_closed_and_unclosed():
    els = parse_fountain("Keep.\n\n/* gone\n\nINT. X - DAY\n*/\n\nAlso kept.\n").elements
    assert [(e.type, e.line_start, e.line_end) for e in els] == [
        (ET.ACTION, 1, 1), (ET.BONEYARD, 3, 6), (ET.ACTION, 8, 8),
    ]
    assert kinds("Text /* never closed\n")[0] == (ET.ACTION, "Text /* never closed")


def test_emphasis_is_kept_and_can_be_stripped():
    text = parse_fountain("***Loud*** and _under *both*_ \\*star\\*\n").elements[0].text
    assert text == "***Loud*** and _under *both*_ \\*star\\*"
    assert strip_emphasis(text) == "Loud and under both *star*"


def test_decoding_bom_utf16_cp1252_and_line_endings():
    assert decode(b"\xef\xbb\xbfA\r\nB\rC")[0] == "A\nB\nC"
    assert decode("Caf\u00e9\n".encode("utf-16"))[0] == "Caf\u00e9\n"
    text, enc = decode("Caf\u00e9 \u2019".encode("cp1252"))
    assert (text, enc) == ("Caf\u00e9 \u2019", "cp1252")
    assert parse_fountain("Caf\u00e9".encode("cp1252")).warnings == ["the file is not UTF-8; read it as cp1252"]


def test_binary_input_is_refused_with_a_clear_error():
    with pytest.raises(ScriptFormatError, match="NUL bytes"):
        parse_bytes(b"PK\x03\x04\x00\x00binary", "x.fountain")
    with pytest.raises(ScriptFormatError, match="PDF could not be opened"):
        parse_bytes(b"%PDF-1.4 ...", "x.pdf")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "", "  ", "INT. HOUSE - DAY", "BOB", "BOB ^", "(beat)", "Hello.", "CUT TO:", "> x <", ">x", "===", "# Act",
    "= syn", "[[note", "]]", "/*", "*/", "~la", "!LOUD", "@Al", "Title: T", "    indented", ".FORCED", "#1#",
]) | st.text(max_size=20).filter(lambda t: "\n" not in t and "\r" not in t), max_size=30))
def test_random_text_never_raises_and_every_line_is_covered(lines):
    text = "\n".join(lines)
    script = parse_fountain(text)
    covered = set()
    if script.title_page_lines:
        covered.update(range(script.title_page_lines[0], script.title_page_lines[1] + 1))
    for e in script.elements:
        covered.update(range(e.line_start, e.line_end + 1))
    for no, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            assert no in covered, (no, line, text)
