"""Money is a Decimal amount with a currency, never a float. Rounded once, at defined points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 codes the UI offers; any three-letter code is accepted by validation.
COMMON_CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "JPY", "INR", "ZAR"]
CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """The one rounding rule: half up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | str | int | None, currency: str = "") -> str:
    """How every page, message and approval summary writes money: thousands grouped, two decimals
    (rounded by the one rule), the currency code first when given: "USD 4,800.00", "-1,234.50".
    Blank for None or ""."""
    if amount is None or amount == "":
        return ""
    text = f"{round_money(Decimal(str(amount))):,.2f}"
    return f"{currency} {text}" if currency else text


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money amount must be a Decimal")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"Not an ISO 4217 currency code: {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {other.currency}")

    def rounded(self) -> Money:
        return Money(round_money(self.amount), self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)
