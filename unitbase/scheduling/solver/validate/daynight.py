"""DAY and NIGHT work: a shoot day holds one kind unless `mixed_day_night`; with
`rest_after_night`, no DAY scene on the calendar day right after a day with NIGHT scenes
(turnaround)."""

from __future__ import annotations

from datetime import timedelta

from ..model import DayNight, Instance, Schedule


def kinds_by_day(instance: Instance, schedule: Schedule) -> dict:
    kinds: dict = {}
    for scene in instance.scenes:
        day = schedule.get(scene.id)
        if day is not None:
            kinds.setdefault(day, set()).add(scene.day_night)
    return kinds


def check(instance: Instance, schedule: Schedule) -> list[str]:
    problems = []
    kinds = kinds_by_day(instance, schedule)
    for day, ks in sorted(kinds.items()):
        if not instance.mixed_day_night and len(ks) > 1:
            problems.append(f"{day} mixes DAY and NIGHT scenes")
        if instance.rest_after_night and DayNight.NIGHT in ks:
            nxt = kinds.get(day + timedelta(days=1), set())
            if DayNight.DAY in nxt:
                problems.append(f"DAY scenes on {day + timedelta(days=1)} right after NIGHT work on {day}")
    return problems
