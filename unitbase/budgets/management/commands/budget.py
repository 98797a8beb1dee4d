"""`unitbase budget export --production SLUG --budget ID -o FILE.xlsx|FILE.pdf [--detail]` (XLSX: top
sheet and detail; PDF: the top sheet, or with --detail every account's lines) and
`unitbase budget import --production SLUG --budget ID FILE.csv|FILE.xlsx` (detail lines; every row
or none, each bad row named). `--as EMAIL` acts as that member (default: the first producer)."""

import io
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from unitbase.budgets import calc, exports, selectors, services, views
from unitbase.budgets.models import Budget
from unitbase.budgets.permissions import VIEW_BUDGET, access_budget
from unitbase.productions.authority import Action

from ._common import acting_user, find_production


class Command(BaseCommand):
    help = "Budget import (CSV/XLSX detail lines) and export (XLSX top sheet and detail, or PDF)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name in ("export", "import"):
            cmd = sub.add_parser(name)
            cmd.add_argument("--production", required=True, help="production id or title slug")
            cmd.add_argument("--budget", type=int, required=True, help="budget id")
            cmd.add_argument("--as", dest="as_email", help="act as this member (default: the first producer)")
            if name == "export":
                cmd.add_argument("--output", "-o", required=True,
                                 help="file to write: .xlsx (top sheet and detail) or .pdf (top sheet)")
                cmd.add_argument("--detail", action="store_true", help="PDF: every account's lines")
            else:
                cmd.add_argument("file", help="CSV (UTF-8) or XLSX file")

    def handle(self, *args, **options):
        production = find_production(options["production"])
        user = acting_user(production, options["as_email"])
        try:
            if options["subcommand"] == "export":
                self._export(user, production, options)
            else:
                self._import(user, production, options)
        except (PermissionDenied, Http404):
            raise CommandError("That member may not do this with the production's budgets.") from None
        except Budget.DoesNotExist:
            raise CommandError("No such budget in this production.") from None
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        except services.BudgetConflict as exc:
            raise CommandError(exc.message) from None

    def _export(self, user, production, options):
        access = access_budget(user, production.pk, VIEW_BUDGET)
        budget = selectors.budget_get(access=access, budget_id=options["budget"])
        try:
            sheet = selectors.budget_topsheet(access=access, budget=budget)
        except calc.CalcError as exc:
            raise CommandError(f"The budget cannot be totalled: {exc}") from None
        rows = views.topsheet_rows(budget, sheet, None)
        suffix = Path(options["output"]).suffix.lower()
        if suffix == ".pdf":
            data = exports.budget_pdf_bytes(budget, sheet, rows, detail=options["detail"])
        elif suffix == ".xlsx":
            buffer = io.BytesIO()
            exports.workbook(budget, sheet, rows).save(buffer)
            data = buffer.getvalue()
        else:
            raise CommandError(f"Write a .xlsx or .pdf file, not {options['output']!r}.")
        Path(options["output"]).write_bytes(data)
        self.stderr.write(f"Wrote {options['output']} ({budget}).")

    def _import(self, user, production, options):
        access = access_budget(user, production.pk, Action.EDIT_BUDGET)
        budget = selectors.budget_get(access=access, budget_id=options["budget"])
        data = Path(options["file"]).read_bytes()
        if data[:4] == b"PK\x03\x04":
            text = services.xlsx_to_csv_text(data)
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise CommandError("The file is neither UTF-8 CSV nor XLSX.") from None
        count = services.detail_lines_import_csv(access=access, budget_id=budget.pk, text=text)
        self.stdout.write(f"{count} line{'s' if count != 1 else ''} imported into {budget}.")
