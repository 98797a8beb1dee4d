"""Typed input/output of the production scheduler (plain dataclasses, no Django).

Units: pages in eighths, work in minutes, money in integer minor units (the caller converts
its Decimal amounts; CP-SAT needs integers). A schedule maps scene ids to dates; a scene marked
`boneyard` is deliberately left out and must not be scheduled.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


class DayNight(enum.StrEnum):
    DAY = "D"
    NIGHT = "N"


class Status(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIMED_OUT = "timed_out"  # no schedule found within the time limit (feasibility unknown)


@dataclass(frozen=True)
class CastMember:
    id: str
    daily_cost: int = 0  # paid for every working day from first to last shoot day (hold days too)
    unavailable: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Location:
    id: str
    unavailable: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Scene:
    id: str
    cast: frozenset[str] = frozenset()
    location: str | None = None
    pages: int = 8  # eighths
    minutes: int | None = None  # estimated shooting time; None = unknown
    day_night: DayNight = DayNight.DAY
    boneyard: bool = False


@dataclass(frozen=True)
class Precedence:
    before: str
    after: str
    strict: bool = False  # True: on an earlier day; False: same day allowed


@dataclass(frozen=True)
class Instance:
    days: tuple[date, ...]  # the working calendar (shoot days available, increasing)
    scenes: tuple[Scene, ...]
    cast: tuple[CastMember, ...] = ()
    locations: tuple[Location, ...] = ()
    pins: tuple[tuple[str, date], ...] = ()  # (scene id, date)
    precedences: tuple[Precedence, ...] = ()
    max_pages_per_day: int | None = None  # eighths
    max_minutes_per_day: int | None = None  # hard cap (incl. overtime)
    standard_minutes_per_day: int | None = None  # beyond this: overtime
    mixed_day_night: bool = False  # may one shoot day hold both DAY and NIGHT scenes?
    rest_after_night: bool = True  # no DAY scenes on the calendar day right after a NIGHT day
    current: tuple[tuple[str, date], ...] = ()  # the schedule to stay close to (minimal change)
    # drop/pick-up: a cast member whose unworked gap between two work days is longer than this many
    # calendar days may be dropped for it (one drop per member), paying `Weights.drop_pickup`
    # instead of the hold days inside the gap; None = no drops (every day of the span is paid)
    drop_gap_days: int | None = None
    # date-range scope: only the scenes of `current` dated inside [start, end] (and scenes with no
    # current date) may move, and only to days inside it; every other scene keeps its current date
    window: tuple[date, date] | None = None

    def scene(self, scene_id: str) -> Scene:
        return self._scene_index()[scene_id]

    def _scene_index(self) -> dict[str, Scene]:
        return {s.id: s for s in self.scenes}

    def cast_by_id(self) -> dict[str, CastMember]:
        return {c.id: c for c in self.cast}

    def locations_by_id(self) -> dict[str, Location]:
        return {loc.id: loc for loc in self.locations}


@dataclass(frozen=True)
class Weights:
    cast_holding: int = 1  # x daily cost per hold day
    company_move: int = 200  # per extra location within a day
    location_revisit: int = 100  # per return to a location on a later, non-adjacent stretch
    overtime_per_minute: int = 1  # per minute beyond standard_minutes_per_day
    shoot_day: int = 100  # per shoot day used (pushes towards a shorter schedule)
    change: int = 20  # per scene moved to another date than in `Instance.current`
    drop_pickup: int = 0  # per cast member dropped and picked up (see `Instance.drop_gap_days`)


@dataclass(frozen=True)
class Config:
    time_limit: float = 20.0
    workers: int = 2
    weights: Weights = field(default_factory=Weights)
    window: tuple[date, date] | None = None  # re-optimise only this date range (sets `Instance.window`)
    warm_start: bool = True  # hint CP-SAT with the greedy schedule (`greedy.greedy_schedule`) when valid
    explain_infeasible: bool = True  # on infeasibility, find a minimal conflicting set (`conflicts.py`)


Schedule = dict[str, date]  # scene id -> shoot date (boneyard scenes absent)


@dataclass
class Result:
    status: Status
    objective: int | None
    best_bound: int | None
    gap: float | None  # (objective - bound) / objective; 0 when proven
    breakdown: dict[str, int]
    seconds: float
    schedule: Schedule
    violations: list[str] = field(default_factory=list)  # filled by the validator (should stay empty)
    conflicts: list = field(default_factory=list)  # infeasible: a minimal conflicting set (`conflicts.Conflict`)
    hint_cost: int | None = None  # cost of the warm-start schedule given to CP-SAT (None: no hint)
