"""Writes for scripts and the breakdown: atomic, validated, audited.

Who may do what (see docs/breakdown.md): importing a draft and locking scene numbers need
edit_production; every breakdown edit (tags, suggestions, elements) needs change_schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from unitbase.core.audit import audit_record
from unitbase.productions.models import Production
from unitbase.productions.permissions import ProductionAccess

from . import breakdown as bd
from .models import (
    BreakdownCategory,
    Element,
    Paper,
    RevisionColour,
    Scene,
    SceneChange,
    SceneCharacter,
    ScriptDocument,
    ScriptRevision,
    Tag,
    TagSource,
    TagStatus,
)
from .pagination import layout_for, paginate
from .parsers import ScriptFormatError, check_bytes, parse_bytes
from .parsers.scenes import extract_scenes
from .permissions import BREAKDOWN_ACTION, UPLOAD_ACTION
from .suggest import extras_hits, keyword_hits

Progress = Callable[[float, str], None]
COLOUR_ORDER = list(RevisionColour.values)


# --- categories ----------------------------------------------------------------------------------


@transaction.atomic
def breakdown_categories_ensure(*, production: Production) -> dict[str, BreakdownCategory]:
    """Seed the default categories of a production on first use; {key: category}."""
    existing = {c.key: c for c in BreakdownCategory.objects.filter(production=production)}
    if existing:
        return existing
    created = BreakdownCategory.objects.bulk_create(
        [
            BreakdownCategory(production=production, key=key, name=name, colour=colour, order=i + 1)
            for i, (key, name, colour) in enumerate(bd.DEFAULT_CATEGORIES)
        ]
    )
    audit_record(production_id=production.pk, actor=None, action="breakdown.categories_seed",
                 object_type="breakdowncategory", changes={"count": len(created)})
    return {c.key: c for c in BreakdownCategory.objects.filter(production=production)}


def _category_for_file_name(production: Production, cats: dict[str, BreakdownCategory], name: str) -> BreakdownCategory:
    key = bd.category_key_for_name(name)
    if key not in cats:
        label = name.strip()[:100] or key
        clash = BreakdownCategory.objects.filter(production=production, name=label).first()
        if clash:
            cats[key] = clash
        else:
            cat = BreakdownCategory(production=production, key=key, name=label, colour="#9e9e9e",
                                    order=100 + len(cats))
            cat.full_clean()
            cat.save()
            cats[key] = cat
    return cats[key]


# --- import --------------------------------------------------------------------------------------


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _unique_number(number: str, taken: set[str]) -> str:
    number = (number.strip().upper() or "?")[:10]
    if number in taken:
        number = bd.next_a_number(number, taken)
    return number


class _ElementCache:
    """Elements of one production by (category id, key), created on demand during an import."""

    def __init__(self, production: Production):
        self.production = production
        self.by_key = {(e.category_id, e.key): e for e in Element.objects.filter(production=production)}

    def get(self, category: BreakdownCategory, name: str) -> Element:
        name = " ".join(name.split())[:200]
        key = bd.element_key(name)
        element = self.by_key.get((category.pk, key))
        if element is None:
            element = Element.objects.create(production=self.production, category=category, name=name, key=key)
            self.by_key[(category.pk, key)] = element
        return element


def _check_size(data: bytes) -> None:
    limit = settings.UNITBASE_MAX_UPLOAD_BYTES
    if not data:
        raise _file_error("The file is empty.")
    if len(data) > limit:
        raise _file_error(f"The file is {len(data) / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.")


def script_file_check(*, filename: str, data: bytes) -> str:
    """Refuse a file that cannot be a screenplay before it is queued for a background import (a PDF,
    or a large file): the size cap and the cheap checks of the parser (empty, not a PDF, no text
    layer, binary). Writes nothing; returns the format. The same messages as `script_import`."""
    _check_size(data)
    try:
        return check_bytes(data, filename or "")
    except ScriptFormatError as exc:
        raise _file_error(f"This file could not be read as a screenplay: {exc}.") from None


@transaction.atomic
def script_import(
    *,
    access: ProductionAccess,
    filename: str,
    data: bytes,
    paper: str = Paper.LETTER,
    colour: str | None = None,
    document_id: int | None = None,
    progress: Progress | None = None,
) -> ScriptRevision:
    """Import a draft (Fountain, FDX or PDF): a new revision of the production's script with its scenes,
    characters and automatic tags, matched to the previous revision if there is one. Any problem
    with the file raises ValidationError on "file" and writes nothing."""
    access.require(UPLOAD_ACTION)
    report = progress or (lambda fraction, message: None)
    filename = (filename or "script.fountain").replace("\\", "/").rsplit("/", 1)[-1][:255]
    _check_size(data)
    if paper not in Paper.values:
        raise ValidationError({"paper": f"Choose one of: {', '.join(Paper.values)}."})
    if colour is not None and colour not in RevisionColour.values:
        raise ValidationError({"colour": f"Choose one of: {', '.join(RevisionColour.values)}."})

    report(0.05, "Reading the file")
    try:
        script = parse_bytes(data, filename)
    except ScriptFormatError as exc:
        raise _file_error(f"This file could not be read as a screenplay: {exc}.") from None
    all_scenes = extract_scenes(script)
    if not all_scenes:
        raise _file_error(
            "No scene headings were found (lines such as “INT. KITCHEN - DAY”), so there is nothing to break down."
        )
    if all(s.omitted for s in all_scenes):
        raise _file_error("Every scene in this file is marked omitted, so there is nothing to break down.")
    report(0.3, f"Paginating {len(all_scenes)} scenes")
    pagination = paginate(
        script, layout_for(script, paper if script.format not in ("fdx", "pdf") else None), all_scenes)
    # Scenes the file marks omitted (FDX) become OMITTED placeholders, not scenes: (number, heading they
    # had, the order of the scene before them).
    parsed = [s for s in all_scenes if not s.omitted]
    file_omitted: list[tuple[str, str, int]] = []
    for s in all_scenes:
        if s.omitted:
            file_omitted.append(((s.number.strip().upper() or "?")[:10],
                                 s.heading_element.attrs.get("omitted_heading", "")[:500],
                                 sum(1 for p in parsed if p.index < s.index)))

    production = access.production
    if document_id is not None:
        document = ScriptDocument.objects.filter(production=production, pk=document_id).first()
        if document is None:
            raise ValidationError({"document": "No such script in this production."})
    else:
        document = ScriptDocument.objects.filter(production=production).first()
    title = (script.title or filename.rsplit(".", 1)[0])[:200]
    if document is None:
        document = ScriptDocument(production=production, title=title)
        document.full_clean()
        document.save()
    previous = document.revisions.order_by("-sequence").first()
    if colour is None:
        colour = (
            COLOUR_ORDER[(COLOUR_ORDER.index(previous.colour) + 1) % len(COLOUR_ORDER)] if previous else "white"
        )
    revision = ScriptRevision(
        production=production, document=document, previous=previous,
        sequence=(previous.sequence + 1) if previous else 1, title=title, format=script.format,
        file_name=filename, file_size=len(data), colour=colour,
        draft_date=script.title_page.get("draft date", "")[:100], paper=pagination.layout.name,
        page_count=pagination.pages, total_eighths=pagination.total_eighths,
        numbers_locked=bool(previous and previous.numbers_locked),
        title_page={k: v for k, v in script.title_page.items()}, warnings=list(script.warnings)[:50],
        uploaded_by=access.user if getattr(access.user, "is_authenticated", False) else None,
    )
    revision.full_clean()
    revision.save()

    # Scenes: text, matching to the previous draft, numbers.
    texts = [bd.scene_text(s) for s in parsed]
    old_scenes = list(previous.scenes.order_by("order")) if previous else []
    new_sigs = [
        bd.SceneSig(s.number, s.heading, texts[k][0], number_stated=s.heading_element.scene_number is not None)
        for k, s in enumerate(parsed)
    ]
    matches = bd.match_scenes([bd.SceneSig(o.number, o.heading, o.text) for o in old_scenes], new_sigs)
    moved = bd.moved_scenes(matches)
    report(0.5, "Matching scenes to the previous draft" if previous else "Saving scenes")
    if revision.numbers_locked:
        numbers = bd.locked_numbers(len(parsed), matches, [o.number for o in old_scenes],
                                    {o.number for o in old_scenes} | {p["number"] for p in previous.omitted_scenes}
                                    | {number for number, _, _ in file_omitted})
    else:
        numbers = [s.number for s in parsed]
    taken: set[str] = {number for number, _, _ in file_omitted}  # an omitted scene keeps its number
    rows: list[Scene] = []
    for k, s in enumerate(parsed):
        number = _unique_number(numbers[k], taken)
        taken.add(number)
        old = old_scenes[matches[k]] if k in matches else None
        change = SceneChange.NEW
        if previous:
            if old is None:
                change = SceneChange.ADDED
            elif k in moved:
                change = SceneChange.MOVED
            elif old.text != texts[k][0] or old.heading != s.heading[:500]:
                change = SceneChange.CHANGED
            else:
                change = SceneChange.UNCHANGED
        els = s.elements
        scene = Scene(
            revision=revision, order=k + 1, number=number, heading=s.heading[:500], int_ext=s.int_ext,
            set_name=s.set_name[:300], set_key=s.set_key[:300], time_of_day=(s.time_of_day or "")[:60],
            time_of_day_effective=(s.time_of_day_effective or "")[:60], synopsis=bd.synopsis_of(s),
            page_start=s.page_start or 1, page_end=max(s.page_end or 1, s.page_start or 1),
            eighths=max(1, s.eighths or 1), text=texts[k][0], blocks=texts[k][1],
            line_start=min(e.line_start for e in els), line_end=max(e.line_end for e in els),
            previous=old, change=change,
        )
        scene.clean_fields(exclude=["revision", "previous"])
        rows.append(scene)
    scenes = Scene.objects.bulk_create(rows)
    if revision.numbers_locked:
        # Scenes taken out keep their number as an OMITTED placeholder ("12 OMITTED").
        matched_old = set(matches.values())
        revision.omitted_scenes = bd.omitted_placeholders(
            previous.omitted_scenes, [(o.number, o.heading) for i, o in enumerate(old_scenes) if i not in matched_old],
            [r.number for r in rows], revision.sequence,
        )
        revision.save(update_fields=["omitted_scenes"])
    if file_omitted:
        placed = {p["number"] for p in revision.omitted_scenes}
        revision.omitted_scenes = [*revision.omitted_scenes, *(
            {"number": number, "heading": heading, "omitted_in": revision.sequence, "after_order": after}
            for number, heading, after in file_omitted if number not in placed)]
        revision.omitted_scenes.sort(key=lambda p: p["after_order"])  # stable: script order within one gap
        revision.save(update_fields=["omitted_scenes"])
    if len({s.pk for s in scenes}) != len(scenes) or scenes[0].pk is None:  # pragma: no cover - old SQLite
        scenes = list(revision.scenes.order_by("order"))

    characters: list[SceneCharacter] = []
    for scene, s in zip(scenes, parsed, strict=True):
        seen: set[str] = set()
        for order, name in enumerate(s.characters):
            short = name[:200]
            if short in seen or not short:
                continue
            seen.add(short)
            characters.append(SceneCharacter(scene=scene, name=short, lines=s.lines_by_character.get(name, 0),
                                             order=order + 1))
    SceneCharacter.objects.bulk_create(characters)
    report(0.7, "Tagging cast, sets and background actors")

    tags_made, carried = _auto_tag(access, revision, scenes, parsed, script.layout or {})
    report(0.9, "Writing the change report")
    if previous:
        revision.change_report = _change_report(previous, old_scenes, scenes, matches, carried)
        revision.save(update_fields=["change_report"])
    audit_record(
        production_id=production.pk, actor=access.user, action="script.import", obj=revision,
        changes={"file": filename, "scenes": len(scenes), "pages": revision.page_count, "tags": tags_made,
                 "previous_revision": previous.pk if previous else None},
    )
    report(1.0, f"Imported {len(scenes)} scenes")
    return revision


def _auto_tag(access, revision, scenes, parsed, layout: dict) -> tuple[int, int]:
    production = access.production
    cats = breakdown_categories_ensure(production=production)
    elements = _ElementCache(production)
    fdx_tags: dict[str, tuple[str, str]] = layout.get("tags") or {}
    tags: list[Tag] = []
    carried = 0
    previous_ids = [s.previous_id for s in scenes if s.previous_id]
    old_tags: dict[int, list[Tag]] = {}
    for t in Tag.objects.filter(scene_id__in=previous_ids).select_related("element"):
        old_tags.setdefault(t.scene_id, []).append(t)

    for scene, s in zip(scenes, parsed, strict=True):
        placed: set[tuple[int, int | None]] = set()  # (element id, start)
        elements_here: set[int] = set()

        def add(element: Element, start: int | None, end: int | None, source: str, status: str = TagStatus.ACCEPTED,
                scene=scene, placed=placed, elements_here=elements_here) -> None:
            if (element.pk, start) in placed:
                return
            placed.add((element.pk, start))
            elements_here.add(element.pk)
            tags.append(Tag(scene=scene, element=element, start=start, end=end, source=source, status=status))

        for name in s.characters:
            cue = next((b for b in scene.blocks if b["type"] == "character"
                        and scene.text[b["start"]:b["end"]].upper().startswith(name)), None)
            if cue:
                add(elements.get(cats["cast"], name), cue["start"], cue["start"] + len(name), TagSource.AUTO)
            else:
                add(elements.get(cats["cast"], name), None, None, TagSource.AUTO)
        if scene.set_name:
            add(elements.get(cats["sets"], scene.set_name), None, None, TagSource.AUTO)
        for hit in extras_hits(scene.text, scene.blocks):
            add(elements.get(cats["background_actors"], hit.name), hit.start, hit.end, TagSource.AUTO)
        for block in scene.blocks:
            for number, start, end in block.get("tags", []):
                if number in fdx_tags:
                    cat_name, label = fdx_tags[number]
                    if label.strip():
                        category = _category_for_file_name(production, cats, cat_name or "Miscellaneous")
                        add(elements.get(category, label), start, end, TagSource.FDX)
        # Tags carried forward from the matched scene of the previous draft.
        rejected: set[tuple[int, str]] = set()
        old = scene.previous
        for t in old_tags.get(scene.previous_id, []) if old else []:
            if t.source == TagSource.KEYWORD and t.status != TagStatus.PENDING:  # dealt with once: not again
                rejected.add((t.suggested_category_id, bd.element_key(t.suggested_name)))
            if t.status == TagStatus.REJECTED:
                continue
            if t.status != TagStatus.ACCEPTED or t.source == TagSource.AUTO or t.element_id in elements_here:
                continue
            where = bd.relocate(old.text, scene.text, t.start, t.end) if t.start is not None else None
            add(t.element, *(where or (None, None)), t.source)
            carried += 1
        # Keyword suggestions, unless the element is already here or was rejected before.
        here_keys = {(e.category_id, e.key) for e in elements.by_key.values() if e.pk in elements_here}
        for hit in keyword_hits(scene.text, scene.blocks):
            category = cats.get(hit.category_key)
            if category is None:
                continue
            key = (category.pk, bd.element_key(hit.name))
            if key in here_keys or key in rejected:
                continue
            tags.append(Tag(scene=scene, suggested_category=category, suggested_name=hit.name, start=hit.start,
                            end=hit.end, source=TagSource.KEYWORD, status=TagStatus.PENDING))
    Tag.objects.bulk_create(tags)
    return len(tags), carried


def _change_report(previous, old_scenes, scenes, matches, carried) -> dict[str, Any]:
    matched_old = set(matches.values())
    report: dict[str, Any] = {
        "previous_revision": previous.pk,
        "previous_label": f"{previous.get_colour_display()} ({previous.sequence})",
        "added": [], "omitted": [], "moved": [], "changed": [], "tags_carried": carried,
    }
    for scene in scenes:
        entry = {"scene_id": scene.pk, "number": scene.number, "heading": scene.heading}
        old = scene.previous
        if scene.change == SceneChange.ADDED:
            report["added"].append(entry)
            continue
        if old is None:
            continue
        entry["previous_number"] = old.number
        if scene.change == SceneChange.MOVED:
            report["moved"].append(entry)
        if old.text != scene.text or old.heading != scene.heading:
            report["changed"].append({
                **entry,
                "diff": bd.text_diff(old.text, scene.text,
                                     f"scene {old.number} (previous)", f"scene {scene.number}"),
            })
    for i, old in enumerate(old_scenes):
        if i not in matched_old:
            report["omitted"].append({"number": old.number, "heading": old.heading})
    report["counts"] = {k: len(report[k]) for k in ("added", "omitted", "moved", "changed")}
    return report


@transaction.atomic
def script_revision_lock_numbers(*, access: ProductionAccess, revision_id: int, locked: bool = True) -> ScriptRevision:
    access.require(UPLOAD_ACTION)
    revision = ScriptRevision.objects.select_for_update().get(production=access.production, pk=revision_id)
    if revision.numbers_locked != locked:
        revision.numbers_locked = locked
        revision.save(update_fields=["numbers_locked"])
        audit_record(production_id=access.production.pk, actor=access.user,
                     action="script.lock_numbers" if locked else "script.unlock_numbers", obj=revision)
    return revision


# --- elements ------------------------------------------------------------------------------------


def _category(access: ProductionAccess, category_id: int) -> BreakdownCategory:
    breakdown_categories_ensure(production=access.production)
    category = BreakdownCategory.objects.filter(production=access.production, pk=category_id).first()
    if category is None:
        raise ValidationError({"category": "No such category in this production."})
    return category


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter a name."})
    return name


@transaction.atomic
def element_create(*, access: ProductionAccess, category_id: int, name: str, notes: str = "") -> Element:
    access.require(BREAKDOWN_ACTION)
    category = _category(access, category_id)
    name = _clean_name(name)
    if Element.objects.filter(production=access.production, category=category, key=bd.element_key(name)).exists():
        raise ValidationError({"name": f"{category.name} already has an element called “{name}”."})
    element = Element(production=access.production, category=category, name=name, key=bd.element_key(name),
                      notes=notes)
    element.full_clean()
    element.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="element.create", obj=element,
                 changes={"category": category.name})
    return element


@transaction.atomic
def element_update(
    *, access: ProductionAccess, element_id: int, name: str | None = None, category_id: int | None = None,
    notes: str | None = None,
) -> Element:
    """Rename an element, move it to another category or edit its notes. If the new name and
    category belong to another element, say so: merging is a separate, deliberate step."""
    access.require(BREAKDOWN_ACTION)
    element = Element.objects.select_for_update().get(production=access.production, pk=element_id)
    changes: dict[str, list] = {}
    if name is not None:
        name = _clean_name(name)
        if name != element.name:
            changes["name"] = [element.name, name]
            element.name, element.key = name, bd.element_key(name)
    if category_id is not None and category_id != element.category_id:
        category = _category(access, category_id)
        changes["category"] = [element.category.name, category.name]
        element.category = category
    if notes is not None and notes != element.notes:
        changes["notes"] = [element.notes, notes]
        element.notes = notes
    clash = Element.objects.filter(production=access.production, category=element.category, key=element.key).exclude(
        pk=element.pk).first()
    if clash:
        raise ValidationError({"name": f"{element.category.name} already has “{clash.name}”: merge the two instead."})
    element.full_clean()
    element.save()
    if changes:
        audit_record(production_id=access.production.pk, actor=access.user, action="element.update", obj=element,
                     changes=changes)
    return element


@transaction.atomic
def element_merge(*, access: ProductionAccess, source_id: int, target_id: int) -> Element:
    """Fold `source` into `target`: its tags move over (duplicates dropped) and it is deleted."""
    access.require(BREAKDOWN_ACTION)
    if source_id == target_id:
        raise ValidationError({"target": "Pick a different element to merge into."})
    elements = {e.pk: e for e in Element.objects.select_for_update().filter(
        production=access.production, pk__in=[source_id, target_id])}
    if source_id not in elements:
        raise ValidationError({"source": "No such element in this production."})
    if target_id not in elements:
        raise ValidationError({"target": "No such element in this production."})
    source, target = elements[source_id], elements[target_id]
    existing = set(Tag.objects.filter(element=target).values_list("scene_id", "start"))
    moved = 0
    for tag in Tag.objects.filter(element=source):
        if (tag.scene_id, tag.start) in existing:
            tag.delete()
        else:
            tag.element = target
            tag.save(update_fields=["element"])
            existing.add((tag.scene_id, tag.start))
            moved += 1
    audit_record(production_id=access.production.pk, actor=access.user, action="element.merge", obj=target,
                 changes={"merged": source.name, "merged_id": source.pk, "tags_moved": moved})
    source.delete()
    return target


@transaction.atomic
def element_delete(*, access: ProductionAccess, element_id: int) -> None:
    access.require(BREAKDOWN_ACTION)
    element = Element.objects.select_for_update().get(production=access.production, pk=element_id)
    audit_record(production_id=access.production.pk, actor=access.user, action="element.delete", obj=element,
                 changes={"tags": element.tags.count()})
    element.delete()


# --- tags ----------------------------------------------------------------------------------------


def _scene(access: ProductionAccess, scene_id: int) -> Scene:
    return Scene.objects.select_related("revision").get(revision__production=access.production, pk=scene_id)


def _check_range(scene: Scene, start: int | None, end: int | None) -> None:
    if (start is None) != (end is None):
        raise ValidationError({"start": "Give both the start and the end of the range, or neither."})
    if start is not None and not (0 <= start < end <= len(scene.text)):
        raise ValidationError({"start": f"The range must lie within the scene's text (0 to {len(scene.text)})."})


@transaction.atomic
def tag_create(
    *, access: ProductionAccess, scene_id: int, element_id: int | None = None, category_id: int | None = None,
    name: str = "", start: int | None = None, end: int | None = None,
) -> Tag:
    """Tag an element in a scene (a character range, or the whole scene without one). Give an
    existing element, or a category and a name (the element is found or created)."""
    access.require(BREAKDOWN_ACTION)
    scene = _scene(access, scene_id)
    _check_range(scene, start, end)
    if element_id is not None:
        element = Element.objects.filter(production=access.production, pk=element_id).first()
        if element is None:
            raise ValidationError({"element": "No such element in this production."})
    elif category_id is not None:
        category = _category(access, category_id)
        name = _clean_name(name)
        element = Element.objects.filter(production=access.production, category=category,
                                         key=bd.element_key(name)).first()
        if element is None:
            element = Element(production=access.production, category=category, name=name, key=bd.element_key(name))
            element.full_clean()
            element.save()
    else:
        raise ValidationError({"category": "Pick a category (or an existing element)."})
    if Tag.objects.filter(scene=scene, element=element, start=start, end=end).exists():
        raise ValidationError({"name": f"“{element.name}” is already tagged there."})
    tag = Tag(scene=scene, element=element, start=start, end=end, source=TagSource.MANUAL,
              status=TagStatus.ACCEPTED, created_by=access.user)
    tag.full_clean()
    tag.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="tag.create", obj=tag,
                 changes={"element": element.name, "scene": scene.number, "start": start, "end": end})
    return tag


@transaction.atomic
def tag_update(
    *, access: ProductionAccess, tag_id: int, element_id: int | None = None, start: int | None = None,
    end: int | None = None, whole_scene: bool = False,
) -> Tag:
    access.require(BREAKDOWN_ACTION)
    tag = Tag.objects.select_for_update().select_related("scene").get(scene__revision__production=access.production,
                                                                       pk=tag_id)
    changes: dict[str, Any] = {}
    if element_id is not None and element_id != tag.element_id:
        element = Element.objects.filter(production=access.production, pk=element_id).first()
        if element is None:
            raise ValidationError({"element": "No such element in this production."})
        changes["element"] = [tag.element_id, element.pk]
        tag.element = element
        if tag.status == TagStatus.PENDING:
            tag.status = TagStatus.ACCEPTED
    if whole_scene:
        start = end = None
    if whole_scene or start is not None or end is not None:
        _check_range(tag.scene, start, end)
        changes["range"] = [[tag.start, tag.end], [start, end]]
        tag.start, tag.end = start, end
    tag.full_clean()
    tag.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="tag.update", obj=tag,
                 changes=changes)
    return tag


@transaction.atomic
def tag_delete(*, access: ProductionAccess, tag_id: int) -> None:
    access.require(BREAKDOWN_ACTION)
    tag = Tag.objects.select_related("element", "scene").get(scene__revision__production=access.production, pk=tag_id)
    audit_record(production_id=access.production.pk, actor=access.user, action="tag.delete", obj=tag,
                 changes={"element": tag.label, "scene": tag.scene.number})
    tag.delete()


@transaction.atomic
def tag_accept(*, access: ProductionAccess, tag_id: int, name: str | None = None, category_id: int | None = None) -> Tag:
    """Accept a pending suggestion: the element of its category and name is found or created."""
    access.require(BREAKDOWN_ACTION)
    tag = Tag.objects.select_for_update().get(scene__revision__production=access.production, pk=tag_id)
    if tag.status != TagStatus.PENDING:
        raise ValidationError({"status": "This suggestion has already been dealt with."})
    category = _category(access, category_id) if category_id is not None else tag.suggested_category
    name = _clean_name(name if name is not None else tag.suggested_name)
    element = Element.objects.filter(production=access.production, category=category, key=bd.element_key(name)).first()
    if element is None:
        element = Element(production=access.production, category=category, name=name, key=bd.element_key(name))
        element.full_clean()
        element.save()
    tag.element, tag.status = element, TagStatus.ACCEPTED
    tag.full_clean()
    tag.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="tag.accept", obj=tag,
                 changes={"element": element.name, "category": category.name})
    return tag


@transaction.atomic
def tag_reject(*, access: ProductionAccess, tag_id: int) -> Tag:
    access.require(BREAKDOWN_ACTION)
    tag = Tag.objects.select_for_update().get(scene__revision__production=access.production, pk=tag_id)
    if tag.status != TagStatus.PENDING:
        raise ValidationError({"status": "This suggestion has already been dealt with."})
    tag.status = TagStatus.REJECTED
    tag.save(update_fields=["status"])
    audit_record(production_id=access.production.pk, actor=access.user, action="tag.reject", obj=tag,
                 changes={"suggestion": tag.suggested_name})
    return tag

