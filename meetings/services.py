"""Services of the meetings app: every change to meetings, their people and their bookings, and
the changes to venues and itinerary items that meetings follow. Each is atomic and books what it
moves; nothing is left to a save receiver.

The rules themselves (what a meeting occupies, what it collides with) are in meetings.scheduling.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from contacts.models import Organization, Person
from core.history import deleted_record_restore
from delegations.models import (
    FollowUp,
    ItineraryItem,
    Venue,
    check_links_inside_visit,
    check_many_inside_visit,
    followed_place,
)
from delegations.services import venue_save

from .models import Meeting, MeetingParticipant
from .scheduling import (
    Conflict,
    SlotTaken,
    meeting_booking_resources,
    meeting_conflicts,
    meeting_sync_bookings,
    table_key,
)

__all__ = [
    "Conflict",
    "SlotTaken",
    "itinerary_item_update",
    "meeting_booking_resources",
    "meeting_conflicts",
    "meeting_follow_ups_set",
    "meeting_leave_follow_ups",
    "meeting_participant_save",
    "meeting_participants_remove",
    "meeting_record_outcome",
    "meeting_restore",
    "meeting_schedule",
    "meeting_set_status",
    "meeting_sync_bookings",
    "meeting_update",
    "meeting_validate",
    "table_key",
    "venue_update",
]


def meeting_validate(*, meeting: Meeting, participants: Iterable[MeetingParticipant] = ()) -> None:
    """Check a meeting, saved or not, and the given participant rows of it, as the services do before
    saving: each row's own rules (full_clean), then whether its organizations, its table and the
    participants' people are free at its time (meeting_conflicts). Writes nothing.

    Raises ValidationError on invalid data; SlotTaken (a ValidationError), naming the other
    meeting, when something is already booked at an overlapping time.
    """
    meeting.full_clean()
    if not meeting._state.adding and getattr(meeting, "_visit_read", None) != meeting.delegation_id:
        check_many_inside_visit(meeting.delegation, "follow_ups", meeting.follow_ups.all())
    if conflicts := meeting_conflicts(meeting=meeting):
        raise SlotTaken.from_conflicts(conflicts)
    _validate_participants(meeting, participants)


@transaction.atomic
def meeting_follow_ups_set(*, meeting: Meeting, follow_ups: Iterable[FollowUp]) -> None:
    """Make these the follow-ups the meeting led to, all of its own visit.

    Side effects: replaces the meeting's links to follow-ups (recorded in its history).

    Raises ValidationError, naming the visit, for a follow-up of another visit; nothing is then changed.
    """
    follow_ups = list(follow_ups)
    check_many_inside_visit(meeting.delegation, "follow_ups", follow_ups)
    meeting.follow_ups.set(follow_ups)


def meeting_leave_follow_ups(*, meeting: Meeting) -> int:
    """Unlink a saved meeting from the follow-ups of visits other than the one it is given (before it moves
    there: the database refuses a meeting linked to another visit's follow-up); return how many.

    Side effects: deletes those links (recorded in the meeting's history).
    """
    leaving = list(meeting.follow_ups.exclude(delegation=meeting.delegation_id))
    meeting.follow_ups.remove(*leaving)
    return len(leaving)


def _validate_participants(meeting: Meeting, participants: Iterable[MeetingParticipant]) -> None:
    for participant in participants:
        participant.full_clean(exclude={"meeting"} if meeting.pk is None else None)
        if conflicts := meeting_conflicts(meeting=meeting, people=[participant.person], sides_and_table=False):
            raise SlotTaken.from_conflicts(conflicts)


def meeting_schedule(*, meeting: Meeting, participants: Iterable[tuple[Person, str]] = ()) -> Meeting:
    """Validate a new meeting with its participants (person, side), save them and book its slot.

    Side effects, in one transaction, all or nothing: inserts the meeting, its participants and
    its bookings.

    Raises ValidationError on invalid data, naming the other meeting when something is already
    booked at an overlapping time; SlotTaken (a ValidationError) when a concurrent save booked it
    between the check and the insert.
    """
    rows = [MeetingParticipant(meeting=meeting, person=person, side=side) for person, side in participants]
    meeting_validate(meeting=meeting, participants=rows)
    with transaction.atomic():
        meeting.save()
        bulk_create_with_history(rows, MeetingParticipant)
        meeting_sync_bookings(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, participants: Iterable[tuple[Person, str]] | None = None) -> Meeting:
    """Validate a changed meeting (another slot, place, table or side) and save it with its bookings;
    with `participants` (person, side), make them the meeting's people.

    Side effects, in one transaction, all or nothing: updates the meeting (its city, zone and
    instants from its place); with `participants`, deletes the meeting's participants not listed,
    changes the side of those listed with another, inserts the new ones (each recorded in the
    history); rewrites the meeting's bookings.

    Raises ValidationError on invalid data, naming the other meeting when one of its organizations,
    its table or one of its people is already booked at an overlapping time (SlotTaken).
    """
    removed, rows = [], []
    if participants is not None:
        wanted = {person.pk: side for person, side in participants}
        people = {person.pk: person for person, _side in participants}
        current = {row.person_id: row for row in meeting.participants.all()} if meeting.pk is not None else {}
        removed = [row for person_id, row in current.items() if person_id not in wanted]
        for person_id, side in wanted.items():
            row = current.get(person_id) or MeetingParticipant(meeting=meeting, person=people[person_id])
            if row.pk is None or row.side != side:
                row.side = side
                rows.append(row)
    meeting_validate(meeting=meeting, participants=rows)
    meeting.save()
    for row in removed:
        row.delete()
    for row in rows:
        row.meeting = meeting  # a new meeting has its id now
        row.save()
    meeting_sync_bookings(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_participant_save(*, participant: MeetingParticipant) -> MeetingParticipant:
    """Validate a participant, new or changed, save it and rebook its meeting (and the meeting it
    left, when it moved to another).

    Side effects, in one transaction, all or nothing: saves the participant (recorded in the
    history); rewrites the bookings of the meetings it is and was in.

    Raises ValidationError on invalid data, naming the other meeting when the person is already
    booked at an overlapping time (SlotTaken).
    """
    _validate_participants(participant.meeting, [participant])
    previous = (
        MeetingParticipant.objects.filter(pk=participant.pk).values_list("meeting", flat=True).first()
        if participant.pk is not None
        else None
    )
    participant.save()
    if previous is not None and previous != participant.meeting_id:
        meeting_sync_bookings(meeting=Meeting.objects.get(pk=previous))
    meeting_sync_bookings(meeting=participant.meeting)
    return participant


@transaction.atomic
def meeting_participants_remove(*, participants: Iterable[MeetingParticipant]) -> int:
    """Take people out of their meetings; return how many.

    Side effects, in one transaction: deletes the participants one by one (each recorded in the
    history), then rewrites the bookings of their meetings, freeing those people's slots.
    """
    meetings: dict[int, Meeting] = {}
    count = 0
    for participant in participants:
        meetings.setdefault(participant.meeting_id, participant.meeting)
        participant.delete()
        count += 1
    for meeting in meetings.values():
        meeting_sync_bookings(meeting=meeting)
    return count


def _meetings_follow(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Save meetings whose place changed (save() copies its city and zone and recomputes the instants)
    and rebook them."""
    moved = []
    for meeting in meetings:
        meeting.fill_place()
        meeting.check_when()
        meeting.save()
        meeting_sync_bookings(meeting=meeting)
        moved.append(meeting)
    return moved


@transaction.atomic
def venue_update(*, venue: Venue) -> list[Meeting]:
    """Save a venue, new or changed, with everything that takes its place from it; return the
    meetings that moved.

    Side effects, in one transaction, all or nothing: saves the venue and its itinerary items
    whose city or zone differ from it (delegations.services.venue_save); saves the meetings held
    at the venue, and those without a venue of their own in one of the moved items, whose city
    or zone differ (their instants with them), and rewrites their bookings.

    Raises SlotTaken, naming the other meeting, when a meeting's new instants collide with
    another meeting's booking; nothing is then saved.
    """
    moved_items = venue_save(venue=venue)
    meetings = list(venue.meetings.exclude(city=venue.city, time_zone=venue.time_zone))
    for item in moved_items:
        meetings += item.meetings.filter(venue=None).exclude(city=item.city, time_zone=item.time_zone)
    return _meetings_follow(meetings)


@transaction.atomic
def itinerary_item_update(*, item: ItineraryItem) -> list[Meeting]:
    """Save an itinerary item, new or changed (another time or place); return the meetings that moved.

    Side effects, in one transaction, all or nothing: saves the item (its city, zone and instants
    from its venue); saves its meetings without a venue of their own whose city or zone differ
    from it (their instants with them) and rewrites their bookings.

    Raises ValidationError, saving nothing, when its day is out of range, one of its local times
    does not exist at its place that day, or the item moves to another visit while records of its visit
    link to it; SlotTaken, naming the other meeting, when a meeting's new instants collide with another
    meeting's booking; nothing is then saved.
    """
    item.city, item.time_zone = followed_place(item.venue if item.venue_id else None, item.city, item.time_zone)
    item.check_when()
    check_links_inside_visit(item)
    item.save()
    return _meetings_follow(item.meetings.filter(venue=None).exclude(city=item.city, time_zone=item.time_zone))


@transaction.atomic
def meeting_restore(*, record, user: AbstractBaseUser | None = None) -> Meeting | MeetingParticipant:
    """Restore a deleted meeting (with the participants deleted with it) or a deleted participant
    from the history record of its deletion, and book the meeting's slot again.

    Side effects, in one transaction, all or nothing: inserts the rows as
    core.history.deleted_record_restore does (recorded in the history under `user`), then
    rewrites the meeting's bookings.

    Raises RestoreRefused (core.history) as that function does, and SlotTaken, naming the
    other meeting, when something the meeting needs was booked at an overlapping time since.
    """
    restored = deleted_record_restore(record=record, user=user)
    meeting_sync_bookings(meeting=restored if isinstance(restored, Meeting) else restored.meeting)
    return restored


@dataclass
class StatusChange:
    """What `meeting_set_status` did with each meeting."""

    changed: list[Meeting]
    unchanged: list[Meeting]  # already had that status
    refused: list[tuple[Meeting, ValidationError]]  # would have become invalid; kept their status


def meeting_set_status(
    *, meetings: Iterable[Meeting], status: str, user: AbstractBaseUser | None = None
) -> StatusChange:
    """Give each meeting the status, one meeting at a time, each read again as it is now, locked until
    its change commits (a meeting deleted since it was selected is left out).

    A meeting the change would make invalid keeps its status and is returned with the reason: one
    taken back from cancelled (or from any status) into a slot another meeting now holds, named in
    the error. The others change.

    Side effects, per meeting in its own transaction: saves its status and rewrites its bookings
    (a cancelled meeting frees its slot); then records the change in the admin history of each
    changed meeting under `user`, when given.
    """
    result = StatusChange(changed=[], unchanged=[], refused=[])
    for meeting in meetings:
        try:
            with transaction.atomic():
                # As it is now, locked: a meeting moved or given another status since it was selected
                # is judged, validated and booked on its current state.
                try:
                    meeting.refresh_from_db(from_queryset=Meeting.objects.select_for_update())
                except Meeting.DoesNotExist:
                    continue
                if meeting.status == status:
                    result.unchanged.append(meeting)
                    continue
                previous, meeting.status = meeting.status, status
                meeting_validate(meeting=meeting)
                meeting.save(update_fields=["status"])
                meeting_sync_bookings(meeting=meeting)
        except ValidationError as error:
            meeting.status = previous
            result.refused.append((meeting, error))
        else:
            result.changed.append(meeting)
    if user is not None and result.changed:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=result.changed,
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": _field_names("status")}}],
        )
    return result


def _field_names(*names: str) -> list[str]:
    """Fields as the admin history names them."""
    return [str(Meeting._meta.get_field(name).verbose_name) for name in names]


@transaction.atomic
def meeting_record_outcome(
    *,
    meeting: Meeting,
    outcome: str,
    private_notes: str | None = None,
    follow_up_expected: bool = False,
    follow_up: FollowUp | None = None,
    organizations: Iterable[Organization] = (),
    user: AbstractBaseUser | None = None,
) -> FollowUp | None:
    """Record that a meeting was held and what came of it; with `follow_up` (unsaved), create it
    for the meeting's visit, with the given organizations, linked to the meeting.

    Side effects, in one transaction, all or nothing: saves the meeting's status (held), outcome,
    private notes (unchanged when None) and follow-up expected (true with a follow-up), rewriting
    its bookings; inserts the follow-up, its organizations and its link to the meeting. The
    follow-up comes from the meeting's session unless it names another item. Records both in the
    admin history under `user`, when given.

    Raises ValidationError, saving nothing, for a cancelled meeting or invalid data.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(
            _("This meeting was cancelled: it has no outcome. If it took place after all, change its status first."),
            code="cancelled",
        )
    meeting.status = Meeting.Status.HELD
    meeting.outcome = outcome
    if private_notes is not None:
        meeting.private_notes = private_notes
    meeting.follow_up_expected = follow_up_expected or follow_up is not None
    meeting_validate(meeting=meeting)
    if follow_up is not None:
        follow_up.delegation = meeting.delegation
        if follow_up.itinerary_item_id is None:
            follow_up.itinerary_item = meeting.session
        follow_up.full_clean()
    meeting.save(update_fields=["status", "outcome", "private_notes", "follow_up_expected"])
    meeting_sync_bookings(meeting=meeting)
    change_message: list[dict] = [
        {"changed": {"fields": _field_names("status", "outcome", "private_notes", "follow_up_expected")}}
    ]
    if follow_up is not None:
        follow_up.save()
        follow_up.organizations.set(organizations)
        meeting.follow_ups.add(follow_up)
        change_message.append({"added": {"name": str(FollowUp._meta.verbose_name), "object": str(follow_up)}})
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=[meeting], action_flag=CHANGE, change_message=change_message
        )
        if follow_up is not None:
            LogEntry.objects.log_actions(
                user_id=user.pk, queryset=[follow_up], action_flag=ADDITION, change_message=[{"added": {}}]
            )
    return follow_up
