"""Adapter between a schedule version and the pure solver (`unitbase.scheduling.solver`).

`instance_build` reads a version's board (strips, days and their shoot dates), the unit's calendar,
availability, the cast of each scene (accepted cast tags plus the script's scene characters, mapped
to cast members) and sets, and makes a solver `Instance` with `Weights` in whole currency units.
`explain` compares a solver `Result` with the starting version, term by term. Writing the result
back is a service (`optimise_services.optimise_result_write`); nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError

from unitbase.locations.selectors import locations_by_set, unavailable_locations
from unitbase.productions.permissions import ProductionAccess
from unitbase.scripts.breakdown import element_key
from unitbase.scripts.models import SceneCharacter

from . import selectors
from .models import Availability, OptimiserRun, ScheduleVersion, Strip, shoot_dates
from .solver.model import CastMember, DayNight, Instance, Location, Precedence, Result, Scene, Status, Weights
from .solver.production import allowed_days
from .solver.validate.capacity import load_by_day
from .solver.validate.cost import evaluate
from .solver.validate.cost import holds as cost_holds

SCOPES = {
    "all": "Every scene on the board may move",
    "boneyard": "Only the boneyard: scenes on the board stay on their days",
    "from_date": "Only from a date on: days before it stay as they are",
    "range": "Only a date range: scenes on days outside it stay as they are",
}
UNAVAILABLE = (Availability.Status.UNAVAILABLE, Availability.Status.TRAVEL)
TERM_LABELS = {
    "cast_holding": "Cast holding days",
    "drop_pickups": "Drops and pick-ups",
    "company_moves": "Company moves",
    "location_revisits": "Returns to a location",
    "overtime": "Overtime",
    "shoot_days": "Shoot days",
    "changes": "Scenes moved",
}


@dataclass(frozen=True)
class Options:
    """What the person chose on the optimise page (money in whole units of the production's currency)."""

    time_limit: int = 30
    holding: int = 1  # multiplier of each cast member's daily cost per hold day
    company_move: int = 1500
    location_revisit: int = 500
    overtime_per_minute: int = 20
    shoot_day: int = 5000
    change: int = 0  # per scene moved from the starting version (minimal change)
    default_daily_cost: int = 500  # for cast without a known rate
    scope: str = "all"
    from_date: date | None = None
    to_date: date | None = None  # scope "range": the last date that may change
    allow_drops: bool = True  # use the production's drop/pick-up rule (drop_gap_days) instead of holding
    drop_cost: int = 1000  # cost of dropping and picking up one cast member
    include_boneyard: bool = False
    max_eighths: int | None = None  # default: the production's page limit per day
    overtime_cap_minutes: int = 120
    mixed_day_night: bool = False
    workers: int = 2
    # hard constraints the board cannot hold, one per line by scene number:
    # "12 before 40" (an earlier day), "12 by 40" (same day or earlier)
    precedences: str = ""
    # weather cover: "12 / 40" = EXT scene 12 is shot on the same day as its INT cover scene 40
    covers: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["from_date"] = self.from_date.isoformat() if self.from_date else None
        data["to_date"] = self.to_date.isoformat() if self.to_date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        data = dict(data)
        for key in ("from_date", "to_date"):
            if data.get(key):
                data[key] = date.fromisoformat(data[key])
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def weights(self) -> Weights:
        return Weights(cast_holding=self.holding, company_move=self.company_move, location_revisit=self.location_revisit,
                       overtime_per_minute=self.overtime_per_minute, shoot_day=self.shoot_day, change=self.change,
                       drop_pickup=self.drop_cost)

    def check(self) -> None:
        errors: dict[str, str] = {}
        if not 1 <= int(self.time_limit) <= 600:
            errors["time_limit"] = "Give the solver between 1 and 600 seconds."
        for name in ("holding", "company_move", "location_revisit", "overtime_per_minute", "shoot_day", "change",
                     "default_daily_cost", "overtime_cap_minutes", "drop_cost"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0 or value > 10**7:
                errors[name] = "Enter a whole number from 0 to 10,000,000."
        if self.scope not in SCOPES:
            errors["scope"] = "Choose which scenes may move."
        if self.scope in ("from_date", "range") and self.from_date is None:
            errors["from_date"] = "Give the first date that may change."
        if self.scope == "range":
            if self.to_date is None:
                errors["to_date"] = "Give the last date that may change."
            elif self.from_date is not None and self.to_date < self.from_date:
                errors["to_date"] = "The last date that may change is before the first one."
        if self.max_eighths is not None and not 1 <= self.max_eighths <= 800:
            errors["max_eighths"] = "Enter a page limit from 1 to 800 eighths."
        try:
            precedence_pairs(self.precedences)
        except ValueError as exc:
            errors["precedences"] = str(exc)
        try:
            cover_pairs(self.covers)
        except ValueError as exc:
            errors["covers"] = str(exc)
        if errors:
            raise ValidationError(errors)


_PRECEDENCE = re.compile(r"^\s*(\S+)\s+(before|by)\s+(\S+)\s*$", re.IGNORECASE)
_COVER = re.compile(r"^\s*(\S+)\s*/\s*(\S+)\s*$")


def precedence_pairs(text: str) -> list[tuple[str, str, bool]]:
    """(scene number, scene number, strict) per line "12 before 40" (strict) or "12 by 40"."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = _PRECEDENCE.match(line)
        if not m:
            raise ValueError(f"Line {n}: write “12 before 40” (an earlier day) or “12 by 40” (same day or earlier).")
        out.append((m.group(1).upper(), m.group(3).upper(), m.group(2).lower() == "before"))
    return out


def cover_pairs(text: str) -> list[tuple[str, str]]:
    """(EXT scene number, INT cover scene number) per line "12 / 40"."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = _COVER.match(line)
        if not m:
            raise ValueError(f"Line {n}: write the exterior scene and its interior cover scene as “12 / 40”.")
        out.append((m.group(1).upper(), m.group(2).upper()))
    return out


@dataclass
class Built:
    """A solver instance plus what it takes to explain it and write it back."""

    instance: Instance
    weights: Weights
    version: ScheduleVersion
    options: Options
    dates: list[date]  # every shoot date the written board may use (day N = dates[N-1])
    keys: dict[str, tuple[int, int]]  # solver scene id -> (scene pk, part)
    labels: dict[str, str]  # solver scene id -> "12" / "12 pt 2"
    order: dict[str, int]  # solver scene id -> position on the starting board (ties within a day)
    current: dict[str, date]  # the starting version's dates (scenes on dated days)
    frozen: dict[date, list[tuple[int, int]]]  # days kept as they are (scope from_date)
    cast_names: dict[str, str]
    daily_costs: dict[str, int]
    cost_source: dict[str, str]
    currency: str
    notes: list[str] = field(default_factory=list)


def _scene_id(scene_pk: int, part: int) -> str:
    return f"{scene_pk}.{part}" if part else str(scene_pk)


def _daily_cost(member, default: int) -> tuple[int, str]:
    """The cast member's day rate from their deal (week / 5, hour x 10), else the default."""
    amount = member.rate_amount
    if amount is None:
        return default, "default"
    unit = member.rate_unit
    if unit == "day":
        value = Decimal(amount)
    elif unit == "week":
        value = Decimal(amount) / 5
    elif unit == "hour":
        value = Decimal(amount) * 10
    else:
        return default, "default"
    return int(value.to_integral_value()), f"deal ({amount} {member.rate_currency} {member.get_rate_unit_display()})"


def instance_build(*, access: ProductionAccess, version: ScheduleVersion, options: Options) -> Built:
    options.check()
    board = selectors.board_get(access=access, version=version)
    calendar = board.calendar
    if calendar is None:
        raise ValidationError({"version": f"{version.schedule.unit} has no calendar: set its shoot dates first."})
    prefs = board.prefs
    planned = [d for d in shoot_dates(calendar, board.exceptions, 500) if d <= calendar.shoot_end]
    count = max(len(planned), len(board.days), 1)
    dates = shoot_dates(calendar, board.exceptions, count)
    notes: list[str] = []

    # cast of every scene: accepted cast tags (as on the board) plus the script's characters
    cast_map = selectors.cast_by_key(access.production)
    strips = [s for d in board.days for s in d.strips if s.kind == Strip.Kind.SCENE] + list(board.boneyard)
    scene_pks = {s.scene_id for s in strips}
    characters: dict[int, set[int]] = {}
    for scene_pk, name in SceneCharacter.objects.filter(scene_id__in=scene_pks).values_list("scene_id", "name"):
        member = cast_map.get(element_key(name))
        if member is not None:
            characters.setdefault(scene_pk, set()).add(member.cast_number)
    members = {m.cast_number: m for m in cast_map.values()}

    keys, labels, order, current = {}, {}, {}, {}
    frozen: dict[date, list[tuple[int, int]]] = {}
    scenes: list[Scene] = []
    pins: list[tuple[str, date]] = []
    used_members: set[int] = set()
    position = 0
    for day in board.days:
        for strip in day.strips:
            if strip.kind != Strip.Kind.SCENE:
                continue
            key = (strip.scene_id, strip.part)
            if options.scope == "from_date" and day.date and day.date < options.from_date:
                frozen.setdefault(day.date, []).append(key)
                continue
            sid = _scene_id(*key)
            if day.date:
                current[sid] = day.date
                if options.scope == "boneyard":
                    pins.append((sid, day.date))
            scenes.append(_scene(strip, sid, characters, prefs, boneyard=False))
            keys[sid], labels[sid], order[sid] = key, strip.label, position
            used_members.update(int(c) for c in scenes[-1].cast)
            position += 1
    for strip in board.boneyard:
        sid = _scene_id(strip.scene_id, strip.part)
        scenes.append(_scene(strip, sid, characters, prefs, boneyard=not options.include_boneyard))
        keys[sid], labels[sid], order[sid] = (strip.scene_id, strip.part), strip.label, position
        if options.include_boneyard:
            used_members.update(int(c) for c in scenes[-1].cast)
        position += 1

    days = [d for d in dates if options.scope != "from_date" or d >= options.from_date]
    if not days:
        raise ValidationError({"from_date": "No shoot day of the calendar is on or after that date."})
    window = None
    if options.scope == "range":
        window = (options.from_date, options.to_date)
        if not any(options.from_date <= d <= options.to_date for d in days):
            raise ValidationError({"to_date": f"No shoot day of the calendar is from {_day(options.from_date)} "
                                              f"to {_day(options.to_date)}."})
    unavailable_cast: dict[int, set[date]] = {}
    unavailable_sets: dict[str, set[date]] = {}
    rows = Availability.objects.filter(production=access.production, date__gte=days[0], date__lte=days[-1],
                                       status__in=UNAVAILABLE).values_list("cast_member__cast_number", "set_key", "date")
    for number, set_key, when in rows:
        if number:
            unavailable_cast.setdefault(number, set()).add(when)
        elif set_key:
            unavailable_sets.setdefault(set_key, set()).add(when)
    # A set shot at a location (the locations app) is planned under the location, so two sets of one
    # house are one place for company moves; the location's own unavailable dates apply to it.
    where = locations_by_set(access.production.pk)
    for set_key, blocked in list(unavailable_sets.items()):
        if set_key in where:
            unavailable_sets.setdefault(place_of(where[set_key].name), set()).update(blocked)
    names = {loc.pk: loc.name for loc in where.values()}
    for location_id, when in unavailable_locations(access.production.pk, days[0], days[-1], ["unavailable"]):
        if location_id in names:
            unavailable_sets.setdefault(place_of(names[location_id]), set()).add(when)
    cast, daily_costs, cost_source, cast_names = [], {}, {}, {}
    for number in sorted(used_members):
        member = members[number]
        cost, source = _daily_cost(member, options.default_daily_cost)
        daily_costs[str(number)], cost_source[str(number)] = cost, source
        cast_names[str(number)] = f"#{number} {member.character}"
        cast.append(CastMember(str(number), daily_cost=cost, unavailable=frozenset(unavailable_cast.get(number, ()))))
    defaulted = [cast_names[k] for k, v in cost_source.items() if v == "default"]
    if defaulted:
        notes.append(f"No day rate on file for {', '.join(defaulted)}: counted at {options.default_daily_cost} a day.")
    locations = tuple(Location(key, frozenset(unavailable_sets.get(key, ())))
                      for key in sorted({s.location for s in scenes if s.location}))

    limit = options.max_eighths or prefs.day_limit_eighths
    active = [s for s in scenes if not s.boneyard]
    biggest = max((s.pages for s in active), default=0)
    if biggest > limit:
        notes.append(f"A strip has {selectors.eighths_label(biggest)} pages, more than the "
                     f"{selectors.eighths_label(limit)}-page limit: the limit was raised to it.")
        limit = biggest
    standard = prefs.day_limit_minutes
    longest = max((s.minutes or 0 for s in active), default=0)
    cap = max(standard + options.overtime_cap_minutes, longest)
    if prefs.turnaround_hours and calendar.default_call is not None:
        rest_cap = 24 * 60 - prefs.turnaround_hours * 60  # wrap to the next day's call at the usual time
        if rest_cap < cap:
            cap = max(rest_cap, longest)
            notes.append(f"Days are capped at {selectors.hours_label(cap)} h so that cast get "
                         f"{prefs.turnaround_hours} h rest before the next {calendar.default_call:%H:%M} call.")
    precedences = _precedences(built_labels=labels, scenes=scenes, options=options)
    if options.allow_drops:
        notes.append(f"Cast may be dropped and picked up across a gap of more than {prefs.drop_gap_days} days "
                     f"(once each) at {options.drop_cost} a drop, instead of being held.")
    if len(dates) > len(planned) and planned:
        notes.append(f"The starting version runs past the planned last shoot day ({calendar.shoot_end:%a %d %b %Y}).")
    instance = Instance(
        days=tuple(days),
        scenes=tuple(scenes),
        cast=tuple(cast),
        locations=locations,
        pins=tuple(pins),
        precedences=tuple(precedences),
        max_pages_per_day=limit,
        max_minutes_per_day=cap,
        standard_minutes_per_day=standard,
        mixed_day_night=options.mixed_day_night,
        rest_after_night=bool(prefs.turnaround_hours),
        current=tuple((sid, d) for sid, d in current.items() if d in set(days)),
        drop_gap_days=prefs.drop_gap_days if options.allow_drops else None,
        window=window,
    )
    return Built(instance=instance, weights=options.weights(), version=version, options=options, dates=dates,
                 keys=keys, labels=labels, order=order, current=current, frozen=frozen, cast_names=cast_names,
                 daily_costs=daily_costs, cost_source=cost_source, currency=access.production.base_currency,
                 notes=notes)


def _precedences(*, built_labels: dict[str, str], scenes: list[Scene], options: Options) -> list[Precedence]:
    """Parts of a split scene in order (same day or earlier), then the precedences and weather-cover
    pairs given with the run (a cover pair is the same day: two precedences either way)."""
    active = {s.id for s in scenes if not s.boneyard}
    by_number: dict[str, list[str]] = {}
    for sid in sorted(active, key=lambda x: (x.split(".")[0], int(x.split(".")[1]) if "." in x else 0)):
        by_number.setdefault(built_labels[sid].split(" pt ")[0].upper(), []).append(sid)
    out: list[Precedence] = []
    for sids in by_number.values():
        out.extend(Precedence(a, b) for a, b in pairwise(sids))

    def find(number: str, field_name: str) -> list[str]:
        if number not in by_number:
            raise ValidationError({field_name: f"Scene {number} is not among the scenes this run may schedule."})
        return by_number[number]

    for a, b, strict in precedence_pairs(options.precedences):
        if a == b:
            raise ValidationError({"precedences": f"Scene {a} cannot come before itself."})
        out.extend(Precedence(x, y, strict) for x in find(a, "precedences") for y in find(b, "precedences"))
    for ext, cover in cover_pairs(options.covers):
        for x in find(ext, "covers"):
            for y in find(cover, "covers"):
                out.extend((Precedence(x, y), Precedence(y, x)))
    return out


def place_of(location_name: str) -> str:
    """The solver's location id of a set shot at a named location ("" without one)."""
    return f"@{location_name}" if location_name else ""


def place_label(place: str, lower: bool = False) -> str:
    """"Location The Anchor Café" for a location id, "Set HARBOUR QUAY" for a set without one."""
    kind = ("location" if place.startswith("@") else "set") if lower else ("Location" if place.startswith("@") else "Set")
    return f"{kind} {place[1:]}" if place.startswith("@") else f"{kind} {place}"


def _scene(strip: Strip, sid: str, characters: dict[int, set[int]], prefs, *, boneyard: bool) -> Scene:
    numbers = {c.cast_number for c in getattr(strip, "cast_members", [])} | characters.get(strip.scene_id, set())
    minutes = strip.estimate_minutes if strip.estimate_minutes is not None else strip.eighths * prefs.minutes_per_eighth
    return Scene(
        id=sid,
        cast=frozenset(str(n) for n in numbers),
        location=place_of(getattr(strip, "location_name", "")) or strip.scene.set_key or strip.scene.set_name or None,
        pages=strip.eighths,
        minutes=minutes,
        day_night=DayNight.NIGHT if strip.scene.day_night == "N" else DayNight.DAY,
        boneyard=boneyard,
    )


# --- the plan to write back ----------------------------------------------------------------------


def plan_days(built: Built, schedule: dict[str, date]) -> list[list[tuple[int, int]]]:
    """The board to write: one list of (scene pk, part) per shoot day, day 1 first, up to the last
    used date (empty days in between stay, so that day N keeps the N-th shoot date)."""
    by_date: dict[date, list[str]] = {}
    for sid, when in schedule.items():
        by_date.setdefault(when, []).append(sid)
    scenes = {s.id: s for s in built.instance.scenes}
    last = max([*by_date, *built.frozen], default=None)
    days: list[list[tuple[int, int]]] = []
    if last is None:
        return days
    for when in built.dates:
        if when > last:
            break
        if when in built.frozen:
            days.append(list(built.frozen[when]))
            continue
        sids = by_date.get(when, [])
        first_seen: dict[str, int] = {}
        for sid in sorted(sids, key=lambda s: built.order[s]):
            first_seen.setdefault(scenes[sid].location or "", built.order[sid])
        sids.sort(key=lambda s: (first_seen[scenes[s].location or ""], built.order[s]))
        days.append([built.keys[s] for s in sids])
    return days


# --- the explanation -----------------------------------------------------------------------------


def _counts(instance: Instance, schedule: dict[str, date], weights: Weights) -> dict[str, Any]:
    """Per term, the count behind its cost (hold days paid, drops, moves …); per cast member
    (paid hold days, work days, their drop). Drops are decided with the run's real weights."""
    index = {d: i for i, d in enumerate(instance.days)}
    work: dict[str, set[int]] = {}
    for scene in instance.scenes:
        if scene.id in schedule and schedule[scene.id] in index:
            for m in scene.cast:
                work.setdefault(m, set()).add(index[schedule[scene.id]])
    member_holds = cost_holds(instance, schedule, weights)
    ones = Weights(1, 1, 1, 1, 1, 1, 1)
    plain = replace(instance, cast=tuple(CastMember(c.id, 1, c.unavailable) for c in instance.cast), drop_gap_days=None)
    counted = evaluate(plain, schedule, ones)
    counted["cast_holding"] = sum(hold - saved for hold, saved, _ in member_holds.values())
    counted["drop_pickups"] = sum(1 for _, _, drop in member_holds.values() if drop)
    holds = {m: (member_holds[m][0] - member_holds[m][1], len(d), member_holds[m][2]) for m, d in work.items()}
    return {"terms": counted, "holds": holds}


def _day(d: date | None) -> str:
    return f"{d:%a %d %b}" if d else "—"


def explain(built: Built, result: Result, *, solutions: int = 0, stopped: bool = False) -> dict[str, Any]:
    """What the person reviewing the draft needs: every cost term before and after, each cast
    member's hold days, scenes moved, constraints that limited the choice, the solve status."""
    inst, weights = built.instance, built.weights
    in_days = set(inst.days)
    before_schedule = {sid: d for sid, d in built.current.items() if d in in_days and sid in {s.id for s in inst.scenes if not s.boneyard}}
    after_schedule = dict(result.schedule)
    before, after = evaluate(inst, before_schedule, weights), dict(result.breakdown)
    cb, ca = _counts(inst, before_schedule, weights), _counts(inst, after_schedule, weights)
    terms = [{"key": k, "label": TERM_LABELS[k], "before": before.get(k, 0), "after": after.get(k, 0),
              "count_before": cb["terms"].get(k, 0), "count_after": ca["terms"].get(k, 0)} for k in TERM_LABELS]
    cast = []
    for member in inst.cast:
        hb, wb, db = cb["holds"].get(member.id, (0, 0, None))
        ha, wa, da = ca["holds"].get(member.id, (0, 0, None))
        cast.append({"id": member.id, "name": built.cast_names.get(member.id, member.id), "daily_cost": member.daily_cost,
                     "source": built.cost_source.get(member.id, ""), "work_before": wb, "work_after": wa,
                     "hold_before": hb, "hold_after": ha,
                     "drop_before": f"{_day(db[0])} → {_day(db[1])}" if db else "",
                     "drop_after": f"{_day(da[0])} → {_day(da[1])}" if da else "",
                     "cost_before": weights.cast_holding * member.daily_cost * hb,
                     "cost_after": weights.cast_holding * member.daily_cost * ha})
    moved = []
    for scene in inst.scenes:
        was, now = built.current.get(scene.id), after_schedule.get(scene.id)
        if scene.boneyard or (was == now):
            continue
        moved.append({"scene": built.labels[scene.id], "from": _day(was) if was else "boneyard / no date",
                      "to": _day(now) if now else "boneyard"})
    from .solver.validate import validate

    return {
        "status": str(result.status),
        "stopped": stopped,
        "objective": result.objective,
        "bound": result.best_bound,
        "gap": result.gap,
        "seconds": round(result.seconds, 2),
        "solutions": solutions,
        "currency": built.currency,
        "terms": terms,
        "total_before": sum(before.values()),
        "total_after": result.objective,
        "cast": cast,
        "moved": moved,
        "moved_count": len(moved),
        "binding": binding_constraints(built, after_schedule),
        "before_problems": _readable(built, validate(inst, before_schedule))
        if len(before_schedule) == len([s for s in inst.scenes if not s.boneyard]) else [],
        "notes": list(built.notes),
        "options": built.options.as_json(),
        "base_version": built.version.pk,
        "base_name": built.version.name,
    }


def _readable(built: Built, problems: list[str]) -> list[str]:
    """Validator messages with scene and cast ids replaced by scene numbers and names."""
    out = []
    for text in problems:
        for sid, label in built.labels.items():
            text = text.replace(f"scene {sid!r}", f"Scene {label}")
        for cid, name in built.cast_names.items():
            text = text.replace(f"{cid!r} is not available", f"{name} is not available")
        out.append(re.sub(r"(\d{4})-(\d{2})-(\d{2})", lambda m: _day(date(*map(int, m.groups()))), text))
    return out


def binding_constraints(built: Built, schedule: dict[str, date]) -> list[str]:
    """The hard constraints that limited the choice, in words: pins, unavailable cast and sets on
    dates their scenes would otherwise have been free to use, days filled to a limit."""
    inst = built.instance
    lines: list[str] = []
    if inst.window is not None:
        kept = [sid for sid, d in inst.current if not inst.window[0] <= d <= inst.window[1]]
        lines.append(f"Only {_day(inst.window[0])} to {_day(inst.window[1])} was re-planned: {len(kept)} scene(s) "
                     "outside it stayed on their days.")
    pinned = [built.labels[sid] for sid, _ in inst.pins]
    if pinned:
        lines.append(f"{len(pinned)} scene(s) stayed on their days (pinned): {', '.join(pinned[:12])}"
                     + (" …" if len(pinned) > 12 else "") + ".")
    active = [s for s in inst.scenes if not s.boneyard]
    for member in inst.cast:
        blocked = sorted(d for d in member.unavailable if d in set(inst.days))
        theirs = [s for s in active if member.id in s.cast]
        if not blocked or not theirs:
            continue
        forced = [built.labels[s.id] for s in theirs if built.current.get(s.id) in member.unavailable]
        text = (f"{built.cast_names.get(member.id, member.id)} is unavailable on {', '.join(_day(d) for d in blocked[:6])}"
                + (" …" if len(blocked) > 6 else "") + f": their {len(theirs)} scene(s) could not go on those days")
        if forced:
            text += f", so scene(s) {', '.join(forced)} had to move off them"
        lines.append(text + ".")
    for loc in inst.locations:
        blocked = sorted(d for d in loc.unavailable if d in set(inst.days))
        if blocked and any(s.location == loc.id for s in active):
            lines.append(f"{place_label(loc.id)} is unavailable on {', '.join(_day(d) for d in blocked[:6])}.")
    for when, (pages, minutes) in sorted(load_by_day(inst, schedule).items()):
        if inst.max_pages_per_day and pages >= inst.max_pages_per_day:
            lines.append(f"{_day(when)} is full: {selectors.eighths_label(pages)} pages, the most a day may hold.")
        elif inst.max_minutes_per_day and minutes >= inst.max_minutes_per_day:
            lines.append(f"{_day(when)} is full: {selectors.hours_label(minutes)} h including overtime.")
    return lines


def conflict_lines(built: Built, result: Result) -> list[str]:
    """The solver's minimal conflicting set in words, scene numbers and cast names as on the board."""
    from .solver.conflicts import words

    return [words(c, label=lambda sid: built.labels.get(sid, sid), name=lambda mid: built.cast_names.get(mid, mid),
                  shoot_days=len(built.instance.days)) for c in result.conflicts]


def infeasible_reasons(built: Built, result: Result | None = None) -> list[str]:
    """Why there is no schedule, in words ("Scene 12 needs #1 ANNA, who is unavailable on …"): the
    minimal conflicting set when the solver found one, else the per-scene and pin/rule checks."""
    if result is not None and result.conflicts:
        return ["These constraints cannot all hold together (remove or change any one of them): "
                + " ".join(conflict_lines(built, result))]
    inst = built.instance
    allowed = allowed_days(inst)
    cast = inst.cast_by_id()
    locations = inst.locations_by_id()
    pins = dict(inst.pins)
    reasons = []
    for scene in inst.scenes:
        if scene.boneyard or allowed.get(scene.id):
            continue
        causes = []
        if scene.id in pins:
            causes.append(f"it is pinned to {_day(pins[scene.id])}")
        for m in sorted(scene.cast):
            days = [d for d in inst.days if d in cast[m].unavailable]
            if days:
                causes.append(f"{built.cast_names.get(m, m)} is unavailable on {len(days)} of the {len(inst.days)} "
                              f"shoot days ({', '.join(_day(d) for d in days[:4])}{' …' if len(days) > 4 else ''})")
        if scene.location in locations and locations[scene.location].unavailable:
            causes.append(f"{place_label(scene.location, lower=True)} is unavailable on {len(locations[scene.location].unavailable)} day(s)")
        reasons.append(f"Scene {built.labels[scene.id]} has no shoot day from {_day(inst.days[0])} to "
                       f"{_day(inst.days[-1])} with its cast and set available: " + "; ".join(causes) + ".")
    pinned_at = {sid: inst.days.index(d) for sid, d in inst.pins if d in inst.days}
    for p in inst.precedences:
        a, b = pinned_at.get(p.before), pinned_at.get(p.after)
        if a is not None and b is not None and (a > b or (p.strict and a == b)):
            reasons.append(f"Scene {built.labels[p.before]} must be shot {'before' if p.strict else 'by the day of'} "
                           f"scene {built.labels[p.after]}, but they are pinned to {_day(inst.days[a])} and "
                           f"{_day(inst.days[b])}.")
    if not reasons and inst.precedences:
        reasons.append(f"The {len(inst.precedences)} order rule(s) (split-scene parts, “before”/“by” rules and "
                       "weather-cover pairs) may not fit with the pins, availability and page limits.")
    if not reasons:
        total = sum(s.pages for s in inst.scenes if not s.boneyard)
        reasons.append(
            f"The {len([s for s in inst.scenes if not s.boneyard])} scenes ({selectors.eighths_label(total)} pages) do not fit "
            f"into {len(inst.days)} shoot days at most {selectors.eighths_label(inst.max_pages_per_day or 0)} pages a day with "
            "the day/night rules: add shoot days to the calendar, raise the page limit or allow split days."
        )
    return reasons


def status_label(status: str, gap: float | None, stopped: bool = False) -> str:
    if status == Status.OPTIMAL:
        return "Optimal (proven best for these weights)"
    if status == Status.FEASIBLE:
        why = "stopped by you" if stopped else "time limit reached"
        return f"Good, not proven best ({why}; gap {gap * 100:.1f}%)" if gap is not None else f"Feasible ({why})"
    if status == Status.INFEASIBLE:
        return "No schedule meets the hard constraints"
    return "No schedule found in time"


# --- reads ---------------------------------------------------------------------------------------


def run_get(*, access: ProductionAccess, run_id: str) -> OptimiserRun:
    """One optimiser run of this production (OptimiserRun.DoesNotExist when there is none)."""
    try:
        return OptimiserRun.objects.select_related("result_version", "source_version", "unit").get(
            production=access.production, pk=str(run_id))
    except (ValidationError, ValueError):  # not a run id at all
        raise OptimiserRun.DoesNotExist from None


def run_list(*, access: ProductionAccess, limit: int = 10) -> list[OptimiserRun]:
    return list(OptimiserRun.objects.filter(production=access.production).select_related(
        "result_version", "source_version", "unit").order_by("-created_at")[:limit])


def explanation_get(*, access: ProductionAccess, version_id: int) -> tuple[ScheduleVersion, dict[str, Any] | None]:
    """A version and, if the optimiser made it, its explanation (DoesNotExist for another production's)."""
    version = selectors.version_get(access=access, version_id=version_id)
    run = OptimiserRun.objects.filter(production=access.production, result_version=version).order_by("-created_at").first()
    return version, (run.explanation if run is not None and run.explanation else None)
