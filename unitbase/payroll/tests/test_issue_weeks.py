"""The issue's named hand-computed weeks and property tests (pure calculator, no database).

Every expected figure is worked out in the comment above it from the IATSE-style crew pack
(50.00/h, 8 h straight, 1.5x after 8 h worked, golden after 14 h elapsed, meals due 6 h after
call, 8.50/11.00/13.50 per half-hour unit, 12 min grace) or the SAG-AFTRA day performer pack."""

import datetime as dt
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from unitbase.payroll.calc import Deal, MealPeriod, WorkDay, evaluate_day, evaluate_week

D = Decimal
IATSE = "iatse-crew-daily-hourly"
HOURLY = Deal(rate=D("50.00"), rate_unit="hour", pack_id=IATSE)


def at(day: int, hhmm: str) -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime(2025, 3, day, int(h), int(m))


def work_day(day, call="07:00", meals=(("13:00", "13:30"),), wrap="15:30", **kw) -> WorkDay:
    call_dt = at(day, call)

    def t(hhmm):
        value = at(day, hhmm)
        return value if value >= call_dt else value + dt.timedelta(days=1)

    kw.setdefault("zone", "studio_zone")
    return WorkDay(date=dt.date(2025, 3, day), call=call_dt, wrap=t(wrap),
                   meals=tuple(MealPeriod(t(a), t(b)) for a, b in meals), **kw)


def kinds(result, kind):
    return [line for line in result.lines if line.kind == kind]


def test_week_with_a_fourteen_hour_distant_location_day():
    # Mon 3 March, distant location: call 06:00, meals 12:00-12:30 and 18:00-18:30, wrap 21:00.
    # 15 h elapsed, 14 h worked: 8 straight (to 14:30), 5 at 1.5x (14:30-20:00 less the 30-min
    # second meal), 1 golden hour (20:00-21:00, after 14 elapsed) at 2.5x.
    # 400.00 + 5 x 75.00 + 1 x 125.00 = 900.00; meals on time (due 12:00, then 18:30): no penalty.
    # Tue-Fri 07:00-15:30 with a 30-min meal: 8 h = 400.00 each (10 h rest after the 21:00 wrap: met).
    days = [work_day(3, "06:00", (("12:00", "12:30"), ("18:00", "18:30")), "21:00", zone="distant_location")]
    days += [work_day(d) for d in (4, 5, 6, 7)]
    week = evaluate_week(days, HOURLY)
    monday = week.days[0]
    assert monday.worked_minutes == 14 * 60
    assert monday.hours == {"straight": D(8), "ot_1_5": D(5), "golden_distant": D(1)}
    assert monday.amount_by_kind() == {"base": D("400.00"), "overtime": D("375.00"), "golden": D("125.00")}
    assert monday.meal_penalty_units == 0
    assert [r.gross for r in week.days] == [D("900.00")] + [D("400.00")] * 4
    assert not week.days[1].rest.violated
    assert week.gross == D("2500.00")


def test_late_first_meal_with_three_penalty_units():
    # Call 07:00, first meal due 13:00, taken 14:06-14:36: units start 13:00, 13:30, 14:00 -> 3.
    # 8.50 + 11.00 + 13.50 = 33.00. Worked 7:06 + 1:24 = 8.5 h -> 400.00 + 0.5 x 75.00 = 437.50.
    result = evaluate_day(work_day(4, meals=(("14:06", "14:36"),), wrap="16:00"), HOURLY)
    assert result.meal_penalty_units == 3
    lines = kinds(result, "meal_penalty")
    assert [line.amount for line in lines] == [D("8.50"), D("11.00"), D("13.50")]
    assert lines[2].explanation == "Meal penalty 3: first meal due 13:00, taken 14:06"
    assert result.hours == {"straight": D(8), "ot_1_5": D("0.5")}
    assert result.gross == D("470.50")


def test_week_with_a_sixth_day():
    # Mon-Fri 07:00-15:30 = 8 h = 400.00 each. Sat (6th day) 07:00-16:30 = 9 h worked:
    # 8 h x 50 x 1.5 = 600.00 and 1 h x 50 x 1.5 x 1.5 = 112.50. Week 2,712.50.
    days = [work_day(d) for d in range(3, 8)] + [work_day(8, wrap="16:30")]
    week = evaluate_week(days, HOURLY)
    saturday = week.days[5]
    assert saturday.amount_by_kind() == {"base": D("600.00"), "overtime": D("112.50")}
    assert [r.gross for r in week.days] == [D("400.00")] * 5 + [D("712.50")]
    assert week.gross == D("2712.50")


def test_forced_call_after_an_eleven_hour_turnaround():
    # SAG-AFTRA day performer, 1,200.00/day, 12 h rest. Mon 07:00-20:00 (13 h elapsed, 30-min meal),
    # Tue called 07:00: 11 h turnaround, 1 h short -> forced call = lesser of a day's pay and 900.00.
    deal = Deal(rate=D("1200.00"), rate_unit="day", pack_id="sag-aftra-day-performer")
    days = [work_day(3, wrap="20:00", zone=None), work_day(4, wrap="15:30", zone=None)]
    week = evaluate_week(days, deal)
    tuesday = week.days[1]
    assert tuesday.rest.required_hours == 12 and tuesday.rest.actual_hours == 11 and tuesday.rest.violated
    [forced] = kinds(tuesday, "rest")
    assert forced.amount == D("900.00")
    assert not kinds(week.days[0], "rest")
    # The same two days for IATSE crew (10 h rest): no penalty.
    crew_week = evaluate_week([work_day(3, wrap="20:00"), work_day(4)], HOURLY)
    assert not crew_week.days[1].rest.violated and not kinds(crew_week.days[1], "rest")


def test_night_shoot_week_crossing_midnight():
    # On-production nights: call 18:00, meal 00:00-00:30, wrap 03:00 next morning = 8.5 h worked:
    # 400.00 + 0.5 x 75.00 = 437.50 a night, no night premium on production; 15 h rest between nights.
    days = [work_day(d, "18:00", (("00:00", "00:30"),), "03:00") for d in (3, 4, 5)]
    week = evaluate_week(days, HOURLY)
    assert [r.date for r in week.days] == [dt.date(2025, 3, 3), dt.date(2025, 3, 4), dt.date(2025, 3, 5)]
    assert all(r.worked_minutes == 510 for r in week.days)
    assert [r.gross for r in week.days] == [D("437.50")] * 3
    assert all(not kinds(r, "night") for r in week.days)
    assert [r.rest.actual_hours for r in week.days[1:]] == [D(15), D(15)]
    assert week.gross == D("1312.50")


# --- properties ---------------------------------------------------------------------------------

PACKS = [(IATSE, "hour", D("50.00")), ("ca-daily-overtime-floor", "hour", D("42.00")),
         ("sag-aftra-day-performer", "day", D("1200.00")), ("uk-crew-bectu-pact-style", "day", D("400.00"))]


def generated_day(call_slot, meal_after, meal_len, worked_after, zone="studio_zone"):
    call = dt.datetime(2025, 3, 4) + dt.timedelta(minutes=30 * call_slot)
    out = call + dt.timedelta(minutes=30 * meal_after)
    back = out + dt.timedelta(minutes=30 * meal_len)
    return WorkDay(date=call.date(), call=call, wrap=back + dt.timedelta(minutes=30 * worked_after),
                   meals=(MealPeriod(out, back),), zone=zone, previous_dismissal=call - dt.timedelta(hours=13))


@settings(max_examples=25, deadline=None)
@given(pack=st.sampled_from(PACKS), call_slot=st.integers(0, 47), meal_after=st.integers(4, 16),
       worked_after=st.integers(1, 16), extra=st.integers(1, 8))
def test_more_hours_never_pay_less(pack, call_slot, meal_after, worked_after, extra):
    pack_id, unit, rate = pack
    deal = Deal(rate=rate, rate_unit=unit, pack_id=pack_id)
    day = generated_day(call_slot, meal_after, 1, worked_after)
    longer = WorkDay(date=day.date, call=day.call, wrap=day.wrap + dt.timedelta(minutes=30 * extra),
                     meals=day.meals, zone=day.zone, previous_dismissal=day.previous_dismissal)
    assert evaluate_day(longer, deal).gross >= evaluate_day(day, deal).gross


@settings(max_examples=25, deadline=None)
@given(pack=st.sampled_from(PACKS), call_slot=st.integers(0, 47), meal_after=st.integers(5, 16),
       earlier=st.integers(1, 4), worked_after=st.integers(1, 6))
def test_moving_the_meal_earlier_never_adds_a_penalty(pack, call_slot, meal_after, earlier, worked_after):
    # The meal keeps its length and stays at least 2 h after call; wrap is fixed. Only the moved meal's
    # own penalty is compared (an earlier meal can legitimately bring the next meal's due time forward).
    pack_id, unit, rate = pack
    deal = Deal(rate=rate, rate_unit=unit, pack_id=pack_id)
    late = generated_day(call_slot, meal_after, 1, worked_after)
    shift = dt.timedelta(minutes=30 * min(earlier, meal_after - 4))
    [meal] = late.meals
    early = WorkDay(date=late.date, call=late.call, wrap=late.wrap, meals=(MealPeriod(meal.out - shift, meal.back - shift),),
                    zone=late.zone, previous_dismissal=late.previous_dismissal)

    def first_meal_penalty(day):
        return sum((line.amount for line in evaluate_day(day, deal).lines
                    if line.kind == "meal_penalty" and "first meal" in line.explanation), D(0))

    assert first_meal_penalty(early) <= first_meal_penalty(late)


@settings(max_examples=15, deadline=None)
@given(pack=st.sampled_from(PACKS), seed=st.integers(0, 10_000),
       shapes=st.lists(st.tuples(st.integers(10, 20), st.integers(4, 12), st.integers(1, 12)), min_size=2, max_size=6))
def test_results_do_not_depend_on_the_order_days_are_entered(pack, seed, shapes):
    pack_id, unit, rate = pack
    deal = Deal(rate=rate, rate_unit=unit, pack_id=pack_id, rate_changes=((dt.date(2025, 3, 5), rate + 10),))
    days = []
    for i, (call_slot, meal_after, worked_after) in enumerate(shapes):
        base = generated_day(call_slot, meal_after, 1, worked_after)
        shift = dt.timedelta(days=i)
        days.append(WorkDay(date=base.date + shift, call=base.call + shift, wrap=base.wrap + shift,
                            meals=tuple(MealPeriod(m.out + shift, m.back + shift) for m in base.meals), zone=base.zone))
    shuffled = days[:]
    random.Random(seed).shuffle(shuffled)
    ordered, mixed = evaluate_week(days, deal), evaluate_week(shuffled, deal)
    assert mixed.gross == ordered.gross
    assert [(r.date, r.gross, r.hours) for r in mixed.days] == [(r.date, r.gross, r.hours) for r in ordered.days]
    assert [(line.kind, line.amount) for line in mixed.lines] == [(line.kind, line.amount) for line in ordered.lines]
