"""Sunrise, sunset and civil twilight computed locally (astral); no network."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from astral import LocationInfo
from astral.sun import sun


def sun_times(*, latitude: float, longitude: float, when: date, time_zone: str = "UTC") -> dict[str, str]:
    """{"dawn", "sunrise", "sunset", "dusk"} as local HH:MM; a value is "" where the sun does not
    rise or set that day (polar day or night)."""
    tz = ZoneInfo(time_zone)
    place = LocationInfo(latitude=float(latitude), longitude=float(longitude), timezone=time_zone)
    result = {"dawn": "", "sunrise": "", "sunset": "", "dusk": ""}
    try:
        times = sun(place.observer, date=when, tzinfo=tz)
    except ValueError:  # the sun never reaches the needed elevation that day
        return result
    for key in result:
        result[key] = times[key].astimezone(tz).strftime("%H:%M")
    return result
