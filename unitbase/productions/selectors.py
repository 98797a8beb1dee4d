"""Reads for productions, always scoped to what the acting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from unitbase.core.models import AuditEvent

from .authority import Action
from .models import AuthorityRule, Department, Invitation, Membership, Production, Unit
from .permissions import ProductionAccess


def production_list_for_user(*, user: Any) -> QuerySet[Production]:
    if not getattr(user, "is_authenticated", False):
        return Production.objects.none()
    return Production.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def membership_list(*, access: ProductionAccess) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(production=access.production)
        .select_related("user", "department", "unit")
        .order_by("-is_active", "role", "user__email")
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
