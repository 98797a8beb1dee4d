"""`unitbase payroll calc --rules PACK.yaml --timecard CARD.json [--json]` as a management command.

The work is done by unitbase.payroll.cli (pure Python, no database), so the command also runs
before `unitbase/cli.py` lists "payroll" among its Django-free commands.
"""

from django.core.management.base import BaseCommand, CommandError

from unitbase.payroll import cli


class Command(BaseCommand):
    help = "Payroll tools: `payroll calc --rules PACK.yaml --timecard CARD.json [--json]` (no database needed)."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        calc = sub.add_parser("calc", help="calculate a week's pay from a rule pack and a timecard file")
        calc.add_argument("--rules", required=True, action="append",
                          help="rule pack YAML; repeat it to give several versions of the pack (each day uses the one in force)")
        calc.add_argument("--timecard", required=True, help="timecard JSON (deal and days)")
        calc.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args, **options):
        code, output = cli.calc(options["rules"], options["timecard"], options["json"])
        if code != 0:
            raise CommandError(output.removeprefix("unitbase payroll calc: "), returncode=code)
        self.stdout.write(output)
