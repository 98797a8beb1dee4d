"""Fingerprint of everything the parsers and the paginator produce, for checking that a speed-up
changes no output: one SHA-256 per shared Fountain/FDX file (every element field, the title page,
warnings and layout settings, every scene field, pages and eighths on the file's own layout, Letter
and A4), and one over all of them.

Usage: .venv/bin/python benchmarks/parse_fingerprint.py [--shared DIR] > before.txt
       (change the code)
       .venv/bin/python benchmarks/parse_fingerprint.py [--shared DIR] | diff before.txt -
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unitbase.scripts.pagination import A4, LETTER, paginate
from unitbase.scripts.parsers import ScriptFormatError, parse_bytes

_ELEMENT_FIELDS = ("type", "text", "line_start", "line_end", "scene_number", "dual", "name", "extensions", "forced",
                   "depth", "stated_eighths", "stated_page", "attrs")
_SCENE_FIELDS = ("index", "number", "heading", "int_ext", "set_name", "time_of_day", "time_of_day_effective",
                 "qualifiers", "characters", "lines_by_character", "stated_eighths", "page_start", "page_end", "eighths")


def fingerprint(data: bytes, name: str) -> str:
    try:
        script = parse_bytes(data, name)
    except ScriptFormatError as exc:
        return hashlib.sha256(f"error: {exc}".encode()).hexdigest()
    out = [repr(sorted(script.title_page.items())), repr(script.title_page_lines), repr(script.warnings),
           repr(script.format), repr(script.layout)]
    position = {id(el): i for i, el in enumerate(script.elements)}
    out += [repr(tuple(getattr(el, f) for f in _ELEMENT_FIELDS)) for el in script.elements]
    for layout in (None, LETTER, A4):
        result = paginate(script, layout)
        out.append(repr((result.layout.name, result.layout.lines_per_page, result.pages, result.total_lines,
                         result.total_eighths)))
        for scene in result.scenes:
            out.append(repr(tuple(getattr(scene, f) for f in _SCENE_FIELDS)))
            out.append(repr([position[id(el)] for el in scene.elements] + [position[id(scene.heading_element)]]))
    return hashlib.sha256("\n".join(out).encode()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    args = ap.parse_args()
    folder = Path(args.shared) / "scripts"
    paths = sorted(p for p in folder.rglob("*") if p.suffix in (".fountain", ".fdx"))
    total = hashlib.sha256()
    for path in paths:
        digest = fingerprint(path.read_bytes(), path.name)
        total.update(digest.encode())
        print(f"{digest}  {path.relative_to(folder)}")
    print(f"{total.hexdigest()}  ALL ({len(paths)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
