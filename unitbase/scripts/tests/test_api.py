"""API for scripts, revisions, scenes, elements and tags: CRUD, permissions, 404/403/422.

The router is mounted on a test API here (unitbase/api.py mounts it for real), with the main
API's authentication and exception handlers, so these tests do not depend on that wiring."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path
from ninja import NinjaAPI

from tests.factories import UserFactory, member
from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.api import api as main_api
from unitbase.productions.authority import Role
from unitbase.scripts.api import router
from unitbase.scripts.models import Element, ScriptRevision, Tag, TagStatus

from .test_services import FOUNTAIN, ad_access, import_fixture, producer_access  # noqa: F401

test_api = NinjaAPI(urls_namespace="scripts-api-test", auth=TokenAuth(), docs_url=None)
for exc_class, handler in main_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
test_api.add_router("/productions", router)
urlpatterns = [path("api/v1/", test_api.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def client_for(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


@pytest.fixture
def revision(producer_access):  # noqa: F811
    return import_fixture(producer_access)


def base(production):
    return f"/api/v1/productions/{production.pk}"


def test_upload_list_and_scenes(producer_access):  # noqa: F811
    client = client_for(producer_access.user)
    b = base(producer_access.production)
    response = client.post(f"{b}/script-revisions", {"file": SimpleUploadedFile("h.fountain", FOUNTAIN),
                                                     "paper": "a4"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["paper"], body["colour"], body["sequence"]) == ("THE HARBOUR TEST", "a4", "white", 1)
    assert client.get(f"{b}/script-revisions").json()["count"] == 1
    assert client.get(f"{b}/scripts").json()["items"][0]["title"] == "THE HARBOUR TEST"
    scenes = client.get(f"{b}/script-revisions/{body['id']}/scenes").json()["items"]
    assert [s["number"] for s in scenes] == ["1", "2", "3", "4"]
    detail = client.get(f"{b}/scenes/{scenes[0]['id']}").json()
    assert detail["characters"] == [{"name": "MAGGIE", "lines": 1}, {"name": "TOM", "lines": 1}]
    assert detail["text"].startswith("EXT. HARBOUR - DAY") and detail["blocks"][0]["type"] == "scene_heading"
    assert {t["status"] for t in detail["tags"]} == {"accepted", "pending"}


def test_bad_upload_is_422_and_changes_nothing(producer_access):  # noqa: F811
    client = client_for(producer_access.user)
    b = base(producer_access.production)
    response = client.post(f"{b}/script-revisions", {"file": SimpleUploadedFile("x.fountain", b"")})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["file"]
    response = client.post(f"{b}/script-revisions", {"file": SimpleUploadedFile("x.fountain", FOUNTAIN),
                                                     "paper": "legal"})
    assert response.status_code == 422
    assert not ScriptRevision.objects.exists()


def test_upload_forbidden_for_crew_and_404_for_strangers(producer_access):  # noqa: F811
    b = base(producer_access.production)
    crew = member(producer_access.production, Role.CREW)
    response = client_for(crew.user).post(f"{b}/script-revisions", {"file": SimpleUploadedFile("h.fountain", FOUNTAIN)})
    assert response.status_code == 403
    assert client_for(UserFactory()).get(f"{b}/script-revisions").status_code == 404
    assert not ScriptRevision.objects.exists()


def test_element_crud_and_merge(revision, ad_access):  # noqa: F811
    client = client_for(ad_access.user)
    b = base(revision.production)
    cats = {c["key"]: c for c in client.get(f"{b}/breakdown-categories").json()}
    assert len(cats) == 24 and cats["cast"]["colour"] == "#e53935"
    created = send(client, "post", f"{b}/elements", {"category_id": cats["props"]["id"], "name": "Lantern"})
    assert created.status_code == 201
    lantern = created.json()["id"]
    dup = send(client, "post", f"{b}/elements", {"category_id": cats["props"]["id"], "name": "lantern"})
    assert dup.status_code == 422 and dup.json()["detail"][0]["loc"] == ["name"]
    assert send(client, "post", f"{b}/elements", {"category_id": 999999, "name": "X"}).json()["detail"][0]["loc"] == [
        "category_id"]
    assert send(client, "post", f"{b}/elements", {"name": "no category"}).status_code == 422
    moved = send(client, "patch", f"{b}/elements/{lantern}", {"category_id": cats["set_dressing"]["id"]})
    assert moved.status_code == 200 and moved.json()["category_id"] == cats["set_dressing"]["id"]
    crowd = Element.objects.get(name="CROWD").pk
    passers = Element.objects.get(name="PASSERS-BY").pk
    merged = send(client, "post", f"{b}/elements/{passers}/merge", {"into_id": crowd})
    assert merged.status_code == 200 and merged.json()["id"] == crowd
    assert not Element.objects.filter(pk=passers).exists()
    assert client.delete(f"{b}/elements/{lantern}").status_code == 204
    assert client.get(f"{b}/elements/{lantern}").status_code == 404
    names = [e["name"] for e in client.get(f"{b}/elements", {"search": "cro"}).json()["items"]]
    assert names == ["CROWD"]


def test_tag_crud_accept_reject(revision, ad_access):  # noqa: F811
    client = client_for(ad_access.user)
    b = base(revision.production)
    scene = revision.scenes.get(order=4)
    props = revision.production.breakdown_categories.get(key="props")
    start = scene.text.index("torch")
    created = send(client, "post", f"{b}/tags", {"scene_id": scene.pk, "category_id": props.pk, "name": "Torch",
                                                 "start": start, "end": start + 5})
    assert created.status_code == 201, created.content
    tag = created.json()
    assert (tag["start"], tag["end"], tag["source"], tag["status"]) == (start, start + 5, "manual", "accepted")
    bad = send(client, "post", f"{b}/tags", {"scene_id": scene.pk, "category_id": props.pk, "name": "X",
                                             "start": 3, "end": 99999})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["start"]
    assert send(client, "post", f"{b}/tags", {"scene_id": 10**9, "category_id": props.pk, "name": "X"}).json()[
        "detail"][0]["loc"] == ["scene_id"]
    assert send(client, "post", f"{b}/tags", {"scene_id": scene.pk, "start": -1}).status_code == 422
    whole = send(client, "patch", f"{b}/tags/{tag['id']}", {"start": None, "end": None})
    assert whole.status_code == 200 and whole.json()["start"] is None
    assert client.delete(f"{b}/tags/{tag['id']}").status_code == 204
    pending = client.get(f"{b}/tags", {"status": "pending", "revision_id": revision.pk}).json()["items"]
    assert {p["suggested_name"] for p in pending} >= {"Rifle", "Ferry"}
    rifle = next(p for p in pending if p["suggested_name"] == "Rifle")
    ferry = next(p for p in pending if p["suggested_name"] == "Ferry")
    accepted = send(client, "post", f"{b}/tags/{rifle['id']}/accept", {"name": "Shotgun"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Element.objects.get(pk=accepted.json()["element_id"]).name == "Shotgun"
    assert send(client, "post", f"{b}/tags/{ferry['id']}/reject").json()["status"] == "rejected"
    assert send(client, "post", f"{b}/tags/{ferry['id']}/reject").status_code == 422


def test_breakdown_writes_forbidden_for_producer_change_nothing(revision):
    producer = revision.production.memberships.get(role=Role.PRODUCER).user
    client = client_for(producer)
    b = base(revision.production)
    pending = Tag.objects.filter(status=TagStatus.PENDING).first()
    crowd = Element.objects.get(name="CROWD")
    before = (Tag.objects.count(), Element.objects.count())
    assert send(client, "post", f"{b}/tags/{pending.pk}/accept").status_code == 403
    assert send(client, "patch", f"{b}/elements/{crowd.pk}", {"name": "Mob"}).status_code == 403
    assert client.delete(f"{b}/elements/{crowd.pk}").status_code == 403
    assert (Tag.objects.count(), Element.objects.count()) == before
    crowd.refresh_from_db()
    pending.refresh_from_db()
    assert crowd.name == "CROWD" and pending.status == TagStatus.PENDING
    # Reading is open to every member.
    assert client.get(f"{b}/tags").status_code == 200
