"""The production pages: each renders for an allowed role, refuses the others, and a refused
request changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import CastMemberFactory, CrewMemberFactory, UserFactory, make_production, member
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import AuthorityRule, Department, Episode, Invitation, Membership, Production, Unit
from unitbase.productions.permissions import access_production
from unitbase.productions.services import invitation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(full_name="Pat Producer")


@pytest.fixture
def production(owner):
    return make_production(title="Night Train", owner=owner, kind="series", time_zone="Europe/London")


def _client(client, user):
    client.force_login(user)
    return client


def url(name, production, *args):
    return reverse(f"productions:{name}", args=[production.pk, *args])


# Access: every page, allowed / denied / outsider ---------------------------------------------

PAGES = ["dashboard", "members", "authority", "tasks", "settings", "audit"]


@pytest.mark.parametrize("name", PAGES)
def test_producer_sees_every_page(client, owner, production, name):
    response = _client(client, owner).get(url(name, production))
    assert response.status_code == 200
    assert b"Night Train" in response.content


@pytest.mark.parametrize("name", PAGES)
def test_outsider_gets_404(client, production, name):
    outsider = member(make_production(title="Other"), Role.PRODUCER).user
    assert _client(client, outsider).get(url(name, production)).status_code == 404


@pytest.mark.parametrize(("name", "status"), [
    ("dashboard", 200), ("members", 200), ("authority", 200), ("tasks", 200), ("settings", 403), ("audit", 403),
])
def test_crew_sees_shared_pages_only(client, production, name, status):
    crew = member(production, Role.CREW).user
    assert _client(client, crew).get(url(name, production)).status_code == status


def test_anonymous_is_sent_to_sign_in(client, production):
    response = client.get(url("dashboard", production))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# Dashboard ----------------------------------------------------------------------------------


def test_dashboard_counts_and_recent_changes(client, owner, production, django_assert_max_num_queries):
    CrewMemberFactory.create_batch(2, production=production)
    CastMemberFactory(production=production)
    member(production, Role.CREW)
    _client(client, owner)
    with django_assert_max_num_queries(20):
        response = client.get(url("dashboard", production))
    stats = response.context["stats"]
    assert stats == {"crew": 2, "cast": 1, "departments_with_crew": 1, "members": 2, "open_invitations": 0}
    assert [e.action for e in response.context["events"]] == ["production.create"]
    assert b"Invite a person" in response.content
    assert b"Europe/London" in response.content


def test_dashboard_hides_audit_and_invite_from_crew(client, production):
    crew = member(production, Role.CREW).user
    response = _client(client, crew).get(url("dashboard", production))
    assert response.context["events"] is None
    assert b"Recent changes" not in response.content
    assert b"Invite a person" not in response.content


# New production ----------------------------------------------------------------------------


def test_any_user_creates_a_production_and_becomes_producer(client):
    user = UserFactory()
    response = _client(client, user).post(reverse("productions:new"), {
        "title": "Deep Water", "kind": "feature", "status": "prep", "base_currency": "eur", "time_zone": "Europe/Paris",
    })
    production = Production.objects.get(title="Deep Water")
    assert response.status_code == 302
    assert response["Location"] == url("dashboard", production)
    assert production.base_currency == "EUR"
    assert Membership.objects.get(production=production, user=user).role == Role.PRODUCER


def test_new_production_invalid_gets_422(client):
    response = _client(client, UserFactory()).post(reverse("productions:new"), {
        "title": "", "kind": "feature", "status": "prep", "base_currency": "E1", "time_zone": "Mars/Olympus",
    })
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"title", "base_currency", "time_zone"}
    assert not Production.objects.exists()


# Settings ----------------------------------------------------------------------------------


def test_settings_update_and_adds(client, owner, production):
    _client(client, owner)
    response = client.post(url("settings", production), {
        "form": "production", "title": "Night Train II", "kind": "series", "status": "shooting",
        "base_currency": "GBP", "time_zone": "Europe/London",
    })
    assert response.status_code == 302
    production.refresh_from_db()
    assert (production.title, production.status, production.base_currency) == ("Night Train II", "shooting", "GBP")
    client.post(url("settings", production), {"form": "unit", "unit-name": "Second unit", "unit-kind": "second"})
    client.post(url("settings", production), {"form": "episode", "episode-number": "101", "episode-title": "Pilot"})
    response = client.post(url("settings", production), {"form": "department", "department-name": "Drones"},
                           follow=True)
    assert production.units.filter(name="Second unit", kind="second").exists()
    assert Episode.objects.get(production=production).title == "Pilot"
    assert Department.objects.filter(production=production, name="Drones").exists()
    assert "Department “Drones” added." in [str(m) for m in response.context["messages"]]
    assert AuditEvent.objects.filter(production_id=production.pk, action="production.update").exists()


def test_settings_duplicate_unit_is_a_field_error(client, owner, production):
    response = _client(client, owner).post(url("settings", production),
                                           {"form": "unit", "unit-name": "Main unit", "unit-kind": "main"})
    assert response.status_code == 422
    assert "name" in response.context["unit_form"].errors or response.context["unit_form"].non_field_errors()
    assert production.units.count() == 1


def test_settings_invalid_time_zone_is_422(client, owner, production):
    response = _client(client, owner).post(url("settings", production), {
        "form": "production", "title": "X", "kind": "series", "status": "prep", "base_currency": "USD",
        "time_zone": "Nowhere/Else",
    })
    assert response.status_code == 422
    assert "time_zone" in response.context["production_form"].errors
    production.refresh_from_db()
    assert production.title == "Night Train"


def test_settings_denied_post_changes_nothing(client, production):
    crew = member(production, Role.CREW).user
    response = _client(client, crew).post(url("settings", production), {"form": "unit", "unit-name": "Rogue"})
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Rogue").exists()


# Members and invitations -------------------------------------------------------------------


def test_members_list_for_crew_has_no_invitations_or_edit_links(client, owner, production):
    crew = member(production, Role.CREW, department_name="Camera").user
    access = access_production(owner, production.pk)
    invitation_create(access=access, email="secret@example.test", role=Role.CAST)
    response = _client(client, crew).get(url("members", production))
    assert response.status_code == 200
    assert crew.email.encode() in response.content and owner.email.encode() in response.content
    assert b"secret@example.test" not in response.content
    assert b"Invite a person" not in response.content
    assert response.context["invite_form"] is None


def test_invite_sends_email_and_audits(client, owner, production, django_capture_on_commit_callbacks):
    camera = production.departments.get(name="Camera")
    _client(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invite", production), {
            "email": "New.Person@Example.test", "full_name": "Nia New", "role": Role.CREW,
            "department": camera.pk, "unit": "",
        })
    assert response.status_code == 302
    invitation = Invitation.objects.get(production=production)
    assert (invitation.email, invitation.department, invitation.invited_by) == ("new.person@example.test", camera, owner)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.test"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(production_id=production.pk, action="invitation.create").count() == 1
    page = client.get(url("members", production))
    assert b"new.person@example.test" in page.content


def test_invite_invalid_is_422_with_field_errors(client, owner, production):
    other_dept = make_production(title="Other").departments.first()
    response = _client(client, owner).post(url("invite", production), {
        "email": "not-an-email", "role": "wizard", "department": other_dept.pk,
    })
    assert response.status_code == 422
    assert set(response.context["invite_form"].errors) == {"email", "role", "department"}
    assert not Invitation.objects.exists()


def test_invite_existing_member_is_field_error(client, owner, production):
    response = _client(client, owner).post(url("invite", production), {"email": owner.email, "role": Role.CREW})
    assert response.status_code == 422
    assert "already a member" in str(response.context["invite_form"].errors["email"])


def test_invite_denied_for_crew_changes_nothing(client, production):
    crew = member(production, Role.CREW).user
    response = _client(client, crew).post(url("invite", production), {"email": "x@example.test", "role": Role.CREW})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_member_edit(client, owner, production):
    target = member(production, Role.CREW)
    sound = production.departments.get(name="Sound")
    _client(client, owner)
    assert client.get(url("member_edit", production, target.pk)).status_code == 200
    prefix = f"m{target.pk}-"
    response = client.post(url("member_edit", production, target.pk), {
        prefix + "role": Role.DEPARTMENT_HEAD, prefix + "department": sound.pk, prefix + "unit": "",
        prefix + "is_active": "on",
    }, follow=True)
    target.refresh_from_db()
    assert (target.role, target.department) == (Role.DEPARTMENT_HEAD, sound)
    assert any("updated" in str(m) for m in response.context["messages"])


def test_member_edit_last_producer_cannot_be_demoted(client, owner, production):
    membership = Membership.objects.get(production=production, user=owner)
    prefix = f"m{membership.pk}-"
    response = _client(client, owner).post(url("member_edit", production, membership.pk), {
        prefix + "role": Role.CREW, prefix + "is_active": "on",
    })
    assert response.status_code == 422
    assert "at least one active producer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.PRODUCER


def test_member_edit_denied_changes_nothing(client, production):
    crew = member(production, Role.CREW)
    target = member(production, Role.CREW)
    prefix = f"m{target.pk}-"
    response = _client(client, crew.user).post(url("member_edit", production, target.pk), {
        prefix + "role": Role.PRODUCER, prefix + "is_active": "on",
    })
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.CREW


def test_member_of_other_production_is_404(client, owner, production):
    other = member(make_production(title="Other"), Role.CREW)
    assert _client(client, owner).get(url("member_edit", production, other.pk)).status_code == 404


def test_revoke_invitation(client, owner, production):
    invitation = invitation_create(access=access_production(owner, production.pk), email="a@example.test", role="crew")
    response = _client(client, owner).post(url("invitation_revoke", production, invitation.pk), follow=True)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert any("revoked" in str(m) for m in response.context["messages"])


def test_revoke_denied_changes_nothing(client, owner, production):
    invitation = invitation_create(access=access_production(owner, production.pk), email="a@example.test", role="crew")
    crew = member(production, Role.CREW).user
    assert _client(client, crew).post(url("invitation_revoke", production, invitation.pk)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# Accepting an invitation -------------------------------------------------------------------


def _invite(owner, production, email="newbie@example.test", role=Role.FIRST_AD):
    return invitation_create(access=access_production(owner, production.pk), email=email, role=role,
                             full_name="Nell Newbie")


def test_accept_creates_user_membership_and_signs_in(client, owner, production):
    invitation = _invite(owner, production)
    link = reverse("productions:invitation_accept", args=[invitation.token])
    page = client.get(link)
    assert page.status_code == 200
    assert b"Night Train" in page.content and b"1st AD" in page.content
    response = client.post(link, {"full_name": "Nell Newbie", "password1": "long-unusual-pass-77",
                                  "password2": "long-unusual-pass-77"})
    assert response.status_code == 302
    assert response["Location"] == url("dashboard", production)
    user = get_user_model().objects.get(email="newbie@example.test")
    assert user.check_password("long-unusual-pass-77")
    assert Membership.objects.get(production=production, user=user).role == Role.FIRST_AD
    assert client.get(url("dashboard", production)).status_code == 200  # signed in


def test_accept_weak_password_is_422(client, owner, production):
    invitation = _invite(owner, production)
    response = client.post(reverse("productions:invitation_accept", args=[invitation.token]),
                           {"full_name": "Nell", "password1": "password", "password2": "password"})
    assert response.status_code == 422
    assert "password1" in response.context["form"].errors
    assert not get_user_model().objects.filter(email="newbie@example.test").exists()


def test_accept_signed_in_with_one_button(client, owner, production):
    existing = UserFactory(email="newbie@example.test")
    invitation = _invite(owner, production)
    link = reverse("productions:invitation_accept", args=[invitation.token])
    anonymous = client.get(link)
    assert b"Sign in to accept" in anonymous.content
    assert client.post(link, {}).status_code == 200  # no account takeover without signing in
    assert not Membership.objects.filter(user=existing).exists()
    _client(client, existing)
    assert b"Accept and open the production" in client.get(link).content
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(production=production, user=existing).role == Role.FIRST_AD


def test_accept_as_another_user_is_refused(client, owner, production):
    invitation = _invite(owner, production)
    other = UserFactory()
    response = _client(client, other).post(reverse("productions:invitation_accept", args=[invitation.token]))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=other, production=production).exists()


@pytest.mark.parametrize("state", ["unknown", "revoked", "accepted", "expired"])
def test_bad_invitation_link_is_a_clear_page(client, owner, production, state):
    from django.utils import timezone

    invitation = _invite(owner, production)
    token = invitation.token
    if state == "unknown":
        token = "nope"
    elif state == "revoked":
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    elif state == "accepted":
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    else:
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timezone.timedelta(days=1))
    link = reverse("productions:invitation_accept", args=[token])
    for response in (client.get(link), client.post(link, {"password1": "x", "password2": "x"})):
        assert response.status_code == (404 if state == "unknown" else 410)
        assert b"This link does not work" in response.content
    assert not get_user_model().objects.filter(email="newbie@example.test").exists()


# Authority matrix --------------------------------------------------------------------------


def test_matrix_visible_to_crew_without_edit(client, production):
    crew = member(production, Role.CREW).user
    response = _client(client, crew).get(url("authority", production))
    assert response.status_code == 200
    assert b"Approve purchases" in response.content
    assert b"USD 1,000" in response.content  # department head's purchase limit
    assert b"hx-get" not in response.content


def test_matrix_htmx_edit_returns_cell_partial(client, owner, production):
    _client(client, owner)
    cell_url = url("authority", production)
    edit = client.get(cell_url, {"action": Action.APPROVE_PURCHASE, "role": Role.CREW, "edit": "1"},
                      headers={"HX-Request": "true"})
    assert edit.status_code == 200
    assert edit.content.decode().lstrip().startswith('<td id="cell-approve_purchase-crew"')
    assert b'name="limit_amount"' in edit.content
    response = client.post(cell_url, {"action": Action.APPROVE_PURCHASE, "role": Role.CREW, "allowed": "on",
                                      "scope": "own", "limit_amount": "250"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<td id="cell-approve_purchase-crew"') and "<html" not in body
    assert "USD 250" in body and "Saved" in body
    rule = AuthorityRule.objects.get(production=production, action=Action.APPROVE_PURCHASE, role=Role.CREW)
    assert (rule.scope, rule.limit_amount) == ("own", Decimal("250"))
    assert AuditEvent.objects.filter(production_id=production.pk, action="authority.update").count() == 1


def test_matrix_bad_input_is_422_in_the_cell(client, owner, production):
    _client(client, owner)
    response = client.post(url("authority", production), {
        "action": Action.APPROVE_PURCHASE, "role": Role.CREW, "allowed": "on", "scope": "all", "limit_amount": "-5",
    }, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert b"cell-approve_purchase-crew" in response.content and b"errorlist" in response.content
    refusal = client.post(url("authority", production), {
        "action": Action.MANAGE_MEMBERS, "role": Role.PRODUCER, "scope": "all",
    }, headers={"HX-Request": "true"})
    assert refusal.status_code == 422
    assert b"always keep member and authority management" in refusal.content
    assert not AuthorityRule.objects.filter(production=production, action=Action.APPROVE_PURCHASE,
                                            role=Role.CREW).exists()
    assert AuthorityRule.objects.filter(production=production, action=Action.MANAGE_MEMBERS,
                                        role=Role.PRODUCER).exists()


def test_matrix_edit_denied_changes_nothing(client, production):
    crew = member(production, Role.CREW).user
    response = _client(client, crew).post(url("authority", production), {
        "action": Action.MANAGE_MEMBERS, "role": Role.CREW, "allowed": "on", "scope": "all",
    }, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert not AuthorityRule.objects.filter(production=production, action=Action.MANAGE_MEMBERS,
                                            role=Role.CREW).exists()


# Audit trail -------------------------------------------------------------------------------


def test_audit_filters_and_paginates(client, owner, production):
    access = access_production(owner, production.pk)
    for i in range(55):
        invitation_create(access=access, email=f"p{i}@example.test", role=Role.CREW)
    _client(client, owner)
    first = client.get(url("audit", production))
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 56
    filtered = client.get(url("audit", production), {"action": "invitation.create", "q": "p54@"})
    assert [e.object_repr for e in filtered.context["page"].object_list] == [
        f"Invitation of p54@example.test to {production.title}"
    ]
    assert b"email:" in filtered.content
    second = client.get(url("audit", production), {"action": "invitation.create", "page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert b"action=invitation.create&amp;page=2" in client.get(url("audit", production), {"action": "invitation.create"}).content


def test_audit_shows_old_and_new(client, owner, production):
    from unitbase.productions.services import production_update

    production_update(access=access_production(owner, production.pk), status="shooting")
    response = _client(client, owner).get(url("audit", production), {"action": "production.update"})
    assert "status:</span> <del>development</del> → <ins>shooting</ins>" in response.content.decode()


def test_audit_bad_filter_values_do_not_fail(client, owner, production):
    response = _client(client, owner).get(url("audit", production), {"actor": "abc", "page": "999"})
    assert response.status_code == 200
