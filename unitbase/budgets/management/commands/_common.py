"""Shared bits of the budget commands: finding the production and the member the command acts as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.text import slugify

from unitbase.productions.authority import Role
from unitbase.productions.models import Membership, Production


def find_production(value: str) -> Production:
    """By id or by the slug of its title ("low-water")."""
    if value.isdigit():
        found = Production.objects.filter(pk=int(value)).first()
    else:
        found = next((p for p in Production.objects.all() if slugify(p.title) == slugify(value)), None)
    if found is None:
        raise CommandError(f"No production {value!r} (give its id or its title as a slug, e.g. low-water).")
    return found


def acting_user(production: Production, email: str | None):
    """The member the command acts as: --as EMAIL, else the production's first producer."""
    if email:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user {email!r}.")
        return user
    membership = (Membership.objects.filter(production=production, role=Role.PRODUCER).order_by("pk")
                  .select_related("user").first())
    if membership is None:
        raise CommandError("The production has no producer; pass --as EMAIL.")
    return membership.user
