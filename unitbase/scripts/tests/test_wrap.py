"""The layout engine's line count (wrap_count, which finds each line end with rfind) equals the
plain word-by-word greedy fill it replaced, on any mix of words, runs of spaces and line breaks."""

from hypothesis import given, settings
from hypothesis import strategies as st

from unitbase.scripts.pagination.layout import wrap_count


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
