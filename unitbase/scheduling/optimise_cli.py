"""`unitbase schedule optimise --production SLUG --unit NAME --as EMAIL [--time-limit S] [--scope …]
[--from-date D] [--to-date D] [--rule '12 before 40' …] [--cover '12 / 40' …] [--no-drops] [weights]`.

The `optimise` subcommand of the `schedule` management command (registered there). Optimises a
unit's schedule in this process (no worker needed): records an optimiser run (it shows on the
Optimise page like any other), prints progress lines while the solver works, then the cost
breakdown beside the starting version's, and writes the result as a new DRAFT version (never
applied). Starts from the unit's applied version (else its newest) unless --version names one.
SLUG is the production's id or its title in slug form ("the-long-night").
"""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.text import slugify

from unitbase.productions.models import Membership
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production

from . import selectors
from .models import OptimiserRun, Schedule
from .optimise import SCOPES, TERM_LABELS, Options, status_label
from .optimise_services import optimiser_run_request
from .optimise_tasks import optimiser_run_execute
from .permissions import EDIT_ACTION

WEIGHTS = ("holding", "company_move", "location_revisit", "overtime_per_minute", "shoot_day", "change",
           "default_daily_cost", "drop_cost")


def add_parser(sub) -> None:
    """Register `optimise` on the `schedule` command's subparsers."""
    opt = sub.add_parser("optimise", help="Optimise a unit's schedule into a new draft version.")
    opt.add_argument("--production", required=True, metavar="SLUG", help="The production's id or title slug.")
    opt.add_argument("--unit", required=True, metavar="NAME", help="The unit's name, e.g. 'Main unit'.")
    opt.add_argument("--as", dest="as_email", required=True, metavar="EMAIL",
                     help="The acting user; their role must allow changing the schedule.")
    opt.add_argument("--version", dest="version_name", metavar="NAME",
                     help="Start from this version (default: the applied one, else the newest).")
    opt.add_argument("--time-limit", type=int, default=30, metavar="S", help="Seconds for the solver (1-600).")
    opt.add_argument("--scope", choices=list(SCOPES), default="all", help="Which scenes may move.")
    opt.add_argument("--from-date", metavar="YYYY-MM-DD", help="With --scope from_date: first date that may change.")
    opt.add_argument("--to-date", metavar="YYYY-MM-DD", help="With --scope range: last date that may change.")
    opt.add_argument("--include-boneyard", action="store_true", help="Also schedule the boneyard's scenes.")
    opt.add_argument("--no-drops", action="store_true",
                     help="Hold cast through every gap (ignore the production's drop/pick-up rule).")
    opt.add_argument("--max-eighths", type=int, metavar="N", help="Most pages a day in eighths (default: the production's).")
    opt.add_argument("--overtime-cap", type=int, metavar="MIN", help="Most overtime a day in minutes (default 120).")
    opt.add_argument("--split-days", action="store_true", help="Allow day and night scenes on the same day.")
    opt.add_argument("--rule", action="append", default=[], metavar="'12 before 40'",
                     help="An order rule: '12 before 40' (earlier day) or '12 by 40' (same day or earlier); repeatable.")
    opt.add_argument("--cover", action="append", default=[], metavar="'12 / 40'",
                     help="A weather-cover pair: EXT scene 12 on the same day as INT cover scene 40; repeatable.")
    opt.add_argument("--minimal-change", action="store_true",
                     help="Re-optimise: weigh 300 per scene moved from the starting version (see --change).")
    for name in WEIGHTS:
        opt.add_argument(f"--{name.replace('_', '-')}", type=int, metavar="N", help=f"Weight: {name}.")
    opt.add_argument("--json", action="store_true", help="Print the explanation as JSON at the end.")
    # the report subcommand's arguments, absent here
    opt.set_defaults(kind=None, fmt=None, output=None, category=None)


class _Handler:
    def __init__(self, command):
        self.stdout, self.stderr = command.stdout, command.stderr

    def handle(self, **o):
        user = get_user_model().objects.filter(email__iexact=o["as_email"].strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user with the e-mail {o['as_email']}", returncode=2)
        production_id = _production_id(user, o["production"])
        try:
            access = access_production(user, production_id, EDIT_ACTION)
        except ProductionNotFound:
            raise CommandError(f"--production {o['production']}: no such production for {user.email}", returncode=2) from None
        except ActionDenied as exc:
            raise CommandError(f"--production {o['production']}: {exc}", returncode=2) from None
        schedule = Schedule.objects.filter(production=access.production, unit__name__iexact=o["unit"].strip()).first()
        if schedule is None:
            names = ", ".join(s.unit.name for s in selectors.schedule_list(access=access)) or "none"
            raise CommandError(f"--unit {o['unit']}: no schedule for that unit (units with a schedule: {names})",
                               returncode=2)
        if o.get("version_name"):
            version = schedule.versions.filter(name=o["version_name"]).first()
            if version is None:
                raise CommandError(f"--version {o['version_name']}: no such version of {schedule.unit.name}", returncode=2)
        else:
            version = selectors.version_default(access=access, schedule=schedule)
            if version is None:
                raise CommandError(f"{schedule.unit.name} has no schedule version yet.", returncode=2)
        data = {"time_limit": o["time_limit"], "scope": o["scope"], "include_boneyard": o["include_boneyard"],
                "allow_drops": not o["no_drops"], "mixed_day_night": o["split_days"],
                "precedences": "\n".join(o["rule"]), "covers": "\n".join(o["cover"])}
        if o.get("max_eighths") is not None:
            data["max_eighths"] = o["max_eighths"]
        if o.get("overtime_cap") is not None:
            data["overtime_cap_minutes"] = o["overtime_cap"]
        for key in ("from_date", "to_date"):
            if o.get(key):
                try:
                    data[key] = date.fromisoformat(o[key])
                except ValueError:
                    raise CommandError(f"--{key.replace('_', '-')}: use YYYY-MM-DD", returncode=2) from None
        if o["minimal_change"]:
            data["change"] = 300
        data.update({k: o[k] for k in WEIGHTS if o.get(k) is not None})
        try:
            options = Options(**data)
            run_id = optimiser_run_request(access=access, version_id=version.pk, options=options, enqueue=False)
        except (ValidationError, TypeError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("Not optimised: " + " ".join(messages), returncode=2) from None
        self.stderr.write(f"Optimising “{version.name}” of {schedule.unit.name} ({options.time_limit} s; run {run_id})")
        try:
            optimiser_run_execute(run_id=run_id, on_message=lambda m: self.stderr.write(f"  {m}"))
        except KeyboardInterrupt:
            OptimiserRun.objects.filter(pk=run_id).update(stop_requested=True)
            raise CommandError("Interrupted: nothing was written.", returncode=130) from None
        run = OptimiserRun.objects.select_related("result_version").get(pk=run_id)
        if run.result_version is None:
            conflicts = (run.explanation or {}).get("conflicts") or []
            if conflicts:
                self.stdout.write("No schedule meets all the hard constraints; these cannot all hold together:")
                for line in conflicts:
                    self.stdout.write(f"  - {line}")
            raise CommandError(f"No draft written: {run.error}", returncode=1)
        ex = run.explanation
        cur = ex.get("currency", "")
        self.stdout.write(f"Draft version: {run.result_version.name} (id {run.result_version.pk}); not applied.")
        self.stdout.write(f"Status: {status_label(ex['status'], ex['gap'], ex['stopped'])}; lower bound {ex['bound']}")
        self.stdout.write(f"{'Cost term':<22}{'before':>14}{'after':>14}   ({cur})")
        for term in ex["terms"]:
            self.stdout.write(f"{TERM_LABELS[term['key']]:<22}{term['before']:>14,}{term['after']:>14,}"
                              f"   count {term['count_before']} -> {term['count_after']}")
        self.stdout.write(f"{'Total':<22}{ex['total_before']:>14,}{ex['total_after']:>14,}")
        self.stdout.write(f"Scenes moved: {ex['moved_count']}")
        for line in ex.get("binding", [])[:10]:
            self.stdout.write(f"  binding: {line}")
        for line in ex.get("notes", []):
            self.stdout.write(f"  note: {line}")
        if o["json"]:
            self.stdout.write(json.dumps({"run": run_id, "version_id": run.result_version.pk, "explanation": ex},
                                         default=str))



def handle(command, **options) -> None:
    """Run `schedule optimise` for the management command `command` (its stdout/stderr)."""
    _Handler(command).handle(**options)


def _production_id(user, value: str) -> int:
    value = value.strip()
    if value.isdigit():
        return int(value)
    for membership in Membership.objects.filter(user=user).select_related("production"):
        if slugify(membership.production.title) == slugify(value) or membership.production.title.lower() == value.lower():
            return membership.production_id
    raise CommandError(f"--production {value}: no production of {user.email} has that id or title", returncode=2)
