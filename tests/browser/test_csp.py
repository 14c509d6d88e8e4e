"""The Content-Security-Policy in a real browser: pages load, the admin's widgets work, and nothing is blocked.

The app runs as in production (gunicorn, debug off, collected and compressed static files) on a SQLite
file holding the demo. Skipped without Playwright or Debian's Chromium.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, browser_tests_required
from tests.helpers import gunicorn, manage, server_env

sync_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    if browser_tests_required():
        pytest.fail(f"The CSP browser test needs {CHROMIUM}; it is required here.", pytrace=False)
    pytest.skip(f"The CSP browser test needs {CHROMIUM} (apt-get install chromium).", allow_module_level=True)


DEMO = "irkutsk-region-france-2018"

# Added before any page script runs, outside the page's policy: it records every violation.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""

# Admin pages worth loading, read from the demo database by the app's own code.
ADMIN_URLS = """
import json
from django.urls import reverse
from delegations.models import Delegation, ItineraryItem
from meetings.models import Meeting
visit = Delegation.objects.get(slug="irkutsk-region-france-2018")
session = ItineraryItem.objects.filter(kind="b2b_session").exclude(b2b_tables="").first()
meeting = Meeting.objects.filter(delegation=visit).first()
print(json.dumps({
    "delegation": reverse("admin:delegations_delegation_change", args=[visit.pk]),
    "others": [
        reverse("admin:index"),
        reverse("admin:meetings_meeting_changelist") + "?status__exact=held",
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]),
        reverse("admin:meetings_meeting_record_outcome", args=[meeting.pk]),
        *([reverse("admin:meetings_meeting_session_grid", args=[session.pk])] if session else []),
        reverse("admin:contacts_person_changelist"),
        reverse("admin:contacts_organization_add"),
        reverse("admin:password_change"),
    ],
}))
"""


@pytest.fixture(scope="module")
def demo_server(collected_static, tmp_path_factory):
    """gunicorn serving the demo; the admin user `csp` with password `csp-pass-1234`; the admin URLs to visit."""
    folder = tmp_path_factory.mktemp("demo")
    env = server_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DJANGO_STATIC_ROOT=str(collected_static))
    superuser = {"DJANGO_SUPERUSER_USERNAME": "csp", "DJANGO_SUPERUSER_PASSWORD": "csp-pass-1234"}
    for command in (["migrate", "--noinput"], ["load_demo"], ["createsuperuser", "--noinput", "--email", "c@e.org"]):
        result = manage(*command, env={**env, **superuser})
        assert result.returncode == 0, result.stdout + result.stderr
    result = manage("shell", "-c", ADMIN_URLS, env=env)
    assert result.returncode == 0, result.stderr
    urls = json.loads(result.stdout.strip().splitlines()[-1])
    with gunicorn(env, folder / "server.log", workers=2) as base:
        yield base, urls


@pytest.fixture
def page(playwright, demo_server):
    """A Chromium page logged in to the admin through its login form; console CSP errors collected too."""
    base, _ = demo_server
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "csp")
    page.fill("#id_password", "csp-pass-1234")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    yield page
    browser.close()


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    return violations(page)


def violations(page) -> list[str]:
    page.wait_for_load_state("load")
    recorded = page.evaluate("window.cspViolations")
    return recorded + [text for text in page.console_errors if "Content Security Policy" in text]


def test_public_pages_load_without_csp_violation(page, demo_server):
    base, _ = demo_server
    for path in (
        "/",
        "/delegations/",
        f"/delegations/{DEMO}/",
        f"/delegations/{DEMO}/outcomes/",
        "/meetings/",
        "/results/",
    ):
        assert visit(page, base + path) == [], path


def test_admin_change_form_widgets_work_without_csp_violation(page, demo_server):
    base, urls = demo_server
    assert visit(page, base + urls["delegation"]) == []

    # The date widget's calendar, an autocomplete (select2) dropdown, and a new inline row.
    page.locator("#calendarlink0").click()
    assert page.locator("#calendarbox0").is_visible()
    page.locator("#calendarbox0 .calendarnav-next").click()
    page.keyboard.press("Escape")
    page.locator(".field-organiser .select2-selection").click()
    page.locator(".select2-results__option").first.wait_for()
    page.keyboard.press("Escape")
    # The place pickers (delegations/pickers.js): host countries searched, a zone looked up by the admin's search.
    page.locator(".field-host_countries .select2-selection").click()
    page.keyboard.type("germ")
    page.locator(".select2-results__option", has_text="Germany").wait_for()
    page.keyboard.press("Escape")
    page.locator(".field-home_time_zone .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("irkut")
    page.locator(".select2-results__option", has_text="Asia/Irkutsk").wait_for()
    page.keyboard.press("Escape")
    rows = page.locator("#members-group .inline-related:not(.empty-form)").count()
    page.locator("#members-group .add-row a").click()
    assert page.locator("#members-group .inline-related:not(.empty-form)").count() == rows + 1
    # An item's folded detail opens, fetched by a static script (delegations/item-detail.js).
    page.locator("#itinerary_items-0 details summary").click()
    expect(page.locator("#id_itinerary_items-0-description_en")).to_be_visible()

    assert violations(page) == []


def test_admin_lists_and_custom_views_load_without_csp_violation(page, demo_server):
    base, urls = demo_server
    for path in urls["others"]:
        assert visit(page, base + path) == [], path
