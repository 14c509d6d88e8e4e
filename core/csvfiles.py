"""Reading CSV files as people save them from their spreadsheet: UTF-8 with or without a byte-order mark,
or the Windows code page of a Russian (1251) or Western (1252) Excel; a comma or a semicolon (the separator
of Excel where the comma is the decimal mark, as in France and Russia). Shared by every importer."""

import csv
import io
import re

from .csv import neutralise

ENCODINGS = ("utf-8-sig", "cp1251", "cp1252")
_WORD = re.compile(r"[^\W\d_]{2,}")


def csv_decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without its byte-order mark), else Windows-1251 (Cyrillic) or
    Windows-1252 (Western), whichever reads as words rather than mojibake."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    cyrillic = data.decode("cp1251", errors="replace")
    western = data.decode("cp1252", errors="replace")
    # Russian read as Windows-1252 gives words made only of accented letters ("Ñåðãåé"); French words
    # keep some plain letters ("Lefèvre"), and read as Windows-1251 turn into Cyrillic mixed with Latin.
    mojibake = sum(1 for word in _WORD.findall(western) if not any(c.isascii() for c in word))
    mixed = sum(1 for word in _WORD.findall(cyrillic) if _mixes_scripts(word))
    return cyrillic if mojibake > mixed else western


def _mixes_scripts(word: str) -> bool:
    return any(c.isascii() for c in word) and any("\u0400" <= c <= "\u04ff" for c in word)


def csv_delimiter(text: str) -> str:
    """The separator of the file: a semicolon when its first line has more of them than commas."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_rows(data: bytes):
    """The rows of a CSV file's bytes, as lists of text, in whichever encoding and separator it was saved.
    Raises csv.Error on a malformed file (e.g. a quote never closed)."""
    text = csv_decode(data)
    return csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))


def unneutralised(text: str) -> str:
    """A cell's text without the quote core.csv.neutralise() wrote before a formula-like value on export."""
    return text[1:] if text.startswith("'") and neutralise(text[1:]) == text else text
