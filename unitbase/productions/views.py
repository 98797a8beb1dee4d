"""Production pages: dashboard, settings, members and invitations, authority matrix, audit trail
and background jobs. Thin: a form validates, a service writes, a selector reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .authority import MONEY_ACTIONS, Action, Role
from .dashboard import panels_for
from .decorators import production_view
from .forms import (
    AuditFilterForm,
    AuthorityCellForm,
    DepartmentForm,
    EpisodeForm,
    InvitationAcceptForm,
    InvitationForm,
    MembershipForm,
    ProductionForm,
    UnitForm,
    currency_choices,
)
from .models import Invitation, Membership
from .permissions import ProductionAccess
from .selectors import (
    audit_event_list,
    authority_matrix,
    department_list,
    episode_list,
    job_list,
    membership_list,
    open_invitation_list,
    production_list_for_user,
    production_overview,
    unit_list,
)

AUDIT_PAGE_SIZE = 50


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _status(request, *forms: Form) -> int:
    return 422 if request.method == "POST" and any(f.is_bound and f.errors for f in forms) else 200


@login_required
def home(request):
    productions = production_list_for_user(user=request.user)
    current = request.user.current_production_id
    if not request.GET.get("all"):
        # Straight to the production the user last opened, or to their only one.
        if current and productions.filter(pk=current).exists():
            return redirect("productions:dashboard", current)
        only = list(productions.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            return redirect("productions:dashboard", only[0])
    return render(request, "productions/home.html", {"productions": productions})


@login_required
def switch(request):
    production_id = request.GET.get("production", "")
    if not production_id.isdigit():
        return redirect("/?all=1")
    return redirect("productions:dashboard", int(production_id))


# Dashboard ---------------------------------------------------------------------------------


@production_view()
def dashboard(request, access: ProductionAccess):
    can_audit = access.can(Action.VIEW_AUDIT)
    context = {
        "stats": production_overview(access=access),
        "units": list(unit_list(access=access)),
        "episodes": list(episode_list(access=access)),
        "events": list(audit_event_list(access=access)[:8]) if can_audit else None,
        "can_invite": access.can(Action.MANAGE_MEMBERS),
        "can_edit": access.can(Action.EDIT_PRODUCTION),
        "panels": panels_for(access),
    }
    return render(request, "productions/dashboard.html", context)


# Creating a production ---------------------------------------------------------------------


@login_required
def production_new(request):
    """Any signed-in user may start a production; they become its producer."""
    form = ProductionForm(
        request.POST or None, initial={"kind": "feature", "status": "development", "base_currency": "USD",
                                       "time_zone": "UTC"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            production = services.production_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"“{production.title}” created. You are its producer.")
            return redirect("productions:dashboard", production.pk)
    return render(request, "productions/production_new.html",
                  {"form": form, "currencies": currency_choices()}, status=_status(request, form))


# Settings ----------------------------------------------------------------------------------


@production_view(Action.EDIT_PRODUCTION)
def settings_view(request, access: ProductionAccess):
    production = access.production
    initial = {f: getattr(production, f) for f in ("title", "kind", "status", "base_currency", "time_zone")}
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms = {
        "production": ProductionForm(request.POST if which == "production" else None, initial=initial),
        "unit": UnitForm(request.POST if which == "unit" else None, prefix="unit"),
        "episode": EpisodeForm(request.POST if which == "episode" else None, prefix="episode"),
        "department": DepartmentForm(request.POST if which == "department" else None, prefix="department"),
    }
    if request.method == "POST":
        form = forms.get(which)
        if form is None:
            return HttpResponse("Unknown form.", status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "production":
                    services.production_update(access=access, **data)
                    note = "Production settings saved."
                elif which == "unit":
                    unit = services.unit_create(access=access, name=data["name"], kind=data["kind"])
                    note = f"Unit “{unit.name}” added."
                elif which == "episode":
                    episode = services.episode_create(access=access, number=data["number"], title=data["title"])
                    note = f"Episode {episode} added."
                else:
                    department = services.department_create(access=access, name=data["name"])
                    note = f"Department “{department.name}” added."
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, note)
                return redirect("productions:settings", production.pk)
        if form.errors:
            messages.error(request, "Nothing was saved: correct the fields marked below.")
    production.refresh_from_db()
    context = {
        **{f"{name}_form": form for name, form in forms.items()},
        "units": unit_list(access=access),
        "episodes": episode_list(access=access),
        "departments": department_list(access=access),
        "currencies": currency_choices(),
    }
    return render(request, "productions/settings.html", context, status=_status(request, *forms.values()))


# Members and invitations -------------------------------------------------------------------


def _members_page(request, access: ProductionAccess, invite_form: InvitationForm | None = None, status: int = 200):
    can_manage = access.can(Action.MANAGE_MEMBERS)
    context = {
        "memberships": membership_list(access=access),
        "can_manage": can_manage,
        "invitations": list(open_invitation_list(access=access)) if can_manage else [],
        "invite_form": (invite_form or InvitationForm(production=access.production)) if can_manage else None,
    }
    return render(request, "productions/members.html", context, status=status)


@production_view()
def members(request, access: ProductionAccess):
    return _members_page(request, access)


@production_view(Action.MANAGE_MEMBERS)
def invite(request, access: ProductionAccess):
    if request.method != "POST":
        return redirect(reverse("productions:members", args=[access.production.pk]) + "#invite")
    form = InvitationForm(request.POST, production=access.production)
    if form.is_valid():
        try:
            invitation = services.invitation_create(access=access, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email} as {invitation.get_role_display()}.")
            return redirect("productions:members", access.production.pk)
    return _members_page(request, access, invite_form=form, status=422)


@production_view(Action.MANAGE_MEMBERS)
def member_edit(request, access: ProductionAccess, membership_id: int):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "production"), production=access.production, pk=membership_id
    )
    form = MembershipForm.for_membership(membership, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(access=access, membership_id=membership.pk, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{membership.user} updated.")
            return redirect("productions:members", access.production.pk)
    return render(request, "productions/member_edit.html", {"form": form, "membership": membership},
                  status=_status(request, form))


@require_POST
@production_view(Action.MANAGE_MEMBERS)
def invitation_revoke_view(request, access: ProductionAccess, invitation_id: int):
    get_object_or_404(Invitation, production=access.production, pk=invitation_id)
    try:
        invitation = services.invitation_revoke(access=access, invitation_id=invitation_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invitation of {invitation.email} revoked; the link no longer works.")
    return redirect("productions:members", access.production.pk)


def invitation_accept_view(request, token: str):
    """Open to anyone holding the link. A new person chooses a name and password; a person who
    already has an account signs in first, then accepts with one button."""
    invitation = Invitation.objects.select_related("production", "invited_by").filter(token=token).first()
    if invitation is None:
        return _invitation_gone(request, 404, "This invitation link is not valid. Check that you copied all of it, "
                                              "or ask the production office for a new one.")
    if invitation.accepted_at is not None:
        return _invitation_gone(request, 410, "This invitation has already been accepted. Sign in to open the production.")
    if invitation.revoked_at is not None:
        return _invitation_gone(request, 410, "This invitation was withdrawn by the production office.")
    if not invitation.is_open:
        return _invitation_gone(request, 410, f"This invitation expired on {invitation.expires_at:%d %b %Y}. "
                                              "Ask the production office to send a new one.")

    user = request.user if request.user.is_authenticated else None
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    wrong_user = user is not None and user.email.lower() != invitation.email.lower()
    form = None
    if user is None and not has_account:
        form = InvitationAcceptForm(request.POST if request.method == "POST" else None, email=invitation.email,
                                    initial={"full_name": invitation.full_name})
    if request.method == "POST" and not wrong_user and (user is not None or (form is not None and form.is_valid())):
        try:
            if user is not None:
                membership = services.invitation_accept(token=token, user=user)
            else:
                membership = services.invitation_accept(
                    token=token, password=form.cleaned_data["password1"], full_name=form.cleaned_data["full_name"]
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        except ValidationError as exc:
            if form is None or not hasattr(exc, "error_dict"):
                return _invitation_gone(request, 410, " ".join(exc.messages))
            _add_errors(form, exc)
        else:
            messages.success(request, f"Welcome to {invitation.production.title}.")
            return redirect("productions:dashboard", membership.production_id)
    context = {
        "invitation": invitation, "form": form, "has_account": has_account, "wrong_user": wrong_user,
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
    }
    status = 422 if form is not None and form.is_bound and form.errors else (403 if wrong_user and request.method == "POST" else 200)
    return render(request, "productions/invitation_accept.html", context, status=status)


def _invitation_gone(request, status: int, message: str):
    return render(request, "productions/invitation_invalid.html", {"message": message}, status=status)


# Authority matrix --------------------------------------------------------------------------


def _cell(access: ProductionAccess, action: str, role: str, rule, *, editing=False, form=None, error=""):
    return {
        "action": action, "action_label": Action(action).label, "role": role, "role_label": Role(role).label,
        "rule": rule, "is_money": action in MONEY_ACTIONS, "editing": editing, "form": form, "error": error,
        "dom_id": f"cell-{action}-{role}",
    }


def _cell_form(action: str, role: str, rule) -> AuthorityCellForm:
    return AuthorityCellForm(initial={
        "action": action, "role": role, "allowed": rule is not None,
        "scope": rule.scope if rule else "all", "limit_amount": rule.limit_amount if rule else None,
    })


@production_view()
def authority(request, access: ProductionAccess):
    """Everyone sees the matrix; holders of manage_authority edit one cell per request with htmx."""
    can_edit = access.can(Action.MANAGE_AUTHORITY)
    template = "productions/authority.html"
    if request.method == "POST":
        access.require(Action.MANAGE_AUTHORITY)
        action, role = request.POST.get("action", ""), request.POST.get("role", "")
        if action not in Action.values or role not in Role.values:
            return HttpResponse("Unknown action or role.", status=422)
        form = AuthorityCellForm(request.POST)
        error = ""
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.authority_rule_set(access=access, action=action, role=role, allowed=data["allowed"],
                                            scope=data["scope"], limit_amount=data["limit_amount"])
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = " ".join(f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                             for f, e in form.errors.items())
        rule = authority_matrix(access=access)[action].get(role)
        if not request.htmx:
            (messages.error if error else messages.success)(
                request, error or f"{Role(role).label}: {Action(action).label.lower()} saved.")
            return redirect("productions:authority", access.production.pk)
        if error:
            cell = _cell(access, action, role, rule, editing=True, form=form, error=error)
            return render(request, f"{template}#cell", {"cell": cell, "can_edit": can_edit}, status=422)
        cell = _cell(access, action, role, rule)
        return render(request, f"{template}#cell", {"cell": cell, "can_edit": can_edit, "saved": True})

    matrix = authority_matrix(access=access)
    if request.htmx and request.GET.get("action") and request.GET.get("role"):
        action, role = request.GET["action"], request.GET["role"]
        if action not in Action.values or role not in Role.values:
            return HttpResponse("Unknown action or role.", status=404)
        rule = matrix[action].get(role)
        editing = can_edit and request.GET.get("edit") == "1"
        cell = _cell(access, action, role, rule, editing=editing,
                     form=_cell_form(action, role, rule) if editing else None)
        return render(request, f"{template}#cell", {"cell": cell, "can_edit": can_edit})
    rows = [
        {"action": action, "label": label,
         "cells": [_cell(access, action, role, matrix[action].get(role)) for role in Role.values]}
        for action, label in Action.choices
    ]
    return render(request, template, {"rows": rows, "roles": Role.choices, "can_edit": can_edit})


# Audit trail -------------------------------------------------------------------------------


def _change_list(changes) -> list[tuple[str, str, str | None]]:
    """{field: [old, new]} or {field: value} as (field, old, new) / (field, value, None)."""
    out = []
    if not isinstance(changes, dict):
        return [("", str(changes), None)]
    for field, value in changes.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            out.append((str(field), _short(value[0]), _short(value[1])))
        else:
            out.append((str(field), _short(value), None))
    return out


def _short(value) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


@production_view(Action.VIEW_AUDIT)
def audit(request, access: ProductionAccess):
    form = AuditFilterForm(request.GET or None, production=access.production)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(
        access=access, action=filters.get("action") or "", object_type=filters.get("object_type") or "",
        actor_id=filters.get("actor"), search=(filters.get("q") or "").strip(),
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.change_list = _change_list(event.changes)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters and any(filters.values()))}
    return render(request, "productions/audit.html", context)


# Background jobs ---------------------------------------------------------------------------


@production_view()
def tasks(request, access: ProductionAccess):
    jobs = job_list(access=access)
    context = {"jobs": jobs, "any_active": any(j.is_active for j in jobs)}
    template = "productions/tasks.html#jobs" if request.htmx else "productions/tasks.html"
    return render(request, template, context)
