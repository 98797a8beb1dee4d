"""A new draft is matched to the previous one: added, omitted, moved and changed scenes, locked
numbers with A-scenes, tags carried forward."""

import pytest

from unitbase.scripts import services
from unitbase.scripts.breakdown import SceneSig, match_scenes, moved_scenes, next_a_number
from unitbase.scripts.models import BreakdownCategory, SceneChange, Tag, TagStatus

from .test_services import FOUNTAIN, ad_access, import_fixture, producer_access  # noqa: F401

SECOND_DRAFT = FOUNTAIN.replace(
    b"INT. PUB - NIGHT",
    b"EXT. LIFEBOAT STATION - DAY\n\nA new scene: the crew hauls the boat up the slipway.\n\nINT. PUB - NIGHT",
).replace(b"You've had enough.", b"You've had more than enough, Tom.").replace(
    b"EXT. HARBOUR-NIGHT\n\nRain. Tom stands alone at the end of the quay with a torch.\n", b""
)


def test_second_draft_with_locked_numbers(producer_access, ad_access):  # noqa: F811
    first = import_fixture(producer_access)
    services.script_revision_lock_numbers(access=producer_access, revision_id=first.pk)
    scene1 = first.scenes.get(order=1)
    rifle = Tag.objects.get(scene=scene1, suggested_name="Rifle")
    services.tag_accept(access=ad_access, tag_id=rifle.pk, name="Shotgun")
    ferry = Tag.objects.get(scene=scene1, suggested_name="Ferry")
    services.tag_reject(access=ad_access, tag_id=ferry.pk)
    props = BreakdownCategory.objects.get(production=producer_access.production, key="props")
    pub = first.scenes.get(order=2)
    services.tag_create(access=ad_access, scene_id=pub.pk, category_id=props.pk, name="Pint glass")

    second = import_fixture(producer_access, data=SECOND_DRAFT)
    assert (second.sequence, second.colour, second.previous_id, second.numbers_locked) == (2, "blue", first.pk, True)
    scenes = list(second.scenes.order_by("order"))
    assert [(s.number, s.change) for s in scenes] == [
        ("1", SceneChange.UNCHANGED), ("1A", SceneChange.ADDED), ("2", SceneChange.CHANGED),
        ("3", SceneChange.UNCHANGED),
    ]
    report = second.change_report
    assert report["counts"] == {"added": 1, "omitted": 1, "moved": 0, "changed": 1}
    assert report["omitted"] == [{"number": "4", "heading": "EXT. HARBOUR-NIGHT"}]
    assert report["added"][0]["number"] == "1A"
    changed = report["changed"][0]
    assert changed["number"] == "2" and "-You've had enough." in changed["diff"]
    assert "+You've had more than enough, Tom." in changed["diff"]
    # Tags carried forward: the accepted shotgun keeps its range; the rejected ferry is not suggested again.
    new1 = scenes[0]
    shotgun = new1.tags.get(element__name="Shotgun")
    assert new1.text[shotgun.start:shotgun.end] == "shotgun" and shotgun.status == TagStatus.ACCEPTED
    assert not new1.tags.filter(suggested_name="Ferry").exists()
    assert not new1.tags.filter(suggested_name="Rifle").exists()
    assert scenes[2].tags.filter(element__name="Pint glass", start=None).exists()
    assert report["tags_carried"] == 2
    # The first draft is untouched.
    assert first.scenes.count() == 4 and Tag.objects.filter(scene=scene1, element__name="Shotgun").exists()


def test_unlocked_numbers_follow_the_new_draft(producer_access):  # noqa: F811
    import_fixture(producer_access)
    second = import_fixture(producer_access, data=SECOND_DRAFT, colour="pink")
    assert second.colour == "pink" and not second.numbers_locked
    assert [s.number for s in second.scenes.order_by("order")] == ["1", "2", "3", "4"]


def test_moved_scene_is_reported(producer_access):  # noqa: F811
    import_fixture(producer_access)
    body = FOUNTAIN.split(b"EXT. HARBOUR - DAY")[1]
    first_scene, rest = body.split(b"INT. PUB - NIGHT")
    moved = FOUNTAIN.split(b"EXT. HARBOUR - DAY")[0] + b"INT. PUB - NIGHT" + rest.rstrip(b"\n") + b"\n\nEXT. HARBOUR - DAY" + first_scene
    second = import_fixture(producer_access, data=moved)
    assert second.change_report["counts"]["moved"] == 1
    assert second.change_report["moved"][0]["previous_number"] == "1"


@pytest.mark.parametrize(
    ("after", "taken", "expected"),
    [("12", set(), "12A"), ("12A", set(), "12B"), ("12", {"12A"}, "12B"), (None, set(), "A1"), (None, {"A1"}, "B1")],
)
def test_a_scene_numbers(after, taken, expected):
    assert next_a_number(after, taken) == expected


def test_matching_prefers_stated_numbers_then_similarity():
    old = [SceneSig("1", "INT. A - DAY", "alpha text here"), SceneSig("2", "EXT. B - NIGHT", "beta words there")]
    new = [SceneSig("9", "EXT. B - NIGHT", "beta words there!"), SceneSig("1", "INT. A - DAY", "changed", True)]
    assert match_scenes(old, new) == {1: 0, 0: 1}
    assert moved_scenes({0: 1, 1: 0}) == {0}
