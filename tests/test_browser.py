"""The foundation's user journey in a real browser (Debian's Chromium through Playwright):
the demo production manager signs in, opens the crew list, invites a person and sees the
invitation in the audit trail."""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("demo", verbosity=0)
    return live_server.url


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("unitbase-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))


def nav(page, name):
    page.get_by_role("navigation", name="Production").get_by_role("link", name=name).click()


def test_production_manager_invites_a_person_and_sees_the_audit_event(page, demo):
    sign_in(page, demo, "pm@demo.unitbase.test")
    nav(page, "Crew list")
    page.wait_for_url(re.compile(r"/crew/"))
    assert page.locator("table.data tbody tr").count() >= 25

    nav(page, "Members")
    page.get_by_role("link", name="Invite a person").click()
    invite = page.locator("#invite")
    invite.get_by_label("E-mail").fill("new.grip@example.test")
    invite.get_by_label("Role").select_option("crew")
    invite.get_by_role("button", name="Send invitation").click()
    page.locator("table.data", has_text="new.grip@example.test").first.wait_for()

    nav(page, "Audit trail")
    row = page.locator("table.data tbody tr", has_text="new.grip@example.test")
    row.first.wait_for()
    assert "invitation" in row.first.inner_text().lower()
