"""The visit programme as a PDF: the itinerary page's read model (delegations.programme), with each B2B
session's meetings and the visit's agreements, as the public pages show them.

Names go through contacts.privacy exactly as on the pages: people who may not appear publicly stand as
"a representative of X". Whoever may see the visit may have its programme: the callers decide that
(published visits and share links publicly, drafts in the admin).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from contacts.privacy import public_names
from delegations.models import Agreement, AgreementParty, Delegation, ItineraryItem
from delegations.programme import Programme, programme_build
from meetings.models import Meeting, MeetingParticipant

from .rendering import paged_pdf


@dataclass(frozen=True)
class SessionMeeting:
    meeting: Meeting
    delegates: list  # PublicName, as the meeting list shows them
    hosts: list


def session_meetings(delegation: Delegation) -> dict[int, list[SessionMeeting]]:
    """Each B2B session's meetings (cancelled ones left out), by slot then table, in two queries whatever their
    number: the meetings with their organizations, then everyone taking part, grouped here by meeting and side (a
    prefetch would build a queryset for each of a large visit's thousands of meetings). Only what the programme
    shows is read."""
    organization_fields = [
        f"{organization}__{field}"
        for organization in ("delegation_organization", "host_organization")
        for field in ("name", "native_name")
    ]
    meetings = list(
        Meeting.objects.filter(
            delegation=delegation,
            session__delegation=delegation,
            session__kind=ItineraryItem.Kind.B2B_SESSION,
        )
        .active()
        .select_related("delegation_organization", "host_organization")
        .only("session_id", "start_time", "end_time", "table", *organization_fields)
        .order_by(F("start_time").asc(nulls_last=True), "table", "pk")
    )
    people = defaultdict(list)
    participants = (
        MeetingParticipant.objects.filter(meeting__in=[meeting.pk for meeting in meetings])
        .select_related("person")
        .only("meeting_id", "side", "person__name", "person__native_name", "person__is_public")
        .order_by("meeting_id", "side", "pk")
    )
    for participant in participants:
        people[participant.meeting_id, participant.side].append(participant.person)
    delegation_side, host_side = MeetingParticipant.Side.DELEGATION, MeetingParticipant.Side.HOST
    by_session = defaultdict(list)
    for meeting in meetings:
        by_session[meeting.session_id].append(
            SessionMeeting(
                meeting,
                public_names(
                    (person, meeting.delegation_organization) for person in people[meeting.pk, delegation_side]
                ),
                public_names((person, meeting.host_organization) for person in people[meeting.pk, host_side]),
            )
        )
    return by_session


def visit_agreements(delegation: Delegation) -> list[Agreement]:
    """The visit's agreements with their parties' organizations, by date of signing then title."""
    return list(
        Agreement.objects.filter(delegation=delegation)
        .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")))
        .order_by(F("signed_on").asc(nulls_last=True), "title", "pk")
    )


@dataclass(frozen=True)
class ProgrammeDocument:
    delegation: Delegation
    programme: Programme
    meetings: dict[int, list[SessionMeeting]]
    agreements: list[Agreement]

    @property
    def reported_agreements(self) -> list:
        """Documents reported signed without detail: the visit's own report, then its items', in order."""
        reported = []
        visit = self.delegation
        if visit.agreements_without_detail or visit.agreements_without_detail_summary:
            reported.append((None, visit.agreements_without_detail, visit.agreements_without_detail_summary))
        reported += [
            (item, item.agreements_without_detail, item.agreements_without_detail_summary)
            for item in self.programme.items
            if item.agreements_without_detail or item.agreements_without_detail_summary
        ]
        return reported


def programme_document(delegation: Delegation) -> ProgrammeDocument:
    """What the programme PDF shows, read in the active language."""
    return ProgrammeDocument(
        delegation=delegation,
        programme=programme_build(delegation=delegation),
        meetings=session_meetings(delegation),
        agreements=visit_agreements(delegation),
    )


def programme_html(delegation: Delegation, *, language: str | None = None) -> str:
    """The visit programme as the HTML that is laid out on pages, in `language` (else the active one)."""
    with translation.override(language or translation.get_language()):
        document = programme_document(delegation)
        return render_to_string("documents/programme.html", {"document": document, "delegation": delegation})


def programme_pdf(delegation: Delegation, *, language: str | None = None) -> bytes:
    """The visit programme as PDF bytes, in `language` (else the active one): its days laid out in worker
    processes when the machine has several cores (documents.rendering.paged_pdf)."""
    return paged_pdf(programme_html(delegation, language=language))
