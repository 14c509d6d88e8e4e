"""Scheduling: what a meeting occupies, what it collides with, and the bookings that hold its slot."""

import contextlib
import contextvars
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from contacts.models import Organization, Person
from delegations.models import FollowUp

from .models import Booking, Meeting, MeetingParticipant

# Added by migration 0003 on PostgreSQL: no two bookings of one resource overlap.
BOOKING_EXCLUSION = "booking_no_overlap"

_deferred = contextvars.ContextVar("meeting_bookings_deferred", default=False)


class SlotTaken(ValidationError):
    """An organization, a person or the table of a meeting is already booked at an overlapping time."""

    @classmethod
    def from_conflicts(cls, conflicts: "Iterable[Conflict]") -> "SlotTaken":
        errors: dict[str, list[str]] = {}
        for conflict in conflicts:
            errors.setdefault(conflict.field, []).append(conflict.message)
        return cls(errors)


@dataclass(frozen=True)
class Conflict:
    field: str  # where staff enter what collides: an organization field, "table" or "person"
    message: str
    meeting: Meeting  # the other meeting


Slot = tuple[datetime.datetime, datetime.datetime]


def table_key(label: str) -> str:
    """A table label as compared: “ t1 ” and “T1” are one table."""
    return " ".join(label.split()).casefold()


def _slot(meeting: Meeting) -> Slot | None:
    """The instants a meeting occupies: none when cancelled or without both times."""
    if meeting.status == Meeting.Status.CANCELLED:
        return None
    starts_at, ends_at = meeting.instants()
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        return None
    return starts_at, ends_at


def meeting_booking_resources(
    *,
    delegation_organization_id: int | None = None,
    host_organization_id: int | None = None,
    table_venue_id: int | None = None,
    table: str = "",
    person_ids: Iterable[int] = (),
) -> dict[str, str]:
    """The booking keys of what a meeting occupies (its two organizations, its table at the venue where
    it stands, its people), each with the field it is entered in. By ids, so that bulk loaders, which
    write bookings without saving meetings, book exactly as `meeting_sync_bookings` does."""
    resources = {}
    for field, organization_id in (
        ("delegation_organization", delegation_organization_id),
        ("host_organization", host_organization_id),
    ):
        if organization_id is not None:
            resources[f"org:{organization_id}"] = field
    if table_venue_id is not None and (label := table_key(table)):
        resources[f"table:{table_venue_id}:{label}"] = "table"
    for person_id in person_ids:
        resources[f"person:{person_id}"] = "person"
    return resources


def _resources(meeting: Meeting, people: Iterable[Person], sides_and_table: bool) -> dict[str, str]:
    person_ids = [person.pk for person in people]
    if not sides_and_table:
        return meeting_booking_resources(person_ids=person_ids)
    venue = meeting.table_venue
    return meeting_booking_resources(
        delegation_organization_id=meeting.delegation_organization_id,
        host_organization_id=meeting.host_organization_id,
        table_venue_id=venue.pk if venue is not None else None,
        table=meeting.table,
        person_ids=person_ids,
    )


def _conflicts(meeting: Meeting, slot: Slot, resources: dict[str, str], people: Iterable[Person]) -> list[Conflict]:
    starts_at, ends_at = slot
    # Half-open slots: a meeting ending at 10:00 leaves the 10:00 slot free.
    in_the_way = (
        Booking.objects.filter(resource__in=resources, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("meeting__delegation_organization", "meeting__host_organization")
        .order_by("meeting__starts_at", "meeting__pk", "resource")
    )
    if meeting.pk is not None:
        in_the_way = in_the_way.exclude(meeting=meeting.pk)
    names = {f"person:{person.pk}": person for person in people}
    conflicts = []
    for booking in in_the_way:
        field = resources[booking.resource]
        if field == "person":
            message = _("%(person)s is already in “%(meeting)s” at that time.") % {
                "person": names[booking.resource],
                "meeting": booking.meeting,
            }
        elif field == "table":
            message = _("Table %(table)s at %(venue)s is already taken by “%(meeting)s” at that time.") % {
                "table": " ".join(meeting.table.split()),
                "venue": meeting.table_venue,
                "meeting": booking.meeting,
            }
        else:
            message = _("%(organization)s is already in “%(meeting)s” at that time.") % {
                "organization": getattr(meeting, field),
                "meeting": booking.meeting,
            }
        conflicts.append(Conflict(field=field, message=message, meeting=booking.meeting))
    return conflicts


def meeting_conflicts(
    *, meeting: Meeting, people: Iterable[Person] = (), sides_and_table: bool = True
) -> list[Conflict]:
    """Other meetings holding, at an overlapping time, what this one needs: its two organizations
    and its table (same venue and label, whatever the case) unless `sides_and_table` is false,
    and the given people.

    Reads the meeting's current fields, saved or not. Compares instants, not wall clocks, so
    meetings in different zones collide when they overlap in real time. A cancelled meeting, or
    one without both times, occupies nothing; back-to-back meetings do not overlap.
    """
    people = list(people)
    slot = _slot(meeting)
    resources = _resources(meeting, people, sides_and_table)
    if slot is None or not resources:
        return []
    return _conflicts(meeting, slot, resources, people)


@contextlib.contextmanager
def meeting_bookings_deferred() -> Iterator[None]:
    """Within the block, saving or deleting meetings and participants leaves bookings alone:
    the caller calls `meeting_sync_bookings` once everything is saved.

    The admin saves a meeting before its people: a person removed in the same submit must not
    block the meeting's new slot in between. Bulk changes use it to book each meeting once.
    """
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def meeting_bookings_are_deferred() -> bool:
    return _deferred.get()


@transaction.atomic
def meeting_sync_bookings(*, meeting: Meeting) -> None:
    """Make a saved meeting's bookings match what it occupies now: one per organization, person
    and table over its slot; none when it is cancelled or lacks a start or end time.

    Side effects, in one transaction: deletes the meeting's bookings that no longer apply and
    inserts the missing ones (unchanged ones stay untouched).

    Raises SlotTaken, naming the other meeting, when something is already booked at an
    overlapping time: found by the check here, or refused by the database on PostgreSQL when a
    concurrent save booked it first. Nothing of the rewrite is then kept; callers inside a wider
    transaction (a meeting's save) roll back with it.
    """
    slot = _slot(meeting)
    people = [participant.person for participant in meeting.participants.select_related("person")] if slot else []
    resources = _resources(meeting, people, sides_and_table=True) if slot else {}
    wanted = {(resource, *slot) for resource in resources} if slot else set()
    current = {(booking.resource, booking.starts_at, booking.ends_at): booking.pk for booking in meeting.bookings.all()}

    stale = [pk for key, pk in current.items() if key not in wanted]
    if stale:
        Booking.objects.filter(pk__in=stale).delete()
    missing = {key[0]: resources[key[0]] for key in wanted if key not in current}
    if not missing:
        return
    if conflicts := _conflicts(meeting, slot, missing, people):
        raise SlotTaken.from_conflicts(conflicts)
    try:
        with transaction.atomic():
            # In one order everywhere, so that two saves waiting on each other's rows cannot deadlock.
            Booking.objects.bulk_create(
                Booking(meeting=meeting, resource=resource, starts_at=slot[0], ends_at=slot[1])
                for resource in sorted(missing)
            )
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) != BOOKING_EXCLUSION:
            raise
        # The other save has committed (PostgreSQL waited for it): it is visible now.
        if conflicts := _conflicts(meeting, slot, missing, people):
            raise SlotTaken.from_conflicts(conflicts) from error
        raise SlotTaken(
            {NON_FIELD_ERRORS: [_("Another save booked part of this slot at the same moment. Please try again.")]}
        ) from error


def meeting_schedule(*, meeting: Meeting, participants: Iterable[tuple[Person, str]] = ()) -> Meeting:
    """Validate a new meeting with its participants (person, side), save them and book its slot.

    Side effects, in one transaction, all or nothing: inserts the meeting, its participants and
    its bookings.

    Raises ValidationError on invalid data, naming the other meeting when something is already
    booked at an overlapping time; SlotTaken (a ValidationError) when a concurrent save booked it
    between the check and the insert.
    """
    rows = [MeetingParticipant(meeting=meeting, person=person, side=side) for person, side in participants]
    meeting.full_clean()
    for row in rows:
        row.full_clean(exclude={"meeting"})
    with transaction.atomic(), meeting_bookings_deferred():
        meeting.save()
        bulk_create_with_history(rows, MeetingParticipant)
        meeting_sync_bookings(meeting=meeting)
    return meeting


@dataclass
class StatusChange:
    """What `meeting_set_status` did with each meeting."""

    changed: list[Meeting]
    unchanged: list[Meeting]  # already had that status
    refused: list[tuple[Meeting, ValidationError]]  # would have become invalid; kept their status


def meeting_set_status(
    *, meetings: Iterable[Meeting], status: str, user: AbstractBaseUser | None = None
) -> StatusChange:
    """Give each meeting the status, one meeting at a time.

    A meeting the change would make invalid keeps its status and is returned with the reason: one
    taken back from cancelled (or from any status) into a slot another meeting now holds, named in
    the error. The others change.

    Side effects, per meeting in its own transaction: saves its status and rewrites its bookings
    (a cancelled meeting frees its slot); then records the change in the admin history of each
    changed meeting under `user`, when given.
    """
    result = StatusChange(changed=[], unchanged=[], refused=[])
    for meeting in meetings:
        if meeting.status == status:
            result.unchanged.append(meeting)
            continue
        previous, meeting.status = meeting.status, status
        try:
            meeting.full_clean()
            meeting.save(update_fields=["status"])
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
    meeting.full_clean()
    if follow_up is not None:
        follow_up.delegation = meeting.delegation
        if follow_up.itinerary_item_id is None:
            follow_up.itinerary_item = meeting.session
        follow_up.full_clean()
    meeting.save(update_fields=["status", "outcome", "private_notes", "follow_up_expected"])
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
