"""CSV files as staff save them from a spreadsheet, read back: in UTF-8 (with or without Excel's byte-order
mark), Windows-1251 (Cyrillic) or Windows-1252 (Western), separated by commas or semicolons. One reading
for every importer (the visit workbook's sheets, the contact lists), so that a file one accepts the other
accepts too."""

import csv
import io
import re

from .csv import neutralise

_WORD = re.compile(r"[^\W\d_]{2,}")


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without its byte-order mark), else Windows-1251 (Cyrillic) or
    Windows-1252 (Western), whichever reads as words rather than mojibake."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    cyrillic = data.decode("cp1251", errors="replace")
    western = data.decode("cp1252", errors="replace")
    # Russian read as Windows-1252 gives words made only of accented letters ("Ñåðãåé"), French almost none.
    mojibake = sum(1 for word in _WORD.findall(western) if not any(c.isascii() for c in word))
    return cyrillic if mojibake else western


def csv_delimiter(text: str) -> str:
    """The separator of the header line: a semicolon (French and Russian Excel) when it has more of them
    than commas, else a comma."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows of a CSV file, whatever its encoding and separator (above); csv.Error if it is not CSV."""
    text = decode_csv(data)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text)))


def unneutralised(text: str) -> str:
    """A cell's text without the quote core.csv.neutralise() wrote before a formula-like value on export."""
    return text[1:] if text.startswith("'") and neutralise(text[1:]) == text else text
