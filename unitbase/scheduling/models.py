"""Production calendars, schedules and their versions, strips, availability and preferences.

A unit has one calendar (prep, shoot and wrap periods, its working weekdays and the exceptions:
days off, holidays, company travel days) and one schedule. A schedule has versions; exactly one
version per unit is *applied* (the one call sheets read). A version is an ordered list of strips
on the board (scene strips, day breaks, banners) plus the boneyard (scenes not scheduled). Shoot
dates are not stored on day breaks: day N is the N-th shoot date of the unit's calendar, so a
change to the calendar moves every date at once.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.models import Production, Unit
from unitbase.scripts.models import Scene, ScriptRevision

HEX = r"^#[0-9a-fA-F]{6}$"


class SchedulePreferences(models.Model):
    """Per-production scheduling preferences (strip colours, time rate, limits, DOOD rule)."""

    production = models.OneToOneField(Production, on_delete=models.CASCADE, related_name="schedule_preferences")
    colour_int_day = models.CharField(max_length=7, default="#ffffff")
    colour_ext_day = models.CharField(max_length=7, default="#fff3a3")
    colour_int_night = models.CharField(max_length=7, default="#b9d3f2")
    colour_ext_night = models.CharField(max_length=7, default="#bfe5b4")
    colour_other = models.CharField(max_length=7, default="#f7cfe0", help_text="Dawn, dusk and unknown times")
    minutes_per_eighth = models.PositiveIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Default estimated shooting time per eighth of a page (15 = 2 hours a page).",
    )
    day_limit_eighths = models.PositiveIntegerField(default=48, validators=[MinValueValidator(1)],
                                                    help_text="Warn when a day has more eighths than this.")
    day_limit_minutes = models.PositiveIntegerField(default=660, validators=[MinValueValidator(1)],
                                                    help_text="Warn when a day's estimate exceeds this many minutes.")
    turnaround_hours = models.PositiveIntegerField(default=12, validators=[MaxValueValidator(24)],
                                                   help_text="Minimum rest between wrap and next call.")
    drop_gap_days = models.PositiveIntegerField(
        default=10, validators=[MaxValueValidator(60)],
        help_text="A cast member may be dropped and picked up when the gap between work days exceeds "
        "this many calendar days (SAG-AFTRA: 10 for domestic theatrical and long-form TV, 14 otherwise).",
    )

    def __str__(self) -> str:
        return f"Scheduling preferences of {self.production}"

    def clean(self):
        import re

        errors = {}
        for name in ("colour_int_day", "colour_ext_day", "colour_int_night", "colour_ext_night", "colour_other"):
            if not re.match(HEX, getattr(self, name) or ""):
                errors[name] = "Use a colour such as #ffee88."
        if errors:
            raise ValidationError(errors)


class ProductionCalendar(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="calendars")
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="calendar")
    prep_start = models.DateField(null=True, blank=True)
    shoot_start = models.DateField()
    shoot_end = models.DateField(help_text="The planned last shoot day; schedules may run past it with a warning.")
    wrap_end = models.DateField(null=True, blank=True)
    working_weekdays = models.JSONField(default=list, help_text="0 = Monday … 6 = Sunday")
    default_call = models.TimeField(null=True, blank=True, help_text="Usual crew call, for turnaround checks.")

    class Meta:
        ordering = ["production", "unit_id"]

    def __str__(self) -> str:
        return f"Calendar of {self.unit}"

    def clean(self):
        errors = {}
        if self.shoot_start and self.shoot_end and self.shoot_end < self.shoot_start:
            errors["shoot_end"] = "The shoot ends before it starts."
        if self.prep_start and self.shoot_start and self.prep_start > self.shoot_start:
            errors["prep_start"] = "Prep starts after the shoot."
        if self.wrap_end and self.shoot_end and self.wrap_end < self.shoot_end:
            errors["wrap_end"] = "Wrap ends before the shoot ends."
        days = self.working_weekdays
        if not isinstance(days, list) or not days or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            errors["working_weekdays"] = "Choose at least one working weekday."
        if self.unit_id and self.production_id and self.unit.production_id != self.production_id:
            errors["unit"] = "That unit belongs to another production."
        if errors:
            raise ValidationError(errors)


class CalendarDay(models.Model):
    """An exception to the working week: a day off, a holiday, a company travel day, or an extra
    working day on a weekday that is normally off."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", "Day off"
        HOLIDAY = "holiday", "Holiday"
        TRAVEL = "travel", "Company travel day"
        WORK = "work", "Extra working day"

    calendar = models.ForeignKey(ProductionCalendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["calendar_id", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="scheduling_calendar_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Schedule(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="schedules")
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="schedule")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production", "unit_id"]

    def __str__(self) -> str:
        return f"Schedule of {self.unit}"


class ScheduleVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        LOCKED = "locked", "Locked"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_applied = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1, help_text="Bumped by every edit; a stale edit is refused.")
    script_revision = models.ForeignKey(ScriptRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["schedule_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "name"], name="scheduling_version_name_unique"),
            models.UniqueConstraint(fields=["schedule"], condition=Q(is_applied=True), name="scheduling_one_applied_version"),
            models.CheckConstraint(condition=~Q(is_applied=True, status="draft"), name="scheduling_applied_not_draft"),
        ]

    def __str__(self) -> str:
        return self.name


class Strip(models.Model):
    class Kind(models.TextChoices):
        SCENE = "scene", "Scene"
        DAY_BREAK = "day", "Day break"
        BANNER = "banner", "Banner"

    class Section(models.TextChoices):
        BOARD = "board", "Board"
        BONEYARD = "boneyard", "Boneyard"

    class BannerKind(models.TextChoices):
        MOVE = "move", "Company move"
        MEAL = "meal", "Meal"
        NOTE = "note", "Note"
        BLOCK = "block", "Episode / block"

    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="strips")
    section = models.CharField(max_length=10, choices=Section.choices, default=Section.BOARD)
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scene = models.ForeignKey(Scene, null=True, blank=True, on_delete=models.CASCADE, related_name="strips")
    part = models.PositiveSmallIntegerField(default=0, help_text="0 for a whole scene, 1, 2 … for split parts")
    part_eighths = models.PositiveIntegerField(null=True, blank=True, help_text="Eighths of this part (split scenes)")
    estimate_minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Overrides the default estimate")
    banner_kind = models.CharField(max_length=10, choices=BannerKind.choices, blank=True)
    text = models.CharField(max_length=300, blank=True)
    call_time = models.TimeField(null=True, blank=True, help_text="Day breaks: the day's crew call")
    wrap_time = models.TimeField(null=True, blank=True, help_text="Day breaks: the day's expected wrap")

    class Meta:
        ordering = ["version_id", "section", "position"]
        indexes = [models.Index(fields=["version", "section", "position"])]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="scene") | Q(scene__isnull=False), name="scheduling_scene_strip_has_scene"),
            models.CheckConstraint(condition=Q(kind="scene") | Q(section="board"), name="scheduling_boneyard_only_scenes"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.SCENE:
            return f"Scene {self.scene.number}" + (f" pt {self.part}" if self.part else "")
        return self.get_kind_display()

    @property
    def eighths(self) -> int:
        if self.kind != self.Kind.SCENE:
            return 0
        return self.part_eighths if self.part_eighths is not None else self.scene.eighths


class Availability(models.Model):
    """A cast member's or a set's status on one date. No row means available."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        UNAVAILABLE = "unavailable", "Unavailable"
        HOLD = "hold", "On hold"
        TRAVEL = "travel", "Travel (T)"
        REHEARSAL = "rehearsal", "Rehearsal (R)"
        FITTING = "fitting", "Fitting (F)"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="availabilities")
    cast_member = models.ForeignKey(CastMember, null=True, blank=True, on_delete=models.CASCADE, related_name="availability")
    set_key = models.CharField(max_length=300, blank=True, help_text="For a location/set: the scenes' set key")
    set_name = models.CharField(max_length=300, blank=True)
    date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["production", "date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cast_member__isnull=False) & Q(set_key="")) | (Q(cast_member__isnull=True) & ~Q(set_key="")),
                name="scheduling_availability_one_subject",
            ),
            models.UniqueConstraint(fields=["cast_member", "date"], condition=Q(cast_member__isnull=False),
                                    name="scheduling_cast_availability_unique"),
            models.UniqueConstraint(fields=["production", "set_key", "date"], condition=~Q(set_key=""),
                                    name="scheduling_set_availability_unique"),
        ]

    def __str__(self) -> str:
        who = self.cast_member.character if self.cast_member_id else self.set_name or self.set_key
        return f"{who} {self.get_status_display()} on {self.date}"

    def clean(self):
        if self.cast_member_id and self.production_id and self.cast_member.production_id != self.production_id:
            raise ValidationError({"cast_member": "That cast member belongs to another production."})


class CalendarFeed(models.Model):
    """A secret, revocable iCal URL: of the production, of a unit, or of one person's work days (a
    cast member's scheduled days, or a crew member's shoot days within their engagement dates)."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="calendar_feeds")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    cast_member = models.ForeignKey(CastMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    crew_member = models.ForeignKey(CrewMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cast_member__isnull=True) | Q(crew_member__isnull=True), name="feed_one_person",
            ),
        ]

    def __str__(self) -> str:
        if self.cast_member_id:
            target = self.cast_member.character
        elif self.crew_member_id:
            target = f"{self.crew_member.person.name}'s work days"
        else:
            target = self.unit.name if self.unit_id else "production"
        return f"iCal feed of {target}"


# --- calendar arithmetic (pure functions over the loaded rows) -----------------------------------


def shoot_dates(calendar: ProductionCalendar, exceptions: dict[date, str], count: int) -> list[date]:
    """The first `count` shoot dates of a calendar: working weekdays from shoot_start, skipping days
    off, holidays and travel days, adding extra working days. Runs past shoot_end if asked."""
    result: list[date] = []
    day = calendar.shoot_start
    weekdays = set(calendar.working_weekdays or [0, 1, 2, 3, 4])
    guard = 0
    while len(result) < count and guard < 3660:
        kind = exceptions.get(day)
        if kind == CalendarDay.Kind.WORK or (kind is None and day.weekday() in weekdays):
            result.append(day)
        day += timedelta(days=1)
        guard += 1
    return result


class OptimiserRun(models.Model):
    """One run of the schedule optimiser: what was asked, its live progress, the stop flag, and
    where it ended (the draft version it wrote and its explanation, or why it wrote nothing).

    The run's id (a UUID) is what the pages, the API and the CLI name. Audit events record the
    request, a stop and the result as the audit trail; the run's state lives here."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="optimiser_runs")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="optimiser_runs")
    source_version = models.ForeignKey(ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_name = models.CharField(max_length=100, blank=True, help_text="The starting version's name when queued")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task's result id")
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stop_requested = models.BooleanField(default=False)
    solutions = models.PositiveIntegerField(default=0)
    objective = models.BigIntegerField(null=True, blank=True, help_text="Best cost found so far")
    bound = models.BigIntegerField(null=True, blank=True, help_text="Proven lower bound on the cost")
    seconds = models.FloatField(default=0.0)
    time_limit = models.FloatField(default=30.0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    result_version = models.ForeignKey(ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="optimiser_runs")
    explanation = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["production", "-created_at"])]

    def __str__(self) -> str:
        return f"Optimise “{self.source_name or self.source_version}” ({self.get_status_display().lower()})"

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, (self.objective - self.bound) / max(1, abs(self.objective)))

    @property
    def gap_label(self) -> str:
        return "—" if self.gap is None else f"{self.gap * 100:.1f}%"

    @property
    def stale(self) -> bool:
        """Running, but the worker has not reported for well past the time limit (it died)."""
        from django.utils import timezone

        if self.status != self.Status.RUNNING:
            return False
        return (timezone.now() - self.updated_at).total_seconds() > self.time_limit + 120

    @property
    def state(self) -> str:
        if self.stale:
            return "failed"
        if self.status in (self.Status.QUEUED, self.Status.RUNNING) and self.stop_requested:
            return "stopping"
        return self.status

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running", "stopping")

    @property
    def cancel_requested(self) -> bool:
        return self.stop_requested

    @property
    def version(self) -> ScheduleVersion | None:
        return self.result_version

    @property
    def error_text(self) -> str:
        if self.stale:
            return ("The worker stopped reporting (it may have died). Nothing was written; the current "
                    "schedule is untouched. Start the run again.")
        return self.error

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        return round(min(0.99, self.seconds / max(self.time_limit, 0.1)) * 100)


class ScheduleChange(models.Model):
    """A request to replace a unit's locked, applied version (`target`) by another version of the same
    schedule (`proposal`, usually a copy of it that an editor changed). It goes through the approvals
    app (kind "schedule_change", the matrix action approve_schedule_change, default UPM); on approval
    the proposal becomes the locked, applied version in one transaction. Both revisions are recorded
    at submission: if either version changed since, the approval is refused as stale."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved and applied"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="schedule_changes")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="changes")
    target = models.ForeignKey(ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_name = models.CharField(max_length=100)
    target_revision = models.PositiveIntegerField()
    proposal = models.ForeignKey(ScheduleVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="change_requests")
    proposal_name = models.CharField(max_length=100)
    proposal_revision = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True, help_text="Why the change is needed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal"], condition=Q(status="pending"),
                                    name="scheduling_one_pending_change_per_proposal"),
        ]

    def __str__(self) -> str:
        return f"Apply “{self.proposal_name}” in place of locked “{self.target_name}”"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
