"""Weather on call sheets: a pluggable provider.

`settings.UNITBASE_WEATHER_PROVIDER` (environment variable of the same name) names a class (dotted path)
with a method `forecast(*, latitude, longitude, when, entered) -> str | Weather`. A provider that cannot
answer raises `WeatherUnavailable("why")` (any other exception is treated the same): the call sheet then
shows what the user entered with a note saying why there is no forecast. Nothing breaks a call sheet.

- `EnteredWeather` (the default) returns what the user typed. No network.
- `OpenMeteoWeather` asks Open-Meteo's free forecast API (no key) for the shoot date at the first
  located set: conditions, high/low, strongest wind and its direction, chance of rain. Timeout
  `UNITBASE_WEATHER_TIMEOUT` seconds (default 4); answers are cached per place (to about 100 m) and date
  for three hours, failures for five minutes, in Django's cache. What the user entered is kept after
  the forecast (an office note such as "waterproofs for all").

A published revision freezes the weather it was published with; drafts ask the provider (cached).
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_PROVIDER = "unitbase.callsheets.weather.EnteredWeather"
OPEN_METEO_URL = "https://api.open-meteo.com/v1/forecast"
FORECAST_DAYS = 16  # Open-Meteo forecasts today and the next 15 days
CACHE_SECONDS = 3 * 3600
FAILURE_CACHE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Weather:
    text: str
    note: str = ""  # printed small under the weather: the source, or why there is no forecast


class WeatherUnavailable(Exception):
    """The provider has no forecast; the message says why (shown on the call sheet)."""


class EnteredWeather:
    def forecast(self, *, latitude: Decimal | None, longitude: Decimal | None, when: date, entered: str) -> str:
        return entered


# WMO weather interpretation codes (Open-Meteo's `weather_code`).
WMO_CODES = {
    0: "Clear sky", 1: "Mainly clear", 2: "Partly cloudy", 3: "Overcast", 45: "Fog", 48: "Freezing fog",
    51: "Light drizzle", 53: "Drizzle", 55: "Heavy drizzle", 56: "Light freezing drizzle", 57: "Freezing drizzle",
    61: "Light rain", 63: "Rain", 65: "Heavy rain", 66: "Light freezing rain", 67: "Freezing rain",
    71: "Light snow", 73: "Snow", 75: "Heavy snow", 77: "Snow grains",
    80: "Light rain showers", 81: "Rain showers", 82: "Violent rain showers", 85: "Snow showers", 86: "Heavy snow showers",
    95: "Thunderstorm", 96: "Thunderstorm with hail", 99: "Thunderstorm with heavy hail",
}
COMPASS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]


def compass(degrees: float) -> str:
    return COMPASS[round((degrees % 360) / 45) % 8]


class OpenMeteoWeather:
    """Open-Meteo's forecast API (https://open-meteo.com, data CC BY 4.0), through urllib."""

    name = "Open-Meteo"
    wind_unit = "mph"  # "mph" or "kmh"; a subclass may change it

    def forecast(self, *, latitude: Decimal | None, longitude: Decimal | None, when: date, entered: str) -> Weather:
        if latitude is None or longitude is None:
            raise WeatherUnavailable("enter the location's coordinates")
        ahead = (when - timezone.localdate()).days
        if ahead >= FORECAST_DAYS:
            raise WeatherUnavailable(f"the forecast reaches {FORECAST_DAYS - 1} days ahead; this day is {ahead} days away")
        key = f"callsheets:weather:open-meteo:{float(latitude):.3f}:{float(longitude):.3f}:{when.isoformat()}:{self.wind_unit}"
        cached = cache.get(key)
        if cached is None:
            try:
                cached = {"text": self._fetch(latitude=latitude, longitude=longitude, when=when)}
                cache.set(key, cached, CACHE_SECONDS)
            except WeatherUnavailable as exc:
                cache.set(key, {"error": str(exc)}, FAILURE_CACHE_SECONDS)
                raise
        if "error" in cached:
            raise WeatherUnavailable(cached["error"])
        text = cached["text"] + (f". {entered.strip()}" if entered.strip() else "")
        return Weather(text=text, note=f"Forecast: {self.name} (open-meteo.com)")

    def url(self, *, latitude: Decimal, longitude: Decimal, when: date) -> str:
        query = urllib.parse.urlencode({
            "latitude": f"{float(latitude):.4f}", "longitude": f"{float(longitude):.4f}",
            "daily": "weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max,"
                     "wind_speed_10m_max,wind_direction_10m_dominant",
            "timezone": "auto", "start_date": when.isoformat(), "end_date": when.isoformat(),
            "wind_speed_unit": self.wind_unit,
        })
        return f"{OPEN_METEO_URL}?{query}"

    def _fetch(self, *, latitude: Decimal, longitude: Decimal, when: date) -> str:
        request = urllib.request.Request(self.url(latitude=latitude, longitude=longitude, when=when),  # noqa: S310 - fixed https URL
                                         headers={"User-Agent": "Unitbase call sheets", "Accept": "application/json"})
        timeout = float(getattr(settings, "UNITBASE_WEATHER_TIMEOUT", 4))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed https URL
                body = response.read(256 * 1024)
        except urllib.error.HTTPError as exc:
            reason = ""
            with contextlib.suppress(ValueError, AttributeError, OSError):
                reason = json.loads(exc.read(16 * 1024)).get("reason", "")
            raise WeatherUnavailable(f"{self.name} answered {exc.code}{': ' + reason if reason else ''}") from None
        except TimeoutError:
            raise WeatherUnavailable(f"{self.name} did not answer within {timeout:g} s") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise WeatherUnavailable(f"{self.name} did not answer within {timeout:g} s") from None
            raise WeatherUnavailable(f"{self.name} could not be reached ({reason})") from None
        return self.describe(body)

    def describe(self, body: bytes) -> str:
        """'Light rain showers; 9°C / 4°C; wind SW 18 mph; rain 70%' from Open-Meteo's daily answer."""
        try:
            daily = json.loads(body)["daily"]
            values = {k: daily[k][0] for k in ("weather_code", "temperature_2m_max", "temperature_2m_min")}
        except (ValueError, KeyError, IndexError, TypeError):
            raise WeatherUnavailable(f"{self.name} sent an answer without a daily forecast") from None
        if any(v is None for v in values.values()):
            raise WeatherUnavailable(f"{self.name} has no forecast for this day yet")
        parts = [WMO_CODES.get(int(values["weather_code"]), f"Weather code {values['weather_code']}"),
                 f"{round(values['temperature_2m_max'])}°C / {round(values['temperature_2m_min'])}°C"]
        wind, direction = (daily.get("wind_speed_10m_max") or [None])[0], (daily.get("wind_direction_10m_dominant") or [None])[0]
        if wind is not None:
            unit = "mph" if self.wind_unit == "mph" else "km/h"
            parts.append(f"wind {compass(direction) + ' ' if direction is not None else ''}{round(wind)} {unit}")
        rain = (daily.get("precipitation_probability_max") or [None])[0]
        if rain is not None:
            parts.append(f"rain {round(rain)}%")
        return "; ".join(parts)


def weather_provider():
    return import_string(getattr(settings, "UNITBASE_WEATHER_PROVIDER", DEFAULT_PROVIDER) or DEFAULT_PROVIDER)()


def weather_for(*, latitude: Decimal | None, longitude: Decimal | None, when: date, entered: str) -> Weather:
    """The weather line for a call sheet; never raises."""
    try:
        provider = weather_provider()
        answer = provider.forecast(latitude=latitude, longitude=longitude, when=when, entered=entered)
    except WeatherUnavailable as exc:
        return Weather(text=entered, note=f"No forecast: {exc}." + (" Shown as entered." if entered else ""))
    except Exception as exc:  # a provider's bug never breaks a call sheet
        return Weather(text=entered, note=f"No forecast: the weather provider failed ({type(exc).__name__})."
                                          + (" Shown as entered." if entered else ""))
    if isinstance(answer, Weather):
        return answer if answer.text else Weather(text=entered, note=answer.note)
    return Weather(text=answer or entered)
