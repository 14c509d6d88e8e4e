"""The meetings changelist's search: the meetings matching every word of it, each word in either side's
organization, a participant or the table (names folded: any case or accents, in any script)."""

import re

from django.db import connections
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex, Upper

from contacts.models import Organization, Person, names_search_terms
from core.prepared import fetchone_planned_once
from core.search import IdsPage, InIds, InSubquery
from delegations.models import Delegation

from .models import Meeting, MeetingParticipant

# The changelist's ordering (meetings.admin.MeetingAdmin): the visit, by its own ordering (latest first),
# then the order of the day.
LIST_ORDERING = ("delegation", "date", "start_time", "city", "table", "pk")
# LIST_ORDERING in SQL, over the meetings `m` (the columns `matching_ids` reads) and their visits `d`.
LIST_ORDER_BY = 'd.start_date DESC, d.title ASC, m.date ASC, m.start_time ASC, m.city ASC, m."table" ASC, m.id ASC'

# Three letters or digits in a row: the least that a trigram index can look up.
TRIGRAM = re.compile(r"[^\W_]{3}")

# Meeting ids a search reads into the worker at most: beyond, the page and its count each find them again.
SEARCH_IDS_READ = 20_000


def word_sets(word: str) -> tuple[QuerySet, QuerySet]:
    """The ids of the organizations and of the people whose names hold the (folded) word."""
    return Organization.objects.search(word).order_by().values("pk"), Person.objects.search(word).order_by().values(
        "pk"
    )


def meetings_matching(word: str) -> QuerySet:
    """The ids of the meetings with the (folded) word in either side's organization, a participant or
    the table: a union of four sets, each read through an index (the organizations' and people's
    trigram indexes, then the meetings' and participants' foreign keys; the tables' trigram index).
    Written as an OR of the four over the meetings, it read every meeting."""
    organizations, people = word_sets(word)
    meetings = Meeting.objects.order_by()
    return (
        meetings.filter(InSubquery("delegation_organization", organizations))
        .values("pk")
        .union(
            meetings.filter(InSubquery("host_organization", organizations)).values("pk"),
            MeetingParticipant.objects.order_by().filter(InSubquery("person", people)).values("meeting"),
            tables_holding(word),
        )
    )


def tables_holding(word: str) -> QuerySet:
    """The ids of the meetings whose table holds the word (any case), read through the tables' trigram
    index, or row by row for a trigram-less word (see `trigram_less`). Joined to the other sets as ids,
    so that every meeting the search's bitmap holds is a match: tested in the bitmap's own condition, a
    word too short for a trigram had every meeting tested against every set."""
    meetings = Meeting.objects.order_by()
    if trigram_less(word):
        meetings = meetings.alias(at=StrIndex(Upper("table"), Upper(Value(word)))).filter(at__gt=0)
    else:
        meetings = meetings.filter(table__icontains=word)
    return meetings.values("pk")


def matching_condition(words: list[str]) -> Q:
    """The meetings matching every (folded) word, as `meetings_matching` defines a match: each word's four
    sets (either side's organization, a participant, the table) as one OR, the words' ORs joined by AND.
    On PostgreSQL each word is a bitmap of four index scans, intersected before any meeting is read."""
    condition = Q()
    for word in words:
        organizations, people = word_sets(word)
        participants = MeetingParticipant.objects.order_by().filter(InSubquery("person", people)).values("meeting")
        condition &= (
            Q(InSubquery("delegation_organization", organizations))
            | Q(InSubquery("host_organization", organizations))
            | Q(InSubquery("pk", participants))
            | Q(InSubquery("pk", tables_holding(word)))
        )
    return condition


def matching_ids(words: list[str], using: str, page: tuple[int, int] | None = None) -> InIds | None:
    """`InIds` of the meetings matching every word, as `matching_condition` defines it, with their count
    and, for `page` (its first row and its size), that page's ids in the list's order (`LIST_ORDERING`),
    read in one statement (PostgreSQL); None if they are more than `SEARCH_IDS_READ`. The matching
    meetings are read once from the index bitmaps, with the columns they sort by, and kept for the three
    answers. The page is sorted alone (the database keeps its rows' first ones, not every match in order),
    then read by id (core.search.ids_page); the count and the other ids (for a filter or an action over
    every match) need no order. The database joins the ids into array literals: read row by row, 6,000
    ids cost the worker more time than the query did.

    Written in SQL rather than built as a queryset, for two plans the planner would not otherwise make:
    each word's organizations are read once for both sides, in a one-row subquery it keeps whole (OFFSET 0;
    merged into the query, each side's test read them again), and the visits, read whole, are joined by hash
    (it expects one match and would look each of thousands of matches' visit up by its index)."""
    connection = connections[using]
    arrays, array_params, conditions, condition_params = [], [], [], []
    for n, word in enumerate(words):
        organizations, organizations_params = _names_sql(Organization, word, connection)
        people, people_params = _names_sql(Person, word, connection)
        tables_sql, table_param = _holds('"table"', word, connection, any_case=True)
        arrays.append(f"ARRAY({organizations}) AS organizations_{n}")
        array_params += organizations_params
        conditions.append(
            f"(m.delegation_organization_id = ANY(w.organizations_{n})"
            f" OR m.host_organization_id = ANY(w.organizations_{n})"
            f" OR m.id = ANY(ARRAY(SELECT meeting_id FROM {MeetingParticipant._meta.db_table}"
            f" WHERE person_id = ANY(ARRAY({people}))))"
            # As `tables_holding` reads them.
            f" OR m.id = ANY(ARRAY(SELECT id FROM {Meeting._meta.db_table} WHERE {tables_sql})))"
        )
        condition_params += [*people_params, table_param]
    matching = (
        f'SELECT m.id, m.delegation_id, m.date, m.start_time, m.city, m."table"'
        f" FROM {Meeting._meta.db_table} m, (SELECT {', '.join(arrays)} OFFSET 0) AS w"
        f" WHERE {' AND '.join(conditions)} LIMIT {SEARCH_IDS_READ + 1}"
    )
    bottom, size = page if page is not None else (0, 0)
    with connection.cursor() as cursor:
        count, array, ids = fetchone_planned_once(
            cursor,
            f"WITH m AS MATERIALIZED ({matching}) "
            "SELECT (SELECT count(*) FROM m), (SELECT coalesce(array_agg(id), '{}')::text FROM m), "
            "ARRAY(SELECT m.id FROM m "
            f"JOIN (SELECT id, start_date, title FROM {Delegation._meta.db_table} OFFSET 0) d "
            f"ON d.id = m.delegation_id ORDER BY {LIST_ORDER_BY} LIMIT %s OFFSET %s)::text",
            [*array_params, *condition_params, size, bottom],
        )
    if count > SEARCH_IDS_READ:
        return None
    return InIds("pk", array=array, count=count, page=IdsPage(bottom, ids, LIST_ORDERING) if page is not None else None)


def _names_sql(model, word: str, connection) -> tuple[str, list[str]]:
    """The ids of the model's rows whose names hold the word, as `model.objects.search(word)` selects them
    (contacts.models.names_search_terms), written directly: building the two querysets' SQL for each
    word cost the worker more than the rest of the statement."""
    terms = []
    params = []
    for spellings in names_search_terms(word):
        alternatives = []
        for substrings in spellings:
            tests = [_holds("search_text", substring, connection) for substring in substrings]
            alternatives.append(" AND ".join(sql for sql, _ in tests))
            params += [param for _, param in tests]
        terms.append(" OR ".join(f"({alternative})" for alternative in alternatives))
    where = " AND ".join(f"({term})" for term in terms) or "TRUE"
    return f"SELECT id FROM {model._meta.db_table} WHERE {where}", params


def trigram_less(text: str) -> bool:
    """Whether the text is too short for the trigram indexes to find it (no three letters or digits in a
    row): they would return every row, each then tested in turn."""
    return TRIGRAM.search(text) is None


def _holds(column: str, text: str, connection, *, any_case: bool = False) -> tuple[str, str]:
    """SQL testing that the column holds the text (in any case: both compared in upper case, as Django's
    `icontains` does), and its parameter: a LIKE, which the column's trigram index serves, or for a
    trigram-less text `strpos`, which reads the rows in turn (a plan made for any text would read the
    whole index, then every row)."""
    column_sql, text_sql = (f"UPPER({column}::text)", "UPPER(%s)") if any_case else (column, "%s")
    if trigram_less(text):
        return f"strpos({column_sql}, {text_sql}) > 0", text
    return f"{column_sql} LIKE {text_sql}", _contains(text, connection)


def _contains(text: str, connection) -> str:
    """The LIKE pattern of Django's `contains` lookup (and `icontains`, compared in upper case)."""
    return f"%{connection.ops.prep_for_like_query(text)}%"


def meetings_searched(queryset: QuerySet, words: list[str], page: tuple[int, int] | None = None) -> QuerySet:
    """The meetings of `queryset` matching every (folded) word; `page`: the page of them in the list's
    order that will be shown (its first row and its size), read with them on PostgreSQL."""
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        # Read once, the ids serve the count and the page.
        if (in_ids := matching_ids(words, queryset.db, page)) is not None:
            return queryset.filter(in_ids)
        return queryset.filter(matching_condition(words))
    matching = meetings_matching(words[0])
    for word in words[1:]:
        matching = matching.intersection(meetings_matching(word))
    return queryset.filter(InSubquery("pk", matching))
