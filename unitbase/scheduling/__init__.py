"""Scheduling: calendars, schedules, versions, strips; the solver."""
