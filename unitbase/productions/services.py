"""Writes for productions: each one atomic, validated and audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unitbase.core.audit import audit_record, diff_fields

from .authority import (
    DEFAULT_MATRIX,
    FLOOR_ACTIONS,
    MEMBER_ADMIN_FLOOR,
    MONEY_ACTIONS,
    STANDARD_DEPARTMENTS,
    Action,
    Role,
)
from .models import AuthorityRule, Department, Episode, Invitation, Membership, Production, Unit
from .permissions import ProductionAccess


def _pid(access: ProductionAccess) -> int:
    return access.production.pk


@transaction.atomic
def production_create(
    *,
    actor: Any,
    title: str,
    kind: str = Production.Kind.FEATURE,
    base_currency: str = "USD",
    time_zone: str = "UTC",
    status: str = Production.Status.DEVELOPMENT,
    creator_role: str = Role.PRODUCER,
) -> Production:
    """Create a production with its main unit, the standard departments, the default authority
    matrix and the creator as its first member."""
    production = Production(
        title=title.strip(), kind=kind, base_currency=base_currency.upper(), time_zone=time_zone, status=status
    )
    production.full_clean()
    production.save()
    Unit.objects.create(production=production, name="Main unit", kind=Unit.Kind.MAIN)
    Department.objects.bulk_create(
        Department(production=production, name=name, order=i * 10) for i, name in enumerate(STANDARD_DEPARTMENTS)
    )
    authority_matrix_reset(production=production)
    if getattr(actor, "is_authenticated", False):
        Membership.objects.create(production=production, user=actor, role=creator_role)
    audit_record(production_id=production.pk, actor=actor, action="production.create", obj=production)
    return production


def authority_matrix_reset(*, production: Production) -> None:
    """Replace the production's matrix by the defaults (used at creation)."""
    AuthorityRule.objects.filter(production=production).delete()
    AuthorityRule.objects.bulk_create(
        AuthorityRule(production=production, action=action, role=role, scope=scope, limit_amount=limit)
        for action, roles in DEFAULT_MATRIX.items()
        for role, (scope, limit) in roles.items()
    )


@transaction.atomic
def production_update(*, access: ProductionAccess, **data: Any) -> Production:
    access.require(Action.EDIT_PRODUCTION)
    production = Production.objects.select_for_update().get(pk=access.production.pk)
    allowed = {"title", "kind", "base_currency", "time_zone", "status"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({field: "This field cannot be changed." for field in unknown})
    changes = diff_fields(production, data)
    for field_name, value in data.items():
        setattr(production, field_name, value)
    production.full_clean()
    production.save()
    audit_record(production_id=production.pk, actor=access.user, action="production.update", obj=production,
                 changes=changes)
    return production


@transaction.atomic
def unit_create(*, access: ProductionAccess, name: str, kind: str = Unit.Kind.SECOND) -> Unit:
    access.require(Action.EDIT_PRODUCTION)
    unit = Unit(production=access.production, name=name.strip(), kind=kind)
    unit.full_clean()
    unit.save()
    audit_record(production_id=_pid(access), actor=access.user, action="unit.create", obj=unit)
    return unit


@transaction.atomic
def episode_create(*, access: ProductionAccess, number: str, title: str = "") -> Episode:
    access.require(Action.EDIT_PRODUCTION)
    episode = Episode(production=access.production, number=number.strip(), title=title.strip())
    episode.full_clean()
    episode.save()
    audit_record(production_id=_pid(access), actor=access.user, action="episode.create", obj=episode)
    return episode


@transaction.atomic
def department_create(*, access: ProductionAccess, name: str) -> Department:
    access.require(Action.EDIT_PRODUCTION)
    last = Department.objects.filter(production=access.production).order_by("-order").first()
    department = Department(production=access.production, name=name.strip(), order=(last.order + 10) if last else 0)
    department.full_clean()
    department.save()
    audit_record(production_id=_pid(access), actor=access.user, action="department.create", obj=department)
    return department


def _check_scope_objects(access: ProductionAccess, department: Department | None, unit: Unit | None) -> None:
    errors = {}
    if department is not None and department.production_id != access.production.pk:
        errors["department"] = "That department belongs to another production."
    if unit is not None and unit.production_id != access.production.pk:
        errors["unit"] = "That unit belongs to another production."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def invitation_create(
    *,
    access: ProductionAccess,
    email: str,
    role: str,
    full_name: str = "",
    department: Department | None = None,
    unit: Unit | None = None,
) -> Invitation:
    """Invite a person by e-mail. The e-mail is sent by the worker after the transaction commits."""
    access.require(Action.MANAGE_MEMBERS)
    _check_scope_objects(access, department, unit)
    email = email.strip().lower()
    if Membership.objects.filter(production=access.production, user__email=email, is_active=True).exists():
        raise ValidationError({"email": f"{email} is already a member of this production."})
    if Invitation.objects.filter(
        production=access.production, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ValidationError({"email": f"{email} already has an open invitation; revoke it to send a new one."})
    invitation = Invitation(
        production=access.production, email=email, full_name=full_name.strip(), role=role,
        department=department, unit=unit, invited_by=access.user,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(production_id=_pid(access), actor=access.user, action="invitation.create", obj=invitation,
                 changes={"email": email, "role": role})
    from .tasks import invitation_send_email

    transaction.on_commit(lambda: invitation_send_email.enqueue(invitation_id=invitation.pk))
    return invitation


@transaction.atomic
def invitation_revoke(*, access: ProductionAccess, invitation_id: int) -> Invitation:
    access.require(Action.MANAGE_MEMBERS)
    invitation = Invitation.objects.select_for_update().get(production=access.production, pk=invitation_id)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(production_id=_pid(access), actor=access.user, action="invitation.revoke", obj=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: Any = None, password: str = "", full_name: str = "") -> Membership:
    """Accept an invitation, creating the user account when the e-mail has none yet."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise ValidationError("This invitation link is not valid any more. Ask the production office for a new one.")
    User = get_user_model()
    if user is None or not user.is_authenticated:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            if not password:
                raise ValidationError({"password": "Choose a password."})
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name or invitation.full_name
            )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(f"This invitation is for {invitation.email}; sign out and open the link again.")
    membership, _ = Membership.objects.update_or_create(
        production=invitation.production, user=user,
        defaults={"role": invitation.role, "department": invitation.department, "unit": invitation.unit,
                  "is_active": True},
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit_record(production_id=invitation.production_id, actor=user, action="membership.join", obj=membership,
                 changes={"role": invitation.role, "invitation": invitation.pk})
    return membership


def _ensure_member_admin_remains(production: Production, excluding: Membership) -> None:
    others = Membership.objects.filter(production=production, is_active=True, role__in=MEMBER_ADMIN_FLOOR).exclude(
        pk=excluding.pk
    )
    if not others.exists():
        raise ValidationError("A production needs at least one active producer or UPM.")


@transaction.atomic
def membership_update(
    *, access: ProductionAccess, membership_id: int, role: str, department: Department | None = None,
    unit: Unit | None = None, is_active: bool = True,
) -> Membership:
    access.require(Action.MANAGE_MEMBERS)
    _check_scope_objects(access, department, unit)
    membership = Membership.objects.select_for_update().get(production=access.production, pk=membership_id)
    if membership.role in MEMBER_ADMIN_FLOOR and (role not in MEMBER_ADMIN_FLOOR or not is_active):
        _ensure_member_admin_remains(access.production, membership)
    data = {"role": role, "department": department, "unit": unit, "is_active": is_active}
    changes = diff_fields(membership, data)
    for key, value in data.items():
        setattr(membership, key, value)
    membership.full_clean()
    membership.save()
    audit_record(production_id=_pid(access), actor=access.user, action="membership.update", obj=membership,
                 changes=changes)
    return membership


@transaction.atomic
def authority_rule_set(
    *, access: ProductionAccess, action: str, role: str, allowed: bool, scope: str = "all",
    limit_amount: Decimal | None = None,
) -> AuthorityRule | None:
    """Allow or deny one cell of the matrix. The producer and UPM keep member management."""
    access.require(Action.MANAGE_AUTHORITY)
    if action not in Action.values:
        raise ValidationError({"action": f"Unknown action {action!r}."})
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if action in FLOOR_ACTIONS and role in MEMBER_ADMIN_FLOOR and not allowed:
        raise ValidationError(
            "The producer and the UPM always keep member and authority management, so that nobody is locked out."
        )
    if action not in MONEY_ACTIONS:
        limit_amount = None
    existing = AuthorityRule.objects.select_for_update().filter(
        production=access.production, action=action, role=role
    ).first()
    before = {"allowed": existing is not None, "scope": existing.scope if existing else None,
              "limit_amount": existing.limit_amount if existing else None}
    if not allowed:
        if existing:
            existing.delete()
        rule = None
    else:
        rule = existing or AuthorityRule(production=access.production, action=action, role=role)
        rule.scope = scope
        rule.limit_amount = limit_amount
        rule.full_clean()
        rule.save()
    after = {"allowed": allowed, "scope": scope if allowed else None, "limit_amount": limit_amount if allowed else None}
    if before != after:
        audit_record(
            production_id=_pid(access), actor=access.user, action="authority.update",
            object_type="authorityrule", object_repr=f"{Role(role).label}: {Action(action).label}",
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return rule
