# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Personal iCal feeds of crew: their work days are the unit's shoot days within their engagement
dates; behind a secret, revocable URL; their own feed for themselves, anyone's for schedule editors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CrewMemberFactory, make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scheduling import services
from unitbase.scheduling.models import CalendarFeed

from .test_services import ad, calendar, cast, production, script, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db


def ical_url(production, token):
    return reverse("scheduling:ical", args=[production.pk, token])


@pytest.fixture
def applied(ad, version):
    # Four shoot days: Mon 1 – Thu 4 March 2027.
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    services.version_publish(access=ad, version_id=version.pk, revision=2)
    services.version_apply(access=ad, version_id=version.pk, revision=3)
    return version


@pytest.fixture
def gaffer(production):
    """A crew member who is also a signed-in member, engaged 2–3 March."""
    m = member(production, Role.CREW)
    crew = CrewMemberFactory(production=production, start_date=date(2027, 3, 2), end_date=date(2027, 3, 3))
    crew.person.user = m.user
    crew.person.save()
    return crew


def dates_of(body: str) -> list[str]:
    return [line.split(":")[1] for line in body.split("\r\n") if line.startswith("DTSTART;VALUE=DATE:")]


def test_crew_feed_lists_shoot_days_within_the_engagement(client, production, applied, gaffer):
    me = access_production(gaffer.person.user, production.pk)
    feed = services.feed_create(access=me, crew_member_id=gaffer.pk)
    assert feed.crew_member == gaffer and feed.cast_member is None and len(feed.token) >= 40
    body = client.get(ical_url(production, feed.token)).content.decode()
    assert dates_of(body) == ["20270302", "20270303"]
    assert f"X-WR-CALNAME:Schedule Test — {gaffer.person.name}" in body.replace("\r\n ", "")
    services.feed_revoke(access=me, feed_id=feed.pk)
    assert client.get(ical_url(production, feed.token)).status_code == 404


def test_open_ended_engagement_gets_every_shoot_day(client, production, applied, ad):
    crew = CrewMemberFactory(production=production, start_date=date(2027, 3, 3))
    feed = services.feed_create(access=ad, crew_member_id=crew.pk)  # editors may make anyone's feed
    assert dates_of(client.get(ical_url(production, feed.token)).content.decode()) == ["20270303", "20270304"]


def test_someone_elses_crew_feed_is_refused_and_nothing_is_made(production, applied, gaffer):
    other = access_production(member(production, Role.CREW).user, production.pk)
    with pytest.raises(ActionDenied):
        services.feed_create(access=other, crew_member_id=gaffer.pk)
    assert not CalendarFeed.objects.exists()


def test_bad_crew_feed_requests_change_nothing(production, applied, gaffer, ad, cast):
    foreign = CrewMemberFactory(production=make_production(title="Other"))
    with pytest.raises(ValidationError):
        services.feed_create(access=ad, crew_member_id=foreign.pk)
    with pytest.raises(ValidationError):
        services.feed_create(access=ad, crew_member_id=gaffer.pk, cast_member_id=cast["TOBY"].pk)
    assert not CalendarFeed.objects.exists()


def test_calendar_page_offers_my_work_days_feed(client, production, unit, applied, gaffer):
    client.force_login(gaffer.person.user)
    page = reverse("scheduling:calendar", args=[production.pk, unit.pk])
    html = client.get(page).content.decode()
    assert "New feed of my work days" in html and f'name="crew_member" value="{gaffer.pk}"' in html
    response = client.post(reverse("scheduling:feed_create", args=[production.pk]),
                           {"crew_member": gaffer.pk, "next": page})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(crew_member=gaffer)
    assert feed.created_by == gaffer.person.user
    assert feed.token in client.get(page).content.decode()


def test_editors_may_make_a_feed_of_any_crew_member_from_the_calendar_page(client, production, unit, applied, gaffer):
    m = member(production, Role.FIRST_AD)
    client.force_login(m.user)
    page = reverse("scheduling:calendar", args=[production.pk, unit.pk])
    html = client.get(page).content.decode()
    assert '<label for="feed-crew">Crew member</label>' in html and f'<option value="{gaffer.pk}">' in html
    client.post(reverse("scheduling:feed_create", args=[production.pk]), {"crew_member": gaffer.pk, "cast_member": "", "next": page})
    assert CalendarFeed.objects.get().crew_member == gaffer


def test_feed_api_create_list_revoke(client, production, applied, gaffer):
    """Through the real /api/v1 (unitbase/api.py mounts the scheduling router)."""
    _, raw = api_token_create(user=gaffer.person.user, name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    base = f"/api/v1/productions/{production.pk}/schedule/feeds"
    made = client.post(base, {"crew_member_id": gaffer.pk}, content_type="application/json", **h)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["crew_member_id"] == gaffer.pk and out["cast_member_id"] is None
    assert [f["id"] for f in client.get(base, **h).json()] == [out["id"]]
    other = CrewMemberFactory(production=production)
    refused = client.post(base, {"crew_member_id": other.pk}, content_type="application/json", **h)
    assert refused.status_code == 403 and CalendarFeed.objects.count() == 1
    bad = client.post(base, {"crew_member_id": 999999}, content_type="application/json", **h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "crew_member"
    assert client.post(f"{base}/{out['id']}/revoke", **h).json()["revoked_at"] is not None
    assert client.get(base, **h).json() == []


# --- exact work days: prep, shoot, travel and wrap from the unit's calendar and applied schedule ---


@pytest.fixture
def full_calendar(ad, unit, applied):
    """Prep from Mon 22 Feb 2027 (Wed 24 Feb a holiday, Fri 26 Feb a company travel day), shoot days
    Mon 1 – Thu 4 March on the applied board (planned to Fri 12 March), wrap to Wed 17 March."""
    services.calendar_set(access=ad, unit_id=unit.pk, prep_start=date(2027, 2, 22), shoot_start=date(2027, 3, 1),
                          shoot_end=date(2027, 3, 12), wrap_end=date(2027, 3, 17))
    services.calendar_day_set(access=ad, unit_id=unit.pk, date=date(2027, 2, 24), kind="holiday")
    services.calendar_day_set(access=ad, unit_id=unit.pk, date=date(2027, 2, 26), kind="travel")
    return unit


def kinds(crew):
    from unitbase.scheduling.calendar import crew_work_days

    return [(d["date"].strftime("%m%d"), d["kind"]) for d in crew_work_days(crew=crew)]


def test_work_days_are_prep_shoot_travel_and_wrap_within_the_engagement(production, full_calendar):
    crew = CrewMemberFactory(production=production, unit=full_calendar, start_date=date(2027, 2, 23),
                             end_date=date(2027, 3, 16))
    assert kinds(crew) == [
        ("0223", "prep"), ("0225", "prep"), ("0226", "travel"),       # the 24th is a holiday, 27–28 a weekend
        ("0301", "shoot"), ("0302", "shoot"), ("0303", "shoot"), ("0304", "shoot"),
        # 5–12 March are planned shoot days the board does not use; wrap starts after the planned last day
        ("0315", "wrap"), ("0316", "wrap"),                            # the engagement ends on the 16th
    ]


def test_open_engagement_dates_mean_the_shoot_days_only(production, full_calendar):
    crew = CrewMemberFactory(production=production, unit=full_calendar)
    assert kinds(crew) == [("0301", "shoot"), ("0302", "shoot"), ("0303", "shoot"), ("0304", "shoot")]
    crew = CrewMemberFactory(production=production, unit=full_calendar, end_date=date(2027, 3, 17))
    assert kinds(crew)[-4:] == [("0304", "shoot"), ("0315", "wrap"), ("0316", "wrap"), ("0317", "wrap")]


def test_a_unit_without_calendar_gives_no_days_and_no_unit_merges_every_unit(production, ad, full_calendar):
    from unitbase.productions.models import Unit

    second = Unit.objects.create(production=production, name="Second unit", kind=Unit.Kind.SECOND)
    assert kinds(CrewMemberFactory(production=production, unit=second)) == []
    services.calendar_set(access=ad, unit_id=second.pk, shoot_start=date(2027, 3, 4), shoot_end=date(2027, 3, 5))
    v = services.schedule_create(access=ad, unit_id=second.pk, layout="auto", by="pages", limit=24)
    services.version_publish(access=ad, version_id=v.pk, revision=v.revision)
    services.version_apply(access=ad, version_id=v.pk, revision=v.revision + 1)
    from unitbase.scheduling.calendar import crew_work_days

    days = {d["date"]: d for d in crew_work_days(crew=CrewMemberFactory(production=production))}
    assert sorted(d.strftime("%m%d") for d in days) == ["0301", "0302", "0303", "0304", "0305"]
    assert days[date(2027, 3, 4)]["label"] == "Main unit day 4 of 4 + Second unit day 1 of 2"
    assert days[date(2027, 3, 5)]["label"] == "Second unit day 2 of 2"


def test_the_feed_carries_the_exact_days_with_the_department(client, production, ad, full_calendar):
    crew = CrewMemberFactory(production=production, unit=full_calendar, start_date=date(2027, 2, 25),
                             end_date=date(2027, 3, 2))
    feed = services.feed_create(access=ad, crew_member_id=crew.pk)
    body = client.get(ical_url(production, feed.token)).content.decode().replace("\r\n ", "")
    assert dates_of(body) == ["20270225", "20270226", "20270301", "20270302"]
    assert f"SUMMARY:Schedule Test: Main unit prep — {crew.person.name} (Camera)" in body
    assert "SUMMARY:Schedule Test: Main unit travel day" in body
    assert f"SUMMARY:Schedule Test: Main unit day 1 of 4 — {crew.person.name} (Camera)" in body
