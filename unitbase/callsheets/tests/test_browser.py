"""Call sheets in a real browser (Debian's Chromium through Playwright): the 1st AD publishes, a
recipient opens their personal link on a phone (390 px wide, no sign-in), confirms with one click,
and the distribution page shows the confirmation."""

import os

import pytest
from playwright.sync_api import expect

from unitbase.callsheets import services
from unitbase.callsheets.models import Recipient

from .helpers import DAY1, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_publish_open_personal_link_on_a_phone_and_confirm(page, browser, live_server):
    world = build_world()
    sheet = services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1)
    pid = world["production"].pk
    sign_in(page, live_server.url, world["ad_user"])
    page.goto(f"{live_server.url}/p/{pid}/callsheets/{sheet.pk}/")
    page.get_by_role("button", name="Publish and send to crew and cast").click()
    expect(page.get_by_role("heading", name="Distribution")).to_be_visible()

    recipient = Recipient.objects.get(call_sheet=sheet, person=world["cast"]["MAREN"].person)
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        mobile = phone.new_page()
        mobile.goto(f"{live_server.url}/callsheet/{recipient.token}/")
        expect(mobile.get_by_text("Day 1 of 3").first).to_be_visible()
        # Nothing sticks out sideways on a phone: only the tables' own wrappers may scroll.
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        if os.environ.get("CALLSHEET_SCREENSHOT"):
            mobile.screenshot(path=os.environ["CALLSHEET_SCREENSHOT"], full_page=True)
        mobile.get_by_role("button", name="Confirm I have the call sheet").click()
        expect(mobile.get_by_text("Confirmed")).to_be_visible()
    finally:
        phone.close()

    page.goto(f"{live_server.url}/p/{pid}/callsheets/{sheet.pk}/distribution/")
    row = page.get_by_role("row").filter(has_text=recipient.name)
    expect(row.locator(".badge.ok")).to_have_count(2)  # delivered and confirmed
    recipient.refresh_from_db()
    assert recipient.confirmed_revision == 1 and recipient.first_opened_at is not None
