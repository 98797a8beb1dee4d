"""Reads for productions, always scoped to what the acting user may see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from unitbase.core.models import AuditEvent, JobProgress

from .authority import Action, Role
from .models import AuthorityRule, Department, Episode, Invitation, Membership, Production, Unit
from .permissions import ProductionAccess


def production_list_for_user(*, user: Any) -> QuerySet[Production]:
    if not getattr(user, "is_authenticated", False):
        return Production.objects.none()
    return Production.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


# Members are listed in the order of the roles' seniority, producer first, crew and cast last.
_ROLE_RANK = Case(*(When(role=role, then=Value(i)) for i, role in enumerate(Role.values)), output_field=IntegerField())


def membership_list(*, access: ProductionAccess) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(production=access.production)
        .select_related("user", "department", "unit")
        .annotate(role_rank=_ROLE_RANK)
        .order_by("-is_active", "role_rank", "user__email")
    )


def unit_list(*, access: ProductionAccess) -> QuerySet[Unit]:
    return Unit.objects.filter(production=access.production)


def department_list(*, access: ProductionAccess) -> QuerySet[Department]:
    return Department.objects.filter(production=access.production)


def invitation_list(*, access: ProductionAccess) -> QuerySet[Invitation]:
    access.require(Action.MANAGE_MEMBERS)
    return Invitation.objects.filter(production=access.production).select_related(
        "department", "unit", "invited_by"
    )


def authority_matrix(*, access: ProductionAccess) -> dict[str, dict[str, AuthorityRule]]:
    """{action: {role: rule}} for the matrix page."""
    matrix: dict[str, dict[str, AuthorityRule]] = {a: {} for a in Action.values}
    for rule in AuthorityRule.objects.filter(production=access.production):
        matrix.setdefault(rule.action, {})[rule.role] = rule
    return matrix


def audit_event_list(
    *, access: ProductionAccess, action: str = "", object_type: str = "", actor_id: int | None = None,
    search: str = "",
) -> QuerySet[AuditEvent]:
    access.require(Action.VIEW_AUDIT)
    events = AuditEvent.objects.filter(production_id=access.production.pk).select_related("actor")
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if search:
        events = events.filter(object_repr__icontains=search)
    return events


def episode_list(*, access: ProductionAccess) -> QuerySet[Episode]:
    return Episode.objects.filter(production=access.production)


def open_invitation_list(*, access: ProductionAccess) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked (expired ones included, marked by `is_open`)."""
    return invitation_list(access=access).filter(accepted_at__isnull=True, revoked_at__isnull=True)


def production_overview(*, access: ProductionAccess) -> dict[str, int]:
    """The dashboard's figures, one query each. Crew and cast are counted through the reverse
    relations that the people app declares, so that this layer imports nothing above it."""
    from django.utils import timezone

    production = access.production
    return {
        "crew": production.crew.count(),
        "cast": production.cast.count(),
        "departments_with_crew": production.departments.filter(crew__isnull=False).distinct().count(),
        "members": Membership.objects.filter(production=production, is_active=True).count(),
        "open_invitations": Invitation.objects.filter(
            production=production, accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).count(),
    }


@dataclass
class JobRow:
    progress: JobProgress
    status: str
    enqueued_at: Any = None
    started_at: Any = None
    finished_at: Any = None

    @property
    def percent(self) -> int:
        return round(self.progress.fraction * 100)

    @property
    def is_active(self) -> bool:
        return self.status in (JOB_READY, JOB_RUNNING)


JOB_READY, JOB_RUNNING, JOB_FAILED, JOB_SUCCESSFUL = "READY", "RUNNING", "FAILED", "SUCCESSFUL"
_JOB_ORDER = {JOB_RUNNING: 0, JOB_FAILED: 1, JOB_READY: 2, JOB_SUCCESSFUL: 3}


def job_list(*, access: ProductionAccess, limit: int = 100) -> list[JobRow]:
    """This production's background jobs, running first, then failed, then the rest (newest first
    within each). The status comes from the task queue's result row; where there is none (a task
    run by the immediate backend, or a result already pruned) it is read from the progress row."""
    from django_tasks_db.models import DBTaskResult

    rows = list(JobProgress.objects.filter(production_id=access.production.pk).order_by("-created_at", "-id")[:limit])
    ids = []
    for row in rows:
        try:
            ids.append(uuid.UUID(row.task_result_id))
        except ValueError:
            continue
    results = {str(r.id): r for r in DBTaskResult.objects.filter(id__in=ids).only(
        "id", "status", "enqueued_at", "started_at", "finished_at")}
    jobs = []
    for row in rows:
        result = results.get(row.task_result_id)
        if result is not None:
            status = str(result.status)
            jobs.append(JobRow(row, status, result.enqueued_at, result.started_at, result.finished_at))
            continue
        if row.error:
            status = JOB_FAILED
        elif row.fraction >= 1:
            status = JOB_SUCCESSFUL
        else:
            status = JOB_RUNNING
        jobs.append(JobRow(row, status, row.created_at, row.created_at,
                           row.updated_at if status != JOB_RUNNING else None))
    jobs.sort(key=lambda j: _JOB_ORDER.get(j.status, 9))  # stable: keeps newest first in each group
    return jobs
