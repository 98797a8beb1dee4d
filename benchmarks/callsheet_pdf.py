"""Call sheet PDF benchmark: a 40-crew, 12-cast shoot day (8 scenes, 3 locations, background,
two advance days) rendered by the product's template and WeasyPrint, against a baseline measured in
the same run: WeasyPrint printing a plain one-page HTML table (its fixed cost). Target (issue 6):
under 1.5 s per call sheet. No database: the document dict has the shape `sheet_data` produces.

    .venv/bin/python benchmarks/callsheet_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from unitbase.callsheets.exports import callsheet_html, callsheet_pdf  # noqa: E402

DEPARTMENTS = ["Production", "Direction", "Camera", "Grip", "Electric", "Sound", "Art", "Wardrobe", "Hair and makeup", "Locations"]


def document(crew: int = 40, cast: int = 12) -> dict:
    scenes = [{"number": str(n), "ie": "EXT" if n % 2 else "INT", "dn": "D" if n % 3 else "N", "set": f"SET {n % 3 + 1}",
               "synopsis": "Maren walks the quay at low water, looking for the boat that did not come back. " * (1 + n % 2),
               "pages": f"{n % 2 + 1} {n % 8}/8".replace(" 0/8", ""), "eighths": 8 + n, "cast": ", ".join(str(c) for c in range(1, 2 + n % 5)),
               "location": f"Location {n % 3 + 1}"} for n in range(1, 9)]
    crew_rows: list[dict] = []
    for i in range(crew):
        dept = DEPARTMENTS[i % len(DEPARTMENTS)]
        if not crew_rows or crew_rows[-1]["department"] != dept:
            crew_rows.append({"department": dept, "rows": []})
        crew_rows[-1]["rows"].append({"position": f"Position {i}", "name": f"Crew Member {i}", "call": "07:00" if i % 4 else "06:30",
                                      "own_call": i % 4 == 0, "person_id": i, "phone": ""})
    crew_rows.sort(key=lambda d: DEPARTMENTS.index(d["department"]))
    merged: dict[str, dict] = {}
    for d in crew_rows:
        merged.setdefault(d["department"], {"department": d["department"], "rows": []})["rows"].extend(d["rows"])
    location = {"set": "SET 1", "name": "Tarbert harbour", "address": "Harbour Street, Tarbert PA29 6UD",
                "map_url": "https://www.openstreetmap.org/?mlat=55.865&mlon=-5.414#map=17/55.865/-5.414",
                "parking": "Pier car park", "base_camp": "Fish quay yard", "hospital_name": "Mid Argyll Community Hospital",
                "hospital_address": "Blarbuie Road, Lochgilphead", "hospital_phone": "01632 960 414", "notes": "", "missing": False}
    return {
        "production": "Low Water", "unit": "Main unit", "date": "2027-03-01", "date_label": "Monday 1 March 2027",
        "day_label": "Day 1 of 15", "revision": 2, "change_note": "Scene 4 moved to the afternoon",
        "general_call": "07:00", "shooting_call": "08:00", "estimated_wrap": "18:00", "lunch": "13:00, 1 h",
        "weather": "Bright spells, 9°C / 4°C", "sun": {"dawn": "06:25", "sunrise": "07:05", "sunset": "18:05", "dusk": "18:45"},
        "hospital": location, "locations": [dict(location, set=f"SET {i}") for i in range(1, 4)], "scenes": scenes,
        "total_pages": "9 4/8",
        "cast": [{"number": n, "character": f"CHARACTER {n}", "actor": f"Actor {n}", "status": "W" if n % 3 else "SW",
                  "pickup": "06:00", "makeup": "06:30", "on_set": "08:00", "remarks": "", "person_id": 100 + n, "phone": ""}
                 for n in range(1, cast + 1)],
        "background": [{"kind": "Background", "description": "Dock workers", "count": 12, "call": "07:30", "report_to": "2nd AD", "notes": ""},
                       {"kind": "Stand-in", "description": "Stand-in for Maren", "count": 1, "call": "07:00", "report_to": "", "notes": ""}],
        "crew": list(merged.values()), "crew_count": crew, "safety_notes": "Life jackets within 2 m of the water.",
        "safety_contact": "Unit medic 07700 900 990", "safety_hotline": "01632 960 999",
        "walkie_channels": ["1: Production", "2: Open", "3: Camera", "4: Marine", "5: Grip/Electric"],
        "department_notes": ["Props: nets on the quay by 07:30", "Wardrobe: wet-weather doubles"],
        "special_requirements": ["Vehicles: Police car (sc 1)", "SFX: Rain (sc 2)", "Stunts: Fall into water (sc 5)"],
        "general_notes": "", "key_contacts": ["Producer: Harriet Vance", "1st AD: Tom Ashdown", "Production office: 01632 960 000"],
        "advance": [{"day": d, "date": "", "date_label": f"Day {d}", "pages": "4 2/8",
                     "scenes": [{"number": str(10 * d + k), "ie": "INT", "dn": "D", "set": "HARBOUR CAFE", "synopsis": "",
                                 "pages": "1", "cast": "1, 2"} for k in range(5)]} for d in (2, 3)],
        "show_phones": False,
    }


def baseline_html() -> str:
    rows = "".join(f"<tr><td>{i}</td><td>Row {i}</td></tr>" for i in range(40))
    return f"<html><body><h1>Baseline</h1><table>{rows}</table></body></html>"


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from weasyprint import HTML

    load = os.getloadavg()[0]
    data = document()
    callsheet_pdf(data)  # warm up fonts and template caches
    HTML(string=baseline_html()).write_pdf()
    base = timed(lambda: HTML(string=baseline_html()).write_pdf(), args.runs)
    html_only = timed(lambda: callsheet_html(data), args.runs)
    full = timed(lambda: callsheet_pdf(data), args.runs)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(callsheet_pdf(data))) as pdf:
        pages = len(pdf.pages)
    med = statistics.median
    print(f"call sheet: {data['crew_count']} crew, {len(data['cast'])} cast, {len(data['scenes'])} scenes -> {pages} pages "
          f"({'the one- to two-page layout' if pages <= 2 else 'MORE than the two-page layout'})")
    print(f"load average at start: {load:.2f} (1 min) on {os.cpu_count()} cores")
    print(f"baseline (WeasyPrint, plain 1-page table): median {med(base) * 1000:.0f} ms")
    print(f"template only (HTML):                      median {med(html_only) * 1000:.1f} ms")
    print(f"call sheet PDF:                            median {med(full) * 1000:.0f} ms, max {max(full) * 1000:.0f} ms "
          f"({med(full) / med(base):.1f}x baseline)")
    target = 1.5
    verdict = "meets" if max(full) < target else "MISSES"
    print(f"target < {target:.1f} s per call sheet: {verdict} (worst of {args.runs} runs)")
    return 0 if max(full) < target else 1


if __name__ == "__main__":
    sys.exit(main())
