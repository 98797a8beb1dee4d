"""REST endpoints for approvals: what waits for me, requests, one request, decide, withdraw.

Mount (in unitbase/api.py):
    from unitbase.approvals.api import router as approvals_router
    api.add_router("/productions", approvals_router)

Decide answers 200 with the request, 403 when the caller may not decide its current step (or asked
for it), 404 for a request they cannot see, 409 when someone else decided first (stale `version`
or no longer pending), 422 for bad input (a rejection needs a reason).
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from unitbase.productions.api import Id, api_access, money_str, paginated

from . import registry, selectors, services
from .models import ApprovalRequest, ApprovalStep

router = Router(tags=["approvals"])
StatusName = Literal[tuple(ApprovalRequest.Status.values)]


class UserOut(Schema):
    id: int
    email: str
    full_name: str


def _user(user) -> dict | None:
    return None if user is None else {"id": user.pk, "email": user.email, "full_name": user.get_full_name()}


class StepOut(Schema):
    order: int
    roles: list[str]
    authorising: bool
    decision: str
    approver: UserOut | None
    on_behalf_of: UserOut | None
    reason: str
    decided_at: datetime | None


class RequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    object_type: str
    object_id: int
    summary: str
    amount: str | None
    currency: str
    department_id: int | None
    requested_by: UserOut
    status: str
    current_step: int | None
    version: int
    previous_id: int | None
    cancelled_by_id: int | None = Field(None, description="Cancelled because this parallel request was rejected")
    closed_reason: str = ""
    created_at: datetime
    decided_at: datetime | None


class RequestDetailOut(RequestOut):
    steps: list[StepOut]


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1, description="The version you saw; a stale one answers 409.")


class VersionIn(Schema):
    version: int | None = Field(None, ge=1)


class ErrorOut(Schema):
    detail: list[dict]


def _out(req: ApprovalRequest, steps: bool = False) -> dict:
    data = {
        "id": req.pk, "kind": req.kind, "kind_label": registry.label_of(req.kind),
        "object_type": f"{req.content_type.app_label}.{req.content_type.model}", "object_id": req.object_id,
        "summary": req.summary, "amount": money_str(req.amount), "currency": req.currency,
        "department_id": req.department_id, "requested_by": _user(req.requested_by), "status": req.status,
        "current_step": req.current_order, "version": req.version, "previous_id": req.previous_id,
        "cancelled_by_id": req.cancelled_by_id, "closed_reason": req.closed_reason, "created_at": req.created_at, "decided_at": req.decided_at,
    }
    if steps:
        data["steps"] = [_step(s) for s in req.steps.all()]
    return data


def _step(step: ApprovalStep) -> dict:
    return {
        "order": step.order, "roles": step.roles, "authorising": step.authorising, "decision": step.decision,
        "approver": _user(step.approver), "on_behalf_of": _user(step.on_behalf_of), "reason": step.reason,
        "decided_at": step.decided_at,
    }


def _conflict(exc: ValidationError) -> Status:
    return Status(409, {"detail": [{"loc": [], "msg": exc.messages[0]}]})


@router.get("/{production_id}/approvals/pending", response=list[RequestOut],
            summary="Requests whose current step you may decide, oldest first")
def pending(request, production_id: Id):
    access = api_access(request, production_id)
    return [_out(r) for r in selectors.approval_pending_for_user(access=access)]


class RequestFilter(Schema):
    status: StatusName | None = None
    kind: str | None = Field(None, max_length=60)
    mine: bool = False


@router.get("/{production_id}/approvals/requests", response=list[RequestOut],
            summary="Requests you may see (all of them with view_audit), newest first")
@paginated
def request_list(request, production_id: Id, filters: Query[RequestFilter]):
    access = api_access(request, production_id)
    qs = selectors.approval_request_list(access=access, status=filters.status or "", kind=filters.kind or "",
                                         mine=filters.mine)
    return [_out(r) for r in qs]


@router.get("/{production_id}/approvals/requests/{request_id}", response=RequestDetailOut,
            summary="One request with its chain")
def request_detail(request, production_id: Id, request_id: Id):
    access = api_access(request, production_id)
    return _out(selectors.approval_request_get(access=access, request_id=request_id), steps=True)


@router.post("/{production_id}/approvals/requests/{request_id}/decide",
             response={200: RequestDetailOut, 409: ErrorOut},
             summary="Approve or reject the current step (reject needs a reason)")
def decide(request, production_id: Id, request_id: Id, payload: DecisionIn):
    access = api_access(request, production_id)
    req = selectors.approval_request_get(access=access, request_id=request_id)
    try:
        services.approval_decide(access=access, request_id=req.pk, decision=payload.decision,
                                 reason=payload.reason, version=payload.version)
    except services.ApprovalConflict as exc:
        return _conflict(exc)
    return Status(200, _out(selectors.approval_request_get(access=access, request_id=req.pk), steps=True))


@router.post("/{production_id}/approvals/requests/{request_id}/withdraw",
             response={200: RequestDetailOut, 409: ErrorOut}, summary="Withdraw your own pending request")
def withdraw(request, production_id: Id, request_id: Id, payload: VersionIn):
    access = api_access(request, production_id)
    req = selectors.approval_request_get(access=access, request_id=request_id)
    try:
        services.approval_withdraw(access=access, request_id=req.pk, version=payload.version)
    except services.ApprovalConflict as exc:
        return _conflict(exc)
    return Status(200, _out(selectors.approval_request_get(access=access, request_id=req.pk), steps=True))
