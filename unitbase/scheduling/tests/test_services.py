"""Service tests: moves, day breaks, automatic breaks, splits, versions, conflicts and the lock rule.

The helpers here (a hand-made script with cast tags, fixtures) are shared by the other
scheduling test modules."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CastMemberFactory, make_production, member
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.models import Unit
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scheduling import selectors, services
from unitbase.scheduling.models import Availability, ScheduleVersion, Strip
from unitbase.scripts.models import BreakdownCategory, Element, Scene, ScriptDocument, ScriptRevision, Tag

pytestmark = pytest.mark.django_db

# (number, int_ext, set, time of day, eighths, cast characters)
SCENES = [
    ("1", "EXT", "HARBOUR", "DAY", 8, ["MAREN"]),
    ("2", "INT", "COTTAGE", "NIGHT", 12, ["MAREN", "ELLIS"]),
    ("3", "INT", "COTTAGE", "DAY", 4, ["ELLIS"]),
    ("4", "EXT", "HARBOUR", "NIGHT", 6, ["MAREN", "TOBY"]),
    ("5", "INT", "PUB", "DAY", 10, ["TOBY"]),
    ("6", "EXT", "CLIFF", "DAY", 3, []),
]


def make_script(production, scenes=SCENES) -> ScriptRevision:
    doc = ScriptDocument.objects.create(production=production, title="Script")
    revision = ScriptRevision.objects.create(production=production, document=doc, sequence=1, title="Script",
                                             format="fountain", file_name="s.fountain", file_size=1)
    cast_cat = BreakdownCategory.objects.create(production=production, key="cast", name="Cast Members", colour="#e53935")
    props = BreakdownCategory.objects.create(production=production, key="props", name="Props", colour="#8e24aa")
    elements: dict[str, Element] = {}
    for order, (number, ie, set_name, tod, eighths, cast) in enumerate(scenes, start=1):
        scene = Scene.objects.create(revision=revision, order=order, number=number, heading=f"{ie}. {set_name} - {tod}",
                                     int_ext=ie, set_name=set_name, set_key=set_name, time_of_day=tod, eighths=eighths,
                                     synopsis=f"Synopsis {number}")
        for name in cast:
            if name not in elements:
                elements[name] = Element.objects.create(production=production, category=cast_cat, name=name, key=name)
            Tag.objects.create(scene=scene, element=elements[name], source="auto")
        if number == "2":
            lamp = Element.objects.create(production=production, category=props, name="LAMP", key="LAMP")
            Tag.objects.create(scene=scene, element=lamp, source="manual")
    return revision


@pytest.fixture
def production():
    return make_production(title="Schedule Test")


@pytest.fixture
def unit(production):
    return Unit.objects.get(production=production, kind=Unit.Kind.MAIN)


@pytest.fixture
def ad(production):
    return access_production(member(production, Role.FIRST_AD).user, production.pk)


@pytest.fixture
def upm(production):
    return access_production(member(production, Role.UPM).user, production.pk)


@pytest.fixture
def cast(production):
    return {name: CastMemberFactory(production=production, character=name, cast_number=n)
            for n, name in enumerate(["MAREN", "ELLIS", "TOBY"], start=1)}


@pytest.fixture
def script(production, cast):
    return make_script(production)


@pytest.fixture
def calendar(ad, unit):
    # Mon 1 March 2027 onwards, Mon–Fri.
    return services.calendar_set(access=ad, unit_id=unit.pk, shoot_start=date(2027, 3, 1), shoot_end=date(2027, 3, 12))


@pytest.fixture
def version(ad, unit, script, calendar):
    return services.schedule_create(access=ad, unit_id=unit.pk, layout="board")


def board_ids(version):
    return list(Strip.objects.filter(version=version, section="board").order_by("position").values_list("kind", "scene__number"))


def scene_order(version, section="board"):
    return [n or k for k, n in Strip.objects.filter(version=version, section=section).order_by("position").values_list("kind", "scene__number")]


def strip_of(version, number):
    return Strip.objects.get(version=version, scene__number=number)


def fresh(version):
    return ScheduleVersion.objects.select_related("schedule").get(pk=version.pk)


def test_schedule_create_puts_scenes_in_the_boneyard_by_default(ad, unit, script):
    version = services.schedule_create(access=ad, unit_id=unit.pk)
    assert scene_order(version, "boneyard") == ["1", "2", "3", "4", "5", "6"]
    assert scene_order(version) == []
    assert version.revision == 1 and version.status == "draft" and version.script_revision == script
    assert AuditEvent.objects.filter(action="schedule.version_create", object_id=str(version.pk)).exists()


def test_schedule_create_without_a_script_is_refused(ad, unit):
    with pytest.raises(ValidationError) as err:
        services.schedule_create(access=ad, unit_id=unit.pk)
    assert "Import a script first" in str(err.value)
    assert not ScheduleVersion.objects.exists()


def test_auto_day_breaks_by_pages(ad, version):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    # 8 | 12+4 | 6+10 | 3 → 8; 16; 16; 3
    assert scene_order(version) == ["1", "day", "2", "3", "day", "4", "5", "day", "6", "day"]
    board = selectors.board_get(access=ad, version=fresh(version))
    assert [(d.number, d.date, d.scenes, d.eighths) for d in board.days] == [
        (1, date(2027, 3, 1), 1, 8), (2, date(2027, 3, 2), 2, 16), (3, date(2027, 3, 3), 2, 16), (4, date(2027, 3, 4), 1, 3)]
    assert [d.running_eighths for d in board.days] == [8, 24, 40, 43]
    assert board.days[1].pages == "2" and board.days[3].running_pages == "5 3/8"
    assert fresh(version).revision == 2


def test_auto_day_breaks_by_hours_uses_estimates(ad, version):
    strip = strip_of(version, "1")
    services.strip_update(access=ad, version_id=version.pk, revision=1, strip_id=strip.pk, estimate_minutes=600)
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=2, by="hours", limit=400)
    # default 15 min per eighth: 600 | 180+60+90 | 150+45
    assert scene_order(version) == ["1", "day", "2", "3", "4", "day", "5", "6", "day"]


def test_move_to_day_and_index_and_boneyard(ad, version):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    s6, s1 = strip_of(version, "6"), strip_of(version, "1")
    services.strip_move(access=ad, version_id=version.pk, revision=2, strip_ids=[s6.pk, s1.pk], day=2)
    # moved strips keep their board order and go to the end of day 2
    assert scene_order(version) == ["day", "2", "3", "1", "6", "day", "4", "5", "day", "day"]
    services.strip_move(access=ad, version_id=version.pk, revision=3, strip_ids=[strip_of(version, "5").pk], to="boneyard")
    assert scene_order(version, "boneyard") == ["5"]
    services.strip_move(access=ad, version_id=version.pk, revision=4, strip_ids=[strip_of(version, "5").pk], index=0)
    assert scene_order(version)[:2] == ["5", "day"] and scene_order(version, "boneyard") == []
    assert AuditEvent.objects.filter(action="schedule.strip_move").count() == 3


def test_move_to_a_date(ad, version):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    s6 = strip_of(version, "6")
    services.strip_move(access=ad, version_id=version.pk, revision=2, strip_ids=[s6.pk], date=date(2027, 3, 1))
    assert scene_order(version)[:3] == ["1", "6", "day"]


def test_move_to_a_date_outside_the_calendar_changes_nothing(ad, version):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    before = scene_order(version)
    s6 = strip_of(version, "6")
    for bad in (date(2027, 3, 6), date(2027, 2, 1)):  # a Saturday; before the shoot
        with pytest.raises(ValidationError) as err:
            services.strip_move(access=ad, version_id=version.pk, revision=2, strip_ids=[s6.pk], date=bad)
        assert "not a shoot day" in str(err.value)
    with pytest.raises(ValidationError):
        services.strip_move(access=ad, version_id=version.pk, revision=2, strip_ids=[s6.pk], day=9)
    assert scene_order(version) == before and fresh(version).revision == 2


def test_stale_revision_is_refused_and_changes_nothing(ad, upm, version):
    s1, s2 = strip_of(version, "1"), strip_of(version, "2")
    services.strip_move(access=upm, version_id=version.pk, revision=1, strip_ids=[s1.pk], to="boneyard")
    before = scene_order(version)
    with pytest.raises(services.StaleVersion) as err:
        services.strip_move(access=ad, version_id=version.pk, revision=1, strip_ids=[s2.pk], to="boneyard")
    assert "Someone else changed this schedule version" in str(err.value)
    assert scene_order(version) == before and fresh(version).revision == 2


def test_day_breaks_and_banners_add_and_remove(ad, version):
    brk = services.day_break_add(access=ad, version_id=version.pk, revision=1, index=2, call_time=time(7), wrap_time=time(19))
    banner = services.banner_add(access=ad, version_id=version.pk, revision=2, banner_kind="move", text="Move to harbour", index=3)
    assert scene_order(version)[:5] == ["1", "2", "day", "banner", "3"]
    with pytest.raises(ValidationError):
        services.strip_move(access=ad, version_id=version.pk, revision=3, strip_ids=[brk.pk], to="boneyard")
    with pytest.raises(ValidationError):
        services.banner_add(access=ad, version_id=version.pk, revision=3, banner_kind="party")
    services.strip_remove(access=ad, version_id=version.pk, revision=3, strip_id=banner.pk)
    services.strip_remove(access=ad, version_id=version.pk, revision=4, strip_id=brk.pk)
    assert scene_order(version) == ["1", "2", "3", "4", "5", "6"]
    with pytest.raises(ValidationError):
        services.strip_remove(access=ad, version_id=version.pk, revision=5, strip_id=strip_of(version, "1").pk)


def test_split_a_scene(ad, version):
    s2 = strip_of(version, "2")
    with pytest.raises(ValidationError) as err:
        services.strip_split(access=ad, version_id=version.pk, revision=1, strip_id=s2.pk, eighths=12)
    assert "first part takes 1 to 11" in str(err.value)
    part2 = services.strip_split(access=ad, version_id=version.pk, revision=1, strip_id=s2.pk, eighths=5)
    s2.refresh_from_db()
    assert (s2.part, s2.eighths, part2.part, part2.eighths) == (1, 5, 2, 7)
    assert scene_order(version) == ["1", "2", "2", "3", "4", "5", "6"]
    board = selectors.board_get(access=ad, version=fresh(version))
    assert [s.label for s in board.rows[:3]] == ["1", "2 pt 1", "2 pt 2"]


def test_sort_a_selection_in_place(ad, version):
    ids = [strip_of(version, n).pk for n in ("2", "3", "4", "5")]
    services.strip_sort(access=ad, version_id=version.pk, revision=1, strip_ids=ids, keys=["set", "pages"])
    # COTTAGE (2: 12, 3: 4), HARBOUR (4), PUB (5), inside slots 2..5
    assert scene_order(version) == ["1", "2", "3", "4", "5", "6"]
    services.strip_sort(access=ad, version_id=version.pk, revision=2, strip_ids=ids, keys=["day_night", "cast"])
    assert scene_order(version) == ["1", "3", "5", "2", "4", "6"]
    with pytest.raises(ValidationError):
        services.strip_sort(access=ad, version_id=version.pk, revision=3, strip_ids=ids, keys=["colour"])


def test_versions_duplicate_publish_lock_apply(ad, upm, version):
    copy = services.version_duplicate(access=ad, version_id=version.pk)
    assert copy.name == "First draft copy" and scene_order(copy) == scene_order(version)
    services.version_rename(access=ad, version_id=copy.pk, revision=1, name="Blue")
    with pytest.raises(ValidationError):
        services.version_apply(access=ad, version_id=version.pk, revision=1)  # drafts are not applied
    services.version_publish(access=ad, version_id=version.pk, revision=1)
    services.version_apply(access=ad, version_id=version.pk, revision=2)
    services.version_publish(access=ad, version_id=copy.pk, revision=2)
    services.version_apply(access=ad, version_id=copy.pk, revision=3)
    assert list(ScheduleVersion.objects.filter(is_applied=True).values_list("name", flat=True)) == ["Blue"]
    assert selectors.version_applied(access=ad, unit_id=version.schedule.unit_id).pk == copy.pk


def test_only_one_applied_version_per_unit_is_a_constraint(ad, version):
    services.version_publish(access=ad, version_id=version.pk, revision=1)
    copy = services.version_duplicate(access=ad, version_id=version.pk)
    ScheduleVersion.objects.filter(pk__in=[version.pk, copy.pk]).update(status="published")
    ScheduleVersion.objects.filter(pk=version.pk).update(is_applied=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleVersion.objects.filter(pk=copy.pk).update(is_applied=True)


def test_locked_version_refuses_the_1st_ad_but_not_the_upm(ad, upm, version):
    services.version_lock(access=ad, version_id=version.pk, revision=1)
    s1 = strip_of(version, "1")
    with pytest.raises(ActionDenied) as err:
        services.strip_move(access=ad, version_id=version.pk, revision=2, strip_ids=[s1.pk], to="boneyard")
    assert "locked" in str(err.value)
    assert fresh(version).revision == 2 and scene_order(version, "boneyard") == []
    services.strip_move(access=upm, version_id=version.pk, revision=2, strip_ids=[s1.pk], to="boneyard")
    assert scene_order(version, "boneyard") == ["1"]
    services.version_unlock(access=upm, version_id=version.pk, revision=3)
    assert fresh(version).status == "published"


def test_producer_and_crew_without_change_schedule(production, unit, version):
    crew = access_production(member(production, Role.CREW).user, production.pk)
    with pytest.raises(ActionDenied):
        services.strip_move(access=crew, version_id=version.pk, revision=1, strip_ids=[strip_of(version, "1").pk], to="boneyard")
    with pytest.raises(ActionDenied):
        services.schedule_create(access=crew, unit_id=unit.pk, name="Mine")
    assert fresh(version).revision == 1 and ScheduleVersion.objects.count() == 1


def test_other_production_cannot_touch_the_version(version):
    other = make_production(title="Other")
    other_ad = access_production(member(other, Role.FIRST_AD).user, other.pk)
    with pytest.raises(ValidationError):
        services.strip_move(access=other_ad, version_id=version.pk, revision=1, strip_ids=[1], to="boneyard")
    assert fresh(version).revision == 1


def test_board_warnings(ad, version, cast, production):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    # Day 1 (1 Mar) has scene 1 with MAREN; day 2 (2 Mar) has scene 2 (night) then day 3 has day scene 5.
    services.availability_set(access=ad, date=date(2027, 3, 1), status="unavailable", cast_member_id=cast["MAREN"].pk, note="wedding")
    services.availability_set(access=ad, date=date(2027, 3, 3), status="unavailable", set_key="PUB", set_name="PUB")
    services.preferences_update(access=ad, day_limit_eighths=15)
    board = selectors.board_get(access=ad, version=fresh(version))
    d1, d2, d3, d4 = board.days
    assert d1.warnings == ["Scene 1: #1 MAREN is unavailable (wedding)."]
    assert d2.warnings == ["2 pages: over the 1 7/8-page limit.",
                           "Night work followed by day scenes on day 3: check the turnaround (12 h)."]
    assert "Scene 5: PUB is unavailable." in d3.warnings
    assert any(w.startswith("Night work followed by day scenes on day 4") for w in d3.warnings)
    assert d4.warnings == []
    assert board.warning_count == 6
    services.availability_set(access=ad, date=date(2027, 3, 1), status="available", cast_member_id=cast["MAREN"].pk)
    assert not Availability.objects.filter(cast_member=cast["MAREN"]).exists()


def test_turnaround_from_wrap_and_call_times(ad, version):
    services.day_break_add(access=ad, version_id=version.pk, revision=1, index=1, wrap_time=time(2, 0))
    services.day_break_add(access=ad, version_id=version.pk, revision=2, index=3, call_time=time(11, 0))
    board = selectors.board_get(access=ad, version=fresh(version))
    assert board.days[0].warnings == ["Turnaround: wrap 02:00 to next call 11:00 is 9.0 h, under 12 h."]


def test_board_query_count_is_constant(ad, version, django_assert_max_num_queries):
    # 8 for the board itself, 2 for the locations app (set → location map, location availability).
    with django_assert_max_num_queries(10):
        board = selectors.board_get(access=ad, version=fresh(version))
    assert [s.cast_numbers for s in board.rows[:2]] == [[1], [1, 2]]
    assert board.rows[0].colour == "#fff3a3" and board.rows[1].colour == "#b9d3f2"
    assert (board.rows[0].ie, board.rows[0].dn, board.rows[1].pages) == ("E", "D", "1 4/8")


def test_travel_and_hold_on_a_scheduled_day_are_warnings_but_rehearsal_is_not(ad, version, cast):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    # Day 2 (2 Mar): scenes 2 and 3 with ELLIS; day 3 (3 Mar): scenes 4 and 5 with TOBY; day 4 (4 Mar): CLIFF.
    services.availability_set(access=ad, date=date(2027, 3, 2), status="travel", cast_member_id=cast["ELLIS"].pk, note="flies in")
    services.availability_set(access=ad, date=date(2027, 3, 3), status="rehearsal", cast_member_id=cast["TOBY"].pk)
    services.availability_set(access=ad, date=date(2027, 3, 4), status="hold", set_key="CLIFF", set_name="CLIFF")
    board = selectors.board_get(access=ad, version=fresh(version))
    _d1, d2, d3, d4 = board.days
    assert [w for w in d2.warnings if w.startswith("Scene")] == [
        "Scene 2: #2 ELLIS is travelling that day (flies in).", "Scene 3: #2 ELLIS is travelling that day (flies in)."]
    assert not [w for w in d3.warnings if w.startswith("Scene")]
    assert d4.warnings == ["Scene 6: CLIFF is only on hold that day (not confirmed)."]
