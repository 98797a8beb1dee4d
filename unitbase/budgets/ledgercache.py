"""Sums over a production's transactions (actuals), cached (docs/budgets.md "Speed").

The cost report's actuals by account and the spend-over-time chart each aggregate every transaction
of the production: with 100,000 of them that is most of the report page's time. The ledger is
append-only: a transaction is only ever created (spending._post, bundle import) and only removed
with its whole production; no code updates one. So the number of a production's transactions and
its highest id identify what the sums are over, and key the cached result:

- a new posting raises the count (and the id);
- a posting committed out of id order (two concurrent postings) still raises the count;
- a rolled-back posting never reappears under the same key: its id is spent, so a later state with
  the same count has a higher last id.

Sums computed inside a transaction are returned but not stored (they may include that transaction's
uncommitted postings), as sheetcache does for a working budget's figures. The stamp costs one
index-only query on (production, id); a cost report reads it once for its actuals and its chart
(CostReport.ledger_stamp)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max

from .models import Transaction


def ledger_stamp(production_id: int) -> str:
    row = Transaction.objects.filter(production_id=production_id).aggregate(n=Count("id"), last=Max("id"))
    return f"{row['n']}:{row['last'] or 0}"


def cached(production_id: int, what: str, compute: Callable[[], Any], stamp: str | None = None) -> Any:
    """`compute()`'s value for the production's ledger as it stands now, from the cache when there.
    `stamp`: the ledger_stamp the caller read just before (a report's second sum reuses its first's)."""
    key = f"unitbase:ledger:{production_id}:{stamp or ledger_stamp(production_id)}:{what}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if not transaction.get_connection().in_atomic_block:
            cache.set(key, value, timeout=None)
    return value
