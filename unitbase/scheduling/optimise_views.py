"""Optimiser pages: the start form, a run's live progress (htmx polls every 2 s) with Stop, and a
draft's explanation. Thin: parse, call a service or a read, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unitbase.productions.decorators import production_view

from . import selectors
from .optimise import SCOPES, TERM_LABELS, Options, explanation_get, run_get, run_list, status_label
from .optimise_services import optimiser_run_cancel, optimiser_run_request
from .permissions import EDIT_ACTION

DEFAULTS = Options()
MINIMAL_CHANGE = 300  # per scene moved, when re-optimising


class OptimiseForm(forms.Form):
    version = forms.TypedChoiceField(label="Start from", coerce=int)
    scope = forms.ChoiceField(label="Which scenes may move", choices=list(SCOPES.items()), initial="all")
    from_date = forms.DateField(label="First date that may change", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    to_date = forms.DateField(label="Last date that may change (date range only)", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    include_boneyard = forms.BooleanField(label="Also schedule the scenes in the boneyard", required=False)
    time_limit = forms.IntegerField(label="Time limit (seconds)", min_value=1, max_value=600, initial=DEFAULTS.time_limit)
    holding = forms.IntegerField(label="Cast holding: weight of each paid day a cast member waits (× their day rate)",
                                 min_value=0, max_value=100, initial=DEFAULTS.holding)
    default_daily_cost = forms.IntegerField(label="Day rate for cast without a deal on file", min_value=0,
                                            max_value=10**7, initial=DEFAULTS.default_daily_cost)
    allow_drops = forms.BooleanField(
        label="Drop and pick up cast across long gaps (the production's drop/pick-up rule) instead of holding them",
        required=False, initial=DEFAULTS.allow_drops)
    drop_cost = forms.IntegerField(label="Cost of dropping and picking up one cast member", min_value=0,
                                   max_value=10**7, initial=DEFAULTS.drop_cost, required=False)
    company_move = forms.IntegerField(label="Cost of a company move (another set on the same day)", min_value=0,
                                      max_value=10**7, initial=DEFAULTS.company_move)
    location_revisit = forms.IntegerField(label="Cost of coming back to a set on a later day", min_value=0,
                                          max_value=10**7, initial=DEFAULTS.location_revisit)
    overtime_per_minute = forms.IntegerField(label="Cost of each minute of overtime", min_value=0, max_value=10**7,
                                             initial=DEFAULTS.overtime_per_minute)
    shoot_day = forms.IntegerField(label="Cost of each shoot day used", min_value=0, max_value=10**7,
                                   initial=DEFAULTS.shoot_day)
    change = forms.IntegerField(label="Cost of each scene moved from the starting version (minimal change)",
                                min_value=0, max_value=10**7, initial=DEFAULTS.change)
    max_eighths = forms.IntegerField(label="Most pages a day, in eighths (blank: the production's limit)",
                                     min_value=1, max_value=800, required=False)
    overtime_cap_minutes = forms.IntegerField(label="Most overtime a day (minutes)", min_value=0, max_value=600,
                                              initial=DEFAULTS.overtime_cap_minutes)
    mixed_day_night = forms.BooleanField(label="Allow day and night scenes on the same day (split days)", required=False)
    precedences = forms.CharField(
        label="Order rules, one a line: “12 before 40” (an earlier day) or “12 by 40” (same day or earlier)",
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    covers = forms.CharField(
        label="Weather cover, one pair a line: “12 / 40” shoots exterior scene 12 on the same day as its interior "
        "cover scene 40", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = versions

    def options(self) -> Options:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data.get("drop_cost") is None:
            data["drop_cost"] = DEFAULTS.drop_cost
        return Options(**data)


def _versions(access) -> tuple[list[tuple[int, str]], int | None]:
    choices, applied = [], None
    for schedule in selectors.schedule_list(access=access):
        for v in schedule.versions.all():
            label = f"{schedule.unit.name} — {v.name}" + (" (applied)" if v.is_applied else f" ({v.get_status_display().lower()})")
            choices.append((v.pk, label))
            if v.is_applied and applied is None:
                applied = v.pk
    return choices, applied


@production_view(EDIT_ACTION)
@require_http_methods(["GET", "POST"])
def start(request, access):
    versions, applied = _versions(access)
    status = 200
    if request.method == "POST":
        form = OptimiseForm(request.POST, versions=versions)
        if form.is_valid():
            try:
                run_id = optimiser_run_request(access=access, version_id=form.cleaned_data["version"],
                                               options=form.options())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("optimiser:run", access.production.pk, run_id)
        status = 422
    else:
        initial = {"version": request.GET.get("version") or applied}
        if request.GET.get("minimal"):
            initial.update(change=MINIMAL_CHANGE, version=applied or initial["version"])
        form = OptimiseForm(initial=initial, versions=versions)
    return render(request, "scheduling/optimise/start.html", {
        "production": access.production, "form": form, "runs": run_list(access=access), "applied": applied,
        "has_versions": bool(versions), "minimal_change": MINIMAL_CHANGE,
    }, status=status)


def _run_or_404(access, run_id):
    try:
        return run_get(access=access, run_id=run_id)
    except ObjectDoesNotExist:
        raise Http404("No such optimiser run in this production.") from None


@production_view(EDIT_ACTION)
@require_GET
def run(request, access, run_id: str):
    template = "scheduling/optimise/_run_status.html" if getattr(request, "htmx", False) else "scheduling/optimise/run.html"
    return render(request, template, {"production": access.production, "run": _run_or_404(access, run_id)})


@production_view(EDIT_ACTION)
@require_POST
def cancel(request, access, run_id: str):
    _run_or_404(access, run_id)
    try:
        optimiser_run_cancel(access=access, run_id=run_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, "Stopping: the best schedule found so far will be kept as a draft.")
    if getattr(request, "htmx", False):
        return render(request, "scheduling/optimise/_run_status.html",
                      {"production": access.production, "run": _run_or_404(access, run_id)})
    return redirect("optimiser:run", access.production.pk, run_id)


@production_view()
@require_GET
def explanation(request, access, version_id: int):
    try:
        version, ex = explanation_get(access=access, version_id=version_id)
    except ObjectDoesNotExist:
        raise Http404("No such schedule version in this production.") from None
    if ex is None:
        raise Http404("The optimiser did not make this version.")
    return render(request, "scheduling/optimise/explanation.html", {
        "production": access.production, "version": version, "ex": ex, "labels": TERM_LABELS,
        "status_text": status_label(ex["status"], ex["gap"], ex["stopped"]),
        "can_edit": access.can(EDIT_ACTION),
    })
