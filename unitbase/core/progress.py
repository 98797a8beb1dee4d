"""Progress of background jobs, written by tasks and read by the production's jobs page.

A task reports through these three calls, keyed by its task result id (``context.task_result.id``
in a task declared with ``@task(takes_context=True)``, or ``result.id`` where it was enqueued)::

    job_progress_start(task_result_id=rid, production_id=pid, label="Import script", user=user)
    job_progress_update(task_result_id=rid, fraction=0.4, message="Parsing scene 40 of 100")
    job_progress_finish(task_result_id=rid, message="Imported 100 scenes")   # or
    job_progress_fail(task_result_id=rid, error="The file is not a screenplay.")

Progress rows are bookkeeping, not domain data: they are written outside the audit trail and
each call is a single statement, so a task's own transaction never waits on them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import JobProgress


def _clamp(fraction: float) -> float:
    return max(0.0, min(1.0, float(fraction)))


def job_progress_start(
    *, task_result_id: Any, production_id: int | None, label: str, user: Any = None
) -> JobProgress:
    """Create (or restart, on a retried attempt) the progress row of one task result."""
    requested_by = user if getattr(user, "is_authenticated", False) else None
    progress, _ = JobProgress.objects.update_or_create(
        task_result_id=str(task_result_id),
        defaults={"production_id": production_id, "label": label[:200], "requested_by": requested_by,
                  "fraction": 0.0, "message": "", "error": ""},
    )
    return progress


def job_progress_update(*, task_result_id: Any, fraction: float, message: str = "") -> None:
    JobProgress.objects.filter(task_result_id=str(task_result_id)).update(
        fraction=_clamp(fraction), message=message[:300], updated_at=timezone.now()
    )


def job_progress_finish(*, task_result_id: Any, message: str = "") -> None:
    job_progress_update(task_result_id=task_result_id, fraction=1.0, message=message or "Done")


def job_progress_fail(*, task_result_id: Any, error: str, message: str = "") -> None:
    """Record why a job failed, in words a user can act on."""
    JobProgress.objects.filter(task_result_id=str(task_result_id)).update(
        error=error or "The job failed.", message=message[:300], updated_at=timezone.now()
    )
