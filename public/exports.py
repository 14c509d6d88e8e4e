"""The public CSV export of meetings, written by Python or by PostgreSQL behind one interface.

Both writers give the same bytes for the same rows (tests compare them on hostile data): the
columns and cells of `meetings.table`, in the format of `core.csv`. `meeting_csv_writer()` picks
the fastest one the database allows; each yields the file (byte-order mark and header first).
"""

from collections.abc import Iterator
from typing import Protocol

from django.db import connections
from django.db.models import QuerySet

from core.csv import copied_lines, csv_lines, sql_quoted, sql_text
from meetings.table import COLUMNS, row_values, sql_source


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


_UTC = """'YYYY-MM-DD"T"HH24:MI:SS"Z"'"""
_DATABASE_FORMATS = {
    "date": "to_char({}, 'YYYY-MM-DD')",
    "start_local": "coalesce(to_char({}, 'HH24:MI'), '')",
    "end_local": "coalesce(to_char({}, 'HH24:MI'), '')",
    "start_utc": f"coalesce(to_char({{}} AT TIME ZONE 'UTC', {_UTC}), '')",
    "end_utc": f"coalesce(to_char({{}} AT TIME ZONE 'UTC', {_UTC}), '')",
}


def database_csv_query(meetings: QuerySet, *, delimiter: str) -> tuple[str, list]:
    """SQL whose rows are the file's data lines without their line end, in the queryset's order and
    with its filters."""
    values, source, params = sql_source(meetings)
    cells = [
        _DATABASE_FORMATS[column].format(value) if column in _DATABASE_FORMATS else sql_quoted(value, delimiter)
        for column, value in values.items()
    ]
    # One concat_ws() call, far cheaper than a chain of || (each copies the line so far). No cell is
    # NULL (see meetings.table and the formats), so none is skipped.
    line = f"concat_ws({sql_text(delimiter)}, {', '.join(cells)})"
    return f"SELECT {line} FROM {source}", params


class DatabaseCsvWriter:
    """PostgreSQL computes every cell and writes each finished line (COPY TO STDOUT); Python only hands
    on chunks of about `chunk_bytes` of lines, at most `chunks_ahead` ahead (see core.csv.copied_lines)."""

    def __init__(self, *, chunk_bytes: int = 256 * 1024, chunks_ahead: int = 4):
        self.chunk_bytes, self.chunks_ahead = chunk_bytes, chunks_ahead

    def chunks(self, meetings: QuerySet, *, delimiter: str = ",") -> Iterator[bytes]:
        yield next(csv_lines((), columns=COLUMNS, row=row_values, delimiter=delimiter)).encode()
        sql, params = database_csv_query(meetings, delimiter=delimiter)
        yield from copied_lines(
            using=meetings.db, sql=sql, params=params, chunk_bytes=self.chunk_bytes, chunks_ahead=self.chunks_ahead
        )


def meeting_csv_writer(
    using: str = "default", *, batch_size: int = 500, chunk_bytes: int = 256 * 1024
) -> MeetingCsvWriter:
    """PostgreSQL's own writer where the database is PostgreSQL, Python's elsewhere."""
    if connections[using].vendor == "postgresql":
        return DatabaseCsvWriter(chunk_bytes=chunk_bytes)
    return PythonCsvWriter(batch_size=batch_size)
