"""Scheduling rules: what a meeting occupies, what it collides with, and the bookings that hold its slot.

Read by the services (meetings.services) and the admin's forms; nothing here is called on save.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contacts.merging import MergeRefused
from contacts.models import Organization, Person

from .models import Booking, Meeting

# Added by migration 0003 on PostgreSQL: no two bookings of one resource overlap.
BOOKING_EXCLUSION = "booking_no_overlap"


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


@transaction.atomic
def meeting_sync_bookings(*, meeting: Meeting) -> None:
    """Make a saved meeting's bookings match what it occupies now: one per organization, person
    and table over its slot; none when it is cancelled or lacks a start or end time.

    Side effects, in one transaction: deletes the meeting's bookings that no longer apply and
    inserts the missing ones (unchanged ones stay untouched).

    Raises SlotTaken, naming the other meeting, when something is already booked at an
    overlapping time: found by the check here, or refused by the database on PostgreSQL when a
    concurrent save booked it first. Nothing of the rewrite is then kept; callers inside a wider
    transaction (the service that saved the meeting) roll back with it.
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


def bookings_merge_prepare(*, kept, merged) -> Callable[[], None] | None:
    """The meetings' hook into a merge of two people or two organizations (contacts.merging).

    Refuses the merge (MergeRefused, naming both meetings) when the two records are booked in two
    different meetings at overlapping times: merged, one person or organization would be in both.
    Otherwise returns what rebooks the merged record's meetings once their rows point to the kept one.
    """
    if isinstance(kept, Person):
        prefix = "person"
    elif isinstance(kept, Organization):
        prefix = "org"
    else:
        return None
    mine = list(
        Booking.objects.filter(resource=f"{prefix}:{merged.pk}")
        .select_related("meeting__delegation_organization", "meeting__host_organization")
        .order_by("starts_at", "meeting__pk")
    )
    theirs = list(
        Booking.objects.filter(resource=f"{prefix}:{kept.pk}")
        .select_related("meeting__delegation_organization", "meeting__host_organization")
        .order_by("starts_at", "meeting__pk")
    )
    clashes = [
        _(
            "“%(merged)s” and “%(kept)s” would be one in two meetings at overlapping times: "
            "“%(meeting)s” and “%(other)s”."
        )
        % {"merged": merged, "kept": kept, "meeting": booking.meeting, "other": other.meeting}
        for booking in mine
        for other in theirs
        if other.meeting_id != booking.meeting_id
        and other.starts_at < booking.ends_at
        and booking.starts_at < other.ends_at
    ]
    if clashes:
        raise MergeRefused([*clashes, _("Move or cancel one of the meetings, then merge again.")])
    meeting_ids = sorted({booking.meeting_id for booking in mine})

    def rebook() -> None:
        for meeting in Meeting.objects.filter(pk__in=meeting_ids).order_by("pk"):
            meeting_sync_bookings(meeting=meeting)

    return rebook
