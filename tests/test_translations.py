"""The French translation: complete, faithful to its placeholders, compiled, and what the pages show."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

PO_FILE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(0)), text[1:-1])


def catalog(path: Path = PO_FILE) -> list[Entry]:
    """The .po file's entries, header included (msgid ""); obsolete (#~) entries are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, keyword = set(), {}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith('"'):
                fields[keyword] += unquote(line)
            elif not line.startswith("#"):
                keyword, text = line.split(" ", 1)
                fields[keyword] = unquote(text)
        if "msgid" in fields:
            msgstr = {int(key[7:-1]): value for key, value in fields.items() if key.startswith("msgstr[")}
            if "msgstr" in fields:
                msgstr[0] = fields["msgstr"]
            entries.append(Entry(flags, fields["msgid"], fields.get("msgctxt"), fields.get("msgid_plural"), msgstr))
    return entries


def messages() -> list[Entry]:
    return [entry for entry in catalog() if entry.msgid]


def test_french_catalog_has_messages_and_the_french_plural_rule():
    header = catalog()[0]
    assert header.msgid == ""
    assert "Language: fr\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header.msgstr[0]
    assert len(messages()) > 400


def test_french_catalog_has_no_fuzzy_or_untranslated_entry():
    assert [entry.msgid for entry in catalog() if "fuzzy" in entry.flags] == []
    untranslated = [
        entry.msgid
        for entry in messages()
        if sorted(entry.msgstr) != ([0, 1] if entry.msgid_plural else [0]) or not all(entry.msgstr.values())
    ]
    assert untranslated == []


def test_french_translations_keep_their_placeholders():
    wrong = []
    for entry in messages():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for index, source in enumerate(sources):
            if sorted(PLACEHOLDER.findall(entry.msgstr.get(index, ""))) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(entry.msgid)
    assert wrong == []


def test_french_compiled_catalog_matches_the_po_file():
    """A stale django.mo (compilemessages forgotten) would serve old or English text."""
    stale = []
    with translation.override("fr"):
        for entry in messages():
            if entry.msgid_plural and entry.msgctxt:
                served = [translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
                expected = [entry.msgstr[0], entry.msgstr[1]]
            elif entry.msgid_plural:
                served = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
                expected = [entry.msgstr[0], entry.msgstr[1]]
            elif entry.msgctxt:
                served, expected = translation.pgettext(entry.msgctxt, entry.msgid), entry.msgstr[0]
            else:
                served, expected = translation.gettext(entry.msgid), entry.msgstr[0]
            if served != expected:
                stale.append(entry.msgid)
    assert stale == []


def test_itinerary_reads_in_french(client, demo):
    with translation.override("fr"):
        response = client.get(reverse("public:visit-detail", args=[demo.slug]), HTTP_ACCEPT_LANGUAGE="fr")
    assertContains(response, '<html lang="fr">')
    assertContains(response, '<h2 id="programme-title">Programme</h2>', html=False)
    assertContains(response, "<dt>Chef de délégation</dt>", html=False)
    assertContains(response, '<h3 class="day__title">lundi 26 novembre 2018</h3>', html=False)
    assertContains(response, '<span class="item__tba">Heure non communiquée</span>', html=False)
    assertContains(response, "<dd>plus de 100 participants</dd>", html=False)
    assertContains(response, "<dd>12 rencontres signalées</dd>", html=False)
    assertContains(response, "S'abonner au calendrier</a>", html=False)
    assertNotContains(response, "Time not announced")
    assertNotContains(response, "Head of delegation")


def test_outcomes_read_in_french(client, demo):
    with translation.override("fr"):
        response = client.get(reverse("public:visit-outcomes", args=[demo.slug]), HTTP_ACCEPT_LANGUAGE="fr")
    assertContains(response, '<p class="outcome__kind">Accord tripartite · Signé</p>', html=False)
    assertContains(response, '<h2 id="follow-ups-title">Suites</h2>', html=False)
    assertContains(response, "12 signalées lors de")


@pytest.mark.parametrize(("count", "text"), [(0, "0 rencontre"), (1, "1 rencontre"), (2, "2 rencontres")])
def test_french_plural_counts_zero_as_singular(count, text):
    with translation.override("fr"):
        assert translation.ngettext("%(counter)s meeting", "%(counter)s meetings", count) % {"counter": count} == text
