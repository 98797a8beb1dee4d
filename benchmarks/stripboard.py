"""Stripboard speed on a generated production: 300 scenes, 60 cast, 60 shoot days.

Times (median of N) the board page (server side, through the test client), one strip move (the
service, and the page's POST that answers the re-rendered board), and the cast DOOD; prints each
against a baseline measured in the same run (an empty board's page) and the query counts of a
30- and a 300-strip board (they must be equal).

Usage: .venv/bin/python benchmarks/stripboard.py [--repeat N]
Targets (issue 4): board page < 200 ms, move < 50 ms, DOOD < 200 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from datetime import date  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def build(n_scenes: int, n_cast: int, n_days: int):
    from tests.factories import CastMemberFactory, make_production, member
    from unitbase.productions.authority import Role
    from unitbase.productions.models import Unit
    from unitbase.productions.permissions import access_production
    from unitbase.scheduling import services
    from unitbase.scripts.models import BreakdownCategory, Element, Scene, ScriptDocument, ScriptRevision, Tag

    rng = random.Random(4)
    production = make_production(title=f"Bench {n_scenes}")
    ad_member = member(production, Role.FIRST_AD)
    ad = access_production(ad_member.user, production.pk)
    unit = Unit.objects.get(production=production, kind=Unit.Kind.MAIN)
    doc = ScriptDocument.objects.create(production=production, title="Bench")
    rev = ScriptRevision.objects.create(production=production, document=doc, sequence=1, title="Bench", format="fountain",
                                        file_name="b.fountain", file_size=1)
    cat = BreakdownCategory.objects.create(production=production, key="cast", name="Cast Members", colour="#e53935")
    names = [f"CHARACTER {i}" for i in range(1, n_cast + 1)]
    for i, name in enumerate(names, start=1):
        CastMemberFactory(production=production, character=name, cast_number=i)
    elements = Element.objects.bulk_create([Element(production=production, category=cat, name=n, key=n) for n in names])
    sets = [f"SET {i}" for i in range(40)]
    scenes = Scene.objects.bulk_create([
        Scene(revision=rev, order=i, number=str(i), heading="h", int_ext=rng.choice(["INT", "EXT"]),
              set_name=(s := rng.choice(sets)), set_key=s, time_of_day=rng.choice(["DAY", "NIGHT"]),
              eighths=rng.randint(2, 20), synopsis=f"Something happens in scene {i}.")
        for i in range(1, n_scenes + 1)
    ])
    Tag.objects.bulk_create([Tag(scene=sc, element=e, source="auto", status="accepted")
                             for sc in scenes for e in rng.sample(elements, rng.randint(1, 5))])
    services.calendar_set(access=ad, unit_id=unit.pk, shoot_start=date(2027, 3, 1), shoot_end=date(2027, 6, 30))
    total = sum(s.eighths for s in scenes)
    version = services.schedule_create(access=ad, unit_id=unit.pk, layout="auto", by="pages",
                                       limit=max(8, -(-total // n_days) + 4))
    return production, ad_member.user, ad, version


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from unitbase.scheduling import reports, selectors, services
        from unitbase.scheduling.models import ScheduleVersion, Strip

        production, user, ad, version = build(300, 60, 60)
        _small_production, _small_user, small_ad, small_version = build(30, 10, 6)
        client = Client()
        client.force_login(user)
        board_url = reverse("scheduling:board", args=[production.pk, version.pk])
        # Baseline: an empty version of the same production (no strips).
        empty = ScheduleVersion.objects.create(schedule=version.schedule, name="Empty")
        empty_url = reverse("scheduling:board", args=[production.pk, empty.pk])
        client.get(board_url)
        client.get(empty_url)

        strips = Strip.objects.filter(version=version, kind="scene").count()
        days = Strip.objects.filter(version=version, kind="day").count()
        base = median_ms(lambda: client.get(empty_url), args.repeat)
        page = median_ms(lambda: client.get(board_url), args.repeat)

        state = {"rev": ScheduleVersion.objects.get(pk=version.pk).revision}
        ids = list(Strip.objects.filter(version=version, kind="scene").order_by("position").values_list("pk", flat=True))

        def move_service():
            services.strip_move(access=ad, version_id=version.pk, revision=state["rev"], strip_ids=[ids[0]], index=150)
            state["rev"] += 1

        move = median_ms(move_service, args.repeat)
        move_url = reverse("scheduling:move", args=[production.pk, version.pk])

        def move_post():
            r = client.post(move_url, {"revision": state["rev"], "strip_ids": [ids[1]], "index": 10}, HTTP_HX_REQUEST="true")
            assert r.status_code == 200, r.status_code
            state["rev"] += 1

        post = median_ms(move_post, args.repeat)
        fresh = selectors.version_get(access=ad, version_id=version.pk)
        dood = median_ms(lambda: reports.dood_report(access=ad, version=fresh), args.repeat)

        with CaptureQueriesContext(connection) as big:
            selectors.board_get(access=ad, version=fresh)
        small_fresh = selectors.version_get(access=small_ad, version_id=small_version.pk)
        with CaptureQueriesContext(connection) as small:
            selectors.board_get(access=small_ad, version=small_fresh)

        print(f"generated: {strips} scene strips, {days} shoot days, 60 cast (SQLite, test settings, median of {args.repeat})")
        print(f"{'measure':42} {'ms':>8} {'x empty board':>14} {'target':>8}")
        print(f"{'empty board page (baseline)':42} {base:8.1f} {1.0:14.2f} {'':>8}")
        print(f"{'board page, 300 strips':42} {page:8.1f} {page / base:14.2f} {'200':>8}")
        print(f"{'strip_move service':42} {move:8.1f} {move / base:14.2f} {'50':>8}")
        print(f"{'move POST + re-rendered board':42} {post:8.1f} {post / base:14.2f} {'':>8}")
        print(f"{'cast DOOD (60 x 60+ days)':42} {dood:8.1f} {dood / base:14.2f} {'200':>8}")
        print(f"queries for board_get: {len(small)} (30 strips) vs {len(big)} (300 strips)")
        ok = len(small) == len(big)
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
