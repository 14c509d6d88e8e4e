"""Every shipped translation (each language of settings.LANGUAGES but the source English): complete against
the sources, faithful to its placeholders, compiled, and what the pages show."""

import datetime
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from pytest_django.asserts import assertContains, assertNotContains

BASE_DIR = Path(settings.BASE_DIR)
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|\{\w*\}")
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


def po_file(language: str, base: Path = BASE_DIR) -> Path:
    return base / "locale" / language / "LC_MESSAGES" / "django.po"


def catalog(path: Path) -> list[Entry]:
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


def messages(language: str) -> list[Entry]:
    return [entry for entry in catalog(po_file(language)) if entry.msgid]


def header(language: str) -> str:
    return catalog(po_file(language))[0].msgstr[0]


def plural_rule(language: str) -> tuple[int, object]:
    """The number of plural forms and the form each n takes, as the catalogue's header says."""
    rule = re.search(r"^Plural-Forms: nplurals=(\d+); plural=(.+?);?$", header(language), re.MULTILINE)
    return int(rule[1]), gettext.c2py(rule[2])


def key(entry: Entry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def untranslated(entries: list[Entry], forms: int) -> list[str]:
    return [
        entry.msgid
        for entry in entries
        if "fuzzy" in entry.flags
        or sorted(entry.msgstr) != (list(range(forms)) if entry.msgid_plural else [0])
        or not all(entry.msgstr.values())
    ]


def test_every_language_of_the_site_but_english_ships_a_catalogue():
    assert SHIPPED == ["fr", "ru"]
    assert [language for language in SHIPPED if not po_file(language).is_file()] == []


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_messages_and_its_languages_plural_rule(language):
    assert catalog(po_file(language))[0].msgid == ""
    assert f"Language: {language}\n" in header(language)
    assert f"Plural-Forms: {PLURAL_FORMS[language]}\n" in header(language)
    assert len(messages(language)) > 400


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_no_fuzzy_or_untranslated_entry(language):
    forms, _rule = plural_rule(language)
    assert untranslated(catalog(po_file(language))[1:], forms) == []


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_their_placeholders(language):
    """A singular keeps the msgid's placeholders; each plural form those of the msgid_plural, where the one for 1
    may leave the number out (French "un représentant") but no other placeholder."""
    wrong = []
    for entry in messages(language):
        if entry.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(entry.msgstr.get(0, ""))) != sorted(PLACEHOLDER.findall(entry.msgid)):
                wrong.append(entry.msgid)
            continue
        singular, plural = set(PLACEHOLDER.findall(entry.msgid)), set(PLACEHOLDER.findall(entry.msgid_plural))
        for form in entry.msgstr.values():
            if not singular <= set(PLACEHOLDER.findall(form)) <= plural | singular:
                wrong.append(entry.msgid)
    assert wrong == []


def served_and_expected(entry: Entry, forms: int, rule) -> tuple[list[str], list[str]]:
    if entry.msgid_plural is None:
        if entry.msgctxt:
            return [translation.pgettext(entry.msgctxt, entry.msgid)], [entry.msgstr[0]]
        return [translation.gettext(entry.msgid)], [entry.msgstr[0]]
    counts = [next(n for n in range(200) if rule(n) == form) for form in range(forms)]  # one n per form
    if entry.msgctxt:
        served = [translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in counts]
    else:
        served = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in counts]
    return served, [entry.msgstr[form] for form in range(forms)]


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalogue_matches_the_po_file(language):
    """A stale django.mo (compilemessages forgotten) would serve old or English text; each plural form is
    asked for with a number that takes it (Russian: 1, 2, 5)."""
    forms, rule = plural_rule(language)
    stale = []
    with translation.override(language):
        for entry in messages(language):
            served, expected = served_and_expected(entry, forms, rule)
            if served != expected:
                stale.append(entry.msgid)
    assert stale == []


def extraction_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("CATALOGUE_TESTS", "") == "required"


@pytest.fixture(scope="module")
def catalogues_from_the_sources(tmp_path_factory) -> Path:
    """A copy of the project whose catalogues `makemessages` brought up to date with the sources, as the README
    asks after adding strings: a message added to the code comes out empty there, a changed one fuzzy, a
    removed one gone."""
    if shutil.which("xgettext") is None:
        message = "Extracting the sources' messages needs GNU gettext (apt-get install gettext)."
        if extraction_required():
            pytest.fail(message + " It is required here (CI=true or CATALOGUE_TESTS=required).", pytrace=False)
        pytest.skip(message)
    copy = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "artifacts", "*.png", "*.sqlite3", "*.mo"),
    )
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--ignore=.venv"]
    command += ["--ignore=node_modules", *(f"--locale={language}" for language in SHIPPED)]
    environment = {**os.environ, "DJANGO_DEBUG": "true", "PYTHONPATH": str(copy)}
    subprocess.run(command, cwd=copy, env=environment, check=True, capture_output=True, timeout=600)
    return copy


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_every_message_of_the_sources_translated(catalogues_from_the_sources, language):
    forms, _rule = plural_rule(language)
    fresh = catalog(po_file(language, catalogues_from_the_sources))[1:]
    committed = {key(entry) for entry in messages(language)}
    assert [entry.msgid for entry in fresh if key(entry) not in committed] == []  # missing from the catalogue
    assert sorted(committed - {key(entry) for entry in fresh}, key=str) == []  # no longer in the sources
    assert untranslated(fresh, forms) == []  # a changed source text leaves its entry fuzzy


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


def test_itinerary_reads_in_russian(client, demo):
    response = client.get(reverse("public:visit-detail", args=[demo.slug]), HTTP_ACCEPT_LANGUAGE="ru")
    assertContains(response, '<html lang="ru">')
    assertContains(response, '<h2 id="programme-title">Программа</h2>', html=False)
    assertContains(response, "<dt>Руководитель делегации</dt>", html=False)
    assertContains(response, '<h3 class="day__title">Понедельник 26 ноября 2018</h3>', html=False)
    assertContains(response, '<span class="item__tba">Время не объявлено</span>', html=False)
    assertContains(response, "<dd>более 100 участников</dd>", html=False)
    assertContains(response, "<dd>Сообщается о 12 встречах</dd>", html=False)
    assertContains(response, "Подписаться на календарь</a>", html=False)
    assertNotContains(response, "Time not announced")
    assertNotContains(response, "Head of delegation")


def test_outcomes_read_in_russian(client, demo):
    response = client.get(reverse("public:visit-outcomes", args=[demo.slug]), HTTP_ACCEPT_LANGUAGE="ru")
    assertContains(response, '<p class="outcome__kind">Трёхстороннее соглашение · Подписано</p>', html=False)
    assertContains(response, '<h2 id="agreements-title">Соглашение</h2>', html=False)
    assertContains(response, '<h2 id="follow-ups-title">Дальнейшие шаги</h2>', html=False)
    assertContains(response, "12 — в рамках пункта")


def test_meeting_list_reads_in_russian(client, demo):
    response = client.get(reverse("public:meeting-list"), HTTP_ACCEPT_LANGUAGE="ru")
    assertContains(response, "<h1>B2B-встречи</h1>", html=False)
    assertContains(response, '<th scope="col">Сторона делегации</th>', html=False)
    assertContains(response, '<th scope="col">Принимающая сторона</th>', html=False)
    assertContains(response, '<label for="id_sector">Отрасль</label>', html=False)
    assertNotContains(response, "Delegation side")


def test_the_language_switch_offers_every_language_in_its_own_name(client, demo):
    response = client.get(reverse("public:visit-detail", args=[demo.slug]), HTTP_ACCEPT_LANGUAGE="ru")
    buttons = re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="\w+"\s*([^>]*)>([^<]+)</button>',
        response.content.decode(),
    )
    assert buttons == [("en", "", "English"), ("fr", "", "Français"), ("ru", 'aria-current="true"', "Русский")]


def test_the_switch_to_russian_keeps_the_page_and_answers_in_russian(client, demo):
    page = reverse("public:visit-detail", args=[demo.slug])
    response = client.post(reverse("set_language"), {"language": "ru", "next": page})
    assert (response.status_code, response["Location"]) == (302, page)
    assertContains(client.get(page), '<h2 id="programme-title">Программа</h2>', html=False)


@pytest.mark.parametrize(
    ("count", "text"),
    [(1, "1 встреча"), (2, "2 встречи"), (5, "5 встреч"), (11, "11 встреч"), (21, "21 встреча"), (22, "22 встречи")],
)
def test_russian_plural_takes_its_three_forms(count, text):
    with translation.override("ru"):
        assert translation.ngettext("%(counter)s meeting", "%(counter)s meetings", count) % {"counter": count} == text


def test_russian_dates_put_the_month_in_the_genitive_after_a_day():
    day = datetime.date(2018, 11, 27)
    with translation.override("ru"):
        assert formats.date_format(day) == "27 ноября 2018"
        assert formats.date_format(day, "MONTH_DAY_FORMAT") == "27 ноября"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1\xa0234,5"
