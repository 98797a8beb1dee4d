# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Day out of days on hand-made schedules with known grids: codes, holds, holidays, drop/pick-up,
travel/rehearsal/fitting and totals; then the same through a real version."""

from datetime import date, timedelta

import pytest

from unitbase.scheduling import dood
from unitbase.scheduling.reports import dood_report

# Two weeks from Mon 1 March 2027, Mon–Fri working; Wed 10 March a holiday.
MON = date(2027, 3, 1)
WEEKDAYS = {0, 1, 2, 3, 4}


def d(n: int) -> date:
    return MON + timedelta(days=n)


def shoot_days(offsets):
    return {d(n): i for i, n in enumerate(offsets, start=1)}


@pytest.fixture
def columns():
    # shoot days: 1-5 Mar, 8-9 Mar, 11-12 Mar (10 Mar holiday)
    days = shoot_days([0, 1, 2, 3, 4, 7, 8, 10, 11])
    return dood.columns_for(d(0), d(11), days, {d(9): "holiday"}, WEEKDAYS)


def codes(row):
    return " ".join(c or "." for c in row.codes)


def test_columns_kinds_and_day_numbers(columns):
    assert [c.kind[0] for c in columns] == list("sssssoossh" "ss")
    assert [c.day_number for c in columns if c.day_number] == list(range(1, 10))


def test_single_day_start_finish_and_holds(columns):
    single = dood.compute_row(columns=columns, work_dates={d(2)})
    assert codes(single) == ". . SWF . . . . . . . . ."
    span = dood.compute_row(columns=columns, work_dates={d(1), d(3), d(8), d(11)})
    #                     M1 T2  W3 T4 F5 S6 S7 M8 T9 W10 T11 F12
    assert codes(span) == ". SW H W H . . H W / H WF"
    assert (span.work, span.hold, span.holiday, span.paid) == (4, 4, 1, 9)
    assert (span.start, span.finish) == (d(1), d(11))


def test_no_holds_for_elements_that_do_not_hold(columns):
    row = dood.compute_row(columns=columns, work_dates={d(0), d(4)}, allow_hold=False)
    assert codes(row) == "SW . . . WF . . . . . . ."
    assert (row.work, row.hold, row.paid) == (2, 0, 2)


def test_drop_and_pick_up_when_the_gap_exceeds_the_rule():
    days = shoot_days(range(0, 40))  # every calendar day a shoot day, to make gaps plain
    cols = dood.columns_for(d(0), d(39), days, {}, set(range(7)))
    row = dood.compute_row(columns=cols, work_dates={d(0), d(2), d(14), d(39)}, drop_gap=10)
    # gap 2→14 is 11 unworked days (> 10): dropped after day 3, picked up on day 15; gap 14→39 is
    # also long but only one drop is allowed, so it is held.
    assert row.codes[0] == "SW" and row.codes[1] == "H" and row.codes[2] == "WD"
    assert row.codes[3:14] == [""] * 11
    assert row.codes[14] == "PW" and row.codes[15:39] == ["H"] * 24 and row.codes[39] == "WF"
    assert row.dropped == (d(2), d(14))
    assert (row.work, row.hold, row.paid) == (4, 25, 29)
    # a gap of exactly 10 days is held, not dropped
    held = dood.compute_row(columns=cols, work_dates={d(0), d(11)}, drop_gap=10)
    assert held.dropped is None and held.hold == 10
    # a drop on the start day reads SWD; a pick-up on the finish day PWF
    edge = dood.compute_row(columns=cols, work_dates={d(0), d(20)}, drop_gap=10)
    assert (edge.codes[0], edge.codes[20], edge.hold) == ("SWD", "PWF", 0)


def test_no_drop_over_a_hiatus_without_shoot_days():
    """Dropping is only worth it when it saves holds: over a three-week hiatus nothing is held, so
    the one drop is kept for a later gap that has shoot days in it."""
    days = shoot_days([0, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40])
    cols = dood.columns_for(d(0), d(40), days, {}, set(range(7)))
    row = dood.compute_row(columns=cols, work_dates={d(0), d(25), d(40)}, drop_gap=10)
    # 0→25: 24 days apart but no shoot day between (hiatus): neither held nor dropped.
    # 25→40: 14 unworked days, all shoot days: dropped.
    assert row.dropped == (d(25), d(40))
    assert (row.codes[0], row.codes[25], row.codes[40]) == ("SW", "WD", "PWF")
    assert (row.work, row.hold, row.paid) == (3, 0, 3)
    assert dood.compute_row(columns=cols, work_dates={d(0), d(25)}, drop_gap=10).dropped is None


def test_travel_rehearsal_fitting_overlay(columns):
    row = dood.compute_row(columns=columns, work_dates={d(1), d(4)},
                           events={d(0): "travel", d(2): "rehearsal", d(6): "fitting", d(4): "travel"})
    # travel on Mon before the start; rehearsal replaces a hold; fitting on a Sunday off;
    # travel on a work day is ignored (work wins)
    assert codes(row) == "T SW R H WF . F . . . . ."
    assert (row.work, row.hold, row.travel, row.rehearsal, row.fitting, row.paid) == (2, 1, 1, 1, 1, 6)


def test_compute_dood_keeps_element_order(columns):
    rows = dood.compute_dood(columns=columns, elements=[("b", "2", "B"), ("a", "1", "A")],
                             work={"a": {d(0)}, "b": set()})
    assert [(r.number, r.name, r.work) for r in rows] == [("2", "B", 0), ("1", "A", 1)]
    assert rows[0].codes == [""] * 12 and rows[0].start is None


@pytest.mark.django_db
def test_dood_of_a_real_version(ad, version, cast):
    from unitbase.scheduling import services

    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    services.availability_set(access=ad, date=date(2027, 3, 5), status="travel", cast_member_id=cast["TOBY"].pk)
    version.refresh_from_db()
    report = dood_report(access=ad, version=version)
    grid = {r.name.split(" (")[0]: codes(r) for r in report.context["dood_rows"]}
    # days: 1 Mar sc1 (MAREN); 2 Mar sc2,3 (MAREN, ELLIS); 3 Mar sc4,5 (MAREN, TOBY); 4 Mar sc6 (nobody)
    assert [c.date for c in report.context["columns"]] == [date(2027, 3, i) for i in range(1, 6)]
    assert grid == {"MAREN": "SW W WF . .", "ELLIS": ". SWF . . .", "TOBY": ". . SWF . T"}
    assert report.headers[:3] == ["#", "Cast", "Mon 01 Mar (D1)"]
    assert report.rows[2][-9:-2] == [1, 0, 0, 1, 0, 0, 2]


from .test_services import ad, calendar, cast, production, script, unit, version  # noqa: E402, F401
