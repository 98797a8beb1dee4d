"""REST endpoints for scripts, revisions, scenes, breakdown categories, elements and tags.

Reading is open to every member; importing a draft needs edit_production and breakdown edits
need change_schedule (docs/breakdown.md). Ranges are character offsets into a scene's `text`.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from unitbase.productions.api import Id, api_access, paginated, renamed_errors, set_fields

from . import selectors, services
from .models import Paper, RevisionColour, TagStatus
from .permissions import BREAKDOWN_ACTION, UPLOAD_ACTION

router = Router(tags=["scripts"])

PaperName = Literal[tuple(Paper.values)]
ColourName = Literal[tuple(RevisionColour.values)]
StatusName = Literal[tuple(TagStatus.values)]
Offset = Field(None, ge=0, le=10**7)


# --- schemas -------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    title: str
    created_at: datetime


class RevisionOut(Schema):
    id: int
    document_id: int
    previous_id: int | None
    sequence: int
    title: str
    format: str
    file_name: str
    file_size: int
    colour: str
    draft_date: str
    paper: str
    page_count: int
    total_eighths: int
    numbers_locked: bool
    created_at: datetime


class OmittedOut(Schema):
    number: str
    heading: str = Field(..., description="The heading the scene had before it was taken out")
    omitted_in: int = Field(..., description="Sequence of the draft that took it out")
    after_order: int = Field(..., description="Shown after the scene with this order (0: before the first)")


class RevisionDetail(RevisionOut):
    change_report: dict
    warnings: list
    omitted_scenes: list[OmittedOut] = Field(
        ..., description="With locked numbers: OMITTED placeholders kept for scenes taken out (no pages, no eighths)")

    @staticmethod
    def resolve_omitted_scenes(obj):
        return selectors.omitted_list(revision=obj)


class SceneOut(Schema):
    id: int
    revision_id: int
    order: int
    number: str
    heading: str
    int_ext: str
    set_name: str
    set_key: str
    time_of_day: str
    time_of_day_effective: str
    synopsis: str
    page_start: int
    page_end: int
    eighths: int
    change: str
    previous_id: int | None


class CharacterOut(Schema):
    name: str
    lines: int


class CategoryOut(Schema):
    id: int
    key: str
    name: str
    colour: str
    order: int


class ElementOut(Schema):
    id: int
    category_id: int
    name: str
    notes: str


class ElementIn(Schema):
    category_id: Id
    name: str = Field(..., min_length=1, max_length=200)
    notes: str = ""


class ElementPatch(Schema):
    category_id: Id | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    notes: str | None = None


class MergeIn(Schema):
    into_id: Id = Field(..., description="The element that keeps the tags")


class TagOut(Schema):
    id: int
    scene_id: int
    element_id: int | None
    suggested_category_id: int | None
    suggested_name: str
    start: int | None
    end: int | None
    source: str
    status: str


class TagIn(Schema):
    scene_id: Id
    element_id: Id | None = Field(None, description="An existing element; or give category_id and name")
    category_id: Id | None = None
    name: str = Field("", max_length=200)
    start: int | None = Offset
    end: int | None = Offset


class TagPatch(Schema):
    element_id: Id | None = None
    start: int | None = Offset
    end: int | None = Offset


class AcceptIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    category_id: Id | None = None


class SceneDetail(SceneOut):
    text: str
    blocks: list[dict]
    characters: list[CharacterOut]
    tags: list[TagOut]

    @staticmethod
    def resolve_characters(obj):
        return list(obj.characters.all())

    @staticmethod
    def resolve_tags(obj):
        return list(obj.tags.exclude(status=TagStatus.REJECTED))


class TagFilter(Schema):
    scene_id: Id | None = None
    revision_id: Id | None = None
    status: StatusName | None = None


# --- scripts and revisions -----------------------------------------------------------------------


@router.get("/{production_id}/scripts", response=list[DocumentOut], summary="The production's scripts")
@paginated
def document_list(request, production_id: Id):
    return selectors.document_list(access=api_access(request, production_id))


@router.get("/{production_id}/script-revisions", response=list[RevisionOut],
            summary="Every imported draft, newest first within each script")
@paginated
def revision_list(request, production_id: Id):
    return selectors.revision_list(access=api_access(request, production_id))


@router.post("/{production_id}/script-revisions", response={201: RevisionDetail},
             summary="Import a draft (multipart: file, paper, colour) (edit_production)")
def revision_create(
    request, production_id: Id, file: File[UploadedFile], paper: Form[PaperName] = Paper.LETTER.value,
    colour: Form[ColourName | None] = None,
):
    access = api_access(request, production_id, UPLOAD_ACTION)
    return services.script_import(access=access, filename=file.name or "script", data=file.read(), paper=paper,
                                  colour=colour)


@router.get("/{production_id}/script-revisions/{revision_id}", response=RevisionDetail,
            summary="One draft with its change report")
def revision_detail(request, production_id: Id, revision_id: Id):
    return selectors.revision_get(access=api_access(request, production_id), revision_id=revision_id)


@router.get("/{production_id}/script-revisions/{revision_id}/scenes", response=list[SceneOut], tags=["scenes"],
            summary="A draft's scenes in script order")
@paginated
def scene_list(request, production_id: Id, revision_id: Id):
    access = api_access(request, production_id)
    revision = selectors.revision_get(access=access, revision_id=revision_id)
    return selectors.scene_list(access=access, revision=revision)


@router.get("/{production_id}/scenes/{scene_id}", response=SceneDetail, tags=["scenes"],
            summary="One scene with its text, paragraphs, characters and tags")
def scene_detail(request, production_id: Id, scene_id: Id):
    return selectors.scene_get(access=api_access(request, production_id), scene_id=scene_id)


# --- categories and elements ---------------------------------------------------------------------


@router.get("/{production_id}/breakdown-categories", response=list[CategoryOut], tags=["elements"],
            summary="Breakdown categories with their colours")
def category_list(request, production_id: Id):
    access = api_access(request, production_id)
    services.breakdown_categories_ensure(production=access.production)
    return list(selectors.category_list(access=access))


@router.get("/{production_id}/elements", response=list[ElementOut], tags=["elements"],
            summary="Breakdown elements, by category and name")
@paginated
def element_list(request, production_id: Id, category_id: Id | None = None, search: str = Query("", max_length=100)):
    return selectors.element_list(access=api_access(request, production_id), category_id=category_id, search=search)


@router.post("/{production_id}/elements", response={201: ElementOut}, tags=["elements"],
             summary="Add an element (change_schedule)")
def element_create(request, production_id: Id, payload: ElementIn):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    with renamed_errors({"category": "category_id"}):
        return services.element_create(access=access, category_id=payload.category_id, name=payload.name,
                                       notes=payload.notes)


@router.get("/{production_id}/elements/{element_id}", response=ElementOut, tags=["elements"], summary="One element")
def element_detail(request, production_id: Id, element_id: Id):
    return selectors.element_get(access=api_access(request, production_id), element_id=element_id)


@router.patch("/{production_id}/elements/{element_id}", response=ElementOut, tags=["elements"],
              summary="Rename, move to another category or edit notes (change_schedule)")
def element_update(request, production_id: Id, element_id: Id, payload: ElementPatch):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    get_object_or_404(selectors.element_list(access=access), pk=element_id)
    with renamed_errors({"category": "category_id"}):
        return services.element_update(access=access, element_id=element_id, **set_fields(payload))


@router.post("/{production_id}/elements/{element_id}/merge", response=ElementOut, tags=["elements"],
             summary="Merge this element into another: its tags move there (change_schedule)")
def element_merge(request, production_id: Id, element_id: Id, payload: MergeIn):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    get_object_or_404(selectors.element_list(access=access), pk=element_id)
    with renamed_errors({"target": "into_id"}):
        return services.element_merge(access=access, source_id=element_id, target_id=payload.into_id)


@router.delete("/{production_id}/elements/{element_id}", response={204: None}, tags=["elements"],
               summary="Delete an element and its tags (change_schedule)")
def element_delete(request, production_id: Id, element_id: Id):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    get_object_or_404(selectors.element_list(access=access), pk=element_id)
    services.element_delete(access=access, element_id=element_id)
    return None


# --- tags ----------------------------------------------------------------------------------------


@router.get("/{production_id}/tags", response=list[TagOut], tags=["tags"],
            summary="Tags and suggestions, filtered by scene, revision or status")
@paginated
def tag_list(request, production_id: Id, filters: Query[TagFilter]):
    access = api_access(request, production_id)
    revision = selectors.revision_get(access=access, revision_id=filters.revision_id) if filters.revision_id else None
    return selectors.tag_list(access=access, scene_id=filters.scene_id, revision=revision, status=filters.status)


@router.post("/{production_id}/tags", response={201: TagOut}, tags=["tags"],
             summary="Tag an element in a scene, on a range or the whole scene (change_schedule)")
def tag_create(request, production_id: Id, payload: TagIn):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    try:
        selectors.scene_get(access=access, scene_id=payload.scene_id)
    except ObjectDoesNotExist:
        raise ValidationError({"scene_id": f"No scene with id {payload.scene_id} in this production."}) from None
    with renamed_errors({"category": "category_id", "element": "element_id"}):
        return services.tag_create(access=access, scene_id=payload.scene_id, element_id=payload.element_id,
                                   category_id=payload.category_id, name=payload.name, start=payload.start,
                                   end=payload.end)


@router.get("/{production_id}/tags/{tag_id}", response=TagOut, tags=["tags"], summary="One tag")
def tag_detail(request, production_id: Id, tag_id: Id):
    return selectors.tag_get(access=api_access(request, production_id), tag_id=tag_id)


@router.patch("/{production_id}/tags/{tag_id}", response=TagOut, tags=["tags"],
              summary="Change a tag's element or range; start and end null make it a whole-scene tag "
                      "(change_schedule)")
def tag_update(request, production_id: Id, tag_id: Id, payload: TagPatch):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    selectors.tag_get(access=access, tag_id=tag_id)
    data = set_fields(payload)
    whole = "start" in data and "end" in data and data["start"] is None and data["end"] is None
    with renamed_errors({"element": "element_id"}):
        return services.tag_update(access=access, tag_id=tag_id, element_id=data.get("element_id"),
                                   start=data.get("start"), end=data.get("end"), whole_scene=whole)


@router.delete("/{production_id}/tags/{tag_id}", response={204: None}, tags=["tags"],
               summary="Remove a tag (change_schedule)")
def tag_delete(request, production_id: Id, tag_id: Id):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    selectors.tag_get(access=access, tag_id=tag_id)
    services.tag_delete(access=access, tag_id=tag_id)
    return None


@router.post("/{production_id}/tags/{tag_id}/accept", response=TagOut, tags=["tags"],
             summary="Accept a suggestion, optionally under another name or category (change_schedule)")
def tag_accept(request, production_id: Id, tag_id: Id, payload: AcceptIn | None = None):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    selectors.tag_get(access=access, tag_id=tag_id)
    payload = payload or AcceptIn()
    with renamed_errors({"category": "category_id"}):
        return services.tag_accept(access=access, tag_id=tag_id, name=payload.name, category_id=payload.category_id)


@router.post("/{production_id}/tags/{tag_id}/reject", response=TagOut, tags=["tags"],
             summary="Reject a suggestion (change_schedule)")
def tag_reject(request, production_id: Id, tag_id: Id):
    access = api_access(request, production_id, BREAKDOWN_ACTION)
    selectors.tag_get(access=access, tag_id=tag_id)
    return services.tag_reject(access=access, tag_id=tag_id)
