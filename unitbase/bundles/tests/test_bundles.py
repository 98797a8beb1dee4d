import copy
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import UserFactory, make_production
from unitbase.bundles.services import SCHEMA_VERSION, BundleError, production_export, production_import
from unitbase.cli import main as unitbase_main
from unitbase.core.models import AuditEvent
from unitbase.demo.services import demo_create
from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.people.services import cast_member_create, crew_member_hire, person_create
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import (
    AuthorityRule,
    Department,
    Episode,
    Invitation,
    Membership,
    Position,
    Production,
    Unit,
)
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.productions.services import episode_create, invitation_accept, invitation_create, membership_update

pytestmark = pytest.mark.django_db

PRODUCER = "producer@demo.unitbase.test"
TABLES = [Production, Unit, Episode, Department, Position, Membership, AuthorityRule, Invitation, Person,
          CrewMember, CastMember, AuditEvent]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in [*TABLES, get_user_model()]}


def export(production: Production, email: str = PRODUCER) -> dict:
    user = get_user_model().objects.get(email=email)
    # Through JSON text, as the command writes it.
    return json.loads(json.dumps(production_export(access=access_production(user, production.pk,
                                                                             Action.EXPORT_PRODUCTION))))


def wipe_everything() -> None:
    """Empty the database of everything a bundle carries (audit events are append-only and
    stay, under the old production id, which no export of the new production reads)."""
    Production.objects.all().delete()  # cascades to everything the productions own
    get_user_model().objects.all().delete()


@pytest.fixture
def small():
    """A small production and its bundle, for the refusal tests."""
    owner = UserFactory(email="owner@example.test", full_name="Olive Owner")
    production = make_production("Harbour Lights", owner=owner, base_currency="GBP")
    access = access_production(owner, production.pk)
    camera = Department.objects.get(production=production, name="Camera")
    person = person_create(access=access, name="Ana Sobral", email="ana@example.org")
    crew_member_hire(access=access, person=person, department=camera, position_name="Director of Photography",
                     rate_amount=Decimal("3500.00"), rate_unit="week")
    actor = cast_member_create(access=access, person=person_create(access=access, name="Siobhan Kerrigan"),
                               character="Maren", rate_amount=Decimal("1200.00"))
    bundle = export(production, owner.email)
    return {"owner": owner, "production": production, "bundle": bundle, "cast": actor}


def write(tmp_path, content) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def import_fails(tmp_path, content, *extra) -> str:
    """Run `import` on content; assert exit code 2 and no change; return the message."""
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("import", write(tmp_path, content), "--as", "owner@example.test", *extra)
    assert exc.value.returncode == 2
    assert counts() == before
    assert "nothing was changed" in str(exc.value)
    return str(exc.value)


# ----------------------------------------------------------------------------- round trip


def test_round_trip_of_the_demo_into_an_empty_database_loses_nothing():
    production, _ = demo_create()
    producer = get_user_model().objects.get(email=PRODUCER)
    as_producer = access_production(producer, production.pk)
    episode_create(access=as_producer, number="101", title="Pilot")  # a section the demo leaves empty
    leaver = invitation_accept(
        token=invitation_create(access=as_producer, email="leaver@example.test", role=Role.CREW,
                                department=Department.objects.get(production=production, name="Grip")).token,
        password="pass-word-123", full_name="Lee Leaver",
    )
    membership_update(access=as_producer, membership_id=leaver.pk, role=Role.CREW, is_active=False)
    first = export(production)
    assert len(first["crew"]) >= 25 and len(first["cast"]) >= 8 and len(first["invitations"]) == 1
    assert first["episodes"] == [{"key": "productions.episode:1", "number": "101", "title": "Pilot"}]
    carried = [m for m in TABLES[1:-1] if m is not Invitation]  # only open invitations travel
    source_counts = {m.__name__: m.objects.filter(production=production).count() for m in carried}

    wipe_everything()
    actor = UserFactory(email=PRODUCER, full_name="Harriet Vance")
    imported = production_import(actor=actor, bundle=copy.deepcopy(first))

    assert {m.__name__: m.objects.filter(production=imported).count() for m in carried} == source_counts
    assert Invitation.objects.get(production=imported).email == "coordinator@demo.unitbase.test"
    again = export(imported)
    # Apart from exported_at, the second export differs only by the import's own event, at the end.
    imported_event = again["audit_events"].pop()
    assert imported_event["action"] == "production.import"
    assert imported_event["actor"] == PRODUCER
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in first.items() if k != "exported_at"
    }
    # History moved with the production; members other than the actor got accounts without passwords.
    assert AuditEvent.objects.filter(production_id=imported.pk).count() == len(first["audit_events"]) + 2  # + import, export
    crew_user = get_user_model().objects.get(email="crew@demo.unitbase.test")
    assert not crew_user.has_usable_password()
    assert crew_user.full_name == "Jamie Okoro"
    assert Person.objects.get(production=imported, user=crew_user).name == "Jamie Okoro"
    assert actor.has_usable_password()
    assert Membership.objects.get(production=imported, user__email="leaver@example.test").is_active is False


def test_import_adds_an_outside_actor_as_producer_and_renames(small, tmp_path):
    outsider = UserFactory(email="outsider@example.test")
    path = write(tmp_path, small["bundle"])
    call_command("import", path, "--as", outsider.email, "--rename", "Harbour Lights (copy)")
    copy_ = Production.objects.get(title="Harbour Lights (copy)")
    assert Membership.objects.get(production=copy_, user=outsider).role == Role.PRODUCER
    assert Membership.objects.get(production=copy_, user=small["owner"]).role == Role.PRODUCER
    assert CrewMember.objects.get(production=copy_).rate_amount == Decimal("3500.00")
    assert small["production"].crew.count() == 1  # the source is untouched
    event = AuditEvent.objects.filter(production_id=copy_.pk, action="production.import").get()
    assert event.changes["actor_joined_as_producer"] is True


def test_export_command_writes_the_bundle_to_stdout_and_to_a_file(small, tmp_path, capsys):
    call_command("export", str(small["production"].pk), "--as", "owner@example.test")
    bundle = json.loads(capsys.readouterr().out)
    assert bundle["format"] == "unitbase-bundle" and bundle["schema_version"] == SCHEMA_VERSION
    assert bundle["crew"][0]["department"] == "Camera"
    assert bundle["crew"][0]["person"] == bundle["people"][0]["ref"]
    assert bundle["crew"][0]["rate_amount"] == "3500.00"
    out = tmp_path / "out.json"
    call_command("export", str(small["production"].pk), "--as", "owner@example.test", "-o", str(out))
    assert json.loads(out.read_text())["production"]["title"] == "Harbour Lights"
    assert AuditEvent.objects.filter(production_id=small["production"].pk, action="production.export").count() == 3  # fixture + 2


# ----------------------------------------------------------------------------- authorisation


@pytest.mark.parametrize("role", [Role.CREW, Role.LINE_PRODUCER, Role.DEPARTMENT_HEAD])
def test_export_is_refused_to_roles_without_export_permission(small, role, capsys):
    user = UserFactory()
    Membership.objects.create(production=small["production"], user=user, role=role)
    before = counts()
    with pytest.raises(ActionDenied):
        production_export(access=access_production(user, small["production"].pk))
    with pytest.raises(CommandError) as exc:
        call_command("export", str(small["production"].pk), "--as", user.email)
    assert exc.value.returncode == 2
    assert "export the whole production" in str(exc.value)
    assert capsys.readouterr().out == ""
    assert counts() == before


def test_export_of_a_production_the_user_is_not_in_is_not_found(small):
    stranger = UserFactory()
    with pytest.raises(CommandError, match="no such production") as exc:
        call_command("export", str(small["production"].pk), "--as", stranger.email)
    assert exc.value.returncode == 2
    with pytest.raises(CommandError, match="no active user"):
        call_command("export", str(small["production"].pk), "--as", "nobody@example.test")


# ----------------------------------------------------------------------------- refusals


def test_malformed_json_is_refused(small, tmp_path):
    message = import_fails(tmp_path, '{"format": "unitbase-bundle", ')
    assert "bundle: not valid JSON" in message and "line 1" in message


def test_a_json_list_is_refused(small, tmp_path):
    assert "bundle: must be a JSON object, not list" in import_fails(tmp_path, "[1, 2]")


def test_wrong_format_is_refused(small, tmp_path):
    bundle = {**small["bundle"], "format": "something-else"}
    assert "format: expected 'unitbase-bundle'" in import_fails(tmp_path, bundle)


def test_newer_schema_version_is_refused(small, tmp_path):
    bundle = {**small["bundle"], "schema_version": SCHEMA_VERSION + 1}
    message = import_fails(tmp_path, bundle)
    assert f"schema_version: the bundle has version {SCHEMA_VERSION + 1}" in message
    assert "upgrade Unitbase" in message


def test_collision_is_refused_unless_renamed(small, tmp_path):
    message = import_fails(tmp_path, small["bundle"])
    assert "production.title: a production called 'Harbour Lights' already exists" in message
    assert "--rename" in message
    assert "already exists" in import_fails(tmp_path, small["bundle"], "--rename", "harbour lights")


def test_dangling_department_reference_is_refused(small, tmp_path):
    bundle = copy.deepcopy(small["bundle"])
    bundle["crew"][0]["department"] = "Camra"
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert "crew[0].department: no department 'Camra' in the bundle" in message


def test_dangling_person_and_member_references_are_all_reported(small, tmp_path):
    bundle = copy.deepcopy(small["bundle"])
    bundle["cast"][0]["person"] = "P99"
    bundle["audit_events"][0]["actor"] = "ghost@example.test"
    bundle["positions"].append({"key": "productions.position:99", "department": "Nowhere", "name": "Grip"})
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert "cast[0].person: no person 'P99' in the bundle" in message
    assert "audit_events[0].actor: no membership with the e-mail 'ghost@example.test' in the bundle" in message
    assert f"positions[{len(bundle['positions']) - 1}].department: no department 'Nowhere'" in message


def test_missing_keys_and_wrong_types_are_refused(small, tmp_path):
    bundle = copy.deepcopy(small["bundle"])
    del bundle["cast"]
    del bundle["crew"][0]["rate_unit"]
    bundle["crew"][0]["rate_amount"] = 3500.0
    bundle["memberships"][0]["is_active"] = "yes"
    bundle["people"][0]["shoe_size"] = 9
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert "cast: missing" in message
    assert "crew[0].rate_unit: missing" in message
    assert "crew[0].rate_amount: must be a decimal number as a string" in message
    assert "memberships[0].is_active: must be true or false, not str" in message
    assert "people[0].shoe_size: unknown key" in message


def test_a_row_the_models_refuse_rolls_the_whole_import_back(small, tmp_path):
    bundle = copy.deepcopy(small["bundle"])
    bundle["cast"][0]["rate_currency"] = "pounds"  # passes the bundle checks, fails the model's
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert "cast[0].rate_currency: Enter a three-letter ISO 4217 currency code" in message
    assert not Production.objects.filter(title="Fresh").exists()


def test_the_service_refuses_with_bundle_errors(small):
    before = counts()
    with pytest.raises(BundleError) as exc:
        production_import(actor=small["owner"], bundle={**small["bundle"], "units": "Main unit"}, title="Fresh")
    assert "units: must be a list, not str" in exc.value.errors
    assert counts() == before


def test_the_unitbase_cli_exits_with_code_2_on_a_bad_bundle(small, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        unitbase_main(["import", write(tmp_path, "not json"), "--as", "owner@example.test"])
    assert exc.value.code == 2
    assert "bundle: not valid JSON" in capsys.readouterr().err


def test_a_bundle_that_would_lock_the_producer_out_is_refused(small, tmp_path):
    bundle = copy.deepcopy(small["bundle"])
    bundle["authority_rules"] = [
        r for r in bundle["authority_rules"] if (r["action"], r["role"]) != ("manage_members", "producer")
    ]
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert "authority_rules: the producer must keep 'manage_members'" in message
