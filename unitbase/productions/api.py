"""REST endpoints for productions, units, episodes, departments, members, invitations and the
authority matrix. Every endpoint enters through `access_production`, so a non-member gets 404 and
a role the matrix denies gets 403; every write goes through a service."""


from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors, services
from .authority import Action, Role, Scope
from .models import Production, Unit
from .permissions import ProductionAccess, access_production

router = Router(tags=["productions"])

MAX_PAGE = 500
# Ids are 64-bit in the database; a bigger number in a path or body is a 422, not an overflow.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

RoleName = Literal[tuple(Role.values)]
ScopeName = Literal[tuple(Scope.values)]
ProductionKind = Literal[tuple(Production.Kind.values)]
ProductionStatus = Literal[tuple(Production.Status.values)]
UnitKind = Literal[tuple(Unit.Kind.values)]


# --- helpers shared with the people router -------------------------------------------------------


def api_access(request, production_id: Id, action: str = Action.VIEW_PRODUCTION) -> ProductionAccess:
    """The guard of every production endpoint; the access is kept on the request for the schemas'
    resolvers (pay privacy)."""
    access = access_production(request.user, production_id, action)
    request.unitbase_access = access
    return access


def money_str(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def in_production(queryset: QuerySet, pk: int | None, field: str, label: str) -> Model | None:
    """Resolve an id given in a request body within the production's scoped queryset, or answer 422
    on that field (ids of other productions are simply unknown here)."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: f"No {label} with id {pk} in this production."})
    return obj


@contextmanager
def renamed_errors(mapping: dict[str, str]) -> Iterator[None]:
    """Report a service's field errors under the API's field names (department -> department_id)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list] = {}
        for key, errors in exc.error_dict.items():
            renamed.setdefault(mapping.get(key, key), []).extend(errors)
        raise ValidationError(renamed) from exc


def set_fields(payload: Schema) -> dict:
    """The fields the client actually sent (PATCH semantics)."""
    return payload.dict(exclude_unset=True)


class Pagination(LimitOffsetPagination):
    """Ninja's limit/offset pagination, with the page capped and the offset kept in the database's range."""

    class Input(Schema):
        limit: int = Field(100, ge=1, description=f"Page size, at most {MAX_PAGE}")
        offset: int = Field(0, ge=0, le=2**62)


paginated = paginate(Pagination, max_limit=MAX_PAGE)


# --- schemas -------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class ProductionOut(Schema):
    id: int
    title: str
    kind: str
    base_currency: str
    time_zone: str
    status: str


class ProductionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: ProductionKind = Production.Kind.FEATURE.value
    base_currency: str = Field("USD", min_length=3, max_length=3, description="ISO 4217 code")
    time_zone: str = Field("UTC", description="IANA name, e.g. Europe/London")
    status: ProductionStatus = Production.Status.DEVELOPMENT.value


class ProductionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: ProductionKind | None = None
    base_currency: str | None = Field(None, min_length=3, max_length=3)
    time_zone: str | None = None
    status: ProductionStatus | None = None


class UnitOut(Schema):
    id: int
    name: str
    kind: str


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: UnitKind = Unit.Kind.SECOND.value


class EpisodeOut(Schema):
    id: int
    number: str
    title: str


class EpisodeIn(Schema):
    number: str = Field(..., min_length=1, max_length=20)
    title: str = Field("", max_length=200)


class DepartmentOut(Schema):
    id: int
    name: str
    order: int


class DepartmentIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


class UserRef(Schema):
    id: int
    email: str
    full_name: str


class MembershipOut(Schema):
    id: int
    user: UserRef
    role: str
    department: Ref | None
    unit: Ref | None
    is_active: bool


class MembershipPatch(Schema):
    role: RoleName | None = None
    department_id: Id | None = Field(None, description="null to clear")
    unit_id: Id | None = Field(None, description="null to clear")
    is_active: bool | None = None


class InvitationIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    full_name: str = Field("", max_length=200)
    role: RoleName
    department_id: Id | None = None
    unit_id: Id | None = None


class InvitationOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    department: Ref | None
    unit: Ref | None
    created_at: datetime
    expires_at: datetime


class AuthorityRuleOut(Schema):
    action: str
    role: str
    scope: str
    limit_amount: str | None = Field(None, description="A decimal string; null means no limit")

    @staticmethod
    def resolve_limit_amount(obj) -> str | None:
        return money_str(obj.limit_amount)


class AuthorityCellIn(Schema):
    allowed: bool
    scope: ScopeName = Scope.ALL.value
    limit_amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="Only for money actions; null means no limit"
    )


class AuthorityCellOut(Schema):
    action: str
    role: str
    allowed: bool
    scope: str | None
    limit_amount: str | None


# --- productions ---------------------------------------------------------------------------------


@router.get("", response=list[ProductionOut], summary="The productions you are an active member of")
@paginated
def production_list(request):
    return selectors.production_list_for_user(user=request.user)


@router.post("", response={201: ProductionOut}, summary="Create a production; you become its producer")
def production_create(request, payload: ProductionIn):
    return services.production_create(actor=request.user, **payload.dict())


@router.get("/{production_id}", response=ProductionOut, summary="One production")
def production_detail(request, production_id: Id):
    return api_access(request, production_id).production


@router.patch("/{production_id}", response=ProductionOut, summary="Edit a production's settings (edit_production)")
def production_update(request, production_id: Id, payload: ProductionPatch):
    access = api_access(request, production_id, Action.EDIT_PRODUCTION)
    data = set_fields(payload)
    if data.get("base_currency"):
        data["base_currency"] = data["base_currency"].upper()
    return services.production_update(access=access, **data)


# --- units, episodes, departments ----------------------------------------------------------------


@router.get("/{production_id}/units", response=list[UnitOut], tags=["units"], summary="The production's units")
@paginated
def unit_list(request, production_id: Id):
    return selectors.unit_list(access=api_access(request, production_id))


@router.post("/{production_id}/units", response={201: UnitOut}, tags=["units"],
             summary="Add a unit (edit_production)")
def unit_create(request, production_id: Id, payload: UnitIn):
    access = api_access(request, production_id, Action.EDIT_PRODUCTION)
    return services.unit_create(access=access, **payload.dict())


@router.get("/{production_id}/episodes", response=list[EpisodeOut], tags=["episodes"],
            summary="The production's episodes")
@paginated
def episode_list(request, production_id: Id):
    return selectors.episode_list(access=api_access(request, production_id))


@router.post("/{production_id}/episodes", response={201: EpisodeOut}, tags=["episodes"],
             summary="Add an episode (edit_production)")
def episode_create(request, production_id: Id, payload: EpisodeIn):
    access = api_access(request, production_id, Action.EDIT_PRODUCTION)
    return services.episode_create(access=access, **payload.dict())


@router.get("/{production_id}/departments", response=list[DepartmentOut], tags=["departments"],
            summary="The production's departments, in order")
@paginated
def department_list(request, production_id: Id):
    return selectors.department_list(access=api_access(request, production_id))


@router.post("/{production_id}/departments", response={201: DepartmentOut}, tags=["departments"],
             summary="Add a department (edit_production)")
def department_create(request, production_id: Id, payload: DepartmentIn):
    access = api_access(request, production_id, Action.EDIT_PRODUCTION)
    return services.department_create(access=access, **payload.dict())


# --- members and invitations ---------------------------------------------------------------------


@router.get("/{production_id}/members", response=list[MembershipOut], tags=["members"],
            summary="The production's members, active first")
@paginated
def membership_list(request, production_id: Id):
    return selectors.membership_list(access=api_access(request, production_id))


@router.patch("/{production_id}/members/{membership_id}", response=MembershipOut, tags=["members"],
              summary="Change a member's role, department, unit or active flag (manage_members)")
def membership_update(request, production_id: Id, membership_id: Id, payload: MembershipPatch):
    access = api_access(request, production_id, Action.MANAGE_MEMBERS)
    membership = get_object_or_404(selectors.membership_list(access=access), pk=membership_id)
    data = set_fields(payload)
    department = membership.department
    unit = membership.unit
    if "department_id" in data:
        department = in_production(selectors.department_list(access=access), data["department_id"],
                                   "department_id", "department")
    if "unit_id" in data:
        unit = in_production(selectors.unit_list(access=access), data["unit_id"], "unit_id", "unit")
    with renamed_errors({"department": "department_id", "unit": "unit_id"}):
        services.membership_update(
            access=access, membership_id=membership.pk,
            role=data.get("role") or membership.role, department=department, unit=unit,
            is_active=membership.is_active if data.get("is_active") is None else data["is_active"],
        )
    return selectors.membership_list(access=access).get(pk=membership.pk)


@router.post("/{production_id}/invitations", response={201: InvitationOut}, tags=["members"],
             summary="Invite someone by e-mail (manage_members); the e-mail is sent by the worker")
def invitation_create(request, production_id: Id, payload: InvitationIn):
    access = api_access(request, production_id, Action.MANAGE_MEMBERS)
    department = in_production(selectors.department_list(access=access), payload.department_id,
                               "department_id", "department")
    unit = in_production(selectors.unit_list(access=access), payload.unit_id, "unit_id", "unit")
    with renamed_errors({"department": "department_id", "unit": "unit_id"}):
        invitation = services.invitation_create(
            access=access, email=payload.email, full_name=payload.full_name, role=payload.role,
            department=department, unit=unit,
        )
    return invitation


# --- authority matrix ----------------------------------------------------------------------------


@router.get("/{production_id}/authority", response=list[AuthorityRuleOut], tags=["authority"],
            summary="The authority matrix: one row per allowed (action, role); absent means denied")
def authority_list(request, production_id: Id):
    matrix = selectors.authority_matrix(access=api_access(request, production_id))
    return [rule for action in Action.values for rule in (matrix[action].get(role) for role in Role.values) if rule]


@router.put("/{production_id}/authority/{action}/{role}", response=AuthorityCellOut, tags=["authority"],
            summary="Allow or deny one cell of the matrix (manage_authority)")
def authority_set(request, production_id: Id, action: str, role: str, payload: AuthorityCellIn):
    access = api_access(request, production_id, Action.MANAGE_AUTHORITY)
    rule = services.authority_rule_set(
        access=access, action=action, role=role, allowed=payload.allowed, scope=payload.scope,
        limit_amount=payload.limit_amount,
    )
    return {
        "action": action, "role": role, "allowed": rule is not None,
        "scope": rule.scope if rule else None, "limit_amount": money_str(rule.limit_amount) if rule else None,
    }

