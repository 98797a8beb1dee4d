"""Call sheets (with revisions and tracked distribution) and daily production reports.

A call sheet is built from one shoot day of a unit's applied schedule version. While it is a
draft it is edited in place; publishing freezes it into a `CallSheetRevision` snapshot (the data
every page, PDF and personal link renders), and a later change makes a new revision.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from unitbase.core.models import TimeStampedModel
from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.productions.models import Department, Production, Unit
from unitbase.scripts.models import Scene


def _token() -> str:
    return secrets.token_urlsafe(32)


def delivery_token() -> str:
    """The per-message id put on each call sheet e-mail (Message-ID and VERP return address): lower-case
    hex, so it survives mail systems that fold the case of addresses."""
    return secrets.token_hex(12)


class CallSheetPreferences(models.Model):
    """Per-production call sheet settings."""

    production = models.OneToOneField(Production, on_delete=models.CASCADE, related_name="callsheet_preferences")
    share_phone_numbers = models.BooleanField(
        default=False, help_text="Show crew and cast phone numbers to everyone who receives the call sheet."
    )
    safety_contact = models.CharField(
        max_length=300, blank=True,
        help_text="Employer's safety contact name and phone, printed on every call sheet.",
    )
    safety_hotline = models.CharField(max_length=100, blank=True, default="")
    reminder_hours = models.PositiveIntegerField(
        default=10, validators=[MaxValueValidator(72)],
        help_text="Remind those who have not confirmed this many hours before general call (0: no reminder).",
    )
    link_valid_days = models.PositiveIntegerField(
        default=14, validators=[MinValueValidator(1)], help_text="Personal links stop working this many days after the shoot date."
    )

    def __str__(self) -> str:
        return f"Call sheet preferences of {self.production}"


class CallSheet(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="call_sheets")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="call_sheets")
    schedule_version = models.ForeignKey(
        "scheduling.ScheduleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shoot_date = models.DateField()
    day_number = models.PositiveIntegerField()
    total_days = models.PositiveIntegerField()
    revision = models.PositiveIntegerField(default=1, help_text="The revision being drafted or last published.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    general_call = models.TimeField()
    shooting_call = models.TimeField(null=True, blank=True)
    estimated_wrap = models.TimeField(null=True, blank=True)
    lunch = models.CharField(max_length=100, blank=True, help_text="e.g. 13:00, 1 h")
    weather = models.CharField(max_length=300, blank=True, help_text="As entered; a weather provider may fill it.")
    safety_notes = models.TextField(blank=True)
    walkie_channels = models.TextField(blank=True, help_text="One per line, e.g. 1: Production")
    department_notes = models.TextField(blank=True, help_text="One per line, e.g. Props: period newspapers")
    special_requirements = models.TextField(blank=True, help_text="Pulled from the breakdown; edit freely.")
    general_notes = models.TextField(blank=True)
    key_contacts = models.TextField(
        blank=True, help_text="One per line, e.g. 1st AD: Sam Reid 07700 900123. Printed for every recipient as entered.")
    advance_schedule = models.JSONField(default=list, blank=True)
    change_note = models.CharField(max_length=300, blank=True, help_text="What changed in this revision.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["production", "shoot_date", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "shoot_date"], name="callsheets_one_per_unit_day"),
        ]

    def __str__(self) -> str:
        return f"Call sheet {self.shoot_date:%Y-%m-%d} (day {self.day_number} of {self.total_days})"

    @property
    def day_label(self) -> str:
        return f"Day {self.day_number} of {self.total_days}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CallSheetScene(models.Model):
    call_sheet = models.ForeignKey(CallSheet, on_delete=models.CASCADE, related_name="scenes")
    order = models.PositiveIntegerField()
    scene = models.ForeignKey(Scene, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.CharField(max_length=20)
    int_ext = models.CharField(max_length=10, blank=True)
    day_night = models.CharField(max_length=10, blank=True)
    set_name = models.CharField(max_length=300, blank=True)
    set_key = models.CharField(max_length=300, blank=True)
    synopsis = models.CharField(max_length=500, blank=True)
    eighths = models.PositiveIntegerField(default=0)
    cast_numbers = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["call_sheet", "order"]

    def __str__(self) -> str:
        return f"Scene {self.number}"


class CallSheetCast(models.Model):
    call_sheet = models.ForeignKey(CallSheet, on_delete=models.CASCADE, related_name="cast_rows")
    cast_member = models.ForeignKey(CastMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cast_number = models.PositiveIntegerField()
    character = models.CharField(max_length=200)
    actor = models.CharField(max_length=200)
    status_code = models.CharField(max_length=6, blank=True, help_text="From the DOOD: SW, W, WF, SWF, H, ...")
    pickup = models.TimeField(null=True, blank=True)
    makeup = models.TimeField(null=True, blank=True, help_text="Report to hair, makeup and wardrobe")
    on_set = models.TimeField(null=True, blank=True)
    remarks = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["call_sheet", "cast_number"]

    def __str__(self) -> str:
        return f"{self.cast_number}. {self.character}"


class CallSheetBackground(models.Model):
    class Kind(models.TextChoices):
        BACKGROUND = "background", "Background"
        STAND_IN = "stand_in", "Stand-in"

    call_sheet = models.ForeignKey(CallSheet, on_delete=models.CASCADE, related_name="background_rows")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BACKGROUND)
    description = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    call_time = models.TimeField(null=True, blank=True)
    report_to = models.CharField(max_length=200, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["call_sheet", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.count} × {self.description}"


class CallSheetCrew(models.Model):
    """One crew member's line; call_time empty means the general crew call."""

    call_sheet = models.ForeignKey(CallSheet, on_delete=models.CASCADE, related_name="crew_rows")
    crew_member = models.ForeignKey(CrewMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department_name = models.CharField(max_length=100)
    department_order = models.PositiveIntegerField(default=0)
    position = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    call_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["call_sheet", "department_order", "department_name", "position", "name"]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"


class CallSheetRevision(models.Model):
    """A published revision, frozen: the snapshot renders every page, PDF and personal link."""

    call_sheet = models.ForeignKey(CallSheet, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    changes = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["call_sheet", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["call_sheet", "number"], name="callsheets_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number}"


class Recipient(TimeStampedModel):
    class Kind(models.TextChoices):
        CREW = "crew", "Crew"
        CAST = "cast", "Cast"
        OTHER = "other", "Other"

    call_sheet = models.ForeignKey(CallSheet, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    role_label = models.CharField(max_length=200, blank=True, help_text="Position or character")
    token = models.CharField(max_length=64, unique=True, default=_token)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    opened_revision = models.PositiveIntegerField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["call_sheet", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_sheet", "person"], condition=Q(person__isnull=False), name="callsheets_recipient_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email or 'no e-mail'}>"


class Delivery(models.Model):
    """One e-mail to one recipient. A failed send stays here, visible, and is retried."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", "Call sheet"
        RESEND = "resend", "Resend"
        REMINDER = "reminder", "Reminder"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="deliveries")
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PUBLISH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    message_token = models.CharField(
        max_length=32, unique=True, default=delivery_token,
        help_text="In the Message-ID and the VERP return address; a bounce report names it.")
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["recipient", "-queued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} r{self.revision} to {self.recipient.email}: {self.status}"


# --- daily production report ----------------------------------------------------------------------


class DailyReport(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="daily_reports")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="daily_reports")
    call_sheet = models.ForeignKey(CallSheet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shoot_date = models.DateField()
    day_number = models.PositiveIntegerField()
    total_days = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    crew_call = models.TimeField(null=True, blank=True)
    shooting_call = models.TimeField(null=True, blank=True)
    first_shot = models.TimeField(null=True, blank=True)
    lunch_start = models.TimeField(null=True, blank=True)
    lunch_end = models.TimeField(null=True, blank=True)
    first_shot_after_lunch = models.TimeField(null=True, blank=True)
    second_meal_start = models.TimeField(null=True, blank=True)
    second_meal_end = models.TimeField(null=True, blank=True)
    camera_wrap = models.TimeField(null=True, blank=True)
    last_out = models.TimeField(null=True, blank=True)
    setups = models.PositiveIntegerField(default=0)
    media = models.CharField(max_length=300, blank=True, help_text="Camera cards, sound rolls, data volume")
    weather = models.CharField(max_length=200, blank=True)
    safety_meeting_held = models.BooleanField(default=False)
    accidents = models.TextField(blank=True, help_text="Accidents, injuries and near misses")
    notes = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["production", "shoot_date", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "shoot_date"], name="callsheets_one_dpr_per_unit_day")]

    def __str__(self) -> str:
        return f"Production report {self.shoot_date:%Y-%m-%d} (day {self.day_number} of {self.total_days})"


class DailyReportScene(models.Model):
    class Status(models.TextChoices):
        COMPLETE = "complete", "Complete"
        PART = "part", "Part shot"
        NOT_SHOT = "not_shot", "Not shot"
        ADDED = "added", "Added"

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="scenes")
    scene = models.ForeignKey(Scene, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.CharField(max_length=20)
    planned = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NOT_SHOT)
    eighths_planned = models.PositiveIntegerField(default=0)
    eighths_shot = models.PositiveIntegerField(default=0)
    minutes_shot = models.PositiveIntegerField(default=0, help_text="Script-timed minutes")
    setups = models.PositiveIntegerField(default=0)
    moved_to = models.CharField(max_length=40, blank=True,
                                help_text='Where the unshot scene went on the schedule: "boneyard" or "day 5".')

    class Meta:
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return f"Scene {self.number}: {self.status}"


class DailyReportCastTime(models.Model):
    """Exhibit G line."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="cast_times")
    cast_member = models.ForeignKey(CastMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cast_number = models.PositiveIntegerField()
    character = models.CharField(max_length=200)
    actor = models.CharField(max_length=200)
    status_code = models.CharField(max_length=6, blank=True)
    report_time = models.TimeField(null=True, blank=True)
    on_set = models.TimeField(null=True, blank=True)
    meal_out = models.TimeField(null=True, blank=True)
    meal_in = models.TimeField(null=True, blank=True)
    dismissed = models.TimeField(null=True, blank=True)
    travel_out = models.TimeField(null=True, blank=True)
    travel_in = models.TimeField(null=True, blank=True)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["report", "cast_number"]

    def __str__(self) -> str:
        return f"{self.cast_number}. {self.character}"


class DailyReportCrewTime(models.Model):
    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="crew_times")
    department_name = models.CharField(max_length=100)
    department_order = models.PositiveIntegerField(default=0)
    position = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    time_in = models.TimeField(null=True, blank=True)
    time_out = models.TimeField(null=True, blank=True)
    meal_out = models.TimeField(null=True, blank=True)
    meal_in = models.TimeField(null=True, blank=True)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["report", "department_order", "department_name", "position", "name"]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"


class DailyReportDelay(models.Model):
    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="delays")
    cause = models.CharField(max_length=200)
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return f"{self.cause} ({self.minutes} min)"
