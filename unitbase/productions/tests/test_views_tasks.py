"""The background jobs page and the progress helpers that tasks call."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory, make_production, member
from unitbase.core.models import JobProgress
from unitbase.core.progress import job_progress_fail, job_progress_start, job_progress_update
from unitbase.productions.authority import Role

pytestmark = pytest.mark.django_db


@task(takes_context=True)
def count_scenes(context, *, production_id: int, user_id: int, scenes: int) -> int:
    """A stand-in for an import: reports progress the way real tasks do."""
    from django.contrib.auth import get_user_model

    rid = context.task_result.id
    job_progress_start(task_result_id=rid, production_id=production_id, label="Count scenes",
                       user=get_user_model().objects.get(pk=user_id))
    for done in range(1, scenes + 1):
        job_progress_update(task_result_id=rid, fraction=done / scenes, message=f"Scene {done} of {scenes}")
    return scenes


def _result(status, **kwargs):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="x.y", backend_name="default",
        run_after=now, **kwargs,
    )


def test_real_task_reports_progress_on_the_page(client):
    owner = UserFactory(full_name="Olga Owner")
    production = make_production(owner=owner)
    result = count_scenes.enqueue(production_id=production.pk, user_id=owner.pk, scenes=4)
    assert result.return_value == 4
    progress = JobProgress.objects.get(task_result_id=str(result.id))
    assert (progress.fraction, progress.message, progress.production_id) == (1.0, "Scene 4 of 4", production.pk)
    client.force_login(owner)
    response = client.get(reverse("productions:tasks", args=[production.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Count scenes" in body and "Scene 4 of 4" in body and "100%" in body and "Olga Owner" in body
    assert 'hx-trigger="every 3s"' not in body  # nothing running: no polling


def test_jobs_ordered_running_failed_then_others_and_polling_while_running(client):
    owner = UserFactory()
    production = make_production(owner=owner)
    other = make_production(title="Other")
    done = _result("SUCCESSFUL", finished_at=timezone.now())
    failed = _result("FAILED", finished_at=timezone.now())
    running = _result("RUNNING", started_at=timezone.now() - timedelta(seconds=5))
    job_progress_start(task_result_id=done.id, production_id=production.pk, label="Export")
    job_progress_update(task_result_id=done.id, fraction=1)
    job_progress_start(task_result_id=running.id, production_id=production.pk, label="Solve schedule", user=owner)
    job_progress_update(task_result_id=running.id, fraction=0.42, message="Day 3 of 7")
    job_progress_start(task_result_id=failed.id, production_id=production.pk, label="Import script")
    job_progress_fail(task_result_id=failed.id, error="The file is not a screenplay.")
    job_progress_start(task_result_id="elsewhere", production_id=other.pk, label="Other production's job")

    crew = member(production, Role.CREW).user
    client.force_login(crew)
    page_url = reverse("productions:tasks", args=[production.pk])
    response = client.get(page_url)
    assert [(j.progress.label, j.status) for j in response.context["jobs"]] == [
        ("Solve schedule", "RUNNING"), ("Import script", "FAILED"), ("Export", "SUCCESSFUL"),
    ]
    body = response.content.decode()
    assert 'hx-trigger="every 3s"' in body and "42%" in body and "The file is not a screenplay." in body
    assert "Other production" not in body

    partial = client.get(page_url, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="jobs"')
    assert "<html" not in partial.content.decode()

    DBTaskResult.objects.filter(pk=running.pk).update(status="SUCCESSFUL", finished_at=timezone.now())
    after = client.get(page_url, headers={"HX-Request": "true"}).content.decode()
    assert "every 3s" not in after  # polling stops once nothing runs


def test_empty_jobs_page_says_how_jobs_arrive(client):
    owner = UserFactory()
    production = make_production(owner=owner)
    client.force_login(owner)
    response = client.get(reverse("productions:tasks", args=[production.pk]))
    assert b"No background jobs yet" in response.content


def test_progress_fraction_is_clamped_and_restart_resets():
    job_progress_start(task_result_id="r1", production_id=None, label="Job")
    job_progress_update(task_result_id="r1", fraction=3.5, message="over")
    assert JobProgress.objects.get(task_result_id="r1").fraction == 1.0
    job_progress_fail(task_result_id="r1", error="boom")
    job_progress_start(task_result_id="r1", production_id=None, label="Job (retry)")
    progress = JobProgress.objects.get(task_result_id="r1")
    assert (progress.label, progress.fraction, progress.error) == ("Job (retry)", 0.0, "")
