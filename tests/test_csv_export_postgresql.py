"""On PostgreSQL the database writes the CSV lines: byte for byte the file the Python writer makes."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from meetings import export, views
from meetings.filters import MeetingFilter
from meetings.models import Meeting, MeetingParticipant
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    SectorFactory,
    VenueFactory,
)

pytestmark = pytest.mark.postgresql

EXPORT_URL = reverse("meetings:export-csv")

HOSTILE = [
    'Said "yes", then\r\nleft',
    "Smith, Jones; & Co",
    '=HYPERLINK("http://evil.example")',
    "+33 1 23",
    "-1",
    "@SUM(A1)",
    "\tindented",
    "\rcarriage",
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
    lines = export.csv_lines(filterset.qs.iterator(chunk_size=7), delimiter=delimiter)
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


def test_database_export_same_bytes_in_small_chunks(client, hostile_meetings, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_LINES_PER_CHUNK", 3)

    assert database_file(client, {}) == python_file({}, ",")


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
