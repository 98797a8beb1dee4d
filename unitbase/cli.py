"""The `unitbase` command.

Commands that need no database (`script`, `bench`) run without setting Django up; everything
else is a Django management command run with the project's settings:

  unitbase serve          web server and background worker together (Ctrl-C stops both)
  unitbase worker         the background worker alone
  unitbase demo           create the demo production (idempotent)
  unitbase createadmin    create a site administrator
  unitbase export / import  a whole production as one versioned JSON bundle
  unitbase script parse FILE --json       parse a screenplay (no database)
  unitbase bench talent|mssp FILE --json  solve a scheduling benchmark instance (no database)
  unitbase payroll calc --rules PACK --timecard CARD.json  price a timecard (no database)
  unitbase migrate, check, shell, ...  any Django command
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

# Subcommands that import no Django, mapped to modules exposing `main(argv) -> int`.
PURE_COMMANDS = {
    "script": "unitbase.scripts.cli",
    "bench": "unitbase.scheduling.solver.cli",
    "payroll": "unitbase.payroll.cli",
}
ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        try:
            module = importlib.import_module(PURE_COMMANDS[args[0]])
        except ModuleNotFoundError:
            print(f"unitbase: '{args[0]}' is not available in this version", file=sys.stderr)
            return 2
        return int(module.main(args[1:]) or 0)
    if not args:
        args = ["help"]
    args[0] = ALIASES.get(args[0], args[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded database lives under the var directory: make it, so a fresh UNITBASE_VAR_DIR
    # works instead of failing with "unable to open database file".
    var_dir = getattr(settings, "VAR_DIR", None)
    if var_dir is not None:
        try:
            Path(var_dir).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            print(f"unitbase: cannot create the data directory {var_dir}: {error.strerror}", file=sys.stderr)
            return 2

    execute_from_command_line(["unitbase", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
