"""Date-range scope (`Instance.window`): scenes of the current schedule dated outside the window
stay on their dates; every other scheduled scene is inside the window."""

from __future__ import annotations

from ..model import Instance, Schedule


def fixed(instance: Instance) -> dict[str, object]:
    """Scenes the window keeps where they are: scene id -> its current date."""
    if instance.window is None:
        return {}
    start, end = instance.window
    return {sid: day for sid, day in instance.current if not start <= day <= end}


def check(instance: Instance, schedule: Schedule) -> list[str]:
    if instance.window is None:
        return []
    start, end = instance.window
    kept = fixed(instance)
    problems = []
    for scene_id, day in schedule.items():
        if scene_id in kept:
            if day != kept[scene_id]:
                problems.append(f"scene {scene_id!r} is outside the range {start} to {end} and must stay on "
                                f"{kept[scene_id]}, but is on {day}")
        elif not start <= day <= end:
            problems.append(f"scene {scene_id!r} may only move within {start} to {end}, but is on {day}")
    return problems
