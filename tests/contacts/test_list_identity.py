"""The list imports ask staff, per row, whether a look-alike name is a known record under another spelling:
the matcher's candidates on the preview, the answer carried into the confirmation, nothing merged silently."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Organization, Person
from tests import factories

pytestmark = pytest.mark.django_db

CSV = "0"
URL = "/admin/contacts/{model}/{view}/"
PEOPLE_HEADER = "id,name,native_name,other_names,honorific,is_public,email,phone,positions\r\n"


def preview(client, model: str, content: bytes):
    upload = SimpleUploadedFile("list.csv", content)
    return client.post(URL.format(model=model, view="import"), {"import_file": upload, "format": CSV, "resource": "0"})


def confirm(client, model: str, response, **answers: str):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    data |= {f"identity-{row}": answer for row, answer in answers.items()}
    return client.post(URL.format(model=model, view="process_import"), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def serguei(db):
    return factories.PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко", slug="serguei")


def levchenko_row(email: str = "s.levchenko@example.org") -> bytes:
    return (PEOPLE_HEADER + f",Sergei Levchenko,,,,1,{email},,\r\n").encode()


def test_preview_offers_the_same_person_under_another_spelling(staff_client, serguei):
    response = preview(staff_client, "person", levchenko_row())

    form = response.context["identity_form"]
    assert list(form.fields) == ["1"]
    assert form.fields["1"].label == "Row 1: “Sergei Levchenko”"
    assert [value for value, _label in form.fields["1"].choices] == [f"same:{serguei.pk}", "new"]
    page = response.content.decode()
    assert "Already known under another spelling?" in page
    assert f'name="identity-1" value="same:{serguei.pk}"' in page
    assert "Same as Sergueï Levtchenko (Сергей Левченко)" in page
    assert Person.objects.count() == 1


def test_same_as_updates_the_person_and_keeps_the_spelling(staff_client, serguei):
    response = preview(staff_client, "person", levchenko_row())

    done = confirm(staff_client, "person", response, **{"1": f"same:{serguei.pk}"})

    assert messages_of(done)[-1].startswith("Import finished: 0 new, 1 updated")
    assert Person.objects.count() == 1
    serguei.refresh_from_db()
    assert (serguei.name, serguei.native_name) == ("Sergueï Levtchenko", "Сергей Левченко")
    assert (serguei.email, serguei.other_names) == ("s.levchenko@example.org", "Sergei Levchenko")
    assert list(Person.objects.search("Levchenko")) == [serguei]


def test_a_spelling_kept_before_is_matched_without_a_question(staff_client, serguei):
    serguei.other_names = "Sergei Levchenko"
    serguei.save()

    response = preview(staff_client, "person", levchenko_row("new@example.org"))

    assert not response.context.get("identity_form")
    assert {k: v for k, v in response.context["result"].totals.items() if v} == {"update": 1}
    confirm(staff_client, "person", response)
    serguei.refresh_from_db()
    assert (serguei.email, serguei.name) == ("new@example.org", "Sergueï Levtchenko")


def test_new_creates_a_second_record(staff_client, serguei):
    response = preview(staff_client, "person", levchenko_row())

    done = confirm(staff_client, "person", response, **{"1": "new"})

    assert messages_of(done)[-1].startswith("Import finished: 1 new, 0 updated")
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Sergei Levchenko", "Sergueï Levtchenko"]
    serguei.refresh_from_db()
    assert (serguei.other_names, serguei.email) == ("", "")


def test_confirm_without_an_answer_writes_nothing_and_asks_again(staff_client, serguei):
    rows = PEOPLE_HEADER + ",Anne Martin,,,,0,,,\r\n,Sergei Levchenko,,,,1,s@example.org,,\r\n"
    response = preview(staff_client, "person", rows.encode())

    refused = confirm(staff_client, "person", response)

    assert messages_of(refused) == ["Nothing was imported: choose, for each row below, the same record or a new one."]
    assert refused.context["identity_form"].errors == {"2": ["Choose the same record or a new one for this row."]}
    assert list(Person.objects.values_list("name", flat=True)) == ["Sergueï Levtchenko"]  # Anne neither
    # The same stored file, answered this time.
    done = confirm(staff_client, "person", refused, **{"2": f"same:{serguei.pk}"})
    assert messages_of(done)[-1].startswith("Import finished: 1 new, 1 updated")
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Anne Martin", "Sergueï Levtchenko"]


def test_an_answer_naming_no_candidate_is_refused(staff_client, serguei):
    other = factories.PersonFactory(name="Anne Martin", slug="anne")
    response = preview(staff_client, "person", levchenko_row())

    refused = confirm(staff_client, "person", response, **{"1": f"same:{other.pk}"})

    assert messages_of(refused) == ["Nothing was imported: choose, for each row below, the same record or a new one."]
    assert Person.objects.count() == 2
    other.refresh_from_db()
    assert other.other_names == ""


def test_a_hard_negative_is_not_proposed(staff_client):
    factories.OrganizationFactory(name="Rosneft", slug="rosneft", kind="company", country="RU")

    response = preview(staff_client, "organization", b"name,kind,country\r\nRosneftegaz,company,RU\r\n")

    assert not response.context.get("identity_form")
    assert {k: v for k, v in response.context["result"].totals.items() if v} == {"new": 1}
    confirm(staff_client, "organization", response)
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["Rosneft", "Rosneftegaz"]


def test_organization_same_as_keeps_its_name_and_adds_the_spelling(staff_client):
    insitilab = factories.OrganizationFactory(name="OOO Insitilab", native_name="ООО Инситилаб", slug="insitilab")

    response = preview(staff_client, "organization", b"name,kind,country,city\r\nInsitilab LLC,company,RU,Irkutsk\r\n")
    assert [value for value, _label in response.context["identity_form"].fields["1"].choices] == [
        f"same:{insitilab.pk}",
        "new",
    ]
    confirm(staff_client, "organization", response, **{"1": f"same:{insitilab.pk}"})

    insitilab.refresh_from_db()
    assert (insitilab.name, insitilab.other_names, insitilab.city) == ("OOO Insitilab", "Insitilab LLC", "Irkutsk")
    assert Organization.objects.count() == 1


def test_an_exact_folded_name_updates_without_a_question(staff_client, serguei):
    rows = PEOPLE_HEADER + ",SERGUEI LEVTCHENKO,,,,1,s@example.org,,\r\n"

    response = preview(staff_client, "person", rows.encode())

    assert not response.context.get("identity_form")
    confirm(staff_client, "person", response)
    serguei.refresh_from_db()
    assert serguei.email == "s@example.org"
