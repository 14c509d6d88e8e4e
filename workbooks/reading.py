"""An uploaded workbook (.xlsx) or set of .csv files, read into rows of text per sheet, or refused with a
message a person understands. Nothing here touches the database.

An .xlsx is streamed (openpyxl's read-only mode), its formulas read as their text (data_only=False: never
calculated); a sheet longer than MAX_ROWS is refused when the reader reaches that row, without reading on.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from django.utils.translation import gettext as _

from core.csv import FORMULA_STARTS, QUOTES

from .sheets import SHEETS

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


class WorkbookRefused(Exception):
    """The upload cannot be read at all; the message says why, for staff."""


@dataclass
class Sheet:
    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number in the file, cells)


def cell_text(value) -> str:
    """A cell as the text the importer reads: dates as 2018-11-26, times as 14:30, whole numbers without
    ".0"; the quote written before a formula-like text on export taken off again."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and (text[1:].startswith(FORMULA_STARTS) or text[1] in QUOTES):
        return text[1:]
    return text


def _sheet(name: str, rows) -> Sheet:
    """A sheet from an iterator of rows of cells, its first row the column names."""
    header = next(rows, None)
    columns = [cell_text(value) for value in header or ()]
    while columns and not columns[-1]:
        columns.pop()
    sheet = Sheet(name=name, columns=columns)
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise WorkbookRefused(
                _("The sheet “%(sheet)s” has more than %(limit)s rows: split it into several uploads.")
                % {"sheet": name, "limit": f"{MAX_ROWS:,}"}
            )
        cells = [cell_text(value) for value in values]
        if any(cells):
            sheet.rows.append((number, dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=False))))
    return sheet


def _merged_ranges(data: bytes) -> dict[str, list[str]]:
    """Merged ranges per worksheet part of the .xlsx (read from its XML: the streaming reader ignores them)."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                ranges = [match.decode() for match in _MERGE.findall(archive.read(name))]
                if ranges:
                    found[name] = ranges
    return found


def read_xlsx(data: bytes) -> dict[str, Sheet]:
    if not data.startswith(b"PK"):
        raise WorkbookRefused(_("This file is not an Excel workbook (.xlsx) nor a CSV file."))
    try:
        merged = _merged_ranges(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise WorkbookRefused(
            _("This workbook cannot be opened: save it again as .xlsx from your spreadsheet.")
        ) from None
    sheets = {}
    try:
        for worksheet in book.worksheets:
            if worksheet.title not in SHEETS:
                continue  # the instructions, or the staff's own notes
            ranges = merged.get(getattr(worksheet, "_worksheet_path", "").lstrip("/"), [])
            if ranges:
                raise WorkbookRefused(
                    _("The sheet “%(sheet)s” has merged cells (%(ranges)s): unmerge them and upload again.")
                    % {"sheet": worksheet.title, "ranges": ", ".join(ranges[:5])}
                )
            sheets[worksheet.title] = _sheet(worksheet.title, worksheet.iter_rows(values_only=True))
    finally:
        book.close()
    return sheets


def decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without its byte-order mark), else Windows-1251 (Cyrillic) or
    Windows-1252 (Western), whichever reads as words rather than mojibake."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    cyrillic = data.decode("cp1251", errors="replace")
    western = data.decode("cp1252", errors="replace")
    # Russian read as Windows-1252 gives words made only of accented letters ("Ñåðãåé"), French almost none.
    mojibake = sum(1 for word in re.findall(r"[^\W\d_]{2,}", western) if not any(c.isascii() for c in word))
    return cyrillic if mojibake else western


def read_csv(name: str, data: bytes) -> Sheet:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return _sheet(name, iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error as error:
        raise WorkbookRefused(
            _("The file %(name)s is not valid CSV: %(error)s") % {"name": name, "error": error}
        ) from None


def read_upload(files: list[tuple[str, bytes]]) -> dict[str, Sheet]:
    """The sheets of one .xlsx, or of .csv files each named after its sheet (people.csv)."""
    if sum(len(data) for _name, data in files) > MAX_BYTES:
        raise WorkbookRefused(_("The upload is larger than %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)})
    sheets: dict[str, Sheet] = {}
    for name, data in files:
        suffix = PurePath(name).suffix.lower()
        if suffix == ".xlsx" and len(files) == 1:
            return read_xlsx(data)
        if suffix != ".csv":
            raise WorkbookRefused(
                _("“%(name)s” is neither an .xlsx workbook nor a .csv file.") % {"name": PurePath(name).name}
            )
        stem = PurePath(name).stem.lower()
        if stem not in SHEETS:
            raise WorkbookRefused(
                _("“%(name)s”: name each CSV file after its sheet (%(sheets)s).")
                % {"name": PurePath(name).name, "sheets": ", ".join(f"{sheet}.csv" for sheet in SHEETS)}
            )
        sheets[stem] = read_csv(stem, data)
    return sheets
