# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Optimiser pages: roles (crew 403, non-member 404, a denied POST changes nothing), bad input 422,
a run end to end through the page (immediate backend), live status, stop, explanation."""

import pytest
from django.urls import reverse

from tests.factories import make_production, member
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.scheduling import services
from unitbase.scheduling.models import OptimiserRun, ScheduleVersion

from .test_services import ad, calendar, cast, production, script, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db

FORM = {"scope": "all", "time_limit": "2", "holding": "1", "default_daily_cost": "500", "company_move": "1500",
        "location_revisit": "500", "overtime_per_minute": "20", "shoot_day": "5000", "change": "0",
        "overtime_cap_minutes": "120"}


@pytest.fixture
def board(ad, version):
    rev = version.revision
    services.day_break_add(access=ad, version_id=version.pk, revision=rev, index=3)
    services.day_break_add(access=ad, version_id=version.pk, revision=rev + 1, index=7)
    return ScheduleVersion.objects.get(pk=version.pk)


def url(production, name="start", *args):
    return reverse(f"optimiser:{name}", args=[production.pk, *args])


def login(client, production, role):
    user = member(production, role).user
    client.force_login(user)
    return user


def _snapshot():
    return (ScheduleVersion.objects.count(), OptimiserRun.objects.count(),
            AuditEvent.objects.filter(action__startswith="schedule.optimise").count())


def test_crew_gets_403_and_a_denied_post_changes_nothing(client, production, board):
    login(client, production, Role.CREW)
    assert client.get(url(production)).status_code == 403
    before = _snapshot()
    response = client.post(url(production), {**FORM, "version": board.pk})
    assert response.status_code == 403 and _snapshot() == before


def test_non_member_gets_404_and_changes_nothing(client, production, board):
    other = make_production(title="Elsewhere")
    client.force_login(member(other, Role.UPM).user)
    assert client.get(url(production)).status_code == 404
    before = _snapshot()
    assert client.post(url(production), {**FORM, "version": board.pk}).status_code == 404
    assert _snapshot() == before


def test_page_renders_with_labelled_inputs(client, production, board):
    login(client, production, Role.FIRST_AD)
    response = client.get(url(production))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_time_limit"' in html and 'for="id_company_move"' in html and "Run the optimiser" in html
    assert "No runs yet" in html


def test_bad_input_is_422_with_field_errors_and_nothing_queued(client, production, board):
    login(client, production, Role.FIRST_AD)
    before = _snapshot()
    response = client.post(url(production), {**FORM, "version": board.pk, "time_limit": "0", "company_move": "x"})
    assert response.status_code == 422 and _snapshot() == before
    assert response.context["form"].errors.keys() >= {"time_limit", "company_move"}
    response = client.post(url(production), {**FORM, "version": board.pk, "scope": "from_date"})
    assert response.status_code == 422 and "from_date" in response.context["form"].errors


def test_run_through_the_page_then_status_and_explanation(client, production, board):
    login(client, production, Role.FIRST_AD)
    response = client.post(url(production), {**FORM, "version": board.pk})
    assert response.status_code == 302
    run_id = response.url.rstrip("/").split("/")[-1]
    page = client.get(response.url)
    assert page.status_code == 200
    run = page.context["run"]
    assert run.state == "finished" and run.version is not None and run.version.status == "draft"
    assert 'hx-trigger="every 2s"' not in page.content.decode()  # finished: polling stops
    partial = client.get(response.url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    explanation = client.get(url(production, "explanation", run.version.pk))
    assert explanation.status_code == 200
    ex = explanation.context["ex"]
    stored = OptimiserRun.objects.get(pk=run_id)
    assert ex == stored.explanation and stored.result_version_id == run.version.pk
    assert AuditEvent.objects.filter(action="schedule.optimise_result", changes__run=run_id).count() == 1
    html = explanation.content.decode()
    assert "Cast holding days" in html and run.version.name in html
    assert reverse("scheduling:board", args=[production.pk, run.version.pk]) in html
    # nothing applied automatically
    assert not ScheduleVersion.objects.get(pk=run.version.pk).is_applied


def _running(production, board, user, run_id="00000000-0000-0000-0000-00000000abcd"):
    """A run still in progress (as a worker would leave it mid-solve)."""
    OptimiserRun.objects.create(
        id=run_id, production=production, unit=board.schedule.unit, source_version=board, source_name=board.name,
        requested_by=user, status=OptimiserRun.Status.RUNNING, solutions=2, objective=9000, bound=8000, seconds=3,
        time_limit=10, message="2 solution(s) · best cost 9,000 · bound 8,000")
    return run_id


def test_a_running_run_polls_and_can_be_stopped(client, production, board):
    user = login(client, production, Role.FIRST_AD)
    run_id = _running(production, board, user)
    page = client.get(url(production, "run", run_id))
    html = page.content.decode()
    assert page.context["run"].state == "running"
    assert 'hx-trigger="every 2s"' in html and "best cost 9,000" in html and "Stop and keep the best so far" in html
    stop = client.post(url(production, "cancel", run_id), HTTP_HX_REQUEST="true")
    assert stop.status_code == 200 and "Stopping" in stop.content.decode()
    assert AuditEvent.objects.filter(action="schedule.optimise_cancel", changes__run=run_id).count() == 1
    assert OptimiserRun.objects.get(pk=run_id).stop_requested
    assert stop.context["run"].state == "stopping"


def test_crew_cannot_stop_a_run(client, production, board):
    run_id = _running(production, board, member(production, Role.FIRST_AD).user)
    client.force_login(member(production, Role.CREW).user)
    assert client.post(url(production, "cancel", run_id)).status_code == 403
    assert not AuditEvent.objects.filter(action="schedule.optimise_cancel").exists()
    assert not OptimiserRun.objects.get(pk=run_id).stop_requested
    assert client.get(url(production, "run", run_id)).status_code == 403


def test_unknown_run_and_foreign_version_are_404(client, production, board):
    login(client, production, Role.FIRST_AD)
    assert client.get(url(production, "run", "nope")).status_code == 404
    assert client.get(url(production, "explanation", board.pk)).status_code == 404  # not made by the optimiser
    assert client.get(url(production, "explanation", 999999)).status_code == 404


def test_minimal_change_preset(client, production, board, ad):
    services.version_publish(access=ad, version_id=board.pk, revision=board.revision)
    services.version_apply(access=ad, version_id=board.pk, revision=board.revision + 1)
    login(client, production, Role.FIRST_AD)
    form = client.get(url(production) + "?minimal=1").context["form"]
    assert form.initial["change"] == 300 and form.initial["version"] == board.pk
