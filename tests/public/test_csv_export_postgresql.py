"""On PostgreSQL the database writes the CSV lines: byte for byte the file the Python writer makes."""

import csv
import datetime
import io
import threading

import psycopg2
import pytest
from django.db import DataError, connection
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from core.csv import COPY_THREAD_NAME, sql_cell
from meetings import table
from meetings.models import Meeting, MeetingParticipant
from public import exports
from public.exports import PythonCsvWriter
from public.filters import MeetingFilter
from public.views import meetings as views
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    SectorFactory,
    VenueFactory,
)
from tests.public.test_csv_export import MORE_FORMULA_STARTS, column, read_rows

pytestmark = pytest.mark.postgresql

EXPORT_URL = reverse("public:meeting-export-csv")

HOSTILE = [
    'Said "yes", then\r\nleft',
    "Smith, Jones; & Co",
    '=HYPERLINK("http://evil.example")',
    "+33 1 23",
    "-1",
    "@SUM(A1)",
    "\tindented",
    "\rcarriage",
    "back\\slash \\n \\N \\\\ not escapes",
    "mid\ttab and \x08\x0b\x0c controls",
    "\nline",
    "lone\rreturn",
    "lone\nfeed",
    "'quoted already",
    "Иркутская область 伊尔库茨克 🚀",
    "  spaces  ",
    '"',
    ",",
    ";",
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL writes the lines itself only there")


@pytest.fixture
def hostile_meetings(db):
    """Meetings whose every text cell is hostile in turn, with and without times, venue and sector."""
    sector = SectorFactory(name='Énergie, "verte"', slug="energy")
    visit = DelegationFactory(title='=Visit, "hostile"\r\nand more', slug="hostile-visit")
    other_visit = DelegationFactory(title="Визит", slug="other-visit")
    DelegationFactory(title="Draft", slug="draft", is_published=False)
    for n, text in enumerate(HOSTILE):
        venue = VenueFactory(name=text, address=f"{text}\n2nd line", city="Shanghai", time_zone="Asia/Shanghai")
        meeting = MeetingFactory(
            delegation=visit if n % 2 else other_visit,
            date=datetime.date(2018, 11, 26 + n % 3),
            start_time=datetime.time(8 + n % 9, 15) if n % 4 else None,
            end_time=datetime.time(8 + n % 9, 45) if n % 4 else None,
            venue=venue if n % 5 else None,
            city=text if not n % 5 else "",
            time_zone="Europe/Paris",
            table=text[:50],
            delegation_organization=OrganizationFactory(name=text),
            host_organization=OrganizationFactory(name=f"{text} host"),
            sector=sector if n % 3 else None,
            status=Meeting.Status.values[n % len(Meeting.Status.values)],
            outcome_en=text if n % 6 else "",
            outcome_fr=f"{text} (fr)",
        )
        for side, count in ((MeetingParticipant.Side.HOST, n % 5), (MeetingParticipant.Side.DELEGATION, n % 4)):
            people = [
                PersonFactory(name=f"{text} public"),
                PersonFactory(name="Hidden", is_public=False),
                PersonFactory(name="Also hidden", is_public=False),
                PersonFactory(name="Ünïcode Пётр"),
            ]
            for person in people[:count] if n % 2 else people[-count:] if count else []:
                MeetingParticipantFactory(meeting=meeting, person=person, side=side)


def python_file(query: dict, delimiter: str) -> bytes:
    """The file as the Python writer makes it, from the export's own filters and queryset."""
    filterset = MeetingFilter(query, queryset=views.public_meetings())
    assert filterset.is_valid()
    lines = PythonCsvWriter(batch_size=7).chunks(filterset.qs, delimiter=delimiter)
    return "".join(lines).encode()


def database_file(client, query: dict) -> bytes:
    response = client.get(EXPORT_URL, query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"delegation": "hostile-visit"},
        {"date_from": "2018-11-27"},
        {"status": "held"},
        {"sector": "energy"},
        {"q": "smith"},
        {"city": "shanghai", "date_to": "2018-11-27"},
    ],
)
@pytest.mark.parametrize("sep", ["comma", "semicolon"])
def test_database_export_same_bytes_as_python_writer(client, hostile_meetings, query, sep):
    delimiter = views.EXPORT_SEPARATORS[sep]
    expected = python_file(query, delimiter)

    content = database_file(client, {**query, "sep": sep})

    assert content == expected
    assert len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))) >= 2


@pytest.mark.parametrize("chunk_bytes", [1, 700])
def test_database_export_same_bytes_in_small_chunks(client, hostile_meetings, monkeypatch, chunk_bytes):
    monkeypatch.setattr(views, "EXPORT_CHUNK_BYTES", chunk_bytes)

    response = client.get(EXPORT_URL)
    chunks = list(response.streaming_content)

    assert b"".join(chunks) == python_file({}, ",")
    if chunk_bytes == 1:  # a line a chunk
        assert len(chunks) == 1 + Meeting.objects.filter(delegation__is_published=True).count()


@pytest.mark.parametrize(
    "ordering",
    [
        (),  # the model's
        ("-date", F("start_time").asc(nulls_first=True), "-city", "table", "pk"),
        (F("outcome_en").desc(nulls_last=True), "-pk"),
    ],
)
def test_rows_sorted_keys_first_as_the_plain_select_sorts_them(hostile_meetings, ordering):
    meetings = Meeting.objects.order_by(*ordering) if ordering else Meeting.objects.all()
    rows = table.stored_sql_source(meetings, cell=sql_cell)

    with connection.cursor() as cursor:
        cursor.execute(rows.select(), rows.params)
        expected = cursor.fetchall()
        cursor.execute(rows.select_keys_first(list(rows.values.values())), rows.params)
        keys_first = cursor.fetchall()

    assert keys_first == expected
    assert len(expected) == len(HOSTILE)


def test_database_export_cuts_seconds_and_fractions_as_the_python_writer(client, db):
    MeetingFactory(
        delegation=DelegationFactory(slug="visit"),
        date=datetime.date(2018, 11, 26),
        start_time=datetime.time(8, 15, 30, 500_000),
        end_time=datetime.time(9, 0, 0, 1),
        time_zone="Europe/Paris",
    )

    content = database_file(client, {})

    assert content == python_file({}, ",")
    rows = read_rows(content)
    assert [column(rows, name) for name in ("start_local", "end_local", "start_utc", "end_utc")] == [
        ["08:15"],
        ["09:00"],
        ["2018-11-26T07:15:30Z"],
        ["2018-11-26T08:00:00Z"],
    ]


def test_database_export_blank_full_width_and_quoted_formula_starts_prefixed(client, db):
    values = [value for value in MORE_FORMULA_STARTS if "\x00" not in value]  # PostgreSQL's text holds no NUL
    for n, value in enumerate(values):
        MeetingFactory(table=f"T{n:02}", outcome=value, host_organization=OrganizationFactory(name=value))

    content = database_file(client, {})
    rows = read_rows(content)

    assert content == python_file({}, ",")
    assert sorted(zip(column(rows, "table"), column(rows, "outcome"), strict=True)) == [
        (f"T{n:02}", f"'{value}") for n, value in enumerate(values)
    ]
    assert sorted(column(rows, "host_organization")) == sorted(f"'{value}" for value in values)


@pytest.fixture
def people_with_formula_starts(db):
    """Meetings whose people cell starts with a formula character, a lone quote before the separator, or the
    representatives' phrase alone, on either side."""
    names = ["'", '"', "=1+1", "'=1+1", "-x", " spaced", "\u3000full-width space", "Plain"]
    for n, name in enumerate(names):
        meeting = MeetingFactory(table=f"P{n:02}", host_organization=OrganizationFactory(name=f"={name}"))
        for side in MeetingParticipant.Side.values:
            MeetingParticipantFactory(meeting=meeting, person=PersonFactory(name=name), side=side)
            if n % 2:
                MeetingParticipantFactory(meeting=meeting, person=PersonFactory(is_public=False), side=side)
        hidden_only = MeetingFactory(table=f"H{n:02}", delegation_organization=OrganizationFactory(name=name))
        for _ in range(n % 3 + 1):
            MeetingParticipantFactory(
                meeting=hidden_only, person=PersonFactory(is_public=False), side=MeetingParticipant.Side.DELEGATION
            )


@pytest.mark.parametrize("sep", ["comma", "semicolon"])
def test_database_export_people_neutralised_by_their_names(client, people_with_formula_starts, sep):
    delimiter = views.EXPORT_SEPARATORS[sep]

    content = database_file(client, {"sep": sep})

    assert content == python_file({}, delimiter)
    people = column(read_rows(content, delimiter=delimiter), "delegation_people")
    assert any(cell.startswith("''=1+1; a representative of ") for cell in people)
    assert any(cell.startswith('"; a representative of ') for cell in people)


@pytest.mark.parametrize("query", [{}, {"date_from": "2018-11-27"}, {"sector": "energy"}])
@pytest.mark.parametrize("sep", ["comma", "semicolon"])
def test_database_export_same_bytes_when_the_phrases_would_need_neutralising(
    client, hostile_meetings, people_with_formula_starts, monkeypatch, query, sep
):
    """Were the representatives' phrase to start with something a spreadsheet runs, the people cells would be
    neutralised whole: the same file."""
    monkeypatch.setattr(table, "_phrases_need_no_neutralising", lambda: False)
    delimiter = views.EXPORT_SEPARATORS[sep]

    assert database_file(client, {**query, "sep": sep}) == python_file(query, delimiter)


def test_the_representatives_phrases_need_no_neutralising():
    assert table._phrases_need_no_neutralising()


def test_database_export_representatives_counted(client, hostile_meetings):
    rows = database_file(client, {}).decode("utf-8-sig")

    assert "2 representatives of " in rows
    assert "a representative of " in rows
    assert "Hidden" not in rows


def test_database_export_english_whatever_the_language(client, hostile_meetings):
    french = client.get(EXPORT_URL, headers={"accept-language": "fr"})

    with translation.override("en"):
        expected = python_file({}, ",")

    assert b"".join(french.streaming_content) == expected
    assert b"(fr)" not in expected


@pytest.fixture
def many_meetings(transactional_db):
    """4,000 published meetings with a long outcome: about 4 MB of lines, more than a socket holds."""
    visit = DelegationFactory(slug="long-visit")
    sides = {"delegation_organization": OrganizationFactory(), "host_organization": OrganizationFactory()}
    Meeting.objects.bulk_create(
        Meeting(
            delegation=visit,
            date=visit.start_date,
            city="Lyon",
            time_zone="Europe/Paris",
            table=f"{n}",
            outcome_en=f"Outcome {n} " + "x" * 1000,
            **sides,
        )
        for n in range(4000)
    )


def server_activity() -> list[tuple[str, str]]:
    """What the database's other sessions are doing, seen from a connection of its own."""
    settings = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
        ) as watcher,
        watcher.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


def copying() -> bool:
    return any(state == "active" and query.startswith("COPY (") for state, query in server_activity())


def copy_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == COPY_THREAD_NAME]


def test_database_export_streams_while_the_database_still_writes(client, many_meetings, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_CHUNK_BYTES", 64 * 1024)
    chunks = iter(client.get(EXPORT_URL).streaming_content)

    header, first = next(chunks), next(chunks)
    # The worker holds the chunk sent and at most 4 more: the COPY waits meanwhile.
    copying_after_first_chunk = [thread.is_alive() for thread in copy_threads()]
    rest = list(chunks)

    assert header.startswith(b"\xef\xbb\xbfdate,")
    assert first.startswith(b"2018-11-26,")
    assert copying_after_first_chunk == [True]
    # A chunk is whole lines, a line past the chunk size at most.
    assert all(chunk.endswith(b"\r\n") and len(chunk) < 64 * 1024 + 1200 for chunk in [first, *rest])
    assert sum(chunk.count(b"\r\n") for chunk in [first, *rest]) == 4000
    assert not copy_threads()
    assert not copying()


def test_database_export_stopped_by_the_client_cancels_the_query(client, many_meetings, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_CHUNK_BYTES", 16 * 1024)
    response = client.get(EXPORT_URL)
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    assert len(copy_threads()) == 1

    response.close()  # as the server does when the client goes away

    assert not copy_threads()
    assert not copying()
    assert Meeting.objects.count() == 4000  # the connection is usable again


def test_database_export_error_reaches_the_worker_and_leaves_the_connection_usable(client, many_meetings, monkeypatch):
    monkeypatch.setattr(exports, "database_csv_query", lambda meetings: ("SELECT 1 / 0", []))

    chunks = iter(client.get(EXPORT_URL).streaming_content)
    next(chunks)
    with pytest.raises(DataError, match="division by zero"):
        next(chunks)

    assert not copy_threads()
    assert Meeting.objects.count() == 4000
