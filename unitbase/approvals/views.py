"""Approvals pages: inbox, requests, request detail, policies, delegations. Thin: forms validate,
services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from unitbase.productions.authority import Action
from unitbase.productions.decorators import production_view
from unitbase.productions.selectors import department_list, membership_list

from . import registry, selectors, services
from .forms import DecideForm, DelegationForm, PolicyForm, VersionForm, format_steps
from .models import ApprovalPolicy, ApprovalRequest


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _decorate(req: ApprovalRequest) -> ApprovalRequest:
    """Attach what the templates show: the kind's label and a link to the document."""
    kind = registry.find(req.kind)
    req.kind_label = registry.label_of(req.kind)
    req.document_url = ""
    if kind is not None and kind.url_of is not None and req.target is not None:
        req.document_url = kind.url_of(req.target)
    return req


# Inbox and requests ---------------------------------------------------------------------------

@production_view()
def inbox(request, access):
    pending = [_decorate(r) for r in selectors.approval_pending_for_user(access=access)]
    for req in pending:
        req.form = DecideForm(initial={"version": req.version}, auto_id=f"id_r{req.pk}_%s")
    mine = list(selectors.approval_request_list(access=access, mine=True)[:20])
    return render(request, "approvals/inbox.html", {
        "production": access.production, "pending": pending, "mine": [_decorate(r) for r in mine],
            })


@production_view()
def request_list(request, access):
    status = request.GET.get("status", "")
    if status not in ApprovalRequest.Status.values:
        status = ""
    rows = [_decorate(r) for r in selectors.approval_request_list(access=access, status=status)[:200]]
    return render(request, "approvals/request_list.html", {
        "production": access.production, "rows": rows, "status": status,
        "statuses": ApprovalRequest.Status.choices, "sees_all": access.can(Action.VIEW_AUDIT),
    })


def _detail_context(access, req: ApprovalRequest, form=None, withdraw_error: str = "") -> dict:
    may, acting_for = selectors.may_decide(access=access, req=req)
    return {
        "production": access.production, "req": _decorate(req), "may_decide": may, "acting_for": acting_for,
        "form": form or DecideForm(initial={"version": req.version}),
        "may_withdraw": req.is_pending and req.requested_by_id == access.user.pk,
        "history": selectors.approval_history(req=req), "withdraw_error": withdraw_error,
        "steps": list(req.steps.all()),
    }


@production_view()
def request_detail(request, access, request_id: int):
    req = selectors.approval_request_get(access=access, request_id=request_id)
    return render(request, "approvals/request_detail.html", _detail_context(access, req))


@require_POST
@production_view()
def decide(request, access, request_id: int):
    """Approve or reject the current step. htmx gets the request's card back (422 with the form's
    errors, 409 when someone else decided first); a plain form post is redirected."""
    req = selectors.approval_request_get(access=access, request_id=request_id)
    form = DecideForm(request.POST, auto_id=f"id_r{req.pk}_%s")
    status = 200
    conflict = ""
    if form.is_valid():
        try:
            req = services.approval_decide(
                access=access, request_id=req.pk, decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"],
            )
        except services.ApprovalConflict as exc:
            conflict, status = exc.messages[0], 409
        except ValidationError as exc:
            _errors_into(form, exc)
            status = 422
        else:
            if not _is_htmx(request):
                outcome = "Approved" if form.cleaned_data["decision"] == "approve" else "Rejected"
                messages.success(request, f"{outcome}: {req.summary}.")
                return redirect("approvals:inbox", access.production.pk)
            req = selectors.approval_request_get(access=access, request_id=req.pk)
            return render(request, "approvals/_card.html", {"req": _decorate(req), "production": access.production,
                                                             "done": True}, status=200)
    else:
        status = 422
    if status == 409:
        req = selectors.approval_request_get(access=access, request_id=req.pk)
    if _is_htmx(request):
        req.form = form
        return render(request, "approvals/_card.html", {
            "req": _decorate(req), "production": access.production, "conflict": conflict,
            "done": status == 409,
        }, status=status)
    context = _detail_context(access, req, form=form)
    context["conflict"] = conflict
    return render(request, "approvals/request_detail.html", context, status=status)


@require_POST
@production_view()
def withdraw(request, access, request_id: int):
    req = selectors.approval_request_get(access=access, request_id=request_id)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.approval_withdraw(access=access, request_id=req.pk, version=version)
    except services.ApprovalConflict as exc:
        req = selectors.approval_request_get(access=access, request_id=req.pk)
        return render(request, "approvals/request_detail.html",
                      _detail_context(access, req, withdraw_error=exc.messages[0]), status=409)
    messages.success(request, "The request was withdrawn.")
    return redirect("approvals:request", access.production.pk, req.pk)


# Policies --------------------------------------------------------------------------------------

def _policy_groups(access):
    policies = list(selectors.approval_policy_list(access=access))
    groups = []
    for kind in registry.all_kinds():
        rows = [p for p in policies if p.kind == kind.key]
        defaults = [
            {"min_amount": d.min_amount, "max_amount": d.max_amount,
             "chain": format_steps([list(s) for s in d.steps]).replace("\n", " → ")}
            for d in kind.defaults
        ] if not rows else []
        groups.append({"kind": kind, "rows": rows, "defaults": defaults, "custom_chain": kind.chain is not None})
    return groups


def _policies_page(request, access, form=None, status=200, editing=None):
    can_edit = access.can(Action.MANAGE_AUTHORITY)
    departments = department_list(access=access)
    return render(request, "approvals/policies.html", {
        "production": access.production, "groups": _policy_groups(access), "can_edit": can_edit,
        "form": form or (PolicyForm(departments=departments) if can_edit else None), "editing": editing,
    }, status=status)


@production_view(Action.VIEW_AUDIT)
def policies(request, access):
    return _policies_page(request, access)


@require_http_methods(["GET", "POST"])
@production_view(Action.MANAGE_AUTHORITY)
def policy_edit(request, access, policy_id: int | None = None):
    """Add a policy (no id) or change one; GET with an id shows the form filled in."""
    departments = department_list(access=access)
    policy = None
    if policy_id is not None:
        try:
            policy = ApprovalPolicy.objects.get(production=access.production, pk=policy_id)
        except ObjectDoesNotExist:
            raise Http404("No such policy.") from None
    if request.method == "GET":
        initial = {}
        if policy is not None:
            initial = {"kind": policy.kind, "department": policy.department_id, "min_amount": policy.min_amount,
                       "max_amount": policy.max_amount, "steps": format_steps(policy.steps)}
        return _policies_page(request, access, form=PolicyForm(initial=initial, departments=departments),
                              editing=policy)
    form = PolicyForm(request.POST, departments=departments)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if policy is None:
                services.approval_policy_create(access=access, kind=data["kind"], steps=data["steps"],
                                                min_amount=data["min_amount"], max_amount=data["max_amount"],
                                                department=data["department"])
            else:
                if data["kind"] != policy.kind:
                    raise ValidationError({"kind": "A policy's kind cannot change; add a new policy instead."})
                services.approval_policy_update(access=access, policy_id=policy.pk, steps=data["steps"],
                                                min_amount=data["min_amount"], max_amount=data["max_amount"],
                                                department=data["department"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "Policy saved.")
            return redirect("approvals:policies", access.production.pk)
    return _policies_page(request, access, form=form, status=422, editing=policy)


@require_POST
@production_view(Action.MANAGE_AUTHORITY)
def policy_delete(request, access, policy_id: int):
    try:
        services.approval_policy_delete(access=access, policy_id=policy_id)
    except ObjectDoesNotExist:
        raise Http404("No such policy.") from None
    messages.success(request, "Policy deleted.")
    return redirect("approvals:policies", access.production.pk)


@require_POST
@production_view(Action.MANAGE_AUTHORITY)
def policies_reset(request, access, kind: str):
    try:
        services.approval_policies_reset(access=access, kind=kind)
    except ValidationError:
        raise Http404("No such kind of request.") from None
    messages.success(request, f"{registry.label_of(kind)} approvals are back to the defaults.")
    return redirect("approvals:policies", access.production.pk)


# Delegations -----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@production_view()
def delegations(request, access):
    can_manage = access.can(Action.MANAGE_MEMBERS)
    members = [m for m in membership_list(access=access) if m.is_active]
    form = DelegationForm(request.POST or None, members=members, can_manage=can_manage)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.delegation_create(
                    access=access, to_user_id=data["to_user"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                    note=data["note"], from_user_id=data.get("from_user") or None,
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "Delegation saved.")
                return redirect("approvals:delegations", access.production.pk)
    return render(request, "approvals/delegations.html", {
        "production": access.production, "rows": selectors.delegation_list(access=access), "form": form,
        "today": services.production_today(access.production), "can_manage": can_manage,
    }, status=status)


@require_POST
@production_view()
def delegation_end(request, access, delegation_id: int):
    try:
        services.delegation_end(access=access, delegation_id=delegation_id)
    except ObjectDoesNotExist:
        raise Http404("No such delegation.") from None
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Delegation ended.")
    return redirect(reverse("approvals:delegations", args=[access.production.pk]))

