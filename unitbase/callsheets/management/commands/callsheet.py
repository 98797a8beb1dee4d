"""`unitbase callsheet pdf --production SLUG|ID|TITLE --date YYYY-MM-DD --output FILE [--unit NAME] [--as EMAIL]`.

Writes the day's call sheet as a PDF: the newest published revision, else the draft (marked DRAFT).
`--production` takes the title's slug (`django.utils.text.slugify(title)`, e.g. `low-water`), the id (shown in
the URL) or the exact title.
Without `--as`, the command acts as the production's producer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unitbase.callsheets import selectors
from unitbase.callsheets.exports import callsheet_pdf
from unitbase.callsheets.models import CallSheet
from unitbase.productions.authority import Action
from unitbase.productions.commandline import acting_user_from_arg, production_from_arg, unit_from_arg
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production


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
        prod = production_from_arg(production)
        try:
            when = date_parse(date)
        except ValueError:
            raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD)", returncode=2) from None
        user = acting_user_from_arg(prod, as_email)
        try:
            access = access_production(user, prod.pk, Action.VIEW_PRODUCTION)
        except (ProductionNotFound, ActionDenied) as exc:
            raise CommandError(f"production {prod.pk}: {exc or 'not a member'}", returncode=2) from None
        chosen = unit_from_arg(prod, unit)
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
