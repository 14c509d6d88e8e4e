"""The public CSV export of meetings, written by Python or by PostgreSQL behind one interface.

Both writers give the same bytes for the same rows (tests compare them on hostile data): the
columns and cells of `meetings.table`, in the format of `core.csv`. `meeting_csv_writer()` picks
the fastest one the database allows; each yields the file (byte-order mark and header first).
"""

from collections.abc import Iterator
from typing import Protocol

from django.db import connections
from django.db.models import QuerySet

from core.csv import copied_lines, csv_lines, sql_cell
from meetings.table import COLUMNS, NOT_TEXT, row_values, stored_sql_source


class MeetingCsvWriter(Protocol):
    def chunks(self, meetings: QuerySet, *, delimiter: str = ",") -> Iterator[str | bytes]:
        """The file of these meetings, in their order, as text or bytes to send as they come."""


class PythonCsvWriter:
    """Reads the meetings in batches (memory holds one, whatever the row count) and writes each row."""

    def __init__(self, *, batch_size: int = 500):
        self.batch_size = batch_size

    def chunks(self, meetings: QuerySet, *, delimiter: str = ",") -> Iterator[str]:
        return csv_lines(
            meetings.iterator(chunk_size=self.batch_size), columns=COLUMNS, row=row_values, delimiter=delimiter
        )


# Formats of the columns that are not text, as csv_lines writes them, in the session COPY runs in (ISO
# dates, UTC: core.csv.COPY_SETTINGS); far cheaper than to_char(). A time prints as HH:MM:SS (and a
# fraction), an instant as "YYYY-MM-DD HH:MM:SS+00" (and a fraction before the zone): its first 19
# characters (a cast to varchar(19) cuts the rest, cheaper than left()) hold one space, between the day
# and the time, which replace() turns into a T in one string. NULL stays NULL: an empty cell.
_DATABASE_FORMATS = {
    "date": "{}",
    "start_local": "left({}::text, 5)",
    "end_local": "left({}::text, 5)",
    "start_utc": "replace({}::text::varchar(19), ' ', 'T') || 'Z'",
    "end_utc": "replace({}::text::varchar(19), ' ', 'T') || 'Z'",
}


def database_csv_query(meetings: QuerySet) -> tuple[str, list]:
    """SQL whose columns are the file's cells, for COPY's CSV format to quote, in the queryset's order and
    with its filters."""
    rows = stored_sql_source(meetings, cell=sql_cell)
    cells = [
        _DATABASE_FORMATS[column].format(value) if column in NOT_TEXT else value
        for column, value in rows.values.items()
    ]
    return rows.select_keys_first(cells), rows.params


class DatabaseCsvWriter:
    """PostgreSQL computes every cell and writes each line (COPY TO STDOUT in CSV format); Python only hands
    on chunks of about `chunk_bytes` of lines, at most `chunks_ahead` ahead (see core.csv.copied_lines)."""

    def __init__(self, *, chunk_bytes: int = 256 * 1024, chunks_ahead: int = 4):
        self.chunk_bytes, self.chunks_ahead = chunk_bytes, chunks_ahead

    def chunks(self, meetings: QuerySet, *, delimiter: str = ",") -> Iterator[bytes]:
        yield next(csv_lines((), columns=COLUMNS, row=row_values, delimiter=delimiter)).encode()
        sql, params = database_csv_query(meetings)
        yield from copied_lines(
            using=meetings.db,
            sql=sql,
            params=params,
            delimiter=delimiter,
            chunk_bytes=self.chunk_bytes,
            chunks_ahead=self.chunks_ahead,
        )


def meeting_csv_writer(
    using: str = "default", *, batch_size: int = 500, chunk_bytes: int = 256 * 1024
) -> MeetingCsvWriter:
    """PostgreSQL's own writer where the database is PostgreSQL, Python's elsewhere."""
    if connections[using].vendor == "postgresql":
        return DatabaseCsvWriter(chunk_bytes=chunk_bytes)
    return PythonCsvWriter(batch_size=batch_size)
