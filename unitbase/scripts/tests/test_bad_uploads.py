"""Bad files uploaded through the web import page and the API (issue 3, "Bad input").

Each one is answered on the form (422, the message next to the file field) or by the API (422 with
`loc: ["file"]`), the message names the problem, and nothing is written: no script, revision,
scene, element, tag, audit event or background job. PDFs and large files are imported in the
background, so the page checks them before queueing (`services.script_file_check`).
"""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path, reverse
from ninja import NinjaAPI

from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.api import api as main_api
from unitbase.core.models import AuditEvent, JobProgress
from unitbase.scripts import views
from unitbase.scripts.api import router
from unitbase.scripts.models import Element, Scene, ScriptDocument, ScriptRevision, Tag

from .test_services import FOUNTAIN, producer_access  # noqa: F401

test_api = NinjaAPI(urls_namespace="scripts-bad-upload-test", auth=TokenAuth(), docs_url=None)
for exc_class, handler in main_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
test_api.add_router("/productions", router)

# The web pages keep their real URLs; the API router is mounted as in unitbase/api.py.
from config.urls import urlpatterns as _site  # noqa: E402

urlpatterns = [path("test-api/v1/", test_api.urls), *_site]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

NO_TEXT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
BOMB = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><FinalDraft><Content><Paragraph Type="Action"><Text>&c;</Text>'
        b"</Paragraph></Content></FinalDraft>")
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<FinalDraft><Content><Paragraph Type="Action"><Text>&e;</Text></Paragraph></Content></FinalDraft>')

# (file name, bytes, what the message must say)
BAD_FILES = [
    ("blank.fountain", b"   \n\n\t\n", "the file is empty"),
    ("nul.fountain", b"INT. A - DAY\x00\x00\x01 binary", "NUL bytes: it is binary"),
    ("controls.fountain", b"INT. A - DAY\n" + bytes(range(1, 9)) * 20, "control characters: it looks binary"),
    ("utf16.fountain", b"\xff\xfe" + b"I\x00N\x00\x00\xd8", "byte-order mark but is not UTF-16"),
    ("bomb.fdx", BOMB, "entities"),
    ("external.fdx", EXTERNAL, "entities"),
    ("truncated.fdx", b'<?xml version="1.0"?><FinalDraft><Content><Paragraph Type="Action"><Text>Hi',
     "not well-formed XML"),
    ("fake.pdf", b"GIF89a these bytes are an image, not a PDF", "is named .pdf but is not a PDF"),
    ("damaged.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "the PDF could not be opened"),
    ("scan.pdf", NO_TEXT_PDF, "no text layer"),
    ("notes.fountain", b"Just some words.\n\nNo headings here.\n", "No scene headings were found"),
]
IDS = [name for name, _, _ in BAD_FILES]


def nothing_written(audit_before: int) -> None:
    assert not ScriptDocument.objects.exists() and not ScriptRevision.objects.exists()
    assert not Scene.objects.exists() and not Element.objects.exists() and not Tag.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    assert not JobProgress.objects.exists()  # nothing was queued


def post_page(client, access, name, data):
    client.force_login(access.user)
    return client.post(reverse("scripts:upload", args=[access.production.pk]),
                       {"file": SimpleUploadedFile(name, data), "paper": "letter", "colour": ""})


def api_client(access):
    from django.test import Client

    _, raw = api_token_create(user=access.user, name="tests")  # writes its own audit event
    return Client(headers={"authorization": f"Bearer {raw}"})


def post_api(client, access, name, data):
    return client.post(f"/test-api/v1/productions/{access.production.pk}/script-revisions",
                       {"file": SimpleUploadedFile(name, data), "paper": "letter"})


def field_errors(response) -> str:
    errors = response.context["form"].errors.get("file", [])
    return " ".join(errors)


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=IDS)
def test_bad_file_through_the_import_page(client, producer_access, name, data, message):  # noqa: F811
    before = AuditEvent.objects.count()
    response = post_page(client, producer_access, name, data)
    assert response.status_code == 422
    assert message in field_errors(response)
    assert message in html.unescape(response.content.decode())  # shown on the page, next to the file field
    nothing_written(before)


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=IDS)
def test_bad_file_through_the_api(producer_access, name, data, message):  # noqa: F811
    client = api_client(producer_access)
    before = AuditEvent.objects.count()
    response = post_api(client, producer_access, name, data)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["file"] and message in detail[0]["msg"]
    nothing_written(before)


def test_empty_file_is_refused_on_the_page_and_by_the_api(client, producer_access):  # noqa: F811
    api = api_client(producer_access)
    before = AuditEvent.objects.count()
    response = post_page(client, producer_access, "empty.fountain", b"")
    assert response.status_code == 422 and "The submitted file is empty." in field_errors(response)
    response = post_api(api, producer_access, "empty.fountain", b"")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["file"]
    nothing_written(before)


@override_settings(UNITBASE_MAX_UPLOAD_BYTES=2048)
def test_too_big_file_is_refused_before_parsing(client, producer_access):  # noqa: F811
    big = FOUNTAIN + b"\nMore action.\n" * 400
    assert len(big) > 2048
    api = api_client(producer_access)
    before = AuditEvent.objects.count()
    for name in ("big.fountain", "big.pdf"):
        response = post_page(client, producer_access, name, big)
        assert response.status_code == 422
        assert "MB; the limit is 0 MB" in field_errors(response)
    response = post_api(api, producer_access, "big.fountain", big)
    assert response.status_code == 422 and "the limit is" in response.json()["detail"][0]["msg"]
    nothing_written(before)


def test_large_binary_file_is_refused_before_it_is_queued(client, producer_access, monkeypatch):  # noqa: F811
    """Files above the in-request size go to the worker; a binary one is refused on the form first."""
    monkeypatch.setattr(views, "SYNC_IMPORT_BYTES", 64)
    before = AuditEvent.objects.count()
    response = post_page(client, producer_access, "large.fountain", b"INT. A - DAY\n" + b"\x00\x01" * 100)
    assert response.status_code == 422 and "NUL bytes" in field_errors(response)
    nothing_written(before)
    # A good large file still goes to the worker (immediate in tests) and imports.
    response = post_page(client, producer_access, "large.fountain", FOUNTAIN)
    assert response.status_code == 302 and response.url == reverse("productions:tasks",
                                                                    args=[producer_access.production.pk])
    assert ScriptRevision.objects.get().scenes.count() == 4
