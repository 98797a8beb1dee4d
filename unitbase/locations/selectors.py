"""Reads for locations, scoped to the acting user's production. Everyone in the production may read
locations (addresses, parking, hospital): they are printed on every call sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.http import Http404

from unitbase.productions.permissions import ProductionAccess
from unitbase.scripts.models import Scene
from unitbase.scripts.selectors import revision_current

from . import hooks
from .models import Location, LocationAvailability, SetLocation


def location_list(*, access: ProductionAccess, status: str = "", q: str = "") -> QuerySet[Location]:
    rows = Location.objects.filter(production=access.production).annotate(set_count=Count("sets"))
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(name__icontains=q.strip()) | rows.filter(address__icontains=q.strip())
    return rows.order_by("name")


def location_get(*, access: ProductionAccess, location_id: int | str) -> Location:
    try:
        return Location.objects.get(production=access.production, pk=int(location_id))
    except (Location.DoesNotExist, TypeError, ValueError):
        raise Http404("No such location.") from None


@dataclass
class SetRow:
    key: str
    name: str
    scenes: list[str]
    location: Location | None


def set_list(*, access: ProductionAccess) -> list[SetRow]:
    """Every set of the current script (and any set assigned earlier that the script has since lost),
    with its scene numbers and location, by set name. Two queries."""
    revision = revision_current(access=access)
    sets: dict[str, SetRow] = {}
    if revision is not None:
        for key, name, number in (Scene.objects.filter(revision=revision).exclude(set_key="")
                                  .order_by("order").values_list("set_key", "set_name", "number")):
            sets.setdefault(key, SetRow(key=key, name=name, scenes=[], location=None)).scenes.append(number)
    for mapping in SetLocation.objects.filter(production=access.production).select_related("location"):
        row = sets.setdefault(mapping.set_key, SetRow(key=mapping.set_key, name=mapping.set_name or mapping.set_key,
                                                      scenes=[], location=None))
        row.location = mapping.location
    return sorted(sets.values(), key=lambda r: (r.name.upper(), r.key))


def locations_by_set(production_id: int, set_keys: list[str] | None = None) -> dict[str, Location]:
    """set key → location, for the given sets (all of the production's when None). One query."""
    rows = SetLocation.objects.filter(production_id=production_id).select_related("location")
    if set_keys is not None:
        rows = rows.filter(set_key__in=list(set_keys))
    return {row.set_key: row.location for row in rows}


def unavailable_locations(
    production_id: int, start: date, end: date, statuses: list[str] | tuple[str, ...],
) -> dict[tuple[int, date], tuple[str, str]]:
    """(location id, date) → (status, note) for the statuses asked, in [start, end]. One query."""
    rows = LocationAvailability.objects.filter(
        location__production_id=production_id, date__gte=start, date__lte=end, status__in=list(statuses),
    ).values_list("location_id", "date", "status", "note")
    return {(loc, when): (status, note) for loc, when, status, note in rows}


def availability_list(*, access: ProductionAccess, location: Location) -> QuerySet[LocationAvailability]:
    return LocationAvailability.objects.filter(location=location, location__production=access.production)


def shoot_days_of(*, access: ProductionAccess, location: Location) -> list[hooks.ShootDayRef]:
    """The shoot days of the applied schedules on which any of the location's sets is scheduled."""
    keys = list(location.sets.values_list("set_key", flat=True))
    by_set = hooks.shoot_days_for_sets(access, keys)
    merged: dict[tuple[str, int], hooks.ShootDayRef] = {}
    for days in by_set.values():
        for day in days:
            key = (day.unit, day.day_number)
            if key in merged:
                old = merged[key]
                merged[key] = hooks.ShootDayRef(old.unit, old.day_number, old.date,
                                                tuple(dict.fromkeys(old.scenes + day.scenes)))
            else:
                merged[key] = day
    return sorted(merged.values(), key=lambda d: (d.date or date.max, d.unit, d.day_number))
