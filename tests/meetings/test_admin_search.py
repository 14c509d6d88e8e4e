"""The meetings changelist's search finds exactly the meetings of its plain definition, on a generated
world: every word in either side's organization, a participant (any of their spellings, folded: case,
accents, either script) or the table. The search is written for speed (ids read through indexes); the
definition here is the one it must agree with."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from contacts.models import Organization, Person
from core.text import fold
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
