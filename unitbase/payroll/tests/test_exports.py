"""Payroll CSV layout and the PDF timecard report."""

import csv
import io
import os

import pytest
from django.urls import reverse

from unitbase.payroll import exports, services

from .test_services import WEEK_ENDING, Crew, approve_fully, meal_day, t

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    crew = Crew()
    acc = crew.access(crew.crew_user)
    card = services.timecard_create(access=acc, deal=crew.deal, week_ending=WEEK_ENDING)
    meal_day(acc, card)
    meal_day(acc, card, date=WEEK_ENDING.replace(day=5), meal1_out=t("12:00"), meal1_in=t("12:30"), wrap=t("21:00"))
    services.timecard_submit(access=acc, timecard_id=card.pk)
    approve_fully(crew, card)
    draft = services.timecard_create(access=crew.access(crew.other_user), deal=crew.deal2, week_ending=WEEK_ENDING)
    meal_day(crew.access(crew.other_user), draft)
    return crew, card


def test_csv_layout_one_line_per_person_per_pay_element(client, approved):
    crew, card = approved
    client.force_login(crew.accountant)
    response = client.get(reverse("payroll:export_csv", args=[crew.production.pk]) + "?week_ending=2025-03-08")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="night-train-payroll-2025-03-08.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == exports.CSV_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert {r["person"] for r in body} == {crew.deal.person_name}  # the draft card is not exported
    by_rule = {r["rule_id"]: r for r in body}
    straight = by_rule["iatse-crew-daily-hourly@2024-08-01:straight"]
    assert (straight["pay_element"], straight["hours"], straight["rate"], straight["amount"]) == ("base", "16", "50", "800.00")
    assert straight["production"] == "Night Train" and straight["week_ending"] == "2025-03-08"
    assert (straight["department"], straight["position"], straight["currency"]) == ("Camera", "1st AC", "USD")
    overtime = by_rule["iatse-crew-daily-hourly@2024-08-01:ot_1_5"]
    assert (overtime["hours"], overtime["rate"], overtime["amount"]) == ("9", "75", "675.00")
    meal = by_rule["iatse-crew-daily-hourly@2024-08-01:meal_penalty"]
    assert meal["amount"] == "104.50" and meal["hours"] == ""
    card.refresh_from_db()
    total = sum(float(r["amount"]) for r in body if r["pay_element"] != "fringe")
    assert f"{total:.2f}" == f"{card.gross:.2f}"
    assert len({(r["person"], r["rule_id"]) for r in body}) == len(body)


def test_export_refused_to_crew_and_department_heads(client, approved):
    crew, _ = approved
    for user in (crew.crew_user, crew.camera_head):
        client.force_login(user)
        assert client.get(reverse("payroll:export_csv", args=[crew.production.pk])).status_code == 403


def test_pdf_report(client, approved):
    crew, card = approved
    client.force_login(crew.crew_user)
    response = client.get(reverse("payroll:card_pdf", args=[crew.production.pk, card.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if os.environ.get("PAYROLL_PDF_OUT"):  # for looking at it: PAYROLL_PDF_OUT=/tmp/tc.pdf
        with open(os.environ["PAYROLL_PDF_OUT"], "wb") as fh:
            fh.write(response.content)
    client.force_login(crew.accountant)
    response = client.get(reverse("payroll:export_pdf", args=[crew.production.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
