"""Charts of accounts, budgets and their setup (globals, fringes, exchange rates, charges), detail lines.

A budget copies its chart's categories and accounts when it is created (like MMB's library: a copy,
not a reference), so renaming a chart account later never rewrites a locked budget.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from unitbase.core.models import TimeStampedModel
from unitbase.core.validators import validate_currency_code
from unitbase.productions.models import Production

from .calc import GLOBAL_NAME


class Level(models.TextChoices):
    ATL = "atl", "Above-the-line"
    PRODUCTION = "production", "Production"
    POST = "post", "Post-production"
    OTHER = "other", "Other"


class Unit(models.TextChoices):
    HOUR = "hour", "Hour"
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    ALLOW = "allow", "Allow"
    FLAT = "flat", "Flat"


def validate_pattern(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(f"Not a valid regular expression: {exc}.") from None


def code_key(code: str) -> tuple:
    """Sort/compare key for account codes: numeric codes numerically, others as text."""
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


class ChartOfAccounts(TimeStampedModel):
    class Kind(models.TextChoices):
        FEATURE = "feature", "Feature film"
        SERIES = "series", "Series"
        COMMERCIAL = "commercial", "Commercial (AICP)"
        CUSTOM = "custom", "Custom"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="charts")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    code_pattern = models.CharField(
        max_length=120, default=r"^\d{4}$", validators=[validate_pattern],
        help_text=r"Regular expression every account code must match, e.g. ^\d{4}$",
    )

    class Meta:
        ordering = ["production", "name"]
        constraints = [models.UniqueConstraint(fields=["production", "name"], name="chart_unique_name")]
        verbose_name = "chart of accounts"
        verbose_name_plural = "charts of accounts"

    def __str__(self) -> str:
        return self.name

    def code_matches(self, code: str) -> bool:
        return re.fullmatch(self.code_pattern.removeprefix("^").removesuffix("$"), code) is not None


class ChartCategory(models.Model):
    chart = models.ForeignKey(ChartOfAccounts, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices)
    code_from = models.CharField(max_length=20, help_text="First account code in this category")
    code_to = models.CharField(max_length=20, help_text="Last account code in this category")
    is_fringe = models.BooleanField(default=False, help_text="Fringe benefits are posted to this category")
    markup_applies = models.BooleanField(default=False, help_text="AICP: the production markup applies")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["chart", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["chart", "code"], name="chart_category_unique_code")]
        verbose_name_plural = "chart categories"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def covers(self, code: str) -> bool:
        return code_key(self.code_from) <= code_key(code) <= code_key(self.code_to)

    def clean(self) -> None:
        if code_key(self.code_from) > code_key(self.code_to):
            raise ValidationError({"code_to": "The range ends before it starts."})


class ChartAccount(models.Model):
    chart = models.ForeignKey(ChartOfAccounts, on_delete=models.CASCADE, related_name="accounts")
    category = models.ForeignKey(ChartCategory, on_delete=models.CASCADE, related_name="accounts")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["chart", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["chart", "code"], name="chart_account_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.chart_id and not self.chart.code_matches(self.code):
            errors["code"] = f"{self.code!r} does not match the chart's code pattern {self.chart.code_pattern}."
        elif self.category_id and not self.category.covers(self.code):
            errors["code"] = (
                f"{self.code} is outside category {self.category.code}'s range "
                f"{self.category.code_from} to {self.category.code_to}."
            )
        if self.category_id and self.chart_id and self.category.chart_id != self.chart_id:
            errors["category"] = "That category belongs to another chart."
        if errors:
            raise ValidationError(errors)


class Budget(TimeStampedModel):
    class Status(models.TextChoices):
        WORKING = "working", "Working"
        LOCKED = "locked", "Locked"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="budgets")
    chart = models.ForeignKey(ChartOfAccounts, on_delete=models.PROTECT, related_name="budgets")
    name = models.CharField(max_length=120)
    base_currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WORKING)
    version = models.PositiveIntegerField(default=1)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions")
    revision = models.PositiveIntegerField(default=1, help_text="Counts changes to budget-wide settings")
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["production", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["production", "name", "version"], name="budget_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED


class BudgetAccount(models.Model):
    """One chart account copied into a budget, with its category and level."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="accounts")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    category_code = models.CharField(max_length=20)
    category_name = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["budget", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["budget", "code"], name="budget_account_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def validate_global_name(value: str) -> None:
    if not GLOBAL_NAME.match(value):
        raise ValidationError("Use capitals, digits and underscores, starting with a letter, e.g. SHOOT_DAYS.")


class Global(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="globals")
    name = models.CharField(max_length=40, validators=[validate_global_name])
    value = models.DecimalField(max_digits=14, decimal_places=4)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["budget", "name"]
        constraints = [models.UniqueConstraint(fields=["budget", "name"], name="budget_global_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} = {self.value.normalize():f}"


class Fringe(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", "Percent of wages"
        FLAT = "flat", "Flat amount per hour"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="fringes")
    code = models.CharField(max_length=20, validators=[RegexValidator(r"^[A-Za-z0-9&_.-]+$", "Letters, digits and - _ . & only.")])
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    rate = models.DecimalField(max_digits=12, decimal_places=4, validators=[MinValueValidator(0)],
                               help_text="A percentage (6.2 = 6.2%) or an amount per hour in base currency")
    cutoff = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)],
                                 help_text="Wages per person after which a percent fringe stops; blank = none")
    cap = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                              validators=[MinValueValidator(0)],
                              help_text="Most this fringe may cost per person per engagement; blank = none")

    class Meta:
        ordering = ["budget", "code"]
        constraints = [models.UniqueConstraint(fields=["budget", "code"], name="budget_fringe_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.kind == self.Kind.PERCENT and self.rate is not None and self.rate > 100:
            raise ValidationError({"rate": "A percentage cannot be over 100."})
        if self.kind == self.Kind.FLAT and self.cutoff is not None:
            raise ValidationError({"cutoff": "A wage cutoff only applies to percent fringes; use a cap."})


class ExchangeRate(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="exchange_rates")
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    rate = models.DecimalField(max_digits=18, decimal_places=8, validators=[MinValueValidator(0)],
                               help_text="Base-currency units for one unit of this currency")

    class Meta:
        ordering = ["budget", "currency"]
        constraints = [models.UniqueConstraint(fields=["budget", "currency"], name="budget_rate_unique_currency")]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate.normalize():f}"

    def clean(self) -> None:
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": "An exchange rate must be more than zero."})
        if self.budget_id and self.currency == self.budget.base_currency:
            raise ValidationError({"currency": "That is the budget's base currency; it needs no rate."})


class Charge(models.Model):
    """A top-sheet contractual charge: contingency, completion bond, overhead, insurance, a credit."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percent of subtotals"
        FLAT = "flat", "Flat amount"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="charges")
    code = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    rate = models.DecimalField(max_digits=8, decimal_places=4, default=0, help_text="Percentage, e.g. 10")
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0, help_text="Flat amount in base currency")
    basis = models.JSONField(default=list, blank=True, help_text="Levels the percentage is taken of")
    applied = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["budget", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["budget", "name"], name="budget_charge_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.basis, list) or any(b not in Level.values for b in self.basis):
            raise ValidationError({"basis": f"Choose levels among {', '.join(Level.values)}."})
        if self.kind == self.Kind.PERCENT and not self.basis:
            raise ValidationError({"basis": "Choose at least one level the percentage is taken of."})


class DetailLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(BudgetAccount, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=200)
    amount = models.CharField(max_length=40, default="1", help_text="A number or a global name, e.g. SHOOT_DAYS")
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.FLAT)
    x = models.CharField("X", max_length=40, default="1", help_text="Multiplier: a number or a global name")
    rate = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    fringes = models.ManyToManyField(Fringe, blank=True, related_name="lines")
    fringe_group = models.CharField(
        max_length=60, blank=True,
        help_text="Lines with the same group are one person's engagement: fringe cutoffs and caps apply jointly",
    )
    tag_set = models.CharField("set", max_length=100, blank=True)
    tag_location = models.CharField("location", max_length=100, blank=True)
    tag_episode = models.CharField("episode", max_length=20, blank=True)
    notes = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["account", "order", "id"]

    def __str__(self) -> str:
        return self.description
