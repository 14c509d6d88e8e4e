"""The public CSV export of meetings: its columns, one meeting's row, and the lines of the file.

Column names are stable and documented in the README ("CSV export"). Cells hold codes and data,
never interface text, so a file reads the same whatever the language of whoever downloaded it.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.utils import translation

from contacts.privacy import PublicName, public_names

from .models import Meeting, MeetingParticipant

COLUMNS = (
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
)

# OWASP's list: a spreadsheet may run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
BYTE_ORDER_MARK = "\ufeff"
PEOPLE_SEPARATOR = "; "


def neutralise(value: str) -> str:
    """The value with a leading single quote if a spreadsheet could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def public_people(meeting: Meeting, side: str) -> list[PublicName]:
    """One side's people as the public may see them; uses the prefetched participants."""
    host = side == MeetingParticipant.Side.HOST
    organization = meeting.host_organization if host else meeting.delegation_organization
    return public_names((p.person, organization) for p in meeting.participants.all() if p.side == side)


def header() -> list[str]:
    return list(COLUMNS)


def local_clock(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def utc_instant(value: datetime.datetime | None) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def row_values(meeting: Meeting, *, people: Callable[[Meeting, str], Iterable] = public_people) -> list[str]:
    """The meeting's cells, in COLUMNS order, neutralised; `people` names one side's people (public ones by default)."""
    # English throughout, like the column names: the generated "a representative of X", and the
    # English text of translated content (visit title, sector, outcome), which is always complete.
    with translation.override("en"):
        delegates = PEOPLE_SEPARATOR.join(map(str, people(meeting, MeetingParticipant.Side.DELEGATION)))
        hosts = PEOPLE_SEPARATOR.join(map(str, people(meeting, MeetingParticipant.Side.HOST)))
        venue = meeting.venue
        values = (
            meeting.date.isoformat(),
            local_clock(meeting.start_time),
            local_clock(meeting.end_time),
            meeting.time_zone,
            utc_instant(meeting.starts_at),
            utc_instant(meeting.ends_at),
            meeting.city,
            venue.name if venue else "",
            venue.address if venue else "",
            meeting.table,
            meeting.delegation.title,
            meeting.delegation.slug,
            meeting.delegation_organization.name,
            delegates,
            meeting.host_organization.name,
            hosts,
            meeting.sector.name if meeting.sector else "",
            meeting.status,
            meeting.outcome,
        )
    return [neutralise(value) for value in values]


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer to format one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    meetings: Iterable[Meeting],
    *,
    delimiter: str = ",",
    columns: Sequence[str] = COLUMNS,
    row: Callable[[Meeting], list[str]] = row_values,
) -> Iterator[str]:
    """The file line by line (RFC 4180: CRLF, quotes doubled): a byte-order mark and header, then a row each."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield BYTE_ORDER_MARK + writer.writerow(columns)
    for meeting in meetings:
        yield writer.writerow(row(meeting))
