import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from core.csv import neutralise
from meetings.models import Meeting, MeetingParticipant
from public.views import meetings as views
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)

EXPORT_URL = reverse("public:meeting-export-csv")
LIST_URL = reverse("public:meeting-list")

HEADER = [
    "date",
    "start_local",
    "end_local",
    "time_zone",
    "start_utc",
    "end_utc",
    "city",
    "venue",
    "venue_address",
    "table",
    "visit",
    "visit_slug",
    "delegation_organization",
    "delegation_people",
    "host_organization",
    "host_people",
    "sector",
    "status",
    "outcome",
]


def download(client, query=None) -> bytes:
    response = client.get(EXPORT_URL, query or {})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def read_rows(content: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_export_demo_rows_exact(client, demo):
    rows = read_rows(download(client))

    def row(host: str) -> list[str]:
        return [
            *("2018-11-29", "", "", "Europe/Paris", "", "", "Lyon", "", "", ""),
            *("Delegation of the Irkutsk region to France", "irkutsk-region-france-2018"),
            *("Government of the Irkutsk region", "", host, ""),
            *("Health", "held", "Considering the Irkutsk region as a location for its activities."),
        ]

    assert rows == [
        HEADER,
        row("Eastmed"),
        row("ATF Implants"),
        row("Luxilon"),
        row("Dedienne Santé"),
        row("Symbios"),
    ]


def test_export_response_is_streamed_csv_attachment(client, demo):
    response = client.get(EXPORT_URL)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="meetings-{timezone.localdate():%Y-%m-%d}.csv"'


def test_export_filename_names_the_visit(client, demo):
    response = client.get(EXPORT_URL, {"delegation": "irkutsk-region-france-2018"})

    assert response["Content-Disposition"] == (
        f'attachment; filename="irkutsk-region-france-2018-{timezone.localdate():%Y-%m-%d}.csv"'
    )


def test_export_starts_with_byte_order_mark_once(client, demo):
    content = download(client)

    assert content[:3] == b"\xef\xbb\xbf"
    assert content.count(b"\xef\xbb\xbf") == 1
    assert content[3:].startswith(b"date,start_local,end_local,time_zone,")
    assert "Dedienne Santé".encode() in content


def test_export_lines_end_with_crlf(client, demo):
    content = download(client)

    assert content.count(b"\r\n") == 6
    assert content.endswith(b",held,Considering the Irkutsk region as a location for its activities.\r\n")


def test_export_semicolon_separator_same_cells(client, demo):
    content = download(client, {"sep": "semicolon"})

    assert content[3:].startswith(b"date;start_local;end_local;time_zone;")
    assert read_rows(content, delimiter=";") == read_rows(download(client))


def test_export_meeting_with_times_and_venue_exact(client, meeting_grid):
    rows = read_rows(download(client, {"delegation": "visit-b"}))

    assert rows[1] == [
        "2019-06-11",
        "09:00",
        "10:00",
        "Europe/Paris",
        "2019-06-11T07:00:00Z",
        "2019-06-11T08:00:00Z",
        "Lyon",
        "Eurexpo",
        "Boulevard de l'Europe",
        "B1",
        "Visit B",
        "visit-b",
        "Dalkia",
        "",
        "Société Générale",
        "",
        "Health",
        "cancelled",
        "Postponed.",
    ]


def test_export_private_person_shown_as_representative(client, meeting_grid):
    content = download(client)
    rows = read_rows(content)

    assert column(rows, "host_people") == ["Anne Public; a representative of Eastmed", "", ""]
    assert b"Boris" not in content


def test_export_representative_text_same_in_any_language(client, meeting_grid):
    content = download(client, {"status": "held"})

    french = client.get(EXPORT_URL, {"status": "held"}, headers={"accept-language": "fr"})

    assert b"".join(french.streaming_content) == content


def test_export_draft_visit_meetings_never_included(client, meeting_grid):
    content = download(client)

    assert column(read_rows(content), "table") == ["A1", "A2", "B1"]
    assert b"Draft" not in content


FILTER_QUERIES = [
    {},
    {"delegation": "visit-a"},
    {"date_from": "2018-11-27"},
    {"date_to": "2018-11-27"},
    {"date_from": "2018-11-27", "date_to": "2018-12-31"},
    {"city": "lyon"},
    {"sector": "health"},
    {"status": "held"},
    {"organization": "dalkia"},
    {"organization": "EASTMED"},
    {"q": "generale"},
    {"q": "anne"},
    {"q": "boris"},
    {"city": "Lyon", "sector": "health", "status": "cancelled"},
]


@pytest.mark.parametrize("query", FILTER_QUERIES)
def test_export_filter_same_meetings_as_list(client, meeting_grid, query):
    listed = [meeting.table for meeting in client.get(LIST_URL, query).context["object_list"]]

    assert column(read_rows(download(client, query)), "table") == listed


def test_export_session_filter_same_meetings_as_list(client, meeting_grid):
    query = {"session": meeting_grid.session.pk}
    listed = [meeting.table for meeting in client.get(LIST_URL, query).context["object_list"]]

    assert column(read_rows(download(client, query)), "table") == listed == ["A1"]


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\n"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_export_formula_start_prefixed_with_quote(client, db, start):
    MeetingFactory(
        outcome=f'{start}HYPERLINK("http://evil.example")',
        host_organization=OrganizationFactory(name=f"{start}cmd|' /C calc'!A0"),
    )

    rows = read_rows(download(client))

    assert column(rows, "outcome") == [f'\'{start}HYPERLINK("http://evil.example")']
    assert column(rows, "host_organization") == [f"'{start}cmd|' /C calc'!A0"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("\r\n=1", "'\r\n=1"),
        ("a=1", "a=1"),
        ("'already", "'already"),
        ('"quoted"', '"quoted"'),
        ("100%", "100%"),
        ("", ""),
        ("'", "'"),
    ],
)
def test_neutralise_prefixes_only_formula_starts(value, expected):
    assert neutralise(value) == expected


# Starts some spreadsheets read as a formula beyond OWASP's list: blanks they skip, full-width signs
# they fold to ASCII, a quote a lenient reader drops, the pipe and percent of DDE payloads.
MORE_FORMULA_STARTS = [
    " =1+1",
    " plain words after a space",
    "\u00a0=1+1",
    "\u2003=1+1",
    "\u3000=1+1",
    "\u200b=1+1",
    "\ufeff=1+1",
    "\ufeffplain",
    "\uff1d1+1",
    "\uff0bcmd",
    "\uff0d1",
    "\uff20SUM(A1)",
    "'=1+1",
    "'+1",
    "'-1",
    "'@SUM(A1)",
    '"=1+1',
    '"\uff1d1',
    "' =1",
    "|calc",
    "%0A=1",
    "\x00=1",
]


@pytest.mark.parametrize("value", MORE_FORMULA_STARTS)
def test_neutralise_prefixes_blank_full_width_and_quoted_formula_starts(value):
    assert neutralise(value) == f"'{value}"


@pytest.mark.parametrize("value", [value for value in MORE_FORMULA_STARTS if "\x00" not in value])
def test_export_blank_full_width_and_quoted_formula_starts_prefixed(client, db, value):
    MeetingFactory(outcome=value, host_organization=OrganizationFactory(name=value))

    rows = read_rows(download(client))

    assert column(rows, "outcome") == [f"'{value}"]
    assert column(rows, "host_organization") == [f"'{value}"]


def test_export_separator_quote_and_newline_round_trip(client, db):
    outcome = 'Said "yes", then\r\nleft; see you'
    MeetingFactory(outcome=outcome, host_organization=OrganizationFactory(name="Smith, Jones & Co"))

    comma = download(client)
    semicolon = download(client, {"sep": "semicolon"})

    assert b'"Said ""yes"", then\r\nleft; see you"\r\n' in comma
    assert b',"Smith, Jones & Co",' in comma
    assert b";Smith, Jones & Co;" in semicolon
    assert column(read_rows(comma), "outcome") == [outcome]
    assert column(read_rows(semicolon, delimiter=";"), "outcome") == [outcome]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"status": "bogus"}, "status: Choose a status from the list."),
        ({"delegation": "draft-visit"}, "delegation: Choose a visit from the list."),
        ({"date_from": "abc"}, "date_from: Enter a valid date."),
        ({"city": "x" * 5000}, "city: Ensure this value has at most 100 characters (it has 5000)."),
        ({"organization": "no-such-org"}, "organization: No organization is named “no-such-org”."),
        ({"date_from": "2018-11-29", "date_to": "2018-11-26"}, "filters: The “From” date is after the “Until” date."),
        ({"bogus": "1"}, "bogus: unknown filter"),
        ({"page": "2"}, "page: unknown filter"),
        ({"sep": "tab"}, "sep: use comma or semicolon"),
    ],
)
def test_export_invalid_filter_is_400_listing_it(client, meeting_grid, query, problem):
    response = client.get(EXPORT_URL, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("The export cannot apply these filters:\n")
    assert problem in response.content.decode().splitlines()[1]


def test_export_several_problems_listed_together(client, meeting_grid):
    response = client.get(EXPORT_URL, {"status": "bogus", "sep": "tab", "colour": "red"})

    assert response.content.decode() == (
        "The export cannot apply these filters:\n"
        "colour: unknown filter\n"
        "sep: use comma or semicolon\n"
        "status: Choose a status from the list.\n"
    )


def create_meetings(count: int) -> None:
    """Meetings without times (no slot to collide), each with a public and a private participant."""
    visit = DelegationFactory()
    sides = {"delegation_organization": OrganizationFactory(), "host_organization": OrganizationFactory()}
    meetings = Meeting.objects.bulk_create(
        Meeting(delegation=visit, date=visit.start_date, city="Lyon", time_zone="Europe/Paris", table=f"{n}", **sides)
        for n in range(count)
    )
    public, private = PersonFactory(), PersonFactory(is_public=False)
    MeetingParticipant.objects.bulk_create(
        MeetingParticipant(meeting=meeting, person=person, side=side)
        for meeting in meetings
        for person, side in ((public, MeetingParticipant.Side.DELEGATION), (private, MeetingParticipant.Side.HOST))
    )


@pytest.mark.parametrize("count", [30, 300])
def test_export_queries_same_at_30_and_300_within_one_chunk(client, db, django_assert_num_queries, count):
    create_meetings(count)

    # PostgreSQL: JIT off for the export's transaction, then the COPY of the lines; elsewhere the
    # meetings, then their participants
    with django_assert_num_queries(2):
        rows = read_rows(download(client))

    assert len(rows) == count + 1


def test_export_queries_one_per_chunk(client, db, django_assert_num_queries, monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL writes the lines in one COPY, whatever their number")
    monkeypatch.setattr(views, "EXPORT_CHUNK_SIZE", 10)
    create_meetings(30)

    # the meetings, then the participants of each of three chunks
    with django_assert_num_queries(4):
        rows = read_rows(download(client))

    assert len(rows) == 31
