"""`unitbase callsheet pdf --production SLUG|ID|TITLE --date YYYY-MM-DD --output FILE [--unit NAME] [--as EMAIL]`.

Writes the day's call sheet as a PDF: the newest published revision, else the draft (marked DRAFT).
`--production` takes the title's slug (`django.utils.text.slugify(title)`, e.g. `low-water`), the id (shown in
the URL) or the exact title.
Without `--as`, the command acts as the production's producer.

`unitbase callsheet bounces (--maildir DIR | --mbox FILE) [--delete]` reads bounce reports (RFC 3464
delivery status notifications, RFC 5965 complaints) from the mailbox the VERP return address delivers
to, and marks the call sheet e-mails they name as bounced. Reading the same mailbox again records nothing
twice; `--delete` removes the reports it matched."""

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
        bounces = sub.add_parser("bounces", help="Read bounce reports from a maildir or mbox and mark the e-mails bounced.")
        source = bounces.add_mutually_exclusive_group(required=True)
        source.add_argument("--maildir", metavar="DIR", help="A Maildir (with cur/, new/, tmp/).")
        source.add_argument("--mbox", metavar="FILE", help="An mbox file.")
        bounces.add_argument("--delete", action="store_true", help="Remove the reports that named one of our e-mails.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "bounces":
            return self.bounces(maildir=options["maildir"], mbox=options["mbox"], delete=options["delete"])
        return self.pdf(**{k: options[k] for k in ("production", "date", "output", "unit", "as_email")})

    def bounces(self, *, maildir: str | None, mbox: str | None, delete: bool) -> None:
        import mailbox

        from unitbase.callsheets.bounces import BounceFormatError, parse_report
        from unitbase.callsheets.services import bounce_notices_record

        path = Path(maildir or mbox)
        if maildir and not (path / "cur").is_dir():
            raise CommandError(f"--maildir: {path} is not a Maildir (no cur/ folder in it)", returncode=2)
        if mbox and not path.is_file():
            raise CommandError(f"--mbox: {path} is not a file", returncode=2)
        box = mailbox.Maildir(path, factory=None, create=False) if maildir else mailbox.mbox(path, create=False)
        totals = {"recorded": 0, "already": 0, "unmatched": 0}
        skipped, matched_keys = 0, []
        box.lock()
        try:
            for key in list(box.keys()):
                raw = box.get_bytes(key)
                try:
                    notices = parse_report(raw)
                except BounceFormatError:
                    skipped += 1  # not a report (an auto-reply, a person writing back): left alone
                    continue
                counts = bounce_notices_record(notices=notices)
                for name, n in counts.items():
                    totals[name] += n
                if counts["recorded"] or counts["already"]:
                    matched_keys.append(key)
            if delete:
                for key in matched_keys:
                    box.remove(key)
                box.flush()
        finally:
            box.unlock()
            box.close()
        self.stdout.write(f"{totals['recorded']} bounce(s) recorded, {totals['already']} already recorded, "
                          f"{totals['unmatched']} naming no call sheet e-mail, {skipped} message(s) that are not reports"
                          + (f"; {len(matched_keys)} removed" if delete else "") + ".")

    def pdf(self, *, production, date: str, output: str, unit: str, as_email: str) -> None:
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
