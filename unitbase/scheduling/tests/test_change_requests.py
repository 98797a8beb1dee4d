# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Changing a locked, applied schedule through approvals: an editor without approve_schedule_change
proposes a version (usually a changed copy) in place of the locked applied one; the approver the
policy names (default UPM, who needs the matrix action) approves, which applies it atomically, or
rejects it with a reason. Stale requests are refused. Every denied request changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.approvals.models import ApprovalRequest
from unitbase.approvals.services import ApprovalConflict, approval_decide
from unitbase.core.models import AuditEvent
from unitbase.productions import services as production_services
from unitbase.productions.authority import Action, Role
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scheduling import services
from unitbase.scheduling.models import ScheduleChange, ScheduleVersion

from .test_services import ad, calendar, cast, fresh, production, scene_order, script, strip_of, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(ad, version):
    """The applied, locked 'White' and a 'Blue' copy whose scene 1 the 1st AD sent to the boneyard."""
    services.version_rename(access=ad, version_id=version.pk, revision=1, name="White")
    services.version_publish(access=ad, version_id=version.pk, revision=2)
    services.version_apply(access=ad, version_id=version.pk, revision=3)
    services.version_lock(access=ad, version_id=version.pk, revision=4)
    copy = services.version_duplicate(access=ad, version_id=version.pk, name="Blue")
    services.strip_move(access=ad, version_id=copy.pk, revision=1, strip_ids=[strip_of(copy, "1").pk], to="boneyard")
    return fresh(version), fresh(copy)


@pytest.fixture
def pm(production):
    return access_production(member(production, Role.PRODUCTION_MANAGER).user, production.pk)


def state(*versions):
    """Everything a decision could change, to assert a refusal changed nothing."""
    rows = [(v.pk, v.status, v.is_applied, v.revision) for v in ScheduleVersion.objects.filter(pk__in=[x.pk for x in versions])]
    return (sorted(rows), list(ScheduleChange.objects.values_list("pk", "status", "reason")),
            list(ApprovalRequest.objects.values_list("pk", "status", "version")), AuditEvent.objects.count())


def request_change(ad, locked, note="Rain on day 1"):
    white, blue = locked
    return services.schedule_change_request(access=ad, proposal_id=blue.pk, note=note, target_revision=white.revision)


def test_request_submits_a_schedule_change_approval_to_the_upm(ad, upm, locked):
    white, blue = locked
    change = request_change(ad, locked)
    assert change.status == "pending" and change.target == white and change.proposal == blue
    assert (change.target_revision, change.proposal_revision) == (white.revision, blue.revision)
    req = ApprovalRequest.objects.get()
    assert req.kind == "schedule_change" and req.status == "pending" and req.target == change
    assert [s.roles for s in req.steps.all()] == [["upm"]]
    assert "apply “Blue” in place of locked “White”" in req.summary
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2])
    assert set(actions) == {"schedule.change_request", "approval.submit"}


def test_upm_approves_and_the_proposal_becomes_the_locked_applied_version(ad, upm, locked):
    white, blue = locked
    change = request_change(ad, locked)
    change = services.schedule_change_decide(access=upm, change_id=change.pk, decision="approve")
    assert change.status == "approved" and change.decided_by == upm.user
    white, blue = fresh(white), fresh(blue)
    assert not white.is_applied and white.status == "locked"
    assert blue.is_applied and blue.status == "locked" and blue.locked_at and blue.published_at
    assert scene_order(blue, "boneyard") == ["1"]
    assert AuditEvent.objects.filter(action="schedule.change_approve", changes__applied="Blue").exists()
    # Now Blue is the locked plan: the 1st AD may not edit it directly either.
    with pytest.raises(ActionDenied):
        services.strip_move(access=ad, version_id=blue.pk, revision=blue.revision,
                            strip_ids=[strip_of(blue, "2").pk], to="boneyard")


def test_approving_from_the_approvals_inbox_applies_it_too(ad, upm, locked):
    white, blue = locked
    request_change(ad, locked)
    approval_decide(access=upm, request_id=ApprovalRequest.objects.get().pk, decision="approve")
    assert fresh(blue).is_applied and not fresh(white).is_applied


@pytest.mark.parametrize("who", ["ad", "pm", "producer", "crew"])
def test_only_the_named_approver_may_decide_and_a_refusal_changes_nothing(production, ad, pm, upm, locked, who):
    white, blue = locked
    change = request_change(ad, locked)
    actor = {"ad": ad, "pm": pm,
             "producer": access_production(member(production, Role.PRODUCER).user, production.pk),
             "crew": access_production(member(production, Role.CREW).user, production.pk)}[who]
    before = state(white, blue)
    with pytest.raises(ActionDenied):
        services.schedule_change_decide(access=actor, change_id=change.pk, decision="approve")
    assert state(white, blue) == before
    assert fresh(white).is_applied and not fresh(blue).is_applied


def test_without_a_upm_the_request_goes_to_the_producer(production, ad, locked):
    """No UPM on the production: the approvals chain escalates to the producer, who holds the action."""
    _white, blue = locked
    change = request_change(ad, locked)
    assert [s.roles for s in ApprovalRequest.objects.get().steps.all() if s.decision == "pending"] == [["producer"]]
    producer = access_production(member(production, Role.PRODUCER).user, production.pk)
    assert services.schedule_change_decide(access=producer, change_id=change.pk, decision="approve").status == "approved"
    assert fresh(blue).is_applied


def test_a_upm_without_the_matrix_action_may_not_approve(production, ad, upm, locked):
    white, blue = locked
    change = request_change(ad, locked)
    producer = access_production(member(production, Role.PRODUCER).user, production.pk)
    production_services.authority_rule_set(access=producer, action=Action.APPROVE_SCHEDULE_CHANGE, role=Role.UPM,
                                           allowed=False)
    upm = access_production(upm.user, production.pk)
    before = state(white, blue)
    with pytest.raises(ActionDenied):
        services.schedule_change_decide(access=upm, change_id=change.pk, decision="approve")
    assert state(white, blue) == before


def test_members_without_change_schedule_cannot_ask(production, locked):
    white, blue = locked
    crew = access_production(member(production, Role.CREW).user, production.pk)
    before = state(white, blue)
    with pytest.raises(ActionDenied):
        services.schedule_change_request(access=crew, proposal_id=blue.pk)
    assert state(white, blue) == before and not ScheduleChange.objects.exists()


def test_rejection_needs_a_reason_and_leaves_the_locked_version_applied(ad, upm, locked):
    white, blue = locked
    change = request_change(ad, locked)
    before = state(white, blue)
    with pytest.raises(ValidationError, match="Say why"):
        services.schedule_change_decide(access=upm, change_id=change.pk, decision="reject", reason=" ")
    assert state(white, blue) == before
    change = services.schedule_change_decide(access=upm, change_id=change.pk, decision="reject",
                                             reason="Day 1 is the only harbour day")
    assert change.status == "rejected" and change.reason == "Day 1 is the only harbour day"
    assert fresh(white).is_applied and not fresh(blue).is_applied
    assert AuditEvent.objects.filter(action="schedule.change_reject").exists()
    # The proposal can be edited again and asked for anew.
    blue = fresh(blue)
    services.strip_move(access=ad, version_id=blue.pk, revision=blue.revision, strip_ids=[strip_of(blue, "1").pk], to="board")
    assert request_change(ad, (fresh(white), fresh(blue))).status == "pending"


def test_the_proposal_is_frozen_while_it_waits(ad, locked):
    white, blue = locked
    request_change(ad, locked)
    before = state(white, blue)
    with pytest.raises(ValidationError, match="waiting for approval"):
        services.strip_move(access=ad, version_id=blue.pk, revision=blue.revision,
                            strip_ids=[strip_of(blue, "2").pk], to="boneyard")
    with pytest.raises(ValidationError, match="waiting for approval"):
        services.version_delete(access=ad, version_id=blue.pk, revision=blue.revision)
    with pytest.raises(ValidationError, match="already waiting"):
        request_change(ad, locked)
    assert state(white, blue) == before


def test_a_stale_request_is_refused_and_changes_nothing(ad, upm, locked):
    """The UPM changed the locked version after the request: approving it now would throw that away."""
    white, blue = locked
    change = request_change(ad, locked)
    services.strip_move(access=upm, version_id=white.pk, revision=white.revision,
                        strip_ids=[strip_of(white, "6").pk], to="boneyard")
    white = fresh(white)
    before = state(white, blue)
    with pytest.raises(ValidationError, match="stale") as err:
        services.schedule_change_decide(access=upm, change_id=change.pk, decision="approve")
    assert "White" in str(err.value) and "Nothing was changed" in str(err.value)
    assert state(white, blue) == before
    assert services.schedule_change_decide(access=upm, change_id=change.pk, decision="reject",
                                           reason="Stale").status == "rejected"


def test_a_stale_target_revision_is_refused_when_asking(ad, locked):
    white, blue = locked
    before = state(white, blue)
    with pytest.raises(services.StaleVersion):
        services.schedule_change_request(access=ad, proposal_id=blue.pk, target_revision=white.revision - 1)
    assert state(white, blue) == before


def test_bad_requests_are_refused_and_change_nothing(ad, upm, version):
    copy = services.version_duplicate(access=ad, version_id=version.pk, name="Blue")
    with pytest.raises(ValidationError, match="no applied version"):
        services.schedule_change_request(access=ad, proposal_id=copy.pk)
    services.version_publish(access=ad, version_id=version.pk, revision=1)
    services.version_apply(access=ad, version_id=version.pk, revision=2)
    with pytest.raises(ValidationError, match="not locked"):
        services.schedule_change_request(access=ad, proposal_id=copy.pk)
    with pytest.raises(ValidationError, match="already the applied"):
        services.schedule_change_request(access=ad, proposal_id=version.pk)
    with pytest.raises(ValidationError, match="No such schedule version"):
        services.schedule_change_request(access=ad, proposal_id=999999)
    services.version_lock(access=ad, version_id=version.pk, revision=fresh(version).revision)
    with pytest.raises(ValidationError, match="is the same as"):
        services.schedule_change_request(access=ad, proposal_id=copy.pk)
    assert not ScheduleChange.objects.exists() and not ApprovalRequest.objects.exists()


def test_withdraw_is_the_requesters_only(ad, upm, locked):
    white, blue = locked
    change = request_change(ad, locked)
    before = state(white, blue)
    with pytest.raises(ActionDenied):
        services.schedule_change_withdraw(access=upm, change_id=change.pk)
    assert state(white, blue) == before
    assert services.schedule_change_withdraw(access=ad, change_id=change.pk).status == "withdrawn"
    with pytest.raises(ApprovalConflict):
        services.schedule_change_decide(access=upm, change_id=change.pk, decision="approve")
    assert fresh(white).is_applied and not fresh(blue).is_applied


# --- pages ----------------------------------------------------------------------------------------


def test_pages_ask_show_the_diff_and_approve(client, production, ad, upm, locked):
    white, blue = locked
    client.force_login(ad.user)
    page = client.get(reverse("scheduling:versions", args=[production.pk])).content.decode()
    assert "Ask to apply" in page
    response = client.post(reverse("scheduling:change_request", args=[production.pk]),
                           {"proposal": blue.pk, "target_revision": white.revision, "note": "Rain"})
    change = ScheduleChange.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/schedule/changes/{change.pk}/")
    detail = client.get(response["Location"]).content.decode()
    assert "Scenes that moved" in detail and "Boneyard" in detail and "Approve and apply" not in detail
    # The requester may not approve their own request: 403, nothing changes.
    before = state(white, blue)
    assert client.post(reverse("scheduling:change_decide", args=[production.pk, change.pk, "approve"])).status_code == 403
    assert state(white, blue) == before
    assert "Waiting for approval" in client.get(reverse("scheduling:versions", args=[production.pk])).content.decode()

    client.force_login(upm.user)
    inbox = client.get(reverse("approvals:inbox", args=[production.pk])).content.decode()
    assert "apply “Blue” in place of locked “White”" in inbox and f"/schedule/changes/{change.pk}/" in inbox
    detail = client.get(reverse("scheduling:change", args=[production.pk, change.pk])).content.decode()
    assert "Approve and apply" in detail
    response = client.post(reverse("scheduling:change_decide", args=[production.pk, change.pk, "approve"]))
    assert response.status_code == 302
    assert fresh(blue).is_applied and fresh(blue).status == "locked" and not fresh(white).is_applied
    # Deciding again is a conflict, answered 409 with the page.
    again = client.post(reverse("scheduling:change_decide", args=[production.pk, change.pk, "reject"]), {"reason": "x"})
    assert again.status_code == 409 and "decided it first" in again.content.decode()


def test_page_shows_a_stale_request_clearly(client, production, ad, upm, locked):
    white, blue = locked
    change = request_change(ad, locked)
    services.version_unlock(access=upm, version_id=white.pk, revision=white.revision)
    client.force_login(upm.user)
    before = state(white, blue)
    response = client.post(reverse("scheduling:change_decide", args=[production.pk, change.pk, "approve"]))
    assert response.status_code == 422 and "stale" in response.content.decode()
    assert state(white, blue) == before


# --- API -------------------------------------------------------------------------------------------


def token(access):
    _, raw = api_token_create(user=access.user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_ask_decide_and_conflicts(client, production, ad, upm, locked):
    white, blue = locked
    base = f"/api/v1/productions/{production.pk}/schedule/changes"
    j = {"content_type": "application/json"}
    crew = token(access_production(member(production, Role.CREW).user, production.pk))
    ad, upm = token(ad), token(upm)
    assert client.post(base, {"proposal_id": blue.pk}, **j, **crew).status_code == 403
    assert not ScheduleChange.objects.exists()
    stale = client.post(base, {"proposal_id": blue.pk, "target_revision": white.revision - 1}, **j, **ad)
    assert stale.status_code == 409 and not ScheduleChange.objects.exists()
    made = client.post(base, {"proposal_id": blue.pk, "target_revision": white.revision, "note": "Rain"}, **j, **ad)
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "pending" and body["target_name"] == "White" and body["proposal_name"] == "Blue"
    assert client.get(f"{base}?status=pending", **upm).json()[0]["id"] == body["id"]
    before = state(white, blue)
    denied = client.post(f"{base}/{body['id']}/decide", {"decision": "approve"}, **j, **ad)
    assert denied.status_code == 403 and state(white, blue) == before
    no_reason = client.post(f"{base}/{body['id']}/decide", {"decision": "reject"}, **j, **upm)
    assert no_reason.status_code == 422 and state(white, blue) == before
    ok = client.post(f"{base}/{body['id']}/decide", {"decision": "approve", "version": body["approval_version"]},
                     **j, **upm)
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert fresh(blue).is_applied and not fresh(white).is_applied
    again = client.post(f"{base}/{body['id']}/decide", {"decision": "approve"}, **j, **upm)
    assert again.status_code == 409
    other = client.get(f"/api/v1/productions/{production.pk}/schedule/changes/999999", **upm)
    assert other.status_code == 404
