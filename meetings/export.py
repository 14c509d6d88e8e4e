"""The public CSV export of meetings: its columns, one meeting's row, and the lines of the file.

Column names are stable and documented in the README ("CSV export"). Cells hold codes and data,
never interface text, so a file reads the same whatever the language of whoever downloaded it.
"""

import contextlib
import csv
import datetime
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db import connections, transaction
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from contacts.models import Organization, Person
from contacts.privacy import PublicName, public_names, representatives

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
LINE_END = "\r\n"
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
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)
    yield BYTE_ORDER_MARK + writer.writerow(columns)
    for meeting in meetings:
        yield writer.writerow(row(meeting))


# On PostgreSQL the database writes each finished line itself (database_csv_chunks): the same cells,
# quoting and line ends as csv_lines, at the database's speed; Python only hands on what COPY sends.

_ORGANIZATION_MARK, _COUNT_MARK, _SOME_COUNT = "\x01", "\x02", 987654321


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_neutral(column: str) -> str:
    """A text column's value as neutralise() gives it; ascii() compares a code, far cheaper than left()."""
    starts = ", ".join(str(ord(start)) for start in FORMULA_STARTS)
    return f"CASE WHEN ascii({column}) IN ({starts}) THEN '''' || {column} ELSE {column} END"


def _sql_quoted(column: str, delimiter: str) -> str:
    """A text column's cell as csv_lines writes it: neutralised, then quoted if it holds the separator,
    a double quote or a line break. `column` is a plain reference, cheap to repeat."""
    special = " OR ".join(f"strpos({column}, {_sql_text(char)}) > 0" for char in (delimiter, '"', "\r", "\n"))
    neutral = _sql_neutral(column)
    return f"""CASE WHEN {special} THEN '"' || replace({neutral}, '"', '""') || '"' ELSE {neutral} END"""


def _sql_people(side: str, organization: str) -> tuple[str, list[str]]:
    """One side's people as public_names gives them, aggregated from the participants `p` of a meeting."""
    # privacy.representatives' own English phrases, with marks where the count and the organization go.
    with translation.override("en"):
        stand_in = Organization(name=_ORGANIZATION_MARK)
        one = representatives(stand_in, 1)
        several = representatives(stand_in, _SOME_COUNT).replace(str(_SOME_COUNT), _COUNT_MARK)
    on_side = f"p.side = {_sql_text(side)}"
    separator = _sql_text(PEOPLE_SEPARATOR)
    hidden = f"count(*) FILTER (WHERE {on_side} AND NOT person.is_public)"
    sql = f"""concat_ws({separator},
        string_agg(person.name, {separator} ORDER BY p.id) FILTER (WHERE {on_side} AND person.is_public),
        CASE {hidden} WHEN 0 THEN NULL
            WHEN 1 THEN replace(%s, %s, {organization})
            ELSE replace(replace(%s, %s, {hidden}::text), %s, {organization}) END)"""
    return sql, [one, _ORGANIZATION_MARK, several, _COUNT_MARK, _ORGANIZATION_MARK]


def _raw_columns() -> dict[str, object]:
    """The meeting's own values, by column name (and its id), as the queryset reads them."""
    # Translated texts in English, as row_values reads them (no text in English reads as empty).
    return {
        "id": F("id"),
        "date": F("date"),
        "start_local": F("start_time"),
        "end_local": F("end_time"),
        "time_zone": F("time_zone"),
        "start_utc": F("starts_at"),
        "end_utc": F("ends_at"),
        "city": F("city"),
        "venue": Coalesce(F("venue__name"), Value("")),
        "venue_address": Coalesce(F("venue__address"), Value("")),
        "table": F("table"),
        "visit": Coalesce(F("delegation__title_en"), Value("")),
        "visit_slug": F("delegation__slug"),
        "delegation_organization": F("delegation_organization__name"),
        "host_organization": F("host_organization__name"),
        "sector": Coalesce(F("sector__name_en"), Value("")),
        "status": F("status"),
        "outcome": Coalesce(F("outcome_en"), Value(""), output_field=TextField()),
    }


def database_csv_source(meetings: QuerySet) -> tuple[dict[str, str], str, list]:
    """Each column's value in SQL, by its name in COLUMNS, and the FROM clause they read, with its params.

    The queryset gives the rows (filters, order, joins); the people of each meeting are aggregated beside.
    """
    columns = _raw_columns()
    # Each value an annotation named csv_<name>, for the SQL below to refer to (m.csv_date).
    raw = (
        meetings.select_related(None)
        .prefetch_related(None)
        .annotate(**{f"csv_{name}": value for name, value in columns.items()})
        .values_list(*(f"csv_{name}" for name in columns))
    )
    rows, params = raw.query.sql_with_params()
    delegates, delegates_params = _sql_people(MeetingParticipant.Side.DELEGATION, "m.csv_delegation_organization")
    hosts, hosts_params = _sql_people(MeetingParticipant.Side.HOST, "m.csv_host_organization")
    participant, person = MeetingParticipant._meta, Person._meta
    source = f"""({rows}) AS m
        CROSS JOIN LATERAL (
            SELECT {delegates} AS delegation_people, {hosts} AS host_people
            FROM {participant.db_table} AS p
            JOIN {person.db_table} AS person ON person.id = p.{participant.get_field("person").column}
            WHERE p.{participant.get_field("meeting").column} = m.csv_id
        ) AS people"""
    values = {column: f"people.{column}" if column.endswith("_people") else f"m.csv_{column}" for column in COLUMNS}
    return values, source, [*params, *delegates_params, *hosts_params]


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
    values, source, params = database_csv_source(meetings)
    cells = [
        _DATABASE_FORMATS[column].format(value) if column in _DATABASE_FORMATS else _sql_quoted(value, delimiter)
        for column, value in values.items()
    ]
    # One concat_ws() call, far cheaper than a chain of || (each copies the line so far). No cell is
    # NULL (see _raw_columns and the formats), so none is skipped.
    line = f"concat_ws({_sql_text(delimiter)}, {', '.join(cells)})"
    return f"SELECT {line} FROM {source}", params


# COPY's text format ends each row with a line feed and writes these characters of the line escaped.
_COPY_ESCAPES = {b"\\": b"\\", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
_COPY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_COPY_DONE = object()
COPY_THREAD_NAME = "csv-export-copy"


def _copy_rows_to_lines(rows: bytes) -> bytes:
    """Rows as COPY's text format writes them, turned into the file's lines: CRLF ends, no escapes."""
    # Every line feed COPY writes ends a row: one inside a cell comes escaped, as backslash-n.
    lines = rows.replace(b"\n", b"\r\n")
    if b"\\" in lines:
        lines = _COPY_ESCAPE.sub(lambda escape: _COPY_ESCAPES[escape.group(1)], lines)
    return lines


class _Stopped(Exception):
    pass


def _copy_out(cursor, sql: str, chunks: queue.Queue, stop: threading.Event, chunk_bytes: int) -> None:
    """Runs COPY (sql) TO STDOUT on a cursor whose connection nothing else uses meanwhile, putting about
    `chunk_bytes` of rows at a time into `chunks` (waiting while it is full), then _COPY_DONE, or the
    error that ended it."""
    rows, size = [], 0

    class Sink:
        def write(self, row: bytes) -> None:
            nonlocal size
            if stop.is_set():
                raise _Stopped
            rows.append(row)
            size += len(row)
            if size >= chunk_bytes:
                chunks.put(b"".join(rows))
                rows.clear()
                size = 0

    try:
        with cursor.db.wrap_database_errors:
            cursor.copy_expert(f"COPY ({sql}) TO STDOUT", Sink())
        if rows:
            chunks.put(b"".join(rows))
        chunks.put(_COPY_DONE)
    except BaseException as error:  # handed to the reading side, which raises it
        chunks.put(error)


def database_csv_chunks(
    meetings: QuerySet, *, delimiter: str = ",", chunk_bytes: int = 256 * 1024, chunks_ahead: int = 4
) -> Iterator[bytes]:
    """The file csv_lines writes, built by PostgreSQL: the header, then chunks of about `chunk_bytes` of lines.

    The lines come from `COPY (query) TO STDOUT`, the database's fastest way out, run by a thread
    while this generator hands on what it has read: the database writes the next lines while the
    worker sends the last ones, and holds at most `chunks_ahead` chunks. If the generator is closed
    early (the client went away), the query is cancelled and the thread waited for.

    Side effects: a transaction on the queryset's database for the length of the download, with JIT
    compilation off.
    """
    yield next(csv_lines((), delimiter=delimiter)).encode()
    sql, params = database_csv_query(meetings, delimiter=delimiter)
    connection = connections[meetings.db]
    with transaction.atomic(using=meetings.db, savepoint=False), connection.cursor() as cursor:
        # The plan of this long expression costs far more to compile than JIT saves (measured at
        # 170,000 rows: seconds of compiling for a query that runs in a few).
        cursor.execute("SET LOCAL jit = off")
        chunks, stop = queue.Queue(maxsize=chunks_ahead), threading.Event()
        copy = cursor.mogrify(sql, params).decode()
        copier = threading.Thread(
            target=_copy_out, args=(cursor, copy, chunks, stop, chunk_bytes), name=COPY_THREAD_NAME, daemon=True
        )
        copier.start()
        try:
            while (chunk := chunks.get()) is not _COPY_DONE:
                if isinstance(chunk, BaseException):
                    raise chunk
                yield _copy_rows_to_lines(chunk)
        finally:
            if copier.is_alive():
                stop.set()
                cursor.connection.cancel()
                while copier.is_alive() or not chunks.empty():
                    with contextlib.suppress(queue.Empty):
                        chunks.get(timeout=0.1)
            copier.join()
