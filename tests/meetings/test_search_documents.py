"""Each meeting's search document, kept by PostgreSQL's triggers (meetings.search_documents) for the admin
search, follows every change of what it is made of at once, and the search read from the documents finds,
counts and orders exactly what the definition does (tests/meetings/test_admin_search.py), on hostile names."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from contacts.merging import contact_merge
from contacts.models import Organization, Person
from core import triggers
from meetings import search_documents
from meetings.admin_search import LIST_ORDERING, document_condition
from meetings.models import Meeting, MeetingParticipant
from sampledata.generator import domain_flush
from tests.factories import MeetingFactory, MeetingParticipantFactory, OrganizationFactory, PersonFactory
from tests.meetings.test_admin_search import defined

pytestmark = pytest.mark.postgresql

CHANGELIST_URL = reverse("admin:meetings_meeting_changelist")


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("The search documents are kept on PostgreSQL only.")


def document(meeting: Meeting) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT document FROM {search_documents.TABLE} WHERE meeting_id = %s", [meeting.pk])
        row = cursor.fetchone()
    return row and row[0]


def assert_rows_match():
    assert search_documents.documents_differences() == []


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(
        delegation_organization=OrganizationFactory(name="Nord AG"), host_organization=OrganizationFactory(name="Licht")
    )
    MeetingParticipantFactory(meeting=meeting, person=PersonFactory(name="Zoë Müller"))
    return meeting


def test_documents_follow_meetings_participants_people_and_organizations(meeting):
    assert document(meeting) == "nord ag nord ag licht liXt zoe muller soe muler"
    zoe = meeting.participants.get().person

    zoe.name = "Anna Li"
    zoe.save()
    meeting.delegation_organization.name = "Baikal"
    meeting.delegation_organization.save()
    assert document(meeting) == "baikal baikal licht liXt anna li ana li"

    other = MeetingFactory(start_time=datetime.time(16, 0), end_time=datetime.time(16, 30))
    meeting.participants.update(meeting=other)
    assert (document(meeting), document(other)) == ("baikal baikal licht liXt", document(other))
    assert document(other).endswith(" anna li ana li")

    Meeting.objects.filter(pk=meeting.pk).update(host_organization=other.host_organization, table="B-12", city="Lyon")
    meeting.refresh_from_db()
    assert document(meeting) == f"baikal baikal {other.host_organization.search_text}"
    assert_rows_match()

    other.participants.all().delete()
    MeetingParticipant.objects.bulk_create(
        MeetingParticipant(meeting=m, person=p, side=MeetingParticipant.Side.HOST)
        for m in (meeting, other)
        for p in (PersonFactory(name="Wang Wei"), PersonFactory(name="Сергей Левченко"))
    )
    assert_rows_match()

    other.delete()
    assert document(other) is None
    assert_rows_match()


def test_documents_follow_a_merge_of_people_and_organizations(meeting):
    twin = PersonFactory(name="Zoe Muller-Twin")
    other = MeetingFactory(
        host_organization=OrganizationFactory(name="Licht Twin"),
        start_time=datetime.time(16),
        end_time=datetime.time(17),
    )
    MeetingParticipantFactory(meeting=other, person=twin)

    contact_merge(kept=meeting.participants.get().person, merged=twin)
    contact_merge(kept=meeting.host_organization, merged=other.host_organization)

    # The kept records take the merged ones' names as other spellings.
    assert document(other).endswith(
        " licht licht twin liXt liXt tvin zoe muller zoe muller twin soe muler soe muler tvin"
    )
    assert_rows_match()


def test_documents_emptied_by_a_flush(meeting):
    domain_flush()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {search_documents.TABLE}")
        assert cursor.fetchone() == (0,)


def test_rebuild_search_documents_command_checks_and_repairs(meeting):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {search_documents.TABLE} SET document = 'x' WHERE meeting_id = %s", [meeting.pk])

    with pytest.raises(CommandError) as failure:
        call_command("rebuild_search_documents", "--check", verbosity=0)
    assert str(failure.value).startswith(f"The search documents differ from the meetings:\nmeeting {meeting.pk}: ")

    call_command("rebuild_search_documents", verbosity=0)

    assert document(meeting) == "nord ag nord ag licht liXt zoe muller soe muler"
    call_command("rebuild_search_documents", "--check", verbosity=0)


def test_search_document_triggers_exist_after_migrating(db):
    assert {name for name, _table in search_documents.TRIGGERS} <= triggers.installed(connection)


@pytest.fixture
def hostile(db):
    """Names that a document must not join into a match: a word split across two records (Nord | Licht),
    keys of one word split across two records (王 | 俊哲), Cyrillic, accents, case, a table in capitals."""
    visits = [MeetingFactory().delegation for _ in range(2)]
    names = [
        ("Nord AG", "Licht GmbH"),
        ("王", "俊哲 Holding"),
        ("Правительство Иркутской области", "Société Générale"),
        ("NORDLICHT Biotech", "Baikal Wood"),
        ("Straße & Söhne", "İstanbul Ticaret"),
    ]
    for index, (ours, theirs) in enumerate(names * 3):
        meeting = MeetingFactory(
            delegation=visits[index % 2],
            delegation_organization=OrganizationFactory(name=ours),
            host_organization=OrganizationFactory(name=theirs),
            table=("Salle Ä-12", "STRASSE 4", "", "x")[index % 4],
            city=("Lyon", "Paris")[index % 2],
            start_time=datetime.time(8 + index % 5),
            end_time=datetime.time(8 + index % 5, 30),
            date=visits[index % 2].start_date,
        )
        if index % 3 == 0:
            MeetingParticipantFactory(meeting=meeting, person=PersonFactory(name="Wang Junzhe", native_name="王俊哲"))
        if index % 3 == 1:
            MeetingParticipantFactory(meeting=meeting, person=PersonFactory(name="Licht Nord"))


HOSTILE_SEARCHES = [
    "nordlicht", "nord licht", "NordLicht biotech", "王俊哲", "王", "俊哲", "wang junzhe", "иркутской", "ИРКУТСК",
    "irkutsk", "societe", "SOCIÉTÉ générale", "strasse", "straße", "STRASSE", "istanbul", "i̇stanbul", "ä-12",
    "salle a 12", "12", "x", "X", "levXenko", "nord", "licht nord", "gmbh", "ag", "baikal wood", "nobody",
    "50%", "a_b", "a%", "wang nord",
]  # fmt: skip


def test_search_from_documents_finds_counts_and_orders_as_the_definition(staff_client, hostile, monkeypatch):
    monkeypatch.setattr("meetings.admin.MeetingAdmin.list_per_page", 4)
    pages = 0
    for term in HOSTILE_SEARCHES:
        expected = defined(term)
        ordered = list(Meeting.objects.filter(pk__in=expected).order_by(*LIST_ORDERING).values_list("pk", flat=True))
        for page in (1, 2):
            response = staff_client.get(CHANGELIST_URL, {"q": term, "p": page})

            if response.status_code == 404 or (page == 2 and len(expected) <= 4):
                continue
            changelist = response.context["cl"]
            assert (term, changelist.result_count) == (term, len(expected))
            shown = [meeting.pk for meeting in changelist.result_list]
            assert (term, page, shown) == (term, page, ordered[(page - 1) * 4 : page * 4])
            pages += 1
    assert pages > 30


def test_words_of_several_keys_are_left_to_the_definition():
    assert document_condition(["王俊哲"]) is None
    assert document_condition(["nordlicht"]) == (
        '(s.document LIKE %s OR s.document LIKE %s OR UPPER(s."table") LIKE UPPER(%s))',
        ["%nordlicht%", "%nordliXt%", "%nordlicht%"],
    )


def test_search_pages_sorted_by_another_column_or_filtered_are_exact(staff_client, hostile):
    for term in ("nord", "licht", "wang"):
        expected = defined(term)
        for params in ({"o": "-2"}, {"o": "3.1"}, {"city__exact": "Lyon"}):
            response = staff_client.get(CHANGELIST_URL, {"q": term, **params})

            changelist = response.context["cl"]
            kept = set(changelist.queryset.values_list("pk", flat=True))
            assert kept <= expected
            if "city__exact" in params:
                assert kept == {pk for pk in expected if Meeting.objects.get(pk=pk).city == "Lyon"}
            else:
                assert kept == expected
                assert [m.pk for m in changelist.result_list] == list(
                    changelist.queryset.values_list("pk", flat=True)[:50]
                )


def test_documents_hold_every_record_of_the_meeting(hostile):
    for meeting in Meeting.objects.all():
        names = [meeting.delegation_organization.search_text, meeting.host_organization.search_text]
        names += [p.person.search_text for p in meeting.participants.order_by("pk").select_related("person")]
        assert document(meeting) == " ".join(names)
    assert Organization.objects.exists() and Person.objects.exists()
    assert_rows_match()
