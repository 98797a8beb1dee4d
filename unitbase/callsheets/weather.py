"""Weather on call sheets: a pluggable provider.

`settings.UNITBASE_WEATHER_PROVIDER` names a class (dotted path) with a method
`forecast(*, latitude, longitude, when, entered) -> str`. The default, `EnteredWeather`, returns
what the user typed; a deployment may configure a provider that asks a weather service (it must
answer quickly and fall back to `entered` on any failure). Unitbase itself makes no network calls.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_PROVIDER = "unitbase.callsheets.weather.EnteredWeather"


class EnteredWeather:
    def forecast(self, *, latitude: Decimal | None, longitude: Decimal | None, when: date, entered: str) -> str:
        return entered


def weather_provider():
    return import_string(getattr(settings, "UNITBASE_WEATHER_PROVIDER", DEFAULT_PROVIDER))()


def weather_for(*, latitude: Decimal | None, longitude: Decimal | None, when: date, entered: str) -> str:
    try:
        return weather_provider().forecast(latitude=latitude, longitude=longitude, when=when, entered=entered) or entered
    except Exception:  # a provider's failure never breaks a call sheet
        return entered
