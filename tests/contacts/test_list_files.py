"""The list import reads the files staff save (CSV in UTF-8 with or without BOM, Windows-1251 or -1252,
comma or semicolon; .xlsx) and refuses what it cannot read with a message, writing nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Organization
from tests import factories
from tests.contacts.test_lists import export

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"
URL = "/admin/contacts/organization/{view}/"


def preview(client, content: bytes, name: str = "list.csv", file_format: str = CSV):
    upload = SimpleUploadedFile(name, content)
    return client.post(URL.format(view="import"), {"import_file": upload, "format": file_format, "resource": "0"})


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(URL.format(view="process_import"), data, follow=True)


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("import_file", []))


@pytest.mark.parametrize(
    ("encoding", "separator", "name", "city"),
    [
        ("utf-8", ",", "Администрация Иркутска", "Иркутск"),
        ("utf-8-sig", ";", "Société Générale", "Lyon"),
        ("cp1251", ";", "Администрация Иркутска", "Иркутск"),
        ("cp1251", ",", "Правительство области", "Иркутск"),
        ("cp1252", ";", "Château Sergueï", "Mâcon"),
        ("cp1252", ",", "Château Sergueï", "Mâcon"),
    ],
)
def test_csv_in_each_encoding_and_separator_is_read(staff_client, encoding, separator, name, city):
    text = separator.join(["name", "kind", "country", "city"]) + "\r\n"
    text += separator.join([name, "company", "RU", city]) + "\r\n"

    response = preview(staff_client, text.encode(encoding))

    assert file_errors(response) == []
    confirm(staff_client, response)
    assert list(Organization.objects.values_list("name", "city")) == [(name, city)]


def test_xlsx_is_read(staff_client):
    content = xlsx([["name", "kind", "country", "city"], ["Администрация Иркутска", "government", "RU", "Иркутск"]])

    response = preview(staff_client, content, "list.xlsx", XLSX)

    confirm(staff_client, response)
    assert list(Organization.objects.values_list("name", "city")) == [("Администрация Иркутска", "Иркутск")]


def test_xlsx_formula_is_read_as_its_text_never_calculated(staff_client):
    content = xlsx([["name", "kind", "country", "city"], ["Formula Ltd", "company", "FR", "=1+2"]])

    confirm(staff_client, preview(staff_client, content, "list.xlsx", XLSX))

    assert Organization.objects.get(name="Formula Ltd").city == "=1+2"


def test_export_then_import_of_a_formula_like_name_changes_nothing(staff_client):
    factories.OrganizationFactory(name='=HYPERLINK("http://evil")', slug="evil", city="@SUM(A1)")
    content = export(staff_client, "organization", CSV)

    response = preview(staff_client, content)

    assert file_errors(response) == []
    assert {k: v for k, v in response.context["result"].totals.items() if v} == {"skip": 1}


def test_unknown_column_is_named_and_nothing_written(staff_client):
    response = preview(staff_client, b"naem,kind,country\r\nDalkia,company,FR\r\n")

    assert file_errors(response) == [
        "Unknown columns: “naem”. The columns of this list are: id, name, native_name, kind, country, city, "
        "website, parent, sectors, description, contact_email, contact_phone."
    ]
    assert "confirm_form" not in response.context
    assert not Organization.objects.exists()


def test_a_column_named_twice_is_refused(staff_client):
    response = preview(staff_client, b"name,city,city\r\nDalkia,Lyon,Paris\r\n")

    assert file_errors(response) == ["These columns are named twice: city."]


def test_a_workbook_chosen_as_csv_is_refused(staff_client):
    content = xlsx([["name"], ["Dalkia"]])

    response = preview(staff_client, content, "list.xlsx", CSV)

    assert file_errors(response) == ["This file is not a CSV file: save it as CSV, or choose its format (xlsx)."]
    assert not Organization.objects.exists()


def test_a_pdf_is_refused_as_either_format(staff_client):
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"

    assert file_errors(preview(staff_client, pdf, "list.pdf", CSV)) == [
        "This file is not a CSV file: save it as CSV, or choose its format (xlsx)."
    ]
    assert file_errors(preview(staff_client, pdf, "list.pdf", XLSX)) == [
        "This file is not an Excel workbook (.xlsx): save it as .xlsx, or as CSV."
    ]


def test_a_broken_workbook_is_refused(staff_client):
    response = preview(staff_client, b"PK\x03\x04 truncated", "list.xlsx", XLSX)

    assert file_errors(response) == ["This workbook cannot be opened: save it again as .xlsx from your spreadsheet."]
