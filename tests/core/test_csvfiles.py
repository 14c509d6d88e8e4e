"""CSV files as spreadsheets save them, read from their real bytes: every encoding and separator staff send."""

import pytest

from core.csvfiles import csv_decode, csv_rows

# "Сергей Левченко;Иркутск" as Windows-1251, and "Zoé Lefèvre,Société Générale" as Windows-1252, byte by byte.
CP1251 = b"\xd1\xe5\xf0\xe3\xe5\xe9 \xcb\xe5\xe2\xf7\xe5\xed\xea\xee;\xc8\xf0\xea\xf3\xf2\xf1\xea\r\n"
CP1252 = b"Zo\xe9 Lef\xe8vre,Soci\xe9t\xe9 G\xe9n\xe9rale\r\n"
UTF8 = b"Zo\xc3\xa9 Lef\xc3\xa8vre;\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb3\xd0\xb5\xd0\xb9\r\n"


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        (CP1251, [["Сергей Левченко", "Иркутск"]]),
        (CP1252, [["Zoé Lefèvre", "Société Générale"]]),
        (UTF8, [["Zoé Lefèvre", "Сергей"]]),
        (b"\xef\xbb\xbf" + UTF8, [["Zoé Lefèvre", "Сергей"]]),
        (b'name,title\r\n"Dupont; Martin",Maire\r\n', [["name", "title"], ["Dupont; Martin", "Maire"]]),
        (b'name;title\r\n"Dupont, Martin";Maire\r\n', [["name", "title"], ["Dupont, Martin", "Maire"]]),
    ],
)
def test_csv_rows_read_every_encoding_and_separator(data, rows):
    assert list(csv_rows(data)) == rows


def test_french_with_few_accents_is_not_read_as_cyrillic():
    assert csv_decode(b"Lef\xe8vre,Paris\r\n") == "Lefèvre,Paris\r\n"


def test_formula_is_read_as_its_text():
    assert list(csv_rows(b'title\r\n=HYPERLINK("http://x";"y")\r\n')) == [["title"], ['=HYPERLINK("http://x";"y")']]
    assert list(csv_rows(b"title,n\r\n=1+1,2\r\n")) == [["title", "n"], ["=1+1", "2"]]
