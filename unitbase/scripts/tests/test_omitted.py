"""Locked scene numbers: a scene taken out of a later draft keeps its number as an OMITTED
placeholder ("4 OMITTED"), shown in the scene index, the screenplay, the exports and the API, never
counted in pages or eighths; its number is never given to a new scene."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path, reverse
from ninja import NinjaAPI

from tests.factories import member
from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.api import api as main_api
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scripts import exports, selectors, services
from unitbase.scripts.api import router
from unitbase.scripts.breakdown import number_key, omitted_placeholders
from unitbase.scripts.models import ScriptRevision

from .test_revisions import SECOND_DRAFT
from .test_services import FOUNTAIN, import_fixture, producer_access  # noqa: F401

test_api = NinjaAPI(urls_namespace="scripts-omitted-test", auth=TokenAuth(), docs_url=None)
for exc_class, handler in main_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
test_api.add_router("/productions", router)

from config.urls import urlpatterns as _site  # noqa: E402

urlpatterns = [path("test-api/v1/", test_api.urls), *_site]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# From SECOND_DRAFT (1, 1A, 2, 3 with 4 omitted): the pub scene (2) is cut and the new lifeboat
# scene (1A) is replaced by a different new scene.
THIRD_DRAFT = SECOND_DRAFT.replace(
    b"EXT. LIFEBOAT STATION - DAY\n\nA new scene: the crew hauls the boat up the slipway.",
    b"EXT. CLIFF PATH - DAWN\n\nMaggie climbs towards the lighthouse, out of breath.",
).split(b"INT. PUB - NIGHT")[0] + b"INT. PUB - CONTINUOUS\n\nMaggie slams the door behind her.\n"


def locked_second_draft(access):
    first = import_fixture(access)
    services.script_revision_lock_numbers(access=access, revision_id=first.pk)
    return first, import_fixture(access, data=SECOND_DRAFT)


def test_scene_taken_out_keeps_its_number_as_omitted(producer_access):  # noqa: F811
    _, second = locked_second_draft(producer_access)
    assert [s.number for s in second.scenes.order_by("order")] == ["1", "1A", "2", "3"]
    assert second.omitted_scenes == [
        {"number": "4", "heading": "EXT. HARBOUR-NIGHT", "omitted_in": 2, "after_order": 4}]
    # The placeholder takes no room: pages and eighths are those of the real scenes.
    assert second.total_eighths == sum(s.eighths for s in second.scenes.all())
    index = selectors.scene_index(access=producer_access, revision=second)
    assert [(s.number, s.omitted) for s in index] == [("1", False), ("1A", False), ("2", False), ("3", False),
                                                      ("4", True)]
    assert second.change_report["omitted"] == [{"number": "4", "heading": "EXT. HARBOUR-NIGHT"}]


def test_placeholders_carry_forward_and_numbers_are_not_reused(producer_access):  # noqa: F811
    _, second = locked_second_draft(producer_access)
    third = import_fixture(producer_access, data=THIRD_DRAFT)
    assert third.numbers_locked
    # 1A was cut, so the new scene after 1 is 1B, not 1A again; 2 is cut; 4 stays omitted.
    assert [s.number for s in third.scenes.order_by("order")] == ["1", "1B", "3"]
    assert [(o["number"], o["omitted_in"], o["after_order"]) for o in third.omitted_scenes] == [
        ("1A", 3, 1), ("2", 3, 2), ("4", 2, 3)]
    index = selectors.scene_index(access=producer_access, revision=third)
    assert [s.number + ("*" if s.omitted else "") for s in index] == ["1", "1A*", "1B", "2*", "3", "4*"]
    assert second.omitted_scenes[0]["number"] == "4"  # the earlier draft is untouched


def test_unlocked_numbers_keep_no_placeholders(producer_access):  # noqa: F811
    import_fixture(producer_access)
    second = import_fixture(producer_access, data=SECOND_DRAFT)
    assert second.omitted_scenes == [] and second.change_report["counts"]["omitted"] == 1
    assert [s.omitted for s in selectors.scene_index(access=producer_access, revision=second)] == [False] * 4


def test_locking_needs_edit_production_and_a_denied_lock_changes_nothing(producer_access):  # noqa: F811
    first = import_fixture(producer_access)
    crew = member(producer_access.production, Role.CREW)
    with pytest.raises(ActionDenied):
        services.script_revision_lock_numbers(access=access_production(crew.user, producer_access.production.pk),
                                              revision_id=first.pk)
    first.refresh_from_db()
    assert not first.numbers_locked
    second = import_fixture(producer_access, data=SECOND_DRAFT)
    assert not second.numbers_locked and second.omitted_scenes == []


def test_script_page_shows_omitted_in_the_index_and_the_screenplay(client, producer_access):  # noqa: F811
    _, second = locked_second_draft(producer_access)
    crew = member(producer_access.production, Role.CREW)
    client.force_login(crew.user)
    page = client.get(reverse("scripts:script", args=[producer_access.production.pk])).content.decode()
    assert "4 scenes (+1 omitted)" in page
    assert '<tr class="omitted-row">' in page and "was EXT. HARBOUR-NIGHT; taken out in draft 2" in page
    assert '<p class="sp sp-scene_heading" data-number="4">OMITTED</p>' in page
    # It comes after scene 3 in both the index and the screenplay.
    assert page.index('data-number="3"') < page.index('data-number="4">OMITTED')
    changes = client.get(reverse("scripts:changes", args=[producer_access.production.pk, second.pk])).content.decode()
    assert "each number stays in the script as “OMITTED”" in changes


def test_exports_list_the_placeholder_without_pages(producer_access):  # noqa: F811
    _, second = locked_second_draft(producer_access)
    rows = exports.breakdown_rows(access=producer_access, revision=second)
    assert rows[-1] == ["4", "", "OMITTED", "", "", "", "", 0, "", "", ""]
    assert [r[0] for r in rows if r[0] == "4"] == ["4"]
    body = exports.csv_response(access=producer_access, revision=second).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[-1][:3] == ["4", "", "OMITTED"]
    context = exports.sheet_context(access=producer_access, revision=second)
    assert [o.number for o in context["omitted"]] == ["4"]
    assert len(context["sheets"]) == 4  # breakdown sheets only for real scenes


def test_api_revision_detail_lists_the_placeholders(producer_access):  # noqa: F811
    _, second = locked_second_draft(producer_access)
    crew = member(producer_access.production, Role.CREW)
    _, raw = api_token_create(user=crew.user, name="tests")
    api = Client(headers={"authorization": f"Bearer {raw}"})
    base = f"/test-api/v1/productions/{producer_access.production.pk}"
    body = api.get(f"{base}/script-revisions/{second.pk}").json()
    assert body["omitted_scenes"] == [
        {"number": "4", "heading": "EXT. HARBOUR-NIGHT", "omitted_in": 2, "after_order": 4}]
    scenes = api.get(f"{base}/script-revisions/{second.pk}/scenes").json()["items"]
    assert [s["number"] for s in scenes] == ["1", "1A", "2", "3"]  # placeholders are not scenes
    # A new draft uploaded through the API keeps the placeholder too.
    _, raw = api_token_create(user=producer_access.user, name="producer")
    producer = Client(headers={"authorization": f"Bearer {raw}"})
    response = producer.post(f"{base}/script-revisions", {"file": SimpleUploadedFile("h.fountain", SECOND_DRAFT)})
    assert response.status_code == 201 and response.json()["omitted_scenes"][0]["number"] == "4"
    assert ScriptRevision.objects.count() == 3


def test_number_order_and_placeholder_position():
    assert sorted(["2", "1A", "A1", "10", "1", "B1", "1B"], key=number_key) == ["A1", "B1", "1", "1A", "1B", "2", "10"]
    placed = omitted_placeholders([{"number": "7", "heading": "X", "omitted_in": 2}], [("3", "INT. Y - DAY")],
                                  ["1", "2", "2A", "4", "8"], 5)
    assert placed == [{"number": "3", "heading": "INT. Y - DAY", "omitted_in": 5, "after_order": 3},
                      {"number": "7", "heading": "X", "omitted_in": 2, "after_order": 4}]
    # A number in use again (numbers unlocked and relocked) is no longer a placeholder.
    assert omitted_placeholders([{"number": "2", "heading": "", "omitted_in": 1}], [], ["1", "2"], 3) == []
