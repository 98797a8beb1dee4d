"""Payroll services: deals, timecard entry, calculation through the calc, approval, corrections, packs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import CastMemberFactory, CrewMemberFactory, department, make_production, member
from unitbase.core.models import AuditEvent
from unitbase.payroll import selectors, services
from unitbase.payroll.calc import Deal, MealPeriod, WorkDay, evaluate_day
from unitbase.payroll.models import PayLineRow, PayrollPack, Timecard, TimecardDay, TimecardStatus
from unitbase.people.models import Person
from unitbase.productions.authority import Role
from unitbase.productions.models import Position
from unitbase.productions.permissions import access_production

pytestmark = pytest.mark.django_db

WEEK_ENDING = dt.date(2025, 3, 8)  # a Saturday; the week runs Sun 2 – Sat 8 March 2025
T = dt.time


def t(hhmm: str) -> dt.time:
    return dt.time.fromisoformat(hhmm)


def access_for(user, production):
    return access_production(user, production.pk)


class Crew:
    """A production with a camera crew member (with a login), their head of department, an
    accountant, a grip and a grip head."""

    def __init__(self):
        self.production = make_production(title="Night Train", time_zone="America/Los_Angeles")
        self.accountant = member(self.production, Role.PRODUCTION_ACCOUNTANT).user
        self.camera_head = member(self.production, Role.DEPARTMENT_HEAD, department_name="Camera").user
        self.grip_head = member(self.production, Role.DEPARTMENT_HEAD, department_name="Grip").user
        self.crew_user = member(self.production, Role.CREW, department_name="Camera").user
        self.other_user = member(self.production, Role.CREW, department_name="Camera").user
        self.ac = hire(self.production, user=self.crew_user)
        self.ac2 = hire(self.production, user=self.other_user, position="2nd AC")
        self.grip = hire(self.production, dept="Grip", position="Key grip")
        acc = self.access(self.accountant)
        self.deal = services.deal_set(access=acc, crew_member=self.ac, pack_id="iatse-crew-daily-hourly",
                                      rate=Decimal("50.00"), rate_unit="hour", jurisdiction="us-ca")
        self.deal2 = services.deal_set(access=acc, crew_member=self.ac2, pack_id="iatse-crew-daily-hourly",
                                       rate=Decimal("40.00"), rate_unit="hour")
        self.grip_deal = services.deal_set(access=acc, crew_member=self.grip, pack_id="iatse-crew-daily-hourly",
                                           rate=Decimal("45.00"), rate_unit="hour")

    def access(self, user):
        return access_for(user, self.production)


def hire(production, dept="Camera", position="1st AC", user=None):
    dep = department(production, dept)
    pos = Position.objects.get_or_create(production=production, department=dep, name=position)[0]
    crew = CrewMemberFactory(production=production, department=dep, position=pos)
    if user is not None:
        Person.objects.filter(pk=crew.person_id).update(user=user)
        crew.person.refresh_from_db()
    return crew


@pytest.fixture
def crew():
    return Crew()


def meal_day(access, card, date=dt.date(2025, 3, 4), **overrides):
    data = {"call": t("07:00"), "meal1_out": t("13:42"), "meal1_in": t("14:12"), "wrap": t("19:00"), "zone": "studio_zone"}
    data.update(overrides)
    return services.timecard_day_set(access=access, timecard_id=card.pk, date=date, **data)


def approve_fully(crew, card):
    services.timecard_approve(access=crew.access(crew.camera_head), timecard_id=card.pk)
    return services.timecard_approve(access=crew.access(crew.accountant), timecard_id=card.pk)


def test_calculation_through_service_matches_the_calc_for_a_known_day(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    services.timecard_update(access=acc, timecard_id=card.pk, previous_dismissal=dt.datetime(2025, 3, 3, 20, 0, tzinfo=dt.UTC))
    meal_day(acc, card)
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)

    expected = evaluate_day(
        WorkDay(date=dt.date(2025, 3, 4), call=dt.datetime(2025, 3, 4, 7), wrap=dt.datetime(2025, 3, 4, 19),
                meals=(MealPeriod(dt.datetime(2025, 3, 4, 13, 42), dt.datetime(2025, 3, 4, 14, 12)),),
                zone="studio_zone", production_type="feature", day_in_week=1),
        Deal(rate=Decimal("50.00"), rate_unit="hour", pack_id="iatse-crew-daily-hourly", jurisdiction="US-CA"),
    )
    assert card.gross == expected.gross == Decimal("712.50")
    rows = list(card.pay_lines.filter(is_fringe=False))
    assert [(r.rule_id, r.amount) for r in rows] == [(line.rule_id, line.amount) for line in expected.lines]
    penalty = [r for r in rows if r.kind == "meal_penalty"]
    assert [r.explanation for r in penalty] == [
        "Meal penalty 1: first meal due 13:00, taken 13:42", "Meal penalty 2: first meal due 13:00, taken 13:42",
    ]
    day = card.days.get()
    assert day.worked_hours == Decimal("11.5") and day.meal_penalty_units == 2
    assert day.hours_by_tier == {"straight": "8", "ot_1_5": "3.5"}
    assert card.pack_versions == "iatse-crew-daily-hourly@2024-08-01"


def test_night_shoot_crossing_midnight_and_bad_times(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 5), call=t("18:00"),
                              meal1_out=t("23:30"), meal1_in=t("00:00"), wrap=t("04:00"))
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.days.get().worked_hours == Decimal("9.5")
    with pytest.raises(ValidationError) as err:
        services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 6), call=t("07:00"),
                                  meal1_out=t("13:00"), meal1_in=t("12:30"), wrap=t("19:00"))
    assert "meal1_in" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 6), call=t("07:00"),
                                  wrap=t("06:00"))
    assert "23-hour day" in err.value.message_dict["wrap"][0]
    with pytest.raises(ValidationError) as err:
        services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 6), call=t("07:00"),
                                  meal1_out=t("12:00"), meal1_in=t("12:30"), meal2_out=t("12:15"), meal2_in=t("12:45"),
                                  wrap=t("19:00"))
    assert "meal2_out" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 12), call=t("07:00"), wrap=t("19:00"))
    assert "date" in err.value.message_dict
    assert card.days.count() == 1  # nothing written by the refused days


def test_missing_previous_dismissal_is_noted(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    assert card.calc_notes[0].startswith("Previous dismissal not entered")


def test_submit_department_then_production_approval(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    card = services.timecard_submit(access=acc, timecard_id=card.pk)
    assert card.status == TimecardStatus.SUBMITTED and card.awaiting == "department"
    assert PayLineRow.objects.filter(timecard=card).count() == 5
    with pytest.raises(ValidationError):  # frozen once submitted
        meal_day(acc, card, date=dt.date(2025, 3, 5))
    with pytest.raises(PermissionDenied):  # the grip head is not this card's department
        services.timecard_approve(access=crew.access(crew.grip_head), timecard_id=card.pk)
    card = services.timecard_approve(access=crew.access(crew.camera_head), timecard_id=card.pk)
    assert card.status == TimecardStatus.SUBMITTED and card.awaiting == "production"
    with pytest.raises(PermissionDenied):  # a department head cannot give the production approval
        services.timecard_approve(access=crew.access(crew.camera_head), timecard_id=card.pk)
    card = services.timecard_approve(access=crew.access(crew.accountant), timecard_id=card.pk)
    assert card.status == TimecardStatus.APPROVED
    assert card.department_approved_by == crew.camera_head and card.approved_by == crew.accountant
    actions = list(AuditEvent.objects.filter(object_type="timecard", object_id=str(card.pk)).values_list("action", flat=True))
    assert {"timecard.submit", "timecard.approve.department", "timecard.approve.production"} <= set(actions)


def test_nobody_approves_their_own_card(crew):
    head_crew = hire(crew.production, position="DP", user=crew.camera_head)
    deal = services.deal_set(access=crew.access(crew.accountant), crew_member=head_crew,
                             pack_id="iatse-crew-daily-hourly", rate=Decimal("90"), rate_unit="hour")
    acc = crew.access(crew.camera_head)
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    services.timecard_submit(access=acc, timecard_id=card.pk)
    with pytest.raises(PermissionDenied):
        services.timecard_approve(access=acc, timecard_id=card.pk)
    assert Timecard.objects.get(pk=card.pk).department_approved_at is None


def test_reject_then_fix_and_resubmit(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    services.timecard_submit(access=acc, timecard_id=card.pk)
    with pytest.raises(ValidationError):
        services.timecard_reject(access=crew.access(crew.camera_head), timecard_id=card.pk, reason=" ")
    card = services.timecard_reject(access=crew.access(crew.camera_head), timecard_id=card.pk, reason="Wrap was 18:30")
    assert card.status == TimecardStatus.REJECTED and card.rejection_reason == "Wrap was 18:30"
    meal_day(acc, card, wrap=t("18:30"))
    card = services.timecard_submit(access=acc, timecard_id=card.pk)
    assert card.status == TimecardStatus.SUBMITTED and card.awaiting == "department"


def test_correction_after_approval_makes_a_revision(crew):
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    services.timecard_submit(access=acc, timecard_id=card.pk)
    approve_fully(crew, card)
    rev2 = services.timecard_correct(access=acc, timecard_id=card.pk)
    assert (rev2.revision, rev2.previous_id, rev2.status) == (2, card.pk, TimecardStatus.DRAFT)
    assert list(rev2.days.values_list("date", "wrap")) == [(dt.date(2025, 3, 4), t("19:00"))]
    with pytest.raises(ValidationError):
        services.timecard_correct(access=acc, timecard_id=card.pk)
    meal_day(acc, rev2, wrap=t("20:00"))
    services.timecard_submit(access=acc, timecard_id=rev2.pk)
    approve_fully(crew, rev2)
    assert Timecard.objects.get(pk=card.pk).status == TimecardStatus.SUPERSEDED
    exported = selectors.approved_for_export(access=crew.access(crew.accountant))
    assert [c.pk for c in exported] == [rev2.pk]


def test_crew_sees_only_own_cards_and_head_only_department(crew):
    own = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    other = services.timecard_create(access=crew.access(crew.other_user), deal=crew.deal2, week_ending=WEEK_ENDING)
    grip = services.timecard_create(access=crew.access(crew.grip_head), deal=crew.grip_deal, week_ending=WEEK_ENDING)
    ids = lambda user: {c.pk for c in selectors.timecard_list(access=crew.access(user))}  # noqa: E731
    assert ids(crew.crew_user) == {own.pk}
    assert ids(crew.camera_head) == {own.pk, other.pk}
    assert ids(crew.grip_head) == {grip.pk}
    assert ids(crew.accountant) == {own.pk, other.pk, grip.pk}
    with pytest.raises(PermissionDenied):
        services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal2, week_ending=dt.date(2025, 3, 15))
    with pytest.raises(PermissionDenied):
        meal_day(crew.access(crew.crew_user), other)
    assert not TimecardDay.objects.filter(timecard=other).exists()
    assert not Timecard.objects.filter(deal=crew.deal2, week_ending=dt.date(2025, 3, 15)).exists()


def test_deals_need_production_scope(crew):
    before = crew.deal.rate
    with pytest.raises(PermissionDenied):
        services.deal_set(access=crew.access(crew.camera_head), crew_member=crew.ac, pack_id="iatse-crew-daily-hourly",
                          rate=Decimal("99"), rate_unit="hour")
    crew.deal.refresh_from_db()
    assert crew.deal.rate == before and crew.deal.jurisdiction == "US-CA"
    with pytest.raises(ValidationError) as err:
        services.deal_set(access=crew.access(crew.accountant), crew_member=crew.ac, pack_id="no-such-pack",
                          rate=Decimal("99"), rate_unit="hour")
    assert "pack_id" in err.value.message_dict


def test_pack_copy_edit_and_broken_yaml_refused(crew):
    acc = crew.access(crew.accountant)
    pack = services.pack_copy(access=acc, source_pack_id="iatse-crew-daily-hourly", new_id="iatse-night-train")
    assert pack.pack_id == "iatse-night-train" and pack.copied_from == "iatse-crew-daily-hourly"
    assert "iatse-night-train" in services.pack_ids_for(crew.production.pk)
    broken = pack.yaml_text.replace("schedule: [8.50", "schedule: [abc", 1)
    assert broken != pack.yaml_text
    with pytest.raises(ValidationError) as err:
        services.pack_update(access=acc, pack_pk=pack.pk, yaml_text=broken)
    assert any("rule_set.meals.penalty.schedule.0" in m for m in err.value.message_dict["yaml_text"])
    assert PayrollPack.objects.get(pk=pack.pk).yaml_text == pack.yaml_text
    with pytest.raises(ValidationError):
        services.pack_copy(access=acc, source_pack_id="iatse-crew-daily-hourly", new_id="iatse-crew-daily-hourly")
    with pytest.raises(PermissionDenied):
        services.pack_copy(access=crew.access(crew.camera_head), source_pack_id="iatse-crew-daily-hourly", new_id="x-copy")
    # A deal on the copy is calculated with the copy.
    edited = pack.yaml_text.replace("schedule: [8.50", "schedule: [9.50", 1)
    with pytest.raises(ValidationError, match=r"rule_set\.tests\.1 .*expected 19\.50, got 20\.50"):
        services.pack_update(access=acc, pack_pk=pack.pk, yaml_text=edited)  # its own cases still expect 8.50
    edited = edited.split("\n  tests:\n")[0] + "\n"  # a copy without cases of its own is saved as it is
    services.pack_update(access=acc, pack_pk=pack.pk, yaml_text=edited)
    services.deal_set(access=acc, crew_member=crew.ac, pack_id="iatse-night-train", rate=Decimal("50"), rate_unit="hour")
    card = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(crew.access(crew.crew_user), card)
    card = services.timecard_calculate(access=crew.access(crew.crew_user), timecard_id=card.pk)
    first = card.pay_lines.filter(kind="meal_penalty").first()
    assert first.rule_id.startswith("iatse-night-train@") and first.amount == Decimal("9.50")


def test_cast_turnaround_warning_selector(crew):
    cast = CastMemberFactory(production=crew.production)
    warnings = selectors.cast_turnaround_warnings(
        access=crew.access(crew.accountant), cast_member_id=cast.pk,
        schedule=[(dt.datetime(2025, 3, 4, 7), dt.datetime(2025, 3, 4, 22)),
                  (dt.datetime(2025, 3, 5, 6), dt.datetime(2025, 3, 5, 18)),
                  (dt.datetime(2025, 3, 6, 8), dt.datetime(2025, 3, 6, 18))],
    )
    assert len(warnings) == 1
    assert warnings[0].next_call == dt.datetime(2025, 3, 5, 6) and warnings[0].actual_hours == "8.00"
    assert "12 h required" in warnings[0].message


def test_approval_goes_through_the_approvals_app(crew):
    from unitbase.approvals.models import ApprovalRequest
    from unitbase.approvals.services import approval_decide

    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    card = services.timecard_submit(access=acc, timecard_id=card.pk)
    req = ApprovalRequest.objects.get(pk=card.approval_request_id)
    assert (req.kind, req.amount, req.department.name) == ("timecard", Decimal("712.50"), "Camera")
    assert [s.roles for s in req.steps.order_by("order")] == [
        ["department_head"], ["production_accountant", "production_manager", "upm"],
    ]
    # Deciding from the approvals inbox updates the card through the registered callbacks.
    approval_decide(access=crew.access(crew.camera_head), request_id=req.pk, decision="approve")
    approval_decide(access=crew.access(crew.accountant), request_id=req.pk, decision="reject", reason="Wrong week")
    card.refresh_from_db()
    assert card.status == TimecardStatus.REJECTED and card.rejection_reason == "Wrong week"


def test_cast_card_skips_the_department_step_and_can_be_withdrawn(crew):
    cast = CastMemberFactory(production=crew.production)
    cast.person.user = crew.other_user
    cast.person.save()
    deal = services.deal_set(access=crew.access(crew.accountant), cast_member=cast, pack_id="sag-aftra-day-performer",
                             rate=Decimal("1204.00"), rate_unit="day")
    acc = crew.access(crew.other_user)
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    card = services.timecard_submit(access=acc, timecard_id=card.pk)
    assert card.awaiting == "production"
    card = services.timecard_withdraw(access=acc, timecard_id=card.pk)
    assert card.status == TimecardStatus.DRAFT
    card = services.timecard_submit(access=acc, timecard_id=card.pk)
    card = services.timecard_approve(access=crew.access(crew.accountant), timecard_id=card.pk)
    assert card.status == TimecardStatus.APPROVED and card.department_approved_at is None


def test_submit_refused_when_nobody_can_approve_changes_nothing():
    production = make_production(title="Tiny Short")
    user = member(production, Role.CREW, department_name="Camera").user
    ac = hire(production, user=user)
    deal = services.deal_set(access=_manager(production), crew_member=ac,
                             pack_id="iatse-crew-daily-hourly", rate=Decimal("50"), rate_unit="hour")
    for membership in production.memberships.exclude(user=user):
        membership.is_active = False
        membership.save()
    acc = access_for(user, production)
    card = services.timecard_create(access=acc, deal=deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    with pytest.raises(ValidationError, match="Nobody on this production other than you"):
        services.timecard_submit(access=acc, timecard_id=card.pk)
    card.refresh_from_db()
    assert card.status == TimecardStatus.DRAFT and card.calculated_at is None and not card.pay_lines.exists()
    assert not AuditEvent.objects.filter(action="timecard.submit").exists()


def _manager(production):
    return access_for(member(production, Role.PRODUCTION_ACCOUNTANT).user, production)


def test_night_across_the_spring_dst_change_counts_real_hours(crew):
    # Los Angeles springs forward at 02:00 on Sunday 9 March 2025: 20:00 to 04:00 is 7 real hours.
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    services.timecard_day_set(access=acc, timecard_id=card.pk, date=dt.date(2025, 3, 8), call=t("20:00"), wrap=t("04:00"))
    card = services.timecard_calculate(access=acc, timecard_id=card.pk)
    day = card.days.get()
    assert day.worked_hours == Decimal("7")
    assert day.hours_by_tier == {"straight": "7"}
    # 7 h straight, 1 h of the 8 h minimum call, two meal penalties (no meal by 02:00 = 6 h after call).
    assert list(card.pay_lines.values_list("kind", "amount")) == [
        ("base", Decimal("350.00")), ("guarantee", Decimal("50.00")), ("meal_penalty", Decimal("8.50")),
        ("meal_penalty", Decimal("11.00")), ("floor", Decimal("30.50")),
    ]
