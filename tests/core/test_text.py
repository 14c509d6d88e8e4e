import pytest

from core.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Centre Léon-Bérard", "centre leon berard"),
        ("  LYON  ", "lyon"),
        ("Сергей Левченко", "сергей левченко"),
        ("Иркутской области", "иркутской области"),  # й keeps its breve: a letter of its own
        ("Nordlicht Biotech GmbH & Co.", "nordlicht biotech gmbh co"),
        ("O'Brien_Straße", "o brien strasse"),
        ("!!!", ""),
    ],
)
def test_fold_ignores_case_accents_and_punctuation_in_any_script(text, folded):
    assert fold(text) == folded
