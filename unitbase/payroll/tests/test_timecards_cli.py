"""`unitbase payroll calc`: the database-free calculator over a pack file and a timecard JSON file."""

import json

import pytest
from django.core.management import CommandError, call_command

from unitbase.payroll import cli
from unitbase.payroll.calc.packs import PACKS_DIR

PACK = str(PACKS_DIR / "iatse-crew-daily-hourly.yaml")
CARD = {
    "deal": {"rate": "50.00", "rate_unit": "hour", "jurisdiction": "US-CA"},
    "days": [
        {"date": "2025-03-04", "call": "07:00", "meals": [["13:42", "14:12"]], "wrap": "19:00", "zone": "studio_zone",
         "previous_dismissal": "20:00"},
        {"date": "2025-03-05", "call": "18:00", "meals": [["23:30", "00:00"]], "wrap": "04:00", "zone": "studio_zone"},
    ],
}


@pytest.fixture
def card_file(tmp_path):
    path = tmp_path / "card.json"
    path.write_text(json.dumps(CARD))
    return str(path)


def test_json_output_lists_days_tiers_penalties_lines_and_totals(card_file, capsys):
    assert cli.main(["calc", "--rules", PACK, "--timecard", card_file, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["gross"] == "1225.00" and out["currency"] == "USD"
    first, night = out["days"]
    assert first["hours"] == {"straight": "8", "ot_1_5": "3.5"} and first["meal_penalty_units"] == 2
    assert first["rest"]["violated"] is False
    assert [line["explanation"] for line in first["lines"] if line["kind"] == "meal_penalty"] == [
        "Meal penalty 1: first meal due 13:00, taken 13:42", "Meal penalty 2: first meal due 13:00, taken 13:42",
    ]
    assert night["worked_hours"] == "9.5"  # crosses midnight: 18:00 to 04:00 less a 30-minute meal


def test_text_output(card_file, capsys):
    assert cli.main(["calc", "--rules", PACK, "--timecard", card_file]) == 0
    out = capsys.readouterr().out
    assert "Week gross: USD 1225.00" in out and "2 meal penalties" in out


def test_bad_timecard_names_the_field(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**CARD, "days": [{**CARD["days"][0], "wrap": "7pm"}]}))
    assert cli.main(["calc", "--rules", PACK, "--timecard", str(bad)]) == 2
    assert "days.0.wrap: expected a time as HH:MM, got '7pm'" in capsys.readouterr().err


def test_broken_pack_is_refused_with_its_path(tmp_path, card_file, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text((PACKS_DIR / "iatse-crew-daily-hourly.yaml").read_text().replace("schedule: [8.50", "schedule: [abc", 1))
    assert cli.main(["calc", "--rules", str(broken), "--timecard", card_file]) == 2
    assert "rule_set.meals.penalty.schedule.0" in capsys.readouterr().err


def test_management_command(card_file, capsys):
    call_command("payroll", "calc", "--rules", PACK, "--timecard", card_file, "--json")
    assert json.loads(capsys.readouterr().out)["gross"] == "1225.00"
    with pytest.raises(CommandError, match="No such file"):
        call_command("payroll", "calc", "--rules", PACK, "--timecard", card_file + ".missing")


def test_day_rate_week_across_a_new_agreement_takes_both_versions(tmp_path, capsys):
    card = tmp_path / "sag.json"
    card.write_text(json.dumps({"deal": {"rate": "1200.00", "rate_unit": "day"}, "days": [
        {"date": d, "call": "07:00", "meals": [["13:00", "13:30"]], "wrap": "17:30"} for d in ("2026-06-30", "2026-07-01")]}))
    old, new = (str(PACKS_DIR / f"sag-aftra-day-performer{s}.yaml") for s in ("", "-2026"))
    # One version alone cannot price the other's day: said, exit 2.
    assert cli.main(["calc", "--rules", old, "--timecard", str(card)]) == 2
    assert "rule pack 'sag-aftra-day-performer' has no version in force on 2026-07-01" in capsys.readouterr().err
    assert cli.main(["calc", "--rules", old, "--rules", new, "--timecard", str(card), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [d["pack"] for d in out["days"]] == ["sag-aftra-day-performer@2023-11-09", "sag-aftra-day-performer@2026-07-01"]
    assert out["gross"] == "3300.00"  # 1,200 + 2 h x 150 x 1.5 each day
    with pytest.raises(CommandError, match="version 2023-11-09 is loaded twice"):
        call_command("payroll", "calc", "--rules", old, "--rules", old, "--timecard", str(card))
