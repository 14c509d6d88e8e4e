"""Time zones as staff look for them: by a part of their name or city, and suggested from a place's city
or country (tzdata's zone.tab says which zones each country has)."""

import datetime
import unicodedata
import zoneinfo
from functools import cache
from importlib import resources

from .fields import time_zone_names


def folded(text: str) -> str:
    """Lower case, without accents, spaces for underscores: "São_Paulo" and "sao paulo" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.replace("_", " "))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).casefold().split())


def zone_label(name: str) -> str:
    return name.replace("_", " ")


@cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's zones, as tzdata's zone.tab lists them (the zone of most of the country first)."""
    zones: dict[str, list[str]] = {}
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    known = set(time_zone_names())
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_comment = line.split("\t")
        if zone in known:
            zones.setdefault(code, []).append(zone)
    return {code: tuple(names) for code, names in zones.items()}


@cache
def listed_zones() -> frozenset[str]:
    return frozenset(zone for zones in country_zones().values() for zone in zones)


def city_of(zone: str) -> str:
    """A zone's exemplar city, folded: "America/Argentina/Buenos_Aires" → "buenos aires"."""
    return folded(zone.rsplit("/", 1)[-1])


def same_clock(zones: tuple[str, ...], year: int) -> bool:
    """Whether the zones show the same time all year (Germany's Berlin and Büsingen do)."""
    offsets = {
        tuple(datetime.datetime(year, month, 15, 12, tzinfo=zoneinfo.ZoneInfo(zone)).utcoffset() for month in (1, 7))
        for zone in zones
    }
    return len(offsets) == 1


def suggested_zone(city: str = "", countries: tuple[str, ...] = (), year: int | None = None) -> str:
    """The zone of a place, or "" when it cannot be told: the zone whose exemplar city is the city (among
    the countries' zones when they are known), else the zone of a single country whose clocks are the
    same everywhere (France, Greece; not Russia nor Spain)."""
    countries = tuple(code for code in countries if code in country_zones())
    candidates = [zone for code in countries for zone in country_zones()[code]] or sorted(listed_zones())
    if city.strip():
        wanted = folded(city)
        for zone in candidates:
            if city_of(zone) == wanted:
                return zone
    if len(countries) == 1:
        zones = country_zones()[countries[0]]
        if len(zones) == 1 or same_clock(zones, year or datetime.date.today().year):
            return zones[0]
    return ""


def matching_zones(term: str) -> list[str]:
    """The zones whose name holds every word of the term, in any case and without accents."""
    words = folded(term).split()
    return [zone for zone in time_zone_names() if all(word in folded(zone) for word in words)]
