"""`unitbase schedule report dood|oneliner|shooting --production ID|TITLE|SLUG [--version NAME]
--format csv|pdf|xlsx --output FILE [--unit NAME] [--category KEY] [--as EMAIL]`.

Writes a schedule report of one version (default: the unit's applied version) in the format
asked. Productions have no slug field: `--production` takes the id (shown in the URL), the exact
title, or the title as a slug ("the-lighthouse"). Without `--as`, the command acts as the
production's producer. It only reads: nothing is changed, whatever the arguments."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Membership, Production, Unit
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production
from unitbase.scheduling import exports, optimise_cli, reports
from unitbase.scheduling.models import ScheduleVersion
from unitbase.scripts.models import BreakdownCategory

KINDS = ("dood", "oneliner", "shooting")
FORMATS = ("csv", "pdf", "xlsx")


def _production(value: str) -> Production:
    value = value.strip()
    if value.isdigit():
        found = list(Production.objects.filter(pk=int(value)))
    else:
        found = list(Production.objects.filter(title__iexact=value)[:2])
        if not found:
            found = [p for p in Production.objects.only("pk", "title") if slugify(p.title) == slugify(value)][:2]
    if not found:
        raise CommandError(f"--production: no production {value!r}", returncode=2)
    if len(found) > 1:
        raise CommandError(f"--production: more than one production is called {value!r}; give its id", returncode=2)
    return found[0]


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
        prod = _production(production)
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
