"""PDF screenplay reader (pdfplumber text extraction; no OCR).

A printed screenplay carries its structure in where each line starts on the page, so the element
type of each printed line comes from its left indent measured in characters from the action margin
(Courier: 10 characters per inch):

* at the margin: action, or a scene heading (INT./EXT./EST./I/E prefix, a scene number in the
  margin, or a lone all-caps line such as ``SNIPER SCOPE POV``);
* about 1 inch in: dialogue (``(`` starts a parenthetical, about 1.5 inches in);
* about 2 inches in, upper case: a character cue; a line whose middle is the middle of the text
  column: centered text; far right, upper case: a transition;
* two runs of text side by side below a two-name cue line: dual dialogue.

Page numbers (a lone number at the top or foot of the page, right half) and scene numbers (short
tokens left or right of a heading, outside the text column) come from the margins; ``(MORE)``,
``(CONT'D)`` continuation cues and ``CONTINUED:`` lines are folded back into one speech. Each
heading records the printed page it starts and ends on and the lines its scene takes on the
printed pages (``attrs``), which pagination uses instead of re-laying the script out.

Element line ranges are printed-line ordinals over the whole document (1-based).
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from .model import Element, ElementType, Script, ScriptFormatError

ET = ElementType

MAX_PAGES = 400  # a feature is ~120 pages; anything far beyond is not a screenplay
_HEADING_RE = re.compile(r"^(?:int\.?/ext|int/ext|ext/int|i\.?/e|int|ext|est)[. ]", re.I)
_SCENE_NO_RE = re.compile(r"^[A-Z]?\d+[A-Z]?(?:[-.]?[A-Z0-9]+)*\.?$", re.I)
_PAGE_NO_RE = re.compile(r"^\d+[A-Z]*\.?$")
_CONTINUED_RE = re.compile(r"^\(?CONTINUED[:)]?(?:\s*\(\d+\))?$|^\(MORE\)$", re.I)
_CONTD_RE = re.compile(r"\s*\((?:CONT'D|CONT’D|CONTINUED|CONT)\)\s*$", re.I)
_UNMAPPED_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_TRANSITION_END_RE = re.compile(r"(?:TO:|IN:|OUT\.|BLACK\.|:)$")


@dataclass(slots=True)
class _Run:
    text: str
    x0: float
    x1: float


@dataclass(slots=True)
class _Line:
    page: int  # physical page index (0-based)
    top: float
    runs: list[_Run]
    ordinal: int = 0
    gap_before: bool = False  # a blank line (or more) above it on the same page
    kind: str = ""
    scene_numbers: list[str] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.runs[0].x0

    @property
    def x1(self) -> float:
        return self.runs[-1].x1

    @property
    def text(self) -> str:
        return " ".join(r.text for r in self.runs)


def _open(data: bytes):
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - pdfplumber is a project dependency
        raise ScriptFormatError("PDF import needs pdfplumber, which is not installed") from None
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise ScriptFormatError(f"the PDF could not be opened ({type(exc).__name__}): the file is damaged or not a PDF") from None


def check_pdf(data: bytes) -> int:
    """The quick checks of parse_pdf without reading every page (for refusing a bad upload before a
    background import): it opens, has 1 to MAX_PAGES pages and text on one of its first pages.
    Return the page count; raise ScriptFormatError otherwise."""
    pdf = _open(data)
    try:
        count = len(pdf.pages)
        if not count:
            raise ScriptFormatError("the PDF has no pages")
        if count > MAX_PAGES:
            raise ScriptFormatError(f"the PDF has {count} pages; a screenplay has at most {MAX_PAGES}")
        try:
            has_text = any(_page_chars(page) for page in pdf.pages[:3])
        except Exception as exc:
            raise ScriptFormatError(f"the PDF could not be read ({type(exc).__name__}): the file is damaged") from None
        if not has_text:
            raise ScriptFormatError(_NO_TEXT)
    finally:
        pdf.close()
    return count


_NO_TEXT = "the PDF has no text layer (a scan?): export the script as PDF, Fountain or FDX from the writing program"


def _layout_chars(objects, out: list[dict], height: float, mb_x0: float, mb_top: float, doctop: float) -> None:
    for obj in objects:
        kind = type(obj).__name__
        if kind == "LTChar":
            top = (height - obj.y1) + mb_top
            out.append({"text": obj.get_text(), "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0, "top": top,
                        "bottom": (height - obj.y0) + mb_top, "doctop": doctop + top, "upright": obj.upright})
        elif kind == "LTFigure":  # a form XObject: its characters are inside
            _layout_chars(obj, out, height, mb_x0, mb_top, doctop)


def _page_chars(page) -> list[dict]:
    """The page's characters with just the keys word grouping needs, read from the page's layout
    objects. The same values as pdfplumber's `page.chars` (same coordinate arithmetic), without
    resolving every attribute of every character into a dict, which is most of its cost."""
    if page.pdf.unicode_norm is not None:  # pragma: no cover - we never open with unicode_norm
        return page.chars
    chars: list[dict] = []
    mb_x0, mb_top = page.mediabox[:2]
    _layout_chars(page.layout, chars, page.height, mb_x0, mb_top, page.initial_doctop)
    return chars


def _page_lines(page, index: int, char_w: list[float], unmapped: list[int] | None = None) -> list[_Line]:
    from pdfplumber.utils import extract_words

    words = extract_words(_page_chars(page), keep_blank_chars=False, use_text_flow=False, x_tolerance=2,
                          y_tolerance=2)
    if any(_UNMAPPED_RE.search(w["text"]) for w in words):
        # Glyphs of a font without a Unicode mapping come out as control characters: leave them out.
        kept = []
        for w in words:
            text = _UNMAPPED_RE.sub("", w["text"])
            if text:
                kept.append({**w, "text": text})
            elif unmapped is not None:
                unmapped.append(len(w["text"]))
        words = kept
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 2.5:
            rows[-1].append(w)
        else:
            rows.append([w])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        for w in row:
            if len(w["text"]) >= 3 and w["x1"] > w["x0"]:
                char_w.append((w["x1"] - w["x0"]) / len(w["text"]))
        lines.append((row[0]["top"], row))
    out = []
    for top, row in lines:
        out.append(_Line(index, top, [_Run(w["text"], w["x0"], w["x1"]) for w in row]))
    return out


def _split_runs(line: _Line, cw: float) -> None:
    """Words closer than 3.5 characters belong to one run (two spaces after a full stop stay in)."""
    runs: list[_Run] = []
    for r in line.runs:
        if runs and r.x0 - runs[-1].x1 <= 3.5 * cw:
            gap = max(1, round((r.x0 - runs[-1].x1) / cw))
            runs[-1] = _Run(runs[-1].text + " " * gap + r.text, runs[-1].x0, r.x1)
        else:
            runs.append(_Run(r.text, r.x0, r.x1))
    line.runs = runs


def parse_pdf(data: bytes) -> Script:
    pdf = _open(data)
    try:
        if len(pdf.pages) > MAX_PAGES:
            raise ScriptFormatError(f"the PDF has {len(pdf.pages)} pages; a screenplay has at most {MAX_PAGES}")
        if not pdf.pages:
            raise ScriptFormatError("the PDF has no pages")
        char_w: list[float] = []
        pages: list[list[_Line]] = []
        width = float(pdf.pages[0].width)
        height = float(pdf.pages[0].height)
        unmapped: list[int] = []
        try:
            for i, page in enumerate(pdf.pages):
                pages.append(_page_lines(page, i, char_w, unmapped))
                page.close()  # frees the page's layout objects
        except ScriptFormatError:
            raise
        except Exception as exc:
            raise ScriptFormatError(f"the PDF could not be read ({type(exc).__name__}): the file is damaged") from None
    finally:
        pdf.close()
    if not any(pages) or not char_w:
        raise ScriptFormatError(_NO_TEXT)
    script = _build(pages, width, height, median(char_w))
    if unmapped:
        script.warnings.append(f"{sum(unmapped)} characters in the PDF have no text in their font (no Unicode mapping)"
                               " and were left out")
    return script


def _build(pages: list[list[_Line]], width: float, height: float, cw: float) -> Script:
    script = Script(format="pdf")
    for plines in pages:
        for line in plines:
            _split_runs(line, cw)
    all_lines = [line for plines in pages for line in plines]
    # Line spacing: the most common distance between consecutive lines on a page.
    steps = Counter(round(b.top - a.top, 1) for plines in pages for a, b in itertools.pairwise(plines) if b.top > a.top)
    lh = min((s for s, c in steps.most_common(3) if s >= cw), default=12.0) if steps else 12.0
    if lh < cw or lh > 3 * cw:
        lh = 12.0
    # The action margin: the leftmost indent used by a fair share of lines (scene numbers excluded).
    starts = Counter(round(line.x0) for line in all_lines if not _SCENE_NO_RE.match(line.runs[0].text) or len(line.runs) == 1)
    need = max(2, int(0.05 * len(all_lines)))
    frequent = [x for x, c in starts.items() if c >= need]
    margin = float(min(frequent) if frequent else min(starts, default=72))
    at_margin = [line for line in all_lines if abs(line.x0 - margin) < cw / 2]
    right = max((line.x1 for line in at_margin), default=margin + 60 * cw)
    right = max(right, margin + 50 * cw)
    center = (margin + right) / 2

    def indent(x: float) -> float:
        return (x - margin) / cw

    # Page numbers, continuation lines and margin scene numbers.
    page_labels: list[str | None] = []
    for plines in pages:
        label = None
        for pos in (0, -1):
            if not plines:
                break
            line = plines[pos]
            if len(line.runs) == 1 and _PAGE_NO_RE.match(line.runs[0].text) and line.x0 > center:
                label = line.runs[0].text.rstrip(".")
                plines.remove(line)
        page_labels.append(label)
        keep = []
        for line in plines:
            if line.text.strip() and _CONTINUED_RE.match(line.text.strip()) and line.text.strip().upper() != "(MORE)":
                continue
            keep.append(line)
        plines[:] = keep
        for line in plines:
            if len(line.runs) >= 2 and line.runs[0].x1 < margin - cw / 2 and _SCENE_NO_RE.match(line.runs[0].text):
                line.scene_numbers.append(line.runs.pop(0).text.rstrip("."))
            far_right = len(line.runs) >= 2 and (indent(line.runs[-1].x0) > 50 or line.runs[-1].x0 > right + cw / 2)
            if far_right and _SCENE_NO_RE.match(line.runs[-1].text):
                line.scene_numbers.append(line.runs.pop().text.rstrip("."))

    # Cue indent: the most common indent of upper-case lines 15-32 characters in.
    cue_starts = Counter(
        round(indent(line.x0)) for line in all_lines if line.runs and 15 <= indent(line.x0) < 32 and line.text.upper() == line.text and len(line.runs) == 1
    )
    cue_in = cue_starts.most_common(1)[0][0] if cue_starts else 20
    dlg_starts = Counter(round(indent(line.x0)) for line in all_lines if line.runs and 6 <= indent(line.x0) < cue_in - 2 and len(line.runs) == 1)
    dlg_in = dlg_starts.most_common(1)[0][0] if dlg_starts else 10

    # Title page: a first page with no heading whose lines are mostly centered on the sheet.
    title_page = False
    if len(pages) > 1 and pages[0]:
        first = pages[0]
        centered = sum(1 for line in first if abs((line.x0 + line.x1) / 2 - width / 2) < 3 * cw)
        has_heading = any(_HEADING_RE.match(line.text) or line.scene_numbers for line in first)
        low = sum(1 for line in first if line.top > height / 2)
        title_page = not has_heading and page_labels[0] is None and centered >= 1 and centered + low >= len(first) and len(first) < 40
    if title_page:
        _title_page(script, pages[0], width, cw, lh)
        pages[0] = []

    ordinal = 0
    for plines in pages:
        prev_top = None
        for line in plines:
            ordinal += 1
            line.ordinal = ordinal
            line.gap_before = prev_top is None or line.top - prev_top > 1.5 * lh
            prev_top = line.top

    # Classify each line.
    for plines in pages:
        for line in plines:
            line.kind = _classify(line, indent, cue_in, dlg_in, center, cw, right)
    _forced_headings(pages)

    # Assemble elements.
    elements: list[Element] = []
    positions: list[tuple[int, float, float]] = []  # per element: page, top of first line, top of last line
    speech: Element | None = None  # the open cue, for (MORE)/(CONT'D)
    more = resume = False
    for plines in pages:
        i = 0
        while i < len(plines):
            line = plines[i]
            kind = line.kind
            if line.text.strip().upper() == "(MORE)":
                more = speech is not None
                i += 1
                continue
            if kind == "dual":
                j = i
                while j + 1 < len(plines) and not plines[j + 1].gap_before and plines[j + 1].kind in ("dual", "dialogue", "parenthetical", "character"):
                    j += 1
                _dual(plines[i : j + 1], center, elements, positions)
                speech, more = None, False
                i = j + 1
                continue
            if kind == "centered" and speech is not None and not line.gap_before:
                kind = "dialogue"  # a dialogue line that happens to sit in the middle of the column
            if kind == "character" and elements and elements[-1].type == ET.CHARACTER and not line.gap_before and not elements[-1].dual:
                prev = elements[-1]  # an over-long cue wrapped onto a second line
                prev.text = f"{prev.text} {line.text.strip()}"
                prev.name, prev.extensions = _split_cue(prev.text)
                prev.line_end = line.ordinal
                i += 1
                continue
            if kind == "character":
                name, exts = _split_cue(line.text.strip())
                page_top = i == 0 and elements and elements[-1].type in (ET.DIALOGUE, ET.PARENTHETICAL)
                if speech is not None and name == speech.name and (more or (page_top and _CONTD_RE.search(line.text))):
                    more, resume = False, True  # the cue repeated with (CONT'D) after a page break
                    i += 1
                    continue
                el = Element(ET.CHARACTER, line.text.strip(), line.ordinal, line.ordinal, name=name, extensions=exts)
                elements.append(el)
                positions.append((line.page, line.top, line.top))
                speech, more = el, False
                i += 1
                continue
            if kind in ("dialogue", "parenthetical") and speech is None:
                kind = "action"
            if line.gap_before and kind not in ("dialogue", "parenthetical"):
                speech = None
            etype = {
                "heading": ET.SCENE_HEADING,
                "action": ET.ACTION,
                "dialogue": ET.DIALOGUE,
                "parenthetical": ET.PARENTHETICAL,
                "transition": ET.TRANSITION,
                "centered": ET.CENTERED,
                "shot": ET.SHOT,
            }[kind]
            text = line.text.strip() if etype != ET.ACTION else line.text
            joinable = elements and elements[-1].type == etype and etype not in (ET.TRANSITION, ET.CENTERED)
            if joinable and etype == ET.PARENTHETICAL:
                joinable = not elements[-1].text.rstrip().endswith(")")
            same_para = not line.gap_before or (resume and etype == ET.DIALOGUE)
            resume = False
            if joinable and same_para and not line.scene_numbers:
                prev = elements[-1]
                prev.text = f"{prev.text} {text.strip()}"
                prev.line_end = line.ordinal
                page, top, _ = positions[-1]
                positions[-1] = (page, top, line.top) if page == line.page else (page, top, positions[-1][2])
                if page != line.page:
                    prev.attrs["last_page"] = str(line.page)
                    prev.attrs["last_top"] = f"{line.top:.1f}"
            else:
                el = Element(etype, text, line.ordinal, line.ordinal)
                if etype == ET.SCENE_HEADING and line.scene_numbers:
                    el.scene_number = line.scene_numbers[0]
                if etype == ET.SCENE_HEADING and not _HEADING_RE.match(text):
                    el.forced = True
                if etype == ET.TRANSITION and not _TRANSITION_END_RE.search(text):
                    el.forced = True
                elements.append(el)
                positions.append((line.page, line.top, line.top))
            if etype not in (ET.DIALOGUE, ET.PARENTHETICAL):
                speech = None
            more = False
            i += 1
    script.elements = elements
    _measure(script, elements, positions, pages, page_labels, title_page, height, width, lh)
    if not any(e.type == ET.SCENE_HEADING for e in elements):
        script.warnings.append("no scene headings were recognised in the PDF")
    return script


def _classify(line: _Line, indent, cue_in: int, dlg_in: int, center: float, cw: float, right: float) -> str:
    text = line.text.strip()
    ind = indent(line.x0)
    upper = text.upper() == text and any(c.isalpha() for c in text)
    if len(line.runs) >= 2 and indent(line.runs[1].x0) - indent(line.runs[0].x1) > 3.5 and ind > 3:
        return "dual"
    if line.scene_numbers and ind < 2:
        return "heading"
    if ind < 6:
        if ind < 1 and upper and _HEADING_RE.match(text):
            return "heading"
        return "action"
    mid = (line.x0 + line.x1) / 2
    if upper and ind > cue_in + 8 and abs(line.x1 - right) < 3 * cw:
        return "transition"
    if abs(mid - center) <= 1.5 * cw and abs(ind - cue_in) > 1.5 and abs(ind - dlg_in) > 1.5:
        return "centered"
    if ind >= cue_in - 2.5:
        if upper and ind < cue_in + 8:
            return "character"
        if upper:
            return "transition"
        return "centered" if abs(mid - center) <= 3 * cw else "action"
    if text.startswith("("):
        return "parenthetical"
    return "dialogue"


def _forced_headings(pages: list[list[_Line]]) -> None:
    """A lone all-caps line at the margin, with blank lines around it: a forced heading or a shot."""
    for plines in pages:
        for i, line in enumerate(plines):
            if line.kind != "action" or not line.gap_before:
                continue
            text = line.text.strip()
            nxt = plines[i + 1] if i + 1 < len(plines) else None
            if nxt is not None and not nxt.gap_before:
                continue
            if text != line.text or text.upper() != text or not any(c.isalpha() for c in text):
                continue
            if text[-1] in ":.!?,)\"'-" or len(text.split()) < 2 or len(text) > 40:
                continue
            # After a transition it opens a new scene (``CUT TO:`` / ``OPENING TITLES``); elsewhere
            # it is a shot inside the scene (``ON WILL AND SANDRA``), as it usually is in a feature.
            line.kind = "heading" if i > 0 and plines[i - 1].kind == "transition" else "shot"
    # Heading continuation lines (an over-long heading wraps onto all-caps lines at the margin).
    for plines in pages:
        for prev, line in itertools.pairwise(plines):
            if prev.kind == "heading" and line.kind == "action" and not line.gap_before and line.text.upper() == line.text:
                line.kind = "heading"


def _split_cue(text: str) -> tuple[str, tuple[str, ...]]:
    idx = text.find("(")
    if idx <= 0:
        return text, ()
    exts = tuple(p.strip(" )") for p in text[idx:].split("(") if p.strip(" )"))
    return text[:idx].strip(), exts


def _dual(lines: list[_Line], center: float, elements: list[Element], positions: list) -> None:
    cols: list[list[tuple[_Line, str]]] = [[], []]
    for line in lines:
        for run in line.runs:
            cols[0 if run.x0 < center - 2 else 1].append((line, run.text))
    for col in cols:
        speech_started = False
        for line, text in col:
            t = text.strip()
            if not speech_started:
                name, exts = _split_cue(t)
                elements.append(Element(ET.CHARACTER, t, line.ordinal, line.ordinal, dual=True, name=name, extensions=exts))
                speech_started = True
            elif t.startswith("(") or (elements[-1].type == ET.PARENTHETICAL and not elements[-1].text.endswith(")")):
                if elements[-1].type == ET.PARENTHETICAL and not elements[-1].text.endswith(")"):
                    elements[-1].text += " " + t
                    elements[-1].line_end = line.ordinal
                    continue
                elements.append(Element(ET.PARENTHETICAL, t, line.ordinal, line.ordinal, dual=True))
            elif elements[-1].type == ET.DIALOGUE:
                elements[-1].text += " " + t
                elements[-1].line_end = line.ordinal
                continue
            else:
                elements.append(Element(ET.DIALOGUE, t, line.ordinal, line.ordinal, dual=True))
            positions.append((line.page, line.top, line.top))
    # Positions must stay aligned with elements: pad for any element without one.
    while len(positions) < len(elements):
        positions.append(positions[-1])


def _title_page(script: Script, lines: list[_Line], width: float, cw: float, lh: float) -> None:
    paras: list[list[_Line]] = []
    prev = None
    for line in lines:
        if prev is None or line.top - prev.top > 1.5 * lh or abs(line.x0 - prev.x0) > 20 * cw:
            paras.append([line])
        else:
            paras[-1].append(line)
        prev = line
    centered = [p for p in paras if all(abs((ln.x0 + ln.x1) / 2 - width / 2) < 3 * cw for ln in p)]
    other = [p for p in paras if p not in centered]
    lines_c = [" ".join(ln.text.split()) for p in centered for ln in p]
    credit = next((k for k, t in enumerate(lines_c) if re.search(r"\bby$", t, re.I)), None)
    title_lines = lines_c[:credit] if credit is not None else lines_c[:1]
    if title_lines:
        script.title_page["title"] = "\n".join(title_lines)
    if credit is not None:
        script.title_page["credit"] = lines_c[credit]
        if credit + 1 < len(lines_c):
            script.title_page["author"] = lines_c[credit + 1]
        rest = lines_c[credit + 2 :]
    else:
        rest = lines_c[1:]
    if rest:
        script.title_page["source"] = "\n".join(rest)
    if other:
        script.title_page["contact"] = "\n".join("\n".join(ln.text.strip() for ln in p) for p in other)


def _measure(script, elements, positions, pages, page_labels, title_page, height, width, lh) -> None:
    """Printed page of each scene and the lines it takes on each page (for eighths)."""
    body_pages = [i for i, p in enumerate(pages) if p]
    first_body = 1 if title_page else 0
    numbers: dict[int, int] = {}
    expected = 1
    for i in range(first_body, len(pages)):
        label = page_labels[i]
        if label and label.isdigit():
            expected = int(label)
        numbers[i] = expected
        expected += 1
    tops = {i: (min(ln.top for ln in pages[i]), max(ln.top for ln in pages[i])) for i in body_pages}
    observed = max((round((b - a) / lh) + 1 for a, b in tops.values()), default=0)
    lpp = max(observed, round((height - 144) / lh))
    script.layout = {
        "styles": {},
        "page_height_in": round(height / 72, 2),
        "page_width_in": round(width / 72, 2),
        "pdf": {"pages": len(pages) - first_body, "lines_per_page": lpp, "line_height_pt": lh},
    }
    if title_page and script.title_page:
        script.title_page_lines = (0, 0)
    # Each heading's scene runs to the element before the next heading.
    heads = [k for k, e in enumerate(elements) if e.type == ET.SCENE_HEADING]
    page_top = {i: tops[i][0] for i in tops}
    for n, k in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(elements)
        extents: dict[int, list[float]] = {}
        for m in range(k, end):
            page, top, last = positions[m]
            ext = extents.setdefault(page, [top, last])
            ext[0], ext[1] = min(ext[0], top), max(ext[1], last)
            lp = elements[m].attrs.pop("last_page", None)
            lt = elements[m].attrs.pop("last_top", None)
            if lp is not None and lt is not None:
                p2 = int(lp)
                e2 = extents.setdefault(p2, [page_top.get(p2, float(lt)), float(lt)])
                e2[0], e2[1] = min(e2[0], page_top.get(p2, float(lt))), max(e2[1], float(lt))
        # Continuation pages start at the page's first line.
        for page in extents:
            if page != positions[k][0]:
                extents[page][0] = page_top.get(page, extents[page][0])
        # The space above the heading belongs to the scene unless the heading opens the page.
        lines = 0
        for page, (a, b) in extents.items():
            lines += round((b - a) / lh) + 1
            if page == positions[k][0] and a > page_top.get(page, a) + 0.5:
                lines += 1
        head = elements[k]
        head.attrs["pdf_page_start"] = str(numbers.get(min(extents), 1))
        head.attrs["pdf_page_end"] = str(numbers.get(max(extents), 1))
        head.attrs["pdf_lines"] = str(lines)
        head.stated_page = page_labels[positions[k][0]] or head.attrs["pdf_page_start"]
