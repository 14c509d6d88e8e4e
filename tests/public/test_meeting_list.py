import factory
import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingParticipant
from tests.builders import built_quietly
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
)

LIST_URL = reverse("public:meeting-list")

FILTER_CASES = [
    ({}, ["A1", "A2", "B1"]),
    ({"delegation": "visit-a"}, ["A1", "A2"]),
    ({"delegation": "visit-b"}, ["B1"]),
    ({"date_from": "2018-11-27"}, ["A2", "B1"]),
    ({"date_to": "2018-11-27"}, ["A1"]),
    ({"date_from": "2018-11-27", "date_to": "2018-12-31"}, ["A2"]),
    ({"city": "lyon"}, ["A2", "B1"]),
    ({"sector": "health"}, ["A1", "B1"]),
    ({"status": "held"}, ["A1"]),
    ({"status": "cancelled"}, ["B1"]),
    ({"organization": "dalkia"}, ["A2", "B1"]),
    ({"organization": "EASTMED"}, ["A1"]),
    ({"organization": "Société Générale"}, ["B1"]),
    ({"q": "generale"}, ["B1"]),
    ({"q": "letter intent"}, ["A1"]),
    ({"q": "a2"}, ["A2"]),
    ({"q": "anne"}, ["A1"]),
    ({"q": "boris"}, []),
    ({"city": "Lyon", "sector": "health", "status": "cancelled"}, ["B1"]),
]


def tables(response) -> list[str]:
    return [meeting.table for meeting in response.context["object_list"]]


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES)
def test_meeting_list_filter_narrows_to_expected(client, meeting_grid, query, expected):
    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    assert tables(response) == expected


def test_meeting_list_session_filter_narrows_to_its_meetings(client, meeting_grid):
    response = client.get(LIST_URL, {"session": meeting_grid.session.pk})

    assert tables(response) == ["A1"]
    assert f'<input type="hidden" name="session" value="{meeting_grid.session.pk}" id="id_session">' in (
        response.content.decode()
    )


def test_meeting_list_draft_visit_meetings_never_shown(client, meeting_grid):
    response = client.get(LIST_URL, {"organization": "eastmed"})

    assert tables(response) == ["A1"]
    assert "Draft secret." not in response.content.decode()
    assert "Draft visit" not in response.content.decode()


HOSTILE_CASES = [
    ({"date_from": "abc"}, "Enter a valid date."),
    ({"date_to": "2018-02-30"}, "Enter a valid date."),
    ({"city": "x" * 5000}, "Ensure this value has at most 100 characters (it has 5000)."),
    ({"q": "y" * 5000}, "Ensure this value has at most 200 characters (it has 5000)."),
    ({"city": "Ly\x00on"}, "Null characters are not allowed."),
    ({"status": "bogus"}, "Choose a status from the list."),
    ({"status": "held' OR '1'='1"}, "Choose a status from the list."),
    ({"delegation": "draft-visit"}, "Choose a visit from the list."),
    ({"delegation": "'; DROP TABLE meetings_meeting; --"}, "Choose a visit from the list."),
    ({"delegation": "v" * 5000}, "Choose a visit from the list."),
    ({"sector": "nope"}, "Choose a sector from the list."),
    (
        {"organization": "no-such-org"},
        "No organization is named “no-such-org”. Type its full name, or the last part of its page address.",
    ),
    ({"organization": "z" * 5000}, f"No organization is named “{'z' * 59}…”."),
    ({"organization": "eastmed\x00"}, "No organization is named “eastmed”."),
    ({"session": "abc"}, "Session: Enter a number."),
    ({"session": "9" * 40}, "Session: Ensure this value is less than or equal to 4611686018427387904."),
    ({"date_from": "2018-11-29", "date_to": "2018-11-26"}, "The “From” date is after the “Until” date."),
]


@pytest.mark.parametrize(("query", "error"), HOSTILE_CASES)
def test_meeting_list_hostile_value_gives_form_error(client, meeting_grid, query, error):
    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert tables(response) == []
    assert "Export CSV" not in response.content.decode()


def test_meeting_list_sql_looking_text_is_plain_text(client, meeting_grid):
    response = client.get(LIST_URL, {"q": "'; DROP TABLE meetings_meeting; --"})

    assert response.status_code == 200
    assert tables(response) == []
    assert Meeting.objects.count() == 4


def test_meeting_list_markup_in_text_is_escaped(client, meeting_grid):
    response = client.get(LIST_URL, {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in response.content.decode()


def test_meeting_list_organization_by_name_ambiguous_gives_form_error(client, meeting_grid):
    OrganizationFactory(name="eastmed", slug="eastmed-2")

    by_name = client.get(LIST_URL, {"organization": "Eastmed"})
    by_slug = client.get(LIST_URL, {"organization": "eastmed-2"})

    assert "Several organizations are named “Eastmed”. Type the last part of its page address." in (
        by_name.content.decode()
    )
    assert tables(by_slug) == []
    assert "Several organizations" not in by_slug.content.decode()


def test_meeting_list_row_shows_local_time_place_sides_and_outcome(client, meeting_grid):
    html = client.get(LIST_URL, {"delegation": "visit-a"}).content.decode()

    assert '<time datetime="2018-11-26T09:00:00+00:00">10:00–10:30</time>' in html
    assert '<span class="muted">CET, UTC+1</span>' in html
    assert "Senate, Paris" in html
    assert "Table A1" in html
    assert "Time not announced" in html
    assert '<span class="status status--held">Held</span>' in html
    assert "Signed a letter of intent." in html


def test_meeting_list_private_person_shown_as_representative(client, meeting_grid):
    html = client.get(LIST_URL).content.decode()

    assert '<a href="/people/anne-public/">Anne Public</a>, a representative of Eastmed' in html
    assert "Boris Hidden" not in html
    assert "boris-hidden" not in html


def test_meeting_list_export_links_carry_filters(client, meeting_grid):
    html = client.get(LIST_URL, {"city": "Lyon", "status": "held", "page": "1", "utm_source": "x"}).content.decode()

    assert 'href="/meetings/export.csv?city=Lyon&amp;status=held"' in html
    assert 'href="/meetings/export.csv?city=Lyon&amp;status=held&amp;sep=semicolon"' in html


def test_meeting_list_export_links_without_filters(client, meeting_grid):
    html = client.get(LIST_URL).content.decode()

    assert 'href="/meetings/export.csv" download>Export CSV</a>' in html
    assert 'href="/meetings/export.csv?sep=semicolon" download>CSV for Excel (semicolon)</a>' in html


def test_meeting_list_paginates_by_fifty_keeping_filters(client, db):
    visit = DelegationFactory(slug="big-visit")
    # Labels of one length: "T999" would sort after "T1000" and put the meetings out of creation order.
    MeetingFactory.create_batch(
        51, delegation=visit, status=Meeting.Status.HELD, table=factory.Sequence(lambda n: f"T{n:06d}")
    )

    first = client.get(LIST_URL, {"status": "held"})
    second = client.get(LIST_URL, {"status": "held", "page": 2})

    assert len(first.context["object_list"]) == 50
    assert "51 meetings" in first.content.decode()
    assert 'href="?status=held&amp;page=2"' in first.content.decode()
    assert [m.pk for m in second.context["object_list"]] == [Meeting.objects.order_by("pk").last().pk]
    assert client.get(LIST_URL, {"page": 3}).status_code == 404


def test_meeting_list_times_unknown_come_last_in_their_day(client, db):
    visit = DelegationFactory()
    untimed = MeetingFactory(delegation=visit, start_time=None, end_time=None, table="X")
    timed = MeetingFactory(delegation=visit, table="Y")

    response = client.get(LIST_URL)

    assert [m.pk for m in response.context["object_list"]] == [timed.pk, untimed.pk]


@built_quietly()
def meetings_with_people(count: int, **sides) -> None:
    """Meetings without a slot yet (so that sharing an organization books nothing twice), each with two people."""
    visit = DelegationFactory()
    for _ in range(count):
        meeting = MeetingFactory(delegation=visit, start_time=None, end_time=None, **sides)
        MeetingParticipantFactory(meeting=meeting, side=MeetingParticipant.Side.DELEGATION)
        MeetingParticipantFactory(
            meeting=meeting, person=PersonFactory(is_public=False), side=MeetingParticipant.Side.HOST
        )


@pytest.mark.parametrize("count", [3, 30])
def test_meeting_list_queries_same_at_3_and_30(client, db, django_assert_num_queries, count):
    meetings_with_people(count)

    # count, the page's meeting ids, those meetings, their participants, then the visit and sector choices
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)

    assert len(response.context["object_list"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_meeting_list_filtered_queries_same_at_3_and_30(client, db, django_assert_num_queries, count):
    organization = OrganizationFactory(slug="host")
    meetings_with_people(count, host_organization=organization)

    # the organization typed in the filter, then as unfiltered
    with django_assert_num_queries(7):
        response = client.get(LIST_URL, {"organization": "host", "status": "confirmed"})

    assert len(response.context["object_list"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_organization_agenda_queries_same_at_3_and_30(client, db, django_assert_num_queries, count):
    organization = OrganizationFactory(slug="host")
    meetings_with_people(count, host_organization=organization)
    MeetingFactory()

    # the page cache's key (the organization the address names, the visits it appears in), the organization,
    # then as the list
    with django_assert_num_queries(9):
        response = client.get(reverse("public:organization-agenda", kwargs={"slug": "host"}))

    assert len(response.context["object_list"]) == count


def test_organization_agenda_lists_both_sides_of_published_visits(client, meeting_grid):
    response = client.get(reverse("public:organization-agenda", kwargs={"slug": "dalkia"}))

    assert tables(response) == ["A2", "B1"]
    assert "<h1>Meetings of Dalkia</h1>" in response.content.decode()
    assert 'name="organization"' not in response.content.decode()


def test_organization_agenda_filters_within_the_organization(client, meeting_grid):
    response = client.get(reverse("public:organization-agenda", kwargs={"slug": "dalkia"}), {"city": "lyon"})
    html = response.content.decode()

    assert tables(response) == ["A2", "B1"]
    assert 'href="/meetings/export.csv?city=lyon&amp;organization=dalkia"' in html
    assert 'href="/meetings/export.csv?city=lyon&amp;organization=dalkia&amp;sep=semicolon"' in html


def test_organization_agenda_draft_meetings_never_shown(client, meeting_grid):
    response = client.get(reverse("public:organization-agenda", kwargs={"slug": "eastmed"}))

    assert tables(response) == ["A1"]


def test_organization_agenda_hostile_value_gives_form_error(client, meeting_grid):
    response = client.get(reverse("public:organization-agenda", kwargs={"slug": "dalkia"}), {"date_from": "abc"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert tables(response) == []


def test_organization_agenda_unknown_slug_is_404(client, db):
    response = client.get(reverse("public:organization-agenda", kwargs={"slug": "no-such-org"}))

    assert response.status_code == 404
