"""Where a public person appears in published visits, for their page: as a member, a participant on either side
of an itinerary item, a participant in a meeting, a signatory; each with the title they held then.

Read in a fixed number of queries whatever their number (one per way of appearing, and the item hosts).
Drafts never count. Callers pass only people who may appear publicly: the others have no page.
"""

import datetime
import functools
from dataclasses import dataclass
from itertools import groupby

from django.utils.translation import gettext_lazy as _

from contacts.models import Person
from contacts.privacy import position_on
from delegations.models import AgreementParty, Delegation, DelegationMember, ItineraryItem
from delegations.models.visits import member_role_label
from meetings.models import MeetingParticipant

from .sharing import VisitLinks

ROLES = {
    "member": _("Member of the delegation"),
    "delegate": _("On the programme, with the delegation"),
    "host": _("On the programme, as a host"),
    "meeting": _("In a meeting"),
    "signatory": _("Signatory"),
}


@dataclass(frozen=True)
class Appearance:
    kind: str  # a key of ROLES
    day: datetime.date | None
    what: str  # the item's title, the meeting's two sides, the agreement's title; empty for a membership
    anchor: str  # where on the visit's pages: "" (itinerary), "item-3", "meeting-4", "agreement-5"
    title: str  # the title held then, empty when none is recorded for that day
    role: str = ""  # a member's role in the delegation

    @property
    def kind_display(self) -> str:
        return str(ROLES[self.kind])


@dataclass(frozen=True)
class VisitAppearances:
    delegation: Delegation
    appearances: tuple[Appearance, ...]

    @functools.cached_property
    def links(self) -> VisitLinks:
        return VisitLinks(self.delegation)

    def url(self, appearance: Appearance) -> str:
        links = self.links
        if appearance.anchor.startswith("meeting-"):
            return f"{links.meetings()}#{appearance.anchor}"
        if appearance.anchor.startswith("agreement-"):
            return f"{links.outcomes}#{appearance.anchor}"
        return f"{links.itinerary}#{appearance.anchor}" if appearance.anchor else links.itinerary

    @property
    def linked(self) -> list[tuple[Appearance, str]]:
        """Each appearance with its address on the visit's pages."""
        return [(appearance, self.url(appearance)) for appearance in self.appearances]


def _title(person: Person, day: datetime.date | None, prefer=()) -> str:
    position = position_on(person, day, prefer=prefer)
    return position.title if position else ""


def person_appearances(person: Person) -> list[VisitAppearances]:
    """The person's appearances grouped by visit, latest visit first; within one, membership first, then by day.

    `person` should come with its positions prefetched (Person.objects.with_positions()).
    """
    found: list[tuple[Delegation, Appearance]] = []
    members = DelegationMember.objects.filter(person=person, delegation__is_published=True).select_related("delegation")
    member_titles = {}
    for member in members:
        member_titles[member.delegation_id] = member.title
        title = member.title or _title(person, member.delegation.start_date)
        found.append(
            (
                member.delegation,
                Appearance("member", None, "", "", title, role=member_role_label(member.role, title)),
            )
        )
    published_items = ItineraryItem.objects.filter(delegation__is_published=True).select_related("delegation")
    for item in published_items.filter(delegation_participants=person):
        title = member_titles.get(item.delegation_id) or _title(person, item.day)
        found.append((item.delegation, Appearance("delegate", item.day, item.title, f"item-{item.pk}", title)))
    for item in published_items.filter(host_participants=person).prefetch_related("hosts"):
        title = _title(person, item.day, prefer=item.hosts.all())
        found.append((item.delegation, Appearance("host", item.day, item.title, f"item-{item.pk}", title)))
    participations = MeetingParticipant.objects.filter(
        person=person, meeting__delegation__is_published=True
    ).select_related("meeting__delegation", "meeting__delegation_organization", "meeting__host_organization")
    for participation in participations:
        meeting = participation.meeting
        side = meeting.host_organization if participation.side == "host" else meeting.delegation_organization
        if participation.side != "host" and meeting.delegation_id in member_titles:
            title = member_titles[meeting.delegation_id] or _title(person, meeting.date, prefer=(side,))
        else:
            title = _title(person, meeting.date, prefer=(side,))
        what = f"{meeting.delegation_organization.name} / {meeting.host_organization.name}"
        found.append((meeting.delegation, Appearance("meeting", meeting.date, what, f"meeting-{meeting.pk}", title)))
    signatures = AgreementParty.objects.filter(
        signatory=person, agreement__delegation__is_published=True
    ).select_related("agreement__delegation", "organization")
    for party in signatures:
        agreement = party.agreement
        title = party.signatory_title or _title(person, agreement.signed_on, prefer=(party.organization,))
        found.append(
            (
                agreement.delegation,
                Appearance("signatory", agreement.signed_on, agreement.title, f"agreement-{agreement.pk}", title),
            )
        )
    found.sort(key=lambda pair: (-pair[0].start_date.toordinal(), pair[0].pk))
    grouped = []
    for _pk, pairs in groupby(found, key=lambda pair: pair[0].pk):
        pairs = list(pairs)
        appearances = sorted(
            (appearance for _visit, appearance in pairs),
            key=lambda a: (a.kind != "member", a.day or datetime.date.min, list(ROLES).index(a.kind), a.what),
        )
        grouped.append(VisitAppearances(pairs[0][0], tuple(appearances)))
    return grouped


__all__ = ["Appearance", "VisitAppearances", "person_appearances"]
