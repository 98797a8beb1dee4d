"""Code made faster for benchmarks/parse.py gives the same answers as the plain code it replaced:
the layout engine's line count (wrap_count, line ends found with rfind) equals the word-by-word
greedy fill, and the Fountain cue reader equals the regex it replaced, on any input. Also: the GC
pause is undone, and line numbers are the same with lines read by index."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from unitbase.scripts.pagination.layout import wrap_count
from unitbase.scripts.parsers.fountain import _cue


def word_loop(text: str, width: int) -> int:
    """The reference: split on single spaces, fill greedily, hard-break words longer than the line."""
    total = 0
    for line in text.split("\n"):
        if len(line) <= width:
            total += 1
            continue
        count, cur = 1, 0
        for word in line.split(" "):
            w = len(word)
            if cur == 0:
                cur = w
            elif cur + 1 + w <= width:
                cur += 1 + w
                continue
            else:
                count += 1
                cur = w
            while cur > width:
                count += 1
                cur -= width
        total += count
    return total


words = st.text(alphabet="ab.", min_size=0, max_size=70)
separators = st.sampled_from([" ", " ", " ", "  ", "   ", "\n", " \n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(words, separators), max_size=40), st.sampled_from([10, 15, 20, 27, 35, 36, 58, 60]),
       st.integers(0, 12))
def test_wrap_count_equals_the_word_loop(parts, width, indent):
    text = " " * indent + "".join(w + s for w, s in parts)
    assert wrap_count(text, width) == word_loop(text, width)


def test_wrap_count_examples():
    assert wrap_count("a" * 60, 60) == 1
    assert wrap_count("aaaa bbbb", 4) == 2
    assert wrap_count("aaaa  bbbb", 4) == 2  # the space after a line end is dropped
    assert wrap_count("a" * 130, 60) == 3  # a word longer than the line is hard-broken
    assert wrap_count("one\ntwo", 60) == 2


CUE_RE = re.compile(r"^(?P<name>[^(\^]*?)\s*(?P<ext>(?:\([^)]*\)\s*)*)\s*(?P<dual>\^)?\s*$")
EXT_RE = re.compile(r"\(([^)]*)\)")


def cue_by_regex(line: str):
    m = CUE_RE.match(line)
    if not m:
        return None
    name = m["name"].strip()
    if not name or not any(c.isalpha() for c in name) or name != name.upper() or name == name.lower():
        return None
    if name.endswith(":") or name[0] in "!@#~=.>[" or "[[" in name:
        return None
    return name, tuple(e.strip() for e in EXT_RE.findall(m["ext"])), bool(m["dual"])


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=list("ABZ ()^a\t.':1[\u00a0\u2167É"), max_size=16))
def test_cue_reader_equals_the_regex(text):
    line = text.strip()
    if line:
        assert _cue(line) == cue_by_regex(line)


def test_cue_examples():
    assert _cue("BOB (V.O.) (CONT'D) ^") == ("BOB", ("V.O.", "CONT'D"), True)
    assert _cue("BOB (a(b)") == ("BOB", ("a(b",), False)
    assert _cue("BOB (V.O.) HELLO") is None and _cue("Bob") is None and _cue("BOB ^ (V.O.)") is None


def test_heading_prefilter_keeps_what_the_case_insensitive_regex_matched():
    from unitbase.scripts.parsers import parse_fountain

    for first in ("I", "i", "E", "e", "\u0130", "\u0131"):  # re.I also matches dotted and dotless i
        line = f"{first}NT. HOUSE - DAY" if first in "Ii\u0130\u0131" else f"{first}XT. HOUSE - DAY"
        script = parse_fountain(f"{line}\n\nAction.\n")
        assert script.elements[0].type == "scene_heading", line
    assert parse_fountain("\n\nAction.\n\nKNT. HOUSE - DAY\n\nMore.\n").elements[1].type == "action"


def heading_by_regexes(text: str):
    """parse_heading as it was before the fast paths (white space by regex, separators by regex split)."""
    from unitbase.scripts.parsers import scenes as sc

    t = sc._SPACES_RE.sub(" ", sc.plain(text).replace("\u00a0", " ")).strip()
    qualifiers: list[str] = []
    while (m := sc._QUALIFIER_RE.search(t)) and m.start() > 0:
        qualifiers.insert(0, m[1].strip())
        t = t[: m.start()].rstrip()
    m = sc._PREFIX_RE.match(t)
    int_ext = ""
    if m:
        p = m["p"].lower().replace(".", "").replace(" ", "")
        int_ext = "INT/EXT" if "/" in p else ("INT" if p.startswith("int") else "EXT")
        t = t[m.end() :]
    parts = [p for p in sc._SEPARATOR_RE.split(t) if p and p.strip()]
    tod = None
    if parts:
        last = parts[-1].strip().upper().rstrip(".")
        if (last in sc.TIMES_OF_DAY or sc._RELATIVE_TOD_RE.match(last)) and len(parts) > 1:
            tod = last
            parts = parts[:-1]
        elif "-" in parts[-1]:
            head, _, tail = parts[-1].rpartition("-")
            if tail.strip().upper() in sc.TIMES_OF_DAY and head.strip():
                tod = tail.strip().upper()
                parts[-1] = head
        elif m and len(parts) == 1 and " " in parts[0]:
            head, _, tail = parts[0].rpartition(" ")
            if tail.upper() in sc.TIMES_OF_DAY:
                tod, parts[0] = tail.upper(), head
    set_name = " - ".join(p.strip() for p in parts if p.strip()).upper()
    return sc.HeadingParts(int_ext, set_name, tod, tuple(qualifiers))


heading_words = st.sampled_from(["INT.", "EXT", "INT./EXT.", "I/E", "HOUSE", "DAY", "NIGHT", "LATER", "A", "(1973)",
                                 "[B]", "(", ")", "-", "--", ",", "\u2013", "\u2014", "*", "_", "KITCHEN", "x"])
heading_gaps = st.sampled_from(["", " ", "  ", "\t", "\u00a0", " - ", "-", "\u2009"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(heading_gaps, heading_words), max_size=9), heading_gaps)
def test_heading_parts_equal_the_regexes(parts, tail):
    from unitbase.scripts.parsers.scenes import parse_heading

    text = "".join(g + w for g, w in parts) + tail
    assert parse_heading(text) == heading_by_regexes(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list("IE NTX./-,()[]\u2013\u2014\u00a0\tDAY"), max_size=30))
def test_heading_parts_equal_the_regexes_on_any_text(text):
    from unitbase.scripts.parsers.scenes import parse_heading

    assert parse_heading(text) == heading_by_regexes(text)


OLD_EMPHASIS_RES = (
    re.compile(r"(?<!\\)\*\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*\*"),
    re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*"),
    re.compile(r"(?<!\\)\*(?=\S)(.+?)(?<=\S)(?<!\\)\*"),
    re.compile(r"(?<!\\)_(?=\S)(.+?)(?<=\S)(?<!\\)_"),
)


def emphasis_by_regexes(text: str) -> str:
    """strip_emphasis as it was: every marker regex (each starting with its lookbehind) on every pass."""
    if "*" not in text and "_" not in text and "\\" not in text:
        return text
    for _ in range(3):
        before = text
        for rx in OLD_EMPHASIS_RES:
            text = rx.sub(r"\1", text)
        if text == before:
            break
    return re.sub(r"\\([*_\\])", r"\1", text)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=list("*_\\ a\nb."), max_size=24))
def test_emphasis_equals_the_regexes(text):
    from unitbase.scripts.parsers.text import strip_emphasis

    assert strip_emphasis(text) == emphasis_by_regexes(text)


def test_emphasis_examples():
    from unitbase.scripts.parsers.text import strip_emphasis

    assert strip_emphasis("**FADE IN:**") == "FADE IN:"
    assert strip_emphasis("_a *b* c_") == "a b c"
    assert strip_emphasis("\\*not\\* _I_") == "*not* I"
    assert strip_emphasis("***all***") == "all"


def test_line_numbers_after_a_lead_note_and_a_title_page():
    """Lines are read by index (line k + 1 at index k) through the lead note, the title page and a boneyard."""
    from unitbase.scripts.parsers.fountain import parse_fountain

    script = parse_fountain("\n[[lead\nnote]]\n\nTitle: T\nAuthor: A\n\nINT. HOUSE - DAY\n/* cut\nout */\nAction.\n")
    assert [(e.type, e.line_start, e.line_end) for e in script.elements] == [
        ("note", 2, 3), ("scene_heading", 8, 8), ("boneyard", 9, 10), ("action", 11, 11)]
    assert script.title_page_lines == (5, 6)
