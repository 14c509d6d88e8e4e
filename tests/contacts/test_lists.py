"""Import and export of the organization and people lists on their admin pages, through the admin as staff use it."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.admin_lists import LIST_IMPORT_MAX_BYTES
from contacts.models import Organization, Person, Position
from tests import factories

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"
URL = "/admin/contacts/{model}/{view}/"


def export(client, model: str, file_format: str) -> bytes:
    form = client.get(URL.format(model=model, view="export")).context["form"]
    data = {"format": file_format, "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(URL.format(model=model, view="export"), data)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def preview(client, model: str, content: bytes, name: str, file_format: str):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        URL.format(model=model, view="import"), {"import_file": upload, "format": file_format, "resource": "0"}
    )


def confirm(client, model: str, response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(URL.format(model=model, view="process_import"), data, follow=True)


def totals(response) -> dict:
    result = response.context["result"]
    return {kind: count for kind, count in result.totals.items() if count}


def rows_of_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def contacts(db):
    energy = factories.SectorFactory(name="Energy", slug="energy")
    government = factories.OrganizationFactory(
        name="Government of the Irkutsk region", native_name="Правительство Иркутской области", slug="government",
        kind=Organization.Kind.GOVERNMENT, country="RU", city="Irkutsk",
    )  # fmt: skip
    ministry = factories.OrganizationFactory(name="Ministry of Economy", slug="ministry", parent=government)
    ministry.sectors.add(energy)
    levchenko = factories.PersonFactory(name="Sergei Levchenko", native_name="Сергей Левченко", slug="levchenko")
    Position.objects.create(person=levchenko, organization=government, title="Governor")
    return {"government": government, "ministry": ministry, "levchenko": levchenko}


@pytest.mark.parametrize("file_format", [CSV, XLSX])
@pytest.mark.parametrize("model", ["organization", "person"])
def test_list_export_then_import_changes_nothing(staff_client, contacts, model, file_format):
    content = export(staff_client, model, file_format)
    name = "list.csv" if file_format == CSV else "list.xlsx"

    response = preview(staff_client, model, content, name, file_format)

    assert totals(response) == {"skip": 2 if model == "organization" else 1}
    done = confirm(staff_client, model, response)
    assert [str(m) for m in done.context["messages"]][-1].startswith("Import finished: 0 new, 0 updated, 0 deleted")


def test_organization_export_writes_the_columns_and_names(staff_client, contacts):
    rows = rows_of_csv(export(staff_client, "organization", CSV))

    ministry = next(row for row in rows if row["name"] == "Ministry of Economy")
    assert ministry["parent"] == "Government of the Irkutsk region"
    assert ministry["sectors"] == "energy"
    assert ministry["id"] == str(contacts["ministry"].pk)


def test_person_export_writes_positions_one_line_each(staff_client, contacts):
    Position.objects.create(
        person=contacts["levchenko"], organization=contacts["ministry"], title="Adviser",
        start_date="2015-01-01", end_date="2016-12-31",
    )  # fmt: skip

    (row,) = rows_of_csv(export(staff_client, "person", CSV))

    assert row["name"] == "Sergei Levchenko"
    assert sorted(row["positions"].splitlines()) == [
        "Adviser | Ministry of Economy | 2015-01-01 | 2016-12-31",
        "Governor | Government of the Irkutsk region",
    ]


def test_export_neutralises_formulas(staff_client, contacts):
    factories.OrganizationFactory(name='=HYPERLINK("http://evil")', slug="evil", city="@SUM(A1)")

    content = export(staff_client, "organization", XLSX)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert '\'=HYPERLINK("http://evil")' in values
    assert "'@SUM(A1)" in values
    assert not any(isinstance(value, str) and value.startswith(("=", "@")) for value in values)


def test_organization_import_creates_and_updates(staff_client, contacts):
    rows = rows_of_csv(export(staff_client, "organization", CSV))
    ministry = next(row for row in rows if row["name"] == "Ministry of Economy")
    ministry["city"] = "Irkutsk"
    new = dict.fromkeys(ministry, "") | {"name": "Dalkia", "kind": "company", "country": "FR", "sectors": "energy"}
    by_name = dict.fromkeys(ministry, "") | {"name": "GOVERNMENT of the irkutsk region", "kind": "government"}
    by_name |= {"native_name": "Правительство Иркутской области", "country": "RU", "city": "Irkutsk"}

    response = preview(staff_client, "organization", csv_bytes([ministry, new, by_name]), "list.csv", CSV)

    assert totals(response) == {"new": 1, "update": 2}
    assert not Organization.objects.filter(name="Dalkia").exists()  # the preview wrote nothing
    confirm(staff_client, "organization", response)
    dalkia = Organization.objects.get(name="Dalkia")
    assert (dalkia.slug, dalkia.country.code, [s.slug for s in dalkia.sectors.all()]) == ("dalkia", "FR", ["energy"])
    assert Organization.objects.get(pk=contacts["ministry"].pk).city == "Irkutsk"
    # Matched by its folded name, not created twice; its name now as the file spells it.
    assert Organization.objects.filter(native_name="Правительство Иркутской области").count() == 1
    assert Organization.objects.count() == 3


def test_person_import_matches_by_name_and_adds_positions(staff_client, contacts):
    rows = [
        {"id": "", "name": "sergei levchenko", "native_name": "Сергей Левченко", "other_names": "", "honorific": "",
         "is_public": "1", "email": "", "phone": "",
         "positions": "Governor | Government of the Irkutsk region\nChairman | Ministry of Economy | 2019-01-01"},
        {"id": "", "name": "Anne Martin", "native_name": "", "other_names": "", "honorific": "Ms", "is_public": "0",
         "email": "anne@example.org", "phone": "", "positions": "Director | Ministry of Economy"},
    ]  # fmt: skip

    response = preview(staff_client, "person", csv_bytes(rows), "people.csv", CSV)

    assert totals(response) == {"new": 1, "update": 1}
    confirm(staff_client, "person", response)
    levchenko = Person.objects.get(pk=contacts["levchenko"].pk)
    assert sorted((p.title, p.organization.name, p.start_date) for p in levchenko.positions.all()) == [
        ("Chairman", "Ministry of Economy", datetime.date(2019, 1, 1)),
        ("Governor", "Government of the Irkutsk region", None),
    ]
    anne = Person.objects.get(name="Anne Martin")
    assert (anne.slug, anne.email, anne.is_public) == ("anne-martin", "anne@example.org", False)
    assert [p.title for p in anne.positions.all()] == ["Director"]


def test_person_import_reports_unknown_organization_and_bad_date(staff_client, contacts):
    rows = [
        {"id": "", "name": "Anne Martin", "positions": "Director | Nowhere Ltd"},
        {"id": "", "name": "Boris Petrov", "positions": "Director | Ministry of Economy | 2019-02-30"},
    ]

    response = preview(staff_client, "person", csv_bytes(rows), "people.csv", CSV)

    text = response.content.decode()
    assert "No single organization is named “Nowhere Ltd”: add it first." in text
    assert "“2019-02-30” is not a date: write it as 2018-11-26." in text
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Person.objects.count() == 1


def test_import_of_unknown_id_is_refused(staff_client, contacts):
    rows = [{"id": "99999", "name": "Ghost"}]

    response = preview(staff_client, "organization", csv_bytes(rows), "list.csv", CSV)

    assert "No record has the id 99999." in response.content.decode()
    assert not Organization.objects.filter(name="Ghost").exists()


def test_import_of_a_file_that_is_not_the_format_says_so(staff_client, contacts):
    response = preview(staff_client, "organization", b"%PDF-1.4 not a spreadsheet", "list.xlsx", XLSX)

    assert response.context["form"].errors["import_file"] == [
        "This file is not an Excel workbook (.xlsx): save it as .xlsx, or as CSV."
    ]


def test_import_of_a_file_over_the_limit_is_refused(staff_client, contacts):
    content = b"id,name\n" + b",x\n" * (LIST_IMPORT_MAX_BYTES // 3 + 1)

    response = preview(staff_client, "organization", content, "list.csv", CSV)

    assert response.context["form"].errors["import_file"] == [
        "The file is 5.0\xa0MB; the largest accepted is 5.0\xa0MB."
    ]
    assert Organization.objects.count() == 2


def test_viewer_may_export_but_not_import(viewer_client, contacts):
    rows = rows_of_csv(export(viewer_client, "organization", CSV))
    assert [row["name"] for row in rows] == ["Government of the Irkutsk region", "Ministry of Economy"]
    assert viewer_client.get(URL.format(model="organization", view="import")).status_code == 403
    listing = viewer_client.get("/admin/contacts/organization/").content.decode()
    assert "/admin/contacts/organization/export/" in listing
    assert "/admin/contacts/organization/import/" not in listing
