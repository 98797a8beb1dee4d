"""Daily limits: pages (eighths) and hard cap on estimated minutes per shoot day."""

from __future__ import annotations

from ..model import Instance, Schedule


def load_by_day(instance: Instance, schedule: Schedule) -> dict:
    load: dict = {}
    for scene in instance.scenes:
        day = schedule.get(scene.id)
        if day is not None:
            pages, minutes = load.get(day, (0, 0))
            load[day] = (pages + scene.pages, minutes + (scene.minutes or 0))
    return load


def check(instance: Instance, schedule: Schedule) -> list[str]:
    problems = []
    for day, (pages, minutes) in sorted(load_by_day(instance, schedule).items()):
        if instance.max_pages_per_day is not None and pages > instance.max_pages_per_day:
            problems.append(f"{day}: {pages}/8 pages exceed the limit of {instance.max_pages_per_day}/8")
        if instance.max_minutes_per_day is not None and minutes > instance.max_minutes_per_day:
            problems.append(f"{day}: {minutes} minutes exceed the limit of {instance.max_minutes_per_day}")
    return problems
