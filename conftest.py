"""Project-wide test fixtures.

Browser tests and conformance tests over ../shared skip with a visible reason when Chromium or
the shared material is missing; CI sets UNITBASE_REQUIRE_BROWSER=1 and UNITBASE_REQUIRE_SHARED=1
to turn such a skip into a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("UNITBASE_SHARED_DIR", ROOT.parent / "shared"))
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]


def _missing(reason: str, env: str) -> None:
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "scripts").is_dir():
        _missing(f"conformance material not found at {SHARED}", "UNITBASE_REQUIRE_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("UNITBASE_CHROMIUM") or next(
        (p for p in CHROMIUM_CANDIDATES if shutil.which(p)), None
    )
    if not path:
        _missing("Debian's chromium package is not installed", "UNITBASE_REQUIRE_BROWSER")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed", "UNITBASE_REQUIRE_BROWSER")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI's UNITBASE_REQUIRE_* switches, a browser or conformance test that skips for any
    reason (not only a missing fixture) fails the run instead."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    is_browser = item.get_closest_marker("browser") is not None or "browser" in item.fixturenames
    is_shared = item.get_closest_marker("shared") is not None or "shared_dir" in item.fixturenames
    required = (is_browser and os.environ.get("UNITBASE_REQUIRE_BROWSER") == "1") or (
        is_shared and os.environ.get("UNITBASE_REQUIRE_SHARED") == "1"
    )
    if required:
        report.outcome = "failed"
        report.longrepr = f"skipped, but CI requires this test to run: {report.longrepr}"
