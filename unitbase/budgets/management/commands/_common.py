"""Shared bits of the budget commands: finding the production and the member the command acts as."""

from django.core.management.base import CommandError

from unitbase.productions.commandline import NoSuchProduction, production_from_arg
from unitbase.productions.commandline import acting_user_from_arg as acting_user  # noqa: F401 - used by the commands
from unitbase.productions.models import Production


def find_production(value: str) -> Production:
    """By id, exact title or the slug of its title ("low-water")."""
    try:
        return production_from_arg(value)
    except NoSuchProduction:
        raise CommandError(
            f"No production {value!r} (give its id, exact title or its title as a slug, e.g. low-water)."
        ) from None
