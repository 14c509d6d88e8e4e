"""Organizations' agendas for a visit as PDFs: each meeting with its time and zone, table, counterpart (with its
native name), people and venue; and, for an invited company, the agenda its invitation link shows.

The meetings are read as matchmaking.agendas reads them (agenda_meeting): the organization's own people by
name, the counterpart's as the public pages show them. A public agenda names the organization's own people
as the public pages do too.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from contacts.models import Organization
from contacts.privacy import public_names
from delegations.models import Delegation
from matchmaking.agendas import AgendaMeeting, AgendaSession, agenda_meeting, company_agenda
from matchmaking.models import Invitation, Registration
from meetings.models import Meeting, MeetingParticipant

from .rendering import in_workers, render_pdf, split_by_anchor


@dataclass
class AgendaSection:
    """The meetings of one B2B session (or, outside any session, of one day)."""

    title: str
    day: datetime.date
    mark: str = ""  # "Final", "Preliminary": a published agenda's status
    meetings: list[AgendaMeeting] = field(default_factory=list)


def visit_agendas(
    delegation: Delegation, organizations: Iterable[Organization], *, public: bool
) -> dict[int, list[AgendaSection]]:
    """Each organization's meetings in the visit (cancelled ones kept, marked), by session in programme order,
    in a fixed number of queries whatever their number. `public`: the organization's own people are named as
    the public pages name them too."""
    wanted = {organization.pk: organization for organization in organizations}
    meetings = (
        Meeting.objects.filter(delegation=delegation)
        .filter(Q(host_organization__in=wanted) | Q(delegation_organization__in=wanted))
        .select_related("venue", "session", "host_organization", "delegation_organization")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=MeetingParticipant.objects.select_related("person").prefetch_related("person__positions"),
            )
        )
        .order_by("date", F("start_time").asc(nulls_last=True), "table", "pk")
    )
    sections: dict[int, dict[tuple, AgendaSection]] = defaultdict(dict)
    for meeting in meetings:
        for organization_id in {meeting.host_organization_id, meeting.delegation_organization_id} & wanted.keys():
            organization = wanted[organization_id]
            entry = agenda_meeting(meeting, organization)
            if public:
                own_side = "host" if meeting.host_organization_id == organization_id else "delegation"
                entry.own_people = [
                    str(name)
                    for name in public_names(
                        (p.person, organization) for p in meeting.participants.all() if p.side == own_side
                    )
                ]
            # A session of the meeting's own visit heads its section; one of another visit (a draft's, perhaps)
            # is not named: the meeting stands under its day, as the public meeting list shows it.
            session = meeting.session if meeting.session and meeting.session.delegation_id == delegation.pk else None
            key = (meeting.date, session.pk if session else 0)
            if key not in sections[organization_id]:
                title = session.title if session else date_format(meeting.date, "DATE_FORMAT")
                sections[organization_id][key] = AgendaSection(title, meeting.date)
            sections[organization_id][key].meetings.append(entry)
    return {pk: list(sections[pk].values()) for pk in wanted}


def render_agenda(
    delegation: Delegation, organization: Organization | None, sections: list[AgendaSection], *, label: str = ""
) -> bytes:
    return render_pdf(
        "documents/agenda.html",
        {"delegation": delegation, "organization": organization, "label": label, "sections": sections},
    )


def organization_agenda_pdf(
    delegation: Delegation, organization: Organization, *, public: bool = False, language: str | None = None
) -> bytes:
    """One organization's agenda for the visit as PDF bytes, in `language` (else the active one): for an
    e-mail to its contacts, the admin, or (public=True) the public pages."""
    with translation.override(language or translation.get_language()):
        sections = visit_agendas(delegation, [organization], public=public)[organization.pk]
        return render_agenda(delegation, organization, sections)


# Agendas laid out together in one document, written once and cut into one PDF each: a document's fixed costs
# (the stylesheet's cascade, the fonts' subsets) are paid once for the chunk; chunks are laid out in worker
# processes, and a task reports progress between chunks.
BATCH_SIZE = 25


def render_agendas(
    delegation: Delegation, organizations: Iterable[Organization], *, public: bool = False, language: str | None = None
) -> Iterator[tuple[Organization, bytes]]:
    """Each organization's agenda for the visit as (organization, PDF bytes), the same pages as
    organization_agenda_pdf gives, read in one go and laid out BATCH_SIZE at a time (in worker processes when
    the machine has several cores) as the caller iterates."""
    organizations = list(organizations)
    chunks = [organizations[start : start + BATCH_SIZE] for start in range(0, len(organizations), BATCH_SIZE)]
    with translation.override(language or translation.get_language()):
        agendas = visit_agendas(delegation, organizations, public=public)
        pages = [
            (
                render_to_string(
                    "documents/agendas.html",
                    {"delegation": delegation, "agendas": [(o, agendas[o.pk]) for o in chunk]},
                ),
                "agenda-",
                [o.pk for o in chunk],
            )
            for chunk in chunks
        ]
    for chunk, contents in zip(chunks, in_workers(split_by_anchor, pages), strict=True):
        yield from zip(chunk, contents, strict=True)


def sessions_agenda_pdf(
    delegation: Delegation, organization: Organization | None, agenda: list[AgendaSession], *, label: str = ""
) -> bytes:
    """A company's agenda as matchmaking.agendas reads it (the published sessions, each preliminary or final),
    as the PDF that its invitation link offers and its agenda e-mail carries."""
    sections = [
        AgendaSection(
            entry.session.title,
            entry.session.day,
            pgettext("agenda status", "Final") if entry.is_final else pgettext("agenda status", "Preliminary"),
            entry.meetings,
        )
        for entry in agenda
    ]
    return render_agenda(delegation, organization, sections, label=label or _("Your agenda"))


def invitation_agenda_pdf(invitation: Invitation, registration: Registration | None) -> bytes:
    """The agenda an invitation link shows (matchmaking.agendas.company_agenda: published sessions only)."""
    organization = registration.organization if registration else None
    agenda = company_agenda(invitation, registration)
    return sessions_agenda_pdf(invitation.delegation, organization, agenda, label=invitation.label)
