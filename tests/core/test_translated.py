"""A translated field read from plain values (core.translated) gives what an instance's field gives: the active
language's text, else the fallback language's, else the field's default, whichever of them is empty or missing."""

import itertools

import pytest
from django.utils import translation

from contacts.models import Position
from core.translated import TranslatedValue
from tests.factories import PositionFactory

TEXTS = (None, "", "Directeur")


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_translated_value_is_the_instances_in_every_language(db, language):
    positions = []
    for english, french, russian in itertools.product(TEXTS, repeat=3):
        position = PositionFactory()
        Position.objects.filter(pk=position.pk).update(title_en=english, title_fr=french, title_ru=russian)
        positions.append(position.pk)

    with translation.override(language):
        title = TranslatedValue(Position, "title")
        rows = Position.objects.filter(pk__in=positions).order_by("pk").raw_values("pk", *title.columns)

        assert [title(row) for row in rows] == [
            p.title for p in Position.objects.filter(pk__in=positions).order_by("pk")
        ]


def test_translated_value_reads_only_the_active_language_and_its_fallback(db):
    with translation.override("ru"):
        assert TranslatedValue(Position, "title").columns == ("title_ru", "title_en")
    with translation.override("en"):
        assert TranslatedValue(Position, "title").columns == ("title_en",)
