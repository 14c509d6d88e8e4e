"""The files the organization and people lists are imported from, read as staff save them.

django-import-export's own CSV format decodes with one fixed encoding, and its .xlsx format reads a formula
cell as the value last calculated; these read a CSV in any encoding and separator core.csvfiles reads
(the visit workbook reads the same), and a formula as its text, never calculated. A file that is not what
its format says is refused with a message, as is a header naming a column the list does not have."""

import csv
import io
import zipfile

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from core.csvfiles import csv_rows, unneutralised


class ListFileRefused(ValueError):
    """The file cannot be read as the chosen format; the message says why, for staff."""


def _cell(value):
    return unneutralised(value.strip()) if isinstance(value, str) else value


def _dataset(rows) -> tablib.Dataset:
    """A dataset from rows of cells, its first row the column names; empty rows left out, short rows padded."""
    rows = iter(rows)
    headers = [str(_cell(value) or "") for value in next(rows, None) or ()]
    while headers and not headers[-1]:
        headers.pop()
    dataset = tablib.Dataset(headers=headers)
    for values in rows:
        cells = [_cell(value) for value in values][: len(headers)]
        if any(cell not in (None, "") for cell in cells):
            dataset.append(cells + [""] * (len(headers) - len(cells)))
    return dataset


class ListCSV(base_formats.CSV):
    """CSV read from its bytes, whatever its encoding and separator."""

    def is_binary(self):
        return True  # the bytes reach create_dataset undecoded

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        if data.startswith((b"PK", b"%PDF", b"\xd0\xcf\x11\xe0")) or b"\0" in data[:4096]:
            raise ListFileRefused(_("This file is not a CSV file: save it as CSV, or choose its format (xlsx)."))
        try:
            return _dataset(csv_rows(data))
        except csv.Error as error:
            raise ListFileRefused(_("This file is not valid CSV: %(error)s") % {"error": error}) from None


class ListXLSX(base_formats.XLSX):
    """The first sheet of an .xlsx, its formulas read as their text (data_only=False: never calculated)."""

    def create_dataset(self, in_stream):
        import openpyxl

        if not in_stream.startswith(b"PK"):
            raise ListFileRefused(_("This file is not an Excel workbook (.xlsx): save it as .xlsx, or as CSV."))
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=False)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ListFileRefused(
                _("This workbook cannot be opened: save it again as .xlsx from your spreadsheet.")
            ) from None
        try:
            return _dataset(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()


def columns_problem(dataset: tablib.Dataset, resource) -> str:
    """What is wrong with the file's columns for `resource` ("" when nothing): a column the list does not
    have (a typo would otherwise be ignored without a word), a column named twice, or no name column."""
    known = [field.column_name for field in resource.get_import_fields()]
    headers = list(dataset.headers or [])
    unknown = [header for header in headers if header not in known]
    if unknown:
        return _("Unknown columns: %(unknown)s. The columns of this list are: %(known)s.") % {
            "unknown": ", ".join(f"“{header}”" for header in unknown) or "“”",
            "known": ", ".join(known),
        }
    twice = sorted({header for header in headers if headers.count(header) > 1})
    if twice:
        return _("These columns are named twice: %(columns)s.") % {"columns": ", ".join(twice)}
    if "name" not in headers and "id" not in headers:
        return _("The file has no column “name”: the first row names the columns (%(known)s).") % {
            "known": ", ".join(known)
        }
    return ""
