"""Schedule all, read from the database: the engine's `Problem` for some B2B sessions of one visit, what each of its
requests and slots stands for, and a fingerprint of it all. Writes nothing (matchmaking.schedule_services writes).

A mutual wish is two request rows (each side asked): the pair is one request of the problem, under the lower id,
and settles both. Meetings of these sessions that no request led to (entered by hand) hold their table, sides and
people as locked meetings of their own, under negative ids.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from delegations.models import ItineraryItem, local_instant
from meetings.grid import normalise, slots
from meetings.models import Booking, Meeting

from .models import Availability, MeetingRequest, Registration, RegistrationAttendee, Side
from .problem import Placement, Problem, Request, Slot

SCHEDULED = MeetingRequest.Status.SCHEDULED
# Meetings Schedule all may move or take back: those not held yet.
MOVABLE = (Meeting.Status.REQUESTED, Meeting.Status.CONFIRMED)


@dataclass
class Input:
    """A problem and what its ids stand for."""

    problem: Problem
    sessions: list[ItineraryItem]
    slots: dict[int, tuple[ItineraryItem, datetime.time, datetime.time]]  # slot index → session, local start, end
    settles: dict[int, list[int]] = field(default_factory=dict)  # problem request → the request rows it settles
    meetings: dict[int, int] = field(default_factory=dict)  # problem request → its meeting now, when placed
    # Meetings of these sessions that stay where they are off the grid (locked, or entered by hand at another
    # time or table): their bookings hold their sides and people as busy.
    held: list[int] = field(default_factory=list)

    @property
    def requests(self) -> dict[int, Request]:
        return {request.id: request for request in self.problem.requests}

    @property
    def fingerprint(self) -> str:
        return fingerprint(self)


def check_sessions(sessions) -> list[ItineraryItem]:
    """The sessions in programme order; ValidationError unless they are B2B sessions of one visit with a grid."""
    sessions = sorted(sessions, key=lambda session: (session.day, session.start_time or datetime.time(), session.pk))
    if not sessions:
        raise ValidationError(_("Choose at least one B2B session."))
    if any(session.kind != ItineraryItem.Kind.B2B_SESSION for session in sessions):
        raise ValidationError(_("Schedule all works on B2B sessions only."))
    if len({session.delegation_id for session in sessions}) > 1:
        raise ValidationError(_("Choose sessions of one visit: Schedule all works on one visit at a time."))
    for session in sessions:
        if not session.table_labels or not slots(session, [], None):
            raise ValidationError(
                _("“%(session)s” needs its start and end times, a slot length and its tables before it is scheduled.")
                % {"session": session}
            )
    return sessions


def build_input(sessions) -> Input:
    """The problem of these sessions as the database holds it now."""
    sessions = check_sessions(sessions)
    delegation_id = sessions[0].delegation_id
    grid, slot_rows = [], {}
    for session in sessions:
        for start, end in slots(session, [], None):
            starts_at = local_instant(session.day, start, session.time_zone, False)
            ends_at = local_instant(session.day, end, session.time_zone, False)
            if starts_at is None or ends_at is None:
                continue  # a time the clocks jump over that day
            index = len(grid)
            grid.append(Slot(index, str(session.pk), session.day.isoformat(), starts_at, ends_at))
            slot_rows[index] = (session, start, end)
    if not grid:
        raise ValidationError(_("These sessions have no slot the clocks show that day."))
    result = Input(problem=Problem(slots=(), tables={}, requests=()), sessions=sessions, slots=slot_rows)
    registrations = {
        registration.organization_id: registration
        for registration in Registration.objects.filter(delegation_id=delegation_id)
    }
    requests, locked, existing = _requests(result, delegation_id, registrations, grid)
    hand_placed = _meetings_by_hand(result, grid, requests, locked)
    requests += hand_placed
    people = {person for request in requests for person in request.people}
    organizations = {org for request in requests for org in request.organizations}
    organization_busy, person_busy = _busy(sessions, grid, organizations, people, result.held)
    result.problem = Problem(
        slots=tuple(grid),
        tables={str(session.pk): tuple(session.table_labels) for session in sessions},
        requests=tuple(requests),
        organization_availability=_availability(sessions, slot_rows, registrations, organizations),
        organization_busy=organization_busy,
        person_busy=person_busy,
        locked=tuple(locked),
        existing=tuple(existing),
        max_meetings={
            org: registration.max_meetings
            for org, registration in registrations.items()
            if registration.max_meetings is not None
        },
    )
    return result


def _side_people(request: MeetingRequest, registrations, attendees) -> tuple[bool, frozenset, frozenset]:
    """Whether the asker is on the delegation side, and the people of each side (the request's person, else the
    side's registered attendees)."""
    asker = registrations.get(request.asker_organization_id)
    target = registrations.get(request.target_organization_id)
    asker_is_guest = (asker is not None and asker.side == Side.DELEGATION) or (
        asker is None and target is not None and target.side == Side.HOST
    )

    def people(person_id, organization_id):
        if person_id is not None:
            return frozenset({person_id})
        registration = registrations.get(organization_id)
        return frozenset(attendees.get(registration.pk, ())) if registration is not None else frozenset()

    asking = people(request.asker_person_id, request.asker_organization_id)
    asked = people(request.target_person_id, request.target_organization_id)
    guest, host = (asking, asked) if asker_is_guest else (asked, asking)
    return asker_is_guest, guest, host - guest


def _requests(result: Input, delegation_id, registrations, grid):
    session_ids = [session.pk for session in result.sessions]
    rows = list(
        MeetingRequest.objects.with_mutual()
        .filter(delegation_id=delegation_id)
        .filter(
            Q(status=MeetingRequest.Status.ACCEPTED)
            | Q(status=SCHEDULED, meeting__session__in=session_ids, meeting__status__in=MOVABLE)
        )
        .select_related("meeting")
        .order_by("pk")
    )
    attendees = defaultdict(list)
    for attendee in RegistrationAttendee.objects.filter(registration__delegation_id=delegation_id).order_by("pk"):
        attendees[attendee.registration_id].append(attendee.person_id)
    by_pair: dict[frozenset, list[MeetingRequest]] = defaultdict(list)
    for row in rows:
        by_pair[frozenset((row.asker_organization_id, row.target_organization_id))].append(row)
    requests, locked, existing = [], [], []
    for pair_rows in by_pair.values():
        first = next((row for row in pair_rows if row.status == SCHEDULED), pair_rows[0])
        placement = _placement(first.pk, first.meeting, grid) if first.status == SCHEDULED else None
        if first.status == SCHEDULED and first.meeting.is_locked and placement is None:
            result.held.append(first.meeting_id)  # locked off the grid: it stays, and holds what it holds
            continue
        asker_is_guest, guest_people, host_people = _side_people(first, registrations, attendees)
        guest, host = (
            (first.asker_organization_id, first.target_organization_id)
            if asker_is_guest
            else (first.target_organization_id, first.asker_organization_id)
        )
        requests.append(
            Request(
                id=first.pk,
                guest_organization=guest,
                host_organization=host,
                guest_people=guest_people,
                host_people=host_people,
                priority=4 - min(row.priority for row in pair_rows),
                mutual=len(pair_rows) > 1 or first.is_mutual,
            )
        )
        result.settles[first.pk] = [row.pk for row in pair_rows]
        if first.status == SCHEDULED:
            result.meetings[first.pk] = first.meeting_id
            if placement is not None:
                (locked if first.meeting.is_locked else existing).append(placement)
    return requests, locked, existing


def _placement(request_id: int, meeting: Meeting, grid) -> Placement | None:
    """Where a meeting of these sessions stands in the grid: its slot (same instants) and table; None when it
    stands off the grid (it is then placed anew, or held as busy when locked)."""
    for slot in grid:
        if str(meeting.session_id) == slot.session and (meeting.starts_at, meeting.ends_at) == (slot.start, slot.end):
            return Placement(request_id, slot.index, meeting.table.strip()) if meeting.table.strip() else None
    return None


def _meetings_by_hand(result: Input, grid, requests, locked) -> list[Request]:
    """Meetings of these sessions no open request stands for: locked in place when on the grid at one of its tables."""
    known = {*result.meetings.values(), *result.held}
    tables = {session.pk: {normalise(label): label for label in session.table_labels} for session in result.sessions}
    hand = []
    meetings = (
        Meeting.objects.active()
        .filter(session__in=result.sessions, starts_at__isnull=False)
        .exclude(pk__in=known)
        .prefetch_related("participants")
        .order_by("pk")
    )
    for meeting in meetings:
        label = tables[meeting.session_id].get(normalise(meeting.table))
        placement = _placement(-meeting.pk, meeting, grid)
        if placement is None or label is None:
            result.held.append(meeting.pk)  # its bookings make its sides and people busy; the apply checks its table
            continue
        people = {participant.side: set() for participant in meeting.participants.all()}
        for participant in meeting.participants.all():
            people[participant.side].add(participant.person_id)
        hand.append(
            Request(
                id=-meeting.pk,
                guest_organization=meeting.delegation_organization_id,
                host_organization=meeting.host_organization_id,
                guest_people=frozenset(people.get("delegation", ())),
                host_people=frozenset(people.get("host", ())) - frozenset(people.get("delegation", ())),
            )
        )
        locked.append(Placement(-meeting.pk, placement.slot, label))
        result.meetings[-meeting.pk] = meeting.pk
    return hand


def _availability(sessions, slot_rows, registrations, organizations) -> dict[int, frozenset[int]]:
    """Organization → the slots it gave; an organization that gave none at all is free in every slot."""
    given = defaultdict(set)
    rows = Availability.objects.filter(
        registration__delegation_id=sessions[0].delegation_id, registration__organization__in=organizations
    ).select_related("registration")
    for row in rows:
        given[row.registration.organization_id].add((row.session_id, row.start_time))
    return {
        org: frozenset(index for index, (session, start, _end) in slot_rows.items() if (session.pk, start) in slots)
        for org, slots in given.items()
    }


def _busy(sessions, grid, organizations, people, held):
    """Slots taken by other programme items (as host organization or participant) and by meetings placed outside
    these sessions (their bookings)."""
    first, last = min(slot.start for slot in grid), max(slot.end for slot in grid)
    organization_busy, person_busy = defaultdict(set), defaultdict(set)

    def mark(busy, key, starts_at, ends_at):
        busy[key].update(slot.index for slot in grid if slot.start < ends_at and starts_at < slot.end)

    items = (
        ItineraryItem.objects.filter(starts_at__lt=last, ends_at__gt=first)
        .exclude(pk__in=[session.pk for session in sessions])
        .filter(Q(hosts__in=organizations) | Q(delegation_participants__in=people) | Q(host_participants__in=people))
        .distinct()
        .prefetch_related("hosts", "delegation_participants", "host_participants")
    )
    for item in items:
        for org in item.hosts.all():
            if org.pk in organizations:
                mark(organization_busy, org.pk, item.starts_at, item.ends_at)
        for person in (*item.delegation_participants.all(), *item.host_participants.all()):
            if person.pk in people:
                mark(person_busy, person.pk, item.starts_at, item.ends_at)
    keys = [f"org:{org}" for org in organizations] + [f"person:{person}" for person in people]
    bookings = (
        Booking.objects.filter(resource__in=keys, starts_at__lt=last, ends_at__gt=first)
        .exclude(Q(meeting__session__in=sessions) & ~Q(meeting__in=held))
        .only("resource", "starts_at", "ends_at")
    )
    for booking in bookings:
        kind, key = booking.resource.split(":")
        mark(organization_busy if kind == "org" else person_busy, int(key), booking.starts_at, booking.ends_at)
    return _frozen(organization_busy), _frozen(person_busy)


def _frozen(busy: dict[int, set[int]]) -> dict[int, frozenset[int]]:
    return {key: frozenset(value) for key, value in busy.items() if value}


def canonical(value):
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in sorted(value.items(), key=lambda pair: str(pair[0]))}
    if isinstance(value, (frozenset, set)):
        return sorted(canonical(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {name: canonical(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def fingerprint(data: Input) -> str:
    """SHA-256 of everything a proposal depends on: the problem, what its requests settle and their meetings."""
    content = {
        "problem": canonical(data.problem),
        "settles": canonical(data.settles),
        "meetings": canonical(data.meetings),
        "held": sorted(data.held),
        "sessions": [
            [session.pk, session.day, session.start_time, session.end_time, session.venue_id, session.time_zone]
            for session in data.sessions
        ],
    }
    return hashlib.sha256(json.dumps(canonical(content), sort_keys=True, default=str).encode()).hexdigest()
