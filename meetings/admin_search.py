"""The meetings changelist's search: the meetings matching every word of it, each word in either side's
organization, a participant or the table (names folded: any case or accents, in any script)."""

from django.db import connections
from django.db.models import Q, QuerySet

from contacts.identity import search_keys
from contacts.models import Organization, Person
from core.search import InIds, InSubquery, read_ids
from core.text import fold

from . import search_documents
from .models import Meeting, MeetingParticipant

# The changelist's ordering (meetings.admin.MeetingAdmin): the visit (by its own ordering), then the
# order of the day. search_documents.ORDER_BY writes it in SQL.
LIST_ORDERING = ("delegation", "date", "start_time", "city", "table", "pk")

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


def document_condition(words: list[str]) -> tuple[str, list[str]] | None:
    """SQL over the search documents `s` (meetings.search_documents) true for the meetings matching every
    (folded) word, or None when a word needs the definition's own reading. A word matches a record's
    `search_text` when it holds the word or, if the word has one romanisation key, that key
    (contacts.models.NamesSearchQuerySet); a document joins its records' texts with spaces, which no word
    holds, so it holds a word or a key exactly when one of its records does. A word of several keys (one
    record must hold them all, not the document) or that folds again into other words is left to the
    definition."""
    conditions, params = [], []
    for word in words:
        keys = search_keys(word).split()
        if fold(word).split() != [word] or len(keys) > 1:
            return None
        spellings = [word, *(key for key in keys if key != word)]
        conditions.append(
            "(" + " OR ".join(["s.document LIKE %s"] * len(spellings) + ['UPPER(s."table") LIKE UPPER(%s)']) + ")"
        )
        params += [f"%{spelling}%" for spelling in spellings] + [f"%{word}%"]
    return " AND ".join(conditions), params


def documents_read(queryset: QuerySet, words: list[str]) -> InIds | None:
    """`InIds` of the meetings matching every word, in the list's order (`LIST_ORDERING`), read from their
    search documents with their count in one statement; None when a word needs the definition's reading
    (see `document_condition`) or when they are more than `SEARCH_IDS_READ`."""
    if (condition := document_condition(words)) is None:
        return None
    sql, params = condition
    table = search_documents.TABLE
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), coalesce(array_agg(s.meeting_id ORDER BY {search_documents.ORDER_BY}), '{{}}')::text "
            f"FROM (SELECT * FROM {table} s WHERE {sql} LIMIT %s) s "
            "JOIN delegations_delegation d ON d.id = s.delegation_id",
            [*params, SEARCH_IDS_READ + 1],
        )
        count, array = cursor.fetchone()
    return None if count > SEARCH_IDS_READ else InIds("pk", array=array, count=count, ordering=LIST_ORDERING)


def meetings_searched(queryset: QuerySet, words: list[str]) -> QuerySet:
    """The meetings of `queryset` matching every (folded) word."""
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        # Read from the search documents, in the list's order, which a page then takes a slice of.
        if (in_ids := documents_read(queryset, words)) is not None:
            return queryset.filter(in_ids)
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
