"""The meetings changelist's search: the meetings matching every word of it, each word in either side's
organization, a participant or the table (names folded: any case or accents, in any script)."""

from django.db import connections
from django.db.models import Q, QuerySet

from contacts.models import Organization, Person
from core.search import InSubquery, read_ids

from .models import Meeting, MeetingParticipant

# Meeting ids a search reads into the worker at most: beyond, the page and its count each find them again.
SEARCH_IDS_READ = 20_000


def meetings_matching(word: str) -> QuerySet:
    """The ids of the meetings with the (folded) word in either side's organization, a participant or
    the table: a union of four sets, each read through an index (the organizations' and people's
    trigram indexes, then the meetings' and participants' foreign keys; the tables' trigram index).
    Written as an OR of the four over the meetings, it read every meeting."""
    organizations = Organization.objects.search(word).order_by().values("pk")
    people = Person.objects.search(word).order_by().values("pk")
    meetings = Meeting.objects.order_by()
    return (
        meetings.filter(InSubquery("delegation_organization", organizations))
        .values("pk")
        .union(
            meetings.filter(InSubquery("host_organization", organizations)).values("pk"),
            MeetingParticipant.objects.order_by().filter(InSubquery("person", people)).values("meeting"),
            meetings.filter(table__icontains=word).values("pk"),
        )
    )


def meetings_matching_every(words: list[str]) -> QuerySet:
    """The ids of the meetings matching every (folded) word, as `meetings_matching` defines a match: the
    four sets of each word as one condition over the meetings, the words' conditions joined by AND. On
    PostgreSQL each word is a bitmap of four index scans and the bitmaps are intersected before any meeting
    is read; the words' unions, intersected, read every meeting that matches any one word (45,750 rows
    for `nordlicht biotech`, of which 3,636 match both)."""
    condition = Q()
    for word in words:
        organizations = Organization.objects.search(word).order_by().values("pk")
        people = Person.objects.search(word).order_by().values("pk")
        participants = MeetingParticipant.objects.order_by().filter(InSubquery("person", people)).values("meeting")
        condition &= (
            Q(InSubquery("delegation_organization", organizations))
            | Q(InSubquery("host_organization", organizations))
            | Q(InSubquery("pk", participants))
            | Q(table__icontains=word)
        )
    return Meeting.objects.order_by().filter(condition).values("pk")


def meetings_searched(queryset: QuerySet, words: list[str]) -> QuerySet:
    """The meetings of `queryset` matching every (folded) word."""
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        # A word alone: its union reads the participants' meeting ids without reading the meetings.
        matching = meetings_matching(words[0]) if len(words) == 1 else meetings_matching_every(words)
        # Read once, the ids serve both the count and the page (each would read them again).
        if (in_ids := read_ids(matching, SEARCH_IDS_READ)) is not None:
            return queryset.filter(in_ids)
        return queryset.filter(InSubquery("pk", matching))
    matching = meetings_matching(words[0])
    for word in words[1:]:
        matching = matching.intersection(meetings_matching(word))
    return queryset.filter(InSubquery("pk", matching))
