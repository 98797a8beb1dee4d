"""Lay a script out like a printed screenplay and measure every scene in eighths of a page.

Model (see docs/screenplay-parsing.md and the research note §4): Courier 12 pt, 10 characters per
inch, 6 lines per inch. Each element is word-wrapped at its own width, gets its blank lines above
(dropped at the top of a page), and the pages are filled with the usual rules: a scene heading is
never left at the foot of a page, short action is not split, long action leaves at least two lines
on each side, dialogue may split with (MORE) at the foot and the cue repeated with (CONT'D) at the
top of the next page, and `===` forces a new page. A scene's length is the number of lines it
occupies (summed over its pages, including the space above its heading), converted with
ceil(lines / (lines_per_page / 8)), at least 1/8.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import chain

from unitbase.scripts.parsers.model import UNPRINTED, ElementType, Script
from unitbase.scripts.parsers.scenes import Scene, extract_scenes
from unitbase.scripts.parsers.text import plain

ET = ElementType
# Enum members as module constants: attribute access on an Enum class and Enum.__hash__ are slow
# Python-level calls, and this module runs per paragraph (see benchmarks/parse.py).
_HEADING, _ACTION, _CHARACTER, _DIALOGUE = ET.SCENE_HEADING, ET.ACTION, ET.CHARACTER, ET.DIALOGUE
_PAREN, _LYRICS, _SHOT, _PAGE_BREAK = ET.PARENTHETICAL, ET.LYRICS, ET.SHOT, ET.PAGE_BREAK
_SPEECH = (_DIALOGUE, _PAREN, _LYRICS)
_UNPRINTED = tuple(UNPRINTED)
_type_of = operator.attrgetter("type")
_OMITTED = "omitted"  # the block kind of an omitted scene (a marker that takes no room)


@dataclass(frozen=True, slots=True)
class Style:
    width: int  # characters per line
    space_before: int  # blank lines above


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    lines_per_page: Fraction
    styles: dict[ElementType, Style]
    dual_width: int = 27

    def style(self, kind: ElementType) -> Style:
        return self.styles.get(kind) or self.styles[ET.ACTION]


def _styles(action_width: int) -> dict[ElementType, Style]:
    return {
        ET.SCENE_HEADING: Style(action_width, 2),
        ET.SHOT: Style(action_width, 1),
        ET.ACTION: Style(action_width, 1),
        ET.CENTERED: Style(action_width, 1),
        ET.CHARACTER: Style(35, 1),
        ET.PARENTHETICAL: Style(20, 0),
        ET.DIALOGUE: Style(36, 0),
        ET.LYRICS: Style(36, 0),
        ET.TRANSITION: Style(15, 1),
    }


LETTER = Layout("letter", Fraction(55), _styles(60))
A4 = Layout("a4", Fraction(57), _styles(58))

_FDX_TYPES = {
    "Scene Heading": ET.SCENE_HEADING,
    "Action": ET.ACTION,
    "Character": ET.CHARACTER,
    "Parenthetical": ET.PARENTHETICAL,
    "Dialogue": ET.DIALOGUE,
    "Transition": ET.TRANSITION,
    "Shot": ET.SHOT,
    "Lyrics": ET.LYRICS,
}


def layout_for(script: Script, paper: str | None = None) -> Layout:
    """The layout to use: the file's own settings (FDX) unless a paper is asked for, else Letter/A4."""
    base = A4 if paper == "a4" else LETTER
    info = script.layout
    if paper is not None or not info:
        return base
    styles = dict(base.styles)
    for fd_name, kind in _FDX_TYPES.items():
        spec = info.get("styles", {}).get(fd_name)
        if not spec:
            continue
        left, right, space_before = spec
        width = max(5, int((right - left) * 10 + 1e-6))
        styles[kind] = Style(width, round(space_before / 12))
    styles.setdefault(ET.CENTERED, styles[ET.ACTION])
    lpp = base.lines_per_page
    height = info.get("page_height_in") or (11.69 if base is A4 else 11.0)
    top, bottom = info.get("top_margin_pt"), info.get("bottom_margin_pt")
    if top is not None and bottom is not None:
        lpp = (Fraction(str(height)) * 72 - Fraction(str(top)) - Fraction(str(bottom))) / 12
    name = "a4" if height and height > 11.2 else "letter"
    dual = max(10, int(styles[ET.DIALOGUE].width * 3 / 4))
    return replace(base, name=name, lines_per_page=lpp, styles=styles, dual_width=dual)


def wrap_count(text: str, width: int) -> int:
    """Lines that text takes when word-wrapped at width (manual line breaks kept)."""
    if len(text) <= width and "\n" not in text:
        return 1
    total = 0
    for line in text.split("\n"):
        n = len(line)
        if n <= width:
            total += 1
            continue
        if (fast := _wrap_line(line, n, width)) is not None:
            total += fast
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
            while cur > width:  # a word longer than the line is hard-broken
                count += 1
                cur -= width
        total += count
    return total


def _wrap_line(line: str, n: int, width: int) -> int | None:
    """wrap_count of one line longer than width: the same greedy fill as the word loop, but each
    printed line ends at the last space within width + 1 characters (found with rfind) and the
    spaces after it are dropped (the word loop drops empty words at the start of a line). None
    when a word is longer than the line (the word loop handles the hard break)."""
    count, pos = 1, 0
    while pos < n and line[pos] == " ":
        pos += 1
    while n - pos > width:
        cut = line.rfind(" ", pos, pos + width + 1)
        if cut < 0:
            return None
        count += 1
        pos = cut + 1
        while pos < n and line[pos] == " ":
            pos += 1
    return count


@dataclass(slots=True)
class ScenePages:
    index: int
    page_start: int
    page_end: int
    lines: int
    eighths: int


@dataclass(slots=True)
class Pagination:
    layout: Layout
    pages: int
    scenes: list[Scene]
    total_lines: int

    @property
    def total_eighths(self) -> int:
        return sum(s.eighths or 0 for s in self.scenes)


# A block is a tuple (kind, lines, space_before, scene, runs): kind is ACTION-like, SCENE_HEADING,
# CHARACTER (a whole speech), PAGE_BREAK, ...; scene indexes the scenes (-1 before any scene); runs is,
# for a speech that may split, the lines of each of its elements after the cue (a parenthetical's
# negated), else None. Plain tuples: a block is made per paragraph and read once or twice.
_Block = tuple


def _scene_of(script: Script, scenes: list[Scene]) -> list[int]:
    """The scene index of each of the script's elements (-1 for none)."""
    els = script.elements
    out: list[int] = []
    for idx, scene in enumerate(scenes):
        out += [idx] * len(scene.elements)
    # extract_scenes puts every element in a scene, in script order; check that by identity (a C loop),
    # else (scenes from elsewhere) look each element up.
    if len(out) == len(els) and all(map(operator.is_, els, chain.from_iterable(s.elements for s in scenes))):
        return out
    scene_of = {id(el): idx for idx, scene in enumerate(scenes) for el in scene.elements}
    return [scene_of.get(id(el), -1) for el in els]


def _speech_parts(runs: list[int]) -> list[str]:
    """The kind of each line of a speech ("cue", "paren", "dlg") from its runs."""
    parts = ["cue"]
    for r in runs:
        parts += ["dlg"] * r if r > 0 else ["paren"] * -r
    return parts


def _blocks(script: Script, layout: Layout, scenes: list[Scene]) -> list[_Block]:
    blocks: list[_Block] = []
    add = blocks.append
    els = script.elements
    sidx = _scene_of(script, scenes)
    types = list(map(_type_of, els))
    omitted = {k for k, scene in enumerate(scenes) if scene.omitted}
    if omitted or not UNPRINTED.isdisjoint(types):  # (one C loop of set lookups)
        # Unprinted elements take no room; nor does an omitted scene (only its heading is kept, as a
        # marker of where it sits).
        keep = [k for k, t in enumerate(types)
                if t not in _UNPRINTED and (sidx[k] not in omitted or t == _HEADING)]
        els, sidx = [els[k] for k in keep], [sidx[k] for k in keep]
    n = len(els)
    while n and els[n - 1].type != _PAGE_BREAK and not els[n - 1].text.strip():
        n -= 1  # empty trailing paragraphs (Final Draft ends files with one) print nothing
    paren_w = layout.style(_PAREN).width
    dialogue_w = layout.style(_DIALOGUE).width
    dual_w = layout.dual_width
    dual_paren_w = min(paren_w, dual_w)
    cue_sb = layout.style(_CHARACTER).space_before
    styles: dict[str, Style] = {}
    speech = _SPEECH
    i = 0
    while i < n:
        el, scene = els[i], sidx[i]
        kind = el.type
        if kind == _PAGE_BREAK:
            add((_PAGE_BREAK, 0, 0, scene, None))
            i += 1
            continue
        if kind == _CHARACTER:
            speeches: list[list[int]] = []
            dual_pair = False
            while True:
                dual = el.dual
                pw, dw = (dual_paren_w, dual_w) if dual else (paren_w, dialogue_w)
                runs: list[int] = []
                height = 1  # the cue
                j = i + 1
                while j < n and (e := els[j]).type in speech:
                    # _text_of and wrap_count's one-line case, inline (this runs per dialogue paragraph)
                    text = e.text
                    if "[[" in text or "*" in text or "_" in text or "\\" in text:
                        text = plain(text)
                    if "\t" in text:
                        text = text.expandtabs(4)
                    if e.type == _PAREN:
                        c = 1 if len(text) <= pw and "\n" not in text else wrap_count(text, pw)
                        runs.append(-c)
                    else:
                        c = 1 if len(text) <= dw and "\n" not in text else wrap_count(text, dw)
                        runs.append(c)
                    height += c
                    j += 1
                speeches.append([height, runs])
                i = j
                # A dual pair: this speech is the first half and the next cue carries the caret.
                if dual and not dual_pair and i < n and (nxt := els[i]).type == _CHARACTER and nxt.dual:
                    dual_pair = True
                    el = nxt
                    continue
                break
            if len(speeches) == 2:
                add((_CHARACTER, max(speeches[0][0], speeches[1][0]), cue_sb, scene, None))
            else:
                add((_CHARACTER, speeches[0][0], cue_sb, scene, speeches[0][1]))
            continue
        if omitted and kind == _HEADING and scene in omitted:
            add((_OMITTED, 0, 0, scene, None))
            i += 1
            continue
        style = styles.get(kind)
        if style is None:
            style = styles[kind] = layout.style(kind)
        sb = 0 if kind == _HEADING and not blocks else style.space_before
        text = el.text
        if "[[" in text or "*" in text or "_" in text or "\\" in text:
            text = plain(text)
        if "\t" in text:
            text = text.expandtabs(4)
        w = style.width
        add((kind, 1 if len(text) <= w and "\n" not in text else wrap_count(text, w), sb, scene, None))
        i += 1
    return blocks


def paginate(script: Script, layout: Layout | None = None, scenes: list[Scene] | None = None) -> Pagination:
    """Paginate the script; fill page_start/page_end/eighths on each scene and return them."""
    return _paginate(script, layout, scenes)


def _paginate(script: Script, layout: Layout | None, scenes: list[Scene] | None) -> Pagination:
    layout = layout or layout_for(script)
    if scenes is None:
        scenes = extract_scenes(script)
    blocks = _blocks(script, layout, scenes)
    lpp_f = layout.lines_per_page
    lpp = int(lpp_f)  # whole lines that fit on a page
    extents: list[dict[int, list[int]]] = [{} for _ in scenes]

    page, y = 1, 0

    def place(scene: int, y0: int, y1: int) -> None:
        if scene < 0 or y1 <= y0:
            return
        ext = extents[scene].get(page)
        if ext is None:
            extents[scene][page] = [y0, y1]
        else:
            ext[0] = min(ext[0], y0)
            ext[1] = max(ext[1], y1)

    omitted_at: dict[int, int] = {}  # omitted scene -> the page where it sits
    nb = len(blocks)
    for bi in range(nb):
        kind, blines, bsb, scene, runs = blocks[bi]
        if kind == _PAGE_BREAK:
            if y > 0:
                page, y = page + 1, 0
            continue
        if kind is _OMITTED:
            omitted_at[scene] = page
            continue
        sb = bsb if y > 0 else 0
        need = sb + blines
        if kind in (_HEADING, _SHOT) and bi + 1 < nb:
            nxt = blocks[bi + 1]
            if nxt[0] != _PAGE_BREAK:
                need += nxt[2] + min(nxt[1], 2 if nxt[0] == _CHARACTER else 1)
        if y + need <= lpp:
            # place(scene, y, y1), inline: the common case, once per block
            y1 = y + sb + blines
            if scene >= 0 and y1 > y:
                ext = extents[scene].get(page)
                if ext is None:
                    extents[scene][page] = [y, y1]
                else:
                    if y < ext[0]:
                        ext[0] = y
                    if y1 > ext[1]:
                        ext[1] = y1
            y = y1
            continue
        room = lpp - y - sb
        if kind == _ACTION and blines >= 4 and room >= 2 and blines - room >= 2:
            place(scene, y, lpp)
            rest = blines - room
            page, y = page + 1, 0
            while rest > lpp:
                place(scene, 0, lpp)
                rest -= lpp
                page += 1
            place(scene, 0, rest)
            y = rest
            continue
        if runs is not None and kind == _CHARACTER and room >= 3:
            parts = _speech_parts(runs)
            k = room - 1  # lines of the speech on this page; one more for (MORE)
            while k >= 2 and parts[k - 1] != "dlg":
                k -= 1  # do not end a page on the cue or a parenthetical
            if k >= 2 and len(parts) - k >= 1:
                place(scene, y, lpp)
                rest = 1 + len(parts) - k  # the cue again, with (CONT'D)
                page, y = page + 1, 0
                while rest > lpp:
                    place(scene, 0, lpp)
                    rest -= lpp - 1
                    page += 1
                place(scene, 0, rest)
                y = rest
                continue
        # Does not fit: start a new page (the space above is dropped there).
        if y > 0:
            page, y = page + 1, 0
        h = blines
        while h > lpp:
            place(scene, 0, lpp)
            h -= lpp
            page += 1
        place(scene, 0, h)
        y = h

    per_eighth = Fraction(lpp_f) / 8
    num, den = per_eighth.numerator, per_eighth.denominator  # ceil(lines / (num/den)) in integers
    for idx, scene in enumerate(scenes):
        ext = extents[idx]
        if scene.omitted:  # no room, no eighths; the page where it sits
            scene.page_start = scene.page_end = omitted_at.get(idx, page if y > 0 else max(1, page - 1))
            scene.eighths = 0
            continue
        if not ext:
            scene.page_start = scene.page_end = page if y > 0 else max(1, page - 1)
            scene.eighths = 1
            continue
        lines = sum(b - a for a, b in ext.values())
        scene.page_start, scene.page_end = min(ext), max(ext)
        scene.eighths = max(1, -(-lines * den // num))
    pages = page if y > 0 or page == 1 else page - 1
    total = sum(sum(b - a for a, b in ext.values()) for ext in extents)
    pdf = (script.layout or {}).get("pdf") if script.format == "pdf" else None
    if pdf:
        # A PDF is already paginated: its printed pages and line positions are the truth.
        per_eighth = Fraction(pdf["lines_per_page"]) / 8
        total = 0
        for scene in scenes:
            head = scene.elements[0].attrs if scene.elements else {}
            if "pdf_lines" not in head:
                continue
            lines = int(head["pdf_lines"])
            total += lines
            scene.page_start, scene.page_end = int(head["pdf_page_start"]), int(head["pdf_page_end"])
            scene.eighths = max(1, int(-(-Fraction(lines) // per_eighth)))
        pages = pdf["pages"]
    return Pagination(layout=layout, pages=pages, scenes=scenes, total_lines=total)
