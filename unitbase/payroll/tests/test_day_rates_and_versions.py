"""Deals paid per day (day players, daily crew) through deals, timecards, export, pages and API, and
pack versions chosen by each day's date (the SAG-AFTRA 2023 agreement ends 30 June 2026, its
successor starts 1 July 2026)."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CastMemberFactory
from unitbase.core.models import AuditEvent
from unitbase.payroll import exports, services
from unitbase.payroll.calc import Deal, MealPeriod, WorkDay, evaluate_week
from unitbase.payroll.models import PayrollDeal, Timecard

from .test_api import base, client_for, send
from .test_services import WEEK_ENDING, Crew, approve_fully, t

pytestmark = pytest.mark.django_db
D = Decimal
UK = "uk-crew-bectu-pact-style"
SAG = "sag-aftra-day-performer"


@pytest.fixture
def crew():
    return Crew()


def uk_day_deal(crew, **extra):
    return services.deal_set(access=crew.access(crew.accountant), crew_member=crew.ac, pack_id=UK, rate=D("400.00"),
                             rate_unit="day", currency="GBP", **extra)


def day(acc, card, date, call="08:00", meal=("13:00", "14:00"), wrap="19:00"):
    return services.timecard_day_set(access=acc, timecard_id=card.pk, date=date, call=t(call), meal1_out=t(meal[0]),
                                     meal1_in=t(meal[1]), wrap=t(wrap))


# --- the deal must be one its pack can price ------------------------------------------------------


def test_a_day_rate_on_a_pack_without_day_rules_is_refused_and_changes_nothing(crew):
    acc = crew.access(crew.accountant)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        services.deal_set(access=acc, crew_member=crew.ac, pack_id="iatse-crew-daily-hourly", rate=D("400.00"), rate_unit="day")
    assert err.value.message_dict["rate_unit"] == [
        "Rule pack iatse-crew-daily-hourly (version 2024-08-01) has no 'day_rate' section, so it cannot pay a day rate."
        " Pick per hour, or a pack with that section (copy the pack and add it)."
    ]
    with pytest.raises(ValidationError, match="has no 'weekly' section, so it cannot pay a weekly salary"):
        services.deal_set(access=acc, crew_member=crew.ac, pack_id=SAG, rate=D("5000.00"), rate_unit="week")
    with pytest.raises(ValidationError) as err:
        services.deal_set(access=acc, crew_member=crew.ac, pack_id=UK, rate=D("400.00"), rate_unit="day", currency="USD")
    assert err.value.message_dict["currency"][0].startswith("Rule pack uk-crew-bectu-pact-style pays in GBP")
    with pytest.raises(ValidationError) as err:
        services.deal_set(access=acc, crew_member=crew.ac, pack_id=SAG, rate=D("1204.00"), rate_unit="day",
                          employment_type="weekly")
    assert "is for day_performer employment, not 'weekly'" in err.value.message_dict["employment_type"][0]
    deal = PayrollDeal.objects.get(pk=crew.deal.pk)
    assert (deal.pack_id, deal.rate, deal.rate_unit) == ("iatse-crew-daily-hourly", D("50.00"), "hour")
    assert AuditEvent.objects.count() == before


def test_day_rate_week_is_calculated_stored_and_exported(crew):
    # UK crew pack: the day rate covers 10 h, overtime 1.5x on day rate / 10 = 40.00/h.
    # Mon 08:00-19:00, lunch 13-14: 10 h = 400.00. Tue 08:00-20:00: 11 h = 400.00 + 1 h x 60.00 = 460.00.
    # Holiday pay 12.07% of 860.00 = 103.80 (employer cost, not in gross).
    deal = uk_day_deal(crew)
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    day(acc, card, dt.date(2025, 3, 3))
    day(acc, card, dt.date(2025, 3, 4), wrap="20:00")
    services.timecard_submit(access=acc, timecard_id=card.pk)
    card = approve_fully(crew, card)
    assert (card.gross, card.fringe_total, card.currency) == (D("860.00"), D("103.80"), "GBP")
    base_lines = list(card.pay_lines.filter(kind="base").order_by("order"))
    assert [(line.rule_id, line.amount, line.rate, line.hours) for line in base_lines] == [
        (f"{UK}@2024-01-01:day_rate", D("400.00"), D("400.00"), D("10.00")),
        (f"{UK}@2024-01-01:day_rate", D("400.00"), D("400.00"), D("10.00")),
    ]
    assert base_lines[0].explanation.startswith("Day rate 400.00 covers 10 h straight time")
    rows = list(csv.DictReader(io.StringIO(exports.csv_text([card]))))
    by_rule = {r["rule_id"]: r for r in rows}
    day_rate = by_rule[f"{UK}@2024-01-01:day_rate"]
    assert (day_rate["pay_element"], day_rate["hours"], day_rate["rate"], day_rate["rate_unit"], day_rate["amount"]) == (
        "base", "20", "400", "day", "800.00")
    overtime = by_rule[f"{UK}@2024-01-01:ot_1_5"]
    assert (overtime["hours"], overtime["rate"], overtime["rate_unit"], overtime["amount"]) == ("1", "60", "hour", "60.00")
    (fringe,) = [r for r in rows if r["pay_element"] == "fringe"]
    assert (fringe["rate"], fringe["rate_unit"], fringe["amount"]) == ("12.07", "percent", "103.80")
    assert sum(D(r["amount"]) for r in rows if r["pay_element"] != "fringe") == D("860.00")


def test_a_guarantee_on_a_day_rate_pays_the_unworked_hours_as_overtime(crew):
    # Guarantee 12 h on a 10 h day rate; worked 9 h (08:00-18:00, lunch 13-14): the day rate pays the
    # straight part; the unworked 10th-12th hours are 2 h x 40.00 x 1.5 = 120.00.
    deal = uk_day_deal(crew, guarantee_hours=D("12"))
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    day(acc, card, dt.date(2025, 3, 3), wrap="18:00")
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    guarantee = list(card.pay_lines.filter(kind="guarantee"))
    assert [(line.hours, line.amount) for line in guarantee] == [(D("2.00"), D("120.00"))]
    assert guarantee[0].explanation.startswith("Deal guarantee 12.00 h, worked 9.0 h")
    assert card.gross == D("520.00")


def test_deal_page_shows_the_rate_unit_error_on_its_field(client, crew):
    client.force_login(crew.accountant)
    url = reverse("payroll:deal_edit", args=[crew.production.pk, "crew", crew.ac.pk])
    data = {"pack_id": "iatse-crew-daily-hourly", "rate": "400.00", "rate_unit": "day", "currency": "USD",
            "guarantee_hours": "", "employment_type": "", "jurisdiction": "", "allowances": ""}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "has no &#x27;day_rate&#x27; section, so it cannot pay a day rate" in response.content.decode()
    assert PayrollDeal.objects.get(pk=crew.deal.pk).rate_unit == "hour"
    assert client.post(url, {**data, "pack_id": UK, "currency": "GBP"}).status_code == 302
    assert PayrollDeal.objects.get(pk=crew.deal.pk).rate_unit == "day"
    page = client.get(reverse("payroll:deals", args=[crew.production.pk])).content.decode()
    assert "GBP 400.00 per day" in page


@pytest.mark.urls("unitbase.payroll.tests.test_api")
def test_api_day_rate_deal_card_and_refusal(crew):
    accountant = client_for(crew.accountant)
    refused = send(accountant, "post", f"{base(crew)}/payroll/deals", {
        "crew_member_id": crew.ac.pk, "pack_id": "iatse-crew-daily-hourly", "rate": "400.00", "rate_unit": "day"})
    assert refused.status_code == 422
    assert "cannot pay a day rate" in json.dumps(refused.json())
    assert PayrollDeal.objects.get(pk=crew.deal.pk).rate_unit == "hour"
    made = send(accountant, "post", f"{base(crew)}/payroll/deals", {
        "crew_member_id": crew.ac.pk, "pack_id": UK, "rate": "400.00", "rate_unit": "day", "currency": "GBP"})
    assert made.status_code == 200 and made.json()["rate_unit"] == "day"
    me = client_for(crew.crew_user)
    card = send(me, "post", f"{base(crew)}/timecards", {"deal_id": crew.deal.pk, "week_ending": "2025-03-08", "days": [
        {"date": "2025-03-03", "call": "08:00", "meals": [["13:00", "14:00"]], "wrap": "20:00"}]})
    assert card.status_code == 201, card.content
    preview = send(me, "post", f"{base(crew)}/timecards/{card.json()['id']}/preview").json()
    assert preview["gross"] == "460.00"
    assert any(line["rule_id"] == f"{UK}@2024-01-01:day_rate" for d in preview["days"] for line in d["lines"])


# --- versions by work date ------------------------------------------------------------------------


def test_a_week_across_1_july_2026_uses_each_days_version():
    # Mon 29 June - Thu 2 July 2026, 07:00-17:30 with a 30-min meal: 10 h = 1,200 + 2 h x 150 x 1.5 = 1,650 a day.
    def sag_day(date):
        at = lambda hhmm: dt.datetime.combine(date, dt.time.fromisoformat(hhmm))  # noqa: E731
        return WorkDay(date=date, call=at("07:00"), wrap=at("17:30"), meals=(MealPeriod(at("13:00"), at("13:30")),))

    dates = [dt.date(2026, 6, 29) + dt.timedelta(days=i) for i in range(4)]
    week = evaluate_week([sag_day(d) for d in dates], Deal(rate=D("1200.00"), rate_unit="day", pack_id=SAG))
    assert [f"{r.pack_id}@{r.pack_version}" for r in week.days] == [
        f"{SAG}@2023-11-09", f"{SAG}@2023-11-09", f"{SAG}@2026-07-01", f"{SAG}@2026-07-01"]
    assert {line.rule_id.split(":")[0] for line in week.days[2].lines} == {f"{SAG}@2026-07-01"}
    assert [r.gross for r in week.days] == [D("1650.00")] * 4


def test_a_cast_card_across_the_boundary_stores_both_versions(crew):
    acc = crew.access(crew.accountant)
    cast = CastMemberFactory(production=crew.production, cast_number=3, character="JUNE")
    deal = services.deal_set(access=acc, cast_member=cast, pack_id=SAG, rate=D("1200.00"), rate_unit="day")
    card = services.timecard_create(access=acc, deal=deal, week_ending=dt.date(2026, 7, 4))
    for date in (dt.date(2026, 6, 30), dt.date(2026, 7, 1)):
        services.timecard_day_set(access=acc, timecard_id=card.pk, date=date, call=t("07:00"), meal1_out=t("13:00"),
                                  meal1_in=t("13:30"), wrap=t("17:30"))
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.pack_versions == f"{SAG}@2023-11-09, {SAG}@2026-07-01"
    by_date = {line.date: line.rule_id for line in card.pay_lines.filter(kind="base")}
    assert by_date == {dt.date(2026, 6, 30): f"{SAG}@2023-11-09:day_rate", dt.date(2026, 7, 1): f"{SAG}@2026-07-01:day_rate"}
    assert Timecard.objects.get(pk=card.pk).gross == D("3300.00")


# --- the demo -------------------------------------------------------------------------------------


def test_demo_gives_cast_day_rate_deals_and_cards_from_the_production_report(crew):
    from unitbase.callsheets.models import DailyReport
    from unitbase.people.models import CrewMember

    from .test_gaps import dpr

    CrewMember.objects.update(rate_amount=None)  # crew are covered by test_demo_seed_payroll_gives_deals_and_cards
    acc = crew.access(crew.accountant)
    maya = CastMemberFactory(production=crew.production, cast_number=1, character="MAYA", rate_amount=D("1200.00"),
                             rate_unit="day", rate_currency="GBP")
    held = CastMemberFactory(production=crew.production, cast_number=2, character="OWEN", rate_amount=D("900.00"),
                             rate_unit="day", rate_currency="GBP")
    # Exhibit G line for Tuesday: report 08:00, meal 13:00-14:00, dismissed 19:00 = 10 h worked:
    # 1,200.00 + 1 h x 1,200 / 9 x 1.5 = 1,400.00 under the UK performer pack.
    dpr(crew, maya, dt.date(2025, 3, 4), status=DailyReport.Status.APPROVED, status_code="SW", report_time=t("08:00"),
        meal_out=t("13:00"), meal_in=t("14:00"), dismissed=t("19:00"))
    from tests.factories import member
    from unitbase.productions.authority import Role

    pm = crew.access(member(crew.production, Role.PRODUCTION_MANAGER).user)
    made = services.demo_seed_payroll(access=acc, week_ending=WEEK_ENDING, cards=0, approver=pm)
    assert [c.deal.cast_member_id for c in made] == [maya.pk]  # OWEN has no production report times
    deal = PayrollDeal.objects.get(cast_member=held)
    assert (deal.pack_id, deal.rate, deal.rate_unit, deal.currency) == (services.DEMO_CAST_PACK, D("900.00"), "day", "GBP")
    assert (deal.budget_account_code, deal.fringe_account_code) == ("1401", "1999")  # cast no. 2: principal
    card = Timecard.objects.get(pk=made[0].pk)
    assert card.status == "approved"  # cast cards have no department step; the PM approves what the accountant entered
    assert card.days.get().call == t("08:00") and "production report of 04 Mar" in card.days.get().notes
    assert (card.gross, card.currency) == (D("1400.00"), "GBP")
    assert "budget" in card.cost_posting_note  # this test production has no budget to post to: said on the card
    assert card.pay_lines.filter(rule_id=f"{services.DEMO_CAST_PACK}@2024-01-01:day_rate").exists()
    assert services.demo_seed_payroll(access=acc, week_ending=WEEK_ENDING, cards=0) == []


def test_labour_and_fringes_post_together_or_not_at_all(crew):
    from tests.factories import member
    from unitbase.budgets import services as budget_services
    from unitbase.budgets.models import Transaction
    from unitbase.productions.authority import Role

    upm = crew.access(member(crew.production, Role.UPM).user)
    chart = budget_services.chart_load_standard(access=upm, kind="feature")
    budget_services.budget_create(access=upm, chart_id=chart.pk, name="Shooting", base_currency="GBP")
    deal = services.deal_set(access=crew.access(crew.accountant), crew_member=crew.ac, pack_id=UK, rate=D("400.00"),
                             rate_unit="day", currency="GBP", budget_account_code="3301", fringe_account_code="9998")
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    day(acc, card, dt.date(2025, 3, 3))
    services.timecard_submit(access=acc, timecard_id=card.pk)
    card = approve_fully(crew, card)
    card.refresh_from_db()
    # Labour (400.00 to 3301) would post, the holiday pay's account 9998 does not exist: neither is posted.
    assert card.status == "approved" and card.cost_posted is None
    assert card.cost_posting_note.startswith("Not posted to the budget:") and "9998" in card.cost_posting_note
    assert not Transaction.objects.filter(production=crew.production).exists()
