"""core.admin_rows: a row's address from the pattern reversed once, the same as reverse()'s; a cell's
text escaped as conditional_escape escapes it."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.admin_rows import escaped, id_url, uri


@pytest.mark.parametrize("pk", [1, 7, 1234567890123])
@pytest.mark.parametrize("viewname", ["admin:meetings_meeting_change", "admin:meetings_meeting_record_outcome"])
def test_id_url_equals_reverse(viewname, pk):
    assert id_url(viewname, pk) == reverse(viewname, args=[pk])


def test_id_url_follows_the_script_prefix_and_language():
    try:
        set_script_prefix("/staff/")
        with translation.override("fr"):
            assert id_url("admin:meetings_meeting_change", 5) == "/staff/admin/meetings/meeting/5/change/"
    finally:
        clear_script_prefix()
    assert id_url("admin:meetings_meeting_change", 5) == "/admin/meetings/meeting/5/change/"


@pytest.mark.parametrize("pk", ["a/b", "x_y", -3])
def test_id_url_reverses_other_ids_itself(pk):
    assert id_url("admin:meetings_meeting_change", pk) == reverse("admin:meetings_meeting_change", args=[pk])


class Named:
    def __str__(self):
        return 'Gov <i>&</i> "O\'Brien"'


@pytest.mark.parametrize(
    "value",
    [
        '<b>"Baikal" & Sons\'</b>',
        mark_safe("<b>kept</b>"),
        gettext_lazy("Select this object for an action - {}"),
        lazy(lambda: "<i>lazy</i>", str)(),
        lazy(lambda: mark_safe("<i>lazy, safe</i>"), SafeString)(),
        Named(),
        12,
        None,
        "",
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_escaped_equals_conditional_escape(value, language):
    with translation.override(language):
        assert escaped(value) == conditional_escape(value)


@pytest.mark.parametrize(
    "iri",
    [
        "?status__exact=held&q=a%26b+%22c%22+%C3%A9",
        "?city__exact=Saint-%C3%89tienne&o=2.-1&p=2",
        "?q=Saint-Étienne &amp; <Co>",
        '?q=a"b`c{d}|e^f\\g',
        "?",
        "",
        "/admin/x/?a=[1]&b=(2)*;$:@~!',#top",
        mark_safe("?q=a&b"),
        gettext_lazy("Record outcome"),
    ],
)
def test_uri_equals_iri_to_uri(iri):
    assert uri(iri) == iri_to_uri(iri)
    assert escaped(uri(iri)) == conditional_escape(iri_to_uri(iri))
