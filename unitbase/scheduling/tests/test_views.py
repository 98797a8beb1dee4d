# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Pages: access by role (allowed, 403 changing nothing, 404), board edits over htmx including the
409 on a stale revision, reports in every format, iCal feeds."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_production, member
from unitbase.productions.authority import Role
from unitbase.scheduling import services
from unitbase.scheduling.models import CalendarFeed, ScheduleVersion, Strip

from .test_services import ad, calendar, cast, production, script, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db


def url(name, production, *args, **query):
    u = reverse(f"scheduling:{name}", args=[production.pk, *args])
    if query:
        u += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return u


def login(client, production, role):
    m = member(production, role)
    client.force_login(m.user)
    return m


def order(version):
    return list(Strip.objects.filter(version=version, section="board").order_by("position").values_list("pk", flat=True))


def test_every_member_reads_the_pages(client, production, version):
    login(client, production, Role.CREW)
    for name, args in [("home", []), ("board", [version.pk]), ("versions", []), ("availability", []),
                       ("preferences", []), ("calendar", [version.schedule.unit_id]), ("dood", [version.pk]),
                       ("oneliner", [version.pk]), ("shooting", [version.pk])]:
        response = client.get(url(name, production, *args), follow=True)
        assert response.status_code == 200, name
    board = client.get(url("board", production, version.pk)).content.decode()
    assert 'data-can-edit="0"' in board and "HARBOUR" in board and "Read only" in board


def test_htmx_move_returns_the_board_and_saves(client, production, version):
    login(client, production, Role.FIRST_AD)
    s3 = Strip.objects.get(version=version, scene__number="3")
    response = client.post(url("move", production, version.pk), {"revision": 1, "strip_ids": [s3.pk], "to": "boneyard"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-revision="2"' in body and "Moved 1 strip to the boneyard." in body
    assert Strip.objects.get(pk=s3.pk).section == "boneyard"


def test_stale_move_is_409_with_fresh_board_and_changes_nothing(client, production, version):
    login(client, production, Role.FIRST_AD)
    s1, s2 = (Strip.objects.get(version=version, scene__number=n) for n in ("1", "2"))
    client.post(url("move", production, version.pk), {"revision": 1, "strip_ids": [s1.pk], "index": 3}, HTTP_HX_REQUEST="true")
    before = order(version)
    response = client.post(url("move", production, version.pk), {"revision": 1, "strip_ids": [s2.pk], "to": "boneyard"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this schedule version" in body and 'data-revision="2"' in body
    assert order(version) == before and Strip.objects.get(pk=s2.pk).section == "board"


def test_bad_move_is_422_and_changes_nothing(client, production, version):
    login(client, production, Role.FIRST_AD)
    s1 = Strip.objects.get(version=version, scene__number="1")
    before = order(version)
    response = client.post(url("move", production, version.pk), {"revision": 1, "strip_ids": [s1.pk], "date": "2027-03-06"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "not a shoot day" in response.content.decode()
    assert order(version) == before and ScheduleVersion.objects.get(pk=version.pk).revision == 1


@pytest.mark.parametrize("role", [Role.CREW, Role.CAST, Role.DEPARTMENT_HEAD, Role.PRODUCER])
def test_roles_without_change_schedule_get_403_and_change_nothing(client, production, version, role):
    login(client, production, role)
    s1 = Strip.objects.get(version=version, scene__number="1")
    before = order(version)
    for name, data in [("move", {"revision": 1, "strip_ids": [s1.pk], "to": "boneyard"}),
                       ("day_break_add", {"revision": 1}), ("auto_breaks", {"revision": 1, "by": "pages"})]:
        response = client.post(url(name, production, version.pk), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 403, name
    response = client.post(url("version_action", production, version.pk, "publish"), {"revision": 1})
    assert response.status_code == 403
    response = client.post(url("availability", production), {"subject": "set:PUB", "date": "2027-03-01", "status": "unavailable"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert order(version) == before and version.revision == 1 and version.status == "draft"


def test_non_member_gets_404_and_other_productions_version_is_404(client, production, version):
    outsider = make_production(title="Elsewhere")
    m = member(outsider, Role.UPM)
    client.force_login(m.user)
    assert client.get(url("board", production, version.pk)).status_code == 404
    assert client.get(url("board", outsider, version.pk)).status_code == 404
    s1 = Strip.objects.get(version=version, scene__number="1")
    assert client.post(url("move", outsider, version.pk), {"revision": 1, "strip_ids": [s1.pk], "to": "boneyard"}).status_code == 404
    assert Strip.objects.get(pk=s1.pk).section == "board"


def test_locked_version_refuses_the_ad_over_the_web(client, production, version, ad):
    services.version_lock(access=ad, version_id=version.pk, revision=1)
    login(client, production, Role.FIRST_AD)
    s1 = Strip.objects.get(version=version, scene__number="1")
    response = client.post(url("move", production, version.pk), {"revision": 2, "strip_ids": [s1.pk], "to": "boneyard"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert Strip.objects.get(pk=s1.pk).section == "board"
    assert 'data-can-edit="0"' in client.get(url("board", production, version.pk)).content.decode()


def test_versions_page_actions(client, production, version):
    login(client, production, Role.UPM)
    assert client.post(url("version_action", production, version.pk, "publish"), {"revision": 1}).status_code == 302
    assert client.post(url("version_action", production, version.pk, "apply"), {"revision": 2}).status_code == 302
    assert client.post(url("version_action", production, version.pk, "duplicate"), {"name": "Blue"}).status_code == 302
    blue = ScheduleVersion.objects.get(name="Blue")
    response = client.post(url("version_action", production, blue.pk, "apply"), {"revision": 1})
    assert response.status_code == 422 and "Publish the version before applying it." in response.content.decode()
    response = client.get(url("compare", production, a=version.pk, b=blue.pk))
    assert response.status_code == 200 and "Every scene is on the same day" in response.content.decode()
    assert client.post(url("version_action", production, blue.pk, "nonsense"), {"revision": 1}).status_code == 404


def test_create_from_the_start_page(client, production, unit, script, calendar):
    login(client, production, Role.FIRST_AD)
    page = client.get(url("home", production)).content.decode()
    assert "Create schedule" in page
    response = client.post(url("create", production), {"unit": unit.pk, "name": "", "layout": "auto"})
    assert response.status_code == 422 and not ScheduleVersion.objects.exists()
    response = client.post(url("create", production), {"unit": unit.pk, "name": "White", "layout": "auto"})
    assert response.status_code == 302
    assert Strip.objects.filter(version__name="White", kind="day").count() >= 1


def test_reports_in_every_format(client, production, version, ad):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    login(client, production, Role.CREW)
    for name in ("dood", "oneliner", "shooting"):
        pdf = client.get(url(name, production, version.pk, format="pdf"))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), name
        csv = client.get(url(name, production, version.pk, format="csv"))
        assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
        xlsx = client.get(url(name, production, version.pk, format="xlsx"))
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    text = client.get(url("oneliner", production, version.pk, format="csv")).content.decode("utf-8-sig")
    assert "End of day 1 of 4" in text and "HARBOUR" in text
    shooting = client.get(url("shooting", production, version.pk)).content.decode()
    assert "Props:" in shooting and "LAMP" in shooting
    assert client.get(url("dood", production, version.pk, format="doc")).status_code == 400
    assert client.get(url("dood", production, version.pk, category="nope")).status_code == 404
    assert client.get(url("dood", production, 999999)).status_code == 404
    props = client.get(url("dood", production, version.pk, category="props")).content.decode()
    assert "LAMP" in props


def test_ical_feed_parses_and_revokes(client, production, version, ad, cast):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    services.version_publish(access=ad, version_id=version.pk, revision=2)
    services.version_apply(access=ad, version_id=version.pk, revision=3)
    feed = services.feed_create(access=ad, unit_id=version.schedule.unit_id)
    person = services.feed_create(access=ad, cast_member_id=cast["TOBY"].pk)
    client.logout()
    body = client.get(url("ical", production, feed.token)).content.decode()
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and body.endswith("\r\n")
    assert body.count("BEGIN:VEVENT") == 4 == body.count("END:VEVENT")
    assert "DTSTART;VALUE=DATE:20270301" in lines and all(len(line.encode()) <= 75 for line in lines)
    toby = client.get(url("ical", production, person.token)).content.decode()
    assert toby.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20270303" in toby  # scenes 4 and 5, day 3
    services.feed_revoke(access=ad, feed_id=feed.pk)
    assert client.get(url("ical", production, feed.token)).status_code == 404
    assert client.get(url("ical", production, "not-a-token")).status_code == 404
    assert CalendarFeed.objects.count() == 2


def test_calendar_page_saves_and_validates(client, production, unit):
    login(client, production, Role.UPM)
    response = client.post(url("calendar", production, unit.pk),
                           {"form": "calendar", "shoot_start": "2027-03-10", "shoot_end": "2027-03-01", "working_weekdays": [0, 1]})
    assert response.status_code == 422 and "The shoot ends before it starts." in response.content.decode()
    response = client.post(url("calendar", production, unit.pk),
                           {"form": "calendar", "shoot_start": "2027-03-01", "shoot_end": "2027-03-12", "working_weekdays": [0, 1, 2, 3, 4]})
    assert response.status_code == 302
    response = client.post(url("calendar", production, unit.pk), {"form": "day", "date": "2027-03-03", "kind": "holiday"})
    assert response.status_code == 302
    page = client.get(url("calendar", production, unit.pk)).content.decode()
    assert "March 2027" in page and "Holiday" in page
    assert unit.calendar.days.get().date == date(2027, 3, 3)


def test_banner_and_day_bar_are_edited_inline_and_a_strip_split_and_estimated(client, production, version, ad):
    banner = services.banner_add(access=ad, version_id=version.pk, revision=1, banner_kind="note", text="Rain cover", index=0)
    brk = services.day_break_add(access=ad, version_id=version.pk, revision=2, index=3)
    login(client, production, Role.FIRST_AD)
    page = client.get(url("board", production, version.pk)).content.decode()
    assert f'id="bt-{banner.pk}"' in page and 'name="call_time"' in page and "data-single-strip" in page
    edit = client.post(url("strip_edit", production, version.pk, banner.pk),
                       {"revision": 3, "banner_kind": "block", "text": "Episode 102"}, HTTP_HX_REQUEST="true")
    assert edit.status_code == 200 and "Episode 102" in edit.content.decode()
    banner.refresh_from_db()
    assert (banner.banner_kind, banner.text) == ("block", "Episode 102")
    bad = client.post(url("strip_edit", production, version.pk, banner.pk), {"revision": 4, "banner_kind": "party"},
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and banner.banner_kind == Strip.objects.get(pk=banner.pk).banner_kind
    day = client.post(url("strip_edit", production, version.pk, brk.pk),
                      {"revision": 4, "call_time": "18:00", "wrap_time": "05:30", "text": "Nights"}, HTTP_HX_REQUEST="true")
    assert day.status_code == 200 and "Call 18:00 · Wrap 05:30" in day.content.decode()
    s2 = Strip.objects.get(version=version, scene__number="2")
    split = client.post(url("strip_split", production, version.pk, s2.pk), {"revision": 5, "eighths": 4}, HTTP_HX_REQUEST="true")
    assert split.status_code == 200 and ">2 pt 1<" in split.content.decode() and ">2 pt 2<" in split.content.decode()
    over = client.post(url("strip_split", production, version.pk, s2.pk), {"revision": 6, "eighths": 9}, HTTP_HX_REQUEST="true")
    assert over.status_code == 422 and "first part takes 1 to 3" in over.content.decode()
    assert Strip.objects.filter(version=version, scene=s2.scene).count() == 2
    est = client.post(url("strip_edit", production, version.pk, s2.pk), {"revision": 6, "estimate_minutes": "45"},
                      HTTP_HX_REQUEST="true")
    assert est.status_code == 200 and Strip.objects.get(pk=s2.pk).estimate_minutes == 45


def test_crew_cannot_edit_a_banner(client, production, version, ad):
    banner = services.banner_add(access=ad, version_id=version.pk, revision=1, banner_kind="note", text="Rain cover")
    login(client, production, Role.CREW)
    response = client.post(url("strip_edit", production, version.pk, banner.pk), {"revision": 2, "text": "Mine"})
    assert response.status_code == 403
    assert Strip.objects.get(pk=banner.pk).text == "Rain cover" and ScheduleVersion.objects.get(pk=version.pk).revision == 2


def test_strips_are_escaped_coloured_and_dimmed_by_a_filter(client, production, version):
    from unitbase.scripts.models import Scene

    Scene.objects.filter(revision=version.script_revision, number="1").update(synopsis="<b>Maren</b> & the boat " + "x" * 100)
    login(client, production, Role.FIRST_AD)
    page = client.get(url("board", production, version.pk, set="PUB")).content.decode()
    s1 = Strip.objects.get(version=version, scene__number="1")
    li = page[page.index(f'data-strip="{s1.pk}"') - 40:]
    li = li[:li.index("</li>")]
    assert "sb-dim" in li and 'draggable="true"' in li and "--strip:#fff3a3" in li  # EXT DAY yellow, filtered out
    assert "&lt;b&gt;Maren&lt;/b&gt; &amp; the boat" in li and "<b>" not in li and "…" in li
    s5 = Strip.objects.get(version=version, scene__number="5")
    assert "sb-dim" not in page[page.index(f'data-strip="{s5.pk}"') - 40:][:60]


def test_move_the_selection_to_a_day_or_a_date_and_switch_units(client, production, version, ad):
    from unitbase.productions.models import Unit

    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    Unit.objects.create(production=production, name="Second unit", kind=Unit.Kind.SECOND)
    login(client, production, Role.FIRST_AD)
    page = client.get(url("board", production, version.pk)).content.decode()
    assert 'id="to-day"' in page and "Second unit" in page
    s1 = Strip.objects.get(version=version, scene__number="1")
    r = client.post(url("move", production, version.pk), {"revision": 2, "strip_ids": [s1.pk], "to": "board", "day": "3"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Moved 1 strip to day 3." in r.content.decode()
    r = client.post(url("move", production, version.pk), {"revision": 3, "strip_ids": [s1.pk], "to": "board", "date": "2027-03-02"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Moved 1 strip to Tue 02 Mar." in r.content.decode()
    weekend = client.post(url("move", production, version.pk), {"revision": 4, "strip_ids": [s1.pk], "date": "2027-03-06"},
                          HTTP_HX_REQUEST="true")
    assert weekend.status_code == 422 and "is not a shoot day" in weekend.content.decode()
    assert ScheduleVersion.objects.get(pk=version.pk).revision == 4


def test_board_page_queries_do_not_grow_with_the_board(client, production, version, ad):
    """The whole page (board, filters, versions, warnings) in the same number of queries for 6 and 60 scenes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CastMemberFactory
    from unitbase.productions.models import Unit
    from unitbase.productions.permissions import access_production

    from .test_services import make_script

    def count(prod, v, user):
        client.force_login(user)
        client.get(url("board", prod, v.pk))  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("board", prod, v.pk)).status_code == 200
        return len(ctx)

    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    small = count(production, version, ad.user)
    big_prod = make_production(title="Big")
    names = [f"CHAR{i}" for i in range(12)]
    for n, name in enumerate(names, start=1):
        CastMemberFactory(production=big_prod, character=name, cast_number=n)
    scenes = [(str(i), "EXT" if i % 2 else "INT", f"SET{i % 9}", "NIGHT" if i % 3 else "DAY", 3 + i % 7,
               names[i % 12: i % 12 + 3]) for i in range(1, 61)]
    make_script(big_prod, scenes)
    big_ad = access_production(member(big_prod, Role.FIRST_AD).user, big_prod.pk)
    unit = Unit.objects.get(production=big_prod, kind=Unit.Kind.MAIN)
    services.calendar_set(access=big_ad, unit_id=unit.pk, shoot_start=date(2027, 3, 1), shoot_end=date(2027, 4, 30))
    big = services.schedule_create(access=big_ad, unit_id=unit.pk, layout="auto", by="pages", limit=16)
    assert Strip.objects.filter(version=big).count() > 80
    assert count(big_prod, big, big_ad.user) == small


def test_feed_forms_never_redirect_off_site(client, production, version):
    login(client, production, Role.CREW)
    r = client.post(url("feed_create", production), {"unit": version.schedule.unit_id, "next": "https://evil.example/x"})
    assert r.status_code == 302 and r["Location"] == url("home", production)
    feed = CalendarFeed.objects.get(production=production)
    r = client.post(url("feed_revoke", production, feed.pk), {"next": url("versions", production)})
    assert r["Location"] == url("versions", production)


def test_reports_for_what_does_not_exist_say_what_is_wrong(client, production, version):
    login(client, production, Role.CREW)
    missing = client.get(url("dood", production, 999999))
    assert missing.status_code == 404 and "There is no schedule version 999999" in missing.content.decode()
    for name in ("oneliner", "shooting"):
        assert "There is no schedule version" in client.get(url(name, production, 999999, format="pdf")).content.decode()
    category = client.get(url("dood", production, version.pk, category="nope"))
    assert category.status_code == 404 and "There is no breakdown category “nope”: choose one of" in category.content.decode()
    assert "props" in category.content.decode()
    fmt = client.get(url("oneliner", production, version.pk, format="docx"))
    assert fmt.status_code == 400 and "choose html, csv, xlsx or pdf" in fmt.content.decode()
