"""Approval policies, requests, their steps, and delegations while someone is away.

See docs/approvals.md for the rules; services.py holds every write.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from unitbase.core.models import TimeStampedModel
from unitbase.core.validators import validate_currency_code
from unitbase.productions.authority import Role
from unitbase.productions.models import Department, Production


def validate_steps(value) -> None:
    """A chain is a non-empty list of steps; each step is a non-empty list of role values (any one
    of which may decide the step), e.g. [["department_head"], ["upm", "production_manager"]]."""
    if not isinstance(value, list) or not value:
        raise ValidationError("A chain needs at least one step.")
    for step in value:
        if not isinstance(step, list) or not step:
            raise ValidationError("Each step names at least one role.")
        for role in step:
            if role not in Role.values:
                raise ValidationError(f"Unknown role {role!r}.")


def validate_step_roles(value) -> None:
    """One step of a request: a non-empty list of role values, any one of which may decide it."""
    validate_steps([value])


class ApprovalPolicy(models.Model):
    """Which roles approve a kind of request, in order, for an amount band (and optionally one
    department). A band applies when min_amount < amount <= max_amount; an empty bound is open."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="approval_policies")
    kind = models.CharField(max_length=60)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    min_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Applies to amounts above this (empty: from zero).",
    )
    max_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Applies to amounts up to and including this (empty: no upper bound).",
    )
    steps = models.JSONField(validators=[validate_steps])

    class Meta:
        ordering = ["production", "kind", "department__name", "min_amount", "id"]
        verbose_name_plural = "approval policies"

    def __str__(self) -> str:
        return f"{self.kind}: {self.chain_label}"

    def clean(self) -> None:
        if self.min_amount is not None and self.max_amount is not None and self.max_amount <= self.min_amount:
            raise ValidationError({"max_amount": "The upper bound must be above the lower bound."})
        if self.department_id and self.production_id and self.department.production_id != self.production_id:
            raise ValidationError({"department": "That department belongs to another production."})

    @property
    def chain_label(self) -> str:
        return " → ".join(" or ".join(Role(r).label for r in step) for step in self.steps or [])

    def covers(self, amount) -> bool:
        if amount is None:
            return self.min_amount is None
        return (self.min_amount is None or amount > self.min_amount) and (
            self.max_amount is None or amount <= self.max_amount
        )


class ApprovalRequest(TimeStampedModel):
    """One object's journey through a chain. Amount and currency are a snapshot, locked while
    pending; `version` rises with every change, for optimistic concurrency."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CANCELLED = "cancelled", "Cancelled"  # a parallel request for the same object was rejected

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(max_length=60, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, blank=True)
    summary = models.CharField(max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    current_order = models.PositiveIntegerField(null=True, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resubmissions")
    # Why it ended without a decision of its own (cancelled: which parallel request was rejected).
    closed_reason = models.CharField(max_length=300, blank=True)
    cancelled_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="cancelled_requests")
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"], condition=Q(status="pending"),
                name="approval_one_pending_per_object",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    def clean(self) -> None:
        if self.amount is not None:
            validate_currency_code(self.currency)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def current_step(self) -> ApprovalStep | None:
        if self.current_order is None:
            return None
        return next((s for s in self.steps.all() if s.order == self.current_order), None)


class ApprovalStep(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SKIPPED = "skipped", "Skipped"

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField()
    roles = models.JSONField(validators=[validate_step_roles])
    # The amount limit in the authority matrix applies to authorising steps only; others are checks.
    authorising = models.BooleanField(default=False)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "order"]
        constraints = [models.UniqueConstraint(fields=["request", "order"], name="approval_step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.roles_label}: {self.get_decision_display()}"

    @property
    def roles_label(self) -> str:
        return " or ".join(Role(r).label for r in self.roles)


class Delegation(TimeStampedModel):
    """While `from_user` is away (starts_on..ends_on inclusive, in the production's dates),
    `to_user` may decide the steps `from_user` could decide, on their behalf."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="approval_delegations")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_user=models.F("to_user")), name="delegation_not_to_self"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user} ({self.starts_on}–{self.ends_on})"

    def clean(self) -> None:
        if self.from_user_id and self.from_user_id == self.to_user_id:
            raise ValidationError({"to_user": "Delegate to someone other than yourself."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be on or after the first day."})

    def is_active_on(self, day) -> bool:
        return self.ended_at is None and self.starts_on <= day <= self.ends_on
