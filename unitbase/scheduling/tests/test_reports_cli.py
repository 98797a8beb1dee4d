# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""`unitbase schedule report dood|oneliner|shooting ...`: files in each format, and clear refusals
for bad input that leave the database as it was."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UserFactory, member
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.scheduling import services
from unitbase.scheduling.models import ScheduleVersion, Strip

from .test_services import ad, calendar, cast, production, script, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(ad, upm, version):
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    services.version_publish(access=ad, version_id=version.pk, revision=2)
    return services.version_apply(access=upm, version_id=version.pk, revision=3)


def run(*args):
    err = io.StringIO()
    call_command("schedule", "report", *args, stderr=err)
    return err.getvalue()


def test_dood_csv_of_the_applied_version_by_title_slug(tmp_path, production, applied):
    out = tmp_path / "dood.csv"
    message = run("dood", "--production", "schedule-test", "--format", "csv", "--output", str(out))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["Schedule Test", "Day out of days — Cast", "Main unit", "First draft"]
    assert rows[1][:3] == ["#", "Cast", "Mon 01 Mar (D1)"]
    maren = next(r for r in rows if r[1].startswith("MAREN"))
    assert maren[2] == "SW" and "Wrote Day out of days" in message


def test_oneliner_and_shooting_by_version_name_in_xlsx_and_pdf(tmp_path, production, ad, applied):
    services.version_duplicate(access=ad, version_id=applied.pk, name="Blue")
    xlsx = tmp_path / "one.xlsx"
    run("oneliner", "--production", str(production.pk), "--version", "blue", "--format", "xlsx", "-o", str(xlsx))
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert "Blue" in sheet["A1"].value and sheet["C3"].value == "1"
    pdf = tmp_path / "shooting.pdf"
    run("shooting", "--production", "Schedule Test", "--version", "First draft", "--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_dood_of_a_breakdown_category(tmp_path, production, applied):
    out = tmp_path / "props.csv"
    run("dood", "--production", str(production.pk), "--category", "props", "--output", str(out))
    assert "LAMP" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("args, message", [
    (["--version", "Pink"], "has no schedule version 'Pink' (its versions: 'First draft')"),
    (["--unit", "Splinter"], "no unit 'Splinter'"),
    (["--category", "wardrobe"], "no breakdown category 'wardrobe'"),
    (["--as", "nobody@example.test"], "no active user"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path, production, applied, args, message):
    out = tmp_path / "x.csv"
    before = (AuditEvent.objects.count(), ScheduleVersion.objects.get(pk=applied.pk).revision, Strip.objects.count())
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("dood", "--production", str(production.pk), "--output", str(out), *args)
    assert not out.exists()
    assert before == (AuditEvent.objects.count(), ScheduleVersion.objects.get(pk=applied.pk).revision, Strip.objects.count())


def test_unknown_production_and_outsider(tmp_path, production, applied):
    with pytest.raises(CommandError, match="no production 'nope'"):
        run("dood", "--production", "nope", "--output", str(tmp_path / "x.csv"))
    outsider = UserFactory()
    with pytest.raises(CommandError, match=f"production {production.pk}"):
        run("dood", "--production", str(production.pk), "--as", outsider.email, "--output", str(tmp_path / "x.csv"))
    crew = member(production, Role.CREW).user
    run("oneliner", "--production", str(production.pk), "--as", crew.email, "--output", str(tmp_path / "crew.csv"))
    assert (tmp_path / "crew.csv").exists()


def test_no_applied_version_asks_for_a_name(tmp_path, production, version):
    with pytest.raises(CommandError, match="no applied schedule version: give --version NAME"):
        run("shooting", "--production", str(production.pk), "--output", str(tmp_path / "x.csv"))
