"""A visit's summary card (templates/public/_delegation_list.html), as the home page, the visit list, an
organization's page and search show it: what it writes of each visit, read in one Python pass rather than through
a country name, a date filter, an address and a query set built for each card by the template."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as active_language

from core.widgets import escaped
from delegations.models import Delegation

from .filters import country_choices
from .markup import Addresses


@dataclass(frozen=True)
class Card:
    url: str
    origin: str  # "Russia (Irkutsk region)"
    hosts: str  # "France, Germany", in the route's order
    start: str  # as the date filter writes it
    end: str
    sectors: tuple[str, ...]


def card_item(delegation: Delegation, card: Card) -> SafeString:
    """The card's item of the list, as the loop of _delegation_list.html wrote it, with the line breaks and
    indentation around it."""
    tags = ""
    if card.sectors:
        tags = "".join(f'<span class="tag">{escaped(sector)}</span>' for sector in card.sectors)
        tags = f'<p class="tags">{tags}</p>'
    return mark_safe(
        '\n      <li class="card">'
        f'\n        <h3 class="card__title"><a href="{escaped(card.url)}">{escaped(delegation.title)}</a></h3>'
        '\n        <p class="card__meta">'
        f"\n          <span>{escaped(card.origin)}</span>"
        '\n          <span aria-hidden="true">→</span>'
        f"\n          <span>{escaped(card.hosts)}</span>"
        "\n        </p>"
        f'\n        <p class="card__dates">{escaped(card.start)} – {escaped(card.end)}</p>'
        f"\n        {tags}"
        "\n      </li>\n    "
    )


def sector_names(delegation_ids: list[int]) -> dict[int, list[str]]:
    """Each visit's priority sectors, named in the active language, in the sectors' order, in one query of plain
    values: prefetched, a related manager and a translated sector per visit were most of the cards' time. A name
    as the sector gives it (modeltranslation's rule: the active language's, else the first fallback's that is not
    empty), ordered as a sector query orders them (by the active language's name)."""
    languages = resolution_order(active_language())
    names = [f"sector__{build_localized_fieldname('name', language)}" for language in languages]
    rows = (
        Delegation.priority_sectors.through.objects.filter(delegation_id__in=delegation_ids)
        .order_by(names[0])
        .values_list("delegation_id", *names)
    )
    sectors = defaultdict(list)
    for delegation_id, *translations in rows:
        sectors[delegation_id].append(next(filter(None, translations), ""))
    return sectors


def with_cards(delegations: Iterable[Delegation]) -> list[Delegation]:
    """The visits, each given its `card` and the card's item of the list written (`card_item`), in one query
    more."""
    addresses = Addresses()
    names = dict(country_choices())

    def country(country) -> str:
        return names[country.code] if country.code in names else str(country.name)

    # As the date filter writes a date, its format looked up once for all the cards.
    date_format = get_format("DATE_FORMAT")
    dates = {}

    def date(day) -> str:
        if day not in dates:
            dates[day] = dateformat.format(day, date_format)
        return dates[day]

    delegations = list(delegations)
    sectors = sector_names([delegation.pk for delegation in delegations]) if delegations else {}
    for delegation in delegations:
        origin = country(delegation.origin_country)
        if delegation.origin_region:
            origin = f"{origin} ({delegation.origin_region})"
        delegation.card = Card(
            url=addresses.visit(delegation.slug),
            origin=origin,
            hosts=", ".join(map(country, delegation.host_countries)),
            start=date(delegation.start_date),
            end=date(delegation.end_date),
            sectors=tuple(sectors.get(delegation.pk, ())),
        )
        delegation.card_item = card_item(delegation, delegation.card)
    return delegations
