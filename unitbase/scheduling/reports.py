"""Reports of a schedule version: day out of days, one-liner, shooting schedule, and the comparison
of two versions. Each report is a `Report` that the HTML page, CSV, XLSX and PDF share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from unitbase.people.models import CastMember
from unitbase.productions.permissions import ProductionAccess
from unitbase.scripts.models import BreakdownCategory, Tag, TagStatus

from . import dood as doodlib
from .models import Availability, ScheduleVersion, Strip
from .selectors import Board, board_get, eighths_label


@dataclass
class Report:
    kind: str
    title: str
    version: ScheduleVersion
    production: Any
    headers: list[str]
    rows: list[list[Any]]
    pdf_template: str
    context: dict[str, Any] = field(default_factory=dict)
    landscape: bool = False

    @property
    def filename(self) -> str:
        return slugify(f"{self.production.title} {self.version.schedule.unit.name} {self.version.name} {self.kind}") or "report"

    @property
    def generated(self):
        return timezone.localtime()


def _undated_dates(board: Board) -> dict[int, date]:
    base = date(2000, 1, 3)  # a Monday: stand-in dates when the unit has no calendar
    return {d.number: d.date or base + timedelta(days=d.number - 1) for d in board.days}


# --- day out of days -----------------------------------------------------------------------------


def dood_report(*, access: ProductionAccess, version: ScheduleVersion, category: str = "cast") -> Report:
    board = board_get(access=access, version=version)
    dated = _undated_dates(board)
    undated = any(d.date is None for d in board.days)
    shoot_days = {dated[d.number]: d.number for d in board.days if d.strips}
    work: dict[str, set[date]] = defaultdict(set)
    events: dict[str, dict[date, str]] = defaultdict(dict)
    if category == "cast":
        members = list(CastMember.objects.filter(production=access.production).select_related("person").order_by("cast_number"))
        for day in board.days:
            for strip in day.strips:
                for member in getattr(strip, "cast_members", []):
                    work[str(member.pk)].add(dated[day.number])
        elements = [(str(m.pk), str(m.cast_number), f"{m.character} ({m.person.name})") for m in members]
        if not undated and shoot_days:
            for row in Availability.objects.filter(
                production=access.production, cast_member__isnull=False, status__in=["travel", "rehearsal", "fitting"],
                date__gte=min(shoot_days) - timedelta(days=14), date__lte=max(shoot_days) + timedelta(days=14),
            ).values_list("cast_member_id", "date", "status"):
                events[str(row[0])][row[1]] = row[2]
        category_name = "Cast"
        allow_hold, drop_gap = True, board.prefs.drop_gap_days
    else:
        cat = BreakdownCategory.objects.get(production=access.production, key=category)
        category_name = cat.name
        scene_day: dict[int, set[date]] = defaultdict(set)
        for day in board.days:
            for strip in day.strips:
                if strip.kind == Strip.Kind.SCENE:
                    scene_day[strip.scene_id].add(dated[day.number])
        names: dict[str, str] = {}
        for scene_id, element_id, name in Tag.objects.filter(
            scene_id__in=list(scene_day), status=TagStatus.ACCEPTED, element__category=cat
        ).values_list("scene_id", "element_id", "element__name"):
            work[str(element_id)] |= scene_day[scene_id]
            names[str(element_id)] = name
        elements = [(k, str(i), names[k]) for i, k in enumerate(sorted(names, key=lambda k: names[k]), start=1)]
        allow_hold, drop_gap = False, None
    all_dates = list(shoot_days) + [d for per in events.values() for d in per]
    columns: list[doodlib.DoodColumn] = []
    if all_dates:
        calendar = board.calendar
        columns = doodlib.columns_for(
            min(all_dates), max(all_dates), shoot_days, board.exceptions if not undated else {},
            set(calendar.working_weekdays) if calendar and not undated else set(range(7)),
        )
    rows = doodlib.compute_dood(columns=columns, elements=elements, work=work, events=events,
                                allow_hold=allow_hold, drop_gap=drop_gap)
    headers = ["#", category_name] + [
        (f"Day {c.day_number}" if undated else f"{c.date:%a %d %b}" + (f" (D{c.day_number})" if c.day_number else ""))
        for c in columns
    ] + ["Work", "Hold", "Holiday", "Travel", "Rehearsal", "Fitting", "Paid", "Start", "Finish"]
    table = []
    for r in rows:
        table.append([r.number, r.name, *r.codes, r.work, r.hold, r.holiday, r.travel, r.rehearsal, r.fitting, r.paid,
                      "" if undated or not r.start else r.start.isoformat(),
                      "" if undated or not r.finish else r.finish.isoformat()])
    return Report(
        kind=f"dood-{category}", title=f"Day out of days — {category_name}", version=version, production=access.production,
        headers=headers, rows=table, pdf_template="scheduling/pdf/dood.html", landscape=True,
        context={"columns": columns, "dood_rows": rows, "undated": undated, "category_name": category_name,
                 "drop_gap": drop_gap, "board": board},
    )


# --- one-liner and shooting schedule -------------------------------------------------------------


def _elements_by_scene(scene_ids: list[int]) -> dict[int, list[tuple[str, str, list[str]]]]:
    """{scene_id: [(category, colour, [names])]} in category order, one query."""
    grouped: dict[int, dict[tuple[int, str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = Tag.objects.filter(scene_id__in=scene_ids, status=TagStatus.ACCEPTED).exclude(
        element__category__key__in=["sets"]).values_list(
        "scene_id", "element__category__order", "element__category__name", "element__category__colour", "element__name")
    for scene_id, order, cat, colour, name in rows:
        names = grouped[scene_id][(order, cat, colour)]
        if name not in names:
            names.append(name)
    return {sid: [(cat, colour, sorted(names)) for (order, cat, colour), names in sorted(cats.items())]
            for sid, cats in grouped.items()}


def schedule_report(*, access: ProductionAccess, version: ScheduleVersion, full: bool) -> Report:
    board = board_get(access=access, version=version)
    elements = _elements_by_scene([s.scene_id for d in board.days for s in d.strips if s.scene_id]) if full else {}
    for day in board.days:
        for strip in day.strips:
            if strip.kind == Strip.Kind.SCENE:
                strip.elements = elements.get(strip.scene_id, [])
    headers = ["Day", "Date", "Scene", "I/E", "Set", "D/N", "Pages", "Cast", "Synopsis", "Est. time"]
    if full:
        headers.append("Elements")
    rows: list[list[Any]] = []
    total_days = len(board.days)
    for day in board.days:
        when = day.date.isoformat() if day.date else ""
        for strip in day.strips:
            if strip.kind == Strip.Kind.SCENE:
                s = strip.scene
                row = [day.number, when, strip.label, s.int_ext, s.set_name, strip.dn, strip.pages,
                       " ".join(map(str, strip.cast_numbers)), s.synopsis, strip.hours]
                if full:
                    row.append("; ".join(f"{cat}: {', '.join(names)}" for cat, _, names in strip.elements))
                rows.append(row)
            else:
                rows.append([day.number, when, "", "", f"— {strip.get_banner_kind_display()}: {strip.text} —", "", "", "", "", ""]
                            + ([""] if full else []))
        rows.append([day.number, when, "", "", f"End of day {day.number} of {total_days}", "", day.pages, "",
                     f"{day.scenes} scenes; total {day.running_pages} pages", day.hours] + ([""] if full else []))
    kind = "shooting-schedule" if full else "one-liner"
    return Report(
        kind=kind, title="Shooting schedule" if full else "One-line schedule", version=version,
        production=access.production, headers=headers, rows=rows, pdf_template="scheduling/pdf/schedule.html",
        landscape=False, context={"board": board, "full": full, "total_days": total_days},
    )


# --- comparing two versions ----------------------------------------------------------------------


def _placement(board: Board) -> dict[tuple[str, int], int | None]:
    result: dict[tuple[str, int], int | None] = {}
    for day in board.days:
        for strip in day.strips:
            if strip.kind == Strip.Kind.SCENE:
                result[(strip.scene.number, strip.part)] = day.number
    for strip in board.boneyard:
        result[(strip.scene.number, strip.part)] = None
    return result


def compare_versions(*, access: ProductionAccess, a: ScheduleVersion, b: ScheduleVersion) -> dict[str, Any]:
    board_a, board_b = board_get(access=access, version=a), board_get(access=access, version=b)
    place_a, place_b = _placement(board_a), _placement(board_b)
    from .selectors import scene_sort_key

    moved = []
    for key in sorted(set(place_a) | set(place_b), key=lambda k: (scene_sort_key(k[0]), k[1])):
        da, db = place_a.get(key, "absent"), place_b.get(key, "absent")
        if da != db:
            moved.append({"scene": key[0] + (f" pt {key[1]}" if key[1] else ""), "a": da, "b": db})
    dates_a = {d.date for d in board_a.days if d.date}
    dates_b = {d.date for d in board_b.days if d.date}
    dood_a = {r.key: r for r in dood_report(access=access, version=a).context["dood_rows"]}
    dood_b = {r.key: r for r in dood_report(access=access, version=b).context["dood_rows"]}
    dood_changes = []
    for key, ra in dood_a.items():
        rb = dood_b.get(key)
        if rb is None:
            continue
        if (ra.work, ra.hold, ra.paid, ra.start, ra.finish) != (rb.work, rb.hold, rb.paid, rb.start, rb.finish):
            dood_changes.append({"name": ra.name, "number": ra.number, "a": ra, "b": rb, "paid_delta": rb.paid - ra.paid})
    return {
        "moved": moved,
        "days_a": len(board_a.days), "days_b": len(board_b.days),
        "days_added": sorted(dates_b - dates_a), "days_removed": sorted(dates_a - dates_b),
        "pages_a": eighths_label(board_a.total_eighths), "pages_b": eighths_label(board_b.total_eighths),
        "dood": dood_changes,
    }
