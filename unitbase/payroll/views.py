"""Timecard pages: my timecards, department / all timecards, the week form, the card with its pay
lines, deals, rule packs, exports. Thin: forms validate, services write, selectors read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from unitbase.approvals.selectors import approval_pending_for_user
from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.authority import Action, Scope
from unitbase.productions.decorators import production_view
from unitbase.productions.models import Department
from unitbase.productions.permissions import ActionDenied

from . import exports, selectors, services
from .calc import default_registry
from .forms import (
    DealForm,
    PackCopyForm,
    PackEditForm,
    RejectForm,
    TimecardCreateForm,
    TimecardFilterForm,
    TimecardHeaderForm,
    apply_service_errors,
    day_forms,
)
from .models import PayLineRow, PayrollDeal, PayrollPack, Timecard, TimecardStatus
from .permissions import access_timecard, require_manage


def _partial(request, template: str, partial: str) -> str:
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return f"{template}#{partial}"
    return template


def _status(form_or_forms) -> int:
    forms = form_or_forms if isinstance(form_or_forms, list | tuple) else [form_or_forms]
    return 422 if any(f.is_bound and f.errors for f in forms) else 200


def _editable_deals(access) -> list[PayrollDeal]:
    return [d for d in selectors.deal_list(access=access) if services.can_edit_card(access, d)]


def _default_week_ending(production) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(5 - today.weekday()) % 7)  # the coming Saturday


# --- lists ---------------------------------------------------------------------------------------


@production_view()
def mine(request, access):
    deals = list(selectors.own_deals(access=access))
    cards = list(selectors.timecard_list(access=access, mine=True, include_superseded=True))
    form = TimecardCreateForm(deals=deals, initial={"week_ending": _default_week_ending(access.production)})
    context = {
        "deals": deals, "cards": cards, "form": form,
        "approver_scope": access.scope(Action.APPROVE_TIMECARDS),
        "can_manage": services.can_manage_payroll(access),
    }
    return render(request, "payroll/mine.html", context)


@production_view()
def cards(request, access):
    scopes = {access.scope(Action.APPROVE_TIMECARDS), access.scope(Action.VIEW_PAY)}
    if not scopes & {Scope.ALL, Scope.DEPARTMENT}:
        return redirect("payroll:mine", access.production.pk)
    sees_all = selectors.sees_all(access)
    departments = Department.objects.filter(production=access.production) if sees_all else []
    filters = TimecardFilterForm(request.GET or None, departments=departments)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = list(selectors.timecard_list(
        access=access, status=data.get("status") or "", week_ending=data.get("week_ending"),
        department_id=data.get("department"),
    ))
    decidable = {req.pk for req in approval_pending_for_user(access=access)} if access.can(Action.APPROVE_TIMECARDS) else set()
    for card in rows:
        card.may_decide = card.approval_request_id in decidable and not services.is_own(access, card.deal)
    counts = defaultdict(int)
    for card in rows:
        counts[card.status] += 1
    context = {
        "filters": filters, "rows": rows, "sees_all": sees_all, "counts": dict(counts),
        "can_manage": services.can_manage_payroll(access), "querystring": request.GET.urlencode(),
        "deals": _editable_deals(access),
        "create_form": TimecardCreateForm(deals=_editable_deals(access), initial={"week_ending": _default_week_ending(access.production)}),
    }
    return render(request, _partial(request, "payroll/cards.html", "results"), context)


@production_view()
@require_POST
def create(request, access):
    deals = _editable_deals(access)
    form = TimecardCreateForm(request.POST, deals=deals)
    if form.is_valid():
        try:
            card = services.timecard_create(access=access, deal=form.cleaned_data["deal"], week_ending=form.cleaned_data["week_ending"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Timecard started: enter your days.")
            return redirect("payroll:edit", access.production.pk, card.pk)
    context = {"deals": deals, "cards": [], "form": form, "approver_scope": access.scope(Action.APPROVE_TIMECARDS),
               "can_manage": services.can_manage_payroll(access)}
    return render(request, "payroll/mine.html", context, status=422)


# --- one card ------------------------------------------------------------------------------------


def _detail_context(access, card: Timecard) -> dict[str, Any]:
    lines = list(card.pay_lines.all())
    days = list(card.days.all())
    by_date: dict[Any, list] = defaultdict(list)
    for line in lines:
        if not line.is_fringe:
            by_date[line.date].append(line)
    preview, preview_error = None, ""
    if card.calculated_at is None and days:
        try:
            preview = services.timecard_result(card, days)
        except ValidationError as exc:
            preview_error = " ".join(exc.messages)
    preview_rows = []
    if preview is not None:
        for result in preview.days:
            for line in result.lines:
                if line.kind != "day_share" or card.deal.rate_unit != "week":
                    preview_rows.append(_preview_row(result.date, line))
        preview_rows += [_preview_row(None, line) for line in preview.lines]
    req = services.approval_request(card)
    return {
        "preview_rows": preview_rows,
        "card": card, "deal": card.deal, "days": days, "day_lines": [(d, by_date.get(d.date, [])) for d in days],
        "week_lines": by_date.get(None, []), "fringes": [line for line in lines if line.is_fringe],
        "violations": [line for line in lines if line.is_violation],
        "preview": preview, "preview_error": preview_error,
        "can_edit": card.editable and services.can_edit_card(access, card.deal),
        "can_import_dpr": card.editable and bool(card.deal.cast_member_id) and services.can_edit_card(access, card.deal),
        "can_correct": card.status == TimecardStatus.APPROVED and services.can_edit_card(access, card.deal)
        and not Timecard.objects.filter(previous=card).exists(),
        "can_withdraw": card.status == TimecardStatus.SUBMITTED and req is not None and req.requested_by_id == access.user.pk,
        "step": services.approval_step_for(access, card),
        "approval": req, "reject_form": RejectForm(),
        "revisions": Timecard.objects.filter(deal=card.deal, week_ending=card.week_ending).order_by("revision"),
    }


def _preview_row(date, line) -> dict[str, Any]:
    return {
        "date": date, "rule_id": line.rule_id, "element": line.rule_id.split(":", 1)[-1], "explanation": line.explanation,
        "hours": line.hours, "amount": line.amount,
        "is_violation": line.kind in PayLineRow.VIOLATION_KINDS or ":floor:meal" in line.rule_id,
    }


@production_view()
def detail(request, access, timecard_id: int):
    card = access_timecard(access, timecard_id)
    return render(request, "payroll/detail.html", _detail_context(access, card))


@production_view()
@require_http_methods(["GET", "POST"])
def edit(request, access, timecard_id: int):
    card = access_timecard(access, timecard_id)
    if not services.can_edit_card(access, card.deal):
        raise ActionDenied(Action.APPROVE_TIMECARDS, "You may only enter your own timecards or your department's.")
    if not card.editable:
        messages.warning(request, f"This timecard is {card.get_status_display().lower()} and cannot be edited.")
        return redirect("payroll:detail", access.production.pk, card.pk)
    existing = {d.date: d for d in card.days.all()}
    initial = {date: {f: getattr(d, f) for f in (
        "call", "meal1_out", "meal1_in", "meal2_out", "meal2_in", "wrap", "travel_start", "travel_end", "zone", "holiday", "notes",
        "rest_reduction",
    )} for date, d in existing.items()}
    header_initial = {"note": card.note, "previous_week_days_worked": card.previous_week_days_worked}
    if card.previous_dismissal:
        from zoneinfo import ZoneInfo

        header_initial["previous_dismissal"] = timezone.localtime(card.previous_dismissal, ZoneInfo(access.production.time_zone))
    data = request.POST if request.method == "POST" else None
    header = TimecardHeaderForm(data, initial=header_initial)
    reductions = services.rest_reductions_for(card.deal, card.week_start)
    rows = day_forms(card.week_dates(), data, initial, reductions=reductions)
    if request.method == "POST" and header.is_valid() and all(f.is_valid() for f in rows):
        try:
            with transaction.atomic():
                _save_week(access, card, header, rows, existing)
        except ValidationError:
            pass  # errors were put on the forms; nothing was saved
        else:
            if "submit" in request.POST:
                try:
                    services.timecard_submit(access=access, timecard_id=card.pk)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, "Timecard submitted for approval.")
            else:
                messages.success(request, "Week saved.")
            return redirect("payroll:detail", access.production.pk, card.pk)
    status = _status([header, *rows])
    context = {"card": card, "deal": card.deal, "header": header, "rows": rows, "status_errors": status == 422}
    return render(request, "payroll/edit.html", context, status=status)


def _save_week(access, card, header, rows, existing) -> None:
    from zoneinfo import ZoneInfo

    failed = False
    dismissal = header.cleaned_data.get("previous_dismissal")
    if dismissal is not None and timezone.is_naive(dismissal):
        dismissal = dismissal.replace(tzinfo=ZoneInfo(access.production.time_zone))
    services.timecard_update(access=access, timecard_id=card.pk, previous_dismissal=dismissal, note=header.cleaned_data["note"],
                             previous_week_days_worked=header.cleaned_data.get("previous_week_days_worked"))
    for form in rows:
        if not form.worked:
            if form.date in existing:
                services.timecard_day_remove(access=access, timecard_id=card.pk, date=form.date)
            continue
        try:
            services.timecard_day_set(access=access, timecard_id=card.pk, date=form.date, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            failed = True
    if failed:
        raise ValidationError("Some days need fixing.")


def _card_action(request, access, timecard_id: int, action, success: str):
    card = access_timecard(access, timecard_id)
    try:
        action(card)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payroll:detail", access.production.pk, card.pk), card, False
    messages.success(request, success)
    return redirect("payroll:detail", access.production.pk, card.pk), card, True


@production_view()
@require_POST
def calculate(request, access, timecard_id: int):
    response, _, _ = _card_action(request, access, timecard_id,
                                  lambda c: services.timecard_calculate(access=access, timecard_id=c.pk), "Pay calculated.")
    return response


@production_view()
@require_POST
def submit(request, access, timecard_id: int):
    response, _, _ = _card_action(request, access, timecard_id,
                                  lambda c: services.timecard_submit(access=access, timecard_id=c.pk), "Timecard submitted for approval.")
    return response


@production_view(Action.APPROVE_TIMECARDS)
@require_POST
def approve(request, access, timecard_id: int):
    response, _, _ = _card_action(request, access, timecard_id,
                                  lambda c: services.timecard_approve(access=access, timecard_id=c.pk), "Timecard approved.")
    return response


@production_view(Action.APPROVE_TIMECARDS)
@require_POST
def reject(request, access, timecard_id: int):
    card = access_timecard(access, timecard_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.timecard_reject(access=access, timecard_id=card.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Timecard sent back with your note.")
            return redirect("payroll:detail", access.production.pk, card.pk)
    context = _detail_context(access, card)
    context["reject_form"] = form
    return render(request, "payroll/detail.html", context, status=422)


@production_view()
@require_POST
def withdraw(request, access, timecard_id: int):
    response, _, _ = _card_action(request, access, timecard_id,
                                  lambda c: services.timecard_withdraw(access=access, timecard_id=c.pk), "Timecard withdrawn: it is a draft again.")
    return response


@production_view()
@require_POST
def correct(request, access, timecard_id: int):
    card = access_timecard(access, timecard_id)
    try:
        new = services.timecard_correct(access=access, timecard_id=card.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payroll:detail", access.production.pk, card.pk)
    messages.success(request, f"Revision {new.revision} started; the approved card stays in force until it is approved.")
    return redirect("payroll:edit", access.production.pk, new.pk)


@production_view()
@require_POST
def import_dpr(request, access, timecard_id: int):
    """Take a cast card's times from the week's production reports (Exhibit G)."""
    card = access_timecard(access, timecard_id)
    try:
        dates = services.timecard_import_dpr(access=access, timecard_id=card.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Times taken from the production report for " + ", ".join(f"{d:%a %d %b}" for d in dates) + ".")
    return redirect("payroll:detail", access.production.pk, card.pk)


@production_view()
def card_pdf(request, access, timecard_id: int):
    card = access_timecard(access, timecard_id)
    return exports.pdf_response(access=access, cards=[card], filename=f"timecard-{card.pk}-rev{card.revision}.pdf")


# --- exports -------------------------------------------------------------------------------------


def _export_cards(request, access):
    require_manage(access)
    form = TimecardFilterForm(request.GET or None)
    week = form.cleaned_data.get("week_ending") if form.is_valid() else None
    return list(selectors.approved_for_export(access=access, week_ending=week)), week


@production_view(Action.APPROVE_TIMECARDS)
def export_csv(request, access):
    cards, week = _export_cards(request, access)
    return exports.csv_response(access=access, cards=cards, week_ending=week)


@production_view(Action.APPROVE_TIMECARDS)
def export_xlsx(request, access):
    cards, week = _export_cards(request, access)
    return exports.xlsx_response(access=access, cards=cards, week_ending=week)


@production_view(Action.APPROVE_TIMECARDS)
def export_pdf(request, access):
    cards, week = _export_cards(request, access)
    name = f"timecards-{week:%Y-%m-%d}.pdf" if week else "timecards-approved.pdf"
    return exports.pdf_response(access=access, cards=cards, filename=name)


# --- deals ---------------------------------------------------------------------------------------


@production_view(Action.APPROVE_TIMECARDS)
def deals(request, access):
    require_manage(access)
    rows = selectors.engagements_for_deals(access=access)
    labour = selectors.labour_cost_by_account(access=access)
    return render(request, "payroll/deals.html", {"rows": rows, "missing": sum(1 for r in rows if r.deal is None),
                                                  "labour": labour})


@production_view(Action.APPROVE_TIMECARDS)
@require_http_methods(["GET", "POST"])
def deal_edit(request, access, kind: str, engagement_id: int):
    require_manage(access)
    model = {"crew": CrewMember, "cast": CastMember}.get(kind)
    if model is None:
        raise Http404("No such engagement.")
    try:
        engagement = model.objects.select_related("person").get(production=access.production, pk=engagement_id)
    except ObjectDoesNotExist:
        raise Http404("No such engagement.") from None
    deal = getattr(engagement, "payroll_deal", None) if hasattr(engagement, "payroll_deal") else None
    pack_ids = services.pack_ids_for(access.production.pk)
    if deal:
        initial = {"pack_id": deal.pack_id, "rate": deal.rate, "rate_unit": deal.rate_unit, "currency": deal.currency,
                   "guarantee_hours": deal.guarantee_hours, "employment_type": deal.employment_type,
                   "jurisdiction": deal.jurisdiction, "allowances": DealForm.allowances_text(deal.allowances),
                   "budget_account_code": deal.budget_account_code, "fringe_account_code": deal.fringe_account_code}
    else:
        initial = {"rate": engagement.rate_amount, "rate_unit": engagement.rate_unit if engagement.rate_unit in ("hour", "day", "week") else "hour",
                   "currency": engagement.rate_currency or access.production.base_currency,
                   "pack_id": "sag-aftra-day-performer" if kind == "cast" else "iatse-crew-daily-hourly"}
    form = DealForm(request.POST or None, pack_ids=pack_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        change_from, change_rate = data.pop("rate_change_from", None), data.pop("rate_change_rate", None)
        try:
            with transaction.atomic():
                saved = services.deal_set(access=access, **{f"{kind}_member": engagement}, **data)
                if change_from and change_rate is not None:
                    services.deal_rate_set(access=access, deal_id=saved.pk, effective_from=change_from, rate=change_rate)
                for pk in request.POST.getlist("remove_rate"):
                    if pk.isdigit() and saved.rate_changes.filter(pk=int(pk)).exists():
                        services.deal_rate_remove(access=access, deal_id=saved.pk, rate_change_id=int(pk))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Deal saved for {engagement.person.name}.")
            return redirect("payroll:deals", access.production.pk)
    context = {"form": form, "engagement": engagement, "kind": kind, "deal": deal,
               "rate_changes": list(deal.rate_changes.all()) if deal else []}
    return render(request, "payroll/deal_form.html", context, status=_status(form))


# --- packs ---------------------------------------------------------------------------------------


def _shipped_rows() -> list[dict[str, Any]]:
    rows = []
    for pack in default_registry().all():
        unverified = pack.unverified()
        rows.append({"pack": pack, "unverified": unverified, "verified": pack.status.verified})
    return rows


@production_view()
def packs(request, access):
    can_manage = services.can_manage_payroll(access)
    form = PackCopyForm(pack_ids=services.pack_ids_for(access.production.pk))
    context = {"shipped": _shipped_rows(), "copies": selectors.pack_copies(access=access), "form": form, "can_manage": can_manage}
    return render(request, "payroll/packs.html", context)


@production_view()
def pack_shipped(request, access, pack_id: str, version: str):
    pack = next((p for p in default_registry().versions(pack_id) if p.version == version), None)
    if pack is None:
        raise Http404("No such rule pack.")
    context = {"pack": pack, "unverified": pack.unverified(), "yaml_text": _shipped_yaml(pack_id, version),
               "can_manage": services.can_manage_payroll(access),
               "form": PackCopyForm(pack_ids=[pack_id], initial={"source": pack_id, "new_id": f"{pack_id}-copy"})}
    return render(request, "payroll/pack_shipped.html", context)


def _shipped_yaml(pack_id: str, version: str) -> str:
    from .calc import parse_pack
    from .calc.packs import PACKS_DIR

    for path in sorted(PACKS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        pack = parse_pack(text, path)
        if pack.id == pack_id and pack.version == version:
            return text
    return ""


@production_view(Action.APPROVE_TIMECARDS)
@require_POST
def pack_copy(request, access):
    require_manage(access)
    form = PackCopyForm(request.POST, pack_ids=services.pack_ids_for(access.production.pk))
    if form.is_valid():
        try:
            pack = services.pack_copy(access=access, source_pack_id=form.cleaned_data["source"], new_id=form.cleaned_data["new_id"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Copied to {pack.pack_id}; edit it below.")
            return redirect("payroll:pack_edit", access.production.pk, pack.pk)
    context = {"shipped": _shipped_rows(), "copies": selectors.pack_copies(access=access), "form": form, "can_manage": True}
    return render(request, "payroll/packs.html", context, status=422)


@production_view(Action.APPROVE_TIMECARDS)
@require_http_methods(["GET", "POST"])
def pack_edit(request, access, pack_pk: int):
    require_manage(access)
    try:
        pack = selectors.pack_copy_get(access=access, pack_pk=pack_pk)
    except PayrollPack.DoesNotExist:
        raise Http404("No such rule pack.") from None
    form = PackEditForm(request.POST or None, initial={"yaml_text": pack.yaml_text})
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.pack_update(access=access, pack_pk=pack.pk, yaml_text=form.cleaned_data["yaml_text"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Rule pack {pack.pack_id} saved (version {pack.version}).")
            return redirect("payroll:pack_edit", access.production.pk, pack.pk)
    deals_using = PayrollDeal.objects.filter(production=access.production, pack_id=pack.pack_id).count()
    context = {"pack": pack, "form": form, "deals_using": deals_using}
    return render(request, "payroll/pack_edit.html", context, status=_status(form))
