"""Deleting a production removes everything that belongs to it and nothing else: no foreign key
may block the cascade (RESTRICT, not PROTECT, inside one production)."""

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.factories import make_production
from unitbase.demo.services import demo_production

pytestmark = pytest.mark.django_db


def _rows_by_model():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label.startswith(
        ("productions", "people", "scripts", "scheduling", "budgets", "payroll", "approvals", "callsheets"))}


def test_deleting_the_demo_production_removes_its_rows_and_keeps_others():
    other = make_production(title="Another show")
    baseline = _rows_by_model()
    call_command("demo", verbosity=0)
    demo = demo_production()
    assert demo is not None
    demo.delete()
    assert _rows_by_model() == baseline
    other.refresh_from_db()
