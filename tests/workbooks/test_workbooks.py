"""The visit workbook through the admin, as staff use it: download, upload, preview, confirm; and every
kind of bad file refused with a message, writing nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Organization, Person
from delegations.models import Delegation, DelegationMember, ItineraryItem
from meetings.models import Meeting
from tests import factories
from workbooks.columns import SHEETS, column_label, sheet_label
from workbooks.reading import MAX_BYTES

pytestmark = pytest.mark.django_db


def download(client, visit) -> bytes:
    response = client.get(f"/admin/workbooks/visit/{visit.pk}/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response.content


def upload(client, *files: tuple[str, bytes]):
    return client.post("/admin/workbooks/upload/", {"files": [SimpleUploadedFile(name, data) for name, data in files]})


def confirm(client, preview):
    return client.post("/admin/workbooks/confirm/", {"token": preview.context["token"]}, follow=True)


def errors(response) -> list[tuple]:
    report = response.context.get("report")
    if report is None:
        return [("", None, "", message) for message in response.context["form"].non_field_errors()] + [
            ("", None, "", message) for message in response.context["form"].errors.get("files", [])
        ]
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors]


def counts(response) -> dict:
    return {sheet: dict(count) for sheet, count in response.context["report"].counts.items()}


def edited(content: bytes, sheet: str, cells: dict[str, object], row: int = 2) -> bytes:
    """The workbook with cells of one row changed, its sheet and columns named by code."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    worksheet = book[sheet_label(sheet)]
    header = [cell.value for cell in worksheet[1]]
    for column, value in cells.items():
        worksheet.cell(row=row, column=header.index(column_label(sheet, column)) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_demo_visit_export_then_import_gives_no_changes(staff_client, demo):
    preview = upload(staff_client, ("irkutsk.xlsx", download(staff_client, demo)))

    assert errors(preview) == []
    assert all(count["created"] == count["updated"] == 0 for count in counts(preview).values())
    assert counts(preview)["itinerary"]["unchanged"] == demo.itinerary_items.count()
    assert "No changes: the database already holds everything in this workbook." in preview.content.decode()


def test_demo_visit_loads_again_from_its_workbook(staff_client, demo):
    content = download(staff_client, demo)
    members = list(demo.members.order_by("order").values_list("person__name", "role", "title_en"))
    items = list(demo.itinerary_items.order_by("day", "order").values_list("day", "title_en", "city", "time_zone"))
    Meeting.objects.filter(delegation=demo).delete()
    demo.follow_ups.all().delete()
    for agreement in demo.agreements.all():
        agreement.parties.all().delete()
        agreement.delete()
    demo.delete()

    preview = upload(staff_client, ("irkutsk.xlsx", content))
    assert errors(preview) == []
    assert counts(preview)["visit"] == {"created": 1, "updated": 0, "unchanged": 0}
    done = confirm(staff_client, preview)

    visit = Delegation.objects.get(slug="irkutsk-region-france-2018")
    assert done.redirect_chain[-1][0] == f"/admin/delegations/delegation/{visit.pk}/change/"
    assert list(visit.members.order_by("order").values_list("person__name", "role", "title_en")) == members
    assert (
        list(visit.itinerary_items.order_by("day", "order").values_list("day", "title_en", "city", "time_zone"))
        == items
    )
    assert (visit.start_date.isoformat(), visit.end_date.isoformat()) == ("2018-11-26", "2018-11-29")


def test_template_has_instructions_and_loads_as_a_new_visit(staff_client):
    content = staff_client.get("/admin/workbooks/template/").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["instructions", *(sheet_label(sheet) for sheet in SHEETS)]
    members = book[sheet_label("members")]
    assert members["A2"].value is None and members["B2"].value == "Ivan Example"

    preview = upload(staff_client, ("template.xlsx", content))
    assert errors(preview) == []
    confirm(staff_client, preview)

    visit = Delegation.objects.get(slug="example-visit-2026")
    assert visit.organiser.name == "Government of the example region"
    assert [(m.person.name, m.role) for m in visit.members.all()] == [("Ivan Example", "head")]
    assert [(i.title, str(i.start_time), i.time_zone) for i in visit.itinerary_items.all()] == [
        ("Meeting at the Senate", "10:00:00", "Europe/Paris")
    ]


def test_an_update_is_previewed_then_applied(staff_client, demo):
    content = edited(download(staff_client, demo), "itinerary", {"title_en": "Opening, renamed"})

    preview = upload(staff_client, ("irkutsk.xlsx", content))

    assert counts(preview)["itinerary"]["updated"] == 1
    assert not ItineraryItem.objects.filter(title_en="Opening, renamed").exists()
    confirm(staff_client, preview)
    assert ItineraryItem.objects.filter(delegation=demo, title_en="Opening, renamed").count() == 1


def test_an_item_outside_the_visit_refuses_the_whole_workbook(staff_client, demo):
    content = edited(download(staff_client, demo), "itinerary", {"day": "2018-12-25", "title_en": "Out of range"})
    content = edited(content, "members", {"title_en": "Renamed in the same upload"})

    preview = upload(staff_client, ("irkutsk.xlsx", content))

    ((sheet, row, column, _message),) = errors(preview)
    assert (sheet, row, column) == ("itinerary", 2, "day")
    assert "Confirm the import" not in preview.content.decode()
    assert not DelegationMember.objects.filter(title_en="Renamed in the same upload").exists()


def test_formula_is_read_as_text_never_calculated(staff_client, demo):
    content = edited(download(staff_client, demo), "itinerary", {"title_en": "=1+1"})

    preview = upload(staff_client, ("irkutsk.xlsx", content))
    confirm(staff_client, preview)

    assert ItineraryItem.objects.filter(delegation=demo, title_en="=1+1").count() == 1
    # Written back with the quote that keeps a spreadsheet from running it.
    book = openpyxl.load_workbook(io.BytesIO(download(staff_client, demo)))
    assert "'=1+1" in [cell.value for cell in book[sheet_label("itinerary")]["H"]]


def test_impossible_date_and_unknown_zone_are_named(staff_client, demo):
    content = edited(download(staff_client, demo), "itinerary", {"day": "2018-11-31", "time_zone": "Europe/Atlantis"})

    preview = upload(staff_client, ("irkutsk.xlsx", content))

    assert errors(preview) == [
        ("itinerary", 2, "day", "“2018-11-31” is not a date that exists: write it as 2018-11-26."),
        ("itinerary", 2, "time_zone", "“Europe/Atlantis” is not a time zone: write it as Europe/Paris."),
    ]


def test_missing_sheet_and_missing_column_are_named(staff_client, demo):
    book = openpyxl.load_workbook(io.BytesIO(download(staff_client, demo)))
    del book[sheet_label("visit")]
    book[sheet_label("members")].delete_cols(3)  # role
    out = io.BytesIO()
    book.save(out)

    preview = upload(staff_client, ("irkutsk.xlsx", out.getvalue()))

    assert errors(preview) == [
        ("visit", None, "", "The workbook has no sheet “visit”: every upload needs it."),
        ("members", 1, "role", "The column “Role” is missing."),
    ]


def test_merged_cells_are_refused(staff_client, demo):
    book = openpyxl.load_workbook(io.BytesIO(download(staff_client, demo)))
    book[sheet_label("itinerary")].merge_cells("H2:H3")
    out = io.BytesIO()
    book.save(out)

    response = upload(staff_client, ("irkutsk.xlsx", out.getvalue()))

    assert errors(response) == [
        ("", None, "", "The sheet “Itinerary items” has merged cells (H2:H3): unmerge them and upload again.")
    ]


def test_wrong_file_type_is_refused(staff_client):
    response = upload(staff_client, ("programme.pdf", b"%PDF-1.4"))

    assert errors(response) == [("", None, "", "“programme.pdf” is neither an .xlsx workbook nor a .csv file.")]
    assert upload(staff_client, ("fake.xlsx", b"not a zip")).context["form"].non_field_errors() == [
        "This file is not an Excel workbook (.xlsx) nor a CSV file."
    ]


def test_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.WORKBOOK_MAX_BYTES = 1024 * 1024
    response = upload(staff_client, ("visit.csv", b"x" * (1024 * 1024 + 1)))

    assert errors(response) == [("", None, "", "The upload is larger than 1 MB.")]
    assert MAX_BYTES == 25 * 1024 * 1024


def test_a_sheet_over_the_row_limit_is_refused_when_reached(staff_client, demo, settings):
    settings.WORKBOOK_MAX_ROWS = 50
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("members")
    sheet.append(list(SHEETS["members"]))
    for number in range(51):
        sheet.append(["", f"Person {number}", "member", "", "", "", "", number])
    out = io.BytesIO()
    book.save(out)

    response = upload(staff_client, ("big.xlsx", out.getvalue()))

    assert errors(response) == [
        ("", None, "", "The sheet “Delegation members” has more than 50 rows: split it into several uploads.")
    ]
    assert Person.objects.filter(name="Person 1").count() == 0


def test_workbook_is_for_staff_only_and_never_linked_publicly(client, demo):
    response = client.get(f"/admin/workbooks/visit/{demo.pk}/")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    for page in ("/", f"/delegations/{demo.slug}/", f"/delegations/{demo.slug}/outcomes/"):
        assert "/admin/workbooks/" not in client.get(page, follow=True).content.decode()


def csv_text(sheet: str, cells: dict[str, str], separator: str = ",") -> str:
    """A sheet as CSV text: its column codes, then one row of these cells (the others empty)."""
    row = [cells.get(column, "") for column in SHEETS[sheet]]
    return separator.join(SHEETS[sheet]) + "\r\n" + separator.join(row) + "\r\n"


def test_csv_files_create_a_visit(staff_client):
    organiser = factories.OrganizationFactory(name="Chamber of Lyon", slug="chamber")
    visit = csv_text("visit", {
        "slug": "csv-visit", "title_en": "Visite CSV", "origin_country": "RU", "origin_region_en": "Irkutsk",
        "host_countries": "FR", "organiser": "Chamber of Lyon", "start_date": "2026-11-23",
        "end_date": "2026-11-24", "home_time_zone": "Asia/Irkutsk", "status": "planned", "is_published": "non",
    }, ";")  # fmt: skip
    people = csv_text("people", {"name": "Сергей Левченко", "is_public": "yes"})

    preview = upload(staff_client, ("visit.csv", visit.encode("cp1252")), ("people.csv", people.encode("cp1251")))
    assert errors(preview) == []
    confirm(staff_client, preview)

    created = Delegation.objects.get(slug="csv-visit")
    assert (created.title, created.organiser, created.is_published) == ("Visite CSV", organiser, False)
    assert Person.objects.filter(name="Сергей Левченко").count() == 1


def test_tampered_or_unknown_token_is_refused(staff_client):
    response = staff_client.post("/admin/workbooks/confirm/", {"token": "forged"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This upload has expired or is unknown: upload the workbook again."
    ]


def test_viewer_may_download_but_not_upload(viewer_client, demo):
    assert download(viewer_client, demo).startswith(b"PK")
    assert viewer_client.get("/admin/workbooks/upload/").status_code == 403
    assert "/admin/workbooks/upload/" not in viewer_client.get("/admin/delegations/delegation/").content.decode()
    assert Organization.objects.filter(name="Government of the Irkutsk region").exists()


def test_change_page_links_the_download(staff_client, demo):
    page = staff_client.get(f"/admin/delegations/delegation/{demo.pk}/change/").content.decode()

    assert f'href="/admin/workbooks/visit/{demo.pk}/"' in page


def test_visit_list_links_the_upload(staff_client, demo):
    assert 'href="/admin/workbooks/upload/"' in staff_client.get("/admin/delegations/delegation/").content.decode()


def test_double_booked_meeting_is_refused_with_the_other_meeting_named(staff_client, demo):
    content = edited(download(staff_client, demo), "meetings", {"start_time": "10:00", "end_time": "10:30"})
    book = openpyxl.load_workbook(io.BytesIO(content))
    first = [cell.value for cell in book[sheet_label("meetings")][2]]
    book[sheet_label("meetings")].append(["", *first[1:]])  # the same organizations at the same time, a new row
    out = io.BytesIO()
    book.save(out)

    preview = upload(staff_client, ("irkutsk.xlsx", out.getvalue()))

    found = errors(preview)
    assert {(sheet, row) for sheet, row, _column, _message in found} == {
        ("meetings", book[sheet_label("meetings")].max_row)
    }
    assert any("is already in" in message for _sheet, _row, _column, message in found), found
    assert Meeting.objects.filter(delegation=demo).count() == demo.meetings.count()


def test_agreement_party_and_follow_up_organizations_are_updated(staff_client, demo):
    agreement = demo.agreements.get()
    parties = [party.organization.name for party in agreement.parties.order_by("order")]
    content = edited(download(staff_client, demo), "parties", {"signatory_title": "Governor"})
    content = edited(content, "follow_ups", {"status": "done", "organizations": parties[0]})

    preview = upload(staff_client, ("irkutsk.xlsx", content))

    assert errors(preview) == []
    assert counts(preview)["parties"] == {"created": 0, "updated": 1, "unchanged": len(parties) - 1}
    assert counts(preview)["follow_ups"]["updated"] == 1
    confirm(staff_client, preview)
    assert [party.signatory_title for party in agreement.parties.order_by("order")] == ["Governor"] + [""] * (
        len(parties) - 1
    )
    follow_up = demo.follow_ups.order_by("pk").first()
    assert (follow_up.status, [org.name for org in follow_up.organizations.all()]) == ("done", parties[:1])
