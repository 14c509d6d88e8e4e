"""Every public page of the demo visit, in Chromium: screenshots at a phone's and a desktop's width,
and an accessibility check with axe-core, injected into the page."""

import json

from .conftest import AXE
from .helpers import admin_login

VISIT = "/delegations/irkutsk-region-france-2018"
PUBLIC_PAGES = {
    "home": "/",
    "visits": "/delegations/",
    "itinerary": f"{VISIT}/",
    "outcomes": f"{VISIT}/outcomes/",
    "meetings": "/meetings/",
    "organizations": "/organizations/",
    "organization": "/organizations/dalkia/",
    "organization-meetings": "/organizations/dalkia/meetings/",
    "person": "/people/serguei-levtchenko/",
    "search": "/search/?q=irkutsk",
    "results": "/results/",
    "results-filtered": "/results/?year=2018&origin_country=RU&sector=health",
}
WIDTHS = (390, 1280)
# What a user cannot get round: axe's two highest impacts fail the test; the others are reported.
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def readable_report(results: dict[tuple[str, int], list[dict]]) -> str:
    lines = ["Accessibility check (axe-core) of the public pages", ""]
    for (name, width), violations in results.items():
        lines.append(f"{name} ({PUBLIC_PAGES[name]}) at {width} px: {len(violations)} violation(s)")
        for violation in violations:
            lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(f"      {node['target']}" for node in violation["nodes"][:5])
    return "\n".join(lines) + "\n"


def test_public_pages_screenshots_and_accessibility_without_serious_violations(demo, new_page, artifacts):
    # axe-core goes in as an inline script, which the site's Content-Security-Policy rightly refuses;
    # these pages set it aside (tests/browser/test_csp.py checks the policy in the browser).
    pages = {width: new_page(width=width, bypass_csp=True) for width in WIDTHS}
    results = {}
    for name, path in PUBLIC_PAGES.items():
        for width, page in pages.items():
            response = page.goto(path)
            assert response.status == 200, path
            page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
            results[name, width] = axe_violations(page)

    report = [
        {"page": name, "path": PUBLIC_PAGES[name], "width": width, "violations": violations}
        for (name, width), violations in results.items()
    ]
    (artifacts / "a11y-report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (artifacts / "a11y-report.txt").write_text(readable_report(results), encoding="utf-8")
    blocking = {
        page: sorted(violation["id"] for violation in violations if violation["impact"] in BLOCKING_IMPACTS)
        for page, violations in results.items()
    }
    assert blocking == {page: [] for page in results}, readable_report(results)


def test_admin_delegation_change_page_screenshot(demo, new_page, staff_member, artifacts):
    staff_member("editor", "Editors")
    page = new_page(width=1280)
    admin_login(page, "editor")

    page.goto(f"/admin/delegations/delegation/{demo.pk}/change/")

    assert page.get_by_role("heading", level=1).inner_text() == "Change delegation visit"
    page.screenshot(path=artifacts / "admin-delegation-change-1280.png", full_page=True)
