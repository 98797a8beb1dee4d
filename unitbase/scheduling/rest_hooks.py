"""Rest-period (turnaround) checks that other apps register, so scheduling and call sheets can warn
before the day without importing the apps above them (payroll registers its checker in ready()).

A checker is ``fn(access, cast_member_id, schedule) -> list[str]`` where ``schedule`` is a list of
planned (call, wrap) datetimes for one cast member; it returns human-readable warnings."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

RestChecker = Callable[[Any, int, list[tuple[datetime, datetime]]], list[str]]

_checkers: list[RestChecker] = []


def register_rest_checker(fn: RestChecker) -> RestChecker:
    """Add a checker (idempotent: registering the same function twice keeps one)."""
    if fn not in _checkers:
        _checkers.append(fn)
    return fn


def has_rest_checkers() -> bool:
    return bool(_checkers)


def rest_warnings(access: Any, cast_member_id: int, schedule: list[tuple[datetime, datetime]]) -> list[str]:
    """Every registered checker's messages for one cast member's planned (call, wrap) pairs; none
    registered, or fewer than two pairs, gives an empty list."""
    if not _checkers or len(schedule) < 2:
        return []
    messages: list[str] = []
    for checker in _checkers:
        messages.extend(checker(access, cast_member_id, sorted(schedule)))
    return messages
