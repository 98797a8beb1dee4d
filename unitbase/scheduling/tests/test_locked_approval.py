# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Changing a locked, applied schedule needs the approval the authority matrix names
(approve_schedule_change; by default the UPM and producer), not a hard-coded role list."""

import pytest

from tests.factories import member
from unitbase.core.models import AuditEvent
from unitbase.productions import services as production_services
from unitbase.productions.authority import DEFAULT_MATRIX, Action, Role
from unitbase.productions.models import AuthorityRule
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scheduling import services

from .test_services import ad, calendar, cast, fresh, production, scene_order, script, strip_of, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied_locked(ad, version):
    services.version_publish(access=ad, version_id=version.pk, revision=1)
    services.version_apply(access=ad, version_id=version.pk, revision=2)
    services.version_lock(access=ad, version_id=version.pk, revision=3)
    v = fresh(version)
    assert v.is_applied and v.status == "locked"
    return v


def test_default_matrix_names_upm_and_producer():
    assert set(DEFAULT_MATRIX[Action.APPROVE_SCHEDULE_CHANGE]) == {Role.UPM, Role.PRODUCER}


def test_new_production_seeds_the_approval_rows(production):
    roles = set(AuthorityRule.objects.filter(production=production, action="approve_schedule_change")
                .values_list("role", flat=True))
    assert roles == {"upm", "producer"}


def test_upm_may_change_the_locked_applied_schedule(upm, applied_locked):
    s1 = strip_of(applied_locked, "1")
    services.strip_move(access=upm, version_id=applied_locked.pk, revision=applied_locked.revision,
                        strip_ids=[s1.pk], to="boneyard")
    assert scene_order(applied_locked, "boneyard") == ["1"]


def test_first_ad_is_refused_and_nothing_changes(ad, applied_locked):
    rev = applied_locked.revision
    before = scene_order(applied_locked)
    events = AuditEvent.objects.count()
    with pytest.raises(ActionDenied) as err:
        services.strip_move(access=ad, version_id=applied_locked.pk, revision=rev,
                            strip_ids=[strip_of(applied_locked, "1").pk], to="boneyard")
    assert "locked" in str(err.value) and "Change a locked, applied schedule" in str(err.value)
    with pytest.raises(ActionDenied):
        services.version_unlock(access=ad, version_id=applied_locked.pk, revision=rev)
    v = fresh(applied_locked)
    assert v.revision == rev and v.status == "locked" and v.is_applied
    assert scene_order(v) == before and scene_order(v, "boneyard") == []
    assert AuditEvent.objects.count() == events


def test_first_ad_cannot_replace_the_locked_applied_version(ad, applied_locked):
    copy = services.version_duplicate(access=ad, version_id=applied_locked.pk)
    services.version_publish(access=ad, version_id=copy.pk, revision=1)
    with pytest.raises(ActionDenied):
        services.version_apply(access=ad, version_id=copy.pk, revision=fresh(copy).revision)
    assert fresh(applied_locked).is_applied and not fresh(copy).is_applied


def test_granting_the_action_to_the_1st_ad_in_the_matrix_allows_them(production, upm, applied_locked):
    production_services.authority_rule_set(access=upm, action=Action.APPROVE_SCHEDULE_CHANGE,
                                           role=Role.FIRST_AD, allowed=True)
    ad = access_production(member(production, Role.FIRST_AD).user, production.pk)  # fresh access reads the rows
    services.strip_move(access=ad, version_id=applied_locked.pk, revision=applied_locked.revision,
                        strip_ids=[strip_of(applied_locked, "1").pk], to="boneyard")
    assert scene_order(applied_locked, "boneyard") == ["1"]
    services.version_unlock(access=ad, version_id=applied_locked.pk, revision=fresh(applied_locked).revision)
    assert fresh(applied_locked).status == "published"


def test_revoking_the_action_from_the_upm_refuses_them(production, upm, applied_locked):
    production_services.authority_rule_set(access=upm, action=Action.APPROVE_SCHEDULE_CHANGE,
                                           role=Role.UPM, allowed=False)
    upm = access_production(upm.user, production.pk)
    rev = applied_locked.revision
    with pytest.raises(ActionDenied):
        services.strip_move(access=upm, version_id=applied_locked.pk, revision=rev,
                            strip_ids=[strip_of(applied_locked, "1").pk], to="boneyard")
    assert fresh(applied_locked).revision == rev and scene_order(applied_locked, "boneyard") == []


def test_authority_page_lets_the_upm_grant_it(client, production, upm, applied_locked):
    """The matrix page lists the action; granting it there lets the 1st AD change the locked version."""
    from django.urls import reverse

    client.force_login(upm.user)
    page = reverse("productions:authority", args=[production.pk])
    assert "Change a locked, applied schedule" in client.get(page).content.decode()
    client.post(page, {"action": "approve_schedule_change", "role": "first_ad", "allowed": "on", "scope": "all"})
    ad = access_production(member(production, Role.FIRST_AD).user, production.pk)
    services.strip_move(access=ad, version_id=applied_locked.pk, revision=applied_locked.revision,
                        strip_ids=[strip_of(applied_locked, "1").pk], to="boneyard")
    assert scene_order(applied_locked, "boneyard") == ["1"]
