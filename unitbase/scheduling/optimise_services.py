"""Writes of the schedule optimiser: request a run, stop it, run it, write its result as a draft.

A run is an ``OptimiserRun`` row (its request, options, stop flag, live progress figures, result
version and explanation) solved by a background task. Audit events (``schedule.optimise_request`` /
``_cancel`` / ``_result``, the run id in ``changes["run"]``) are the audit trail only. The result is
always a NEW draft version made from the starting one through the stripboard's services; the
applied version is never touched, and a run that finds nothing writes nothing.

Progress writes (``optimiser_run_started`` / ``_progress`` / ``_failed``) are bookkeeping like
``unitbase.core.progress``: single UPDATE statements outside the audit trail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unitbase.core.audit import audit_record
from unitbase.productions.permissions import ProductionAccess

from . import services
from .models import OptimiserRun, ScheduleVersion, Strip
from .optimise import Built, Options, conflict_lines, explain, infeasible_reasons, instance_build, plan_days
from .permissions import EDIT_ACTION, access_version
from .solver.model import Config, Result, Status
from .solver.production import solve

REQUEST, CANCEL, RESULT = "schedule.optimise_request", "schedule.optimise_cancel", "schedule.optimise_result"


def _version(access: ProductionAccess, version_id: int) -> ScheduleVersion:
    try:
        return access_version(access, version_id)
    except (ScheduleVersion.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"version": "No such schedule version in this production."}) from None


@transaction.atomic
def optimiser_run_request(*, access: ProductionAccess, version_id: int, options: Options, enqueue: bool = True) -> str:
    """Check the input (the instance must build), record the run, queue the solve (unless `enqueue`
    is False: the CLI then runs it in-process with `optimiser_run_execute`), return the run's id."""
    from .optimise_tasks import optimiser_task

    access.require(EDIT_ACTION)
    version = _version(access, version_id)
    built = instance_build(access=access, version=version, options=options)
    if not any(not s.boneyard for s in built.instance.scenes):
        raise ValidationError({"version": f"“{version.name}” has no scenes to schedule: put scenes on the board "
                                          "or tick “include the boneyard”."})
    run = OptimiserRun(production=access.production, unit_id=version.schedule.unit_id, source_version=version,
                       source_name=version.name, requested_by=access.user if access.user.is_authenticated else None,
                       options=options.as_json(), time_limit=float(options.time_limit))
    run.full_clean()
    run.save()
    audit_record(production_id=access.production.pk, actor=access.user, action=REQUEST, obj=version,
                 changes={"run": str(run.pk), "options": options.as_json(), "version": version.name})
    run_id = str(run.pk)
    if enqueue:
        result = optimiser_task.enqueue(run_id=run_id)
        OptimiserRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    return run_id


def _run_row(production_id: int, run_id: str) -> OptimiserRun | None:
    try:
        return OptimiserRun.objects.filter(production_id=production_id, pk=run_id).first()
    except (ValidationError, ValueError):  # not a UUID
        return None


def optimiser_cancel_requested(*, production_id: int, run_id: str) -> bool:
    return OptimiserRun.objects.filter(production_id=production_id, pk=run_id, stop_requested=True).exists()


@transaction.atomic
def optimiser_run_cancel(*, access: ProductionAccess, run_id: str) -> None:
    """Ask a running solve to stop; it keeps the best schedule found so far (if any)."""
    access.require(EDIT_ACTION)
    run = _run_row(access.production.pk, str(run_id))
    if run is None:
        raise ValidationError({"run": "No such optimiser run in this production."})
    if not run.active:
        raise ValidationError({"run": "This run has already finished."})
    if run.stop_requested:
        return
    OptimiserRun.objects.filter(pk=run.pk).update(stop_requested=True)
    audit_record(production_id=access.production.pk, actor=access.user, action=CANCEL, obj=run,
                 changes={"run": str(run.pk)})


def optimiser_run_started(*, run_id: str, task_id: str = "") -> None:
    fields = {"status": OptimiserRun.Status.RUNNING, "started_at": timezone.now(), "updated_at": timezone.now()}
    if task_id:
        fields["task_id"] = task_id
    OptimiserRun.objects.filter(pk=run_id).update(**fields)


def optimiser_run_progress(*, run_id: str, state: dict[str, Any], message: str = "") -> None:
    OptimiserRun.objects.filter(pk=run_id).update(
        solutions=int(state.get("solutions") or 0), objective=state.get("objective"), bound=state.get("bound"),
        seconds=float(state.get("seconds") or 0.0), message=message[:300], updated_at=timezone.now())


def optimiser_run_failed(*, run_id: str, error: str, conflicts: list[str] | None = None) -> None:
    """The run ended without a draft (infeasible, stopped or timed out before a schedule, a crash);
    `conflicts`: the minimal conflicting set in words, kept in the run's explanation."""
    fields = {"status": OptimiserRun.Status.FAILED, "error": error or "The run failed.", "finished_at": timezone.now(),
              "updated_at": timezone.now()}
    if conflicts:
        fields["explanation"] = {"conflicts": list(conflicts)}
    OptimiserRun.objects.filter(pk=run_id).update(**fields)


def _unique_name(version: ScheduleVersion, name: str) -> str:
    taken = set(ScheduleVersion.objects.filter(schedule_id=version.schedule_id).values_list("name", flat=True))
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


@transaction.atomic
def optimise_result_write(
    *, access: ProductionAccess, built: Built, result: Result, explanation: dict[str, Any], run_id: str = "",
) -> ScheduleVersion:
    """A new draft version: a copy of the starting version whose board is the solver's days (day
    breaks included, empty days kept so that dates stay put); banners and day call times are not
    carried over (their days have changed); boneyard scenes that were not scheduled stay there."""
    access.require(EDIT_ACTION)
    base = _version(access, built.version.pk)
    if base.revision != built.version.revision:
        explanation.setdefault("notes", []).append(
            f"“{base.name}” was edited while the solver ran; the draft was made from its latest strips.")
    name = _unique_name(base, f"Optimised {timezone.localtime():%Y-%m-%d %H:%M}")
    draft = services.version_duplicate(access=access, version_id=base.pk, name=name)
    revision = draft.revision
    for strip in Strip.objects.filter(version=draft).exclude(kind=Strip.Kind.SCENE).order_by("position"):
        services.strip_remove(access=access, version_id=draft.pk, revision=revision, strip_id=strip.pk)
        revision += 1
    strip_of = {(s.scene_id, s.part): s.pk for s in Strip.objects.filter(version=draft, kind=Strip.Kind.SCENE)}
    placed: set[int] = set()
    for day in plan_days(built, result.schedule):
        for key in day:
            pk = strip_of.get(key)
            if pk is None or pk in placed:
                continue
            services.strip_move(access=access, version_id=draft.pk, revision=revision, strip_ids=[pk], to=Strip.Section.BOARD)
            revision += 1
            placed.add(pk)
        services.day_break_add(access=access, version_id=draft.pk, revision=revision)
        revision += 1
    left = list(Strip.objects.filter(version=draft, kind=Strip.Kind.SCENE, section=Strip.Section.BOARD)
                .exclude(pk__in=placed).values_list("pk", flat=True))
    if left:  # scenes the starting board gained while solving: keep them, in the boneyard
        services.strip_move(access=access, version_id=draft.pk, revision=revision, strip_ids=left, to=Strip.Section.BONEYARD)
    draft.refresh_from_db()
    if run_id and _run_row(access.production.pk, run_id) is not None:
        OptimiserRun.objects.filter(pk=run_id).update(
            status=OptimiserRun.Status.FINISHED, result_version=draft, explanation=explanation,
            objective=result.objective, bound=result.best_bound, seconds=result.seconds,
            finished_at=timezone.now(), updated_at=timezone.now())
    audit_record(production_id=access.production.pk, actor=access.user, action=RESULT, obj=draft,
                 changes={"run": run_id, "base": base.pk, "status": explanation.get("status"),
                          "objective": result.objective, "moved": explanation.get("moved_count")})
    return draft


@dataclass
class Outcome:
    result: Result
    explanation: dict[str, Any]
    version: ScheduleVersion | None
    stopped: bool
    reasons: list[str]


def optimise_run(
    *,
    access: ProductionAccess,
    version_id: int,
    options: Options,
    run_id: str = "",
    on_progress: Callable[[dict], None] | None = None,
    cancel_check: Callable[[], bool] | None = None,
    poll_seconds: float = 0.5,
) -> Outcome:
    """Build, solve (in a thread that never touches the database; this thread polls for a stop
    request and reports progress), and write a schedule found as a new draft version."""
    access.require(EDIT_ACTION)
    version = _version(access, version_id)
    built = instance_build(access=access, version=version, options=options)
    config = Config(time_limit=float(options.time_limit), workers=max(1, options.workers), weights=built.weights)
    state: dict[str, Any] = {"solutions": 0, "objective": None, "bound": None, "seconds": 0.0}
    stop = threading.Event()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = solve(built.instance, config, progress=state.update, should_stop=stop.is_set)
        except BaseException as exc:
            box["error"] = exc

    if cancel_check is not None and cancel_check():
        stop.set()
    thread = threading.Thread(target=target, name=f"optimiser-{run_id}", daemon=True)
    thread.start()
    reported = -1
    while thread.is_alive():
        thread.join(poll_seconds)
        if cancel_check is not None and not stop.is_set() and cancel_check():
            stop.set()
        if on_progress is not None and state["solutions"] != reported:
            reported = state["solutions"]
            on_progress(dict(state))
    if "error" in box:
        raise box["error"]
    result: Result = box["result"]
    if on_progress is not None and result.objective is not None:
        on_progress({**state, "objective": result.objective, "bound": result.best_bound, "seconds": result.seconds})
    if result.violations and result.schedule:
        raise RuntimeError("The solver returned a schedule that breaks a hard constraint: " + "; ".join(result.violations))
    stopped = stop.is_set()
    if not result.schedule:
        if result.status == Status.INFEASIBLE:
            reasons = infeasible_reasons(built, result)
        elif stopped:
            reasons = ["Stopped before the solver found a schedule; nothing was written."]
        else:
            reasons = [f"No schedule found within {options.time_limit} s; nothing was written. Give it more time."]
        conflicts = {"conflicts": conflict_lines(built, result)} if result.conflicts else {}
        return Outcome(result, conflicts, None, stopped, reasons)
    explanation = explain(built, result, solutions=state["solutions"], stopped=stopped)
    draft = optimise_result_write(access=access, built=built, result=result, explanation=explanation, run_id=run_id)
    return Outcome(result, explanation, draft, stopped, [])
