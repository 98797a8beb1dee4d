"""Every test case embedded in every shipped rule pack, one pytest id per case."""

import datetime as dt

import pytest

from unitbase.payroll.calc.cases import run_case
from unitbase.payroll.calc.packs import PACKS_DIR, default_registry

REGISTRY = default_registry()
CASES = [
    pytest.param(pack, case, id=f"{pack.id}@{pack.version}::{case.name}")
    for pack in REGISTRY.all()
    for case in pack.tests
]


@pytest.mark.parametrize(("pack", "case"), CASES)
def test_pack_case(pack, case):
    _, problems = run_case(pack, case, REGISTRY)
    assert not problems, "\n".join(problems)


def test_every_shipped_pack_has_the_required_cases():
    ids = REGISTRY.ids()
    assert ids == [
        "ca-daily-overtime-floor",
        "dga-ad-upm-weekly",
        "iatse-crew-daily-hourly",
        "sag-aftra-day-performer",
        "sag-aftra-weekly-performer",
        "uk-crew-bectu-pact-style",
        "uk-performer-equity-pact-style",
    ]
    for pack in REGISTRY.all():
        names = " | ".join(case.name.lower() for case in pack.tests)
        assert len(pack.tests) >= 4, pack.id
        assert "6th day" in names, pack.id
        assert "meal" in names, pack.id
        assert any(c.expect.rest_violation is not None for c in pack.tests), pack.id


def test_unverified_values_are_listed_with_notes():
    uk = REGISTRY.get("uk-crew-bectu-pact-style", on=dt.date(2025, 1, 1))
    unverified = uk.unverified()
    assert unverified[0].startswith("status: not in the domain spec")
    assert any(line.startswith("meals.penalty:") for line in unverified)
    sag = REGISTRY.versions("sag-aftra-day-performer")[0]
    paths = [line.split(":")[0] for line in sag.unverified()]
    assert "meals" not in paths and "meals.penalty" not in paths  # [V] in the spec
    assert "overscale" in paths


def test_each_case_is_dated_inside_its_own_version():
    """A case is run against its own version, and the registry picks that version for the case's date."""
    for pack in REGISTRY.all():
        for case in pack.tests:
            assert pack.effective.covers(case.day.date), f"{pack.id}@{pack.version}: {case.name} on {case.day.date}"
            assert REGISTRY.get(pack.id, on=case.day.date) is pack


def test_successor_versions_from_1_july_2026():
    for pack_id in ("sag-aftra-day-performer", "sag-aftra-weekly-performer", "dga-ad-upm-weekly"):
        old, new = REGISTRY.versions(pack_id)
        assert old.effective.to == dt.date(2026, 6, 30)
        assert (new.version, new.effective.from_, new.effective.to) == ("2026-07-01", dt.date(2026, 7, 1), None)
        assert REGISTRY.get(pack_id, on=dt.date(2026, 6, 30)) is old
        assert REGISTRY.get(pack_id, on=dt.date(2026, 7, 1)) is new
        # Nothing in the successor claims to be verified: the spec describes the earlier agreement only.
        unverified = new.unverified()
        assert unverified[0].startswith("status: successor from 1 July 2026")
        assert "verified: true" not in (PACKS_DIR / f"{pack_id}-2026.yaml").read_text()
