# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""API: version lifecycle (create, duplicate, rename, publish, lock, unlock, apply, delete), compare,
strip split / edit / remove / sort, automatic breaks, calendar days and preferences. Each refusal
(stale revision, bad input, lacking authority) changes nothing."""

import pytest

from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.scheduling.models import CalendarDay, SchedulePreferences, ScheduleVersion, Strip

from .test_api import auth
from .test_services import ad, calendar, cast, production, script, unit, version  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.urls("unitbase.scheduling.tests.test_api")]

J = {"content_type": "application/json"}


def base(production):
    return f"/api/v1/productions/{production.pk}/schedule"


def test_version_lifecycle(client, production, unit, script, calendar):
    ad, upm = auth(production, Role.FIRST_AD), auth(production, Role.UPM)
    created = client.post(f"{base(production)}/versions", {"unit_id": unit.pk, "name": "White", "layout": "auto"}, **J, **ad)
    assert created.status_code == 201
    v = created.json()
    assert v["name"] == "White" and v["status"] == "draft" and v["revision"] == 2  # auto breaks bumped it
    url = f"{base(production)}/versions/{v['id']}"
    assert client.post(f"{url}/apply", {"revision": 2}, **J, **ad).json()["detail"][0]["msg"].startswith("Publish the version")
    pub = client.post(f"{url}/publish", {"revision": 2}, **J, **ad)
    assert pub.status_code == 200 and pub.json()["status"] == "published" and pub.json()["revision"] == 3
    applied = client.post(f"{url}/apply", {"revision": 3}, **J, **ad).json()
    assert applied["is_applied"] is True
    renamed = client.post(f"{url}/rename", {"revision": 4, "name": "White (shooting)"}, **J, **ad).json()
    assert renamed["name"] == "White (shooting)"
    locked = client.post(f"{url}/lock", {"revision": 5}, **J, **ad).json()
    assert locked["status"] == "locked"
    # The 1st AD may not unlock; the UPM may.
    denied = client.post(f"{url}/unlock", {"revision": 6}, **J, **ad)
    assert denied.status_code == 403 and ScheduleVersion.objects.get(pk=v["id"]).status == "locked"
    assert client.post(f"{url}/unlock", {"revision": 6}, **J, **upm).json()["status"] == "published"
    copy = client.post(f"{url}/duplicate", {"name": "Blue"}, **J, **ad)
    assert copy.status_code == 201 and copy.json()["name"] == "Blue" and copy.json()["status"] == "draft"
    assert Strip.objects.filter(version_id=copy.json()["id"]).count() == Strip.objects.filter(version_id=v["id"]).count()
    assert client.get(f"{url}", **auth(production, Role.CREW)).json()["name"] == "White (shooting)"
    # Applied versions are not deleted; a stale delete is a 409; the copy goes.
    assert client.delete(f"{url}?revision=7", **ad).status_code == 422
    copy_url = f"{base(production)}/versions/{copy.json()['id']}"
    assert client.delete(f"{copy_url}?revision=5", **ad).status_code == 409
    assert client.delete(f"{copy_url}?revision=1", **ad).status_code == 204
    assert not ScheduleVersion.objects.filter(pk=copy.json()["id"]).exists()


def test_stale_and_duplicate_names_change_nothing(client, production, version):
    h = auth(production, Role.FIRST_AD)
    url = f"{base(production)}/versions/{version.pk}"
    stale = client.post(f"{url}/publish", {"revision": 7}, **J, **h)
    assert stale.status_code == 409 and "Someone else changed" in stale.json()["detail"]
    client.post(f"{url}/duplicate", {"name": "Blue"}, **J, **h)
    clash = client.post(f"{url}/rename", {"revision": 1, "name": "Blue"}, **J, **h)
    assert clash.status_code == 422 and clash.json()["detail"][0]["loc"] == ["name"]
    version.refresh_from_db()
    assert (version.status, version.name) == ("draft", "First draft")


def test_crew_cannot_change_versions(client, production, version):
    crew = auth(production, Role.CREW)
    url = f"{base(production)}/versions/{version.pk}"
    events = AuditEvent.objects.count()
    assert client.post(f"{url}/publish", {"revision": 1}, **J, **crew).status_code == 403
    assert client.post(f"{url}/duplicate", {}, **J, **crew).status_code == 403
    assert client.post(f"{base(production)}/versions", {"unit_id": version.schedule.unit_id}, **J, **crew).status_code == 403
    assert ScheduleVersion.objects.count() == 1 and AuditEvent.objects.count() == events
    assert ScheduleVersion.objects.get(pk=version.pk).revision == 1


def test_compare_json(client, production, version, ad):
    from unitbase.scheduling import services

    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    copy = services.version_duplicate(access=ad, version_id=version.pk, name="Blue")
    s1 = Strip.objects.get(version=copy, scene__number="1")
    services.strip_move(access=ad, version_id=copy.pk, revision=1, strip_ids=[s1.pk], to="board", day=4)
    data = client.get(f"{base(production)}/compare?a={version.pk}&b={copy.pk}", **auth(production, Role.CREW)).json()
    assert data["moved"] == [{"scene": "1", "a": 1, "b": 4}]
    assert data["days"] == [4, 4] and data["pages"] == [data["pages"][0]] * 2
    maren = next(c for c in data["dood"] if c["name"].startswith("MAREN"))
    assert maren["work"][0] == maren["work"][1] and maren["start"] != [None, None]


def test_split_edit_remove_sort_and_auto_breaks(client, production, version):
    h = auth(production, Role.FIRST_AD)
    url = f"{base(production)}/versions/{version.pk}"
    s2 = Strip.objects.get(version=version, scene__number="2")
    too_many = client.post(f"{url}/strips/{s2.pk}/split", {"revision": 1, "eighths": 12}, **J, **h)
    assert too_many.status_code == 422 and "1 to 11" in too_many.json()["detail"][0]["msg"]
    split = client.post(f"{url}/strips/{s2.pk}/split", {"revision": 1, "eighths": 5}, **J, **h).json()
    parts = [(s["scene"], s["part"], s["eighths"]) for s in split["strips"] if s["scene"] == "2"]
    assert parts == [("2", 1, 5), ("2", 2, 7)]
    est = client.patch(f"{url}/strips/{s2.pk}", {"revision": 2, "estimate_minutes": 50}, **J, **h).json()
    assert next(s for s in est["strips"] if s["id"] == s2.pk)["minutes"] == 50
    banner = client.post(f"{url}/banners", {"revision": 3, "banner_kind": "block", "text": "Block 1", "index": 0}, **J, **h).json()
    bid = next(s["id"] for s in banner["strips"] if s["kind"] == "banner")
    edited = client.patch(f"{url}/strips/{bid}", {"revision": 4, "text": "Episode 101", "banner_kind": "block"}, **J, **h).json()
    assert next(s for s in edited["strips"] if s["id"] == bid)["text"] == "Episode 101"
    wrong = client.patch(f"{url}/strips/{bid}", {"revision": 5, "estimate_minutes": 10}, **J, **h)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["estimate_minutes"]
    removed = client.delete(f"{url}/strips/{bid}?revision=5", **h).json()
    assert all(s["kind"] != "banner" for s in removed["strips"])
    ids = [s["id"] for s in removed["strips"] if s["kind"] == "scene"]
    sorted_ = client.post(f"{url}/sort", {"revision": 6, "strip_ids": ids, "keys": ["set", "scene"]}, **J, **h).json()
    assert [(s["set_name"], s["scene"]) for s in sorted_["strips"]][:3] == [("CLIFF", "6"), ("COTTAGE", "2"), ("COTTAGE", "2")]
    auto = client.post(f"{url}/auto-breaks", {"revision": 7, "by": "hours", "limit": 240}, **J, **h).json()
    assert all(d["minutes"] <= 240 or d["scenes"] == 1 for d in auto["days"]) and len(auto["days"]) > 1
    assert client.post(f"{url}/sort", {"revision": 8, "strip_ids": ids, "keys": ["colour"]}, **J, **h).status_code == 422


def test_calendar_days_and_preferences(client, production, unit, calendar):
    h, crew = auth(production, Role.PRODUCTION_MANAGER), auth(production, Role.CREW)
    url = f"{base(production)}/calendars/{unit.pk}/days"
    day = client.post(url, {"date": "2027-03-03", "kind": "holiday", "note": "Bank holiday"}, **J, **h)
    assert day.status_code == 200 and day.json() == {"date": "2027-03-03", "kind": "holiday", "note": "Bank holiday"}
    assert client.get(url, **crew).json() == [day.json()]
    assert client.post(url, {"date": "2027-03-04", "kind": "off"}, **J, **crew).status_code == 403
    assert client.post(url, {"date": "2027-03-03", "kind": ""}, **J, **h).status_code == 204
    assert not CalendarDay.objects.exists()
    prefs = client.get(f"{base(production)}/preferences", **crew).json()
    assert prefs["colour_ext_day"] == "#fff3a3" and prefs["drop_gap_days"] == 10
    patched = client.patch(f"{base(production)}/preferences", {"colour_ext_day": "#ffee00", "drop_gap_days": 14}, **J, **h)
    assert patched.json()["colour_ext_day"] == "#ffee00" and patched.json()["drop_gap_days"] == 14
    bad = client.patch(f"{base(production)}/preferences", {"colour_ext_day": "yellow"}, **J, **h)
    assert bad.status_code == 422
    assert client.patch(f"{base(production)}/preferences", {"drop_gap_days": 3}, **J, **crew).status_code == 403
    assert SchedulePreferences.objects.get(production=production).colour_ext_day == "#ffee00"


def test_compare_needs_both_versions(client, production, version):
    r = client.get(f"{base(production)}/compare?a={version.pk}", **auth(production, Role.CREW))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["b"]
