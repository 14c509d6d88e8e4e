"""A company's agenda, as its invitation link shows it: its own meetings in the B2B sessions whose agendas
staff have published, and the same as an iCalendar file. Nothing of other companies' meetings, and of the
people it meets only what the public pages show (names of public people, "a representative" otherwise)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from contacts.models import Organization
from contacts.privacy import PublicName, public_names
from core.dates import zone_label
from core.ical import UID_DOMAIN, add_missing_timezones, new_calendar, place_times
from delegations.models import ItineraryItem
from meetings.models import Meeting, MeetingParticipant

from .models import Invitation, Registration, SessionAgenda


@dataclass
class AgendaMeeting:
    meeting: Meeting
    counterpart: Organization
    own_people: list[str]
    their_people: list[PublicName]
    zone: str  # "CEST, UTC+2", as the public pages label a local time

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.status == Meeting.Status.CANCELLED


@dataclass
class AgendaSession:
    session: ItineraryItem
    agenda: SessionAgenda
    meetings: list[AgendaMeeting] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return self.agenda.status == SessionAgenda.Status.FINAL


def agenda_meeting(meeting: Meeting, organization: Organization) -> AgendaMeeting:
    """A meeting as the organization's agenda shows it: its own people by name, the others' as the public sees them."""
    own_side = "host" if meeting.host_organization_id == organization.pk else "delegation"
    counterpart = meeting.delegation_organization if own_side == "host" else meeting.host_organization
    participants = list(meeting.participants.all())
    return AgendaMeeting(
        meeting=meeting,
        counterpart=counterpart,
        own_people=[p.person.name for p in participants if p.side == own_side],
        their_people=public_names((p.person, counterpart) for p in participants if p.side != own_side),
        zone=zone_label(meeting.starts_at, meeting.time_zone) if meeting.starts_at else "",
    )


def company_agenda(invitation: Invitation, registration: Registration | None) -> list[AgendaSession]:
    """The published sessions among the link's, each with the registered organization's meetings in it
    (cancelled ones kept, marked), in programme order; none before staff publish a session's agendas."""
    return _agenda(SessionAgenda.objects.for_invitation(invitation), registration)


def registration_agenda(registration: Registration) -> list[AgendaSession]:
    """The same for a registration, with or without a link: the published sessions it was invited to (all the
    visit's when staff entered it, or its link leaves them open)."""
    if registration.invitation_id is not None:
        return company_agenda(registration.invitation, registration)
    return _agenda(SessionAgenda.objects.filter(delegation_id=registration.delegation_id), registration)


def _agenda(published, registration: Registration | None) -> list[AgendaSession]:
    agendas = list(
        published.select_related("session").order_by(
            "session__day", "session__start_time", "session__order", "session__pk"
        )
    )
    result = [AgendaSession(agenda.session, agenda) for agenda in agendas]
    if registration is None or not result:
        return result
    organization = registration.organization
    meetings = (
        Meeting.objects.filter(session__in=[a.session_id for a in agendas])
        .filter(Q(host_organization=organization) | Q(delegation_organization=organization))
        .select_related("venue", "host_organization", "delegation_organization")
        .prefetch_related(Prefetch("participants", queryset=MeetingParticipant.objects.select_related("person")))
        .order_by("date", "start_time", "table", "pk")
    )
    by_session = {entry.session.pk: entry for entry in result}
    for meeting in meetings:
        by_session[meeting.session_id].meetings.append(agenda_meeting(meeting, organization))
    return result


def meeting_location(meeting: Meeting) -> str:
    place = meeting.venue.full_address if meeting.venue else meeting.city
    if meeting.table:
        place = _("%(place)s, table %(table)s") % {"place": place, "table": meeting.table}
    return place


def agenda_calendar(invitation: Invitation, registration: Registration | None) -> Calendar:
    """The company's agenda as iCalendar: one event per meeting, in its place's zone, with a UID that stays
    the same from one download to the next so that an imported calendar updates instead of duplicating."""
    organization = registration.organization.name if registration else invitation.label
    return sessions_calendar(organization, company_agenda(invitation, registration))


def sessions_calendar(organization: str, agenda: list[AgendaSession]) -> Calendar:
    """An organization's agenda (company_agenda, registration_agenda) as iCalendar, as agenda_calendar says."""
    calendar = new_calendar(_("B2B agenda · %(organization)s") % {"organization": organization})
    stamp = timezone.now().replace(microsecond=0)
    for entry in agenda:
        for item in entry.meetings:
            calendar.add_component(_meeting_event(item, entry, stamp))
    add_missing_timezones(calendar)
    return calendar


def _meeting_event(item: AgendaMeeting, entry: AgendaSession, stamp: datetime.datetime) -> Event:
    meeting = item.meeting
    event = Event()
    event.add("uid", f"agenda-meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    name = item.counterpart.name
    if item.counterpart.native_name:
        name = f"{name} ({item.counterpart.native_name})"
    event.add("summary", _("B2B meeting with %(organization)s") % {"organization": name})
    place_times(
        event, meeting.date, meeting.start_time, meeting.end_time, meeting.time_zone, meeting.starts_at, meeting.ends_at
    )
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    mark = _("Final agenda") if entry.is_final else _("Preliminary agenda")
    lines = [f"{entry.session.title} · {mark}"]
    if item.their_people:
        lines.append(_("Participants: %(people)s") % {"people": ", ".join(map(str, item.their_people))})
    if item.own_people:
        lines.append(_("For you: %(people)s") % {"people": ", ".join(item.own_people)})
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if item.is_cancelled else ("CONFIRMED" if entry.is_final else "TENTATIVE"))
    return event
