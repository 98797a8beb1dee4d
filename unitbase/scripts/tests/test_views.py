"""Script and breakdown pages: allowed, denied (changing nothing) and 404 for other productions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory, make_production, member
from unitbase.productions.authority import Role
from unitbase.scripts.models import Element, ScriptRevision, Tag, TagStatus

from .test_services import FOUNTAIN, ad_access, import_fixture, producer_access  # noqa: F401


@pytest.fixture
def revision(producer_access):  # noqa: F811
    return import_fixture(producer_access)


def login(client, user):
    client.force_login(user)
    return client


def url(name, production, *args):
    return reverse(f"scripts:{name}", args=[production.pk, *args])


def test_pages_render_for_a_crew_member(client, revision):
    production = revision.production
    crew = member(production, Role.CREW)
    login(client, crew.user)
    scene = revision.scenes.get(order=1)
    element = Element.objects.filter(production=production).first()
    for name, args in [("script", []), ("revisions", []), ("changes", [revision.pk]), ("scene", [scene.pk]),
                       ("suggestions", []), ("elements", [])]:
        response = client.get(url(name, production, *args))
        assert response.status_code == 200, name
    page = client.get(url("script", production)).content.decode()
    assert "EXT. HARBOUR - DAY" in page and "Import a new draft" not in page
    breakdown = client.get(url("scene", production, scene.pk)).content.decode()
    assert 'title="Background Actors: CROWD"' in breakdown
    assert "Tag an element" not in breakdown  # crew may read, not tag
    assert client.get(url("element_edit", production, element.pk)).status_code == 403


def test_empty_script_page_says_how_to_fill_it(client, producer_access):  # noqa: F811
    login(client, producer_access.user)
    page = client.get(url("script", producer_access.production)).content.decode()
    assert "No script yet" in page and reverse("scripts:upload", args=[producer_access.production.pk]) in page


def test_upload_imports_and_redirects(client, producer_access):  # noqa: F811
    login(client, producer_access.user)
    production = producer_access.production
    upload_page = client.get(url("upload", production)).content.decode()
    assert 'accept=".fountain,.fdx,.txt,.pdf"' in upload_page
    response = client.post(url("upload", production), {
        "file": SimpleUploadedFile("harbour.fountain", FOUNTAIN), "paper": "a4", "colour": ""})
    assert response.status_code == 302
    revision = ScriptRevision.objects.get()
    assert (revision.paper, revision.scenes.count()) == ("a4", 4)


def test_bad_upload_shows_the_error_in_place_and_changes_nothing(client, producer_access):  # noqa: F811
    login(client, producer_access.user)
    response = client.post(url("upload", producer_access.production), {
        "file": SimpleUploadedFile("notes.fountain", b"No headings at all.\n"), "paper": "letter"})
    assert response.status_code == 422
    assert "No scene headings were found" in response.content.decode()
    assert not ScriptRevision.objects.exists()


def test_upload_denied_for_crew_and_404_for_strangers(client, producer_access):  # noqa: F811
    production = producer_access.production
    crew = member(production, Role.CREW)
    login(client, crew.user)
    response = client.post(url("upload", production), {"file": SimpleUploadedFile("h.fountain", FOUNTAIN)})
    assert response.status_code == 403
    login(client, UserFactory())
    assert client.get(url("script", production)).status_code == 404
    assert not ScriptRevision.objects.exists()


def test_tag_by_selection_with_htmx(client, revision, ad_access):  # noqa: F811
    production = revision.production
    scene = revision.scenes.get(order=4)
    login(client, ad_access.user)
    props = production.breakdown_categories.get(key="props")
    start = scene.text.index("torch")
    response = client.post(url("tag_add", production, scene.pk),
                           {"category": props.pk, "name": "Torch", "start": start, "end": start + 5},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="breakdown"') and 'title="Props: Torch"' in body
    tag = Tag.objects.get(element__name="Torch")
    assert (tag.start, tag.end, tag.created_by) == (start, start + 5, ad_access.user)
    bad = client.post(url("tag_add", production, scene.pk), {"category": props.pk, "name": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    response = client.post(url("tag_delete", production, tag.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and not Tag.objects.filter(pk=tag.pk).exists()


def test_tagging_denied_for_producer_changes_nothing(client, revision):
    production = revision.production
    scene = revision.scenes.get(order=1)
    login(client, production.memberships.get(role=Role.PRODUCER).user)
    props = production.breakdown_categories.get(key="props")
    before = Tag.objects.count()
    response = client.post(url("tag_add", production, scene.pk), {"category": props.pk, "name": "Gun"})
    assert response.status_code == 403
    pending = Tag.objects.filter(status=TagStatus.PENDING).first()
    assert client.post(url("suggestion_accept", production, pending.pk)).status_code == 403
    assert Tag.objects.count() == before
    pending.refresh_from_db()
    assert pending.status == TagStatus.PENDING


def test_suggestion_queue_accept_and_reject_with_htmx(client, revision, ad_access):  # noqa: F811
    production = revision.production
    login(client, ad_access.user)
    page = client.get(url("suggestions", production)).content.decode()
    rifle = Tag.objects.get(suggested_name="Rifle")
    ferry = Tag.objects.get(suggested_name="Ferry")
    assert f'id="suggestion-{rifle.pk}"' in page
    response = client.post(url("suggestion_accept", production, rifle.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Accepted" in response.content.decode()
    response = client.post(url("suggestion_reject", production, ferry.pk))
    assert response.status_code == 302
    rifle.refresh_from_db()
    ferry.refresh_from_db()
    assert (rifle.status, ferry.status) == (TagStatus.ACCEPTED, TagStatus.REJECTED)
    again = client.post(url("suggestion_reject", production, ferry.pk), HTTP_HX_REQUEST="true")
    assert again.status_code == 422


def test_element_rename_and_merge_pages(client, revision, ad_access):  # noqa: F811
    production = revision.production
    login(client, ad_access.user)
    crowd = Element.objects.get(name="CROWD")
    passers = Element.objects.get(name="PASSERS-BY")
    clash = client.post(url("element_edit", production, passers.pk),
                        {"name": "crowd", "category": passers.category_id})
    assert clash.status_code == 422 and "merge the two instead" in clash.content.decode()
    response = client.post(url("element_merge", production, passers.pk), {"target": crowd.pk})
    assert response.status_code == 302
    assert not Element.objects.filter(pk=passers.pk).exists()
    response = client.post(url("element_edit", production, crowd.pk),
                           {"name": "Harbour crowd", "category": crowd.category_id})
    assert response.status_code == 302
    crowd.refresh_from_db()
    assert crowd.name == "Harbour crowd"


def test_other_productions_objects_are_404(client, revision):
    other = make_production(title="Other")
    ad = member(other, Role.FIRST_AD)
    login(client, ad.user)
    scene = revision.scenes.first()
    tag = Tag.objects.filter(status=TagStatus.PENDING).first()
    assert client.get(url("scene", other, scene.pk)).status_code == 404
    assert client.post(url("suggestion_reject", other, tag.pk)).status_code == 404
    assert client.get(url("changes", other, revision.pk)).status_code == 404
    tag.refresh_from_db()
    assert tag.status == TagStatus.PENDING
