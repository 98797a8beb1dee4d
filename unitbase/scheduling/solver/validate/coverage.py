"""Every non-boneyard scene is scheduled exactly once, on a day of the working calendar;
boneyard scenes and unknown scene ids are not scheduled."""

from __future__ import annotations

from ..model import Instance, Schedule


def check(instance: Instance, schedule: Schedule) -> list[str]:
    problems = []
    known = {s.id: s for s in instance.scenes}
    calendar = set(instance.days)
    for scene_id, day in schedule.items():
        scene = known.get(scene_id)
        if scene is None:
            problems.append(f"unknown scene {scene_id!r} is scheduled")
        elif scene.boneyard:
            problems.append(f"boneyard scene {scene_id!r} is scheduled")
        elif day not in calendar:
            problems.append(f"scene {scene_id!r} is on {day}, which is not a working day")
    for scene in instance.scenes:
        if not scene.boneyard and scene.id not in schedule:
            problems.append(f"scene {scene.id!r} is not scheduled")
    return problems
