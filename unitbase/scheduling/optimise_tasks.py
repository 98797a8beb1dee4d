"""The optimiser's background task: load by id, solve with progress on the Background jobs page,
stop on request (keeping the best schedule so far), write the result as a draft version."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_tasks import task

from unitbase.core.progress import job_progress_fail, job_progress_finish, job_progress_start, job_progress_update
from unitbase.productions.permissions import access_production

from .permissions import EDIT_ACTION


def progress_message(state: dict, time_limit: float) -> str:
    parts = [f"{state.get('solutions', 0)} solution(s)"]
    if state.get("objective") is not None:
        parts.append(f"best cost {state['objective']:,}")
    if state.get("bound") is not None:
        parts.append(f"bound {state['bound']:,}")
        if state.get("objective"):
            gap = max(0.0, (state["objective"] - state["bound"]) / max(1, abs(state["objective"])))
            parts.append(f"gap {gap * 100:.1f}%")
    parts.append(f"{state.get('seconds', 0.0):.1f} s of {time_limit:g} s")
    return " · ".join(parts)


def optimiser_run_execute(*, run_id: str, task_id: str = "", on_message=None) -> int | None:
    """Solve one recorded run to its end: progress on the run (and the jobs page when `task_id`),
    the stop flag polled, a draft written or the reason why not. Returns the draft's id or None.
    Used by the background task and, in-process, by `unitbase schedule optimise`."""
    from .models import OptimiserRun
    from .optimise import Options, status_label
    from .optimise_services import (
        optimise_run,
        optimiser_cancel_requested,
        optimiser_run_failed,
        optimiser_run_progress,
        optimiser_run_started,
    )

    run = OptimiserRun.objects.select_related("requested_by").filter(pk=run_id).first()
    if run is None:
        return None
    user = run.requested_by
    production_id = run.production_id
    if task_id:
        job_progress_start(task_result_id=task_id, production_id=production_id,
                           label=f"Optimise “{run.source_name or 'schedule'}”", user=user)
    optimiser_run_started(run_id=run_id, task_id=task_id)
    opts = Options.from_json(run.options)
    limit = float(opts.time_limit)

    def fail(error: str, conflicts: list[str] | None = None) -> None:
        if task_id:
            job_progress_fail(task_result_id=task_id, error=error)
        optimiser_run_failed(run_id=run_id, error=error, conflicts=conflicts)
        if on_message:
            on_message(error)

    def report(state: dict) -> None:
        message = progress_message(state, limit)
        if task_id:
            job_progress_update(task_result_id=task_id, fraction=min(0.99, state.get("seconds", 0.0) / max(limit, 0.1)),
                                message=message)
        optimiser_run_progress(run_id=run_id, state=state, message=message)
        if on_message:
            on_message(message)

    try:
        if user is None or run.source_version_id is None:
            raise ValidationError("The person who asked for this run, or its starting version, no longer exists.")
        access = access_production(user, production_id, EDIT_ACTION)
        outcome = optimise_run(
            access=access, version_id=run.source_version_id, options=opts, run_id=run_id, on_progress=report,
            cancel_check=lambda: optimiser_cancel_requested(production_id=production_id, run_id=run_id),
        )
    except ValidationError as exc:
        fail(" ".join(exc.messages))
        return None
    except (PermissionDenied, Http404):
        fail("You may no longer change this production's schedule.")
        return None
    except Exception as exc:  # a crashed solve must say so on the jobs page; nothing was written
        fail(f"The optimiser failed ({exc.__class__.__name__}); nothing was written.")
        raise
    if outcome.version is None:
        fail(" ".join(outcome.reasons), outcome.explanation.get("conflicts"))
        return None
    ex = outcome.explanation
    message = (f"“{outcome.version.name}”: {status_label(ex['status'], ex['gap'], ex['stopped'])}; cost "
               f"{ex['total_after']:,} vs {ex['total_before']:,}; {ex['moved_count']} scene(s) moved")
    if task_id:
        job_progress_finish(task_result_id=task_id, message=message)
    OptimiserRun.objects.filter(pk=run_id).update(message=message[:300])
    return outcome.version.pk


@task(takes_context=True)
def optimiser_task(context, *, run_id: str) -> int | None:
    return optimiser_run_execute(run_id=run_id, task_id=str(context.task_result.id))
