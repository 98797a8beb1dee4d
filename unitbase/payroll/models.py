"""Payroll deals, rule-pack copies, weekly timecards, their days and their stored pay lines.

The calculation itself is `unitbase.payroll.calc` (pure Python); these models hold its inputs and,
once a card is submitted, its output, so that an export or a later pack edit never changes what
was approved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from unitbase.core.models import TimeStampedModel
from unitbase.core.validators import validate_currency_code
from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.models import Production


class PayRateUnit(models.TextChoices):
    HOUR = "hour", "per hour"
    DAY = "day", "per day"
    WEEK = "week", "per week"


class EmploymentType(models.TextChoices):
    DAILY_HOURLY = "daily_hourly", "Daily / hourly"
    DAY_PERFORMER = "day_performer", "Day performer"
    WEEKLY = "weekly", "Weekly"
    WEEKLY_PERFORMER = "weekly_performer", "Weekly performer"
    FREELANCE = "freelance", "Freelance"


ZONE_CHOICES = [
    ("", "—"),
    ("studio_premises", "Studio premises"),
    ("studio_zone", "Studio zone"),
    ("nearby", "Nearby location"),
    ("distant_location", "Distant location"),
]


class PayrollPack(TimeStampedModel):
    """A production's own copy of a rule pack, stored as YAML text and validated by calc's schema.

    `pack_id` and `version` are read from the YAML (`rule_set.id` / `rule_set.version`) when the
    service saves it; a copy may not reuse a shipped pack's id.
    """

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="payroll_packs")
    pack_id = models.CharField(max_length=80)
    version = models.CharField(max_length=40)
    agreement = models.CharField(max_length=200)
    copied_from = models.CharField(max_length=120, blank=True)
    yaml_text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["production", "pack_id"]
        constraints = [models.UniqueConstraint(fields=["production", "pack_id"], name="payroll_pack_unique_id")]

    def __str__(self) -> str:
        return f"{self.pack_id} ({self.version})"


class PayrollDeal(TimeStampedModel):
    """How one crew or cast engagement is paid: rate, unit, guarantee and the rule pack that applies."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="payroll_deals")
    crew_member = models.OneToOneField(
        CrewMember, null=True, blank=True, on_delete=models.CASCADE, related_name="payroll_deal"
    )
    cast_member = models.OneToOneField(
        CastMember, null=True, blank=True, on_delete=models.CASCADE, related_name="payroll_deal"
    )
    pack_id = models.CharField("rule pack", max_length=80)
    rate = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    rate_unit = models.CharField(max_length=8, choices=PayRateUnit.choices, default=PayRateUnit.HOUR)
    guarantee_hours = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    employment_type = models.CharField(max_length=30, choices=EmploymentType.choices, blank=True)
    jurisdiction = models.CharField(
        max_length=20, blank=True, help_text="e.g. US-CA: legal floor packs for it apply unless the pack is exempt."
    )
    allowances = models.JSONField(default=dict, blank=True, help_text="Allowance code → amount, e.g. KIT: 25.00")
    budget_account_code = models.CharField(
        "budget account", max_length=20, blank=True,
        help_text="Labour is posted to this account of the reporting budget when a timecard is approved, e.g. 2201.",
    )
    fringe_account_code = models.CharField(
        "fringe account", max_length=20, blank=True,
        help_text="Fringes (employer cost) go here; empty: to the budget account.",
    )

    class Meta:
        ordering = ["production", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(crew_member__isnull=False) & Q(cast_member__isnull=True))
                | (Q(crew_member__isnull=True) & Q(cast_member__isnull=False)),
                name="payroll_deal_one_engagement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} — {self.role_label}"

    @property
    def engagement(self) -> CrewMember | CastMember:
        return self.crew_member if self.crew_member_id else self.cast_member

    @property
    def person_name(self) -> str:
        return self.engagement.person.name

    @property
    def user_id(self) -> int | None:
        return self.engagement.person.user_id

    @property
    def department_id(self) -> int | None:
        return self.crew_member.department_id if self.crew_member_id else None

    @property
    def department_name(self) -> str:
        return self.crew_member.department.name if self.crew_member_id else "Cast"

    @property
    def role_label(self) -> str:
        if self.crew_member_id:
            return self.crew_member.position.name
        return f"{self.cast_member.cast_number}. {self.cast_member.character}"

    def clean(self):
        errors = {}
        if bool(self.crew_member_id) == bool(self.cast_member_id):
            errors["crew_member"] = "A deal belongs to exactly one crew or cast engagement."
        engagement = self.crew_member if self.crew_member_id else (self.cast_member if self.cast_member_id else None)
        if engagement is not None and engagement.production_id != self.production_id:
            errors["crew_member"] = "That engagement belongs to another production."
        for code, amount in (self.allowances or {}).items():
            try:
                if Decimal(str(amount)) < 0:
                    raise ValueError
            except (ArithmeticError, ValueError):
                errors["allowances"] = f"Allowance {code}: {amount!r} is not an amount."
        if errors:
            raise ValidationError(errors)


class PayrollDealRate(models.Model):
    """A rate change: from `effective_from` the deal pays `rate` (the deal's own rate applies before
    its first change). A week that crosses a change pays each day at the rate in force on it."""

    deal = models.ForeignKey(PayrollDeal, on_delete=models.CASCADE, related_name="rate_changes")
    effective_from = models.DateField()
    rate = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["deal", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["deal", "effective_from"], name="payroll_deal_rate_unique_date")]

    def __str__(self) -> str:
        return f"{self.rate} from {self.effective_from}"


class TimecardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class Timecard(TimeStampedModel):
    """One person's week under one deal. A correction after approval is a new revision that
    points at the previous one; the previous one is superseded once the correction is approved."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="timecards")
    deal = models.ForeignKey(PayrollDeal, on_delete=models.RESTRICT, related_name="timecards")
    week_ending = models.DateField()
    revision = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="correction"
    )
    status = models.CharField(max_length=12, choices=TimecardStatus.choices, default=TimecardStatus.DRAFT)
    previous_dismissal = models.DateTimeField(
        null=True, blank=True, help_text="When you were dismissed on your last working day before this week."
    )
    previous_week_days_worked = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days worked in the previous workweek: checks the weekend (weekly) rest before the first day.",
    )
    note = models.TextField(blank=True)
    # Approval trail (two steps: department head, then production).
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department_approved_at = models.DateTimeField(null=True, blank=True)
    department_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rejection_reason = models.TextField(blank=True)
    approval_request_id = models.BigIntegerField(null=True, blank=True)
    awaiting = models.CharField(
        max_length=12, blank=True, choices=[("department", "Department head"), ("production", "Production")],
        help_text="The approval step a submitted card waits for.",
    )
    # Calculation output, stored so exports and approvals never depend on a later pack edit.
    calculated_at = models.DateTimeField(null=True, blank=True)
    gross = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fringe_total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    pack_versions = models.CharField(max_length=300, blank=True)
    calc_notes = models.JSONField(default=list, blank=True)
    # Labour actuals posted to the budget on approval (the difference from the revision it corrects).
    cost_posted = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    cost_posting_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-week_ending", "deal_id", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "week_ending", "revision"], name="timecard_unique_revision"),
        ]

    def __str__(self) -> str:
        rev = f" rev {self.revision}" if self.revision > 1 else ""
        return f"{self.deal.person_name}, week ending {self.week_ending:%d %b %Y}{rev}"

    @property
    def week_start(self) -> dt.date:
        return self.week_ending - dt.timedelta(days=6)

    @property
    def editable(self) -> bool:
        return self.status in (TimecardStatus.DRAFT, TimecardStatus.REJECTED)

    def week_dates(self) -> list[dt.date]:
        return [self.week_start + dt.timedelta(days=i) for i in range(7)]


class TimecardDay(models.Model):
    """One worked day. Times are local wall-clock times in the production's time zone; a time
    earlier than the one before it is on the next day (a night shoot crossing midnight)."""

    timecard = models.ForeignKey(Timecard, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    call = models.TimeField()
    meal1_out = models.TimeField("1st meal out", null=True, blank=True)
    meal1_in = models.TimeField("1st meal in", null=True, blank=True)
    meal2_out = models.TimeField("2nd meal out", null=True, blank=True)
    meal2_in = models.TimeField("2nd meal in", null=True, blank=True)
    wrap = models.TimeField()
    travel_start = models.TimeField(null=True, blank=True)
    travel_end = models.TimeField(null=True, blank=True)
    zone = models.CharField(max_length=30, choices=ZONE_CHOICES, blank=True)
    holiday = models.BooleanField(default=False)
    rest_reduction = models.CharField(
        max_length=60, blank=True, help_text="A rest reduction of the pack that the AD established applies to this day's turnaround.",
    )
    notes = models.CharField(max_length=300, blank=True)
    # Filled by the calculation.
    worked_hours = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    hours_by_tier = models.JSONField(default=dict, blank=True)
    meal_penalty_units = models.PositiveIntegerField(default=0)
    rest_shortfall_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    gross = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["timecard", "date"]
        constraints = [models.UniqueConstraint(fields=["timecard", "date"], name="timecard_day_unique_date")]

    def __str__(self) -> str:
        return f"{self.date:%a %d %b}"

    @property
    def meals(self) -> list[tuple[dt.time, dt.time]]:
        return [(o, i) for o, i in ((self.meal1_out, self.meal1_in), (self.meal2_out, self.meal2_in)) if o and i]


class PayLineRow(models.Model):
    """One calculated pay element of a timecard (or a fringe, which is employer cost, not gross)."""

    timecard = models.ForeignKey(Timecard, on_delete=models.CASCADE, related_name="pay_lines")
    date = models.DateField(null=True, blank=True, help_text="Empty for week-level lines (weekly salary, weekly overtime).")
    order = models.PositiveIntegerField(default=0)
    rule_id = models.CharField(max_length=160)
    kind = models.CharField(max_length=40)
    explanation = models.TextField()
    hours = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    rate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    multiplier = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    is_fringe = models.BooleanField(default=False)
    inputs = models.JSONField(default=dict, blank=True)

    VIOLATION_KINDS = frozenset({"meal_penalty", "rest", "forced_call"})

    class Meta:
        ordering = ["timecard", "is_fringe", "order"]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.amount}"

    @property
    def is_violation(self) -> bool:
        return self.kind in self.VIOLATION_KINDS or ":floor:meal" in self.rule_id

    @property
    def element(self) -> str:
        """The rule's own part of `pack@version:rule`, e.g. 'meal_penalty' or 'floor:time'."""
        return self.rule_id.split(":", 1)[1] if ":" in self.rule_id else self.rule_id
