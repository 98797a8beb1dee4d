"""Calculated figures of locked budget versions, cached (docs/budgets.md "Speed").

A locked version never changes: every edit raises BudgetLocked and a revision is a new budget row.
So its calculated top sheet is keyed by budget id, revision and lock time and kept in Django's cache
(settings.CACHES; the default is per-process memory) without expiry. A working version is always
recalculated. Calculating a 2,000-line budget is most of the cost report's and top sheet's time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from . import calc
from .models import Budget


def budget_cache_key(budget: Budget, what: str) -> str | None:
    """A cache key for figures of a locked version; None for a working one (it can change)."""
    if budget.status != Budget.Status.LOCKED or budget.locked_at is None:
        return None
    return f"unitbase:budget:{what}:{budget.pk}:{budget.revision}:{budget.locked_at.timestamp()}"


def cached(budget: Budget, what: str, compute: Callable[[], Any]) -> Any:
    key = budget_cache_key(budget, what)
    if key is None:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=None)
    return value


def calculated(budget: Budget) -> calc.TopSheet:
    """The budget's calculated top sheet (calc.calculate), from the cache for a locked version."""
    from .selectors import budget_input

    return cached(budget, "topsheet", lambda: calc.calculate(budget_input(budget)))
