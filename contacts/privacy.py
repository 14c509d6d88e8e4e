"""What of a person the public may see.

People who may not appear publicly are never named: their organization stands in
("a representative of Dalkia"). Every public page, export and feed goes through here.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import ngettext

from .models import Organization, Person


@dataclass(frozen=True)
class PublicName:
    label: str
    person: Person | None = None  # set only for people who may appear publicly

    def __str__(self):
        return self.label


def organization_on(person: Person, day: datetime.date | None) -> Organization | None:
    """The organization of the person's position on that day, else their latest; uses prefetched positions."""
    positions = sorted(person.positions.all(), key=lambda p: (p.start_date or datetime.date.min, p.pk), reverse=True)
    for position in positions:
        started = position.start_date is None or day is None or position.start_date <= day
        not_ended = position.end_date is None or day is None or day <= position.end_date
        if started and not_ended:
            return position.organization
    return positions[0].organization if positions else None


def representatives(organization: Organization | None, count: int = 1) -> str:
    if organization is None:
        return ngettext("a representative", "%(count)d representatives", count) % {"count": count}
    return ngettext("a representative of %(organization)s", "%(count)d representatives of %(organization)s", count) % {
        "count": count,
        "organization": organization.name,
    }


def public_names(people: Iterable[tuple[Person, Organization | None]]) -> list[PublicName]:
    """Public people by name, in order; the others counted per organization after them."""
    names, hidden = [], Counter()
    for person, organization in people:
        if person.is_public:
            names.append(PublicName(person.name, person))
        else:
            hidden[organization] += 1
    names.extend(PublicName(representatives(org, count)) for org, count in hidden.items())
    return names


def public_label(person: Person, organization: Organization | None = None) -> str:
    return person.name if person.is_public else representatives(organization)


__all__ = ["PublicName", "organization_on", "public_label", "public_names", "representatives"]
