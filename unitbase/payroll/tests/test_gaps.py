"""Labour posted to the budget, cast times from the production report, rate changes, rest inputs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import CastMemberFactory
from unitbase.budgets import services as budget_services
from unitbase.budgets.models import Transaction
from unitbase.callsheets.models import DailyReport, DailyReportCastTime
from unitbase.payroll import services
from unitbase.payroll.models import PayrollDealRate, TimecardDay, TimecardStatus

from .test_services import WEEK_ENDING, Crew, approve_fully, meal_day, t

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def crew():
    return Crew()


def with_budget(crew):
    from tests.factories import member
    from unitbase.productions.authority import Role

    upm = crew.access(member(crew.production, Role.UPM).user)
    chart = budget_services.chart_load_standard(access=upm, kind="feature")
    return budget_services.budget_create(access=upm, chart_id=chart.pk, name="Shooting", base_currency="USD")


def submitted_card(crew, **day):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card, **day)
    return services.timecard_submit(access=acc, timecard_id=card.pk)


def set_accounts(crew, budget="3301", fringe=""):
    acc = crew.access(crew.accountant)
    return services.deal_set(access=acc, crew_member=crew.ac, pack_id="iatse-crew-daily-hourly", rate=D("50.00"),
                             rate_unit="hour", jurisdiction="US-CA", budget_account_code=budget, fringe_account_code=fringe)


def test_approval_posts_labour_to_the_deal_account_and_a_correction_posts_the_difference(crew):
    with_budget(crew)
    set_accounts(crew, "3301")
    card = submitted_card(crew)
    assert not Transaction.objects.filter(production=crew.production).exists()  # submitted: not yet actual
    approve_fully(crew, card)
    card.refresh_from_db()
    txns = list(Transaction.objects.filter(production=crew.production))
    assert [(x.account_code, x.amount, x.source, x.reference, x.date) for x in txns] == [
        ("3301", D("712.50"), "payroll", f"TC {card.pk}", WEEK_ENDING)]
    assert card.cost_posted == D("712.50") and card.cost_posting_note == ""

    acc = crew.access(crew.crew_user)
    rev = services.timecard_correct(access=acc, timecard_id=card.pk)
    services.timecard_day_set(access=acc, timecard_id=rev.pk, date=dt.date(2025, 3, 4), call=t("07:00"),
                              meal1_out=t("13:00"), meal1_in=t("13:30"), wrap=t("19:00"), zone="studio_zone")
    services.timecard_submit(access=acc, timecard_id=rev.pk)
    approve_fully(crew, rev)
    rev.refresh_from_db()
    assert rev.status == TimecardStatus.APPROVED
    delta = rev.gross - card.gross
    assert delta < 0  # no meal penalty any more
    assert list(Transaction.objects.filter(reference=f"TC {rev.pk}").values_list("amount", flat=True)) == [delta]
    total = sum(Transaction.objects.filter(production=crew.production).values_list("amount", flat=True))
    assert total == rev.gross


def test_labour_without_an_account_or_a_budget_is_approved_and_noted(crew):
    card = submitted_card(crew)
    approve_fully(crew, card)
    card.refresh_from_db()
    assert card.status == TimecardStatus.APPROVED and card.cost_posted is None
    assert "no budget account" in card.cost_posting_note
    set_accounts(crew, "3301")  # an account, but no budget yet
    card2 = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING + dt.timedelta(7))
    meal_day(crew.access(crew.crew_user), card2, date=dt.date(2025, 3, 11))
    services.timecard_submit(access=crew.access(crew.crew_user), timecard_id=card2.pk)
    approve_fully(crew, card2)
    card2.refresh_from_db()
    assert card2.status == TimecardStatus.APPROVED and "Create a budget first" in card2.cost_posting_note
    assert not Transaction.objects.exists()


def test_committed_and_actual_labour_by_account(crew):
    from unitbase.payroll import selectors

    with_budget(crew)
    set_accounts(crew, "3301")
    card = submitted_card(crew)
    rows = selectors.labour_cost_by_account(access=crew.access(crew.accountant))
    assert [(r.account_code, r.committed, r.actual) for r in rows] == [("3301", D("712.50"), D("0.00"))]
    approve_fully(crew, card)
    rows = selectors.labour_cost_by_account(access=crew.access(crew.accountant))
    assert [(r.account_code, r.committed, r.actual) for r in rows] == [("3301", D("0.00"), D("712.50"))]


def test_rate_change_inside_a_week_through_the_service(crew):
    acc = crew.access(crew.accountant)
    with pytest.raises(PermissionDenied):
        services.deal_rate_set(access=crew.access(crew.crew_user), deal_id=crew.deal2.pk,
                               effective_from=dt.date(2025, 3, 5), rate=D("60.00"))
    assert not PayrollDealRate.objects.exists()
    services.deal_rate_set(access=acc, deal_id=crew.deal2.pk, effective_from=dt.date(2025, 3, 5), rate=D("60.00"))
    own = crew.access(crew.other_user)
    card = services.timecard_create(access=own, deal=crew.deal2, week_ending=WEEK_ENDING)
    for day in (3, 4, 5):
        services.timecard_day_set(access=own, timecard_id=card.pk, date=dt.date(2025, 3, day), call=t("07:00"),
                                  meal1_out=t("12:00"), meal1_in=t("12:30"), wrap=t("16:30"), zone="studio_zone")
    card = services.timecard_calculate(access=own, timecard_id=card.pk)
    # 40.00 to Tuesday: 8 x 40 + 1 x 60 = 380.00; Wednesday at 60.00: 8 x 60 + 1 x 90 = 570.00
    assert [d.gross for d in card.days.all()] == [D("380.00"), D("380.00"), D("570.00")]
    assert card.gross == D("1330.00")


def test_weekly_rest_input_and_unknown_rest_reduction(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    with pytest.raises(ValidationError) as err:
        meal_day(acc, card, rest_reduction="made-up")
    assert err.value.message_dict["rest_reduction"] == ["The pack iatse-crew-daily-hourly has no rest reduction 'made-up'."]
    assert not TimecardDay.objects.filter(timecard=card).exists()
    meal_day(acc, card)
    # Dismissed Sunday 20:00 Pacific (04:00 UTC Monday), call Tuesday 07:00: 35 h, so the 10 h daily
    # rest is met but not the 54 h weekend rest after a 5-day week.
    dismissal = dt.datetime(2025, 3, 3, 4, 0, tzinfo=dt.UTC)
    services.timecard_update(access=acc, timecard_id=card.pk, previous_dismissal=dismissal)
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.days.get().rest_shortfall_hours is None
    services.timecard_update(access=acc, timecard_id=card.pk, previous_dismissal=dismissal, previous_week_days_worked=5)
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.previous_week_days_worked == 5
    assert card.days.get().rest_shortfall_hours == D("19.00")
    with pytest.raises(ValidationError):
        services.timecard_update(access=acc, timecard_id=card.pk, previous_dismissal=None, previous_week_days_worked=9)
    card.refresh_from_db()
    assert card.previous_dismissal == dismissal and card.previous_week_days_worked == 5


def test_rest_reduction_shortens_the_required_rest(crew):
    _cast, _deal, card = cast_card(crew)
    acc = crew.access(crew.accountant)
    # Dismissed Monday 22:00, called Tuesday 09:00: 11 h against the SAG-AFTRA 12 h.
    services.timecard_update(access=acc, timecard_id=card.pk,
                             previous_dismissal=dt.datetime(2025, 3, 4, 6, 0, tzinfo=dt.UTC))
    services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 4), call=t("09:00"),
                              meal1_out=t("14:00"), meal1_in=t("14:30"), wrap=t("17:00"))
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.days.get().rest_shortfall_hours == D("1.00")
    services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 4), call=t("09:00"),
                              meal1_out=t("14:00"), meal1_in=t("14:30"), wrap=t("17:00"), rest_reduction="location_exterior")
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.days.get().rest_shortfall_hours is None  # reduced to 10 h
    assert not card.pay_lines.filter(kind__in=["rest", "forced_call"]).exists()


def cast_card(crew):
    acc = crew.access(crew.accountant)
    cast = CastMemberFactory(production=crew.production, cast_number=1, character="MAYA")
    deal = services.deal_set(access=acc, cast_member=cast, pack_id="sag-aftra-day-performer", rate=D("1204.00"), rate_unit="day")
    return cast, deal, services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)


def dpr(crew, cast, date, status=DailyReport.Status.DRAFT, unit=None, **times):
    unit = unit or crew.production.units.first()
    report = DailyReport.objects.create(production=crew.production, unit=unit, shoot_date=date, day_number=1,
                                        total_days=20, status=status)
    return DailyReportCastTime.objects.create(report=report, cast_member=cast, cast_number=1, character="MAYA",
                                              actor=cast.person.name, **times)


def test_cast_times_come_from_the_production_report(crew):
    cast, _deal, card = cast_card(crew)
    acc = crew.access(crew.accountant)
    with pytest.raises(ValidationError, match="No production report"):
        services.timecard_import_dpr(access=acc, timecard_id=card.pk)
    dpr(crew, cast, dt.date(2025, 3, 4), status_code="W", report_time=t("06:00"), on_set=t("07:00"),
        meal_out=t("12:30"), meal_in=t("13:00"), dismissed=t("18:00"), travel_out=t("05:15"))
    dpr(crew, cast, dt.date(2025, 3, 5), status_code="H")  # a hold day: no times
    dpr(crew, cast, dt.date(2025, 3, 12), report_time=t("06:00"), dismissed=t("18:00"))  # next week
    dates = services.timecard_import_dpr(access=acc, timecard_id=card.pk)
    assert dates == [dt.date(2025, 3, 4)]
    day = card.days.get()
    assert (day.call, day.meal1_out, day.meal1_in, day.wrap) == (t("06:00"), t("12:30"), t("13:00"), t("18:00"))
    assert "production report of 04 Mar" in day.notes and "status W" in day.notes
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.gross > D("1204.00")  # 11.5 h worked: overtime on a day performer


def test_dpr_import_refused_for_crew_and_for_others_changes_nothing(crew):
    cast, _deal, card = cast_card(crew)
    dpr(crew, cast, dt.date(2025, 3, 4), report_time=t("06:00"), dismissed=t("18:00"))
    with pytest.raises(PermissionDenied):
        services.timecard_import_dpr(access=crew.access(crew.crew_user), timecard_id=card.pk)
    assert not card.days.exists()
    crew_card = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    with pytest.raises(ValidationError, match="Only cast"):
        services.timecard_import_dpr(access=crew.access(crew.crew_user), timecard_id=crew_card.pk)


# --- pages ----------------------------------------------------------------------------------------


def _url(name, production, *args):
    from django.urls import reverse

    return reverse(f"payroll:{name}", args=[production.pk, *args])


def test_deal_page_sets_accounts_and_a_rate_change(client, crew):
    client.force_login(crew.accountant)
    page = _url("deal_edit", crew.production, "crew", crew.ac2.pk)
    base = {"pack_id": "iatse-crew-daily-hourly", "rate": "40.00", "rate_unit": "hour", "currency": "USD",
            "budget_account_code": "3301", "fringe_account_code": "3399"}
    response = client.post(page, {**base, "rate_change_from": "2025-03-05"})
    assert response.status_code == 422 and b"Enter both the new rate" in response.content
    assert not PayrollDealRate.objects.exists()
    response = client.post(page, {**base, "rate_change_from": "2025-03-05", "rate_change_rate": "60.00"})
    assert response.status_code == 302
    crew.deal2.refresh_from_db()
    assert (crew.deal2.budget_account_code, crew.deal2.fringe_account_code) == ("3301", "3399")
    change = crew.deal2.rate_changes.get()
    assert (change.effective_from, change.rate) == (dt.date(2025, 3, 5), D("60.00"))
    assert b"remove" in client.get(page).content
    client.post(page, {**base, "remove_rate": str(change.pk)})
    assert not crew.deal2.rate_changes.exists()
    # Someone without production scope changes nothing.
    client.force_login(crew.camera_head)
    assert client.post(page, {**base, "rate_change_from": "2025-03-05", "rate_change_rate": "99.00"}).status_code == 403
    assert not PayrollDealRate.objects.exists()


def test_week_form_takes_weekly_rest_and_rest_reduction(client, crew):
    _cast, _deal, card = cast_card(crew)
    client.force_login(crew.accountant)
    page = _url("edit", crew.production, card.pk)
    assert b'name="d20250304-rest_reduction"' in client.get(page).content
    data = {"previous_dismissal": "2025-03-03T22:00", "previous_week_days_worked": "5", "note": "", "save": "1"}
    for date in card.week_dates():
        for field in ("call", "meal1_out", "meal1_in", "meal2_out", "meal2_in", "wrap", "travel_start", "travel_end",
                      "zone", "notes", "rest_reduction"):
            data[f"d{date:%Y%m%d}-{field}"] = ""
    data.update({"d20250304-call": "09:00", "d20250304-wrap": "17:00", "d20250304-rest_reduction": "location_exterior"})
    assert client.post(page, data).status_code == 302
    card.refresh_from_db()
    assert card.previous_week_days_worked == 5
    assert card.days.get().rest_reduction == "location_exterior"
    data["previous_week_days_worked"] = "8"
    assert client.post(page, data).status_code == 422


def test_import_button_and_xlsx_export(client, crew):
    from io import BytesIO

    from openpyxl import load_workbook

    cast, _deal, card = cast_card(crew)
    dpr(crew, cast, dt.date(2025, 3, 4), report_time=t("06:00"), meal_out=t("12:00"), meal_in=t("12:30"), dismissed=t("16:00"))
    client.force_login(crew.accountant)
    assert b"Take times from the production report" in client.get(_url("detail", crew.production, card.pk)).content
    response = client.post(_url("import_dpr", crew.production, card.pk), follow=True)
    assert b"Times taken from the production report for Tue 04 Mar" in response.content
    assert card.days.get().call == t("06:00")

    approved = submitted_card(crew)
    approve_fully(crew, approved)
    response = client.get(_url("export_xlsx", crew.production) + "?week_ending=2025-03-08")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("production", "week_ending", "person", "department", "position", "pay_element")
    assert rows[0][8:11] == ("rate", "rate_unit", "amount")
    amounts = [r[10] for r in rows[1:] if r[5] != "fringe"]
    assert sum(D(str(a)) for a in amounts) == D("712.50")
    client.force_login(crew.crew_user)
    assert client.get(_url("export_xlsx", crew.production)).status_code == 403


def test_demo_seed_payroll_gives_deals_and_cards(crew):
    acc = crew.access(crew.accountant)
    from unitbase.people.models import CrewMember

    CrewMember.objects.filter(production=crew.production).update(rate_amount=D("1500.00"), rate_unit="week", rate_currency="GBP")
    made = services.demo_seed_payroll(access=acc, week_ending=WEEK_ENDING, cards=2, submit=2, approve=1)
    assert len(made) == 2 and all(c.days.count() == 5 for c in made)
    statuses = sorted(c.status for c in services.Timecard.objects.filter(pk__in=[c.pk for c in made]))
    assert statuses == ["submitted", "submitted"]  # the department heads decide first
    again = services.demo_seed_payroll(access=acc, week_ending=WEEK_ENDING, cards=2)
    assert again == []
