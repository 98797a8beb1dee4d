"""Rule families, hand-computed. No database: the calculator is pure Python."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unitbase.payroll.calc import (
    Deal,
    MealPeriod,
    WorkDay,
    check_schedule,
    check_turnaround,
    default_registry,
    evaluate_day,
    evaluate_week,
)

D = Decimal
IATSE = "iatse-crew-daily-hourly"


def at(day: int, hhmm: str, month: int = 3) -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime(2025, month, day, int(h), int(m))


def crew_day(day=3, call="07:00", meals=(("13:00", "13:30"),), wrap="15:30", **kw) -> WorkDay:
    call_dt = at(day, call)

    def t(hhmm):
        value = at(day, hhmm)
        return value if value >= call_dt else value + dt.timedelta(days=1)

    return WorkDay(
        date=dt.date(2025, 3, day), call=call_dt, wrap=t(wrap),
        meals=tuple(MealPeriod(t(a), t(b)) for a, b in meals), zone=kw.pop("zone", "studio_zone"), **kw,
    )


HOURLY = Deal(rate=D("50.00"), rate_unit="hour", pack_id=IATSE)


def kinds(result, kind):
    return [line for line in result.lines if line.kind == kind]


# --- meals --------------------------------------------------------------------------------------


def test_meal_penalty_lines_explain_themselves():
    result = evaluate_day(crew_day(meals=(("13:42", "14:12"),), wrap="19:00"), HOURLY)
    lines = kinds(result, "meal_penalty")
    assert [line.explanation for line in lines] == [
        "Meal penalty 1: first meal due 13:00, taken 13:42",
        "Meal penalty 2: first meal due 13:00, taken 13:42",
    ]
    assert [line.amount for line in lines] == [D("8.50"), D("11.00")]
    assert {line.rule_id for line in lines} == {"iatse-crew-daily-hourly@2024-08-01:meal_penalty"}
    assert lines[0].inputs["due"] == "13:00" and lines[0].inputs["grace_minutes"] == "12"


@pytest.mark.parametrize(("out", "units", "amount"), [("13:12", 0, "0"), ("13:18", 1, "8.50"), ("14:36", 4, "46.50")])
def test_meal_grace_then_units_from_the_due_time(out, units, amount):
    back = (dt.datetime.combine(dt.date.today(), dt.time.fromisoformat(out)) + dt.timedelta(minutes=30)).strftime("%H:%M")
    result = evaluate_day(crew_day(meals=((out, back),), wrap="18:00"), HOURLY)
    assert result.meal_penalty_units == units
    assert result.amount_by_kind().get("meal_penalty", D(0)) == D(amount)


def test_meal_penalties_after_twenty_a_week_are_paid_at_the_hourly_rate():
    day = crew_day(meals=(("13:42", "14:12"),), wrap="19:00", meal_penalties_earlier_in_week=20)
    result = evaluate_day(day, HOURLY)
    assert [line.amount for line in kinds(result, "meal_penalty")] == [D("50.00"), D("50.00")]
    assert "penalty 21 this week, paid at the hourly rate" in kinds(result, "meal_penalty")[0].explanation


def test_a_meal_shorter_than_the_minimum_is_work_not_a_meal():
    result = evaluate_day(crew_day(meals=(("12:00", "12:20"),), wrap="14:00"), HOURLY)
    assert result.worked_minutes == 7 * 60
    assert result.meal_penalty_units == 2  # due 13:00, never taken before the 14:00 wrap
    assert result.amount_by_kind() == {"base": D("350.00"), "guarantee": D("50.00"), "meal_penalty": D("19.50")}
    assert any("shorter than 30 min" in note for note in result.notes)


# --- time, tiers, golden ------------------------------------------------------------------------


def test_punches_round_up_to_the_tenth_hour():
    result = evaluate_day(crew_day(wrap="15:31"), HOURLY)  # 511 min after call -> 516
    assert result.hours == {"straight": D(8), "ot_1_5": D("0.1")}
    assert result.gross == D("407.50")


def test_episodic_on_production_golden_hours_count_worked_hours():
    day = crew_day(meals=(("13:00", "14:00"),), wrap="21:00", production_type="episodic")
    result = evaluate_day(day, HOURLY)
    assert result.hours == {"straight": D(8), "ot_1_5": D(4), "golden_episodic": D(1)}
    amounts = result.amount_by_kind()
    assert (amounts["base"], amounts["overtime"], amounts["golden"]) == (D("400.00"), D("300.00"), D("100.00"))
    assert amounts["meal_penalty"] == D("19.50")  # second meal due 20:00, wrap 21:00


def test_aware_times_across_the_spring_dst_change_count_real_hours():
    la = ZoneInfo("America/Los_Angeles")
    day = WorkDay(
        date=dt.date(2025, 3, 8), call=dt.datetime(2025, 3, 8, 20, 0, tzinfo=la),
        wrap=dt.datetime(2025, 3, 9, 6, 0, tzinfo=la),
        meals=(MealPeriod(dt.datetime(2025, 3, 9, 0, 0, tzinfo=la), dt.datetime(2025, 3, 9, 0, 30, tzinfo=la)),),
        zone="studio_zone",
    )
    result = evaluate_day(day, HOURLY)
    assert result.worked_minutes == 8 * 60 + 30  # 10 wall-clock hours, one of which does not exist
    assert result.hours == {"straight": D(8), "ot_1_5": D("0.5")}


def test_mixing_naive_and_aware_datetimes_is_refused():
    day = crew_day()
    mixed = WorkDay(date=day.date, call=day.call, wrap=day.wrap.replace(tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="mixes naive and aware"):
        evaluate_day(mixed, HOURLY)


# --- rest ---------------------------------------------------------------------------------------


def test_weekend_rest_after_a_five_day_week():
    day = crew_day(day=10, call="06:00", meals=(("12:00", "12:30"),), wrap="14:30",
                   previous_dismissal=at(8, "01:00"), previous_week_days_worked=5)
    result = evaluate_day(day, HOURLY)
    assert result.rest.kind == "weekly" and result.rest.required_hours == 54 and result.rest.actual_hours == 53
    [line] = kinds(result, "rest")
    assert line.amount == D("50.00")
    assert line.rule_id == "iatse-crew-daily-hourly@2024-08-01:rest:weekly:invasion:0"


def test_turnaround_checker_for_call_sheets():
    pack = default_registry().get("sag-aftra-day-performer", on=dt.date(2025, 3, 4))
    violation = check_turnaround(pack, wrap=at(3, "22:00"), next_call=at(4, "09:00"))
    assert violation.check.shortfall_hours == 1
    assert violation.message == (
        "turnaround 11.00 h between dismissal Mon 03 Mar 22:00 and call Tue 04 Mar 09:00; 12 h required"
        " (1.00 h short, sag-aftra-day-performer@2023-11-09:rest:daily)"
    )
    assert check_turnaround(pack, wrap=at(3, "22:00"), next_call=at(4, "09:00"), reduction="location_exterior") is None
    days = [(at(3, "07:00"), at(3, "19:00")), (at(4, "07:00"), at(4, "20:00")), (at(5, "06:00"), at(5, "18:00"))]
    found = check_schedule(pack, days)
    assert [(v.dismissal, v.next_call, v.check.actual_hours) for v in found] == [(at(4, "20:00"), at(5, "06:00"), D(10))]


# --- night premium ------------------------------------------------------------------------------


def test_off_production_night_call_earns_twenty_percent_on_all_time():
    day = crew_day(call="21:00", meals=(("01:00", "01:30"),), wrap="05:00", zone="studio_premises", on_production=False)
    result = evaluate_day(day, HOURLY)
    [night] = kinds(result, "night")
    assert night.amount == D("75.00")
    assert night.rule_id == "iatse-crew-daily-hourly@2024-08-01:night:1"


# --- weeks, weekly deals, floors ----------------------------------------------------------------


def six_days():
    return [crew_day(day=d) for d in range(3, 9)]


def test_week_numbers_days_and_carries_dismissals():
    week = evaluate_week(six_days(), HOURLY)
    assert [r.gross for r in week.days] == [D("400.00")] * 5 + [D("600.00")]
    assert all(r.rest is not None and not r.rest.violated for r in week.days[1:])
    assert week.gross == D("2600.00")


def test_week_floor_credits_the_agreements_sixth_day_premium():
    deal = Deal(rate=D("50.00"), rate_unit="hour", pack_id=IATSE, jurisdiction="US-CA")
    week = evaluate_week(six_days(), deal)
    assert week.lines == []  # agreement 5 x 400 + 600 = floor 6 x 400 + 200 weekly overtime
    assert week.gross == D("2600.00")


def test_california_weekly_overtime_after_forty():
    deal = Deal(rate=D("50.00"), rate_unit="hour", pack_id="ca-daily-overtime-floor")
    week = evaluate_week(six_days(), deal)
    [line] = week.lines
    assert (line.kind, line.amount, line.hours) == ("weekly_overtime", D("200.00"), D(8))
    assert week.gross == D("2600.00")


def test_weekly_performer_week_pays_salary_once_plus_overtime():
    deal = Deal(rate=D("5280.00"), rate_unit="week", pack_id="sag-aftra-weekly-performer")
    days = [crew_day(day=d, wrap="18:30", zone=None) for d in range(3, 8)]
    week = evaluate_week(days, deal)
    by_kind = {line.kind: line.amount for line in week.lines}
    assert by_kind == {"weekly_salary": D("5280.00"), "weekly_overtime": D("1080.00")}
    assert week.gross == D("7260.00")  # salary + 5 x 180 daily overtime + 6 h x 120 x 1.5


def test_deal_and_pack_must_fit():
    with pytest.raises(ValueError, match="is for \\['daily_hourly'\\], not employment type 'weekly'"):
        evaluate_day(crew_day(), Deal(rate=D(50), rate_unit="hour", pack_id=IATSE, employment_type="weekly"))
    with pytest.raises(ValueError, match="has no 'day_rate' section"):
        evaluate_day(crew_day(), Deal(rate=D(500), rate_unit="day", pack_id=IATSE))


# --- properties ---------------------------------------------------------------------------------

HOURLY_PACKS = [IATSE, "ca-daily-overtime-floor"]


@settings(max_examples=40, deadline=None)
@given(
    pack_id=st.sampled_from([*HOURLY_PACKS, "sag-aftra-day-performer", "uk-crew-bectu-pact-style"]),
    call_slot=st.integers(0, 47),
    first_meal=st.integers(1, 20),
    meal_len=st.sampled_from([0, 1, 2]),
    after=st.integers(1, 24),
    rate=st.decimals(min_value=0, max_value=5000, places=2),
    day_in_week=st.integers(1, 7),
    jurisdiction=st.sampled_from([None, "US-CA"]),
)
def test_gross_never_negative_and_paid_hours_equal_worked(pack_id, call_slot, first_meal, meal_len, after, rate,
                                                          day_in_week, jurisdiction):
    call = dt.datetime(2025, 3, 3) + dt.timedelta(minutes=30 * call_slot)
    meals = ()
    wrap = call + dt.timedelta(minutes=30 * (first_meal + meal_len + after))
    if meal_len:
        out = call + dt.timedelta(minutes=30 * first_meal)
        meals = (MealPeriod(out, out + dt.timedelta(minutes=30 * meal_len)),)
    day = WorkDay(date=call.date(), call=call, wrap=wrap, meals=meals, zone="nearby", day_in_week=day_in_week,
                  previous_dismissal=call - dt.timedelta(hours=9))
    unit = "hour" if pack_id in HOURLY_PACKS else "day"
    result = evaluate_day(day, Deal(rate=rate, rate_unit=unit, pack_id=pack_id, jurisdiction=jurisdiction))
    assert result.gross >= 0
    assert all(line.amount >= 0 for line in result.lines + result.fringes)
    expected = (wrap - call).total_seconds() // 60 - 30 * meal_len
    assert result.worked_minutes == expected
    assert sum(result.minutes_by_tier.values()) == expected
    assert (result.paid_worked_hours() * 60).quantize(D(1)) == expected


def test_week_crossing_a_rate_change_pays_each_day_at_its_rate():
    # Hand-computed: 50.00/h to Tuesday, 60.00/h from Wednesday 5 March; each day 07:00-16:30 with a
    # 30-minute meal at 12:00 = 9 h worked = 8 h straight + 1 h at 1.5x.
    # Mon, Tue: 8 x 50 + 1 x 75 = 475.00 each; Wed: 8 x 60 + 1 x 90 = 570.00. Week 1,520.00.
    deal = Deal(rate=D("50.00"), rate_unit="hour", pack_id=IATSE, rate_changes=((dt.date(2025, 3, 5), D("60.00")),))
    days = [crew_day(day=d, meals=(("12:00", "12:30"),), wrap="16:30") for d in (5, 3, 4)]  # entered out of order
    week = evaluate_week(days, deal)
    assert [r.gross for r in week.days] == [D("475.00"), D("475.00"), D("570.00")]
    assert week.gross == D("1520.00")
    wed = week.days[2]
    assert [(line.kind, line.rate) for line in wed.lines] == [("base", D("60.00")), ("overtime", D("60.00"))]
    assert "Overtime 1.0 h x 60.00 x 1.5" in wed.lines[1].explanation
    assert any("rate changed during the week (50.00, 60.00)" in note for note in week.notes)
    # A single day takes the rate in force on its date, too.
    assert evaluate_day(crew_day(day=4, meals=(("12:00", "12:30"),), wrap="16:30"), deal).gross == D("475.00")
    # Deal.on() is the plain deal when nothing changes.
    plain = Deal(rate=D("50.00"), rate_unit="hour", pack_id=IATSE)
    assert plain.on(dt.date(2025, 3, 5)) is plain
    assert deal.rate_on(dt.date(2025, 3, 4)) == D("50.00") and deal.rate_on(dt.date(2025, 3, 9)) == D("60.00")
