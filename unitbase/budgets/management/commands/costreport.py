"""`unitbase costreport --production SLUG [--period YYYY-WW] [--format pdf|xlsx|json] [--budget ID]
[--summary] [--live] [--close [--note TEXT]] [--as EMAIL] [--output FILE]`: the cost report of the
reporting budget (latest locked version) for the week ending on the Sunday of ISO week YYYY-WW
(default: the week the report page opens on). A closed week prints its frozen snapshot (unless
--live); --summary prints the financier's category-level summary; --close closes the period first
(accounting only)."""

import io
import json
import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from unitbase.budgets import calc, closings, costreport, costreport_exports
from unitbase.budgets.models import Budget
from unitbase.budgets.permissions import VIEW_BUDGET, access_budget
from unitbase.productions.authority import Action

from ._common import acting_user, find_production


class Command(BaseCommand):
    help = "Print or write a production's cost report as JSON, PDF or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--production", required=True, help="production id or title slug")
        parser.add_argument("--period", default="", help="ISO week YYYY-WW (the report's week ends that Sunday)")
        parser.add_argument("--format", choices=["json", "pdf", "xlsx"], default="json")
        parser.add_argument("--budget", type=int, help="budget id (default: the reporting budget)")
        parser.add_argument("--summary", action="store_true", help="category-level summary (the financier's view)")
        parser.add_argument("--live", action="store_true", help="today's figures even when the week is closed")
        parser.add_argument("--close", action="store_true", help="close the period first (needs edit_budget)")
        parser.add_argument("--note", default="", help="note stored with --close")
        parser.add_argument("--as", dest="as_email", help="act as this member (default: the first producer)")
        parser.add_argument("--output", "-o", help="file to write (default: stdout; required for pdf/xlsx on a tty)")

    def handle(self, *args, **options):
        production = find_production(options["production"])
        try:
            user = acting_user(production, options["as_email"])
            access = access_budget(user, production.pk, Action.EDIT_BUDGET if options["close"] else VIEW_BUDGET)
            week = (costreport.iso_week_ending(options["period"]) if options["period"]
                    else costreport.default_week(production))
            if options["budget"]:
                budget = Budget.objects.filter(production=production, pk=options["budget"]).first()
            else:
                budget = costreport.reporting_budget(production)
            if budget is None:
                raise CommandError("No such budget in this production.")
            if options["close"]:
                closing = closings.cost_report_close(access=access, budget_id=budget.pk, week_ending=week,
                                                     note=options["note"])
                self.stderr.write(f"Closed the period ending {closing.week_ending}.")
            report = costreport.cost_report(access=access, budget=budget, week_ending=week, live=options["live"])
        except (PermissionDenied, Http404):
            what = "close this production's cost report" if options["close"] else "see this production's budget"
            raise CommandError(f"That member may not {what}.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except calc.CalcError as exc:
            raise CommandError(f"The budget cannot be totalled: {exc}") from None
        summary = options["summary"]
        if options["format"] == "json":
            payload = costreport.report_json(report)
            if summary:  # categories only: drop the accounts
                for level in payload["levels"]:
                    for cat in level["categories"]:
                        cat.pop("accounts")
                payload.pop("overruns")
            data = json.dumps(payload, indent=2).encode() + b"\n"
        elif options["format"] == "pdf":
            from weasyprint import HTML

            data = (HTML(string=costreport_exports.summary_pdf_html(report)).write_pdf() if summary
                    else costreport_exports.pdf_bytes(report))
        else:
            buffer = io.BytesIO()
            (costreport_exports.summary_workbook if summary else costreport_exports.workbook)(report).save(buffer)
            data = buffer.getvalue()
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Wrote {options['output']} ({len(data)} bytes, week ending {report.week_ending}).")
        elif options["format"] != "json" and sys.stdout.isatty():
            raise CommandError("Binary output: pass --output FILE.")
        else:
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout.write(data.decode("latin-1"))
