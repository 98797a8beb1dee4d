"""Script import and breakdown services: scenes, eighths, characters, automatic tags, failures."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.factories import make_production, member
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scripts import services
from unitbase.scripts.models import (
    BreakdownCategory,
    Element,
    Scene,
    SceneCharacter,
    ScriptDocument,
    ScriptRevision,
    Tag,
    TagSource,
    TagStatus,
)

FOUNTAIN = b"""Title: THE HARBOUR TEST
Author: Unitbase tests
Draft date: 2 March 2026

EXT. HARBOUR - DAY

Gulls over the quay. A CROWD of passers-by watches the ferry come in. MAGGIE (40) carries a shotgun.

MAGGIE
Tie her up, Tom.

TOM (V.O.)
Aye.

INT. PUB - NIGHT

Patrons drink in silence. Tom's dog sleeps by the fire.

TOM
Another.

MAGGIE
(quietly)
You've had enough.

INT. PUB - CONTINUOUS

Maggie slams the door behind her.

EXT. HARBOUR-NIGHT

Rain. Tom stands alone at the end of the quay with a torch.
"""


@pytest.fixture
def producer_access(db):
    production = make_production(title="Harbour")
    return access_production(production.memberships.get().user, production.pk)


@pytest.fixture
def ad_access(producer_access):
    m = member(producer_access.production, Role.FIRST_AD)
    return access_production(m.user, producer_access.production.pk)


def import_fixture(access, data=FOUNTAIN, **kwargs):
    return services.script_import(access=access, filename="harbour.fountain", data=data, **kwargs)


def test_import_creates_scenes_eighths_and_characters(producer_access):
    revision = import_fixture(producer_access)
    assert revision.title == "THE HARBOUR TEST"
    assert revision.format == "fountain"
    assert revision.draft_date == "2 March 2026"
    assert revision.colour == "white" and revision.sequence == 1
    assert revision.page_count == 1
    scenes = list(revision.scenes.order_by("order"))
    assert [s.number for s in scenes] == ["1", "2", "3", "4"]
    assert [(s.int_ext, s.set_name, s.time_of_day, s.time_of_day_effective) for s in scenes] == [
        ("EXT", "HARBOUR", "DAY", "DAY"),
        ("INT", "PUB", "NIGHT", "NIGHT"),
        ("INT", "PUB", "CONTINUOUS", "NIGHT"),
        ("EXT", "HARBOUR", "NIGHT", "NIGHT"),
    ]
    assert scenes[2].set_key == scenes[1].set_key
    assert all(s.eighths >= 1 and s.page_start == s.page_end == 1 for s in scenes)
    assert revision.total_eighths == sum(s.eighths for s in scenes)
    assert [(c.name, c.lines) for c in scenes[0].characters.all()] == [("MAGGIE", 1), ("TOM", 1)]
    assert list(SceneCharacter.objects.filter(scene=scenes[2]).values_list("name", flat=True)) == []
    assert scenes[0].text.startswith("EXT. HARBOUR - DAY\n\nGulls over the quay.")
    assert scenes[0].blocks[0] == {"type": "scene_heading", "start": 0, "end": 18}
    assert "(quietly)" in scenes[1].text
    assert scenes[0].line_start == 5 and scenes[0].line_end >= 13
    assert ScriptDocument.objects.get().title == "THE HARBOUR TEST"
    assert AuditEvent.objects.filter(action="script.import", object_id=str(revision.pk)).exists()


def test_import_tags_cast_sets_extras_and_suggests_keywords(producer_access):
    revision = import_fixture(producer_access)
    assert BreakdownCategory.objects.filter(production=producer_access.production).count() == 24
    first = revision.scenes.get(order=1)
    accepted = {(t.element.category.key, t.element.name) for t in first.tags.filter(status=TagStatus.ACCEPTED)}
    assert accepted == {
        ("cast", "MAGGIE"), ("cast", "TOM"), ("sets", "HARBOUR"), ("background_actors", "CROWD"),
        ("background_actors", "PASSERS-BY"),
    }
    crowd = first.tags.get(element__name="CROWD")
    assert first.text[crowd.start:crowd.end] == "CROWD"
    assert crowd.source == TagSource.AUTO
    pending = {(t.suggested_category.key, t.suggested_name) for t in first.tags.filter(status=TagStatus.PENDING)}
    assert pending == {("props", "Rifle"), ("vehicles", "Ferry"), ("animals", "Gulls")}  # weapons file under props
    shotgun = first.tags.get(suggested_name="Rifle")
    assert first.text[shotgun.start:shotgun.end] == "shotgun"
    pub = revision.scenes.get(order=2)
    assert {t.element.name for t in pub.tags.filter(element__category__key="background_actors")} == {"PATRONS"}
    assert {t.suggested_name for t in pub.tags.filter(status=TagStatus.PENDING)} >= {"Dog", "Fire"}
    # Both harbour scenes share one set element; both pub scenes another.
    assert Element.objects.filter(category__key="sets").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe binary \x00\x00", "could not be read"),
        (b"Just some words.\n\nNo headings here.\n", "No scene headings"),
        (b'<?xml version="1.0"?><FinalDraft><Content><Paragraph', "could not be read"),
    ],
)
def test_bad_file_changes_nothing(producer_access, data, message):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.script_import(access=producer_access, filename="bad.fountain", data=data)
    assert message in exc.value.message_dict["file"][0]
    assert not ScriptRevision.objects.exists() and not Scene.objects.exists() and not Element.objects.exists()
    assert AuditEvent.objects.count() == before


@override_settings(UNITBASE_MAX_UPLOAD_BYTES=100)
def test_file_over_the_size_cap_is_refused(producer_access):
    with pytest.raises(ValidationError, match="limit"):
        import_fixture(producer_access)
    assert not ScriptRevision.objects.exists()


def test_upload_needs_edit_production(producer_access):
    crew = member(producer_access.production, Role.CREW)
    access = access_production(crew.user, producer_access.production.pk)
    with pytest.raises(ActionDenied):
        import_fixture(access)
    assert not ScriptRevision.objects.exists()


def test_suggestion_accept_and_reject(producer_access, ad_access):
    revision = import_fixture(producer_access)
    rifle = Tag.objects.get(scene__revision=revision, suggested_name="Rifle")
    ferry = Tag.objects.get(scene__revision=revision, suggested_name="Ferry")
    tag = services.tag_accept(access=ad_access, tag_id=rifle.pk, name="Maggie's shotgun")
    assert tag.status == TagStatus.ACCEPTED
    assert (tag.element.name, tag.element.category.key) == ("Maggie's shotgun", "props")
    services.tag_reject(access=ad_access, tag_id=ferry.pk)
    ferry.refresh_from_db()
    assert ferry.status == TagStatus.REJECTED and ferry.element is None
    with pytest.raises(ValidationError):
        services.tag_accept(access=ad_access, tag_id=ferry.pk)


def test_breakdown_edits_are_denied_without_change_schedule(producer_access):
    revision = import_fixture(producer_access)
    rifle = Tag.objects.get(scene__revision=revision, suggested_name="Rifle")
    with pytest.raises(ActionDenied):
        services.tag_accept(access=producer_access, tag_id=rifle.pk)
    rifle.refresh_from_db()
    assert rifle.status == TagStatus.PENDING


def test_manual_tag_with_range_and_validation(producer_access, ad_access):
    revision = import_fixture(producer_access)
    scene = revision.scenes.get(order=4)
    start = scene.text.index("torch")
    props = BreakdownCategory.objects.get(production=producer_access.production, key="props")
    tag = services.tag_create(access=ad_access, scene_id=scene.pk, category_id=props.pk, name="torch",
                              start=start, end=start + 5)
    assert (tag.element.name, tag.source, tag.created_by) == ("torch", TagSource.MANUAL, ad_access.user)
    with pytest.raises(ValidationError):
        services.tag_create(access=ad_access, scene_id=scene.pk, category_id=props.pk, name="TORCH",
                            start=start, end=start + 5)
    with pytest.raises(ValidationError):
        services.tag_create(access=ad_access, scene_id=scene.pk, category_id=props.pk, name="x", start=5, end=9999)
    services.tag_update(access=ad_access, tag_id=tag.pk, whole_scene=True)
    tag.refresh_from_db()
    assert tag.start is None and tag.end is None
    services.tag_delete(access=ad_access, tag_id=tag.pk)
    assert not Tag.objects.filter(pk=tag.pk).exists()


def test_element_rename_move_merge(producer_access, ad_access):
    revision = import_fixture(producer_access)
    cats = {c.key: c for c in BreakdownCategory.objects.filter(production=producer_access.production)}
    crowd = Element.objects.get(name="CROWD")
    passers = Element.objects.get(name="PASSERS-BY")
    patrons = Element.objects.get(name="PATRONS")
    renamed = services.element_update(access=ad_access, element_id=patrons.pk, name="Pub regulars")
    assert renamed.name == "Pub regulars" and renamed.key == "PUB REGULARS"
    with pytest.raises(ValidationError, match="merge"):
        services.element_update(access=ad_access, element_id=crowd.pk, name="passers-by")
    merged = services.element_merge(access=ad_access, source_id=passers.pk, target_id=crowd.pk)
    assert not Element.objects.filter(pk=passers.pk).exists()
    assert merged.tags.filter(scene__revision=revision).count() == 2
    moved = services.element_update(access=ad_access, element_id=crowd.pk, category_id=cats["stunts"].pk)
    assert moved.category == cats["stunts"]
    assert AuditEvent.objects.filter(action="element.merge").count() == 1


def test_element_create_unique_per_category(producer_access, ad_access):
    props = services.breakdown_categories_ensure(production=producer_access.production)["props"]
    services.element_create(access=ad_access, category_id=props.pk, name="Lantern")
    with pytest.raises(ValidationError):
        services.element_create(access=ad_access, category_id=props.pk, name=" lantern ")
    assert Element.objects.filter(name__iexact="lantern").count() == 1


def test_other_production_cannot_be_touched(producer_access, ad_access):
    import_fixture(producer_access)
    other = make_production(title="Other")
    other_ad = member(other, Role.FIRST_AD)
    other_access = access_production(other_ad.user, other.pk)
    tag = Tag.objects.filter(status=TagStatus.PENDING).first()
    with pytest.raises(Tag.DoesNotExist):
        services.tag_reject(access=other_access, tag_id=tag.pk)
    tag.refresh_from_db()
    assert tag.status == TagStatus.PENDING


def test_demo_screenplay_imports_end_to_end(producer_access):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "demo" / "data" / "low-water.fountain"
    revision = services.script_import(access=producer_access, filename=path.name, data=path.read_bytes())
    scenes = list(revision.scenes.order_by("order"))
    assert revision.title == "LOW WATER"
    headings = [line for line in path.read_text().splitlines() if line.startswith(("INT.", "EXT.", "INT./EXT."))]
    assert len(scenes) == len(headings) >= 25
    assert [s.heading for s in scenes] == headings
    assert [s.number for s in scenes] == [str(n) for n in range(1, len(scenes) + 1)]
    assert revision.page_count >= 10 and revision.total_eighths == sum(s.eighths for s in scenes)
    assert all(s.int_ext in {"INT", "EXT", "INT/EXT"} and s.set_name for s in scenes)
    assert scenes[0].heading == "EXT. INCHMURRA HARBOUR - DAWN"
    cast = set(Element.objects.filter(category__key="cast").values_list("name", flat=True))
    assert {"MAREN", "NELL", "PASK"} <= cast
    assert Tag.objects.filter(scene__revision=revision, status=TagStatus.PENDING).exists()
    assert all(s.tags.filter(element__category__key="sets").count() == 1 for s in scenes)
