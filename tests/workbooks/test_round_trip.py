"""The workbook carries every field staff enter for a visit: the demo visit, downloaded and loaded into an empty
database, comes back equal field by field (every concrete field of every row, read from the models, not from
the workbook's own list of columns); loaded again it changes nothing; a workbook downloaded in one language
is read back by a server in another."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import translation

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, AgreementParty, Delegation, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting
from meetings.services import meeting_update
from tests.workbooks.test_workbooks import confirm, counts, download, edited, errors, upload
from workbooks.columns import LANGUAGES, SHEETS, column_label, name_collisions, sheet_label
from workbooks.reading import read_upload

pytestmark = pytest.mark.django_db

# Written by the database or by save() from other fields, never entered.
DERIVED = {"id", "created_at", "updated_at", "search_text"}


def natural(obj) -> object:
    """A record as a person tells it apart, whatever its key in this database."""
    if obj is None:
        return None
    if isinstance(obj, Organization | Person | Sector | Delegation):
        return obj.slug
    if isinstance(obj, Venue):
        return (obj.name, obj.city)
    if isinstance(obj, ItineraryItem):
        return (obj.day.isoformat(), obj.title_en)
    if isinstance(obj, Agreement | FollowUp):
        return obj.title_en
    raise AssertionError(f"no natural key for {obj!r}")


def fields(obj: models.Model) -> dict:
    """Every concrete field of the row (foreign keys by natural key) and its many-to-many links."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in DERIVED:
            continue
        if field.is_relation:
            values[field.name] = natural(getattr(obj, field.name))
        else:
            value = field.value_from_object(obj)
            values[field.name] = (
                "" if value is None and isinstance(field, models.CharField | models.TextField) else value
            )
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(str(natural(other)) for other in getattr(obj, field.name).all())
    return values


def snapshot(visit: Delegation) -> dict[str, list]:
    def rows(queryset) -> list:
        return sorted((fields(obj) for obj in queryset), key=repr)

    meetings = Meeting.objects.filter(delegation=visit)
    people = Person.objects.filter(
        models.Q(memberships__delegation=visit)
        | models.Q(itinerary_items_as_delegate__delegation=visit)
        | models.Q(itinerary_items_as_host__delegation=visit)
        | models.Q(meeting_participations__meeting__delegation=visit)
    ).distinct()
    return {
        "visit": rows([visit]),
        "members": rows(visit.members.all()),
        "items": rows(visit.itinerary_items.all()),
        "meetings": rows(meetings),
        "participants": sorted(
            (natural(p.meeting.host_organization), p.person.slug, p.side)
            for meeting in meetings
            for p in meeting.participants.all()
        ),
        "agreements": rows(visit.agreements.all()),
        "parties": rows(AgreementParty.objects.filter(agreement__delegation=visit)),
        "follow_ups": rows(visit.follow_ups.all()),
        "venues": rows(Venue.objects.all()),
        "organizations": rows(Organization.objects.all()),
        "people": rows(people),
        "positions": rows(Position.objects.filter(person__in=people)),
        "sectors": rows(Sector.objects.all()),
    }


def empty_the_database() -> None:
    Meeting.objects.all().delete()
    FollowUp.objects.all().delete()
    AgreementParty.objects.all().delete()
    Agreement.objects.all().delete()
    Delegation.objects.all().delete()
    Venue.objects.all().delete()
    Position.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.update(parent=None)
    Organization.objects.all().delete()
    Sector.objects.all().delete()


def test_demo_visit_comes_back_equal_into_an_empty_database(staff_client, demo):
    # What the demo leaves empty, filled so that the comparison covers it too.
    meeting = demo.meetings.order_by("pk").first()
    governor = demo.members.get(role="head").person
    meeting_update(meeting=meeting, participants=[(governor, "delegation")])
    AgreementParty.objects.filter(agreement__delegation=demo).update(signatory=governor, signatory_title="Governor")
    Person.objects.filter(pk=governor.pk).update(private_notes="Prefers mornings.", email="gov@example.org")
    before = snapshot(demo)
    content = download(staff_client, demo)
    empty_the_database()

    preview = upload(staff_client, ("irkutsk.xlsx", content))
    assert errors(preview) == []
    confirm(staff_client, preview)

    after = snapshot(Delegation.objects.get(slug=demo.slug))
    for kind in before:
        assert after[kind] == before[kind], kind
    # What the demo's rows hold that the old workbook lost, so that the comparison cannot pass empty.
    assert before["visit"][0]["title_ru"] and before["visit"][0]["supporting_organizations"]
    assert any(item["venue"] for item in before["items"]) and any(item["host_participants"] for item in before["items"])
    assert before["participants"] and before["parties"][0]["signatory"] == governor.slug
    assert any(meeting["session"] for meeting in before["meetings"])
    assert all(follow_up["sector"] for follow_up in before["follow_ups"])

    again = upload(staff_client, ("irkutsk.xlsx", download(staff_client, Delegation.objects.get(slug=demo.slug))))
    assert errors(again) == []
    assert all(count["created"] == count["updated"] == 0 for count in counts(again).values()), counts(again)


def test_one_french_title_changed_is_one_update(staff_client, demo):
    content = edited(download(staff_client, demo), "itinerary", {"title_fr": "Ouverture, renommée"})

    preview = upload(staff_client, ("irkutsk.xlsx", content))

    assert errors(preview) == []
    changed = {sheet: count["updated"] + count["created"] for sheet, count in counts(preview).items()}
    assert {sheet: n for sheet, n in changed.items() if n} == {"itinerary": 1}
    confirm(staff_client, preview)
    assert ItineraryItem.objects.filter(delegation=demo, title_fr="Ouverture, renommée").count() == 1


@pytest.mark.parametrize(("written", "read"), [("fr", "en"), ("en", "ru"), ("ru", "fr")])
def test_workbook_downloaded_in_one_language_is_read_in_another(staff_client, demo, written, read):
    content = staff_client.get(f"/admin/workbooks/visit/{demo.pk}/", headers={"accept-language": written}).content
    with translation.override(written):
        names = openpyxl.load_workbook(io.BytesIO(content), read_only=True).sheetnames
        assert names == [sheet_label(sheet) for sheet in SHEETS]
        content = edited(content, "members", {"title_fr": "Gouverneur, renommé"})

    preview = staff_client.post(
        "/admin/workbooks/upload/",
        {"files": [SimpleUploadedFile("irkutsk.xlsx", content)]},
        headers={"accept-language": read},
    )

    assert errors(preview) == []
    changed = {sheet: count["updated"] + count["created"] for sheet, count in counts(preview).items()}
    assert {sheet: n for sheet, n in changed.items() if n} == {"members": 1}


def test_french_workbook_names_its_sheets_and_columns_in_french(staff_client, demo):
    content = staff_client.get(f"/admin/workbooks/visit/{demo.pk}/", headers={"accept-language": "fr"}).content
    with translation.override("fr"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        header = [cell.value for cell in next(book[sheet_label("itinerary")].iter_rows(max_row=1))]
        french_title = column_label("itinerary", "title_fr")
    assert header[:3] == ["id", "Jour", "Heure de début"]
    assert french_title.endswith(" (FR)") and french_title in header and "Title (EN)" not in header


def test_no_column_name_stands_for_two_columns_in_any_language():
    assert name_collisions() == []
    assert len(LANGUAGES) == 3


def test_csv_named_and_headed_in_russian_is_read_by_code():
    with translation.override("ru"):
        name = f"{sheet_label('members')}.csv"
        header = ";".join(column_label("members", column) for column in SHEETS["members"])
    data = f"{header}\r\n;Иван Пример;head;Governor;Gouverneur;Губернатор;;1\r\n".encode("cp1251")

    sheets = read_upload([(name, data)])

    assert list(sheets) == ["members"] and sheets["members"].columns == list(SHEETS["members"])
    assert sheets["members"].rows[0][1]["title_ru"] == "Губернатор"
