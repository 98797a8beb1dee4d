"""What locations cost the stripboard: the 300-scene board of benchmarks/stripboard.py timed before and
after its 40 sets are shot at 10 locations (with 30 location availability rows on the board's dates).

Prints the board page and `board_get` with and without locations (same run, same data), their
ratio, and the query counts (locations add a fixed two queries: the set → location map and the
location availability; they must not grow with the board).

Usage: .venv/bin/python benchmarks/locations.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.stripboard import build, median_ms  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from unitbase.locations import services as locations
        from unitbase.scheduling import selectors

        production, user, ad, version = build(300, 60, 60)
        client = Client()
        client.force_login(user)
        board_url = reverse("scheduling:board", args=[production.pk, version.pk])
        fresh = selectors.version_get(access=ad, version_id=version.pk)

        def measure():
            client.get(board_url)
            page = median_ms(lambda: client.get(board_url), args.repeat)
            board = median_ms(lambda: selectors.board_get(access=ad, version=fresh), args.repeat)
            with CaptureQueriesContext(connection) as queries:
                selectors.board_get(access=ad, version=fresh)
            return page, board, len(queries)

        page0, board0, q0 = measure()
        places = [locations.location_create(access=ad, name=f"Location {i}", latitude="55.8", longitude="-5.4")
                  for i in range(10)]
        for i in range(40):
            locations.set_location_assign(access=ad, set_key=f"SET {i}", location_id=places[i % 10].pk)
        for i in range(30):
            locations.location_availability_set(access=ad, location_id=places[i % 10].pk,
                                                date=date(2027, 3, 1) + timedelta(days=i * 2), status="unavailable")
        page1, board1, q1 = measure()
        warned = sum(1 for d in selectors.board_get(access=ad, version=fresh).days for s in d.strips
                     if any(w.startswith("Location ") for w in getattr(s, "warnings", [])))

        print(f"300 scene strips, 40 sets, 10 locations, 30 unavailable dates (SQLite, test settings, median of {args.repeat})")
        print(f"{'measure':34} {'no locations':>13} {'locations':>10} {'ratio':>6}")
        print(f"{'board page (ms)':34} {page0:13.1f} {page1:10.1f} {page1 / page0:6.2f}")
        print(f"{'board_get (ms)':34} {board0:13.1f} {board1:10.1f} {board1 / board0:6.2f}")
        print(f"{'board_get queries':34} {q0:13d} {q1:10d}")
        print(f"strips warned for an unavailable location: {warned}")
        return 0 if q1 - q0 <= 2 else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
