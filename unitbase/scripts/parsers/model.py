"""The element model shared by every screenplay reader (Fountain, FDX, PDF).

Pure Python: no Django here (import-linter enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ScriptFormatError(ValueError):
    """The input is not a screenplay we can read; the message names the problem in one line."""


class ElementType(StrEnum):
    SCENE_HEADING = "scene_heading"
    ACTION = "action"
    CHARACTER = "character"
    DIALOGUE = "dialogue"
    PARENTHETICAL = "parenthetical"
    TRANSITION = "transition"
    LYRICS = "lyrics"
    CENTERED = "centered"
    PAGE_BREAK = "page_break"
    SECTION = "section"
    SYNOPSIS = "synopsis"
    NOTE = "note"
    BONEYARD = "boneyard"
    SHOT = "shot"  # FDX only




# Elements that never print (and so take no room on the page).
UNPRINTED = frozenset({ElementType.SECTION, ElementType.SYNOPSIS, ElementType.NOTE, ElementType.BONEYARD})


@dataclass(slots=True)
class Element:
    """One paragraph of a screenplay.

    `text` keeps emphasis markers and inline `[[notes]]` as written (see `strip_emphasis` and
    `strip_notes`); forcing characters (`!`, `@`, `.`, `>`, `~`) and scene numbers are removed.
    `line_start`/`line_end` are 1-based inclusive source lines (FDX: paragraph ordinals).
    """

    type: ElementType
    text: str
    line_start: int
    line_end: int
    scene_number: str | None = None
    dual: bool = False
    name: str | None = None  # character cue without extensions
    extensions: tuple[str, ...] = ()  # ("V.O.", "CONT'D")
    forced: bool = False
    depth: int = 0  # section depth (number of #)
    stated_eighths: int | None = None  # FDX SceneProperties Length, in eighths
    stated_page: str | None = None  # FDX SceneProperties Page
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def extension(self) -> str | None:
        return " ".join(f"({e})" for e in self.extensions) or None


@dataclass(slots=True)
class Script:
    title_page: dict[str, str] = field(default_factory=dict)
    elements: list[Element] = field(default_factory=list)
    format: str = "fountain"
    title_page_lines: tuple[int, int] | None = None
    warnings: list[str] = field(default_factory=list)
    # Layout settings read from the file (FDX ElementSettings/PageLayout), used by pagination.
    layout: dict | None = None

    @property
    def title(self) -> str:
        from .text import strip_emphasis

        raw = self.title_page.get("title", "")
        return " ".join(strip_emphasis(line).strip() for line in raw.splitlines() if line.strip())

    def of_type(self, kind: ElementType) -> list[Element]:
        return [e for e in self.elements if e.type == kind]
