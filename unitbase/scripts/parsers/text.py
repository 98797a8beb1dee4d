"""Text helpers: emphasis and note stripping, typographic normalisation."""

from __future__ import annotations

import re

_NOTE_RE = re.compile(r"\[\[.*?\]\]", re.S)
# Each marker pattern starts with its marker, so that the regex engine can skip ahead to it: "not after a
# backslash" is written as a lookbehind after the marker, (?<!\\)*** == ***(?<!\\\*\*\*). Each is tried
# only when its marker is in the text (the marker, as a literal, is needed for a match).
_EMPHASIS_RES = (
    ("***", re.compile(r"\*\*\*(?<!\\\*\*\*)(?=\S)(.+?)(?<=\S)(?<!\\)\*\*\*")),
    ("**", re.compile(r"\*\*(?<!\\\*\*)(?=\S)(.+?)(?<=\S)(?<!\\)\*\*")),
    ("*", re.compile(r"\*(?<!\\\*)(?=\S)(.+?)(?<=\S)(?<!\\)\*")),
    ("_", re.compile(r"_(?<!\\_)(?=\S)(.+?)(?<=\S)(?<!\\)_")),
)
_ESCAPE_RE = re.compile(r"\\([*_\\])")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def strip_notes(text: str) -> str:
    """Remove `[[notes]]` (which never print)."""
    if "[[" not in text:
        return text
    return _NOTE_RE.sub("", text)


def strip_emphasis(text: str) -> str:
    """Remove Fountain emphasis markers (`*`, `**`, `***`, `_`) and unescape `\\*`, `\\_`."""
    if "*" not in text and "_" not in text and "\\" not in text:
        return text
    for _ in range(3):  # nested emphasis such as _a *b* c_
        before = text
        for marker, rx in _EMPHASIS_RES:
            if marker in text:
                text = rx.sub(r"\1", text)
        if text == before:
            break
    return _ESCAPE_RE.sub(r"\1", text) if "\\" in text else text


def plain(text: str) -> str:
    """The printed text of an element: no notes, no emphasis markers."""
    return strip_emphasis(strip_notes(text))


def normalise_quotes(text: str) -> str:
    """Typographic quotes to ASCII and no-break spaces to spaces (for matching names and keys)."""
    return text.translate(_QUOTES)
