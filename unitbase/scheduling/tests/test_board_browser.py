# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""The stripboard in a real browser (Debian's Chromium through Playwright): the 1st AD drags a strip
to another day and sees both days' totals change, then moves it back with the keyboard; a stale
edit (someone else changed the version) is refused with the message and the fresh board."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import member
from unitbase.productions.authority import Role
from unitbase.scheduling import services
from unitbase.scheduling.models import ScheduleVersion, Strip

from .test_services import ad, calendar, cast, production, script, unit, upm, version  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(live_server, production, ad, version):
    # Days of at most 2 pages: day 1 = scene 1 (1 p), day 2 = scenes 2 + 3 (2 pp), day 3 = 4 + 5, day 4 = 6.
    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    return f"{live_server.url}/p/{production.pk}/schedule/v/{version.pk}/"


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def day(page, n):
    return page.locator(f'[data-board] li.sb-day[data-day="{n}"] .sb-day-main')


def test_drag_a_strip_to_another_day_then_move_it_back_with_the_keyboard(page, live_server, production, version, board):
    user = member(production, Role.FIRST_AD).user
    sign_in(page, live_server.url, user)
    page.goto(board)
    expect(day(page, 1)).to_contain_text("1 scene")
    expect(day(page, 1)).to_contain_text("1 pp")
    expect(day(page, 2)).to_contain_text("2 scenes")
    expect(day(page, 2)).to_contain_text("2 pp")
    s3 = Strip.objects.get(version=version, scene__number="3").pk

    # Mouse: drop scene 3 onto the end-of-day-1 bar (it lands at the end of day 1).
    page.locator(f'[data-strip="{s3}"]').drag_to(page.locator('li.sb-day[data-day="1"]'))
    expect(page.locator("[data-status]")).to_have_text("Moved 1 strip to the board.")
    expect(day(page, 1)).to_contain_text("2 scenes")
    expect(day(page, 1)).to_contain_text("1 4/8 pp")
    expect(day(page, 1)).to_contain_text("Running 1 4/8 pp")
    expect(day(page, 2)).to_contain_text("1 scene")
    expect(day(page, 2)).to_contain_text("1 4/8 pp")
    assert ScheduleVersion.objects.get(pk=version.pk).revision == 3

    # Keyboard: focus the strip, j moves it one row down, past the day break, into day 2.
    page.locator(f'[data-strip="{s3}"]').focus()
    page.keyboard.press("j")
    expect(day(page, 1)).to_contain_text("1 scene")
    expect(day(page, 1)).to_contain_text("1 pp")
    expect(day(page, 2)).to_contain_text("2 scenes")
    expect(day(page, 2)).to_contain_text("2 pp")
    expect(page.locator(f'[data-strip="{s3}"]')).to_be_focused()
    assert ScheduleVersion.objects.get(pk=version.pk).revision == 4

    # Someone else edits the version: the next move is refused and the board reloads.
    from unitbase.productions.permissions import access_production

    other = access_production(member(production, Role.UPM).user, production.pk)
    services.day_break_add(access=other, version_id=version.pk, revision=4, index=0)
    before = order(version)
    page.locator(f'[data-strip="{s3}"]').focus()
    page.keyboard.press("k")
    expect(page.locator("[data-status]")).to_contain_text(re.compile("Someone else changed this schedule version"))
    expect(page.locator("[data-board]")).to_have_attribute("data-revision", "5")
    expect(page.locator('li.sb-day[data-day="1"]')).to_contain_text("0 scenes")  # the other user's new first break
    assert order(version) == before and ScheduleVersion.objects.get(pk=version.pk).revision == 5


def order(version):
    return list(Strip.objects.filter(version=version, section="board").order_by("position").values_list("pk", flat=True))
