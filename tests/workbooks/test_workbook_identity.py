"""The visit workbook asks staff, per row of its organizations and people sheets, whether a look-alike name
is a known record under another spelling; the answer goes with the confirmation; nothing merged silently."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Organization, Person
from delegations.models import Delegation
from tests import factories
from workbooks.columns import SHEETS

pytestmark = pytest.mark.django_db


def sheet(name: str, *rows: dict[str, str]) -> tuple[str, bytes]:
    """A sheet as a CSV file named after it: its column codes, then these rows' cells (the others empty)."""
    lines = [",".join(SHEETS[name]), *(",".join(row.get(column, "") for column in SHEETS[name]) for row in rows)]
    return f"{name}.csv", ("\r\n".join(lines) + "\r\n").encode()


def upload(client, *files):
    return client.post("/admin/workbooks/upload/", {"files": [SimpleUploadedFile(n, d) for n, d in files]})


def confirm(client, preview, **answers):
    data = {"token": preview.context["token"]} | {f"identity-{key}": value for key, value in answers.items()}
    return client.post("/admin/workbooks/confirm/", data, follow=True)


def identity_files() -> tuple[tuple[str, bytes], ...]:
    """A visit's sheets whose one person, "Sergei Levchenko", resembles Sergueï Levtchenko (Сергей Левченко),
    organised by the Chamber of Lyon (which must exist)."""
    visit = sheet("visit", {
        "slug": "identity-visit", "title_en": "Visit", "origin_country": "RU", "origin_region_en": "Irkutsk",
        "host_countries": "FR", "organiser": "Chamber of Lyon", "start_date": "2026-11-23",
        "end_date": "2026-11-24", "home_time_zone": "Asia/Irkutsk", "status": "planned", "is_published": "no",
    })  # fmt: skip
    people = sheet("people", {"name": "Sergei Levchenko", "honorific": "Mr", "is_public": "yes"})
    members = sheet("members", {"person": "Sergei Levchenko", "role": "head", "title_en": "Governor", "order": "1"})
    return visit, people, members


def assert_refused_until_answered(refused) -> None:
    """The preview shown again after a confirmation without the person row's answer, nothing written."""
    assert [str(m) for m in refused.context["messages"]] == [
        "Nothing was imported: choose, for each row below, the same record or a new one."
    ]
    assert refused.context["identity_form"].errors == {
        "people-2": ["Choose the same record or a new one for this row."]
    }
    assert not Delegation.objects.filter(slug="identity-visit").exists()
    assert Person.objects.count() == 1


@pytest.fixture
def files(db):
    chamber = factories.OrganizationFactory(name="Chamber of Lyon", slug="chamber")
    serguei = factories.PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко", slug="serguei")
    return {"files": identity_files(), "serguei": serguei, "chamber": chamber}


def test_preview_asks_about_the_look_alike_person(staff_client, files):
    preview = upload(staff_client, *files["files"])

    (question,) = preview.context["report"].questions
    assert (question.key, question.name, [c.pk for c in question.candidates]) == (
        "people-2", "Sergei Levchenko", [files["serguei"].pk],
    )  # fmt: skip
    page = preview.content.decode()
    assert "Sheet “people”, row 2: “Sergei Levchenko”" in page
    assert f'name="identity-people-2" value="same:{files["serguei"].pk}"' in page


def test_same_as_keeps_the_spelling_and_the_members_sheet_finds_him(staff_client, files):
    serguei = files["serguei"]
    done = confirm(staff_client, upload(staff_client, *files["files"]), **{"people-2": f"same:{serguei.pk}"})

    visit = Delegation.objects.get(slug="identity-visit")
    assert done.redirect_chain[-1][0] == f"/admin/delegations/delegation/{visit.pk}/change/"
    assert Person.objects.count() == 1
    serguei.refresh_from_db()
    assert (serguei.name, serguei.other_names, serguei.honorific) == ("Sergueï Levtchenko", "Sergei Levchenko", "Mr")
    assert serguei.slug == "serguei"
    assert [(m.person, m.role) for m in visit.members.all()] == [(serguei, "head")]


def test_new_creates_a_second_person(staff_client, files):
    confirm(staff_client, upload(staff_client, *files["files"]), **{"people-2": "new"})

    assert sorted(Person.objects.values_list("name", flat=True)) == ["Sergei Levchenko", "Sergueï Levtchenko"]
    visit = Delegation.objects.get(slug="identity-visit")
    assert [m.person.name for m in visit.members.all()] == ["Sergei Levchenko"]


def test_confirm_without_an_answer_writes_nothing(staff_client, files):
    refused = confirm(staff_client, upload(staff_client, *files["files"]))

    assert_refused_until_answered(refused)
    # Answered on the page shown again, it goes through.
    confirm(staff_client, refused, **{"people-2": "new"})
    assert Delegation.objects.filter(slug="identity-visit").exists()


def test_hard_negative_organization_is_not_asked_about(staff_client, files):
    factories.OrganizationFactory(name="Rosneft", slug="rosneft", country="RU")
    organizations = sheet("organizations", {"name": "Rosneftegaz", "kind": "company", "country": "RU"})

    preview = upload(staff_client, *files["files"][:1], organizations)

    assert preview.context["report"].questions == []
    confirm(staff_client, preview)
    assert Organization.objects.filter(name__startswith="Rosneft").count() == 2


def test_visit_row_naming_an_unknown_organiser_is_an_error_not_a_crash(staff_client):
    """The visit sheet's own cell errors are listed like any other sheet's (none is lost)."""
    preview = upload(staff_client, identity_files()[0])

    assert [(e.sheet, e.row, e.column) for e in preview.context["report"].errors] == [("visit", 2, "organiser")]
    refused = confirm(staff_client, preview)
    assert refused.status_code == 200 and not Delegation.objects.exists()
