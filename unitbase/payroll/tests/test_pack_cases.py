"""Every test case embedded in every shipped rule pack, one pytest id per case."""

import pytest

from unitbase.payroll.calc.cases import run_case
from unitbase.payroll.calc.packs import default_registry

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
    ]
    for pack in REGISTRY.all():
        names = " | ".join(case.name.lower() for case in pack.tests)
        assert len(pack.tests) >= 4, pack.id
        assert "6th day" in names, pack.id
        assert "meal" in names, pack.id
        assert any(c.expect.rest_violation is not None for c in pack.tests), pack.id


def test_unverified_values_are_listed_with_notes():
    uk = REGISTRY.get("uk-crew-bectu-pact-style", on=__import__("datetime").date(2025, 1, 1))
    unverified = uk.unverified()
    assert unverified[0].startswith("status: not in the domain spec")
    assert any(line.startswith("meals.penalty:") for line in unverified)
    sag = REGISTRY.versions("sag-aftra-day-performer")[0]
    paths = [line.split(":")[0] for line in sag.unverified()]
    assert "meals" not in paths and "meals.penalty" not in paths  # [V] in the spec
    assert "overscale" in paths
