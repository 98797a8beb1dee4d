"""Charts of accounts, budgets and their setup (globals, fringes, exchange rates, charges), detail lines.

A budget copies its chart's categories and accounts when it is created (like MMB's library: a copy,
not a reference), so renaming a chart account later never rewrites a locked budget.
"""

import re
import uuid

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


def new_figures_stamp() -> str:
    return uuid.uuid4().hex


class Budget(TimeStampedModel):
    class Status(models.TextChoices):
        WORKING = "working", "Working"
        LOCKED = "locked", "Locked"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="budgets")
    chart = models.ForeignKey(ChartOfAccounts, on_delete=models.RESTRICT, related_name="budgets")
    name = models.CharField(max_length=120)
    base_currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WORKING)
    version = models.PositiveIntegerField(default=1)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions")
    revision = models.PositiveIntegerField(default=1, help_text="Counts changes to budget-wide settings")
    figures_stamp = models.CharField(
        max_length=32, default=new_figures_stamp, editable=False,
        help_text="A new random value with every write that can change the budget's figures (sheetcache's key)",
    )
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
                                 help_text="Wages per person per engagement after which a percent fringe stops; blank = none")
    cap = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                              validators=[MinValueValidator(0)],
                              help_text="Most this fringe may cost per person per engagement; blank = none")
    person_cap = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Most this fringe may cost per person across all their lines (every engagement); blank = none")
    person_cutoff = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Wages per person across all their lines (every engagement) after which a percent fringe "
                  "stops; blank = none")

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
        if self.kind == self.Kind.FLAT and self.person_cutoff is not None:
            raise ValidationError({"person_cutoff": "A wage cutoff only applies to percent fringes; use a cap."})


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
    person = models.CharField(
        max_length=60, blank=True,
        help_text="Who the line pays: a fringe's per-person cap and cutoff apply across all of this person's lines",
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


# --- spending: vendors, purchase orders, invoices, payments, petty cash, check requests ----------
# docs/budgets.md "Spending and cost report". Money: Decimal amount + ISO currency; `base_amount`
# fields are in the reporting budget's base currency, converted and rounded once when posted.

MONEY = {"max_digits": 14, "decimal_places": 2}


class Vendor(TimeStampedModel):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="vendors")
    name = models.CharField(max_length=160)
    contact = models.CharField(max_length=160, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    tax_id = models.CharField("tax ID", max_length=40, blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["production", "name"]
        constraints = [models.UniqueConstraint(fields=["production", "name"], name="vendor_unique_name")]

    def __str__(self) -> str:
        return self.name


class PurchaseOrder(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Pending approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CLOSED = "closed", "Closed"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="purchase_orders")
    budget = models.ForeignKey(Budget, on_delete=models.RESTRICT, related_name="purchase_orders",
                               help_text="The budget whose accounts the lines are coded to")
    number = models.PositiveIntegerField()
    vendor = models.ForeignKey(Vendor, on_delete=models.RESTRICT, related_name="purchase_orders")
    department = models.ForeignKey("productions.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    description = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    total = models.DecimalField(**MONEY, default=0, help_text="Sum of the lines, in the PO's currency")
    overage = models.DecimalField(**MONEY, default=0,
                                  help_text="How far the PO pushed accounts over budget at submission (base currency)")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["production", "-number"]
        constraints = [models.UniqueConstraint(fields=["production", "number"], name="po_unique_number")]

    def __str__(self) -> str:
        return f"PO {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    account_code = models.CharField(max_length=20)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["purchase_order", "order", "id"]
        indexes = [models.Index(fields=["account_code"])]

    def __str__(self) -> str:
        return f"{self.account_code} {self.description}"

    def clean(self) -> None:
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "A PO line must be for more than zero."})


class Invoice(TimeStampedModel):
    """A vendor invoice. Matched to an approved PO it is approved by the PO and posts at once; a
    direct invoice (no PO) goes through the "invoice" approval chain and posts when approved."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Pending approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="invoices")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPROVED, db_index=True)
    department = models.ForeignKey("productions.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text="For a direct invoice: whose approval chain")
    note = models.CharField(max_length=300, blank=True, help_text="Rejection reason")
    vendor = models.ForeignKey(Vendor, on_delete=models.RESTRICT, related_name="invoices")
    purchase_order = models.ForeignKey(PurchaseOrder, null=True, blank=True, on_delete=models.RESTRICT,
                                       related_name="invoices")
    number = models.CharField(max_length=60)
    date = models.DateField()
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    total = models.DecimalField(**MONEY, default=0)
    over_po = models.DecimalField(**MONEY, default=0,
                                  help_text="How far the PO's invoices exceed the PO with this one (0 = within)")
    overage = models.DecimalField(**MONEY, default=0,
                                  help_text="Direct invoice: how far it pushes its accounts' EFC over budget "
                                            "(base currency); above 0 it also needs budget_overage approval")
    paid = models.DecimalField(**MONEY, default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["production", "-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["vendor", "number"], name="invoice_unique_vendor_number")]

    def __str__(self) -> str:
        return f"Invoice {self.number} ({self.vendor})"

    @property
    def balance(self):
        return self.total - self.paid


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    po_line = models.ForeignKey(PurchaseOrderLine, null=True, blank=True, on_delete=models.RESTRICT,
                                related_name="invoice_lines")
    account_code = models.CharField(max_length=20)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["invoice", "id"]

    def __str__(self) -> str:
        return f"{self.account_code} {self.amount}"


class Payment(TimeStampedModel):
    class Method(models.TextChoices):
        CHECK = "check", "Check"
        WIRE = "wire", "Wire / transfer"
        CARD = "card", "Card"
        CASH = "cash", "Cash"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    date = models.DateField()
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.CHECK)
    reference = models.CharField(max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["invoice", "date", "id"]


class CheckRequest(TimeStampedModel):
    """An up-front payment without a PO (deposits, fees); same approval chain as a PO."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Pending approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="check_requests")
    payee = models.CharField(max_length=160)
    vendor = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.RESTRICT, related_name="+")
    department = models.ForeignKey("productions.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    account_code = models.CharField(max_length=20)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    date = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["production", "-date", "-id"]

    def __str__(self) -> str:
        return f"Check request {self.pk} · {self.payee}"


class PettyCashFloat(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="petty_cash_floats")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)], help_text="Cash issued")
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    issued_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["production", "-issued_on", "-id"]

    def __str__(self) -> str:
        return f"Float {self.pk} · {self.holder}"


class PettyCashEnvelope(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    cash_float = models.ForeignKey(PettyCashFloat, on_delete=models.CASCADE, related_name="envelopes")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    total = models.DecimalField(**MONEY, default=0)
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["cash_float", "number"]
        constraints = [models.UniqueConstraint(fields=["cash_float", "number"], name="envelope_unique_number")]

    def __str__(self) -> str:
        return f"Envelope {self.number}"


class PettyCashCount(models.Model):
    """A reconciliation of a float: the cash counted against the cash expected on hand."""

    cash_float = models.ForeignKey(PettyCashFloat, on_delete=models.CASCADE, related_name="counts")
    date = models.DateField()
    expected = models.DecimalField(**MONEY, help_text="Float issued − receipts not yet reimbursed")
    counted = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    difference = models.DecimalField(**MONEY, help_text="Counted − expected: negative = cash short")
    closes_float = models.BooleanField(default=False, help_text="The cash was returned and the float closed")
    note = models.CharField(max_length=300, blank=True)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cash_float", "-date", "-id"]

    def __str__(self) -> str:
        return f"Count of {self.cash_float} on {self.date}"


class Receipt(models.Model):
    envelope = models.ForeignKey(PettyCashEnvelope, on_delete=models.CASCADE, related_name="receipts")
    date = models.DateField()
    account_code = models.CharField(max_length=20)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    file = models.FileField(upload_to="receipts/%Y/%m/")
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    flagged = models.CharField(max_length=200, blank=True, help_text="Why the accountant questions it")

    class Meta:
        ordering = ["envelope", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.description}"


class Transaction(models.Model):
    """One posted cost: the only source of actuals in the cost report."""

    class Source(models.TextChoices):
        PURCHASE_ORDER = "po", "Purchase order"
        INVOICE = "invoice", "Invoice"
        PETTY_CASH = "petty_cash", "Petty cash"
        PAYROLL = "payroll", "Payroll"
        CHECK_REQUEST = "check_request", "Check request"
        MANUAL = "manual", "Manual journal"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="transactions")
    date = models.DateField()
    account_code = models.CharField(max_length=20)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    base_amount = models.DecimalField(**MONEY, help_text="In the reporting budget's base currency")
    source = models.CharField(max_length=20, choices=Source.choices)
    reference = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=200, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    posted_period_ending = models.DateField(
        null=True, blank=True,
        help_text="Set when the date fell in a closed period: the week ending of the first open period, where "
                  "the cost report counts it (empty = counted by its date)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production", "-date", "-id"]
        indexes = [models.Index(fields=["production", "account_code", "date"], name="txn_prod_account_date"),
                   # ledgercache's stamp (count and highest id) from the index alone
                   models.Index(fields=["production", "id"], name="txn_prod_id")]

    def __str__(self) -> str:
        return f"{self.date} {self.account_code} {self.amount} {self.currency}"


class CostEstimate(models.Model):
    """An accountant's estimate to complete for one account of one budget version."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="estimates")
    account_code = models.CharField(max_length=20)
    etc = models.DecimalField("estimate to complete", **MONEY, validators=[MinValueValidator(0)])
    note = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "account_code"], name="estimate_unique_account")]

    def __str__(self) -> str:
        return f"ETC {self.account_code} {self.etc}"


class HotCostDay(models.Model):
    """One shooting day's hot cost: planned against actual (domain-spec 2.2), kept small."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="hot_cost_days")
    date = models.DateField()
    planned_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    actual_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    overtime_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    meal_penalties = models.PositiveIntegerField(default=0)
    planned_cost = models.DecimalField(**MONEY, default=0, validators=[MinValueValidator(0)])
    actual_cost = models.DecimalField(**MONEY, default=0, validators=[MinValueValidator(0)])
    extra_day = models.BooleanField(default=False, help_text="A day shot beyond the schedule (set from the production "
                                                             "report by the fill, or by hand).")
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["production", "date"]
        constraints = [models.UniqueConstraint(fields=["production", "date"], name="hotcost_unique_day")]

    def __str__(self) -> str:
        return f"Hot cost {self.date}"

    @property
    def over_under(self):
        """Planned − actual: negative when the day cost more than planned."""
        return self.planned_cost - self.actual_cost


class CostReportClosing(models.Model):
    """A closed cost-report period (domain-spec 2.1: every weekly report kept as an immutable snapshot).
    Created only by `costreport_close.cost_report_close`; its lines are never edited or deleted."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="cost_report_closings")
    budget = models.ForeignKey(Budget, on_delete=models.RESTRICT, related_name="closings",
                               help_text="The budget version the period was reported against")
    week_ending = models.DateField()
    period_start = models.DateField()
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["production", "-week_ending"]
        constraints = [models.UniqueConstraint(fields=["production", "week_ending"], name="closing_unique_week")]

    def __str__(self) -> str:
        return f"Cost report closed w/e {self.week_ending:%d %b %Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A closed cost report is frozen: it cannot be changed.")
        super().save(*args, **kwargs)


class CostReportSnapshotLine(models.Model):
    """One account's frozen figures in a closed period (base currency of the closing's budget)."""

    closing = models.ForeignKey(CostReportClosing, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=160)
    category_code = models.CharField(max_length=20)
    category_name = models.CharField(max_length=160)
    level = models.CharField(max_length=20, choices=Level.choices)
    in_budget = models.BooleanField(default=True)
    etc_is_default = models.BooleanField(default=True)
    budget = models.DecimalField(**MONEY)
    period = models.DecimalField(**MONEY)
    atd = models.DecimalField("actual to date", **MONEY)
    committed = models.DecimalField(**MONEY)
    etc = models.DecimalField("estimate to complete", **MONEY)

    class Meta:
        ordering = ["closing", "order"]
        constraints = [models.UniqueConstraint(fields=["closing", "code"], name="snapshot_unique_account")]

    def __str__(self) -> str:
        return f"{self.code} ({self.closing})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A closed cost report is frozen: it cannot be changed.")
        super().save(*args, **kwargs)
