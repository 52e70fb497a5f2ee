"""Browser journeys in Debian's Chromium, driven by Playwright against a live server."""

import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import editors_group

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(__file__).parents[2] / "test-artifacts"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there (fixtures, assertions) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists())
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def site(transactional_db, live_server):
    """The live server with the demo claims loaded and scored."""
    call_command("loaddata", "demo", verbosity=0)
    call_command("rescore", verbosity=0)
    return live_server.url


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll a JavaScript expression until it is true. Playwright's wait_for_function compiles
    its predicate with eval inside the page, which the site's CSP (no 'unsafe-eval') refuses
    whenever the first check is false; page.evaluate is not subject to the page's CSP."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_terminal_summary(terminalreporter):
    shots = sorted(SCREENSHOTS.glob("*.png")) if SCREENSHOTS.is_dir() else []
    if shots:
        terminalreporter.write_line(f"e2e screenshots ({len(shots)}): {SCREENSHOTS}")


# The journeys' accounts: a member and an editor (in the editors group, rebuilt with every
# app's grants after the live server's flush), both with one password.
PASSWORD = "a-long-test-password-42"
DEMO_CLAIM = "near-failure-training-motor-unit-firing-rate"


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("mira", "mira@example.org", PASSWORD)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "edith", "edith@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(editors_group())
    return user


def log_in(page, site, user, next_path="/"):
    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_path}")
