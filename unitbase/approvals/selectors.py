"""Reads for approvals, scoped by a ProductionAccess.

Who sees a request: its requester, anyone who decided one of its steps or may decide its current
step (themselves or as a delegate), and holders of Action.VIEW_AUDIT (managers, accountants).

Other apps may call `approval_requests_for_object` and `approval_latest_for` from their own
(already access-checked) services and selectors, e.g. to show a PO's approval state or to refuse an
edit of an amount while it is locked (`approval_is_locked`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Action
from unitbase.productions.models import AuthorityRule, Membership
from unitbase.productions.permissions import ProductionAccess

from . import registry
from .models import ApprovalPolicy, ApprovalRequest, ApprovalStep, Delegation
from .services import membership_refusal, production_today


def _base(access: ProductionAccess) -> QuerySet[ApprovalRequest]:
    return (
        ApprovalRequest.objects.filter(production=access.production)
        .select_related("requested_by", "department", "content_type")
        .prefetch_related(Prefetch("steps", queryset=ApprovalStep.objects.select_related("approver", "on_behalf_of")))
    )


def _deciders(access: ProductionAccess) -> tuple[list[tuple[Membership, Any]], dict[str, dict[str, AuthorityRule]]]:
    """(membership, on_behalf_of user or None) pairs the user can act as, and rules by action and role."""
    pairs: list[tuple[Membership, Any]] = [(access.membership, None)]
    today = production_today(access.production)
    delegations = Delegation.objects.filter(
        production=access.production, to_user=access.user, ended_at__isnull=True, starts_on__lte=today,
        ends_on__gte=today,
    )
    from_ids = [d.from_user_id for d in delegations]
    if from_ids:
        for m in Membership.objects.select_related("user").filter(
            production=access.production, user_id__in=from_ids, is_active=True
        ):
            pairs.append((m, m.user))
    rules: dict[str, dict[str, AuthorityRule]] = {}
    for rule in AuthorityRule.objects.filter(production=access.production):
        rules.setdefault(rule.action, {})[rule.role] = rule
    return pairs, rules


def _acting_for(req: ApprovalRequest, step: ApprovalStep, pairs, rules) -> tuple[bool, Any]:
    if req.requested_by_id == pairs[0][0].user_id:
        return False, None
    try:
        action = registry.get(req.kind).action
    except registry.UnknownKind:
        return False, None
    for membership, on_behalf_of in pairs:
        if on_behalf_of is not None and on_behalf_of.pk == req.requested_by_id:
            continue
        if membership_refusal(membership=membership, rules=rules.get(action, {}), roles=step.roles,
                              department_id=req.department_id, amount=req.amount,
                              authorising=step.authorising) is None:
            return True, on_behalf_of
    return False, None


def approval_pending_for_user(*, access: ProductionAccess) -> list[ApprovalRequest]:
    """Pending requests whose current step the user may decide, oldest first; each carries
    `acting_for` (None, or the user they would decide for through a delegation)."""
    pairs, rules = _deciders(access)
    mine = []
    for req in _base(access).filter(status=ApprovalRequest.Status.PENDING).order_by("created_at", "id"):
        step = req.current_step
        if step is None:
            continue
        may, on_behalf_of = _acting_for(req, step, pairs, rules)
        if may:
            req.acting_for = on_behalf_of
            mine.append(req)
    return mine


def may_decide(*, access: ProductionAccess, req: ApprovalRequest) -> tuple[bool, Any]:
    """Whether the user may decide the request's current step now, and for whom."""
    if not req.is_pending or req.current_step is None:
        return False, None
    pairs, rules = _deciders(access)
    return _acting_for(req, req.current_step, pairs, rules)


def approval_request_list(
    *, access: ProductionAccess, status: str = "", kind: str = "", mine: bool = False
) -> QuerySet[ApprovalRequest]:
    """Requests the user may see, newest first. `mine`: only those they asked for."""
    qs = _base(access)
    if mine:
        qs = qs.filter(requested_by=access.user)
    elif not access.can(Action.VIEW_AUDIT):
        pending_ids = [r.pk for r in approval_pending_for_user(access=access)]
        qs = qs.filter(
            Q(requested_by=access.user) | Q(steps__approver=access.user) | Q(pk__in=pending_ids)
        ).distinct()
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def approval_request_get(*, access: ProductionAccess, request_id: int) -> ApprovalRequest:
    """One request the user may see, or Http404."""
    try:
        req = _base(access).get(pk=request_id)
    except (ApprovalRequest.DoesNotExist, ValueError, OverflowError):
        raise Http404("No such approval request.") from None
    if access.can(Action.VIEW_AUDIT) or req.requested_by_id == access.user.pk:
        return req
    if any(s.approver_id == access.user.pk or s.on_behalf_of_id == access.user.pk for s in req.steps.all()):
        return req
    if may_decide(access=access, req=req)[0]:
        return req
    raise Http404("No such approval request.")


def approval_history(*, req: ApprovalRequest) -> dict[str, Any]:
    """The request's earlier submissions (oldest first) and its audit events (oldest first)."""
    earlier = []
    seen = {req.pk}
    cursor = req.previous
    while cursor is not None and cursor.pk not in seen and len(earlier) < 50:
        earlier.append(cursor)
        seen.add(cursor.pk)
        cursor = cursor.previous
    events = AuditEvent.objects.filter(
        production_id=req.production_id, object_type="approvalrequest", object_id=str(req.pk)
    ).select_related("actor").order_by("created_at", "id")
    return {"earlier": list(reversed(earlier)), "events": list(events)}


def approval_requests_for_object(*, obj: Any, kind: str = "") -> QuerySet[ApprovalRequest]:
    """Every request about `obj`, newest first (no access check: call from your own checked code)."""
    qs = ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).prefetch_related("steps")
    return qs.filter(kind=kind) if kind else qs


def approval_latest_for(*, obj: Any, kind: str) -> ApprovalRequest | None:
    return approval_requests_for_object(obj=obj, kind=kind).order_by("-created_at", "-id").first()


def approval_is_locked(*, obj: Any, kind: str = "") -> bool:
    """True while a request about `obj` is pending: its amount must not change."""
    return approval_requests_for_object(obj=obj, kind=kind).filter(status=ApprovalRequest.Status.PENDING).exists()


def approval_policy_list(*, access: ProductionAccess) -> QuerySet[ApprovalPolicy]:
    return ApprovalPolicy.objects.filter(production=access.production).select_related("department")


def delegation_list(*, access: ProductionAccess) -> QuerySet[Delegation]:
    """All delegations for managers; otherwise the ones the user gives or receives."""
    qs = Delegation.objects.filter(production=access.production).select_related("from_user", "to_user")
    if not access.can(Action.MANAGE_MEMBERS):
        qs = qs.filter(Q(from_user=access.user) | Q(to_user=access.user))
    return qs
