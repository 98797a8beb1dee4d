"""`unitbase callsheet pdf --production SLUG|ID|TITLE --date YYYY-MM-DD --output FILE [--unit NAME] [--as EMAIL]`.

Writes the day's call sheet as a PDF: the newest published revision, else the draft (marked DRAFT).
`--production` takes the title's slug (`django.utils.text.slugify(title)`, e.g. `low-water`), the id (shown in
the URL) or the exact title.
Without `--as`, the command acts as the production's producer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from unitbase.callsheets import selectors
from unitbase.callsheets.exports import callsheet_pdf
from unitbase.callsheets.models import CallSheet
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Membership, Production, Unit
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production


def _production(value: str) -> Production:
    """By id, then exact title (case-insensitive), then title slug (`slugify(title)`, e.g. `low-water`)."""
    value = value.strip()
    found = list(Production.objects.filter(pk=int(value))) if value.isdigit() else []
    if not found:
        found = list(Production.objects.filter(title__iexact=value)[:2])
    if not found and value:
        wanted = slugify(value)
        found = [p for p in Production.objects.only("pk", "title").order_by("pk").iterator() if slugify(p.title) == wanted]
        found = list(Production.objects.filter(pk__in=[p.pk for p in found[:2]]))
    if not found:
        raise CommandError(f"--production: no production {value!r} (give its slug, id or exact title)", returncode=2)
    if len(found) > 1:
        raise CommandError(f"--production: more than one production matches {value!r}; give its id", returncode=2)
    return found[0]


class Command(BaseCommand):
    help = "Call sheets from the command line: `callsheet pdf` writes a day's call sheet as a PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        pdf = sub.add_parser("pdf", help="Write the call sheet of a shoot date as a PDF.")
        pdf.add_argument("--production", required=True, help="The production's slug (e.g. low-water), id or exact title.")
        pdf.add_argument("--date", required=True, help="Shoot date, YYYY-MM-DD.")
        pdf.add_argument("--output", "-o", required=True, metavar="FILE", help="Where to write the PDF.")
        pdf.add_argument("--unit", default="", help="Unit name (default: the main unit).")
        pdf.add_argument("--as", dest="as_email", default="", metavar="EMAIL",
                         help="Acting user's e-mail (default: the production's producer).")

    def handle(self, *args, subcommand, production, date: str, output: str, unit: str, as_email: str, **options):
        prod = _production(production)
        try:
            when = date_parse(date)
        except ValueError:
            raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD)", returncode=2) from None
        if as_email:
            user = get_user_model().objects.filter(email__iexact=as_email.strip(), is_active=True).first()
            if user is None:
                raise CommandError(f"--as: no active user with the e-mail {as_email}", returncode=2)
        else:
            membership = Membership.objects.filter(production=prod, role=Role.PRODUCER, is_active=True,
                                                   user__is_active=True).select_related("user").order_by("pk").first()
            if membership is None:
                raise CommandError("the production has no active producer: give --as EMAIL", returncode=2)
            user = membership.user
        try:
            access = access_production(user, prod.pk, Action.VIEW_PRODUCTION)
        except (ProductionNotFound, ActionDenied) as exc:
            raise CommandError(f"production {prod.pk}: {exc or 'not a member'}", returncode=2) from None
        units = Unit.objects.filter(production=prod)
        chosen = units.filter(name__iexact=unit.strip()).first() if unit else units.filter(kind=Unit.Kind.MAIN).order_by("pk").first()
        if chosen is None:
            raise CommandError(f"--unit: no unit {unit!r} in {prod.title}", returncode=2)
        sheet = CallSheet.objects.filter(production=prod, unit=chosen, shoot_date=when).first()
        if sheet is None:
            raise CommandError(f"no call sheet for {chosen.name} on {when:%Y-%m-%d}: build it on the call sheets page "
                               "or through the API first", returncode=1)
        revision = selectors.latest_revision(sheet) if sheet.is_published or sheet.revisions.exists() else None
        data = selectors.office_data(access=access, call_sheet=sheet, revision=revision)
        Path(output).write_bytes(callsheet_pdf(data, draft=revision is None))
        state = f"revision {revision.number}" if revision else f"draft of revision {sheet.revision}"
        self.stderr.write(f"Wrote {prod.title}, {sheet.day_label}, {when:%Y-%m-%d} ({state}) to {output}.")


def date_parse(value: str) -> date:
    return date.fromisoformat(value.strip())
