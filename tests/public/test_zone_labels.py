"""A local time is labelled with its zone's abbreviation and offset, never with the exemplar city of its zone
(Berlin for a Frankfurt item, Paris for a Lyon one)."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from core.dates import ZoneLabels, zone_label
from tests.factories import DelegationFactory, ItineraryItemFactory, MeetingFactory, VenueFactory

SUMMER = datetime.date(2021, 5, 17)
WINTER = datetime.date(2021, 11, 22)


def noon(day, zone):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "day", "english", "french"),
    [
        ("Europe/Berlin", SUMMER, "CEST, UTC+2", "HAEC, UTC+2"),
        ("Europe/Berlin", WINTER, "CET, UTC+1", "HNEC, UTC+1"),
        ("Europe/Paris", SUMMER, "CEST, UTC+2", "HAEC, UTC+2"),
        ("Europe/Paris", WINTER, "CET, UTC+1", "HNEC, UTC+1"),
        ("Europe/Lisbon", SUMMER, "WEST, UTC+1", "HAEO, UTC+1"),
        ("Europe/Athens", WINTER, "EET, UTC+2", "HNEE, UTC+2"),
        ("Europe/Moscow", SUMMER, "MSK, UTC+3", "MSK, UTC+3"),
        ("Asia/Irkutsk", SUMMER, "UTC+8", "UTC+8"),
        ("Asia/Kathmandu", WINTER, "UTC+5:45", "UTC+5:45"),
        ("America/Sao_Paulo", WINTER, "UTC−3", "UTC−3"),
        ("America/New_York", SUMMER, "EDT, UTC−4", "EDT, UTC−4"),
        ("UTC", SUMMER, "UTC+0", "UTC+0"),
    ],
)
def test_zone_label_is_abbreviation_and_offset_in_each_language(zone, day, english, french):
    instant = noon(day, zone)
    with translation.override("en"):
        assert zone_label(instant, zone) == english
    with translation.override("fr"):
        assert zone_label(instant, zone) == french


def itinerary(client, delegation, language="en"):
    return client.get(reverse("public:visit-detail", args=[delegation.slug]), HTTP_ACCEPT_LANGUAGE=language)


def visible_text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


@pytest.mark.parametrize(
    ("city", "country", "zone", "exemplar", "summer", "winter"),
    [
        ("Frankfurt", "DE", "Europe/Berlin", "Berlin", "CEST, UTC+2", "CET, UTC+1"),
        ("Lyon", "FR", "Europe/Paris", "Paris", "CEST, UTC+2", "CET, UTC+1"),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_itinerary_and_meetings_never_name_the_zones_exemplar_city(
    client, db, city, country, zone, exemplar, summer, winter, language
):
    venue = VenueFactory(name=f"Messe {city}", address="Hall 1", city=city, country=country, time_zone=zone)
    visit = DelegationFactory(
        title="Trade mission", start_date=SUMMER, end_date=WINTER, home_time_zone="Asia/Irkutsk", origin_region=""
    )
    ItineraryItemFactory(delegation=visit, venue=venue, day=SUMMER, start_time=datetime.time(9), title="Fair")
    ItineraryItemFactory(delegation=visit, venue=venue, day=WINTER, start_time=datetime.time(9), title="Forum")
    MeetingFactory(delegation=visit, venue=venue, date=SUMMER, start_time=datetime.time(14), table="")

    page = itinerary(client, visit, language)
    meetings = client.get(reverse("public:meeting-list"), {"delegation": visit.slug}, HTTP_ACCEPT_LANGUAGE=language)
    feed = client.get(reverse("public:visit-calendar", args=[visit.slug]))

    if language == "fr":
        summer, winter = summer.replace("CEST", "HAEC"), winter.replace("CET", "HNEC")
    html = page.content.decode()
    assert re.findall(r'<span class="item__zone">([^<]*)</span>', html) == [summer, winter]
    assert re.findall(r'<span class="muted">([^<]*UTC[^<]*)</span>', meetings.content.decode()) == [summer]
    for response in (page, meetings):
        assert exemplar not in visible_text(response)
        assert city in visible_text(response)
    assert exemplar not in feed.content.decode().replace(f"TZID={zone}", "").replace(f"TZID:{zone}", "")


def test_home_time_labelled_with_offset_not_city(client, db):
    venue = VenueFactory(city="Frankfurt", country="DE", time_zone="Europe/Berlin")
    visit = DelegationFactory(start_date=SUMMER, end_date=SUMMER, home_time_zone="Asia/Irkutsk")
    ItineraryItemFactory(delegation=visit, venue=venue, day=SUMMER, start_time=datetime.time(9))

    english, french = itinerary(client, visit, "en"), itinerary(client, visit, "fr")

    assert '<span class="item__home">· 15:00–17:00 home time (UTC+8)</span>' in english.content.decode()
    assert "the delegation’s home time (UTC+8) is shown beside them" in english.content.decode()
    assert "15:00–17:00 à l'heure de la délégation (UTC+8)" in french.content.decode()
    for response in (english, french):
        assert "Irkutsk" not in visible_text(response).replace("Irkutsk region", "")
        assert "Irkoutsk" not in visible_text(response)


def test_csv_keeps_the_iana_zone(client, db):
    venue = VenueFactory(city="Frankfurt", country="DE", time_zone="Europe/Berlin")
    visit = DelegationFactory(start_date=SUMMER, end_date=SUMMER)
    MeetingFactory(delegation=visit, venue=venue, date=SUMMER)

    csv = client.get(reverse("public:meeting-export-csv"), {"delegation": visit.slug})

    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert ",Europe/Berlin," in body.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_zone_labels_worked_out_once_are_zone_labels(language):
    """core.dates.ZoneLabels, as the itinerary's writer labels its items: each instant's label that of
    zone_label, across the nights the clocks change and in zones whose offset moves by half an hour."""
    zones = ("Europe/Paris", "Europe/London", "Australia/Lord_Howe", "America/St_Johns", "Asia/Irkutsk", "", "No/Zone")
    # Europe's spring and autumn nights, Lord Howe's (half an hour), St John's in November.
    starts = [
        datetime.datetime(2021, month, day, tzinfo=datetime.UTC)
        for month, day in ((3, 27), (4, 3), (10, 2), (10, 30), (11, 6))
    ]
    instants = [start + datetime.timedelta(minutes=30 * step) for start in starts for step in range(48 * 3)]
    with translation.override(language):
        labels = ZoneLabels()

        assert [labels(instant, zone) for zone in zones for instant in instants] == [
            zone_label(instant, zone) for zone in zones for instant in instants
        ]
