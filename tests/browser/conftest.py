"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

They need /usr/bin/chromium and node_modules/axe-core (`npm ci`). Without them the tests are
skipped, except where they must run: with CI=true or BROWSER_TESTS=required, missing is a failure.
"""

import fcntl
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from .helpers import password_for
from .watchdog import RERUN_WHEN_HUNG, watched

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
# Playwright's own browser builds cannot be downloaded here: these are the flags Debian's Chromium runs with.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
STATIC_FILES_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


def browser_tests_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("BROWSER_TESTS", "") == "required"


def missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE.relative_to(settings.BASE_DIR)} (npm ci)")
    return missing


def pytest_collection_modifyitems(config, items):
    """Browser tests against the live server commit their data, for the server's thread to read it. Each
    starts from the migrated database, restored (serialized_rollback): the staff groups come from a
    migration. (The CSP test serves its own database through gunicorn and needs none of this.)"""
    marker = pytest.mark.django_db(transaction=True, serialized_rollback=True)
    here = Path(__file__).parent
    for item in items:
        if here not in Path(item.path).parents:
            continue
        item.add_marker(RERUN_WHEN_HUNG)
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(marker)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from watched(item, "set-up"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from watched(item, "call"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    return (yield from watched(item, "tear-down"))


@pytest.fixture(scope="package")
def playwright(django_db_setup):
    if missing := missing_tools():
        message = "Browser tests need " + " and ".join(missing) + "."
        if browser_tests_required():
            pytest.fail(message + " They are required here (CI=true or BROWSER_TESTS=required).", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while the browser is open.
    # Django refuses ORM calls in a thread with a running loop (they would block it): here the loop
    # only waits for the browser and the tests' ORM calls happen between browser steps, so allow them,
    # for the browser tests only (the package scope ends before any other test module runs).
    # Django also keys its connections by that loop: hand it the test database's connections, which
    # hold what each test restores (serialized_rollback) and, for SQLite, the in-memory database.
    outside = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, connection in outside.items():
                connections[alias] = connection
            yield playwright


@pytest.fixture(scope="package")
def live_server(playwright):
    """pytest-django's live server, started on the test database once the tests' static files settings
    are in place: its handler is built when it starts (tests do not run collectstatic)."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    static = {
        "STORAGES": {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_FILES_STORAGE}},
        "WHITENOISE_AUTOREFRESH": True,
        "WHITENOISE_USE_FINDERS": True,
    }
    with override_settings(**static):
        server = LiveServer("localhost")
        yield server
        server.stop()


class Chromium:
    """One Chromium for all browser tests, launched again if the watchdog had to kill it."""

    def __init__(self, playwright):
        self.playwright, self.browser = playwright, None

    def connected(self):
        if self.browser is None or not self.browser.is_connected():
            self.browser = self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        return self.browser

    def close(self):
        if self.browser is not None and self.browser.is_connected():
            self.browser.close()


@pytest.fixture(scope="package")
def chromium(playwright, live_server):
    """Each test opens its own contexts. Chromium closes before the live server stops: its last
    connections end while the server's threads may still use the database."""
    chromium = Chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def browser(chromium):
    return chromium.connected()


@pytest.fixture(scope="package")
def artifacts(chromium) -> Path:
    """artifacts/browser/, emptied once per run: screenshots and the accessibility report. Once per run,
    not per set-up: run across processes (`make test`: pytest-xdist), each process sets the browser
    tests up again whenever other tests came between them, and two processes may run them."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    ARTIFACTS.parent.mkdir(exist_ok=True)
    with open(ARTIFACTS.parent / ".browser.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = ARTIFACTS / ".run"
        if not stamp.exists() or stamp.read_text() != run:
            shutil.rmtree(ARTIFACTS, ignore_errors=True)
            ARTIFACTS.mkdir()
            stamp.write_text(run)
    return ARTIFACTS


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a fresh context (own cookies) at the given width; closes them all after the test."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900, *, bypass_csp: bool = False):
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=bypass_csp,
            viewport={"width": width, "height": height},
            locale="en-GB",
            timezone_id="UTC",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    if browser.is_connected():
        for context in contexts:
            context.close()


@pytest.fixture
def staff_member(django_user_model):
    """Creates a staff user (not a superuser) in the named group; password_for() gives the password."""
    from django.contrib.auth.models import Group

    def create(username: str, group: str):
        user = django_user_model.objects.create_user(username, password=password_for(username), is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return create
