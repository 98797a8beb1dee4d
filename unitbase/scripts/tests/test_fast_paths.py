"""Code made faster for benchmarks/parse.py gives the same answers as the plain code it replaced:
the layout engine's line count (wrap_count, line ends found with rfind) equals the word-by-word
greedy fill, and the Fountain cue reader equals the regex it replaced, on any input."""

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
