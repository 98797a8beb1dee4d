"""End to end on the demo production: `unitbase schedule optimise` writes a draft version with its
explanation, the UPM publishes and applies it; bad CLI input ends with a clear message and no run."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from unitbase.demo import data
from unitbase.demo.services import demo_production
from unitbase.productions.authority import Action
from unitbase.productions.permissions import access_production
from unitbase.scheduling import services
from unitbase.scheduling.models import OptimiserRun, ScheduleVersion, Strip

pytestmark = pytest.mark.django_db

UPM = "upm@demo.unitbase.test"


@pytest.fixture
def demo():
    call_command("demo", verbosity=0)
    return demo_production()


def test_optimise_the_demo_from_the_cli_and_apply_the_draft(demo):
    applied = ScheduleVersion.objects.get(schedule__production=demo, schedule__unit__name="Main unit", is_applied=True)
    applied_strips = list(Strip.objects.filter(version=applied).values_list("pk", "section", "position"))
    out, err = StringIO(), StringIO()
    call_command("schedule", "optimise", "--production", data.TITLE.lower().replace(" ", "-"), "--unit", "main unit",
                 "--as", UPM, "--time-limit", "6", "--minimal-change", stdout=out, stderr=err)
    text = out.getvalue()
    run = OptimiserRun.objects.get(production=demo)
    draft = run.result_version
    assert run.status == "finished" and draft is not None and draft.status == "draft" and not draft.is_applied
    assert f"Draft version: {draft.name}" in text and "Cast holding days" in text and "Total" in text
    assert "solution(s)" in err.getvalue()  # progress lines
    assert run.options["change"] == 300 and run.explanation["total_after"] == run.objective
    assert run.explanation["total_after"] <= run.explanation["total_before"]  # warm start: never worse
    # the applied version is untouched
    assert list(Strip.objects.filter(version=applied).values_list("pk", "section", "position")) == applied_strips
    # the UPM reviews, publishes and applies the draft
    access = access_production(demo.memberships.get(user__email=UPM).user, demo.pk, Action.CHANGE_SCHEDULE)
    published = services.version_publish(access=access, version_id=draft.pk, revision=draft.revision)
    services.version_apply(access=access, version_id=draft.pk, revision=published.revision)
    assert ScheduleVersion.objects.get(pk=draft.pk).is_applied
    assert not ScheduleVersion.objects.get(pk=applied.pk).is_applied


def test_cli_bad_input_says_why_and_records_nothing(demo):
    args = ["schedule", "optimise", "--production", str(demo.pk), "--unit", "Main unit"]
    with pytest.raises(CommandError, match="no active user"):
        call_command(*args, "--as", "nobody@example.com")
    with pytest.raises(CommandError, match="no schedule for that unit"):
        call_command("schedule", "optimise", "--production", str(demo.pk), "--unit", "Third unit", "--as", UPM)
    with pytest.raises(CommandError, match="between 1 and 600"):
        call_command(*args, "--as", UPM, "--time-limit", "0")
    with pytest.raises(CommandError, match="does not allow"):  # crew may not change the schedule
        crew = demo.memberships.filter(role="crew").first()
        call_command(*args, "--as", crew.user.email)
    assert not OptimiserRun.objects.exists()
