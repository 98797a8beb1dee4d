"""Dashboard panels contributed by other apps.

The productions app sits below the feature apps, so it cannot import them. An app that wants a
panel on the production dashboard registers a provider in its AppConfig.ready(); a provider takes
the acting user's ProductionAccess and returns (template name, context) or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .permissions import ProductionAccess

Panel = tuple[str, dict[str, Any]]
_providers: list[tuple[str, Callable[[ProductionAccess], Panel | None]]] = []


def register_panel(key: str, provider: Callable[[ProductionAccess], Panel | None]) -> None:
    if any(existing == key for existing, _ in _providers):
        return
    _providers.append((key, provider))


def panels_for(access: ProductionAccess) -> list[Panel]:
    return [panel for _, provider in _providers if (panel := provider(access)) is not None]
