"""The meetings changelist's search finds exactly the meetings of its plain definition, on a generated
world: every word in either side's organization, a participant (any of their spellings, folded: case,
accents, either script) or the table. The search is written for speed (ids read through indexes); the
definition here is the one it must agree with."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from contacts.models import Organization, Person
from core.search import ids_count
from core.text import fold
from meetings.admin_changelist import shown_page
from meetings.admin_search import LIST_ORDERING, trigram_less
from meetings.models import Meeting, MeetingParticipant
from tests.factories import MeetingFactory, MeetingParticipantFactory, OrganizationFactory, PersonFactory

CHANGELIST_URL = reverse("admin:meetings_meeting_changelist")


def defined(search: str) -> set[int]:
    """The meetings the search must find, by the definition: each word a condition over the meetings."""
    matches = Q()
    for word in fold(search).split():
        organizations = Organization.objects.search(word).values("pk")
        people = Person.objects.search(word).values("pk")
        matches &= (
            Q(delegation_organization__in=organizations)
            | Q(host_organization__in=organizations)
            | Q(pk__in=MeetingParticipant.objects.filter(person__in=people).values("meeting"))
            | Q(table__icontains=word)
        )
    return set(Meeting.objects.filter(matches).values_list("pk", flat=True))


@pytest.fixture
def world(db):
    """A generated world (5 visits, 1,000 meetings), and meetings whose names need folding."""
    call_command("generate_visits", scale=0.005, seed=7, verbosity=0)
    irkutsk = OrganizationFactory(
        name="Government of the Irkutsk region", native_name="Правительство Иркутской области"
    )
    societe = OrganizationFactory(name="Société Générale")
    first, second, _ = (
        MeetingFactory(
            delegation_organization=irkutsk,
            host_organization=societe,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 30),
        )
        for hour in (9, 11, 16)
    )
    MeetingFactory(
        table="Salle Ä-12", host_organization=societe, start_time=datetime.time(18), end_time=datetime.time(18, 30)
    )
    MeetingParticipantFactory(
        meeting=first, person=PersonFactory(name="Sergey Levchenko", native_name="Сергей Левченко")
    )
    MeetingParticipantFactory(meeting=second, person=PersonFactory(name="Zoë Müller-Lüdenscheidt"))


def searches() -> list[str]:
    """Searches built from the world's own names: whole names, single words, other case and accents,
    the native script, two or three words from different places (either side, a participant, the table),
    tables, and words nothing holds."""
    terms = ["Иркутской", "ИРКУТСКОЙ области", "irkutsk", "Levchenko", "левченко", "societe generale",
             "SOCIÉTÉ", "zoe muller", "Müller lüdenscheidt", "irkutsk levchenko", "société levchenko",
             "ä-12", "a 12", "12", "nobody", "irkutsk nobody", "12 societe", "levchenko generale",
             "irkutsk irkutsk", "zoe societe irkutsk"]  # fmt: skip
    for organization in Organization.objects.order_by("pk")[::15]:
        terms += [organization.name, organization.name.upper(), organization.name.split()[-1]]
        if organization.native_name:
            terms.append(organization.native_name.split()[0])
    for person in Person.objects.filter(meeting_participations__isnull=False).distinct().order_by("pk")[::40]:
        terms += [person.name.split()[-1].lower(), person.native_name]
    for table in Meeting.objects.exclude(table="").values_list("table", flat=True).distinct()[:5]:
        terms.append(table.lower())
    return [term for term in terms if term]


def test_changelist_search_finds_exactly_the_defined_meetings(staff_client, world):
    terms = searches()
    assert len(terms) > 40
    for term in terms:
        response = staff_client.get(CHANGELIST_URL, {"q": term})

        changelist = response.context["cl"]
        expected = defined(term)
        assert (term, set(changelist.queryset.values_list("pk", flat=True))) == (term, expected)
        assert (term, changelist.result_count) == (term, len(expected))
        assert {meeting.pk for meeting in changelist.result_list} <= expected
        assert len(changelist.result_list) == min(len(expected), changelist.list_per_page)


def test_changelist_search_within_a_filter_finds_and_counts_exactly(staff_client, world):
    """A filter narrows the search's meetings: the count is theirs, not the search's alone."""
    confirmed = set(Meeting.objects.filter(status=Meeting.Status.CONFIRMED).values_list("pk", flat=True))
    terms = searches()[::4]
    assert any(defined(term) - confirmed for term in terms)
    for term in terms:
        response = staff_client.get(CHANGELIST_URL, {"q": term, "status__exact": Meeting.Status.CONFIRMED})

        changelist = response.context["cl"]
        expected = defined(term) & confirmed
        assert (term, set(changelist.queryset.values_list("pk", flat=True))) == (term, expected)
        assert (term, changelist.result_count) == (term, len(expected))


@pytest.fixture
def hostile(db):
    """Names a search must not join into a match: a word split across two records (Nord | Licht), the keys
    of one word split across two records (王 | 俊哲); Cyrillic, accents, case, tables in capitals; two visits
    whose meetings the list interleaves by day and time."""
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
    # One start and one title: the list orders their meetings by day and time across the two visits.
    assert visits[0].start_date == visits[1].start_date
    with connection.cursor() as cursor:
        twins = [visit.pk for visit in visits]
        cursor.execute("UPDATE delegations_delegation SET title = 'Twin visit' WHERE id IN (%s, %s)", twins)


HOSTILE_SEARCHES = [
    "nordlicht", "nord licht", "NordLicht biotech", "王俊哲", "王", "俊哲", "wang junzhe", "иркутской", "ИРКУТСК",
    "irkutsk", "societe", "SOCIÉTÉ générale", "strasse", "straße", "STRASSE", "istanbul", "i̇stanbul", "ä-12",
    "salle a 12", "12", "x", "X", "levXenko", "nord", "licht nord", "gmbh", "ag", "baikal wood", "nobody",
    "50%", "a_b", "a%", "wang nord",
]  # fmt: skip


def test_changelist_search_pages_are_the_defined_meetings_in_the_lists_order(staff_client, hostile, monkeypatch):
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
            if connection.vendor == "postgresql" and len(expected) > 4:
                # The page was read by id, from the search's ids in the list's order.
                assert ids_count(changelist.result_list.queryset) == len(shown)
            pages += 1
    assert pages > 30


def test_search_of_more_meetings_than_it_reads_ids_finds_and_counts_exactly(staff_client, hostile, monkeypatch):
    """Beyond the ids a search reads at once, the list asks the database the search's own condition."""
    monkeypatch.setattr("meetings.admin_search.SEARCH_IDS_READ", 2)
    for term in HOSTILE_SEARCHES:
        expected = defined(term)
        response = staff_client.get(CHANGELIST_URL, {"q": term})

        changelist = response.context["cl"]
        assert (term, set(changelist.queryset.values_list("pk", flat=True))) == (term, expected)
        assert (term, changelist.result_count) == (term, len(expected))
        ordered = list(Meeting.objects.filter(pk__in=expected).order_by(*LIST_ORDERING).values_list("pk", flat=True))
        assert (term, [meeting.pk for meeting in changelist.result_list]) == (term, ordered[:50])


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ab", True),
        ("12", True),
        ("王", True),
        ("a-b-c", True),
        ("a_b", True),
        ("abc", False),
        ("иркутск", False),
        ("ä-12x", False),
    ],
)
def test_trigram_less_is_a_word_without_three_letters_or_digits_in_a_row(word, expected):
    assert trigram_less(word) is expected


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


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (0, 50)),
        ({"p": "3"}, (100, 50)),
        ({"p": "3", "o": "-2"}, None),  # another order
        ({"all": ""}, None),  # every row
        ({"p": "x"}, None),
        ({"p": "0"}, None),
    ],
)
def test_shown_page_is_the_page_of_the_lists_own_order_asked(rf, query, expected):
    assert shown_page(rf.get(CHANGELIST_URL, query), 50) == expected
