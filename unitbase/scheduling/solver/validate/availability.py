"""Cast members and locations are only used on dates they are available."""

from __future__ import annotations

from ..model import Instance, Schedule


def check(instance: Instance, schedule: Schedule) -> list[str]:
    problems = []
    cast = instance.cast_by_id()
    locations = instance.locations_by_id()
    for scene in instance.scenes:
        day = schedule.get(scene.id)
        if day is None:
            continue
        for member in sorted(scene.cast):
            if member in cast and day in cast[member].unavailable:
                problems.append(f"scene {scene.id!r}: {member!r} is not available on {day}")
        if scene.location in locations and day in locations[scene.location].unavailable:
            problems.append(f"scene {scene.id!r}: location {scene.location!r} is not available on {day}")
    return problems
