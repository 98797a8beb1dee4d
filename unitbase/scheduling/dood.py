"""Day out of days: a grid of elements × calendar dates with the industry's codes.

`compute_dood` is pure (dates and sets in, rows out); `dood_for_version` loads a version's board
and feeds it. Codes (domain-spec §4.4):

    SW / W / WF / SWF   start, work, finish, single-day work
    H                   hold: a paid shoot day between start and finish without work
    WD / PW             the last work day before a drop / the pick-up day after it
                        (SWD, PWF when the drop or pick-up coincides with start or finish)
    T / R / F           travel, rehearsal, fitting (from availability; paid, may fall on off days)
    /                   company holiday          M   company travel day
    (blank)             not working; company days off are shaded

Drop/pick-up: when an element that may be dropped has an unworked gap of more than `drop_gap`
calendar days between two work days, it is dropped on the first such gap (one drop per
production, as SAG-AFTRA allows for day performers) instead of being held through it, provided
the drop is cheaper than holding: the gap holds at least one shoot day (a hiatus with no shoot
days costs no holds, so it is not spent on the one drop).
Totals count work days, holds, holidays inside the paid span, travel, rehearsal and fitting days;
total paid = all of those.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

OFF = "off"
HOLIDAY = "holiday"
TRAVEL_DAY = "travel"
SHOOT = "shoot"
IDLE = "idle"  # a working weekday with no shoot day scheduled

EVENT_CODES = {"travel": "T", "rehearsal": "R", "fitting": "F"}


@dataclass
class DoodColumn:
    date: date
    kind: str  # SHOOT, OFF, HOLIDAY, TRAVEL_DAY, IDLE
    day_number: int | None = None

    @property
    def label(self) -> str:
        return f"{self.date:%a}"[:2]


@dataclass
class DoodRow:
    key: str
    number: str
    name: str
    codes: list[str]
    work: int = 0
    hold: int = 0
    holiday: int = 0
    travel: int = 0
    rehearsal: int = 0
    fitting: int = 0
    start: date | None = None
    finish: date | None = None
    dropped: tuple[date, date] | None = None
    cells: list[tuple[str, str]] = field(default_factory=list)  # (code, css kind) per column

    @property
    def paid(self) -> int:
        return self.work + self.hold + self.holiday + self.travel + self.rehearsal + self.fitting


def columns_for(first: date, last: date, shoot_days: dict[date, int], exceptions: dict[date, str],
                working_weekdays: set[int]) -> list[DoodColumn]:
    cols = []
    day = first
    while day <= last:
        if day in shoot_days:
            cols.append(DoodColumn(day, SHOOT, shoot_days[day]))
        else:
            kind = exceptions.get(day)
            if kind == "holiday":
                cols.append(DoodColumn(day, HOLIDAY))
            elif kind == "travel":
                cols.append(DoodColumn(day, TRAVEL_DAY))
            elif kind == "off" or (kind != "work" and day.weekday() not in working_weekdays):
                cols.append(DoodColumn(day, OFF))
            else:
                cols.append(DoodColumn(day, IDLE))
        day += timedelta(days=1)
    return cols


def compute_row(
    *, columns: list[DoodColumn], work_dates: set[date], events: dict[date, str] | None = None,
    allow_hold: bool = True, drop_gap: int | None = None,
) -> DoodRow:
    """Codes for one element over `columns`; the caller fills key, number and name."""
    events = events or {}
    index = {c.date: i for i, c in enumerate(columns)}
    codes = [""] * len(columns)
    row = DoodRow(key="", number="", name="", codes=codes)
    worked = sorted(d for d in work_dates if d in index)
    drop: tuple[date, date] | None = None
    if worked:
        start, finish = worked[0], worked[-1]
        row.start, row.finish = start, finish
        if drop_gap is not None and allow_hold:
            for before, after in itertools.pairwise(worked):
                # Drop only where it saves holds: a gap with no shoot day (a hiatus) costs nothing held.
                saves = any(c.kind == SHOOT for c in columns[index[before] + 1:index[after]])
                if (after - before).days - 1 > drop_gap and saves:
                    drop = (before, after)
                    break
        row.dropped = drop
        for d in worked:
            code = "W"
            if d == start:
                code = "SW"
            if d == finish:
                code = "SWF" if d == start else "WF"
            if drop and d == drop[0]:
                code = code.replace("W", "WD") if code != "SW" else "SWD"
            if drop and d == drop[1]:
                code = "PWF" if code == "WF" else "PW"
            codes[index[d]] = code
        row.work = len(worked)
        for i in range(index[start] + 1, index[finish]):
            col = columns[i]
            if codes[i]:
                continue
            if drop and drop[0] < col.date < drop[1]:
                continue
            if col.kind == HOLIDAY:
                codes[i] = "/"
                row.holiday += 1
            elif col.kind == TRAVEL_DAY:
                codes[i] = "M"
            elif col.kind == SHOOT and allow_hold:
                codes[i] = "H"
                row.hold += 1
    for when, kind in sorted(events.items()):
        code = EVENT_CODES.get(kind)
        if not code or when not in index:
            continue
        i = index[when]
        if codes[i] in ("", "H", "/", "M"):
            if codes[i] == "H":
                row.hold -= 1
            elif codes[i] == "/":
                row.holiday -= 1
            codes[i] = code
            attr = {"T": "travel", "R": "rehearsal", "F": "fitting"}[code]
            setattr(row, attr, getattr(row, attr) + 1)
    row.cells = [(code, columns[i].kind) for i, code in enumerate(codes)]
    return row


def compute_dood(
    *, columns: list[DoodColumn], elements: list[tuple[str, str, str]], work: dict[str, set[date]],
    events: dict[str, dict[date, str]] | None = None, allow_hold: bool = True, drop_gap: int | None = None,
) -> list[DoodRow]:
    """Rows for `elements` [(key, number, name)] in the given order."""
    rows = []
    for key, number, name in elements:
        row = compute_row(columns=columns, work_dates=work.get(key, set()), events=(events or {}).get(key),
                          allow_hold=allow_hold, drop_gap=drop_gap)
        row.key, row.number, row.name = key, number, name
        rows.append(row)
    return rows
