"""Call sheet and production report pages (office), and recipients' personal links."""

from __future__ import annotations

import hmac
import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from unitbase.locations.selectors import locations_by_set
from unitbase.productions.authority import Action
from unitbase.productions.decorators import production_view
from unitbase.scheduling.selectors import unit_list

from . import selectors, services
from .bounces import BounceFormatError, parse_events, parse_report
from .exports import callsheet_pdf, dpr_pdf
from .forms import (
    BackgroundForm,
    BuildForm,
    CallSheetForm,
    CastRowForm,
    CrewCallForm,
    DelayForm,
    DprCastTimeForm,
    DprCrewTimeForm,
    DprForm,
    DprSceneForm,
    PreferencesForm,
    PublishForm,
    RecipientEmailForm,
    RecipientForm,
    UnshotMoveForm,
    apply_service_errors,
)
from .models import DailyReport

VIEW = Action.VIEW_PRODUCTION
EDIT = Action.PUBLISH_CALL_SHEET


def _dates(access) -> list[tuple[int, int, date]]:
    return [(u, n, d) for u in unit_list(access=access) for n, d in selectors.shoot_dates_of_unit(access=access, unit_id=u.pk)]


@require_GET
@production_view(VIEW)
def index(request, access):
    units = list(unit_list(access=access))
    dates = [(n, d) for u in units[:1] for n, d in selectors.shoot_dates_of_unit(access=access, unit_id=u.pk)]
    return render(request, "callsheets/index.html", {
        "access": access, "production": access.production, "sheets": selectors.callsheet_list(access=access),
        "reports": selectors.dpr_list(access=access), "can_edit": access.can(EDIT),
        "build_form": BuildForm(units=units, dates=dates), "has_dates": bool(dates),
    })


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


PREFERENCE_FIELDS = ["share_phone_numbers", "safety_contact", "safety_hotline", "reminder_hours", "link_valid_days"]


@production_view(VIEW)
def preferences(request, access):
    """Per-production call sheet settings: phone numbers shared, the safety line, reminders, link validity.
    Anyone in the production sees them; changing them needs *Edit production settings*."""
    prefs = selectors.preferences_get(access.production)
    can_change = access.can(Action.EDIT_PRODUCTION)
    status = 200
    if request.method == "POST":
        access.require(Action.EDIT_PRODUCTION)
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.preferences_update(access=access, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Call sheet settings saved. They apply to what is published from now on.")
                return redirect("callsheets:preferences", access.production.pk)
        status = 422
    else:
        form = PreferencesForm(initial={f: getattr(prefs, f) for f in PREFERENCE_FIELDS})
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "callsheets/preferences.html", {
        "access": access, "production": access.production, "form": form, "can_change": can_change,
    }, status=status)


@require_POST
@production_view(EDIT)
def build(request, access):
    when = _parse_date(request.POST.get("shoot_date", ""))
    try:
        if when is None:
            raise ValidationError({"shoot_date": "Choose a shoot day."})
        sheet = services.callsheet_build_from_schedule(access=access, unit_id=request.POST.get("unit"), shoot_date=when)
    except ValidationError as exc:
        units = list(unit_list(access=access))
        dates = [(n, d) for u in units[:1] for n, d in selectors.shoot_dates_of_unit(access=access, unit_id=u.pk)]
        form = BuildForm(request.POST, units=units, dates=dates)
        form.is_valid()
        apply_service_errors(form, exc)
        return render(request, "callsheets/index.html", {
            "access": access, "production": access.production, "sheets": selectors.callsheet_list(access=access),
            "reports": selectors.dpr_list(access=access), "can_edit": True, "build_form": form, "has_dates": bool(dates),
        }, status=422)
    messages.success(request, f"Call sheet for {sheet.day_label} built from the applied schedule.")
    return redirect("callsheets:detail", access.production.pk, sheet.pk)


def _detail(request, access, sheet, *, status=200, **forms):
    revisions = list(sheet.revisions.all())
    shown = None
    rev_param = request.GET.get("revision")
    if rev_param:
        shown = next((r for r in revisions if str(r.number) == rev_param), None)
        if shown is None:
            raise Http404("No such revision.")
    elif sheet.is_published:
        shown = revisions[0] if revisions else None
    data = selectors.office_data(access=access, call_sheet=sheet, revision=shown)
    editing = access.can(EDIT) and not sheet.is_published
    initial = {f: getattr(sheet, f) for f in CallSheetForm.base_fields}
    context = {
        "access": access, "production": access.production, "sheet": sheet, "d": data, "draft": shown is None,
        "revisions": revisions, "shown": shown, "can_edit": access.can(EDIT), "editing": editing,
        "form": forms.get("form") or CallSheetForm(initial=initial),
        "publish_form": forms.get("publish_form") or PublishForm(initial={"change_note": sheet.change_note}),
        "background_form": forms.get("background_form") or BackgroundForm(initial={"call_time": sheet.general_call}),
        "cast_rows": sheet.cast_rows.all() if editing else [],
        "departments": _departments(sheet) if editing else [],
        "row_error": forms.get("row_error"),
    }
    return render(request, "callsheets/detail.html", context, status=status)


def _departments(sheet):
    depts: list[dict] = []
    for row in sheet.crew_rows.all():
        if not depts or depts[-1]["name"] != row.department_name:
            depts.append({"name": row.department_name, "rows": []})
        depts[-1]["rows"].append(row)
    return depts


@require_GET
@production_view(VIEW)
def detail(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    return _detail(request, access, sheet)


@require_POST
@production_view(EDIT)
def update(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = CallSheetForm(request.POST)
    if form.is_valid():
        try:
            services.callsheet_update(access=access, call_sheet_id=sheet.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Call sheet saved.")
            return redirect("callsheets:detail", access.production.pk, sheet.pk)
    return _detail(request, access, sheet, form=form, status=422)


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _swap(request, access, sheet, fragment: str, *, status: int = 200, **context):
    """An htmx answer: the edited fragment, plus the call sheet document swapped out of band."""
    sheet.refresh_from_db()
    data = selectors.office_data(access=access, call_sheet=sheet)
    return render(request, "callsheets/_htmx_swap.html", {
        "access": access, "production": access.production, "sheet": sheet, "d": data, "draft": True,
        "fragment": fragment, "document": "callsheets/_document.html", **context,
    }, status=status)


@require_POST
@production_view(EDIT)
def cast_row(request, access, call_sheet_id, row_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = CastRowForm(request.POST)
    error = "Enter times as HH:MM."
    if form.is_valid():
        try:
            row = services.callsheet_cast_update(access=access, call_sheet_id=sheet.pk, row_id=row_id, **form.cleaned_data)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            if _htmx(request):
                return _swap(request, access, sheet, "callsheets/_cast_row.html", row=row, saved=True)
            messages.success(request, "Cast calls saved.")
            return redirect("callsheets:detail", access.production.pk, sheet.pk)
    row = sheet.cast_rows.filter(pk=row_id).first()
    if _htmx(request) and row is not None:
        return render(request, "callsheets/_cast_row.html", {"production": access.production, "sheet": sheet, "row": row,
                                                             "row_error": error}, status=422)
    return _detail(request, access, sheet, row_error=error, status=422)


@require_POST
@production_view(EDIT)
def crew_call(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = CrewCallForm(request.POST)
    error = "Enter the call as HH:MM."
    if form.is_valid():
        try:
            count = services.callsheet_crew_call_set(
                access=access, call_sheet_id=sheet.pk, call_time=form.cleaned_data["call_time"],
                row_id=form.cleaned_data["row_id"], department_name=form.cleaned_data["department_name"] or None)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            if _htmx(request):
                return _swap(request, access, sheet, "callsheets/_crew_calls.html", departments=_departments(sheet),
                             saved=f"Call changed for {count} crew.")
            messages.success(request, f"Call changed for {count} crew.")
            return redirect("callsheets:detail", access.production.pk, sheet.pk)
    if _htmx(request):
        return render(request, "callsheets/_crew_calls.html", {"production": access.production, "sheet": sheet,
                                                               "departments": _departments(sheet), "row_error": error}, status=422)
    return _detail(request, access, sheet, row_error=error, status=422)


@require_POST
@production_view(EDIT)
def background_add(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = BackgroundForm(request.POST)
    if form.is_valid():
        try:
            services.callsheet_background_add(access=access, call_sheet_id=sheet.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Background added.")
            return redirect("callsheets:detail", access.production.pk, sheet.pk)
    return _detail(request, access, sheet, background_form=form, status=422)


@require_POST
@production_view(EDIT)
def publish(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            revision = services.callsheet_publish(access=access, call_sheet_id=sheet.pk, change_note=form.cleaned_data["change_note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Revision {revision.number} published and sent to {sheet.recipients.count()} recipients.")
            return redirect("callsheets:distribution", access.production.pk, sheet.pk)
    return _detail(request, access, sheet, publish_form=form, status=422)


@require_POST
@production_view(EDIT)
def revise(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    try:
        sheet = services.callsheet_revise(access=access, call_sheet_id=sheet.pk, rebuild=request.POST.get("rebuild") == "1")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return _detail(request, access, sheet, status=422)
    messages.success(request, f"Revision {sheet.revision} started. Published revisions stay as they were.")
    return redirect("callsheets:detail", access.production.pk, sheet.pk)


@require_GET
@production_view(VIEW)
def pdf(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    revision = None
    if request.GET.get("revision"):
        revision = sheet.revisions.filter(number=request.GET["revision"]).first() if request.GET["revision"].isdigit() else None
        if revision is None:
            raise Http404("No such revision.")
    elif sheet.is_published:
        revision = selectors.latest_revision(sheet)
    data = selectors.office_data(access=access, call_sheet=sheet, revision=revision)
    body = callsheet_pdf(data, draft=revision is None)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="callsheet-{sheet.shoot_date:%Y-%m-%d}-r{data["revision"]}.pdf"'
    return response


def _distribution(request, access, sheet, *, form=None, status=200, email_error=None):
    rows = selectors.distribution(access=access, call_sheet=sheet)
    for r in rows:
        r.email_error = email_error[1] if email_error and email_error[0] == r.pk else ""
        r.email_value = email_error[2] if email_error and email_error[0] == r.pk else r.email
    counts = {
        "total": len(rows), "delivered": sum(1 for r in rows if r.last and r.last.status == "delivered"),
        "failed": sum(1 for r in rows if r.last and r.last.status == "failed"),
        "bounced": sum(1 for r in rows if r.last and r.last.status in ("bounced", "complained")),
        "opened": sum(1 for r in rows if r.first_opened_at), "confirmed": sum(1 for r in rows if r.confirmed_current),
        "no_email": sum(1 for r in rows if not r.email),
    }
    return render(request, "callsheets/distribution.html", {
        "access": access, "production": access.production, "sheet": sheet, "rows": rows, "counts": counts,
        "can_edit": access.can(EDIT), "form": form or RecipientForm(),
    }, status=status)


@require_GET
@production_view(VIEW)
def distribution(request, access, call_sheet_id):
    return _distribution(request, access, selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id))


@require_POST
@production_view(EDIT)
def recipient_add(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = RecipientForm(request.POST)
    if form.is_valid():
        try:
            services.recipient_add(access=access, call_sheet_id=sheet.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} added.")
            return redirect("callsheets:distribution", access.production.pk, sheet.pk)
    return _distribution(request, access, sheet, form=form, status=422)


@require_POST
@production_view(EDIT)
def recipient_email(request, access, call_sheet_id, recipient_id):
    """Correct a recipient's address (after a bounce, or where there was none) and send again."""
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    form = RecipientEmailForm(request.POST)
    value = request.POST.get("email", "")
    if not form.is_valid():
        return _distribution(request, access, sheet, status=422,
                             email_error=(recipient_id, "; ".join(form.errors["email"]), value))
    try:
        recipient = services.recipient_email_correct(access=access, call_sheet_id=sheet.pk, recipient_id=recipient_id,
                                                     email=form.cleaned_data["email"])
    except ValidationError as exc:
        return _distribution(request, access, sheet, status=422, email_error=(recipient_id, "; ".join(exc.messages), value))
    sent = f" and revision {sheet.revision} sent to it" if sheet.is_published else ""
    messages.success(request, f"{recipient.name}'s address is now {recipient.email}{sent}.")
    return redirect("callsheets:distribution", access.production.pk, sheet.pk)


@require_POST
@production_view(EDIT)
def resend(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    try:
        count = services.callsheet_resend(access=access, call_sheet_id=sheet.pk)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return _distribution(request, access, sheet, status=422)
    messages.success(request, f"Sent again to {count} who have not confirmed.")
    return redirect("callsheets:distribution", access.production.pk, sheet.pk)


@require_POST
@production_view(EDIT)
def retry(request, access, call_sheet_id):
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    count = services.delivery_retry_failed(access=access, call_sheet_id=sheet.pk)
    messages.success(request, f"Retried {count} failed e-mails.")
    return redirect("callsheets:distribution", access.production.pk, sheet.pk)


@production_view(VIEW)
def locations(request, access):
    """Locations moved to their own app (unitbase/locations); old links and bookmarks land there."""
    return redirect("locations:list", access.production.pk)


# --- production reports -------------------------------------------------------------------------------


@require_POST
@production_view(EDIT)
def dpr_start(request, access):
    when = _parse_date(request.POST.get("shoot_date", ""))
    try:
        if when is None:
            raise ValidationError({"shoot_date": "Choose a shoot day."})
        report = services.dpr_start(access=access, unit_id=request.POST.get("unit"), shoot_date=when)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("callsheets:index", access.production.pk)
    return redirect("callsheets:dpr", access.production.pk, report.pk)


CAST_TIMES = [("report_time", "Report"), ("on_set", "On set"), ("meal_out", "Meal out"), ("meal_in", "Meal in"),
              ("dismissed", "Dismissed"), ("travel_out", "Travel out"), ("travel_in", "Travel in")]
CREW_TIMES = [("time_in", "In"), ("meal_out", "Meal out"), ("meal_in", "Meal in"), ("time_out", "Out")]


def _fields(row, spec):
    row.time_fields = [(key, label, getattr(row, key)) for key, label in spec]
    return row


def _dpr_context(access, report) -> dict:
    scenes = list(report.scenes.select_related("scene"))
    where = locations_by_set(access.production.pk, [s.scene.set_key for s in scenes if s.scene_id])
    for s in scenes:
        s.location_name = where[s.scene.set_key].name if s.scene_id and s.scene.set_key in where else ""
    return {
        "access": access, "production": access.production, "report": report,
        "progress": selectors.dpr_progress(access=access, report=report),
        "scenes": scenes, "cast_times": [_fields(r, CAST_TIMES) for r in report.cast_times.all()],
        "crew_times": [_fields(r, CREW_TIMES) for r in report.crew_times.all()], "delays": report.delays.all(),
    }


def _dpr_page(request, access, report, *, form=None, scene_form=None, delay_form=None, move_form=None, status=200, error=None):
    initial = {f: getattr(report, f) for f in DprForm.base_fields}
    unshot = [s for s in report.scenes.all() if s.status in (s.Status.NOT_SHOT, s.Status.PART) and not s.moved_to and s.scene_id]
    return render(request, "callsheets/dpr.html", {
        **_dpr_context(access, report),
        "can_edit": access.can(EDIT) and report.status == DailyReport.Status.DRAFT,
        "can_approve": access.can(EDIT) and access.role in services.DPR_APPROVER_ROLES and report.status == DailyReport.Status.DRAFT,
        "can_move": access.can(EDIT) and access.can(Action.CHANGE_SCHEDULE) and bool(unshot), "unshot": unshot,
        "form": form or DprForm(initial=initial), "scene_form": scene_form or DprSceneForm(),
        "delay_form": delay_form or DelayForm(), "move_form": move_form or UnshotMoveForm(), "row_error": error,
    }, status=status)


def _dpr_row(request, access, report_id, row_id, *, form_class, service, related, spec, fragment):
    report = selectors.dpr_get(access=access, report_id=report_id)
    row = getattr(report, related).filter(pk=row_id).first()
    if row is None:
        raise Http404("No such line on this report.")
    form = form_class(request.POST)
    error = "Enter times as HH:MM."
    if form.is_valid():
        try:
            row = service(access=access, report_id=report.pk, row_id=row.pk, **form.cleaned_data)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            if _htmx(request):
                report.refresh_from_db()
                return render(request, "callsheets/_dpr_swap.html", {
                    **_dpr_context(access, report), "fragment": fragment, "row": _fields(row, spec), "saved": True})
            messages.success(request, "Times saved.")
            return redirect("callsheets:dpr", access.production.pk, report.pk)
    if _htmx(request):
        return render(request, fragment, {"production": access.production, "report": report, "row": _fields(row, spec),
                                          "row_error": error}, status=422)
    return _dpr_page(request, access, report, status=422, error=error)


@require_POST
@production_view(EDIT)
def dpr_cast_time(request, access, report_id, row_id):
    return _dpr_row(request, access, report_id, row_id, form_class=DprCastTimeForm, service=services.dpr_cast_time_set,
                    related="cast_times", spec=CAST_TIMES, fragment="callsheets/_dpr_cast_row.html")


@require_POST
@production_view(EDIT)
def dpr_crew_time(request, access, report_id, row_id):
    return _dpr_row(request, access, report_id, row_id, form_class=DprCrewTimeForm, service=services.dpr_crew_time_set,
                    related="crew_times", spec=CREW_TIMES, fragment="callsheets/_dpr_crew_row.html")


@require_POST
@production_view(EDIT)
def dpr_unshot(request, access, report_id):
    report = selectors.dpr_get(access=access, report_id=report_id)
    form = UnshotMoveForm(request.POST)
    if form.is_valid():
        try:
            count = services.dpr_unshot_move(access=access, report_id=report.pk, to=form.cleaned_data["to"],
                                             day=form.cleaned_data["day"],
                                             scene_numbers=request.POST.getlist("scene") or None)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            where = "the boneyard" if form.cleaned_data["to"] == "boneyard" else f"day {form.cleaned_data['day']}"
            messages.success(request, f"{count} unshot scene strip(s) (remainders of part-shot scenes split off) moved to "
                                      f"{where} on the applied schedule.")
            return redirect("callsheets:dpr", access.production.pk, report.pk)
    return _dpr_page(request, access, report, move_form=form, status=422)


@production_view(VIEW)
def dpr(request, access, report_id):
    report = selectors.dpr_get(access=access, report_id=report_id)
    if request.method != "POST":
        return _dpr_page(request, access, report)
    access.require(EDIT)
    form = DprForm(request.POST)
    if form.is_valid():
        try:
            services.dpr_update(access=access, report_id=report.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Production report saved.")
            return redirect("callsheets:dpr", access.production.pk, report.pk)
    return _dpr_page(request, access, report, form=form, status=422)


@require_POST
@production_view(EDIT)
def dpr_scene(request, access, report_id):
    report = selectors.dpr_get(access=access, report_id=report_id)
    form = DprSceneForm(request.POST)
    if form.is_valid():
        try:
            services.dpr_scene_set(access=access, report_id=report.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("callsheets:dpr", access.production.pk, report.pk)
    return _dpr_page(request, access, report, scene_form=form, status=422)


@require_POST
@production_view(EDIT)
def dpr_delay(request, access, report_id):
    report = selectors.dpr_get(access=access, report_id=report_id)
    form = DelayForm(request.POST)
    if form.is_valid():
        try:
            services.dpr_delay_add(access=access, report_id=report.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("callsheets:dpr", access.production.pk, report.pk)
    return _dpr_page(request, access, report, delay_form=form, status=422)


@require_POST
@production_view(EDIT)
def dpr_approve(request, access, report_id):
    report = selectors.dpr_get(access=access, report_id=report_id)
    try:
        services.dpr_approve(access=access, report_id=report.pk)
    except ValidationError as exc:
        return _dpr_page(request, access, report, status=422, error="; ".join(exc.messages))
    messages.success(request, "Production report approved and frozen.")
    return redirect("callsheets:dpr", access.production.pk, report.pk)


@require_GET
@production_view(VIEW)
def dpr_export(request, access, report_id):
    report = selectors.dpr_get(access=access, report_id=report_id)
    body = dpr_pdf(_dpr_context(access, report))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dpr-{report.shoot_date:%Y-%m-%d}.pdf"'
    return response


# --- personal links (no sign-in: the token is the key) -------------------------------------------------


def _recipient(token):
    recipient = selectors.recipient_by_token(token)
    prefs = selectors.preferences_get(recipient.call_sheet.production)
    expires = recipient.call_sheet.shoot_date.toordinal() + prefs.link_valid_days
    if timezone.localdate().toordinal() > expires:
        return recipient, prefs, True
    return recipient, prefs, False


def _personal_data(recipient, prefs):
    revision = services.recipient_open(recipient=recipient)
    if revision is None:
        return None, None
    data = selectors.redact(revision.snapshot, own_person_id=recipient.person_id, show_phones=prefs.share_phone_numbers)
    return revision, data


@require_GET
def personal(request, token):
    recipient, prefs, expired = _recipient(token)
    if expired:
        return render(request, "callsheets/personal_expired.html", {"recipient": recipient}, status=410)
    revision, data = _personal_data(recipient, prefs)
    if revision is None:
        raise Http404("This call sheet is not published yet.")
    return render(request, "callsheets/personal.html", {
        "recipient": recipient, "revision": revision, "d": data, "own_person_id": recipient.person_id,
        "confirmed": recipient.confirmed_revision == revision.number,
        "pdf_url": reverse("callsheet_links:pdf", args=[token]),
    })


@require_POST
def personal_confirm(request, token):
    recipient, _prefs, expired = _recipient(token)
    if expired:
        return render(request, "callsheets/personal_expired.html", {"recipient": recipient}, status=410)
    try:
        services.recipient_confirm(recipient=recipient)
    except ValidationError:
        raise Http404("This call sheet is not published yet.") from None
    return redirect("callsheet_links:personal", token)


@require_GET
def personal_pdf(request, token):
    recipient, prefs, expired = _recipient(token)
    if expired:
        return render(request, "callsheets/personal_expired.html", {"recipient": recipient}, status=410)
    revision, data = _personal_data(recipient, prefs)
    if revision is None:
        raise Http404("This call sheet is not published yet.")
    response = HttpResponse(callsheet_pdf(data, own_person_id=recipient.person_id), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="callsheet-{data["date"]}-r{revision.number}.pdf"'
    return response


# --- bounce webhook (no sign-in: a shared secret in the Authorization header) ----------------------------

BOUNCE_MAX_BYTES = 2 * 1024 * 1024


@csrf_exempt
@require_POST
def bounce_webhook(request):
    """Bounce and complaint reports from the mail service: the generic JSON shape, or a raw RFC 3464
    delivery status notification (any non-JSON body). Needs `Authorization: Bearer <secret>` with
    `UNITBASE_BOUNCE_WEBHOOK_SECRET`; without that setting the endpoint does not exist."""
    secret = getattr(settings, "UNITBASE_BOUNCE_WEBHOOK_SECRET", "")
    if not secret:
        raise Http404("The bounce webhook is not configured.")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "Wrong or missing bearer token."}, status=401)
    if int(request.headers.get("Content-Length") or 0) > BOUNCE_MAX_BYTES:
        return JsonResponse({"error": f"A report is at most {BOUNCE_MAX_BYTES // 1024 // 1024} MB."}, status=413)
    body = request.body
    try:
        if request.content_type == "application/json":
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise BounceFormatError(f"The body is not JSON: {exc}.") from None
            notices = parse_events(data)
        else:
            notices = parse_report(body)
        result = services.bounce_notices_record(notices=notices)
    except BounceFormatError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": "; ".join(exc.messages)}, status=400)
    return JsonResponse(result)
