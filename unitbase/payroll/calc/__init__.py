"""Timecard calculation against rule packs: pure Python, no Django."""
