"""Calculated budget figures, cached (docs/budgets.md "Speed").

Calculating a 2,000-line budget is most of a top sheet's, account page's and cost report's time, so
its results are kept in Django's cache (settings.CACHES; the default is per-process memory), without
expiry, under a key that changes whenever the figures can:

- a **locked** version never changes (every edit raises BudgetLocked; a revision is a new budget
  row): keyed by budget id, revision, lock time and figures stamp, read from the instance;
- a **working** version is keyed by budget id and `Budget.figures_stamp`, a random value that every
  write to its lines, globals, fringes, exchange rates or charges replaces inside its own transaction
  (`services._budget_for_edit`, which all those services call). The stamp is read from the database
  on each use, never from the instance (a page or caller may hold one loaded before an edit), and
  before the figures are read, so what is stored under a stamp is never older than that stamp.
  Figures calculated inside a transaction are returned but not stored: they may include that
  transaction's uncommitted (and perhaps not yet complete) writes.

In front of the Django cache each process keeps the last few values it used, unpickled
(`_live`, under the same keys): unpickling a 2,000-line top sheet costs more than a page's queries,
and a revision's top sheet reads two of them. Values handed out are shared and must be treated as
read-only (no caller changes them; calc builds new objects for every calculation).

A stamp is random rather than a counter so that a rolled-back write can never hand its number to a
later, different state. The figures do not depend on the schedule: SHOOT_DAYS is a budget global that
`global_sync_schedule` sets (a write like any other); the schedule's what-if total on the setup page
is cached under the shoot-day count it was computed with (`global_overrides`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction

from . import calc
from .models import Budget


def budget_cache_key(budget: Budget, what: str) -> str | None:
    """The cache key for the budget's figures as they stand now; None when it cannot be had (the
    budget row is gone)."""
    if budget.status == Budget.Status.LOCKED and budget.locked_at is not None:
        return (f"unitbase:budget:{what}:{budget.pk}:{budget.revision}:{budget.locked_at.timestamp()}:"
                f"{budget.figures_stamp}")
    row = Budget.objects.filter(pk=budget.pk).values_list("status", "figures_stamp").first()
    if row is None:
        return None
    status, stamp = row
    return f"unitbase:budget:{what}:{budget.pk}:{status}:{stamp}"


LIVE_MAX = 8
_live: OrderedDict[str, Any] = OrderedDict()
_live_lock = threading.Lock()


def _remember(key: str, value: Any) -> None:
    with _live_lock:
        _live[key] = value
        _live.move_to_end(key)
        while len(_live) > LIVE_MAX:
            _live.popitem(last=False)


def forget() -> None:
    """Empty this process's unpickled copies (with `cache.clear()`, for a cold start in benchmarks)."""
    with _live_lock:
        _live.clear()


def cached(budget: Budget, what: str, compute: Callable[[], Any]) -> Any:
    key = budget_cache_key(budget, what)
    if key is None:
        return compute()
    with _live_lock:
        value = _live.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        if budget.status != Budget.Status.LOCKED and transaction.get_connection().in_atomic_block:
            return value  # may include this transaction's uncommitted writes: not kept
        cache.set(key, value, timeout=None)
    _remember(key, value)
    return value


def calculated(budget: Budget, global_overrides: dict[str, Decimal] | None = None) -> calc.TopSheet:
    """The budget's calculated top sheet (calc.calculate), from the cache when it is there.
    `global_overrides` replaces some globals' values (what-if), cached under those values."""
    from .selectors import budget_input

    what = "topsheet"
    if global_overrides:
        what += ":" + ",".join(f"{name}={value}" for name, value in sorted(global_overrides.items()))
    return cached(budget, what, lambda: calc.calculate(budget_input(budget, global_overrides)))
