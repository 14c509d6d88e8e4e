"""The name matcher judged on a labelled set, through the match_names command staff can run themselves."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contacts.identity import names_decide, search_keys

PAIRS = Path(__file__).with_name("identity_pairs.tsv")


def labelled_pairs() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(tuple(line.split("\t")))
    return rows


def test_match_names_precision_and_recall_on_the_labelled_pairs():
    pairs = labelled_pairs()
    assert len(pairs) >= 200
    assert {kind for _, _, kind, _ in pairs} == {"person", "organization"}
    out = StringIO()
    call_command("match_names", str(PAIRS), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(pairs)
    true_positives = false_positives = false_negatives = 0
    for (name_a, name_b, _kind, label), line in zip(pairs, lines, strict=True):
        out_a, out_b, score, decision = line.split("\t")
        assert (out_a, out_b) == (name_a, name_b)
        assert 0 <= float(score) <= 100
        true_positives += decision == "same" and label == "same"
        false_positives += decision == "same" and label == "different"
        false_negatives += decision == "different" and label == "same"
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    print(f"match_names on {len(pairs)} labelled pairs: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95
    assert recall >= 0.95


def test_match_names_prints_the_admins_decision(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("LEVCHENKO Sergey\tСергей Левченко\tperson\nRosneft\tRosneftegaz\torganization\n", "utf-8")
    out = StringIO()
    call_command("match_names", str(pairs), stdout=out)
    assert out.getvalue() == ("LEVCHENKO Sergey\tСергей Левченко\t100.0\tsame\nRosneft\tRosneftegaz\t60.0\tdifferent\n")
    assert names_decide("LEVCHENKO Sergey", "Сергей Левченко", kind="person").same
    assert not names_decide("Rosneft", "Rosneftegaz", kind="organization").same


def test_match_names_bad_lines_are_named_by_number(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("# comment\nA\tB\tperson\nonly one column\n\tB\tperson\nA\tB\tcompany\n", "utf-8")
    with pytest.raises(CommandError) as error:
        call_command("match_names", str(pairs), stdout=StringIO())
    assert str(error.value) == (
        "Line 3: expected 3 columns separated by tabs (name_a, name_b, kind), found 1.\n"
        "Line 4: a name is empty.\n"
        "Line 5: the kind must be person or organization, not “company”."
    )


def test_match_names_refuses_a_file_that_is_not_utf8(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_bytes("Левченко\tLevchenko\tperson\n".encode("cp1251"))
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        call_command("match_names", str(pairs), stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("match_names", str(tmp_path / "missing.tsv"), stdout=StringIO())


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (("Levtchenko", "Levchenko", "Lewtschenko", "Левченко"), "levXenko"),
        (("Sergueï", "Sergei", "Sergey", "Sergej", "Сергей"), "sergei"),
        (("Fiodor", "Fyodor", "Fjodor", "Фёдор", "Федор"), "fedor"),
        (("Tsvetaeva", "Zwetajewa", "Цветаева"), "svetaeva"),
        (("Iouri", "Yuri", "Juri", "Юрий", "Yuriy"), "iuri"),
        (("Zelenskyy", "Selenskyj", "Зеленський", "Zelensky"), "selenski"),
    ],
)
def test_spellings_of_one_word_share_one_key(spellings, key):
    assert {search_keys(spelling) for spelling in spellings} == {key}
