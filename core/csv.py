"""CSV files as spreadsheets read them safely, written by Python or by PostgreSQL itself.

The format (RFC 4180: CRLF, quotes doubled, a byte-order mark for Excel) and OWASP's formula
neutralisation, for any table of cells; and the machinery that streams `COPY (query) TO STDOUT`
out of PostgreSQL while the worker sends what it has read. Which columns a file has, and what
goes in them, is said by its caller.
"""

import contextlib
import csv
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db import connections, transaction

# A spreadsheet may run a cell starting with one of these as a formula: OWASP's list (= + - @, tab,
# carriage return), the line feed, NUL, the pipe and percent of DDE payloads, and their full-width
# forms, which some spreadsheets fold to ASCII.
FORMULA_CHARACTERS = ("=", "+", "-", "@", "|", "%", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Some spreadsheets skip leading blanks (every Unicode space, a byte-order mark, zero-width characters)
# before reading a formula: a cell starting with one is neutralised too.
INVISIBLE_STARTS = (
    *(chr(code) for code in range(0x3001) if chr(code).isspace()),
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
)
FORMULA_STARTS = tuple(dict.fromkeys((*FORMULA_CHARACTERS, *INVISIBLE_STARTS)))
# A quote before a formula character may be dropped as text delimiter by a lenient reader.
QUOTES = ("'", '"')
BYTE_ORDER_MARK = "\ufeff"
LINE_END = "\r\n"
COPY_THREAD_NAME = "csv-export-copy"


def neutralise(value: str) -> str:
    """The value with a leading single quote if a spreadsheet could read it as a formula: it starts
    with a formula character or a blank, or with a quote followed by one of those."""
    risky = value.startswith(FORMULA_STARTS) or (value.startswith(QUOTES) and value[1:2].startswith(FORMULA_STARTS))
    return f"'{value}" if risky else value


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer to format one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    objects: Iterable, *, columns: Sequence[str], row: Callable[[object], Sequence[str]], delimiter: str = ","
) -> Iterator[str]:
    """The file line by line: a byte-order mark and the header, then `row(obj)` for each object."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)
    yield BYTE_ORDER_MARK + writer.writerow(columns)
    for obj in objects:
        yield writer.writerow(row(obj))


# The same cells in SQL, for PostgreSQL to write the lines itself.


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_cell(column: str) -> str:
    """A text column's value as COPY's CSV format must receive it to write the cell csv_lines writes:
    neutralised as neutralise() does it, and NULL when empty (COPY writes NULL as nothing, but quotes an
    empty string). COPY quotes the rest as csv_lines does: a value holding the separator, a double quote
    or a line break, its quotes doubled. `column` is a plain reference, cheap to repeat.

    ascii() compares a code, far cheaper than left(). PostgreSQL's text holds no NUL, and ascii('') is 0:
    the NUL start is left out of the list. Most values start with neither a formula character nor a
    quote: one test of their first code settles them, and only the others have their second read."""
    starts = ", ".join(str(ord(start)) for start in FORMULA_STARTS if start != "\0")
    quotes = ", ".join(str(ord(quote)) for quote in QUOTES)
    first, second = f"ascii({column})", f"ascii(substr({column}, 2))"
    # Past the first test the value starts with one or the other: risky if with a formula character,
    # or if the quote it starts with is followed by one.
    risky = f"{first} IN ({starts}) OR {second} IN ({starts})"
    return (
        f"CASE WHEN {first} IN ({starts}, {quotes}) THEN CASE WHEN {risky} THEN '''' || {column} ELSE {column} END"
        f" ELSE nullif({column}, '') END"
    )


# The session's settings for the COPY: dates, times and instants written in ISO form and in UTC (callers'
# formats rely on it); no JIT compilation (the plan of a long expression costs far more to compile than
# JIT saves: seconds for a query that runs in a few at 170,000 rows); a large export sorted in memory
# rather than on disk.
COPY_SETTINGS = {"DateStyle": "ISO", "TimeZone": "UTC", "jit": "off", "work_mem": "64MB"}
_COPY_DONE = object()
_CRLF = LINE_END.encode()


class _Stopped(Exception):
    pass


def _copy_out(cursor, copy: str, chunks: queue.Queue, stop: threading.Event, chunk_bytes: int) -> None:
    """Runs `copy` (a COPY … TO STDOUT in CSV format) on a cursor whose connection nothing else uses
    meanwhile, putting about `chunk_bytes` of CRLF-ended lines at a time into `chunks` (waiting while it
    is full), then _COPY_DONE, or the error that ended it."""
    rows, size = [], 0

    class Sink:
        # libpq hands COPY's output on one row at a time (PQgetCopyData), each ended by a line feed; a
        # line break inside a quoted cell is the cell's own. The row's end becomes CRLF.
        def write(self, row: bytes) -> None:
            nonlocal size
            if stop.is_set():
                raise _Stopped
            rows.append(row[:-1])
            size += len(row)
            if size >= chunk_bytes:
                rows.append(b"")
                chunks.put(_CRLF.join(rows))
                rows.clear()
                size = 0

    try:
        with cursor.db.wrap_database_errors:
            cursor.copy_expert(copy, Sink())
        if rows:
            rows.append(b"")
            chunks.put(_CRLF.join(rows))
        chunks.put(_COPY_DONE)
    except BaseException as error:  # handed to the reading side, which raises it
        chunks.put(error)


def copied_lines(
    *, using: str, sql: str, params: Sequence, delimiter: str, chunk_bytes: int, chunks_ahead: int
) -> Iterator[bytes]:
    """The rows of a query whose columns are a CSV file's cells (see sql_cell), as chunks of about
    `chunk_bytes` of CRLF-ended lines that PostgreSQL wrote.

    The lines come from `COPY (query) TO STDOUT` in CSV format, the database's fastest way out, run by a
    thread while this generator hands on what it has read: the database writes the next lines while the
    worker sends the last ones, and holds at most `chunks_ahead` chunks. If the generator is closed
    early (the client went away), the query is cancelled and the thread waited for.

    Side effects: a transaction on the `using` database for the length of the download, with
    COPY_SETTINGS.
    """
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        settings = ", ".join(f"set_config({sql_text(name)}, %s, true)" for name in COPY_SETTINGS)
        cursor.execute(f"SELECT {settings}", list(COPY_SETTINGS.values()))
        chunks, stop = queue.Queue(maxsize=chunks_ahead), threading.Event()
        copy = cursor.mogrify(
            f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER {sql_text(delimiter)})", params
        ).decode()
        copier = threading.Thread(
            target=_copy_out, args=(cursor, copy, chunks, stop, chunk_bytes), name=COPY_THREAD_NAME, daemon=True
        )
        copier.start()
        try:
            while (chunk := chunks.get()) is not _COPY_DONE:
                if isinstance(chunk, BaseException):
                    raise chunk
                yield chunk
        finally:
            if copier.is_alive():
                stop.set()
                cursor.connection.cancel()
                while copier.is_alive() or not chunks.empty():
                    with contextlib.suppress(queue.Empty):
                        chunks.get(timeout=0.1)
            copier.join()
