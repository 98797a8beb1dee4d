"""Our own Fountain 1.1 parser.

One pass over the lines, precompiled regexes. Every element keeps its 1-based source line range.
The decisions on ambiguous cases are written down in docs/screenplay-parsing.md.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .decoding import decode, normalise_newlines
from .model import Element, ElementType, Script

ET = ElementType
# Enum members as module constants: attribute access on an Enum class is a slow Python-level
# lookup, and the parser does it per line (see benchmarks/parse.py).
_ACTION, _DIALOGUE, _PAREN, _LYRICS, _CENTERED = ET.ACTION, ET.DIALOGUE, ET.PARENTHETICAL, ET.LYRICS, ET.CENTERED
_CHARACTER, _TRANSITION, _PAGE_BREAK, _HEADING = ET.CHARACTER, ET.TRANSITION, ET.PAGE_BREAK, ET.SCENE_HEADING
_SECTION, _SYNOPSIS = ET.SECTION, ET.SYNOPSIS
_SPEECH = (_DIALOGUE, _PAREN, _LYRICS)
# First characters of marked paragraphs (section, synopsis or page break, lyrics, forced action, forced
# cue, note, forced heading, centered or forced transition).
_MARKS = "#=~!@[.>"

_HEADING_RE = re.compile(r"^(?:int\.?/ext|int/ext|ext/int|i\.?/e|int|ext|est)[. ]", re.I)
_SCENE_NUMBER_RE = re.compile(r"\s*#([\w.\-]+)#\s*$")
_PAGE_BREAK_RE = re.compile(r"^\s*={3,}\s*$")
_CENTERED_RE = re.compile(r"^\s*>(.*)<\s*$")
_TRANSITION_RE = re.compile(r"^[^a-z]*TO:$")
_TRANSITION_SPECIAL = frozenset({"FADE TO BLACK.", "FADE OUT.", "FADE TO BLACK", "FADE OUT"})
_PAREN_RE = re.compile(r"^\s*\(.*\)\s*$")
_EXT_RE = re.compile(r"\(([^)]*)\)")
_TITLE_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 _'-]*):[ \t]*(.*?)\s*$")
_BONEYARD_RE = re.compile(r"/\*.*?\*/", re.S)
_NOTE_BLOCK_RE = re.compile(r"^\s*\[\[(?:(?!\]\]).)*\]\]\s*$", re.S)
_KNOWN_TITLE_KEYS = frozenset(
    {
        "title", "credit", "author", "authors", "source", "draft date", "date", "contact",
        "copyright", "notes", "revision", "font", "format", "episode", "series",
    }
)


def parse_fountain(source: str | bytes) -> Script:
    """Parse Fountain text (or raw bytes, which are decoded first) into a Script."""
    warnings: list[str] = []
    if isinstance(source, bytes):
        text, encoding = decode(source)
        if encoding in ("cp1252", "latin-1"):
            warnings.append(f"the file is not UTF-8; read it as {encoding}")
    else:
        text = normalise_newlines(source.removeprefix("\ufeff"))
    return _Parser(text, warnings).parse()


def _is_blank(line: str) -> bool:
    return not line.strip()


def _cue(line: str) -> tuple[str, tuple[str, ...], bool] | None:
    """(name, extensions, dual) if the stripped line is shaped like a character cue."""
    # Quick refusal before the regex: the name (everything before the first "(" or "^") must be
    # upper case; most lines tried here are the first lines of action paragraphs.
    cut = line.find("(")
    caret = line.find("^")
    if caret != -1 and (cut == -1 or caret < cut):
        cut = caret
    head = line if cut == -1 else line[:cut]
    if head != head.upper():
        return None
    if cut == -1:
        exts: tuple[str, ...] = ()
        dual = False
    else:
        parts = _cue_parts(line, cut)
        if parts is None:
            return None
        exts = tuple([e.strip() for e in parts[0]]) if parts[0] else ()  # (a list, not a slow generator)
        dual = parts[1]
    name = head.strip()
    if not name or name != name.upper() or name == name.lower():
        return None
    # It has a cased character (upper != lower); in ASCII that is a letter. Elsewhere check: a cased
    # character need not be alphabetic (U+2167 ROMAN NUMERAL EIGHT).
    if not name.isascii() and not any(c.isalpha() for c in name):
        return None
    if name.endswith(":") or name[0] in "!@#~=.>[" or "[[" in name:
        return None
    return name, exts, dual


def _cue_parts(line: str, cut: int) -> tuple[list[str], bool] | None:
    """The shape of a cue line, read without a regex (it was ``^([^(^]*?)\\s*((?:\\([^)]*\\)\\s*)*)\\s*(\\^)?\\s*$``,
    whose lazy name group made it the parser's costliest call): after the name (up to `cut`, the first "(" or "^")
    only "(...)" extensions separated by spaces, then an optional "^", then spaces. Return
    (extension texts, dual) or None when the line is not shaped so."""
    if cut == -1:
        return [], False
    exts: list[str] = []
    n = len(line)
    pos = cut
    while pos < n and line[pos] == "(":
        close = line.find(")", pos + 1)
        if close == -1:
            return None
        exts.append(line[pos + 1 : close])
        pos = close + 1
        while pos < n and line[pos].isspace():
            pos += 1
    dual = pos < n and line[pos] == "^"
    if dual:
        pos += 1
    if line[pos:].strip():
        return None
    return exts, dual


def _split_cue(line: str) -> tuple[str, tuple[str, ...], bool]:
    """Split a forced (@) cue, where lower case is allowed."""
    line = line.strip()
    dual = line.endswith("^")
    if dual:
        line = line[:-1].rstrip()
    idx = line.find("(")
    if idx > 0:
        return line[:idx].strip(), tuple(e.strip() for e in _EXT_RE.findall(line[idx:])), dual
    return line, (), dual


class _Parser:
    def __init__(self, text: str, warnings: list[str]) -> None:
        self.text = text
        self.warnings = warnings
        self.elements: list[Element] = []
        self.bones: list[Element] = []
        self.dual = False  # the current speech is the second half of a dual-dialogue pair

    # -- boneyard ---------------------------------------------------------------------------
    def _remove_boneyard(self) -> list[str]:
        """Cut closed /* */ spans out; return the text of every line (line k + 1 is at index k).

        A line wholly inside a boneyard reads as a blank line (as screenplain does), so a boneyard
        also separates the paragraphs around it. An unclosed `/*` stays text.
        """
        text = self.text
        lines = text.split("\n")
        if "/*" not in text:
            return lines
        spans = [(m.start(), m.end()) for m in _BONEYARD_RE.finditer(text)]
        if not spans:
            return lines
        starts = []
        off = 0
        for line in lines:
            starts.append(off)
            off += len(line) + 1
        out: list[str] = []
        k = 0  # first span that may still overlap
        for idx, line in enumerate(lines):
            lo, hi = starts[idx], starts[idx] + len(line)
            while k < len(spans) and spans[k][1] <= lo:
                k += 1
            if k >= len(spans) or (spans[k][0] >= hi and not (spans[k][0] <= lo < spans[k][1])):
                out.append(line)
                continue
            kept = []
            pos = lo
            j = k
            while j < len(spans) and spans[j][0] < hi:
                s0, s1 = spans[j]
                if s0 > pos:
                    kept.append(text[pos:s0])
                pos = max(pos, s1)
                j += 1
            if pos < hi:
                kept.append(text[pos:hi])
            out.append("".join(kept))
        line_of = bisect_right
        for s0, s1 in spans:
            first = line_of(starts, s0)
            last = line_of(starts, s1 - 1)
            self.bones.append(Element(ET.BONEYARD, text[s0 + 2 : s1 - 2].strip("\n"), first, last))
        return out

    # -- title page -------------------------------------------------------------------------
    def _title_page(self, lines: list[str], begin: int, script: Script) -> int:
        """Read a title page starting at lines[begin]; return the index of the first script line."""
        start = begin
        while start < len(lines) and _is_blank(lines[start]):
            start += 1
        if start >= len(lines):
            return begin
        m = _TITLE_KEY_RE.match(lines[start])
        if not m or m[1].strip().lower() not in _KNOWN_TITLE_KEYS:
            return begin
        key = None
        i = start
        values: dict[str, list[str]] = {}
        while i < len(lines):
            raw = lines[i]
            if _is_blank(raw):
                i += 1
                break
            m = _TITLE_KEY_RE.match(raw)
            if m and not raw[0].isspace():
                key = m[1].strip().lower()
                values.setdefault(key, [])
                if m[2]:
                    values[key].append(m[2])
            elif key is not None and (raw.startswith(("\t", "   "))):
                values[key].append(raw.strip())
            else:
                break  # neither a key nor an indented value: the script starts here
            i += 1
        script.title_page = {k: "\n".join(v) for k, v in values.items()}
        last = min(i, len(lines)) - 1
        while last > start and _is_blank(lines[last]):
            last -= 1
        script.title_page_lines = (start + 1, max(start, last) + 1)
        return i

    # -- body -------------------------------------------------------------------------------
    def parse(self) -> Script:
        # Every line is kept (a boneyard line as what is left of it), so line k + 1 is lines[k].
        lines = self._remove_boneyard()
        script = Script(format="fountain", warnings=self.warnings)
        # A [[note]] paragraph before the title page (seen in afterwriting's test file).
        first = 0
        while first < len(lines) and _is_blank(lines[first]):
            first += 1
        lead: list[Element] = []
        begin = 0
        if first < len(lines) and lines[first].lstrip().startswith("[["):
            end = first
            while end < len(lines) and not _is_blank(lines[end]):
                end += 1
            block = "\n".join(lines[first:end])
            if _NOTE_BLOCK_RE.match(block):
                lead.append(Element(ET.NOTE, block.strip()[2:-2].strip(), first + 1, end))
                begin = end
        body_start = self._title_page(lines, begin, script)
        self.elements = lead
        self._body(lines, body_start)
        if self.bones:
            self.elements.extend(self.bones)
            self.elements.sort(key=lambda e: e.line_start)
        script.elements = self.elements
        return script

    def _body(self, lines: list[str], begin: int) -> None:
        """Read the script's lines from lines[begin] on."""
        n = len(lines)
        els = self.elements
        stripped = [raw.strip() for raw in lines]
        stripped.append("")  # the line after the last reads as blank
        mode = None  # None (start of paragraph), "action" or "dialogue"
        prev_blank = True
        i = begin
        while i < n:
            raw = lines[i]
            s = stripped[i]
            no = i + 1
            if not s:
                # A line of exactly two spaces keeps a speech (or note) together.
                if raw == "  " and mode == "dialogue" and stripped[i + 1]:
                    self._append(_DIALOGUE, "", no)
                    i += 1
                    continue
                mode, prev_blank = None, True
                i += 1
                continue
            first = s[0]
            if mode is not None and first != "=":  # inside a paragraph (a page break line starts with "=")
                # (Element's optional fields positionally: a keyword argument costs about as much as
                # the rest of the call.)
                if mode == "dialogue":
                    if first == "(" and s[-1] == ")":  # _PAREN_RE
                        els.append(Element(_PAREN, s, no, no, None, self.dual))
                    elif first == "~":
                        els.append(Element(_LYRICS, s[1:].lstrip(), no, no, forced=True))
                    else:
                        last = els[-1]
                        if last.type == _DIALOGUE and last.line_end == no - 1:
                            last.text = f"{last.text}\n{s}"
                            last.line_end = no
                        else:
                            els.append(Element(_DIALOGUE, s, no, no, None, self.dual))
                    i += 1
                    continue
                m = _CENTERED_RE.match(raw) if first == ">" else None
                if m:
                    els.append(Element(_CENTERED, m[1].strip(), no, no))
                elif first == "~":
                    els.append(Element(_LYRICS, s[1:].lstrip(), no, no, forced=True))
                else:
                    last = els[-1]
                    if last.type == _ACTION and last.line_end == no - 1:
                        last.text = f"{last.text}\n{raw.rstrip()}"
                        last.line_end = no
                    else:
                        els.append(Element(_ACTION, raw.rstrip(), no, no))
                i += 1
                continue
            next_blank = not stripped[i + 1]

            if first == "=" and _PAGE_BREAK_RE.match(raw):  # (a page break line starts with "=")
                els.append(Element(_PAGE_BREAK, "", no, no))
                mode, prev_blank = None, True
                i += 1
                continue

            if mode == "dialogue":
                if first == "(" and s[-1] == ")":  # _PAREN_RE
                    els.append(Element(_PAREN, s, no, no, None, self.dual))
                elif first == "~":
                    els.append(Element(_LYRICS, s[1:].lstrip(), no, no, forced=True))
                else:
                    self._append(_DIALOGUE, s, no)
                i += 1
                continue

            if mode == "action":
                m = _CENTERED_RE.match(raw) if first == ">" else None
                if m:
                    els.append(Element(_CENTERED, m[1].strip(), no, no))
                elif first == "~":
                    els.append(Element(_LYRICS, s[1:].lstrip(), no, no, forced=True))
                else:
                    self._append(_ACTION, raw.rstrip(), no)
                i += 1
                continue

            # --- start of a paragraph (or after a heading/section line) ---
            if first in _MARKS:  # a marked paragraph; when no mark applies it is read as a plain one below
                marked = True
                if first == "#":
                    depth = len(s) - len(s.lstrip("#"))
                    els.append(Element(_SECTION, s[depth:].strip(), no, no, depth=depth))
                    mode, prev_blank = None, True
                elif first == "=" and not s.startswith("=="):
                    els.append(Element(_SYNOPSIS, s[1:].strip(), no, no))
                    mode, prev_blank = None, True
                elif first == "~":
                    els.append(Element(_LYRICS, s[1:].lstrip(), no, no, forced=True))
                    mode, prev_blank = None, False
                elif first == "!":
                    els.append(Element(_ACTION, self._action_text(raw.lstrip()[1:]), no, no, forced=True))
                    mode = "action"
                elif first == "@":
                    name, exts, dual = _split_cue(s[1:])
                    self._cue(name, exts, dual, no, forced=True)
                    mode = "dialogue"
                elif first == "[" and s.startswith("[[") and (after := self._note_block(lines, i)):
                    i = after
                    mode, prev_blank = None, True
                    continue
                elif first == "." and len(s) > 1 and s[1] not in ". \t":
                    self._heading(s[1:], no, forced=True)
                    mode, prev_blank = None, True
                elif first == ">" and (m := _CENTERED_RE.match(raw)) is not None:
                    els.append(Element(_CENTERED, m[1].strip(), no, no))
                    mode = "action"
                elif first == ">":
                    els.append(Element(_TRANSITION, s[1:].strip(), no, no, forced=True))
                    mode, prev_blank = None, False
                else:
                    marked = False
                if marked:
                    i += 1
                    continue
            # A plain paragraph: heading, transition, character cue or action.
            if (
                prev_blank
                and first in "iIeE\u0130\u0131"  # what _HEADING_RE (re.I) can match first, dotted and dotless i too
                and _HEADING_RE.match(s)
                and (next_blank or not _HEADING_RE.match(stripped[i + 1]))
            ):
                self._heading(s, no)
                mode, prev_blank = None, True
            elif (
                prev_blank
                and next_blank
                and ((raw.endswith("TO:") and _TRANSITION_RE.match(raw.lstrip())) or s in _TRANSITION_SPECIAL)
                and s == s.upper()
            ):
                els.append(Element(_TRANSITION, s, no, no))
                mode, prev_blank = None, False
            elif prev_blank and not next_blank and (cue := _cue(s)) is not None:
                self._cue(*cue, no)
                mode = "dialogue"
            else:
                els.append(Element(_ACTION, raw.rstrip(), no, no))
                mode = "action"
            i += 1

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _action_text(raw: str) -> str:
        # Leading whitespace in action is intentional; trailing whitespace is not.
        return raw.rstrip()

    def _append(self, kind: ElementType, text: str, no: int) -> None:
        last = self.elements[-1] if self.elements else None
        if last is not None and last.type == kind and last.line_end == no - 1:
            last.text = f"{last.text}\n{text}"
            last.line_end = no
        else:
            self.elements.append(Element(kind, text, no, no, None, kind == _DIALOGUE and self.dual))

    def _heading(self, text: str, no: int, forced: bool = False) -> None:
        number = None
        m = _SCENE_NUMBER_RE.search(text)
        if m:
            number = m[1]
            text = text[: m.start()]
        self.elements.append(Element(_HEADING, text.strip(), no, no, number, False, None, (), forced))

    def _cue(self, name: str, exts: tuple[str, ...], dual: bool, no: int, forced: bool = False) -> None:
        text = name + "".join([f" ({e})" for e in exts]) if exts else name
        self.dual = dual
        # Positional: type, text, line_start, line_end, scene_number, dual, name, extensions, forced.
        self.elements.append(Element(_CHARACTER, text, no, no, None, dual, name, exts, forced))
        if dual:
            # Mark the preceding speech (cue and its lines) as the first half of the pair.
            for el in reversed(self.elements[:-1]):
                if el.type in _SPEECH:
                    el.dual = True
                    continue
                if el.type == _CHARACTER:
                    el.dual = True
                break

    def _note_block(self, lines: list[str], i: int) -> int:
        """If a standalone [[note]] paragraph starts at i, emit it and return the next index; else 0."""
        j = i
        n = len(lines)
        while j < n and (not _is_blank(lines[j]) or lines[j] == "  "):
            j += 1
        block = "\n".join(lines[i:j])
        if not _NOTE_BLOCK_RE.match(block):
            return 0
        self.elements.append(Element(ET.NOTE, block.strip()[2:-2].strip(), i + 1, j))
        return j
