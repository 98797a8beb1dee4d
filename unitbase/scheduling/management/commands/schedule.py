"""`unitbase schedule report dood|oneliner|shooting --production ID|TITLE|SLUG [--version NAME]
--format csv|pdf|xlsx --output FILE [--unit NAME] [--category KEY] [--as EMAIL]`.

Writes a schedule report of one version (default: the unit's applied version) in the format
asked. Productions have no slug field: `--production` takes the id (shown in the URL), the exact
title, or the title as a slug ("the-lighthouse"). Without `--as`, the command acts as the
production's producer. It only reads: nothing is changed, whatever the arguments."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unitbase.productions.authority import Action
from unitbase.productions.commandline import acting_user_from_arg, production_from_arg, unit_from_arg
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production
from unitbase.scheduling import exports, optimise_cli, reports
from unitbase.scheduling.models import ScheduleVersion
from unitbase.scripts.models import BreakdownCategory

KINDS = ("dood", "oneliner", "shooting")
FORMATS = ("csv", "pdf", "xlsx")


class Command(BaseCommand):
    help = "Schedules from the command line: `schedule report dood|oneliner|shooting` writes a report file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        rep = sub.add_parser("report", help="Write a schedule report (day out of days, one-liner, shooting schedule).")
        rep.add_argument("kind", choices=KINDS, help="dood (day out of days), oneliner or shooting (full schedule)")
        rep.add_argument("--production", required=True, help="The production's id, exact title or title slug.")
        rep.add_argument("--version", dest="version_name", default="",
                         help="The version's name (default: the unit's applied version).")
        rep.add_argument("--format", dest="fmt", choices=FORMATS, default="csv", help="csv, pdf or xlsx (default csv)")
        rep.add_argument("--output", "-o", required=True, metavar="FILE", help="Where to write the report.")
        rep.add_argument("--unit", default="", help="Unit name (default: the main unit).")
        rep.add_argument("--category", default="cast", help="DOOD only: breakdown category key (default cast).")
        rep.add_argument("--as", dest="as_email", default="", metavar="EMAIL",
                         help="Acting user's e-mail (default: the production's producer).")
        optimise_cli.add_parser(sub)  # `schedule optimise` (the optimiser's own module)

    def handle(self, *args, subcommand, kind, production, version_name, fmt, output, unit, category, as_email, **options):
        if subcommand == "optimise":
            return optimise_cli.handle(self, production=production, unit=unit, as_email=as_email,
                                       version_name=version_name, **options)
        prod = production_from_arg(production)
        user = acting_user_from_arg(prod, as_email)
        try:
            access = access_production(user, prod.pk, Action.VIEW_PRODUCTION)
        except (ProductionNotFound, ActionDenied) as exc:
            raise CommandError(f"production {prod.pk}: {exc or 'not a member'}", returncode=2) from None
        chosen = unit_from_arg(prod, unit)
        versions = ScheduleVersion.objects.filter(schedule__production=prod, schedule__unit=chosen).select_related(
            "schedule", "schedule__unit")
        if version_name:
            version = versions.filter(name__iexact=version_name.strip()).first()
            if version is None:
                names = ", ".join(repr(v.name) for v in versions) or "none yet"
                raise CommandError(f"--version: {chosen.name} has no schedule version {version_name!r} "
                                   f"(its versions: {names})", returncode=2)
        else:
            version = versions.filter(is_applied=True).first()
            if version is None:
                raise CommandError(f"{chosen.name} has no applied schedule version: give --version NAME", returncode=2)
        if kind == "dood":
            if category != "cast" and not BreakdownCategory.objects.filter(production=prod, key=category).exists():
                keys = ", ".join(BreakdownCategory.objects.filter(production=prod).values_list("key", flat=True))
                raise CommandError(f"--category: no breakdown category {category!r} (categories: {keys})", returncode=2)
            report = reports.dood_report(access=access, version=version, category=category)
        else:
            report = reports.schedule_report(access=access, version=version, full=kind == "shooting")
        content = {"csv": exports.csv_bytes, "xlsx": exports.xlsx_bytes, "pdf": exports.pdf_bytes}[fmt](report)
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"--output: cannot write {output}: {exc.strerror}", returncode=2) from None
        self.stderr.write(f"Wrote {report.title} of {prod.title}, {chosen.name}, “{version.name}” "
                          f"({len(report.rows)} rows, {fmt}) to {output}.")
