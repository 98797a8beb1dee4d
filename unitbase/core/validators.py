from django.core.exceptions import ValidationError


def validate_currency_code(value: str) -> None:
    if len(value) != 3 or not value.isalpha() or not value.isupper():
        raise ValidationError("Enter a three-letter ISO 4217 currency code in capitals, such as USD or EUR.")
