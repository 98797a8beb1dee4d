"""Arguments that every `unitbase` management command resolves the same way: which production
(`--production` id, exact title or title slug such as `low-water`), which member it acts as
(`--as EMAIL`, else the production's producer) and which unit (`--unit NAME`, else the main unit).
Errors are CommandErrors with exit code 2 naming the argument."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.text import slugify

from .authority import Role
from .models import Membership, Production, Unit


class NoSuchProduction(CommandError):
    pass


def production_from_arg(value: str) -> Production:
    """By id, then exact title (case-insensitive), then title slug."""
    value = value.strip()
    found = list(Production.objects.filter(pk=int(value))) if value.isdigit() else []
    if not found:
        found = list(Production.objects.filter(title__iexact=value)[:2])
    if not found and value:
        wanted = slugify(value)
        found = [p for p in Production.objects.only("pk", "title").order_by("pk").iterator() if slugify(p.title) == wanted]
        found = list(Production.objects.filter(pk__in=[p.pk for p in found[:2]]))
    if not found:
        raise NoSuchProduction(f"--production: no production {value!r} (give its slug, id or exact title)", returncode=2)
    if len(found) > 1:
        raise CommandError(f"--production: more than one production matches {value!r}; give its id", returncode=2)
    return found[0]


def acting_user_from_arg(production: Production, email: str | None):
    """The active user named by --as, else the production's first active producer."""
    if email:
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user with the e-mail {email}", returncode=2)
        return user
    membership = (
        Membership.objects.filter(production=production, role=Role.PRODUCER, is_active=True, user__is_active=True)
        .select_related("user").order_by("pk").first()
    )
    if membership is None:
        raise CommandError("the production has no active producer: give --as EMAIL", returncode=2)
    return membership.user


def unit_from_arg(production: Production, name: str) -> Unit:
    """The unit named by --unit (case-insensitive), else the main unit."""
    units = Unit.objects.filter(production=production)
    chosen = (units.filter(name__iexact=name.strip()).first() if name
              else units.filter(kind=Unit.Kind.MAIN).order_by("pk").first())
    if chosen is None:
        raise CommandError(f"--unit: no unit {name!r} in {production.title}", returncode=2)
    return chosen
