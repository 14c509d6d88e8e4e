"""A visit's summary card (templates/public/_delegation_list.html), as the home page, the visit list, an
organization's page and search show it: what it writes of each visit, read in one Python pass rather than through
a country name, a date filter, an address and a query set built for each card by the template."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format

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


def with_cards(delegations: Iterable[Delegation]) -> list[Delegation]:
    """The visits, each given its `card`; they should come from `Delegation.objects.for_cards()`."""
    addresses = Addresses()
    names = dict(country_choices())

    def country(country) -> str:
        return names[country.code] if country.code in names else str(country.name)

    delegations = list(delegations)
    for delegation in delegations:
        origin = country(delegation.origin_country)
        if delegation.origin_region:
            origin = f"{origin} ({delegation.origin_region})"
        delegation.card = Card(
            url=addresses.visit(delegation.slug),
            origin=origin,
            hosts=", ".join(map(country, delegation.host_countries)),
            start=date_format(delegation.start_date),
            end=date_format(delegation.end_date),
            sectors=tuple(str(sector) for sector in delegation.priority_sectors.all()),
        )
    return delegations
