"""Tells the locations app on which shoot days of the applied schedules each set is scheduled
(registered in SchedulingConfig.ready(); see unitbase/locations/hooks.py)."""

from __future__ import annotations

from typing import Any

from unitbase.locations.hooks import ShootDayRef

from .models import Strip


def shoot_days_for_sets(access: Any, set_keys: list[str]) -> dict[str, list[ShootDayRef]]:
    from .selectors import board_get, unit_list, version_applied

    wanted = set(set_keys)
    found: dict[str, list[ShootDayRef]] = {}
    for unit in unit_list(access=access):
        version = version_applied(access=access, unit_id=unit.pk)
        if version is None:
            continue
        board = board_get(access=access, version=version)
        for day in board.days:
            scenes_by_set: dict[str, list[str]] = {}
            for strip in day.strips:
                if strip.kind == Strip.Kind.SCENE and strip.scene.set_key in wanted:
                    scenes_by_set.setdefault(strip.scene.set_key, []).append(strip.label)
            for key, labels in scenes_by_set.items():
                found.setdefault(key, []).append(ShootDayRef(unit=unit.name, day_number=day.number, date=day.date,
                                                             scenes=tuple(labels)))
    return found
