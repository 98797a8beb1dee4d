"""Scene extraction: heading anatomy (INT/EXT, set, time of day) and characters per scene."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Element, ElementType, Script
from .text import normalise_quotes, plain

ET = ElementType

TIMES_OF_DAY = frozenset(
    {
        "DAY", "NIGHT", "DAWN", "DUSK", "MORNING", "EVENING", "AFTERNOON", "NOON", "MIDNIGHT",
        "SUNRISE", "SUNSET", "TWILIGHT", "MAGIC HOUR", "LATE AFTERNOON", "EARLY MORNING",
        "LATE NIGHT", "EARLY EVENING", "LATE MORNING", "MID-DAY", "MIDDAY", "NIGHTFALL", "DAYBREAK",
        "FIRST LIGHT", "PRE-DAWN",
        # Relative times: they inherit the previous scene's time of day.
        "CONTINUOUS", "LATER", "MOMENTS LATER", "A MOMENT LATER", "MOMENT LATER", "SECONDS LATER",
        "MINUTES LATER", "HOURS LATER", "A FEW MOMENTS LATER", "SAME", "SAME TIME", "SIMULTANEOUS",
        "THE SAME", "SAME DAY", "SAME NIGHT", "CONT", "CONT'D", "CONTINUING",
    }
)
RELATIVE_TIMES = frozenset(
    {
        "CONTINUOUS", "LATER", "MOMENTS LATER", "A MOMENT LATER", "MOMENT LATER", "SECONDS LATER",
        "MINUTES LATER", "HOURS LATER", "A FEW MOMENTS LATER", "SAME", "SAME TIME", "SIMULTANEOUS",
        "THE SAME", "CONT", "CONT'D", "CONTINUING",
    }
)

_PREFIX_RE = re.compile(
    r"^(?P<p>int\.?\s*/\s*ext|ext\.?\s*/\s*int|i\.?\s*/\s*e|int|ext|est)(?:\.|\b)\s*(?:[-\u2013\u2014]+\s*)?",
    re.I,
)
_QUALIFIER_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
_SEPARATOR_RE = re.compile(r"\s*(?:--+|[\u2013\u2014]|\s-\s|,)\s*|\s+-$|^-\s+")
_RELATIVE_TOD_RE = re.compile(
    r"^(?:(?:A |THE )?(?:[\w']+ ){0,2}LATER(?: THAT [\w ]+)?|(?:THE )?NEXT [\w ]+|CONTINUED|SAME [\w ]+)$"
)
_DASHES_RE = re.compile(r"\s*[-\u2013\u2014]+\s*")
_SPACES_RE = re.compile(r"\s+")


@dataclass(slots=True)
class HeadingParts:
    int_ext: str  # "INT", "EXT", "INT/EXT" or "" when unknown (forced headings)
    set_name: str
    time_of_day: str | None
    qualifiers: tuple[str, ...] = ()


@dataclass(slots=True)
class Scene:
    index: int  # 1-based position in the script
    number: str  # the stated scene number, else the position
    heading: str
    int_ext: str
    set_name: str
    time_of_day: str | None
    time_of_day_effective: str | None
    qualifiers: tuple[str, ...]
    heading_element: Element
    elements: list[Element] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)  # speaking, in order of first line
    lines_by_character: dict[str, int] = field(default_factory=dict)
    stated_eighths: int | None = None
    # An omitted scene (FDX OmittedScene, or a heading that reads OMITTED): it keeps its number but has
    # no set, no time of day, takes no room on the page and counts 0 eighths.
    omitted: bool = False
    # Filled in by pagination:
    page_start: int | None = None
    page_end: int | None = None
    eighths: int | None = None

    @property
    def set_key(self) -> str:
        return set_key(self.set_name)


def set_key(name: str) -> str:
    """Comparison key for set names: "HOUSE - KITCHEN" == "house-kitchen" == "HOUSE \u2013 KITCHEN" (en dash)."""
    name = _SPACES_RE.sub(" ", normalise_quotes(name).upper()).strip()
    return _DASHES_RE.sub("-", name)


def character_key(name: str) -> str:
    return _SPACES_RE.sub(" ", normalise_quotes(name).upper()).strip()


def parse_heading(text: str) -> HeadingParts:
    # Runs of white space to one space, stripped: str.split() and the regex \s share Python's Unicode
    # white space (no-break space included), so this equals _SPACES_RE.sub(" ", ...).strip().
    t = " ".join(plain(text).split())
    qualifiers: list[str] = []
    # (t has no trailing white space, so _QUALIFIER_RE can only match when it ends with a bracket)
    while t and t[-1] in ")]" and (m := _QUALIFIER_RE.search(t)) and m.start() > 0:
        qualifiers.insert(0, m[1].strip())
        t = t[: m.start()].rstrip()
    m = _PREFIX_RE.match(t)
    int_ext = ""
    if m:
        p = m["p"].lower().replace(".", "").replace(" ", "")
        int_ext = "INT/EXT" if "/" in p else ("INT" if p.startswith("int") else "EXT")
        t = t[m.end() :]
    parts = [p for p in _separate(t) if p and p.strip()]
    tod = None
    if parts:
        last = parts[-1].strip().upper().rstrip(".")
        if (last in TIMES_OF_DAY or _RELATIVE_TOD_RE.match(last)) and len(parts) > 1:
            tod = last
            parts = parts[:-1]
        elif "-" in parts[-1]:
            head, _, tail = parts[-1].rpartition("-")
            if tail.strip().upper() in TIMES_OF_DAY and head.strip():
                tod = tail.strip().upper()
                parts[-1] = head
        elif m and len(parts) == 1 and " " in parts[0]:
            # "INT HOUSE DAY": no separator at all.
            head, _, tail = parts[0].rpartition(" ")
            if tail.upper() in TIMES_OF_DAY:
                tod, parts[0] = tail.upper(), head
    set_name = " - ".join(p.strip() for p in parts if p.strip()).upper()
    return HeadingParts(int_ext, set_name, tod, tuple(qualifiers))


def _separate(t: str) -> list[str]:
    """_SEPARATOR_RE.split(t) for t with single spaces, cheaper in the common cases: every separator
    needs "-", ",", an en or em dash; with only "-" and no "--" nor a dash at either end, a separator is
    exactly " - " (the spaces around it are single)."""
    if "-" not in t and "," not in t and "\u2013" not in t and "\u2014" not in t:
        return [t]
    if "," not in t and "--" not in t and "\u2013" not in t and "\u2014" not in t and t[0] != "-" and t[-1] != "-":
        return t.split(" - ")
    return _SEPARATOR_RE.split(t)


_OMITTED_PARTS = HeadingParts("", "", None)


def effective_time_of_day(tod: str | None, previous: str | None) -> str | None:
    """DAY/NIGHT/... for breakdown: relative times (CONTINUOUS, LATER, ...) inherit the previous one."""
    if tod is None:
        return None
    if tod in TIMES_OF_DAY and tod not in RELATIVE_TIMES:
        return tod
    last_word = tod.rsplit(" ", 1)[-1]
    if last_word in TIMES_OF_DAY and last_word not in RELATIVE_TIMES:
        return last_word  # "LATER THAT EVENING" -> EVENING, "THE NEXT MORNING" -> MORNING
    if tod.startswith(("NEXT", "THE NEXT")) or "DAYS LATER" in tod:
        return None  # a new day: the time of day is not stated
    return previous


def extract_scenes(script: Script) -> list[Scene]:
    """Split the script into scenes. Content before the first heading belongs to scene 1."""
    scenes: list[Scene] = []
    previous_tod: str | None = None
    pending: list[Element] = []
    add = pending.append
    heading_type = ET.SCENE_HEADING
    for el in script.elements:
        if el.type == heading_type:
            omitted = el.attrs.get("omitted") == "yes"
            parts = _OMITTED_PARTS if omitted else parse_heading(el.text)
            effective = effective_time_of_day(parts.time_of_day, previous_tod)
            previous_tod = effective or previous_tod
            # Positional (a call with eleven keywords costs over twice as much): index, number, heading,
            # int_ext, set_name, time_of_day, time_of_day_effective, qualifiers, heading_element,
            # elements, characters, lines_by_character, stated_eighths, omitted.
            scene = Scene(
                len(scenes) + 1, el.scene_number or str(len(scenes) + 1), plain(el.text).strip(),
                parts.int_ext, parts.set_name, parts.time_of_day, effective, parts.qualifiers,
                el, [], [], {}, el.stated_eighths, omitted,
            )
            if not scenes and pending:
                scene.elements.extend(pending)
            scene.elements.append(el)
            scenes.append(scene)
            add = scene.elements.append
        else:
            add(el)  # to the current scene, or to `pending` before the first heading
    keys: dict[str, str] = {}
    cue = ET.CHARACTER
    for scene in scenes:
        if scene.omitted:
            continue  # no speaking characters (what follows an omitted heading is not laid out either)
        counts = scene.lines_by_character
        for el in scene.elements:
            if el.type == cue:
                raw = el.name or el.text
                name = keys.get(raw)
                if name is None:
                    name = keys[raw] = character_key(raw)
                if name in counts:
                    counts[name] += 1
                else:
                    scene.characters.append(name)
                    counts[name] = 1
    return scenes


def format_eighths(eighths: int) -> str:
    """5 -> "5/8", 8 -> "1", 11 -> "1 3/8"."""
    whole, rest = divmod(eighths, 8)
    if not whole:
        return f"{rest}/8"
    return f"{whole} {rest}/8" if rest else str(whole)


def parse_eighths(value: str) -> int | None:
    """ "1 3/8" -> 11, "2/8" -> 2, "1" -> 8; None when unreadable."""
    m = re.fullmatch(r"\s*(?:(\d+)\s*)?(?:(\d+)\s*/\s*8)?\s*", value or "")
    if not m or (m[1] is None and m[2] is None):
        return None
    return int(m[1] or 0) * 8 + int(m[2] or 0)
