"""What of a person the public may see.

People who may not appear publicly are never named: their organization stands in
("a representative of Dalkia"). Every public page, export and feed goes through here.
"""

import datetime
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import ngettext

from .models import Organization, Person, Position


@dataclass(frozen=True)
class PublicName:
    label: str
    person: Person | None = None  # set only for people who may appear publicly
    title: str = ""  # a public person's title then, where the caller knows it
    organization: Organization | None = None  # the one a stand-in ("a representative of X") stands for

    def __str__(self):
        return self.label


def organization_on(
    person: Person, day: datetime.date | None, positions: Iterable[Position] | None = None
) -> Organization | None:
    """The organization of the person's position on that day, else their latest; uses prefetched positions,
    or `positions` (the person's own, with their organizations) when given."""
    positions = sorted(
        person.positions.all() if positions is None else positions,
        key=lambda p: (p.start_date or datetime.date.min, p.pk),
        reverse=True,
    )
    for position in positions:
        started = position.start_date is None or day is None or position.start_date <= day
        not_ended = position.end_date is None or day is None or day <= position.end_date
        if started and not_ended:
            return position.organization
    return positions[0].organization if positions else None


def position_on(
    person: Person,
    day: datetime.date | None,
    prefer: Collection[Organization] = (),
    positions: Iterable[Position] | None = None,
) -> Position | None:
    """The position the person held that day, preferring one at an organization of `prefer` (an item's hosts);
    None when no position of theirs covers the day. Unknown start or end dates count as covering it: a title
    recorded without dates is taken as held. Uses prefetched positions.

    No title outside its dates: a governor elected after the visit was not governor at it. `positions`, when
    given, are the person's own, read by the caller.
    """
    held = [
        position
        for position in (person.positions.all() if positions is None else positions)
        if day is None
        or (
            (position.start_date is None or position.start_date <= day)
            and (position.end_date is None or day <= position.end_date)
        )
    ]
    preferred = {organization.pk for organization in prefer}
    # At a preferred organization first, then the most recently started, then the latest entered.
    held.sort(
        key=lambda p: (p.organization_id in preferred, p.start_date or datetime.date.min, p.pk),
        reverse=True,
    )
    return held[0] if held else None


def representatives(organization: Organization | None, count: int = 1) -> str:
    if organization is None:
        return ngettext("a representative", "%(count)d representatives", count) % {"count": count}
    return ngettext("a representative of %(organization)s", "%(count)d representatives of %(organization)s", count) % {
        "count": count,
        "organization": organization.name,
    }


def public_names(
    people: Iterable[tuple[Person, Organization | None]],
    titles: Mapping[int, str] | None = None,
    stand_ins: dict[tuple[Organization | None, int], str] | None = None,
) -> list[PublicName]:
    """Public people by name, in order, with their title from `titles` (by person id); the others counted per
    organization after them. `stand_ins`, when given, keeps each "2 representatives of X" written, by
    organization and number, for the caller's next calls (a programme's items name the same few)."""
    names, hidden = [], Counter()
    for person, organization in people:
        if person.is_public:
            names.append(PublicName(person.name, person, title=(titles or {}).get(person.pk, "")))
        else:
            hidden[organization] += 1
    for organization, count in hidden.items():
        if stand_ins is None:
            label = representatives(organization, count)
        elif (label := stand_ins.get((organization, count))) is None:
            label = stand_ins[organization, count] = representatives(organization, count)
        names.append(PublicName(label, organization=organization))
    return names


def public_label(person: Person, organization: Organization | None = None) -> str:
    return person.name if person.is_public else representatives(organization)


__all__ = ["PublicName", "organization_on", "position_on", "public_label", "public_names", "representatives"]
