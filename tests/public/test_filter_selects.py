"""The meeting list's visit select (public.filters.VisitSelect) reads plain values and writes its options in one
pass; it must write what Django's own Select writes for the same field, in each language, selected or not, with
hostile titles and titles missing in a language."""

import datetime

import pytest
from django import forms
from django.utils import translation

from public.filters import MeetingFilter, escaped_texts
from tests.factories import DelegationFactory


@pytest.fixture
def visits(db):
    DelegationFactory(
        is_published=True,
        slug="baikal",
        title="Baikal <Water> & \"Sons\" 'n' “Co”",
        title_fr="Baïkal <Eau> & fils",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 5),
    )
    DelegationFactory(
        is_published=True,
        slug="amur",
        title="Amur",
        title_ru="Амур",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 2),
    )
    DelegationFactory(
        is_published=True,
        slug="lena",
        title="Lena & co",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 1, 3),
    )
    DelegationFactory(is_published=False, slug="draft", title="Draft")


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("chosen", ["", "amur", "lena", "unknown"])
def test_visit_select_writes_what_djangos_select_writes(visits, language, chosen):
    with translation.override(language):
        data = {"delegation": chosen} if chosen else {}
        form, djangos = MeetingFilter(data).form, MeetingFilter(data).form
        field = djangos.fields["delegation"]
        field.widget = forms.Select()
        field.widget.choices = field.choices

        assert str(form["delegation"]) == str(djangos["delegation"])


def test_escaped_texts_escape_each_text_as_html_escape_does():
    texts = ["", "a & b", '<"q">', "'", "plain"]

    assert escaped_texts(texts) == ["", "a &amp; b", "&lt;&quot;q&quot;&gt;", "&#x27;", "plain"]
    assert escaped_texts(["a\x00b", "<"]) == ["a\x00b", "&lt;"]
