"""Dates read one way per language on every public page: "17 May 2021" in English, "17 mai 2021" in French
(config/formats), whether in the itinerary, the meeting list, the outcomes or a person's page."""

import re

import pytest
from django.urls import reverse

from contacts.models import Organization, Person

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    # After a day, the genitive: "26 ноября 2018".
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
}
SHORT_MONTHS = {
    "en": r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec",
    "fr": r"janv|févr|avr|juil|sept|oct|nov|déc",
    "ru": r"янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|нояб|дек",
}


def public_pages(demo) -> list[str]:
    organizations = Organization.objects.filter(slug__in=_involved_slugs(demo))
    return [
        reverse("public:home"),
        reverse("public:visit-list"),
        reverse("public:visit-detail", args=[demo.slug]),
        reverse("public:visit-outcomes", args=[demo.slug]),
        reverse("public:meeting-list"),
        f"{reverse('public:meeting-list')}?delegation={demo.slug}",
        reverse("public:organization-list"),
        f"{reverse('public:search')}?q=Irkutsk",
        f"{reverse('public:search')}?q=health",
        *(reverse("public:organization-detail", args=[o.slug]) for o in organizations),
        *(reverse("public:organization-agenda", args=[o.slug]) for o in organizations),
        *(reverse("public:person-detail", args=[p.slug]) for p in Person.objects.public()),
    ]


def _involved_slugs(demo) -> set[str]:
    slugs = {demo.organiser.slug}
    slugs |= {party.organization.slug for agreement in demo.agreements.all() for party in agreement.parties.all()}
    slugs |= {o.slug for follow_up in demo.follow_ups.all() for o in follow_up.organizations.all()}
    slugs |= {o.slug for item in demo.itinerary_items.all() for o in item.hosts.all()}
    return slugs


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def dates_in(text: str, language: str) -> tuple[list[str], list[str]]:
    """Every date-looking run of the text: those in the language's one format, and any other."""
    months = "|".join(MONTHS[language])
    good = re.findall(rf"\b\d{{1,2}} (?:{months}) \d{{4}}\b", text)
    # A month name or abbreviation with a year any other way: "May 18, 2021", "Nov. 26, 2018", "mai 2021".
    # (Prose from the sources, "from 26 to 28 November", gives no year and is the editors' text, not a date shown.)
    others = [
        match
        for match in re.findall(
            rf"(?:\d{{1,2}},? )?\b(?:{months}|{SHORT_MONTHS[language]})\b\.?(?: \d{{1,4}})?,?(?: \d{{4}})?", text
        )
        if re.search(r"\d{4}", match) and not re.fullmatch(rf"\d{{1,2}} (?:{months}) \d{{4}}", match)
    ]
    # Numeric dates: 26/11/2018, 11/26/2018, 2018-11-26 shown as text.
    others += re.findall(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b", text)
    return good, others


@pytest.mark.parametrize(
    ("language", "first_day", "day_heading"),
    [
        ("en", "26 November 2018", "Monday 26 November 2018"),
        ("fr", "26 novembre 2018", "lundi 26 novembre 2018"),
        ("ru", "26 ноября 2018", "Понедельник 26 ноября 2018"),
    ],
)
def test_every_public_page_writes_dates_one_way_per_language(client, demo, language, first_day, day_heading):
    seen = 0
    for url in public_pages(demo):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        good, others = dates_in(text, language)
        assert others == [], (url, others)
        seen += len(good)
    assert seen > 50

    itinerary = visible_text(
        client.get(reverse("public:visit-detail", args=[demo.slug]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    )
    meetings = visible_text(
        client.get(
            reverse("public:meeting-list"), {"delegation": demo.slug}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    )
    assert day_heading in itinerary
    assert f"{first_day} –" in itinerary  # the visit's dates in its header
    assert re.search(rf"\b\d{{1,2}} {MONTHS[language][10]} 2018\b", meetings)  # a meeting's day
