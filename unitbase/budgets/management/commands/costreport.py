"""`unitbase costreport --production SLUG [--period YYYY-WW] [--format pdf|xlsx|json] [--budget ID]
[--as EMAIL] [--output FILE]`: the cost report of the reporting budget (latest locked version) for
the week ending on the Sunday of ISO week YYYY-WW (default: the week the report page opens on)."""

import io
import json
import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from unitbase.budgets import calc, costreport, exports
from unitbase.budgets.models import Budget
from unitbase.budgets.permissions import VIEW_BUDGET, access_budget

from ._common import acting_user, find_production


class Command(BaseCommand):
    help = "Print or write a production's cost report as JSON, PDF or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--production", required=True, help="production id or title slug")
        parser.add_argument("--period", default="", help="ISO week YYYY-WW (the report's week ends that Sunday)")
        parser.add_argument("--format", choices=["json", "pdf", "xlsx"], default="json")
        parser.add_argument("--budget", type=int, help="budget id (default: the reporting budget)")
        parser.add_argument("--as", dest="as_email", help="act as this member (default: the first producer)")
        parser.add_argument("--output", "-o", help="file to write (default: stdout; required for pdf/xlsx on a tty)")

    def handle(self, *args, **options):
        production = find_production(options["production"])
        try:
            access = access_budget(acting_user(production, options["as_email"]), production.pk, VIEW_BUDGET)
            week = (costreport.iso_week_ending(options["period"]) if options["period"]
                    else costreport.default_week(production))
            if options["budget"]:
                budget = Budget.objects.filter(production=production, pk=options["budget"]).first()
            else:
                budget = costreport.reporting_budget(production)
            if budget is None:
                raise CommandError("No such budget in this production.")
            report = costreport.cost_report(access=access, budget=budget, week_ending=week)
        except (PermissionDenied, Http404):
            raise CommandError("That member may not see this production's budget.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except calc.CalcError as exc:
            raise CommandError(f"The budget cannot be totalled: {exc}") from None
        if options["format"] == "json":
            data = json.dumps(costreport.report_json(report), indent=2).encode() + b"\n"
        elif options["format"] == "pdf":
            data = exports.cost_report_pdf_bytes(report)
        else:
            buffer = io.BytesIO()
            exports.cost_report_workbook(report).save(buffer)
            data = buffer.getvalue()
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Wrote {options['output']} ({len(data)} bytes, week ending {report.week_ending}).")
        elif options["format"] != "json" and sys.stdout.isatty():
            raise CommandError("Binary output: pass --output FILE.")
        else:
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout.write(data.decode("latin-1"))
