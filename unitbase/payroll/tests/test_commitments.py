"""Labour commitments: the unpaid rest of each payroll deal appears in its budget account's
commitments on the cost report (unitbase/payroll/commitments.py, registered in PayrollConfig.ready())."""

import datetime as dt
from decimal import Decimal

import pytest

from unitbase.budgets import commitment_sources, costreport
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.payroll.commitments import deal_value, labour_commitments
from unitbase.payroll.models import PayrollDeal, PayrollDealRate, Timecard, TimecardStatus
from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.productions.models import Department, Position

D = Decimal


@pytest.fixture
def staff(db):
    return make_staff()


def hire(staff, name, start, end, rate, unit, account="3301", guarantee=None):
    dept = Department.objects.get_or_create(production=staff.production, name="Camera")[0]
    pos = Position.objects.get_or_create(production=staff.production, department=dept, name="DP")[0]
    person = Person.objects.create(production=staff.production, name=name)
    crew = CrewMember.objects.create(production=staff.production, person=person, department=dept, position=pos,
                                     start_date=start, end_date=end)
    return PayrollDeal.objects.create(production=staff.production, crew_member=crew, pack_id="iatse-crew-weekly",
                                      rate=D(rate), rate_unit=unit, currency="USD", guarantee_hours=guarantee,
                                      budget_account_code=account)


def test_provider_is_registered():
    assert "labour" in [s.key for s in commitment_sources.sources()]


def test_deal_value_counts_working_days_at_the_rate_in_force(staff):
    # Mon 3 Mar – Fri 14 Mar 2025: 10 working days. Weekly 5,000 = 1,000 a day; from 10 Mar 6,000 a week.
    deal = hire(staff, "Ada", dt.date(2025, 3, 3), dt.date(2025, 3, 14), "5000", "week")
    assert deal_value(deal, dt.date(2025, 3, 3), dt.date(2025, 3, 14)) == D("10000.00")
    PayrollDealRate.objects.create(deal=deal, effective_from=dt.date(2025, 3, 10), rate=D("6000"))
    deal = PayrollDeal.objects.prefetch_related("rate_changes").get(pk=deal.pk)
    assert deal_value(deal, dt.date(2025, 3, 3), dt.date(2025, 3, 14)) == D("11000.00")
    hourly = hire(staff, "Bo", dt.date(2025, 3, 3), dt.date(2025, 3, 7), "40", "hour", guarantee=D("12"))
    assert deal_value(hourly, dt.date(2025, 3, 3), dt.date(2025, 3, 7)) == D("2400.00")  # 5 × 12 h × 40


def test_labour_commitment_is_deal_value_less_approved_gross(staff):
    deal = hire(staff, "Ada", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "5000", "week")  # 4 weeks = 20,000
    # Commitments are as of a date: a deal created later than it commits nothing yet.
    assert labour_commitments(staff.production, dt.date(2020, 1, 1)) == []
    today = dt.date.today()
    [c] = labour_commitments(staff.production, today)
    assert (c.account_code, c.amount, c.currency, c.source) == ("3301", D("20000.00"), "USD", "labour")
    Timecard.objects.create(production=staff.production, deal=deal, week_ending=dt.date(2025, 3, 9),
                            status=TimecardStatus.APPROVED, gross=D("5200.00"), currency="USD")
    Timecard.objects.create(production=staff.production, deal=deal, week_ending=dt.date(2025, 3, 16),
                            status=TimecardStatus.SUBMITTED, gross=D("5000.00"), currency="USD")  # not approved
    [c] = labour_commitments(staff.production, today)
    assert c.amount == D("14800.00")
    # The cost report adds it to 3301's commitments (the report's own week is far ahead).
    report = costreport.compute(staff.budget, today + dt.timedelta(days=6 - today.weekday()))
    row = next(r for r in report.accounts if r.code == "3301")
    assert row.committed == D("14800.00")
    assert row.etc == D("40000.00") - D("14800.00")  # default ETC shrinks by what is committed


def test_deals_without_end_date_or_account_commit_nothing(staff):
    hire(staff, "Open", dt.date(2025, 3, 3), None, "5000", "week")
    hire(staff, "Uncoded", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "5000", "week", account="")
    assert labour_commitments(staff.production, dt.date.today()) == []


def test_day_performers_commit_nothing_and_day_rate_crew_commit_every_working_day(staff):
    # A day performer is paid for the days called, not every weekday of the engagement.
    person = Person.objects.create(production=staff.production, name="Dai")
    cast = CastMember.objects.create(production=staff.production, person=person, character="PILOT", cast_number=9,
                                     start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 28))
    PayrollDeal.objects.create(production=staff.production, cast_member=cast, pack_id="sag-aftra-day-performer",
                               rate=D("1100"), rate_unit="day", currency="USD", employment_type="day_performer",
                               budget_account_code="1403")
    assert labour_commitments(staff.production, dt.date.today()) == []
    # Crew on a day rate are engaged for the run: 20 working days × 300.
    hire(staff, "Eve", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "300", "day")
    [c] = labour_commitments(staff.production, dt.date.today())
    assert (c.account_code, c.amount) == ("3301", D("6000.00"))


def test_fully_paid_deal_commits_nothing(staff):
    deal = hire(staff, "Ada", dt.date(2025, 3, 3), dt.date(2025, 3, 7), "5000", "week")
    Timecard.objects.create(production=staff.production, deal=deal, week_ending=dt.date(2025, 3, 9),
                            status=TimecardStatus.APPROVED, gross=D("6100.00"), currency="USD")
    assert labour_commitments(staff.production, dt.date.today()) == []
