"""Script and breakdown pages. Thin: forms validate, services write, selectors read."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unitbase.productions.decorators import production_view

from . import exports, selectors, services
from .breakdown import segments
from .forms import ElementForm, MergeForm, TagForm, UploadForm, apply_service_errors
from .models import TagStatus
from .permissions import BREAKDOWN_ACTION, READ_ACTION, UPLOAD_ACTION

# Files up to this size are imported during the request; larger ones go to the worker.
SYNC_IMPORT_BYTES = getattr(settings, "UNITBASE_SCRIPT_SYNC_BYTES", 2 * 1024 * 1024)


def _get_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (ObjectDoesNotExist, ValueError, OverflowError):
        raise Http404("No such record in this production.") from None


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _revision_or_current(access, revision_id: Any):
    if revision_id:
        try:
            return _get_or_404(selectors.revision_get, access=access, revision_id=int(revision_id))
        except ValueError:
            raise Http404("No such revision.") from None
    return selectors.revision_current(access=access)


def _tag_payload(tag) -> dict[str, Any]:
    category = tag.category
    return {
        "id": tag.pk, "name": tag.label, "category": category.name if category else "",
        "colour": category.colour if category else "#cccccc",
        "text_colour": category.text_colour if category else "#000000", "status": tag.status,
    }


# --- script --------------------------------------------------------------------------------------


@production_view(READ_ACTION)
@require_GET
def script(request, access):
    revision = _revision_or_current(access, request.GET.get("revision"))
    context: dict[str, Any] = {"revision": revision, "can_upload": access.can(UPLOAD_ACTION)}
    if revision is not None:
        scenes = list(selectors.scene_list(access=access, revision=revision))
        for scene in scenes:
            scene.paragraphs = segments(scene.text, scene.blocks, [])
        index = selectors.scene_index(access=access, revision=revision, scenes=scenes)
        context.update(
            scenes=scenes, index=index, omitted_count=len(index) - len(scenes),
            pending=selectors.suggestion_list(access=access, revision=revision).count(),
            latest=selectors.revision_current(access=access),
        )
    return render(request, "scripts/script.html", context)


@production_view(UPLOAD_ACTION)
@require_http_methods(["GET", "POST"])
def upload(request, access):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.UNITBASE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            form.add_error("file", f"The file is {upload.size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.")
        elif upload.size > SYNC_IMPORT_BYTES or upload.name.lower().endswith(".pdf"):
            from .tasks import script_import_task

            data = upload.read()
            try:  # a bad file is refused here, on the form, not later on the background jobs page
                services.script_file_check(filename=upload.name, data=data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                script_import_task.enqueue(
                    production_id=access.production.pk, user_id=request.user.pk, filename=upload.name,
                    data_b64=base64.b64encode(data).decode("ascii"), paper=form.cleaned_data["paper"],
                    colour=form.cleaned_data["colour"] or None,
                )
                messages.info(request, f"“{upload.name}” is being imported in the background (PDFs and large files take a while).")
                return redirect("productions:tasks", access.production.pk)
        else:
            try:
                revision = services.script_import(
                    access=access, filename=upload.name, data=upload.read(), paper=form.cleaned_data["paper"],
                    colour=form.cleaned_data["colour"] or None,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, f"Imported “{revision.title}”: {revision.scenes.count()} scenes, {revision.page_count} pages."
                )
                if revision.previous_id:
                    return redirect("scripts:changes", access.production.pk, revision.pk)
                return redirect("scripts:script", access.production.pk)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "current": selectors.revision_current(access=access),
               "limit_mb": settings.UNITBASE_MAX_UPLOAD_BYTES // 1048576}
    return render(request, "scripts/upload.html", context, status=status)


@production_view(READ_ACTION)
@require_GET
def revisions(request, access):
    rows = list(selectors.revision_list(access=access))
    return render(request, "scripts/revisions.html", {"rows": rows, "can_upload": access.can(UPLOAD_ACTION)})


@production_view(UPLOAD_ACTION)
@require_POST
def revision_lock(request, access, revision_id: int):
    revision = _get_or_404(selectors.revision_get, access=access, revision_id=revision_id)
    locked = request.POST.get("locked", "1") == "1"
    services.script_revision_lock_numbers(access=access, revision_id=revision.pk, locked=locked)
    messages.success(request, "Scene numbers locked: new scenes will get A-numbers." if locked
                     else "Scene numbers unlocked.")
    return redirect("scripts:revisions", access.production.pk)


@production_view(READ_ACTION)
@require_GET
def changes(request, access, revision_id: int):
    revision = _get_or_404(selectors.revision_get, access=access, revision_id=revision_id)
    return render(request, "scripts/changes.html", {"revision": revision, "report": revision.change_report})


# --- breakdown -----------------------------------------------------------------------------------


def _scene_context(request, access, scene, form=None) -> dict[str, Any]:
    tags = list(selectors.tag_list(access=access, scene_id=scene.pk).exclude(status=TagStatus.REJECTED))
    accepted = [t for t in tags if t.status == TagStatus.ACCEPTED]
    ranges = [(t.start, t.end, _tag_payload(t)) for t in accepted if t.start is not None]
    by_category: dict[int, dict[str, Any]] = {}
    for tag in accepted:
        cat = tag.element.category
        group = by_category.setdefault(cat.pk, {"category": cat, "tags": []})
        group["tags"].append(tag)
    groups = sorted(by_category.values(), key=lambda g: (g["category"].order, g["category"].name))
    before, after = selectors.scene_neighbours(scene=scene)
    can_edit = access.can(BREAKDOWN_ACTION)
    return {
        "scene": scene, "revision": scene.revision, "paragraphs": segments(scene.text, scene.blocks, ranges),
        "groups": groups, "suggestions": [t for t in tags if t.status == TagStatus.PENDING],
        "before": before, "after": after, "can_edit": can_edit,
        "form": form or (TagForm(access=access) if can_edit else None),
        "element_names": selectors.element_list(access=access).values_list("name", flat=True) if can_edit else [],
        "categories": selectors.category_list(access=access),
    }


@production_view(READ_ACTION)
@require_GET
def scene(request, access, scene_id: int):
    services.breakdown_categories_ensure(production=access.production)
    scene = _get_or_404(selectors.scene_get, access=access, scene_id=scene_id)
    return render(request, "scripts/scene.html", _scene_context(request, access, scene))


def _scene_response(request, access, scene, form=None, status=200):
    template = "scripts/scene.html#breakdown" if _is_htmx(request) else "scripts/scene.html"
    return render(request, template, _scene_context(request, access, scene, form), status=status)


@production_view(BREAKDOWN_ACTION)
@require_POST
def tag_add(request, access, scene_id: int):
    scene = _get_or_404(selectors.scene_get, access=access, scene_id=scene_id)
    form = TagForm(request.POST, access=access)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tag = services.tag_create(access=access, scene_id=scene.pk, category_id=data["category"].pk,
                                      name=data["name"], start=data["start"], end=data["end"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not _is_htmx(request):
                messages.success(request, f"Tagged “{tag.element.name}” as {tag.element.category.name}.")
                return redirect("scripts:scene", access.production.pk, scene.pk)
            return _scene_response(request, access, scene, TagForm(access=access,
                                                                   initial={"category": data["category"]}))
    return _scene_response(request, access, scene, form, status=422)


@production_view(BREAKDOWN_ACTION)
@require_POST
def tag_delete(request, access, tag_id: int):
    tag = _get_or_404(selectors.tag_get, access=access, tag_id=tag_id)
    services.tag_delete(access=access, tag_id=tag.pk)
    if _is_htmx(request):
        return _scene_response(request, access, tag.scene)
    messages.success(request, f"Removed the tag “{tag.label}”.")
    return redirect("scripts:scene", access.production.pk, tag.scene_id)


@production_view(READ_ACTION)
@require_GET
def suggestions(request, access):
    revision = _revision_or_current(access, request.GET.get("revision"))
    rows = list(selectors.suggestion_list(access=access, revision=revision)) if revision else []
    return render(request, "scripts/suggestions.html", {
        "revision": revision, "rows": rows, "can_edit": access.can(BREAKDOWN_ACTION),
    })


def _suggestion_decided(request, access, tag, verb: str):
    if _is_htmx(request):
        if request.POST.get("from") == "scene":
            return _scene_response(request, access, tag.scene)
        return render(request, "scripts/suggestions.html#decided", {"row": tag, "verb": verb})
    messages.success(request, f"Suggestion “{tag.label}” {verb}.")
    return redirect(request.POST.get("next") or reverse("scripts:suggestions", args=[access.production.pk]))


@production_view(BREAKDOWN_ACTION)
@require_POST
def suggestion_accept(request, access, tag_id: int):
    tag = _get_or_404(selectors.tag_get, access=access, tag_id=tag_id)
    try:
        tag = services.tag_accept(access=access, tag_id=tag.pk)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    return _suggestion_decided(request, access, tag, "accepted")


@production_view(BREAKDOWN_ACTION)
@require_POST
def suggestion_reject(request, access, tag_id: int):
    tag = _get_or_404(selectors.tag_get, access=access, tag_id=tag_id)
    try:
        tag = services.tag_reject(access=access, tag_id=tag.pk)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    return _suggestion_decided(request, access, tag, "rejected")


# --- elements ------------------------------------------------------------------------------------


@production_view(READ_ACTION)
@require_GET
def elements(request, access):
    services.breakdown_categories_ensure(production=access.production)
    category_id = request.GET.get("category") or None
    search = request.GET.get("q", "").strip()[:100]
    try:
        category_id = int(category_id) if category_id else None
    except ValueError:
        category_id = None
    rows = list(selectors.element_list(access=access, category_id=category_id, search=search))
    return render(request, "scripts/elements.html", {
        "rows": rows, "categories": selectors.category_list(access=access), "category_id": category_id,
        "search": search, "can_edit": access.can(BREAKDOWN_ACTION),
    })


@production_view(BREAKDOWN_ACTION)
@require_http_methods(["GET", "POST"])
def element_edit(request, access, element_id: int):
    element = _get_or_404(selectors.element_get, access=access, element_id=element_id)
    initial = {"name": element.name, "category": element.category}
    form = ElementForm(request.POST or None, access=access, initial=initial)
    merge = MergeForm(access=access, exclude=element.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.element_update(access=access, element_id=element.pk, name=form.cleaned_data["name"],
                                    category_id=form.cleaned_data["category"].pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Saved “{form.cleaned_data['name']}”.")
            return redirect("scripts:elements", access.production.pk)
    status = 422 if form.is_bound and form.errors else 200
    scenes = selectors.tag_list(access=access).filter(element=element, status=TagStatus.ACCEPTED)
    return render(request, "scripts/element_form.html",
                  {"element": element, "form": form, "merge": merge, "tags": scenes}, status=status)


@production_view(BREAKDOWN_ACTION)
@require_POST
def element_merge(request, access, element_id: int):
    element = _get_or_404(selectors.element_get, access=access, element_id=element_id)
    merge = MergeForm(request.POST, access=access, exclude=element.pk)
    if merge.is_valid():
        target = services.element_merge(access=access, source_id=element.pk, target_id=merge.cleaned_data["target"].pk)
        messages.success(request, f"Merged “{element.name}” into “{target.name}”.")
        return redirect("scripts:elements", access.production.pk)
    form = ElementForm(access=access, initial={"name": element.name, "category": element.category})
    scenes = selectors.tag_list(access=access).filter(element=element, status=TagStatus.ACCEPTED)
    return render(request, "scripts/element_form.html",
                  {"element": element, "form": form, "merge": merge, "tags": scenes}, status=422)


# --- sheets and exports --------------------------------------------------------------------------


@production_view(READ_ACTION)
@require_GET
def breakdown_csv(request, access, revision_id: int):
    revision = _get_or_404(selectors.revision_get, access=access, revision_id=revision_id)
    return exports.csv_response(access=access, revision=revision)


@production_view(READ_ACTION)
@require_GET
def breakdown_xlsx(request, access, revision_id: int):
    revision = _get_or_404(selectors.revision_get, access=access, revision_id=revision_id)
    return exports.xlsx_response(access=access, revision=revision)


@production_view(READ_ACTION)
@require_GET
def breakdown_pdf(request, access, revision_id: int):
    revision = _get_or_404(selectors.revision_get, access=access, revision_id=revision_id)
    return exports.pdf_response(access=access, revision=revision)


@production_view(READ_ACTION)
@require_GET
def scene_pdf(request, access, scene_id: int):
    scene = _get_or_404(selectors.scene_get, access=access, scene_id=scene_id)
    return exports.pdf_response(access=access, revision=scene.revision, scene_id=scene.pk)
