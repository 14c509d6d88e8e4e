"""An editor loads a visit from a workbook in the admin, through the preview, as staff would."""

import io

import openpyxl
from playwright.sync_api import expect

from delegations.models import Delegation

from .helpers import admin_login


def test_editor_loads_a_visit_from_the_template_through_the_preview(new_page, staff_member, tmp_path, artifacts):
    staff_member("editor", "Editors")
    page = new_page(width=1280)
    admin_login(page, "editor")

    page.goto("/admin/delegations/delegation/")
    page.get_by_role("link", name="Upload a workbook").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the blank template with instructions").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    page.get_by_label("Workbook").set_input_files(str(template))
    page.get_by_role("button", name="Preview").click()

    rows = page.locator("#workbook-counts tbody tr")
    expect(rows.locator("th")).to_have_text(
        [
            "Sectors", "Organizations", "People", "Positions", "Venues", "Delegation visit", "Delegation members",
            "Itinerary items", "Agreements", "Parties", "Follow-ups", "B2B meetings",
        ]
    )  # fmt: skip
    expect(rows.filter(has_text="Delegation visit").locator("td")).to_have_text(["1", "0", "0"])
    assert not Delegation.objects.filter(slug="example-visit-2026").exists()
    page.screenshot(path=artifacts / "workbook-preview.png", full_page=True)
    page.get_by_role("button", name="Confirm the import").click()

    expect(page.locator(".messagelist .success")).to_have_text(
        "The workbook is imported: 6 created, 0 updated, 0 unchanged."
    )
    visit = Delegation.objects.get(slug="example-visit-2026")
    assert page.url.endswith(f"/admin/delegations/delegation/{visit.pk}/change/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as workbook").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book["Delegation visit"]["B2"].value == "Example region delegation to France"
    assert [cell.value for cell in book["Delegation members"][2]][1:3] == ["Ivan Example", "head"]
