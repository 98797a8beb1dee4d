"""Reads for scripts and the breakdown, scoped to the acting user's production."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from unitbase.productions.permissions import ProductionAccess

from .models import BreakdownCategory, Element, Scene, ScriptDocument, ScriptRevision, Tag, TagStatus


def document_list(*, access: ProductionAccess) -> QuerySet[ScriptDocument]:
    return ScriptDocument.objects.filter(production=access.production)


def revision_list(*, access: ProductionAccess, document_id: int | None = None) -> QuerySet[ScriptRevision]:
    revisions = ScriptRevision.objects.filter(production=access.production).select_related("document", "uploaded_by")
    if document_id is not None:
        revisions = revisions.filter(document_id=document_id)
    return revisions.annotate(scene_count=Count("scenes")).order_by("document_id", "-sequence")


def revision_get(*, access: ProductionAccess, revision_id: int) -> ScriptRevision:
    return ScriptRevision.objects.select_related("document", "uploaded_by").get(
        production=access.production, pk=revision_id
    )


def revision_current(*, access: ProductionAccess) -> ScriptRevision | None:
    """The latest revision of the production's first script."""
    document = document_list(access=access).first()
    if document is None:
        return None
    return document.revisions.select_related("document", "uploaded_by").order_by("-sequence").first()


def scene_list(*, access: ProductionAccess, revision: ScriptRevision) -> QuerySet[Scene]:
    return (
        Scene.objects.filter(revision=revision, revision__production=access.production)
        .annotate(
            tag_count=Count("tags", filter=Q(tags__status=TagStatus.ACCEPTED), distinct=True),
            pending_count=Count("tags", filter=Q(tags__status=TagStatus.PENDING), distinct=True),
        )
        .prefetch_related("characters")
        .order_by("order")
    )


@dataclass(frozen=True, slots=True)
class OmittedScene:
    """An OMITTED placeholder in a draft with locked numbers: a number, no scene, no pages."""

    number: str
    heading: str  # the heading the scene had before it was taken out
    omitted_in: int  # the draft (sequence) that took it out
    after_order: int
    omitted: bool = True


def omitted_list(*, revision: ScriptRevision) -> list[OmittedScene]:
    return [
        OmittedScene(number=str(p["number"]), heading=str(p.get("heading", "")), omitted_in=int(p.get("omitted_in", 0)),
                     after_order=int(p.get("after_order", 0)))
        for p in revision.omitted_scenes or []
    ]


def scene_index(*, access: ProductionAccess, revision: ScriptRevision, scenes: list[Scene] | None = None) -> list:
    """The draft's scenes in script order with its OMITTED placeholders between them (each
    placeholder has `omitted = True`; scenes have `omitted = False`)."""
    if scenes is None:
        scenes = list(scene_list(access=access, revision=revision))
    placeholders = omitted_list(revision=revision)
    if not placeholders:
        return list(scenes)
    out: list = [p for p in placeholders if p.after_order <= 0]
    for scene in scenes:
        out.append(scene)
        out.extend(p for p in placeholders if p.after_order == scene.order)
    shown = {id(p) for p in out}
    out.extend(p for p in placeholders if id(p) not in shown)  # after the last scene
    return out


def scene_get(*, access: ProductionAccess, scene_id: int) -> Scene:
    return Scene.objects.select_related("revision", "revision__document").prefetch_related("characters").get(
        revision__production=access.production, pk=scene_id
    )


def scene_neighbours(*, scene: Scene) -> tuple[Scene | None, Scene | None]:
    siblings = Scene.objects.filter(revision_id=scene.revision_id).only("id", "number", "order")
    before = siblings.filter(order__lt=scene.order).order_by("-order").first()
    after = siblings.filter(order__gt=scene.order).order_by("order").first()
    return before, after


def category_list(*, access: ProductionAccess) -> QuerySet[BreakdownCategory]:
    return BreakdownCategory.objects.filter(production=access.production).order_by("order", "name")


def element_list(
    *, access: ProductionAccess, category_id: int | None = None, search: str = "", revision: ScriptRevision | None = None
) -> QuerySet[Element]:
    scene_filter = Q(tags__status=TagStatus.ACCEPTED)
    if revision is not None:
        scene_filter &= Q(tags__scene__revision=revision)
    elements = (
        Element.objects.filter(production=access.production)
        .select_related("category")
        .annotate(scene_count=Count("tags__scene", filter=scene_filter, distinct=True))
    )
    if category_id:
        elements = elements.filter(category_id=category_id)
    if search:
        elements = elements.filter(name__icontains=search)
    return elements.order_by("category__order", "name")


def element_get(*, access: ProductionAccess, element_id: int) -> Element:
    return Element.objects.select_related("category").get(production=access.production, pk=element_id)


def tag_list(
    *, access: ProductionAccess, scene_id: int | None = None, revision: ScriptRevision | None = None,
    status: str | None = None,
) -> QuerySet[Tag]:
    tags = Tag.objects.filter(scene__revision__production=access.production).select_related(
        "element", "element__category", "suggested_category", "scene"
    )
    if scene_id is not None:
        tags = tags.filter(scene_id=scene_id)
    if revision is not None:
        tags = tags.filter(scene__revision=revision)
    if status:
        tags = tags.filter(status=status)
    return tags.order_by("scene__order", "start", "id")


def tag_get(*, access: ProductionAccess, tag_id: int) -> Tag:
    return tag_list(access=access).get(pk=tag_id)


def suggestion_list(*, access: ProductionAccess, revision: ScriptRevision) -> QuerySet[Tag]:
    return tag_list(access=access, revision=revision, status=TagStatus.PENDING)


def breakdown_rows(*, access: ProductionAccess, revision: ScriptRevision) -> QuerySet[Scene]:
    """Scenes with their accepted tags (element and category) prefetched: for sheets and exports."""
    accepted = Tag.objects.filter(status=TagStatus.ACCEPTED).select_related("element", "element__category")
    return (
        Scene.objects.filter(revision=revision, revision__production=access.production)
        .prefetch_related(Prefetch("tags", queryset=accepted, to_attr="accepted_tags"), "characters")
        .order_by("order")
    )
