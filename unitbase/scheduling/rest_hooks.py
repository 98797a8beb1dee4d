"""Rest-period (turnaround) checks that other apps register, so scheduling and call sheets can warn
before the day without importing the apps above them (payroll registers its checker in ready()).

A checker is ``fn(access, schedules) -> {cast_member_id: [message, ...]}`` where ``schedules`` maps
each cast member to their planned (call, wrap) datetimes. It receives every cast member at once so
that it can load what it needs (deals, packs) in a fixed number of queries however large the board.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

Schedule = list[tuple[datetime, datetime]]
RestChecker = Callable[[Any, dict[int, Schedule]], dict[int, list[str]]]

_checkers: list[RestChecker] = []


def register_rest_checker(fn: RestChecker) -> RestChecker:
    """Add a checker (idempotent: registering the same function twice keeps one)."""
    if fn not in _checkers:
        _checkers.append(fn)
    return fn


def has_rest_checkers() -> bool:
    return bool(_checkers)


def rest_warnings_for(access: Any, schedules: dict[int, Schedule]) -> dict[int, list[str]]:
    """Every registered checker's messages per cast member; members with fewer than two planned
    days, or no checker registered, get nothing."""
    wanted = {cast_id: sorted(pairs) for cast_id, pairs in schedules.items() if len(pairs) >= 2}
    messages: dict[int, list[str]] = {}
    if not _checkers or not wanted:
        return messages
    for checker in _checkers:
        for cast_id, found in checker(access, wanted).items():
            if found:
                messages.setdefault(cast_id, []).extend(found)
    return messages


def rest_warnings(access: Any, cast_member_id: int, schedule: Schedule) -> list[str]:
    """One cast member's messages (see rest_warnings_for)."""
    return rest_warnings_for(access, {cast_member_id: schedule}).get(cast_member_id, [])
