"""Loading rule packs: clear errors naming the file and field path; effective dating."""

import datetime as dt
from decimal import Decimal

import pytest

from unitbase.payroll.calc.packs import PACKS_DIR, PackError, PackRegistry, load_pack, parse_pack

MINIMAL = """
rule_set:
  id: tiny
  agreement: Tiny agreement
  version: "{version}"
  effective: {{ from: {start}, to: {end} }}
  currency: USD
  status: {{ note: test pack }}
  time: {{ note: test }}
  overtime:
    - {{ id: ot, after_hours: 8, multiplier: 1.5, note: test }}
"""


def tiny(version="1", start="2024-01-01", end="2024-12-31"):
    return parse_pack(MINIMAL.format(version=version, start=start, end=end), f"tiny-{version}.yaml")


def test_minimal_pack_loads_with_decimal_values():
    pack = tiny()
    assert pack.overtime[0].multiplier == Decimal("1.5")
    assert isinstance(pack.overtime[0].multiplier, Decimal)


def test_broken_pack_names_file_and_field_path(tmp_path):
    text = (PACKS_DIR / "iatse-crew-daily-hourly.yaml").read_text()
    broken = text.replace("schedule: [8.50, 11.00, 13.50]", "schedule: [8.50, lots, 13.50]")
    assert broken != text
    path = tmp_path / "broken.yaml"
    path.write_text(broken)
    with pytest.raises(PackError) as err:
        load_pack(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    line = next(n for n, text in enumerate(broken.splitlines(), start=1) if "lots" in text)
    assert "rule_set.meals.penalty.schedule.1 (line " in message
    assert err.value.problems == [f"rule_set.meals.penalty.schedule.1 (line {line}): Input should be a valid decimal"]


def test_unknown_key_is_refused_with_its_path():
    text = MINIMAL.format(version="1", start="2024-01-01", end="2024-12-31").replace("after_hours: 8", "after_hour: 8")
    with pytest.raises(PackError) as err:
        parse_pack(text, "typo.yaml")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "after_hour:" in row)
    # A missing key points at the mapping it is missing from (here the same line: a flow mapping).
    assert f"rule_set.overtime.0.after_hours (line {line}): Field required" in str(err.value)
    assert f"rule_set.overtime.0.after_hour (line {line}): Extra inputs are not permitted" in str(err.value)


def test_verified_needs_source_and_unverified_needs_note():
    text = MINIMAL.format(version="1", start="2024-01-01", end="2024-12-31").replace(
        "{ id: ot, after_hours: 8, multiplier: 1.5, note: test }", "{ id: ot, after_hours: 8, multiplier: 1.5, verified: true }"
    )
    with pytest.raises(PackError, match=r"rule_set\.overtime\.0 \(line \d+\): Value error, a verified rule needs a 'source'"):
        parse_pack(text)
    text = MINIMAL.format(version="1", start="2024-01-01", end="2024-12-31").replace("status: { note: test pack }", "status: {}")
    with pytest.raises(PackError, match=r"rule_set\.status \(line \d+\): Value error, an unverified rule needs a 'note'"):
        parse_pack(text)


def test_unquoted_time_in_a_case_is_explained():
    text = MINIMAL.format(version="1", start="2024-01-01", end="2024-12-31") + """
  tests:
    - name: t
      deal: { rate: 10, rate_unit: hour }
      day: { date: 2024-02-01, call: 07:00, wrap: 13:00 }
      expect: {}
"""
    with pytest.raises(PackError) as err:
        parse_pack(text, "t.yaml")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "wrap: 13:00" in row)
    assert f"rule_set.tests.0.day.wrap (line {line}): Value error, expected a quoted 'HH:MM' time, got 780" in str(err.value)


def test_not_yaml_and_not_a_mapping():
    with pytest.raises(PackError, match=r"x\.yaml: not valid YAML"):
        parse_pack("rule_set: [unclosed", "x.yaml")
    with pytest.raises(PackError, match=r"x\.yaml: \(top\): expected a mapping"):
        parse_pack("- a list", "x.yaml")


def test_registry_picks_the_version_in_force():
    registry = PackRegistry([tiny("2024", "2024-01-01", "2024-12-31"), tiny("2025", "2025-01-01", "2025-12-31")])
    assert registry.get("tiny", on=dt.date(2024, 12, 31)).version == "2024"
    assert registry.get("tiny", on=dt.date(2025, 1, 1)).version == "2025"
    with pytest.raises(LookupError, match="rule pack 'tiny' has no version in force on 2026-01-01"):
        registry.get("tiny", on=dt.date(2026, 1, 1))
    with pytest.raises(LookupError, match="no rule pack 'nope'"):
        registry.get("nope", on=dt.date(2025, 1, 1))


def test_registry_refuses_overlapping_versions():
    with pytest.raises(ValueError, match="versions 2024 and 2024b are both in force"):
        PackRegistry([tiny("2024", "2024-01-01", "2024-12-31"), tiny("2024b", "2024-06-01", "2025-12-31")])


def test_effective_dates_must_be_ordered():
    with pytest.raises(PackError, match=r"rule_set\.effective \(line \d+\): Value error, 'to' is before 'from'"):
        tiny("1", "2025-01-01", "2024-01-01")
