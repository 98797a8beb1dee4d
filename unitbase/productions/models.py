"""A production, its units, episodes, departments, memberships and authority matrix."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from unitbase.core.models import TimeStampedModel
from unitbase.core.validators import validate_currency_code

from .authority import Action, Role, Scope


class Production(TimeStampedModel):
    class Kind(models.TextChoices):
        FEATURE = "feature", "Feature film"
        SERIES = "series", "Series"
        COMMERCIAL = "commercial", "Commercial"
        SHORT = "short", "Short film"

    class Status(models.TextChoices):
        DEVELOPMENT = "development", "Development"
        PREP = "prep", "Prep"
        SHOOTING = "shooting", "Shooting"
        WRAP = "wrap", "Wrap"
        POST = "post", "Post"
        DELIVERED = "delivered", "Delivered"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FEATURE)
    base_currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    time_zone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DEVELOPMENT)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from zoneinfo import available_timezones

        from django.core.exceptions import ValidationError

        if self.time_zone not in available_timezones():
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}; use an IANA name such as Europe/London."})


class Unit(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", "Main unit"
        SECOND = "second", "Second unit"
        SPLINTER = "splinter", "Splinter unit"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MAIN)

    class Meta:
        ordering = ["production", "id"]
        constraints = [models.UniqueConstraint(fields=["production", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class Episode(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="episodes")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["production", "number"]
        constraints = [models.UniqueConstraint(fields=["production", "number"], name="episode_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Department(models.Model):
    """A department of one production. Lives here, not in people, because memberships and
    the authority matrix's department scope need it (the layers point one way)."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=100)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["production", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["production", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="positions")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="positions")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["department__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="position_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A user's part in a production."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["production", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["production", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.production}"


class AuthorityRule(models.Model):
    """One cell of the authority matrix: may `role` do `action`, over what scope, up to what amount."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="authority_rules")
    action = models.CharField(max_length=40, choices=Action.choices)
    role = models.CharField(max_length=32, choices=Role.choices)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.ALL)
    limit_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["production", "action", "role"]
        constraints = [
            models.UniqueConstraint(fields=["production", "action", "role"], name="authority_unique_cell")
        ]

    def __str__(self) -> str:
        return f"{self.role} may {self.action}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(TimeStampedModel):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.production}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
