"""Breakdown logic without the database: default categories, scene text and blocks, matching a
new draft's scenes to the previous draft's, A-scene numbering, relocating tag ranges, diffs."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .parsers.model import UNPRINTED, ElementType
from .parsers.scenes import Scene as ParsedScene
from .parsers.text import plain

ET = ElementType

# (key, name, colour): the 23 Movie Magic Scheduling default categories in their usual order, with
# the traditional paper-breakdown colours (research note §5.2) where the convention names one and
# Final Draft's defaults (§5.2) otherwise; plus "Sets", which MMS keeps in the sheet header, so that
# sets can be listed, merged and renamed like any other element.
DEFAULT_CATEGORIES: list[tuple[str, str, str]] = [
    ("cast", "Cast Members", "#e53935"),
    ("background_actors", "Background Actors", "#43a047"),
    ("stunts", "Stunts", "#fb8c00"),
    ("vehicles", "Vehicles", "#ec407a"),
    ("props", "Props", "#8e24aa"),
    ("camera", "Camera", "#9ccc65"),
    ("special_effects", "Special Effects", "#1e88e5"),
    ("wardrobe", "Wardrobe", "#26a69a"),
    ("makeup_hair", "Makeup/Hair", "#ce93d8"),
    ("animals", "Animals", "#f48fb1"),
    ("animal_wrangler", "Animal Wrangler", "#a1887f"),
    ("music", "Music", "#8d6e63"),
    ("sound", "Sound", "#795548"),
    ("art_department", "Art Department", "#ffb74d"),
    ("set_dressing", "Set Dressing", "#ba68c8"),
    ("greenery", "Greenery", "#2e7d32"),
    ("special_equipment", "Special Equipment", "#c5b358"),
    ("security", "Security", "#daa520"),
    ("additional_labor", "Additional Labor", "#b8860b"),
    ("visual_effects", "Visual Effects", "#c0ca33"),
    ("mechanical_effects", "Mechanical Effects", "#b22222"),
    ("miscellaneous", "Miscellaneous", "#708090"),
    ("notes", "Notes", "#ffd54f"),
    ("sets", "Sets", "#90a4ae"),
]

# Final Draft's category names (and Beat's) that differ from ours.
FDX_CATEGORY_KEYS = {
    "CAST": "cast", "CAST MEMBERS": "cast", "BACKGROUND ACTORS": "background_actors", "EXTRAS": "background_actors",
    "ANIMAL HANDLER": "animal_wrangler", "MAKEUP/HAIR": "makeup_hair", "MAKEUP": "makeup_hair",
    "HAIR": "makeup_hair", "LOCATION": "sets", "SET": "sets",
}


def category_key_for_name(name: str) -> str:
    """Our category key for a category name found in a file ("Animal Handler" -> "animal_wrangler")."""
    upper = re.sub(r"\s+", " ", name).strip().upper()
    if upper in FDX_CATEGORY_KEYS:
        return FDX_CATEGORY_KEYS[upper]
    for key, label, _ in DEFAULT_CATEGORIES:
        if label.upper() == upper:
            return key
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "miscellaneous"


def element_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u2019", "'")).strip().upper()


# --- scene text ----------------------------------------------------------------------------------


def scene_text(scene: ParsedScene) -> tuple[str, list[dict]]:
    """The scene's printed text and its paragraphs: [{"type", "start", "end", "dual"?, "tags"?}].

    Notes, sections, synopses and boneyard are left out (they never print). Character cues keep
    their extensions. FDX tag runs ("n@start-end;...") are carried over as offsets into the text when
    the paragraph's printed text is the text the offsets were taken from."""
    parts: list[str] = []
    blocks: list[dict] = []
    pos = 0
    for el in scene.elements:
        if el.type in UNPRINTED or el.type == ET.PAGE_BREAK:
            continue
        if el.type == ET.CHARACTER:
            text = (el.name or plain(el.text)).strip()
            if el.extensions:
                text += " " + el.extension
        elif el.type == ET.PARENTHETICAL:
            text = plain(el.text).strip()
            if not text.startswith("("):
                text = f"({text})"
        else:
            text = plain(el.text).strip("\n")
        if not text.strip():
            continue
        if parts:
            pos += 2
        block: dict = {"type": str(el.type), "start": pos, "end": pos + len(text)}
        if el.dual:
            block["dual"] = True
        raw_tags = el.attrs.get("tags")
        if raw_tags and text == el.text.strip("\n"):
            block["tags"] = [
                [number, pos + int(a), pos + int(b)]
                for number, a, b in re.findall(r"([^;@]+)@(\d+)-(\d+)", raw_tags)
                if int(b) > int(a)
            ]
        parts.append(text)
        blocks.append(block)
        pos += len(text)
    return "\n\n".join(parts), blocks


def synopsis_of(scene: ParsedScene) -> str:
    for el in scene.elements:
        if el.type == ET.SYNOPSIS:
            return plain(el.text).strip()
    return ""


# --- matching a new draft to the previous one -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class SceneSig:
    """What matching needs to know about a scene."""

    number: str
    heading: str
    text: str
    number_stated: bool = False  # the number is written in the file, not counted


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.3 or m.quick_ratio() < 0.3:
        return 0.0
    return m.ratio()


def match_scenes(old: Sequence[SceneSig], new: Sequence[SceneSig], threshold: float = 0.5) -> dict[int, int]:
    """{new index: old index}. First scenes whose stated numbers agree and whose heading or text
    still resemble each other, then identical text, then the best heading + text similarity
    (0.3 heading, 0.7 text) above `threshold`, greedily, best pair first."""
    matches: dict[int, int] = {}
    used: set[int] = set()
    old_by_number = {s.number.upper(): i for i, s in enumerate(old)}
    for j, s in enumerate(new):
        i = old_by_number.get(s.number.upper())
        if s.number_stated and i is not None and i not in used:
            o = old[i]
            if o.heading == s.heading or _ratio(o.heading, s.heading) > 0.6 or _ratio(o.text, s.text) > 0.5:
                matches[j] = i
                used.add(i)
    old_by_text: dict[str, list[int]] = {}
    for i, o in enumerate(old):
        old_by_text.setdefault(o.text, []).append(i)
    for j, s in enumerate(new):
        if j in matches:
            continue
        for i in old_by_text.get(s.text, []):
            if i not in used:
                matches[j] = i
                used.add(i)
                break
    pairs: list[tuple[float, int, int]] = []
    free_old = [i for i in range(len(old)) if i not in used]
    for j, s in enumerate(new):
        if j in matches:
            continue
        for i in free_old:
            o = old[i]
            h = _ratio(o.heading.upper(), s.heading.upper())
            t = _ratio(o.text, s.text)
            score = 0.3 * h + 0.7 * t
            if score >= threshold:
                # Prefer the nearby scene on ties: a small penalty for distance in the script.
                pairs.append((score - 0.0001 * abs(i - j), j, i))
    for _score, j, i in sorted(pairs, reverse=True):
        if j not in matches and i not in used:
            matches[j] = i
            used.add(i)
    return matches


def moved_scenes(matches: dict[int, int]) -> set[int]:
    """New indices of matched scenes that are out of order: those outside a longest increasing run
    of old positions (so one scene moved far shows as one move, not as many)."""
    items = sorted(matches.items())
    seq = [old for _new, old in items]
    if not seq:
        return set()
    # Longest increasing subsequence (patience sorting), keeping predecessors.
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for k, value in enumerate(seq):
        pos = bisect.bisect_left(tails, value)
        if pos == len(tails):
            tails.append(value)
            tails_idx.append(k)
        else:
            tails[pos] = value
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    keep: set[int] = set()
    k = tails_idx[-1]
    while k >= 0:
        keep.add(k)
        k = prev[k]
    return {items[k][0] for k in range(len(items)) if k not in keep}


def text_diff(old: str, new: str, old_label: str = "previous", new_label: str = "new") -> str:
    return "\n".join(
        difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, n=1, lineterm="")
    )


# --- scene numbers -------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^([A-Z]*)(\d+)([A-Z]*)$")


def next_a_number(after: str | None, taken: set[str]) -> str:
    """The number for a scene added after `after` once numbers are locked: 12 -> 12A, 12A -> 12B,
    none before the first scene -> A1, then B1. Skips numbers already taken (also omitted ones)."""
    if after is None:
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if f"{letter}1" not in taken:
                return f"{letter}1"
        raise ValueError("too many scenes added before scene 1")
    m = _NUMBER_RE.match(after.upper())
    base = (m.group(1) + m.group(2)) if m else after.upper()
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    start = letters.index(m.group(3)[-1]) + 1 if m and m.group(3) else 0
    for letter in letters[start:]:
        candidate = f"{base}{letter}"
        if candidate not in taken:
            return candidate
    for letter in letters:  # 12Z is taken: 12ZA ...
        candidate = f"{base}Z{letter}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no A-scene number left after {after}")


def locked_numbers(
    new_count: int, matches: dict[int, int], old_numbers: Sequence[str], taken: set[str]
) -> list[str]:
    """Scene numbers for a new draft when the previous draft's numbers are locked: matched scenes
    keep their numbers, added scenes get A-numbers after the scene before them."""
    numbers: list[str] = []
    taken = set(taken)
    for j in range(new_count):
        if j in matches:
            numbers.append(old_numbers[matches[j]])
        else:
            number = next_a_number(numbers[-1] if numbers else None, taken)
            numbers.append(number)
        taken.add(numbers[-1])
    return numbers


def number_key(number: str) -> tuple:
    """Sort key for scene numbers in script order: A1 < B1 < 1 < 1A < 1B < 2 < 10 (others last)."""
    m = _NUMBER_RE.match(number.upper())
    if not m:
        return (float("inf"), 2, number.upper(), "")
    prefix, digits, suffix = m.groups()
    return (int(digits), 0 if prefix else 1, prefix, suffix)


def omitted_placeholders(
    carried: Sequence[dict], omitted: Sequence[tuple[str, str]], numbers: Sequence[str], sequence: int
) -> list[dict]:
    """The OMITTED placeholders of a draft with locked numbers: those of the previous draft (`carried`)
    plus the scenes it omits (`omitted`: (number, heading) of each unmatched old scene), each as
    {"number", "heading" (the heading it had), "omitted_in" (draft sequence), "after_order"}. A
    placeholder sits after the scene at `after_order` (0: before the first), found from the numbers:
    before the first scene of the new draft whose number sorts after it. A number in use again is
    no longer a placeholder."""
    in_use = {n.upper() for n in numbers}
    found: dict[str, dict] = {}
    for entry in carried:
        found.setdefault(entry["number"], {"number": entry["number"], "heading": entry.get("heading", ""),
                                           "omitted_in": entry.get("omitted_in", sequence)})
    for number, heading in omitted:
        found.setdefault(number, {"number": number, "heading": heading, "omitted_in": sequence})
    keys = [number_key(n) for n in numbers]
    out = []
    for entry in found.values():
        if entry["number"].upper() in in_use:
            continue
        key = number_key(entry["number"])
        after = next((k for k, other in enumerate(keys) if other > key), len(keys))
        out.append({**entry, "after_order": after})
    out.sort(key=lambda e: (e["after_order"], number_key(e["number"])))
    return out


def relocate(old_text: str, new_text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a tagged range of the old scene text lies in the new text, or None if it is gone."""
    if old_text == new_text:
        return start, end
    needle = old_text[start:end]
    if not needle:
        return None
    hits = [m.start() for m in re.finditer(re.escape(needle), new_text)]
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - start))
    return best, best + len(needle)


# --- highlighting --------------------------------------------------------------------------------


def segments(text: str, blocks: list[dict], ranges: list[tuple[int, int, Any]]) -> list[dict]:
    """The scene's paragraphs cut into runs at every tag boundary, for the breakdown page:
    [{"type", "dual", "runs": [{"text", "offset", "tags": [payload, ...]}]}]."""
    out = []
    for block in blocks:
        b0, b1 = block["start"], block["end"]
        inside = [(max(a, b0), min(b, b1), p) for a, b, p in ranges if a < b1 and b > b0]
        cuts = sorted({b0, b1, *(a for a, _, _ in inside), *(b for _, b, _ in inside)})
        runs = []
        for a, b in pairwise(cuts):
            runs.append({"text": text[a:b], "offset": a, "tags": [p for x, y, p in inside if x <= a and y >= b]})
        out.append({"type": block["type"], "dual": block.get("dual", False), "runs": runs})
    return out
