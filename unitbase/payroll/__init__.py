"""Payroll: timecards, rule packs, calculation, export."""
