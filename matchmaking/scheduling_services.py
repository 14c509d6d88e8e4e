"""Schedule all's services: compute a proposal for some B2B sessions of one visit, apply it (all of it or nothing),
discard it, and take back what it placed. The meetings are written through meetings.services, which book them.
"""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _

from contacts.models import Person
from core.batches import batch_queue
from core.models import Batch
from delegations.models import ItineraryItem
from meetings.models import Meeting
from meetings.services import SlotTaken, meeting_schedule, meeting_update

from .models import MeetingRequest, SchedulingProposal
from .problem import Change, ProblemError
from .scheduling import MOVABLE, SCHEDULED, Input, build_input, check_sessions
from .solver import schedule

DEADLOCK = "40P01"  # PostgreSQL's deadlock_detected


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _as_json(data: Input, proposal) -> dict:
    placements = []
    for item in proposal.scheduled:
        if item.request < 0:
            continue  # a meeting entered by hand, held where it is
        session, start, end = data.slots[item.slot]
        request = data.requests[item.request]
        placements.append(
            {
                "request": item.request,
                "guest": request.guest_organization,
                "host": request.host_organization,
                "settles": data.settles[item.request],
                "meeting": data.meetings.get(item.request),
                "session": session.pk,
                "day": session.day.isoformat(),
                "start": _time(start),
                "end": _time(end),
                "table": item.table,
                # A scheduled meeting off the grid (moved there by hand) is moved back onto it, not doubled.
                "change": str(
                    Change.MOVED if item.change == Change.PLACED and item.request in data.meetings else item.change
                ),
                "locked": item.locked,
            }
        )
    placements.sort(key=lambda row: (row["day"], row["start"], row["table"], row["request"]))
    left_out = [
        {"request": item.request, "reason": str(item.reason), "organization": item.organization}
        for item in proposal.left_out
        if item.request > 0
    ]
    stats = proposal.stats
    return {
        "placements": placements,
        "left_out": left_out,
        "stats": {"placed": stats.placed, "bound": stats.bound, "optimal": stats.optimal},
    }


def proposal_compute(*, sessions, user: AbstractBaseUser | None = None) -> SchedulingProposal:
    """Compute what Schedule all proposes for these B2B sessions of one visit, and keep it to be shown.

    Side effects, in one transaction: inserts the proposal and its links to the sessions. Changes no meeting and
    no request. The solver runs outside any transaction: a change read halfway shows in the fingerprint, and the
    apply then refuses.

    Raises ValidationError, saving nothing, when the sessions are not B2B sessions of one visit with times, a slot
    length and tables, or when the input contradicts itself (e.g. two locked meetings at one table at once).
    """
    data = build_input(sessions)
    try:
        proposal = schedule(data.problem)
    except ProblemError as error:
        raise ValidationError(str(error)) from error
    with transaction.atomic():
        result = SchedulingProposal.objects.create(
            delegation_id=data.sessions[0].delegation_id,
            created_by=user,
            proposal=_as_json(data, proposal),
            fingerprint=data.fingerprint,
        )
        result.sessions.set(data.sessions)
    return result


def proposal_compute_queue(*, sessions, user: AbstractBaseUser | None = None) -> Batch:
    """Have proposal_compute run as a task (by a worker, or at once without a broker) and return the batch that
    follows it: done with a link to the proposal, or failed with proposal_compute's reason. Call it outside a
    transaction: the worker must find the batch.

    Side effects: inserts the batch; the task inserts the proposal and ends the batch."""
    from .tasks import proposal_compute_task

    sessions = list(sessions)
    visit = sessions[0].delegation.title if sessions else ""
    return batch_queue(
        label=_("Schedule all · %(visit)s") % {"visit": visit},
        total=1,
        task=proposal_compute_task,
        args=([session.pk for session in sessions], user.pk if user else None),
        user=user,
    )


def _participants(data: Input, request_id: int) -> list[tuple[Person, str]]:
    request = data.requests[request_id]
    people = Person.objects.in_bulk([*request.guest_people, *request.host_people])
    return [(people[pk], "delegation") for pk in sorted(request.guest_people)] + [
        (people[pk], "host") for pk in sorted(request.host_people)
    ]


def _new_meeting(data: Input, row: dict) -> Meeting:
    request = data.requests[row["request"]]
    session = next(session for session in data.sessions if session.pk == row["session"])
    meeting = Meeting(
        delegation_id=session.delegation_id,
        session=session,
        date=session.day,
        start_time=datetime.time.fromisoformat(row["start"]),
        end_time=datetime.time.fromisoformat(row["end"]),
        venue=session.venue,
        table=row["table"],
        delegation_organization_id=request.guest_organization,
        host_organization_id=request.host_organization,
        status=Meeting.Status.CONFIRMED,
    )
    return meeting_schedule(meeting=meeting, participants=_participants(data, row["request"]))


def proposal_apply(*, proposal: SchedulingProposal, user: AbstractBaseUser | None = None) -> list[Meeting]:
    """Write a proposal: its new meetings, its moves, its requests scheduled; return the meetings it placed or moved.

    Side effects, in one transaction, all or nothing: locks the proposal's sessions (two applies for one session
    wait for each other); inserts each new meeting (confirmed, at the session's venue, with the requests' people)
    with its bookings; moves each moved meeting (first off the grid, then to its new slot and table); sets each
    request it settles `scheduled` with its meeting; deletes the proposal.

    Raises ValidationError, writing nothing, when anything the proposal was computed from changed since, or when a
    concurrent change booked one of its slots first.
    """
    try:
        with transaction.atomic():
            sessions = list(ItineraryItem.objects.select_for_update().filter(pk__in=proposal.sessions.all()))
            data = build_input(sessions)
            if data.fingerprint != proposal.fingerprint:
                raise ValidationError(
                    _("Something changed since this proposal was computed: compute it again."), code="stale"
                )
            rows = proposal.proposal["placements"]
            moving = {row["meeting"]: row for row in rows if row["change"] == Change.MOVED}
            meetings = Meeting.objects.select_for_update().in_bulk(list(moving))
            for meeting in meetings.values():
                meeting.start_time = meeting.end_time = None
                meeting_update(meeting=meeting)
            written = []
            for meeting_id, row in moving.items():
                meeting = meetings[meeting_id]
                meeting.start_time = datetime.time.fromisoformat(row["start"])
                meeting.end_time = datetime.time.fromisoformat(row["end"])
                meeting.table, meeting.session_id = row["table"], row["session"]
                written.append(meeting_update(meeting=meeting))
            for row in rows:
                if row["change"] == Change.PLACED:
                    meeting = _new_meeting(data, row)
                    written.append(meeting)
                    _requests_scheduled(row["settles"], meeting, user)
            proposal.delete()
            return written
    except SlotTaken as error:
        raise ValidationError(
            _("A slot of this proposal was booked meanwhile (%(reason)s): nothing was written; compute it again.")
            % {"reason": " ".join(error.messages)},
            code="taken",
        ) from error
    except (IntegrityError, OperationalError) as error:
        # The exclusion constraint refused a booking, or PostgreSQL broke a deadlock with a concurrent save by
        # rolling this transaction back: either way nothing of it was kept.
        if isinstance(error, OperationalError) and getattr(error.__cause__, "pgcode", None) != DEADLOCK:
            raise
        raise ValidationError(
            _("Another change was saved at the same moment: nothing was written; compute the proposal again."),
            code="taken",
        ) from error


def _requests_scheduled(request_ids: list[int], meeting: Meeting, user) -> None:
    for request in MeetingRequest.objects.filter(pk__in=request_ids).select_for_update():
        request.status, request.meeting = SCHEDULED, meeting
        if user is not None:
            request._history_user = user
        request.save(update_fields=["status", "meeting", "updated_at"])


def proposal_discard(*, proposal: SchedulingProposal) -> None:
    """Drop a proposal unapplied. Side effects: deletes it; nothing else changes."""
    proposal.delete()


@transaction.atomic
def sessions_unschedule(*, sessions, user: AbstractBaseUser | None = None) -> int:
    """Take back the meetings Schedule all placed in these sessions, except locked ones and those already held or
    cancelled; return how many. Their requests go back to `accepted`, to be scheduled again.

    The meetings are deleted rather than cancelled: nobody called them off, they were only proposed into the grid,
    and a cancelled row would stay in the lists and reports as a meeting that fell through. Their history keeps them
    (an admin can restore one).

    Side effects, in one transaction: deletes those meetings (their participants and bookings with them) and saves
    their requests (status accepted, no meeting; recorded in their history under `user`).
    """
    sessions = check_sessions(sessions)
    placed = MeetingRequest.objects.filter(status=SCHEDULED).values("meeting")
    meetings = list(
        Meeting.objects.select_for_update()
        .filter(session__in=sessions, is_locked=False, status__in=MOVABLE, pk__in=placed)
        .order_by("pk")
    )
    for request in MeetingRequest.objects.filter(meeting__in=meetings).select_for_update():
        request.status, request.meeting = MeetingRequest.Status.ACCEPTED, None
        if user is not None:
            request._history_user = user
        request.save(update_fields=["status", "meeting", "updated_at"])
    for meeting in meetings:
        meeting.delete()
    return len(meetings)
