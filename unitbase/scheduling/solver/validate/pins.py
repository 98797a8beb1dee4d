"""Pinned scenes are shot on their pinned date."""

from __future__ import annotations

from ..model import Instance, Schedule


def check(instance: Instance, schedule: Schedule) -> list[str]:
    return [
        f"scene {scene_id!r} is pinned to {day} but is on {schedule.get(scene_id)}"
        for scene_id, day in instance.pins
        if schedule.get(scene_id) != day
    ]
