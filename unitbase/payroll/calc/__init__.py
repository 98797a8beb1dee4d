"""Timecard calculation against rule packs: pure Python, no Django.

Entry points: ``evaluate_day``, ``evaluate_week``, ``check_turnaround`` / ``check_schedule``,
``default_registry()`` (the packs shipped in unitbase/payroll/packs) and ``load_pack``.
"""

from unitbase.payroll.calc.engine import evaluate_day, evaluate_week, rest_requirement
from unitbase.payroll.calc.model import (
    DayResult,
    Deal,
    Interval,
    MealPeriod,
    PayLine,
    RestCheck,
    WeekResult,
    WorkDay,
)
from unitbase.payroll.calc.packs import PackError, PackRegistry, default_registry, load_pack, parse_pack
from unitbase.payroll.calc.schema import RuleSet
from unitbase.payroll.calc.turnaround import RestViolation, check_schedule, check_turnaround

__all__ = [
    "DayResult",
    "Deal",
    "Interval",
    "MealPeriod",
    "PackError",
    "PackRegistry",
    "PayLine",
    "RestCheck",
    "RestViolation",
    "RuleSet",
    "WeekResult",
    "WorkDay",
    "check_schedule",
    "check_turnaround",
    "default_registry",
    "evaluate_day",
    "evaluate_week",
    "load_pack",
    "parse_pack",
    "rest_requirement",
]
