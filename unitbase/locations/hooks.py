"""What the apps above locations tell it, without locations importing them.

Scheduling registers a provider in its AppConfig.ready() that answers, for one production, the
shoot days of each unit's applied schedule on which a set is scheduled:
``fn(access, set_keys) -> {set_key: [ShootDayRef, ...]}``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ShootDayRef:
    unit: str
    day_number: int
    date: date | None
    scenes: tuple[str, ...]


ShootDayProvider = Callable[[Any, list[str]], dict[str, list[ShootDayRef]]]
_providers: list[ShootDayProvider] = []


def register_shoot_day_provider(fn: ShootDayProvider) -> ShootDayProvider:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def shoot_days_for_sets(access: Any, set_keys: list[str]) -> dict[str, list[ShootDayRef]]:
    found: dict[str, list[ShootDayRef]] = {}
    if not set_keys:
        return found
    for provider in _providers:
        for key, days in provider(access, set_keys).items():
            found.setdefault(key, []).extend(days)
    return found
