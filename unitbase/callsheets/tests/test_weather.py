"""The Open-Meteo weather provider, with a recorded answer: no network in tests."""

import io
import json
import urllib.error
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from unitbase.callsheets import services
from unitbase.callsheets.selectors import sheet_data
from unitbase.callsheets.weather import OpenMeteoWeather, Weather, compass, weather_for

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db
PROVIDER = "unitbase.callsheets.weather.OpenMeteoWeather"
URLOPEN = "unitbase.callsheets.weather.urllib.request.urlopen"

# An answer of https://api.open-meteo.com/v1/forecast for Tarbert (daily variables as the provider asks).
RECORDED = {
    "latitude": 55.86, "longitude": -5.42, "generationtime_ms": 0.1, "utc_offset_seconds": 0, "timezone": "Europe/London",
    "timezone_abbreviation": "GMT", "elevation": 12.0,
    "daily_units": {"time": "iso8601", "weather_code": "wmo code", "temperature_2m_max": "°C", "temperature_2m_min": "°C",
                    "precipitation_probability_max": "%", "wind_speed_10m_max": "mp/h", "wind_direction_10m_dominant": "°"},
    "daily": {"time": ["2026-12-14"], "weather_code": [80], "temperature_2m_max": [8.6], "temperature_2m_min": [3.8],
              "precipitation_probability_max": [70], "wind_speed_10m_max": [18.4], "wind_direction_10m_dominant": [221]},
}


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _answer(data=RECORDED):
    return mock.Mock(side_effect=lambda request, timeout: _Response(json.dumps(data).encode()))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(settings):
    settings.UNITBASE_WEATHER_PROVIDER = PROVIDER
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    return w


TARBERT = {"latitude": Decimal("55.865"), "longitude": Decimal("-5.414")}
SOON = timezone.localdate() + timedelta(days=2)  # inside the 16-day forecast window


def test_describe_recorded_answer():
    assert OpenMeteoWeather().describe(json.dumps(RECORDED).encode()) == "Light rain showers; 9°C / 4°C; wind SW 18 mph; rain 70%"
    assert [compass(d) for d in (0, 44, 90, 181, 270, 315)] == ["N", "NE", "E", "S", "W", "NW"]


def test_asks_once_per_place_and_date_and_keeps_the_office_note(settings):
    settings.UNITBASE_WEATHER_PROVIDER = PROVIDER
    fake = _answer()
    with mock.patch(URLOPEN, fake):
        first = weather_for(**TARBERT, when=SOON, entered="Waterproofs for all")
        again = weather_for(**TARBERT, when=SOON, entered="")
    assert first.text == "Light rain showers; 9°C / 4°C; wind SW 18 mph; rain 70%. Waterproofs for all"
    assert first.note == "Forecast: Open-Meteo (open-meteo.com)"
    assert again.text == "Light rain showers; 9°C / 4°C; wind SW 18 mph; rain 70%"
    assert fake.call_count == 1  # cached per place and date
    (request,), kwargs = fake.call_args
    assert kwargs == {"timeout": 4.0}
    assert "latitude=55.8650" in request.full_url and "longitude=-5.4140" in request.full_url
    assert f"start_date={SOON.isoformat()}" in request.full_url and f"end_date={SOON.isoformat()}" in request.full_url


def test_timeout_fails_soft_with_a_note_and_is_not_retried_on_every_page(settings):
    settings.UNITBASE_WEATHER_PROVIDER = PROVIDER
    settings.UNITBASE_WEATHER_TIMEOUT = 2
    slow = mock.Mock(side_effect=urllib.error.URLError(TimeoutError("timed out")))
    with mock.patch(URLOPEN, slow):
        first = weather_for(**TARBERT, when=SOON, entered="Showers")
        weather_for(**TARBERT, when=SOON, entered="Showers")
    assert first.text == "Showers"
    assert first.note == "No forecast: Open-Meteo did not answer within 2 s. Shown as entered."
    assert slow.call_count == 1


def test_the_sheet_says_why_there_is_no_forecast(world):
    services.callsheet_update(access=world["ad"], call_sheet_id=world["sheet"].pk, weather="Fog")
    world["sheet"].refresh_from_db()
    never = mock.Mock(side_effect=AssertionError("no request expected"))
    with mock.patch(URLOPEN, never):
        data = sheet_data(world["sheet"])  # the sets have no coordinates yet
        c = Client()
        c.force_login(world["ad_user"])
        page = c.get(reverse("callsheets:detail", args=[world["production"].pk, world["sheet"].pk])).content.decode()
    assert (data["weather"], data["weather_note"]) == ("Fog", "No forecast: enter the location's coordinates. Shown as entered.")
    assert "No forecast: enter the location&#x27;s coordinates. Shown as entered." in page


class ChangingWeather:
    answer = "Sunny"

    def forecast(self, *, latitude, longitude, when, entered):
        return Weather(text=self.answer, note="Forecast: test")


def test_publish_freezes_the_forecast(world, settings):
    settings.UNITBASE_WEATHER_PROVIDER = "unitbase.callsheets.tests.test_weather.ChangingWeather"
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()):
        revision = services.callsheet_publish(access=world["ad"], call_sheet_id=world["sheet"].pk)
    with mock.patch.object(ChangingWeather, "answer", "Storm"):
        assert sheet_data(world["sheet"])["weather"] == "Storm"
    revision.refresh_from_db()
    assert (revision.snapshot["weather"], revision.snapshot["weather_note"]) == ("Sunny", "Forecast: test")


def test_refusals_and_odd_answers_are_named(world):
    error = urllib.error.HTTPError(OpenMeteoWeather().url(latitude=Decimal(1), longitude=Decimal(1), when=SOON), 400,
                                   "Bad Request", {}, io.BytesIO(b'{"error": true, "reason": "Latitude must be in range"}'))
    with mock.patch(URLOPEN, mock.Mock(side_effect=error)):
        note = weather_for(latitude=Decimal(1), longitude=Decimal(1), when=SOON, entered="").note
    assert note == "No forecast: Open-Meteo answered 400: Latitude must be in range."
    with mock.patch(URLOPEN, _answer({"reason": "nothing"})):
        note = weather_for(latitude=Decimal(2), longitude=Decimal(2), when=SOON, entered="Dry").note
    assert note == "No forecast: Open-Meteo sent an answer without a daily forecast. Shown as entered."
    with mock.patch(URLOPEN, mock.Mock(side_effect=urllib.error.URLError("Name or service not known"))):
        note = weather_for(latitude=Decimal(3), longitude=Decimal(3), when=SOON, entered="").note
    assert note == "No forecast: Open-Meteo could not be reached (Name or service not known)."


def test_no_network_call_when_it_cannot_answer(world):
    never = mock.Mock(side_effect=AssertionError("no request expected"))
    far = timezone.localdate() + timedelta(days=30)
    with mock.patch(URLOPEN, never):
        far_note = weather_for(latitude=Decimal("55.8"), longitude=Decimal("-5.4"), when=far, entered="").note
        no_place = weather_for(latitude=None, longitude=None, when=SOON, entered="Fog").note
    assert far_note == "No forecast: the forecast reaches 15 days ahead; this day is 30 days away."
    assert no_place == "No forecast: enter the location's coordinates. Shown as entered."
    assert never.call_count == 0


def test_default_provider_shows_what_was_entered(world, settings):
    settings.UNITBASE_WEATHER_PROVIDER = "unitbase.callsheets.weather.EnteredWeather"
    services.callsheet_update(access=world["ad"], call_sheet_id=world["sheet"].pk, weather="Drizzle, 7°C")
    world["sheet"].refresh_from_db()
    with mock.patch(URLOPEN, mock.Mock(side_effect=AssertionError("no request expected"))):
        data = sheet_data(world["sheet"])
    assert (data["weather"], data["weather_note"]) == ("Drizzle, 7°C", "")
