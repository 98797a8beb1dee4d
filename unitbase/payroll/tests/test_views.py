"""Timecard pages: rendering, the week form (422 on bad times, nothing saved), scoping and 403s,
approval buttons, deals and rule packs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unitbase.payroll import services
from unitbase.payroll.models import PayrollDeal, PayrollPack, Timecard, TimecardDay, TimecardStatus

from .test_services import WEEK_ENDING, Crew, approve_fully, meal_day

pytestmark = pytest.mark.django_db


def url(name, production, *args):
    return reverse(f"payroll:{name}", args=[production.pk, *args])


@pytest.fixture
def crew():
    return Crew()


def week_post(card, **days):
    """POST data for the week form; days maps 'YYYY-MM-DD' to field values."""
    data = {"previous_dismissal": "", "note": "", "save": "1"}
    for date in card.week_dates():
        values = days.get(date.isoformat(), {})
        for field in ("call", "meal1_out", "meal1_in", "meal2_out", "meal2_in", "wrap", "travel_start", "travel_end",
                      "zone", "notes"):
            data[f"d{date:%Y%m%d}-{field}"] = values.get(field, "")
    return data


def test_pages_render_for_each_role(client, crew):
    card = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(crew.access(crew.crew_user), card)
    client.force_login(crew.crew_user)
    for name, args in [("mine", []), ("detail", [card.pk]), ("edit", [card.pk]), ("packs", [])]:
        response = client.get(url(name, crew.production, *args))
        assert response.status_code == 200, name
    response = client.get(url("detail", crew.production, card.pk))
    assert "Meal penalty 2: first meal due 13:00, taken 13:42" in response.content.decode()
    client.force_login(crew.accountant)
    for name, args in [("cards", []), ("deals", []), ("deal_edit", ["crew", crew.ac.pk]),
                       ("pack_shipped", ["iatse-crew-daily-hourly", "2024-08-01"])]:
        response = client.get(url(name, crew.production, *args))
        assert response.status_code == 200, name


def test_week_form_saves_days_and_refuses_bad_times(client, crew):
    card = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    client.force_login(crew.crew_user)
    good = week_post(card, **{
        "2025-03-03": {"call": "07:00", "meal1_out": "13:00", "meal1_in": "13:30", "wrap": "19:00", "zone": "studio_zone"},
        "2025-03-04": {"call": "18:00", "meal1_out": "23:30", "meal1_in": "00:00", "wrap": "04:00"},
    })
    response = client.post(url("edit", crew.production, card.pk), good)
    assert response.status_code == 302
    assert list(card.days.values_list("date", flat=True)) == [dt.date(2025, 3, 3), dt.date(2025, 3, 4)]
    bad = week_post(card, **{
        "2025-03-03": {"call": "07:00", "wrap": "19:00"},
        "2025-03-05": {"call": "07:00", "meal1_out": "13:00", "meal1_in": "12:30", "wrap": "19:00"},
    })
    response = client.post(url("edit", crew.production, card.pk), bad)
    assert response.status_code == 422
    assert "1st meal in 12:30 is before 1st meal out 13:00." in response.content.decode()
    # Nothing of the refused week was saved: 4 March is still there, 3 March still has its meal.
    assert card.days.count() == 2 and card.days.get(date=dt.date(2025, 3, 3)).meal1_out == dt.time(13, 0)
    response = client.post(url("edit", crew.production, card.pk), week_post(card, **{"2025-03-06": {"call": "07:00"}}))
    assert response.status_code == 422 and "Enter the wrap time." in response.content.decode()


def test_crew_cannot_see_or_edit_another_persons_card(client, crew):
    other = services.timecard_create(access=crew.access(crew.other_user), deal=crew.deal2, week_ending=WEEK_ENDING)
    client.force_login(crew.crew_user)
    assert client.get(url("detail", crew.production, other.pk)).status_code == 404
    response = client.post(url("edit", crew.production, other.pk), week_post(other, **{"2025-03-03": {"call": "07:00", "wrap": "19:00"}}))
    assert response.status_code == 404
    assert not TimecardDay.objects.filter(timecard=other).exists()
    response = client.post(url("create", crew.production), {"deal": crew.deal2.pk, "week_ending": "2025-03-15"})
    assert response.status_code == 422
    assert not Timecard.objects.filter(deal=crew.deal2, week_ending=dt.date(2025, 3, 15)).exists()
    assert client.get(url("cards", crew.production)).status_code == 302  # crew have no list beyond their own


def test_department_head_sees_only_department(client, crew):
    camera = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    grip = services.timecard_create(access=crew.access(crew.grip_head), deal=crew.grip_deal, week_ending=WEEK_ENDING)
    client.force_login(crew.camera_head)
    page = client.get(url("cards", crew.production)).content.decode()
    assert url("detail", crew.production, camera.pk) in page and url("detail", crew.production, grip.pk) not in page
    assert client.get(url("detail", crew.production, grip.pk)).status_code == 404


def test_submit_and_two_step_approval_through_pages(client, crew):
    card = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(crew.access(crew.crew_user), card)
    client.force_login(crew.crew_user)
    assert client.post(url("submit", crew.production, card.pk)).status_code == 302
    # The crew member's own approve is refused by the matrix (403) and changes nothing.
    assert client.post(url("approve", crew.production, card.pk)).status_code == 403
    card.refresh_from_db()
    assert card.status == TimecardStatus.SUBMITTED and card.department_approved_at is None
    client.force_login(crew.grip_head)
    assert client.post(url("approve", crew.production, card.pk)).status_code == 404
    client.force_login(crew.camera_head)
    assert "Your decision" in client.get(url("detail", crew.production, card.pk)).content.decode()
    client.post(url("approve", crew.production, card.pk))
    client.force_login(crew.accountant)
    response = client.post(url("reject", crew.production, card.pk), {"reason": ""})
    assert response.status_code == 422
    client.post(url("approve", crew.production, card.pk))
    card.refresh_from_db()
    assert card.status == TimecardStatus.APPROVED


def test_deal_page_sets_a_deal_and_is_refused_to_heads(client, crew):
    client.force_login(crew.camera_head)
    data = {"pack_id": "iatse-crew-daily-hourly", "rate": "77.00", "rate_unit": "hour", "currency": "USD",
            "guarantee_hours": "10", "employment_type": "", "jurisdiction": "", "allowances": "KIT: 25"}
    assert client.post(url("deal_edit", crew.production, "crew", crew.ac.pk), data).status_code == 403
    assert PayrollDeal.objects.get(pk=crew.deal.pk).rate == Decimal("50.00")
    client.force_login(crew.accountant)
    assert client.post(url("deal_edit", crew.production, "crew", crew.ac.pk), {**data, "allowances": "KIT"}).status_code == 422
    assert client.post(url("deal_edit", crew.production, "crew", crew.ac.pk), data).status_code == 302
    deal = PayrollDeal.objects.get(pk=crew.deal.pk)
    assert (deal.rate, deal.guarantee_hours, deal.allowances) == (Decimal("77.00"), Decimal("10.00"), {"KIT": "25"})


def test_broken_pack_copy_shows_field_path_and_saves_nothing(client, crew):
    client.force_login(crew.accountant)
    response = client.post(url("pack_copy", crew.production), {"source": "sag-aftra-day-performer", "new_id": "sag-ours"})
    pack = PayrollPack.objects.get(pack_id="sag-ours")
    assert response.status_code == 302 and response.url == url("pack_edit", crew.production, pack.pk)
    broken = pack.yaml_text.replace("currency: USD", "currency: dollars", 1)
    response = client.post(url("pack_edit", crew.production, pack.pk), {"yaml_text": broken})
    assert response.status_code == 422
    line = next(n for n, row in enumerate(broken.splitlines(), start=1) if "currency: dollars" in row)
    assert f"rule_set.currency (line {line}): String should match pattern" in response.content.decode()
    assert PayrollPack.objects.get(pk=pack.pk).yaml_text == pack.yaml_text
    client.force_login(crew.camera_head)
    assert client.post(url("pack_edit", crew.production, pack.pk), {"yaml_text": pack.yaml_text + "\n"}).status_code == 403


def test_correction_page_flow(client, crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    services.timecard_submit(access=acc, timecard_id=card.pk)
    approve_fully(crew, card)
    client.force_login(crew.crew_user)
    response = client.post(url("correct", crew.production, card.pk))
    new = Timecard.objects.get(previous=card)
    assert response.status_code == 302 and response.url == url("edit", crew.production, new.pk)


def test_cards_list_query_count_does_not_grow_with_cards(client, crew, django_assert_max_num_queries):
    def add(deal, user, week):
        acc = crew.access(user)
        card = services.timecard_create(access=acc, deal=deal, week_ending=week)
        meal_day(acc, card, date=week - dt.timedelta(days=3))
        services.timecard_submit(access=acc, timecard_id=card.pk)

    add(crew.deal, crew.crew_user, WEEK_ENDING)
    client.force_login(crew.accountant)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("cards", crew.production)).status_code == 200
    add(crew.deal2, crew.other_user, WEEK_ENDING)
    add(crew.grip_deal, crew.grip_head, WEEK_ENDING)
    add(crew.deal, crew.crew_user, WEEK_ENDING + dt.timedelta(days=7))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url("cards", crew.production)).content.decode()
    # Only the grip head's own card skipped its department step; the others wait for their head.
    assert page.count('class="button small"') == 1


def test_edited_pack_copy_runs_its_own_cases_then_prices_a_deal(client, crew):
    """Copy the UK crew pack, raise the late-meal payment: refused while the pack's own meal case
    still expects 10.00 (the case is named with its line); saved once the case agrees; a deal on the
    copy is then paid under it."""
    client.force_login(crew.accountant)
    client.post(url("pack_copy", crew.production), {"source": "uk-crew-bectu-pact-style", "new_id": "uk-crew-our-show"})
    pack = PayrollPack.objects.get(pack_id="uk-crew-our-show")
    raised = pack.yaml_text.replace("schedule: [10.00]", "schedule: [12.00]")
    response = client.post(url("pack_edit", crew.production, pack.pk), {"yaml_text": raised})
    assert response.status_code == 422
    line = next(n for n, row in enumerate(raised.splitlines(), start=1) if "name: late meal" in row)
    page = response.content.decode()
    assert (f"rule_set.tests.1 &#x27;late meal - due 14:00, taken 14:30, one unit&#x27; (line {line}):"
            " amounts[meal_penalty]: expected 10.00, got 12.00; gross: expected 410.00, got 412.00") in page
    assert PayrollPack.objects.get(pk=pack.pk).yaml_text == pack.yaml_text
    fixed = raised.replace("amounts: { meal_penalty: 10.00 }\n        gross: 410.00", "amounts: { meal_penalty: 12.00 }\n        gross: 412.00")
    fixed = fixed.replace("meal_penalty: 60.00 }\n        gross: 720.00", "meal_penalty: 72.00 }\n        gross: 732.00")
    response = client.post(url("pack_edit", crew.production, pack.pk), {"yaml_text": fixed})
    assert response.status_code == 302, response.content.decode()[:3000]
    acc = crew.access(crew.accountant)
    deal = services.deal_set(access=acc, crew_member=crew.grip, pack_id="uk-crew-our-show", rate=Decimal("400.00"),
                             rate_unit="day", currency="GBP")
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 4), call=dt.time(8),
                              meal1_out=dt.time(14, 30), meal1_in=dt.time(15, 30), wrap=dt.time(19))
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.pay_lines.get(kind="meal_penalty").rule_id == "uk-crew-our-show@2024-01-01:meal_penalty"
    assert card.gross == Decimal("412.00")
