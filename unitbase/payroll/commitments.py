"""Labour commitments for the cost report (registered with unitbase.budgets.commitment_sources in
PayrollConfig.ready()).

A signed deal is money spoken for, like an approved PO. For each deal with a budget account whose
engagement has a start and an end date, at the end of `as_of`:

    committed = max(deal value from start to end − gross of its approved timecards up to as_of, 0)

The deal value counts working days (Monday to Friday) from the engagement's start to its end date at
the rate in force on each day (the deal's rate, then its rate changes): a weekly rate is 1/5 a day, a
daily rate one day, an hourly rate × the deal's guaranteed hours per day (10 when it has none).
Only gross pay: fringes are left to the estimate to complete. Deals created after `as_of` commit
nothing yet; deals without an end date cannot be valued and are left out (docs/budgets.md).
Cast on a day rate (day performers) commit nothing: they are paid for the days they are called,
not for every weekday of the engagement, so what they will cost is the estimate to complete's.
Crew on a day rate are engaged for the run of the engagement and commit every working day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from unitbase.budgets.commitment_sources import Commitment

from .models import PayRateUnit, PayrollDeal, Timecard, TimecardStatus

ZERO = Decimal("0.00")
DAYS_PER_WEEK = Decimal(5)
DEFAULT_HOURS_PER_DAY = Decimal(10)


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def day_value(deal: PayrollDeal, rate: Decimal) -> Decimal:
    if deal.rate_unit == PayRateUnit.WEEK:
        return rate / DAYS_PER_WEEK
    if deal.rate_unit == PayRateUnit.DAY:
        return rate
    return rate * (deal.guarantee_hours or DEFAULT_HOURS_PER_DAY)


def deal_value(deal: PayrollDeal, start: dt.date, end: dt.date) -> Decimal:
    """The deal's gross value over its working days, at the rate in force on each day."""
    changes = sorted((c.effective_from, c.rate) for c in deal.rate_changes.all())
    dates = [d for d, _ in changes]
    total = Decimal(0)
    for day in working_days(start, end):
        i = bisect_right(dates, day)
        rate = changes[i - 1][1] if i else deal.rate
        total += day_value(deal, rate)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def labour_commitments(production, as_of: dt.date) -> list[Commitment]:
    deals = (PayrollDeal.objects.filter(production=production, created_at__date__lte=as_of)
             .exclude(budget_account_code="")
             .select_related("crew_member__person", "cast_member__person").prefetch_related("rate_changes"))
    paid = dict(Timecard.objects.filter(production=production, status=TimecardStatus.APPROVED,
                                        week_ending__lte=as_of)
                .values("deal").annotate(gross=Sum("gross")).values_list("deal", "gross").order_by())
    found = []
    for deal in deals:
        if deal.rate_unit == PayRateUnit.DAY and deal.cast_member_id is not None:
            continue
        engagement = deal.engagement
        if engagement.start_date is None or engagement.end_date is None:
            continue
        remaining = deal_value(deal, engagement.start_date, engagement.end_date) - (paid.get(deal.pk) or ZERO)
        if remaining > 0:
            found.append(Commitment(account_code=deal.budget_account_code, amount=remaining, currency=deal.currency,
                                    source="labour", reference=f"Deal {deal.pk}: {deal.person_name}"))
    return found
