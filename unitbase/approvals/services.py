"""Writes for approvals: submit, decide, withdraw; policies; delegations.

Public contract (other apps call these; docs/approvals.md has the full story):

- approval_request_submit(*, access, kind, obj, amount, currency="", summary="", department=None)
  -> ApprovalRequest. Call it from your own service, after your own permission checks (approvals
  does not decide who may ask). Builds the chain from the production's policy for the kind (seeding
  the defaults on first use). Amount and currency are locked on the request while it is pending.
  Separation of duties: a step nobody but the requester could decide is SKIPPED (recorded with the
  reason); if no remaining step has someone whose matrix limit covers the amount, the chain is
  ESCALATED with the lowest-limit role that covers it; if nobody at all could authorise it, the
  submission is refused with a ValidationError. Only one pending request per (kind, object): a
  second submission is refused. A submission after a rejected/withdrawn/approved request for the same
  object links to it through `previous` (resubmission).
- approval_decide(*, access, request_id, decision, reason="", version=None) -> ApprovalRequest.
  decision is "approve" or "reject" (a rejection needs a reason: ValidationError on "reason").
  Locks the request row (select_for_update); raises ApprovalConflict (a ValidationError, answered
  409 by our views and API) if `version` is stale or the request is no longer pending. Raises
  ActionDenied (403) if the actor may not decide the current step: the requester never may; the
  actor (or the person they stand in for through an active Delegation) must hold one of the step's
  roles, the matrix must give that role the kind's action (department-scoped roles: only for their
  own department), and on an authorising step the role's limit must cover the amount. On the last
  approval it calls kind.on_approved; on a rejection kind.on_rejected, inside this transaction.
  A rejection ends the object's approval: every other request still pending for the same object
  (a parallel request of another kind, e.g. a PO's "budget_overage" beside its "purchase_order")
  is CANCELLED in the same transaction, with `closed_reason` naming the rejected request and an
  "approval.cancel" audit event (no callback: the rejected kind's on_rejected has settled the
  object). Submitting the object again asks afresh for each kind (`previous` links the old ones).
- approval_withdraw(*, access, request_id, version=None) -> ApprovalRequest: the requester only.
- approval_policy_create / approval_policy_update / approval_policy_delete /
  approval_policies_reset: Action.MANAGE_AUTHORITY.
- delegation_create / delegation_end: your own; someone else's with Action.MANAGE_MEMBERS.

Every write records an audit event ("approval.submit", "approval.approve", "approval.reject",
"approval.cancel", "approval.withdraw", "approval_policy.*", "delegation.*").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from unitbase.core.audit import audit_record
from unitbase.core.money import format_money
from unitbase.core.validators import validate_currency_code
from unitbase.productions.authority import Action, Role, Scope
from unitbase.productions.models import AuthorityRule, Department, Membership, Production
from unitbase.productions.permissions import ActionDenied, ProductionAccess

from . import registry
from .models import ApprovalPolicy, ApprovalRequest, ApprovalStep, Delegation, validate_steps
from .registry import ApprovalKind, Chain


class ApprovalConflict(ValidationError):
    """Someone else changed the request first (stale version, or no longer pending)."""

    def __init__(self, message: str = "Someone else decided this request first; reload to see where it stands."):
        super().__init__(message, code="conflict")


# ---------------------------------------------------------------------------------------- helpers

def _kind(kind: str | ApprovalKind) -> ApprovalKind:
    if isinstance(kind, ApprovalKind):
        return kind
    try:
        return registry.get(kind)
    except registry.UnknownKind as exc:
        raise ValidationError({"kind": str(exc)}) from None


def production_today(production: Production) -> dt.date:
    try:
        zone = ZoneInfo(production.time_zone)
    except (ValueError, KeyError):  # a bad zone name falls back to UTC
        zone = ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def _rules(production: Production, action: str) -> dict[str, AuthorityRule]:
    return {r.role: r for r in AuthorityRule.objects.filter(production=production, action=action)}


def _covers(rule: AuthorityRule | None, amount: Decimal | None) -> bool:
    if rule is None:
        return False
    return amount is None or rule.limit_amount is None or amount <= rule.limit_amount


def _in_scope(rule: AuthorityRule, membership: Membership, department_id: int | None) -> bool:
    if rule.scope == Scope.ALL:
        return True
    if rule.scope == Scope.DEPARTMENT:
        return department_id is not None and membership.department_id == department_id
    return False  # "own only" never lets anyone decide someone else's request


def membership_refusal(
    *, membership: Membership | None, rules: dict[str, AuthorityRule], roles: list[str], department_id: int | None,
    amount: Decimal | None, authorising: bool,
) -> str | None:
    """Why this member may not decide a step with these roles (None: they may). Ignores
    separation of duties, which depends on the request."""
    roles_label = " or ".join(Role(r).label.lower() for r in roles)
    if membership is None or not membership.is_active or membership.role not in roles:
        return f"This step waits for the {roles_label}."
    rule = rules.get(membership.role)
    if rule is None:
        return "The authority matrix does not let your role approve this kind of request."
    if not _in_scope(rule, membership, department_id):
        return "Your role approves only for its own department, and this request is for another department."
    if authorising and not _covers(rule, amount):
        return f"{format_money(amount)} is over your limit of {format_money(rule.limit_amount)} for this approval."
    return None


def _step_holders(
    production: Production, rules: dict[str, AuthorityRule], roles: list[str], department_id: int | None,
    exclude_user_id: int,
) -> list[Membership]:
    members = Membership.objects.filter(production=production, is_active=True, role__in=roles).exclude(
        user_id=exclude_user_id
    )
    return [m for m in members if m.role in rules and _in_scope(rules[m.role], m, department_id)]


def _parse_amount(amount: Any) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "Enter an amount such as 1250.00."}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"amount": "The amount must be zero or more."})
    return value


def _chain_label(chain: Chain) -> str:
    return " → ".join(" or ".join(Role(r).label for r in step) for step in chain)


# ---------------------------------------------------------------------------------------- policies

def policies_seed(*, production: Production, kind: ApprovalKind) -> list[ApprovalPolicy]:
    """Copy the kind's defaults into the production if it has no policy for the kind yet
    (locks the production row so two first submissions do not seed twice)."""
    Production.objects.select_for_update().filter(pk=production.pk).first()
    existing = list(ApprovalPolicy.objects.filter(production=production, kind=kind.key))
    if existing or not kind.defaults:
        return existing
    created = ApprovalPolicy.objects.bulk_create(
        ApprovalPolicy(
            production=production, kind=kind.key, min_amount=band.min_amount, max_amount=band.max_amount,
            steps=[list(step) for step in band.steps],
        )
        for band in kind.defaults
    )
    return created


def chain_for(
    *, production: Production, kind: ApprovalKind, obj: Any, amount: Decimal | None, department_id: int | None
) -> Chain:
    """The chain a new request follows: the kind's override, or the production's policy band
    (department-specific policies win over production-wide ones)."""
    if kind.chain is not None:
        chain = kind.chain(production, obj, amount)
        validate_steps(chain)
        return chain
    policies = policies_seed(production=production, kind=kind)
    candidates = [p for p in policies if p.covers(amount)]
    specific = [p for p in candidates if department_id is not None and p.department_id == department_id]
    general = [p for p in candidates if p.department_id is None]
    chosen = (specific or general or [None])[0]
    if chosen is None:
        what = f"an amount of {format_money(amount)}" if amount is not None else "a request without an amount"
        raise ValidationError(
            f"No {kind.label.lower()} approval policy covers {what}; add one on the approvals policies page."
        )
    return chosen.steps


def _policy_validate(access: ProductionAccess, policy: ApprovalPolicy) -> None:
    _kind(policy.kind)
    policy.full_clean()


@transaction.atomic
def approval_policy_create(
    *, access: ProductionAccess, kind: str, steps: Chain, min_amount: Decimal | None = None,
    max_amount: Decimal | None = None, department: Department | None = None,
) -> ApprovalPolicy:
    access.require(Action.MANAGE_AUTHORITY)
    policies_seed(production=access.production, kind=_kind(kind))  # the defaults first, then the addition
    policy = ApprovalPolicy(production=access.production, kind=kind, steps=steps, min_amount=min_amount,
                            max_amount=max_amount, department=department)
    _policy_validate(access, policy)
    policy.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="approval_policy.create", obj=policy,
                 changes={"steps": steps, "min_amount": min_amount, "max_amount": max_amount,
                          "department": department.name if department else None})
    return policy


@transaction.atomic
def approval_policy_update(
    *, access: ProductionAccess, policy_id: int, steps: Chain, min_amount: Decimal | None = None,
    max_amount: Decimal | None = None, department: Department | None = None,
) -> ApprovalPolicy:
    """Change a policy. Requests already pending keep the chain they were given."""
    access.require(Action.MANAGE_AUTHORITY)
    policy = ApprovalPolicy.objects.select_for_update().get(production=access.production, pk=policy_id)
    before = {"steps": policy.steps, "min_amount": policy.min_amount, "max_amount": policy.max_amount,
              "department": policy.department.name if policy.department else None}
    policy.steps, policy.min_amount, policy.max_amount, policy.department = steps, min_amount, max_amount, department
    _policy_validate(access, policy)
    policy.save()
    after = {"steps": steps, "min_amount": min_amount, "max_amount": max_amount,
             "department": department.name if department else None}
    audit_record(production_id=access.production.pk, actor=access.user, action="approval_policy.update", obj=policy,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return policy


@transaction.atomic
def approval_policy_delete(*, access: ProductionAccess, policy_id: int) -> None:
    access.require(Action.MANAGE_AUTHORITY)
    policy = ApprovalPolicy.objects.select_for_update().get(production=access.production, pk=policy_id)
    audit_record(production_id=access.production.pk, actor=access.user, action="approval_policy.delete", obj=policy)
    policy.delete()


@transaction.atomic
def approval_policies_reset(*, access: ProductionAccess, kind: str) -> list[ApprovalPolicy]:
    """Replace the production's policies for a kind by the kind's defaults."""
    access.require(Action.MANAGE_AUTHORITY)
    approval_kind = _kind(kind)
    ApprovalPolicy.objects.filter(production=access.production, kind=approval_kind.key).delete()
    policies = policies_seed(production=access.production, kind=approval_kind)
    audit_record(production_id=access.production.pk, actor=access.user, action="approval_policy.reset",
                 object_type="approvalpolicy", object_repr=approval_kind.label)
    return policies


# ---------------------------------------------------------------------------------------- requests

def _request_repr(req: ApprovalRequest) -> str:
    return f"{registry.label_of(req.kind)} #{req.pk}: {req.summary}"


@transaction.atomic
def approval_request_submit(
    *, access: ProductionAccess, kind: str | ApprovalKind, obj: models.Model, amount: Decimal | None,
    currency: str = "", summary: str = "", department: Department | None = None,
) -> ApprovalRequest:
    """Ask for approval of `obj` (see the module docstring for the rules)."""
    approval_kind = _kind(kind)
    production = access.production
    if obj is None or obj.pk is None:
        raise ValidationError("Save the document before asking for its approval.")
    obj_production_id = getattr(obj, "production_id", None)
    if obj_production_id is not None and obj_production_id != production.pk:
        raise ValidationError("That document belongs to another production.")
    if department is not None and department.production_id != production.pk:
        raise ValidationError({"department": "That department belongs to another production."})
    value = _parse_amount(amount)
    currency = (currency or "").strip().upper()
    if value is not None:
        if not currency:
            currency = production.base_currency
        try:
            validate_currency_code(currency)
        except ValidationError as exc:
            raise ValidationError({"currency": exc.messages}) from None
    summary = (summary or approval_kind.describe(obj) or str(obj)).strip()[:300]
    content_type = ContentType.objects.get_for_model(obj)
    same_object = ApprovalRequest.objects.filter(kind=approval_kind.key, content_type=content_type, object_id=obj.pk)
    if same_object.filter(status=ApprovalRequest.Status.PENDING).exists():
        raise ValidationError("This is already waiting for approval; withdraw that request before asking again.")
    previous = same_object.order_by("-created_at", "-id").first()

    department_id = department.pk if department else None
    chain = chain_for(production=production, kind=approval_kind, obj=obj, amount=value, department_id=department_id)
    rules = _rules(production, approval_kind.action)
    requester_id = access.user.pk

    planned: list[dict[str, Any]] = []
    for roles in chain:
        holders = _step_holders(production, rules, roles, department_id, requester_id)
        covering = [m for m in holders if _covers(rules.get(m.role), value)]
        if holders:
            planned.append({"roles": list(roles), "authorising": bool(covering), "skip": ""})
        else:
            others_hold = Membership.objects.filter(production=production, is_active=True, role__in=roles).exists()
            reason = (
                "Only the requester could decide this step, so it was skipped (separation of duties)."
                if others_hold else "Nobody on this production can decide this step, so it was skipped."
            )
            planned.append({"roles": list(roles), "authorising": False, "skip": reason})
    if not any(p["authorising"] and not p["skip"] for p in planned):
        escalation = _escalation_role(production, rules, value, department_id, requester_id,
                                      exclude={r for p in planned if not p["skip"] for r in p["roles"]})
        if escalation is None:
            raise ValidationError(
                "Nobody on this production other than you has the authority to approve this"
                + (f" amount ({format_money(value, currency)})." if value is not None else " request.")
                + " Ask a manager to add a member or raise a limit in the authority matrix."
            )
        planned.append({"roles": [escalation], "authorising": True,
                        "skip": "", "note": "Added: no one else in the chain may approve this amount."})

    req = ApprovalRequest(
        production=production, kind=approval_kind.key, content_type=content_type, object_id=obj.pk,
        department=department, amount=value, currency=currency if value is not None else "", summary=summary,
        requested_by=access.user, previous=previous,
    )
    req.full_clean()
    req.save()
    now = timezone.now()
    steps = [
        ApprovalStep(
            request=req, order=i, roles=p["roles"], authorising=p["authorising"],
            decision=ApprovalStep.Decision.SKIPPED if p["skip"] else ApprovalStep.Decision.PENDING,
            reason=p["skip"] or p.get("note", ""), decided_at=now if p["skip"] else None,
        )
        for i, p in enumerate(planned, start=1)
    ]
    ApprovalStep.objects.bulk_create(steps)
    req.current_order = next(s.order for s in steps if s.decision == ApprovalStep.Decision.PENDING)
    req.save(update_fields=["current_order"])
    audit_record(
        production_id=production.pk, actor=access.user, action="approval.submit", obj=req,
        object_repr=_request_repr(req),
        changes={"kind": approval_kind.key, "amount": value, "currency": req.currency,
                 "chain": [s.roles for s in steps], "skipped": [s.order for s in steps if s.decision == "skipped"],
                 "previous": previous.pk if previous else None},
    )
    return req


def _escalation_role(
    production: Production, rules: dict[str, AuthorityRule], amount: Decimal | None, department_id: int | None,
    requester_id: int, exclude: set[str],
) -> str | None:
    """The role with the lowest limit that covers the amount and has a holder other than the requester."""
    candidates = sorted(
        (r for r in rules.values() if _covers(r, amount) and r.role not in exclude),
        key=lambda r: (r.limit_amount is None, r.limit_amount or Decimal(0), r.role),
    )
    for rule in candidates:
        if _step_holders(production, rules, [rule.role], department_id, requester_id):
            return rule.role
    return None


def decision_authority(*, production: Production, user: Any, req: ApprovalRequest, step: ApprovalStep) -> Any:
    """Who `user` decides `step` for: None (themselves) or the delegating user. Raises ActionDenied
    with the reason when they may not decide it."""
    kind_action = _kind(req.kind).action
    if user.pk == req.requested_by_id:
        raise ActionDenied(kind_action, "You asked for this approval, so someone else has to decide it.")
    rules = _rules(production, kind_action)
    membership = Membership.objects.filter(production=production, user=user, is_active=True).first()
    refusal = membership_refusal(membership=membership, rules=rules, roles=step.roles,
                                 department_id=req.department_id, amount=req.amount, authorising=step.authorising)
    if refusal is None:
        return None
    today = production_today(production)
    delegations = Delegation.objects.filter(
        production=production, to_user=user, ended_at__isnull=True, starts_on__lte=today, ends_on__gte=today
    ).exclude(from_user_id=req.requested_by_id).select_related("from_user")
    for delegation in delegations:
        delegator = Membership.objects.filter(production=production, user=delegation.from_user, is_active=True).first()
        if membership_refusal(membership=delegator, rules=rules, roles=step.roles, department_id=req.department_id,
                              amount=req.amount, authorising=step.authorising) is None:
            return delegation.from_user
    raise ActionDenied(kind_action, refusal)


def _load_for_update(access: ProductionAccess, request_id: int, version: int | None) -> ApprovalRequest:
    req = ApprovalRequest.objects.select_for_update().get(production=access.production, pk=request_id)
    if version is not None and int(version) != req.version:
        raise ApprovalConflict()
    if not req.is_pending:
        raise ApprovalConflict(f"This request is already {req.get_status_display().lower()}; reload to see it.")
    return req


DECISIONS = {"approve": ApprovalStep.Decision.APPROVED, "approved": ApprovalStep.Decision.APPROVED,
             "reject": ApprovalStep.Decision.REJECTED, "rejected": ApprovalStep.Decision.REJECTED}


@transaction.atomic
def approval_decide(
    *, access: ProductionAccess, request_id: int, decision: str, reason: str = "", version: int | None = None,
) -> ApprovalRequest:
    """Approve or reject the current step of a request (see the module docstring)."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose approve or reject."})
    outcome = DECISIONS[decision]
    reason = (reason or "").strip()
    req = _load_for_update(access, request_id, version)
    step = ApprovalStep.objects.select_for_update().get(request=req, order=req.current_order)
    on_behalf_of = decision_authority(production=access.production, user=access.user, req=req, step=step)
    if outcome == ApprovalStep.Decision.REJECTED and not reason:
        raise ValidationError({"reason": "Say why you reject it, so the requester can fix it."})
    kind = _kind(req.kind)
    obj = req.target
    if kind.amount_of is not None and obj is not None and kind.amount_of(obj) != req.amount:
        raise ValidationError(
            "The document's amount changed after it was submitted; the requester must withdraw and resubmit it."
        )
    now = timezone.now()
    updated = ApprovalStep.objects.filter(pk=step.pk, decision=ApprovalStep.Decision.PENDING).update(
        decision=outcome, approver=access.user, on_behalf_of=on_behalf_of, reason=reason, decided_at=now
    )
    if updated != 1:  # belt and braces: the row lock above makes this unreachable
        raise ApprovalConflict()
    next_step = req.steps.filter(order__gt=step.order, decision=ApprovalStep.Decision.PENDING).order_by("order").first()
    finished = outcome == ApprovalStep.Decision.REJECTED or next_step is None
    if outcome == ApprovalStep.Decision.REJECTED:
        req.status = ApprovalRequest.Status.REJECTED
    elif next_step is None:
        req.status = ApprovalRequest.Status.APPROVED
    req.current_order = None if finished else next_step.order
    req.decided_at = now if finished else None
    req.version += 1
    req.save(update_fields=["status", "current_order", "decided_at", "version", "updated_at"])
    audit_record(
        production_id=access.production.pk, actor=access.user,
        action="approval.approve" if outcome == ApprovalStep.Decision.APPROVED else "approval.reject",
        obj=req, object_repr=_request_repr(req),
        changes={"step": step.order, "roles": step.roles, "amount": req.amount, "currency": req.currency,
                 "reason": reason, "on_behalf_of": on_behalf_of.pk if on_behalf_of else None,
                 "status": req.status, "version": req.version},
    )
    if req.status == ApprovalRequest.Status.APPROVED and kind.on_approved is not None:
        kind.on_approved(obj, req, access.user)
    elif req.status == ApprovalRequest.Status.REJECTED:
        if kind.on_rejected is not None:
            kind.on_rejected(obj, req, access.user, reason)
        _cancel_parallel(access=access, rejected=req, reason=reason)
    return req


def _cancel_parallel(*, access: ProductionAccess, rejected: ApprovalRequest, reason: str) -> None:
    """A rejection ends the object's approval: close the other requests still pending for it."""
    siblings = (ApprovalRequest.objects.select_for_update()
                .filter(content_type_id=rejected.content_type_id, object_id=rejected.object_id,
                        status=ApprovalRequest.Status.PENDING)
                .exclude(pk=rejected.pk).order_by("pk"))
    now = timezone.now()
    why = f"Cancelled: {registry.label_of(rejected.kind)} #{rejected.pk} was rejected ({reason})"[:300]
    for sibling in siblings:
        sibling.status = ApprovalRequest.Status.CANCELLED
        sibling.current_order = None
        sibling.decided_at = now
        sibling.closed_reason = why
        sibling.cancelled_by = rejected
        sibling.version += 1
        sibling.save(update_fields=["status", "current_order", "decided_at", "closed_reason", "cancelled_by",
                                    "version", "updated_at"])
        audit_record(
            production_id=access.production.pk, actor=access.user, action="approval.cancel", obj=sibling,
            object_repr=_request_repr(sibling),
            changes={"reason": why, "rejected_request": rejected.pk, "kind": sibling.kind,
                     "amount": sibling.amount, "currency": sibling.currency, "version": sibling.version},
        )


@transaction.atomic
def approval_withdraw(*, access: ProductionAccess, request_id: int, version: int | None = None) -> ApprovalRequest:
    """The requester takes a pending request back (to change the amount, for instance)."""
    req = _load_for_update(access, request_id, version)
    if req.requested_by_id != access.user.pk:
        raise ActionDenied(_kind(req.kind).action, "Only the person who asked for this approval can withdraw it.")
    req.status = ApprovalRequest.Status.WITHDRAWN
    req.current_order = None
    req.decided_at = timezone.now()
    req.version += 1
    req.save(update_fields=["status", "current_order", "decided_at", "version", "updated_at"])
    audit_record(production_id=access.production.pk, actor=access.user, action="approval.withdraw", obj=req,
                 object_repr=_request_repr(req), changes={"version": req.version})
    kind = _kind(req.kind)
    if kind.on_withdrawn is not None:
        kind.on_withdrawn(req.target, req, access.user)
    return req


# ---------------------------------------------------------------------------------------- delegations

@transaction.atomic
def delegation_create(
    *, access: ProductionAccess, to_user_id: int, starts_on: dt.date, ends_on: dt.date, note: str = "",
    from_user_id: int | None = None,
) -> Delegation:
    """Let `to_user` decide approvals for `from_user` (default: yourself) between two dates."""
    from_user_id = from_user_id or access.user.pk
    if from_user_id != access.user.pk:
        access.require(Action.MANAGE_MEMBERS)
    members = {
        m.user_id: m for m in Membership.objects.select_related("user").filter(
            production=access.production, is_active=True, user_id__in=[from_user_id, to_user_id]
        )
    }
    if from_user_id not in members:
        raise ValidationError({"from_user": "Choose an active member of this production."})
    if to_user_id not in members:
        raise ValidationError({"to_user": "Choose an active member of this production."})
    delegation = Delegation(
        production=access.production, from_user=members[from_user_id].user, to_user=members[to_user_id].user,
        starts_on=starts_on, ends_on=ends_on, note=(note or "").strip(), created_by=access.user,
    )
    delegation.full_clean()
    delegation.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="delegation.create", obj=delegation,
                 changes={"from_user": from_user_id, "to_user": to_user_id, "starts_on": starts_on,
                          "ends_on": ends_on})
    return delegation


@transaction.atomic
def delegation_end(*, access: ProductionAccess, delegation_id: int) -> Delegation:
    """End a delegation now (the delegator, the delegate or a member manager)."""
    delegation = Delegation.objects.select_for_update().get(production=access.production, pk=delegation_id)
    if access.user.pk not in (delegation.from_user_id, delegation.to_user_id):
        access.require(Action.MANAGE_MEMBERS)
    if delegation.ended_at is not None:
        raise ValidationError("This delegation has already ended.")
    delegation.ended_at = timezone.now()
    delegation.save(update_fields=["ended_at", "updated_at"])
    audit_record(production_id=access.production.pk, actor=access.user, action="delegation.end", obj=delegation)
    return delegation
