"""`unitbase script parse FILE [--paper letter|a4] [--json]` (no Django, no database)."""

from __future__ import annotations

import argparse
import json
import sys

from unitbase.scripts.pagination import layout_for, paginate
from unitbase.scripts.parsers import ScriptFormatError, parse_path
from unitbase.scripts.parsers.scenes import character_key, format_eighths


def summarise(path: str, paper: str | None = None) -> dict:
    script = parse_path(path)
    result = paginate(script, layout_for(script, paper))
    characters: dict[str, dict] = {}
    for scene in result.scenes:
        for name in scene.characters:
            c = characters.setdefault(name, {"name": name, "scenes": 0, "lines": 0})
            c["scenes"] += 1
            c["lines"] += scene.lines_by_character[name]
    # Speeches before the first heading (no scene) still count as lines.
    return {
        "title": script.title,
        "format": script.format,
        "paper": result.layout.name,
        "pages": result.pages,
        "scenes": [
            {
                "number": s.number,
                "heading": s.heading,
                "int_ext": s.int_ext,
                "set": s.set_name,
                "time_of_day": s.time_of_day,
                "time_of_day_effective": s.time_of_day_effective,
                "page_start": s.page_start,
                "page_end": s.page_end,
                "eighths": s.eighths,
                "length": format_eighths(s.eighths or 0),
                "stated_eighths": s.stated_eighths,
                "characters": s.characters,
                "omitted": s.omitted,
            }
            for s in result.scenes
        ],
        "characters": sorted(characters.values(), key=lambda c: (-c["lines"], character_key(c["name"]))),
        "total_eighths": result.total_eighths,
        "warnings": script.warnings,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="unitbase script", description="Screenplay tools (no database needed).")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse a Fountain or FDX file and print its scenes")
    p.add_argument("file")
    p.add_argument("--paper", choices=["letter", "a4"], default=None, help="paper size (default: the file's own, else letter)")
    p.add_argument("--json", action="store_true", help="print JSON (the default output format too)")
    args = parser.parse_args(argv)
    try:
        data = summarise(args.file, args.paper)
    except ScriptFormatError as exc:
        print(f"unitbase script: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0
