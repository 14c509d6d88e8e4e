"""Sheets to cut, for staff: a B2B session's table cards (one per table: who sits there, slot by slot) and the
delegation's name badges. Staff documents: everyone who takes part is named."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.utils import translation

from delegations.models import Delegation, DelegationMember, ItineraryItem
from meetings.models import Meeting, MeetingParticipant

from .rendering import render_pdf


@dataclass(frozen=True)
class TableSlot:
    meeting: Meeting
    delegation_people: list[str]
    host_people: list[str]


@dataclass(frozen=True)
class TableCard:
    label: str
    slots: list[TableSlot]


def table_cards(session: ItineraryItem) -> list[TableCard]:
    """A card for each table of the session that has a meeting, in the session's table order (others after)."""
    meetings = (
        Meeting.objects.filter(session=session, delegation=session.delegation_id)
        .active()
        .select_related("delegation_organization", "host_organization")
        .prefetch_related(Prefetch("participants", queryset=MeetingParticipant.objects.select_related("person")))
        .order_by(F("start_time").asc(nulls_last=True), "pk")
    )
    by_table = defaultdict(list)
    for meeting in meetings:
        people = defaultdict(list)
        for participant in meeting.participants.all():
            people[participant.side].append(participant.person.name)
        by_table[meeting.table].append(
            TableSlot(meeting, people[MeetingParticipant.Side.DELEGATION], people[MeetingParticipant.Side.HOST])
        )
    order = {label: rank for rank, label in enumerate(session.table_labels)}
    labels = sorted(by_table, key=lambda label: (order.get(label, len(order)), label))
    return [TableCard(label, by_table[label]) for label in labels]


def table_cards_pdf(session: ItineraryItem, *, language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language()):
        return render_pdf(
            "documents/table_cards.html",
            {"session": session, "delegation": session.delegation, "cards": table_cards(session)},
        )


def badges_pdf(delegation: Delegation, *, language: str | None = None) -> bytes:
    """A badge for each member of the delegation who is a person (an office whose holder is unnamed has none)."""
    members = (
        DelegationMember.objects.filter(delegation=delegation, person__isnull=False)
        .select_related("person", "organization")
        .order_by("order", "pk")
    )
    with translation.override(language or translation.get_language()):
        return render_pdf(
            "documents/badges.html",
            {"delegation": delegation, "members": list(members), "leading_body": delegation.leading_body},
        )
