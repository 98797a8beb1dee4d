"""Commitments that other apps add to the cost report, through a registry filled in AppConfig.ready().

Budgets knows purchase orders; other apps know other promises to pay (payroll: the rest of each
crew or cast deal). They must not be imported from here (import-linter: budgets sits below payroll),
so each registers a provider:

    from unitbase.budgets.commitment_sources import register
    register("labour", "Labour (payroll deals)", labour_commitments)

A provider takes (production, as_of) and returns `Commitment`s open at the end of `as_of`: amounts in
their own currency, coded to an account code of the production's budget. The cost report converts
them with the report budget's exchange rates and adds them to the account's commitments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Commitment:
    account_code: str
    amount: Decimal
    currency: str
    source: str
    reference: str = ""


Provider = Callable[[Any, dt.date], Iterable[Commitment]]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    provider: Provider


_SOURCES: dict[str, Source] = {}


def register(key: str, label: str, provider: Provider) -> None:
    """Add (or replace, by key: ready() may run twice in tests) a commitment source."""
    _SOURCES[key] = Source(key=key, label=label, provider=provider)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def commitments(production: Any, as_of: dt.date) -> list[Commitment]:
    """Every registered source's commitments for the production at the end of `as_of`."""
    found: list[Commitment] = []
    for source in _SOURCES.values():
        found.extend(c for c in source.provider(production, as_of) if c.amount)
    return found
