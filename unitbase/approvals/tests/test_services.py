"""Approvals through the services: chains by amount, authority, separation of duties, delegation,
concurrency, rejection and resubmission, withdrawal, policies and audit events."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import PersonFactory, department, member
from unitbase.approvals import registry
from unitbase.approvals.models import ApprovalPolicy, ApprovalRequest, ApprovalStep
from unitbase.approvals.selectors import approval_is_locked, approval_pending_for_user
from unitbase.approvals.services import (
    ApprovalConflict,
    approval_decide,
    approval_policies_reset,
    approval_policy_create,
    approval_request_submit,
    approval_withdraw,
    delegation_create,
    delegation_end,
)
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Membership

from .conftest import KEY

pytestmark = pytest.mark.django_db


def chain(req):
    return [(s.roles, s.authorising, s.decision) for s in req.steps.order_by("order")]


def decide(crew, user, req, decision="approve", **kwargs):
    return approval_decide(access=crew.access(user), request_id=req.pk, decision=decision, **kwargs)


DH, UPM_PM, LP, PROD, ACC = ["department_head"], ["upm", "production_manager"], ["line_producer"], ["producer"], [
    "production_accountant"]


# Chains by amount ------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "expected"), [
    ("500", [(DH, True), (UPM_PM, True), (ACC, True)]),
    ("5000", [(DH, False), (UPM_PM, True), (ACC, True)]),
    ("10000", [(DH, False), (UPM_PM, True), (ACC, True)]),
    ("10000.01", [(DH, False), (UPM_PM, True), (LP, True), (ACC, False)]),
    ("50000.01", [(DH, False), (UPM_PM, False), (LP, False), (PROD, True), (ACC, False)]),
])
def test_chain_follows_the_amount_band_and_marks_authorising_steps(submit, amount, expected):
    req = submit(amount)
    assert [(roles, auth) for roles, auth, _ in chain(req)] == expected
    assert req.status == "pending" and req.current_order == 1
    assert req.amount == Decimal(amount) and req.currency == "USD"
    assert req.summary.startswith("Contact ")


def test_policies_are_seeded_once_from_the_kind_defaults(crew, submit):
    submit("10")
    submit("20")
    policies = ApprovalPolicy.objects.filter(production=crew.production, kind=KEY)
    assert [(p.min_amount, p.max_amount) for p in policies.order_by("id")] == [
        (None, Decimal("10000")), (Decimal("10000"), Decimal("50000")), (Decimal("50000"), None)]


def test_full_approval_calls_back_once_with_the_last_approver(crew, submit, calls):
    req = submit("5000")
    req = decide(crew, crew.camera_head, req)
    assert req.current_order == 2 and req.status == "pending" and calls.approved == []
    req = decide(crew, crew.pm, req)
    req = decide(crew, crew.accountant, req)
    assert req.status == "approved" and req.current_order is None and req.decided_at is not None
    assert calls.approved == [(req.object_id, req.pk, crew.accountant.pk)]
    assert [s.approver_id for s in req.steps.order_by("order")] == [crew.camera_head.pk, crew.pm.pk, crew.accountant.pk]
    actions = list(AuditEvent.objects.filter(object_type="approvalrequest", object_id=str(req.pk))
                   .order_by("id").values_list("action", "actor_id"))
    assert actions == [("approval.submit", crew.camera_crew.pk), ("approval.approve", crew.camera_head.pk),
                       ("approval.approve", crew.pm.pk), ("approval.approve", crew.accountant.pk)]
    last = AuditEvent.objects.filter(object_type="approvalrequest", object_id=str(req.pk)).order_by("id").last()
    assert last.changes["amount"] == "5000.00" and last.changes["currency"] == "USD"
    assert last.changes["status"] == "approved"


def test_bad_input_is_refused(crew, submit):
    with pytest.raises(ValidationError) as err:
        submit("-1")
    assert "amount" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        submit("10", currency="usd1")
    assert "currency" in err.value.message_dict
    with pytest.raises(ValidationError):
        approval_request_submit(access=crew.access(crew.camera_crew), kind="nope",
                                obj=PersonFactory(production=crew.production), amount=None)
    assert not ApprovalRequest.objects.exists()


def test_department_policy_wins_over_the_production_wide_one(crew, submit):
    approval_policy_create(access=crew.access(crew.upm), kind=KEY, steps=[["upm"]], department=crew.camera)
    assert chain(submit("5000")) == [(["upm"], True, "pending")]
    sound = department(crew.production, "Sound")
    assert len(chain(submit("5000", department=sound))) == 3


# Authority -----------------------------------------------------------------------------------

def test_approver_must_hold_the_step_role_and_department(crew, submit):
    req = submit("500")
    for user in (crew.sound_head, crew.upm, crew.accountant):
        with pytest.raises(PermissionDenied):
            decide(crew, user, req)
    req.refresh_from_db()
    assert req.version == 1 and req.current_order == 1
    assert not AuditEvent.objects.filter(action="approval.approve").exists()


def test_matrix_limit_applies_on_authorising_steps(crew, submit):
    req = decide(crew, crew.camera_head, submit("20000"))  # a check step: the 1,000 limit does not apply
    with pytest.raises(PermissionDenied, match=r"over your limit of 10,000\.00"):
        decide(crew, crew.pm, req)
    assert ApprovalStep.objects.get(request=req, order=2).decision == "pending"
    req = decide(crew, crew.upm, req)
    assert req.current_order == 3


def test_matrix_change_after_submission_is_enforced_at_decision(crew, submit):
    req = decide(crew, crew.camera_head, submit("5000"))
    Membership.objects.filter(production=crew.production, role=Role.UPM).update(is_active=False)
    crew.production.authority_rules.filter(action=Action.APPROVE_PURCHASE, role=Role.PRODUCTION_MANAGER).update(
        limit_amount=Decimal("1000"))
    with pytest.raises(PermissionDenied, match="over your limit"):
        decide(crew, crew.pm, req)


# Separation of duties ------------------------------------------------------------------------

def test_requester_never_decides_their_own_request(crew, submit):
    req = submit("500", requester=crew.upm)
    assert chain(req)[1] == (UPM_PM, True, "pending")  # the PM can still decide it
    req = decide(crew, crew.camera_head, req)
    with pytest.raises(PermissionDenied, match="someone else"):
        decide(crew, crew.upm, req)
    assert decide(crew, crew.pm, req).current_order == 3


def test_a_step_only_the_requester_could_decide_is_skipped(crew, submit):
    req = submit("500", requester=crew.camera_head)
    steps = list(req.steps.order_by("order"))
    assert steps[0].decision == "skipped" and "separation of duties" in steps[0].reason
    assert req.current_order == 2


def test_chain_is_escalated_when_no_one_else_may_authorise(crew, submit):
    req = submit("30000", requester=crew.upm, department=None)
    assert chain(req) == [
        (DH, False, "skipped"), (UPM_PM, False, "pending"), (LP, False, "pending"), (ACC, False, "pending"),
        (PROD, True, "pending"),
    ]
    assert req.current_order == 2


def test_submission_is_refused_when_nobody_else_has_the_authority(crew, submit):
    with pytest.raises(ValidationError, match="Nobody on this production other than you"):
        submit("60000", requester=crew.producer, department=None)
    assert not ApprovalRequest.objects.exists()


# Delegation ----------------------------------------------------------------------------------

def test_delegate_decides_on_behalf_within_dates(crew, submit):
    assistant = member(crew.production, Role.PRODUCTION_COORDINATOR).user
    req = decide(crew, crew.camera_head, submit("20000"))
    with pytest.raises(PermissionDenied):
        decide(crew, assistant, req)
    today = dt.date.today()
    future = delegation_create(access=crew.access(crew.upm), to_user_id=assistant.pk,
                               starts_on=today + dt.timedelta(days=2), ends_on=today + dt.timedelta(days=5))
    with pytest.raises(PermissionDenied):
        decide(crew, assistant, req)
    delegation_end(access=crew.access(crew.upm), delegation_id=future.pk)
    delegation_create(access=crew.access(crew.upm), to_user_id=assistant.pk,
                      starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1))
    assert [r.pk for r in approval_pending_for_user(access=crew.access(assistant))] == [req.pk]
    assert approval_pending_for_user(access=crew.access(assistant))[0].acting_for == crew.upm
    req = decide(crew, assistant, req)
    step = req.steps.get(order=2)
    assert (step.approver, step.on_behalf_of) == (assistant, crew.upm)
    assert AuditEvent.objects.filter(action="approval.approve").order_by("id").last().changes["on_behalf_of"] == crew.upm.pk


def test_ended_delegation_gives_nothing(crew, submit):
    assistant = member(crew.production, Role.PRODUCTION_COORDINATOR).user
    today = dt.date.today()
    d = delegation_create(access=crew.access(crew.upm), to_user_id=assistant.pk, starts_on=today, ends_on=today)
    delegation_end(access=crew.access(assistant), delegation_id=d.pk)
    req = decide(crew, crew.camera_head, submit("20000"))
    with pytest.raises(PermissionDenied):
        decide(crew, assistant, req)


def test_delegation_rules(crew):
    today = dt.date.today()
    access = crew.access(crew.camera_crew)
    with pytest.raises(ValidationError):
        delegation_create(access=access, to_user_id=crew.camera_crew.pk, starts_on=today, ends_on=today)
    with pytest.raises(ValidationError):
        delegation_create(access=access, to_user_id=crew.pm.pk, starts_on=today, ends_on=today - dt.timedelta(1))
    with pytest.raises(PermissionDenied):
        delegation_create(access=access, from_user_id=crew.upm.pk, to_user_id=crew.pm.pk, starts_on=today,
                          ends_on=today)
    assert not crew.production.approval_delegations.exists()
    d = delegation_create(access=crew.access(crew.producer), from_user_id=crew.upm.pk, to_user_id=crew.pm.pk,
                          starts_on=today, ends_on=today)
    with pytest.raises(PermissionDenied):
        delegation_end(access=access, delegation_id=d.pk)
    d.refresh_from_db()
    assert d.ended_at is None


def test_a_delegate_cannot_approve_their_own_request(crew, submit):
    today = dt.date.today()
    delegation_create(access=crew.access(crew.camera_head), to_user_id=crew.camera_crew.pk, starts_on=today,
                      ends_on=today)
    req = submit("500")
    with pytest.raises(PermissionDenied, match="someone else"):
        decide(crew, crew.camera_crew, req)


# Concurrency ---------------------------------------------------------------------------------

def test_second_decision_on_the_same_step_is_refused(crew, submit):
    req = decide(crew, crew.camera_head, submit("5000"))
    seen = req.version
    decide(crew, crew.pm, req, version=seen)
    with pytest.raises(ApprovalConflict, match="decided this request first"):
        decide(crew, crew.upm, req, version=seen)
    req.refresh_from_db()
    assert req.current_order == 3 and req.version == seen + 1
    step = req.steps.get(order=2)
    assert step.approver == crew.pm
    assert AuditEvent.objects.filter(action="approval.approve").count() == 2


def test_stale_version_is_refused_and_changes_nothing(crew, submit):
    req = submit("500")
    with pytest.raises(ApprovalConflict):
        decide(crew, crew.camera_head, req, version=req.version + 5)
    req.refresh_from_db()
    assert req.version == 1 and req.steps.get(order=1).decision == "pending"


def test_decided_request_answers_conflict(crew, submit):
    req = submit("500")
    decide(crew, crew.camera_head, req, "reject", reason="No quote attached")
    with pytest.raises(ApprovalConflict, match="already rejected"):
        decide(crew, crew.camera_head, req)


def test_amount_is_locked_while_pending(crew, submit, calls):
    req = submit("500")
    person = req.target
    assert approval_is_locked(obj=person)
    calls.amounts[person.pk] = Decimal("900")
    with pytest.raises(ValidationError, match="amount changed"):
        decide(crew, crew.camera_head, req)
    assert req.steps.get(order=1).decision == "pending"


def test_callback_failure_rolls_the_decision_back(crew, submit):
    def refuse(obj, req, actor):
        raise ValidationError("The PO was cancelled meanwhile.")

    registry.unregister(KEY)
    registry.register(registry.ApprovalKind(key=KEY, label="Test document", action=Action.APPROVE_PURCHASE,
                                            chain=lambda production, obj, amount: [["upm"]], on_approved=refuse))
    req = approval_request_submit(access=crew.access(crew.camera_crew), kind=KEY,
                                  obj=PersonFactory(production=crew.production), amount=Decimal("5"))
    with pytest.raises(ValidationError, match="cancelled"):
        decide(crew, crew.upm, req)
    req.refresh_from_db()
    assert req.status == "pending" and req.steps.get().decision == "pending"
    assert not AuditEvent.objects.filter(action="approval.approve").exists()


# Rejection, resubmission, withdrawal ---------------------------------------------------------

def test_rejection_needs_a_reason_and_resubmission_links_back(crew, submit, calls):
    req = submit("500")
    with pytest.raises(ValidationError) as err:
        decide(crew, crew.camera_head, req, "reject", reason="  ")
    assert "reason" in err.value.message_dict
    req.refresh_from_db()
    assert req.status == "pending" and req.version == 1
    req = decide(crew, crew.camera_head, req, "reject", reason="Wrong account code")
    assert req.status == "rejected"
    assert calls.rejected == [(req.object_id, req.pk, crew.camera_head.pk, "Wrong account code")]
    event = AuditEvent.objects.get(action="approval.reject")
    assert event.changes["reason"] == "Wrong account code"
    again = submit("450", person=req.target)
    assert again.previous == req and again.status == "pending" and again.amount == Decimal("450")


def test_only_one_pending_request_per_object(crew, submit):
    req = submit("500")
    with pytest.raises(ValidationError, match="already waiting"):
        submit("500", person=req.target)
    assert ApprovalRequest.objects.count() == 1


def test_withdraw_by_the_requester_only(crew, submit, calls):
    req = submit("500")
    with pytest.raises(PermissionDenied):
        approval_withdraw(access=crew.access(crew.upm), request_id=req.pk)
    req.refresh_from_db()
    assert req.status == "pending"
    req = approval_withdraw(access=crew.access(crew.camera_crew), request_id=req.pk, version=1)
    assert req.status == "withdrawn" and calls.withdrawn == [(req.object_id, req.pk, crew.camera_crew.pk)]
    assert AuditEvent.objects.filter(action="approval.withdraw", object_id=str(req.pk)).count() == 1
    with pytest.raises(ApprovalConflict):
        approval_withdraw(access=crew.access(crew.camera_crew), request_id=req.pk)


# Selectors and policies ----------------------------------------------------------------------

def test_pending_for_me_follows_the_current_step(crew, submit):
    req = submit("500")

    def pending(user):
        return [r.pk for r in approval_pending_for_user(access=crew.access(user))]

    assert pending(crew.camera_head) == [req.pk]
    assert pending(crew.sound_head) == pending(crew.upm) == pending(crew.camera_crew) == []
    decide(crew, crew.camera_head, req)
    assert pending(crew.upm) == pending(crew.pm) == [req.pk]
    assert pending(crew.camera_head) == []


def test_policy_edits_need_manage_members_and_valid_steps(crew, calls):
    with pytest.raises(PermissionDenied):
        approval_policy_create(access=crew.access(crew.accountant), kind=KEY, steps=[["upm"]])
    with pytest.raises(ValidationError):
        approval_policy_create(access=crew.access(crew.upm), kind=KEY, steps=[["nobody"]])
    with pytest.raises(ValidationError):
        approval_policy_create(access=crew.access(crew.upm), kind=KEY, steps=[["upm"]], min_amount=Decimal("10"),
                               max_amount=Decimal("5"))
    assert not ApprovalPolicy.objects.exists()
    policies = approval_policies_reset(access=crew.access(crew.upm), kind=KEY)
    assert len(policies) == 3
    assert AuditEvent.objects.filter(action="approval_policy.reset").count() == 1


def test_kind_registration_is_checked():
    with pytest.raises(ValueError):
        registry.ApprovalKind(key="bad key", label="x", action=Action.APPROVE_PURCHASE)
    with pytest.raises(ValueError):
        registry.ApprovalKind(key="ok", label="x", action="nope")
    with pytest.raises(registry.UnknownKind):
        registry.get("never_registered")
