"""A hand-made production with an applied schedule, for the call sheet tests.

Scenes (number, int/ext, set, time, eighths, cast, extra tags):
day 1 (a Monday a few weeks ahead): 1 EXT HARBOUR DAY 8/8 MAREN (+ vehicle "POLICE CAR", background "DOCK WORKERS");
                        2 INT COTTAGE NIGHT 12/8 MAREN, ELLIS (+ SFX "RAIN")
day 2 (Tuesday):      3 INT COTTAGE DAY 4/8 ELLIS
day 3 (Wednesday):      4 EXT HARBOUR NIGHT 6/8 MAREN, TOBY
So on day 2 MAREN holds (H), ELLIS finishes (WF), TOBY has not started.
"""

from datetime import date, time, timedelta

from tests.factories import CastMemberFactory, CrewMemberFactory, PersonFactory, department, make_production, member
from unitbase.productions.authority import Role
from unitbase.productions.models import Position, Unit
from unitbase.productions.permissions import access_production
from unitbase.scheduling import services as sched
from unitbase.scripts.models import BreakdownCategory, Element, Scene, ScriptDocument, ScriptRevision, Tag

_today = date.today()
DAY1 = _today + timedelta(days=21 - _today.weekday())  # a Monday three weeks ahead: personal links still valid
DAY2, DAY3 = DAY1 + timedelta(days=1), DAY1 + timedelta(days=2)
SCENES = [
    ("1", "EXT", "HARBOUR", "DAY", 8, ["MAREN"], [("vehicles", "POLICE CAR"), ("background_actors", "DOCK WORKERS")]),
    ("2", "INT", "COTTAGE", "NIGHT", 12, ["MAREN", "ELLIS"], [("special_effects", "RAIN")]),
    ("3", "INT", "COTTAGE", "DAY", 4, ["ELLIS"], []),
    ("4", "EXT", "HARBOUR", "NIGHT", 6, ["MAREN", "TOBY"], []),
]


def make_script(production):
    doc = ScriptDocument.objects.create(production=production, title="Script")
    revision = ScriptRevision.objects.create(production=production, document=doc, sequence=1, title="Script",
                                             format="fountain", file_name="s.fountain", file_size=1)
    cats = {}
    for order, (key, name) in enumerate([("cast", "Cast Members"), ("vehicles", "Vehicles"), ("special_effects", "Special Effects"),
                                         ("background_actors", "Background Actors")]):
        cats[key] = BreakdownCategory.objects.create(production=production, key=key, name=name, colour="#e53935", order=order)
    elements = {}
    for order, (number, ie, set_name, tod, eighths, cast, extra) in enumerate(SCENES, start=1):
        scene = Scene.objects.create(revision=revision, order=order, number=number, heading=f"{ie}. {set_name} - {tod}",
                                     int_ext=ie, set_name=set_name, set_key=set_name, time_of_day=tod, eighths=eighths,
                                     synopsis=f"Synopsis of scene {number}")
        for key, name in [("cast", c) for c in cast] + extra:
            if name not in elements:
                elements[name] = Element.objects.create(production=production, category=cats[key], name=name, key=name)
            Tag.objects.create(scene=scene, element=elements[name], source="manual")
    return revision


def build_world():
    """Production, people and an applied three-day schedule. Returns a dict of handy objects."""
    production = make_production(title="Harbour Lights")
    unit = Unit.objects.get(production=production, kind=Unit.Kind.MAIN)
    ad_user = member(production, Role.FIRST_AD).user
    ad = access_production(ad_user, production.pk)
    make_script(production)
    cast = {name: CastMemberFactory(production=production, character=name, cast_number=n,
                                    person=PersonFactory(production=production, phone=f"+44 7700 90000{n}"))
            for n, name in enumerate(["MAREN", "ELLIS", "TOBY"], start=1)}
    camera = department(production, "Camera")
    grip = department(production, "Grip")
    crew = {}
    for key, dept, pos in [("dop", camera, "Director of photography"), ("ac", camera, "1st AC"), ("grip", grip, "Key grip")]:
        crew[key] = CrewMemberFactory(
            production=production, department=dept,
            position=Position.objects.get_or_create(production=production, department=dept, name=pos)[0],
            person=PersonFactory(production=production, name=f"Crew {key}", phone=f"+44 7700 9001{len(crew)}"),
        )
    sched.calendar_set(access=ad, unit_id=unit.pk, shoot_start=DAY1, shoot_end=DAY1 + timedelta(days=4), default_call=time(7, 0))
    version = sched.schedule_create(access=ad, unit_id=unit.pk, name="Shooting", layout="board")
    # Day breaks after scenes 2, 3 and 4: board is [1, 2, |, 3, |, 4, |].
    v = version
    brk1 = sched.day_break_add(access=ad, version_id=v.pk, revision=v.revision, index=2, call_time=time(6, 30), wrap_time=time(18, 0))
    v.refresh_from_db()
    sched.day_break_add(access=ad, version_id=v.pk, revision=v.revision, index=4)
    v.refresh_from_db()
    sched.day_break_add(access=ad, version_id=v.pk, revision=v.revision)
    v.refresh_from_db()
    sched.version_publish(access=ad, version_id=v.pk, revision=v.revision)
    v.refresh_from_db()
    sched.version_apply(access=ad, version_id=v.pk, revision=v.revision)
    return {"production": production, "unit": unit, "ad": ad, "ad_user": ad_user, "cast": cast, "crew": crew,
            "version": v, "break1": brk1}
