"""Meetings as a table of cells: the columns of every meeting file (the public CSV, the staff CSV, the
workbook), one meeting's cells, and the same cells as SQL for the database to compute.

Column names are stable and documented in the README ("CSV export"). Cells hold codes and data,
never interface text, so a file reads the same whatever the language of whoever downloaded it.
The public columns name only people who may appear publicly; the staff columns add every name,
private notes and contact details, and never leave the staff's hands.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db import connections
from django.db.models import F, OrderBy, QuerySet, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from contacts.models import Organization, Person
from contacts.privacy import PublicName, public_names, representatives
from core.csv import QUOTES, neutralise, sql_text

from .models import Meeting, MeetingParticipant
from .people import TABLE as PEOPLE_TABLE

COLUMNS = (
    "date",
    "start_local",
    "end_local",
    "time_zone",
    "start_utc",
    "end_utc",
    "city",
    "venue",
    "venue_address",
    "table",
    "visit",
    "visit_slug",
    "delegation_organization",
    "delegation_people",
    "host_organization",
    "host_people",
    "sector",
    "status",
    "outcome",
)

PEOPLE_SEPARATOR = "; "


def public_people(meeting: Meeting, side: str) -> list[PublicName]:
    """One side's people as the public may see them; uses the prefetched participants."""
    host = side == MeetingParticipant.Side.HOST
    organization = meeting.host_organization if host else meeting.delegation_organization
    return public_names((p.person, organization) for p in meeting.participants.all() if p.side == side)


def local_clock(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def utc_instant(value: datetime.datetime | None) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def row_values(meeting: Meeting, *, people: Callable[[Meeting, str], Iterable] = public_people) -> list[str]:
    """The meeting's cells, in COLUMNS order, neutralised; `people` names one side's people (public ones by default)."""
    # English throughout, like the column names: the generated "a representative of X", and the
    # English text of translated content (visit title, sector, outcome), which is always complete.
    with translation.override("en"):
        delegates = PEOPLE_SEPARATOR.join(map(str, people(meeting, MeetingParticipant.Side.DELEGATION)))
        hosts = PEOPLE_SEPARATOR.join(map(str, people(meeting, MeetingParticipant.Side.HOST)))
        venue = meeting.venue
        values = (
            meeting.date.isoformat(),
            local_clock(meeting.start_time),
            local_clock(meeting.end_time),
            meeting.time_zone,
            utc_instant(meeting.starts_at),
            utc_instant(meeting.ends_at),
            meeting.city,
            venue.name if venue else "",
            venue.address if venue else "",
            meeting.table,
            meeting.delegation.title,
            meeting.delegation.slug,
            meeting.delegation_organization.name,
            delegates,
            meeting.host_organization.name,
            hosts,
            meeting.sector.name if meeting.sector else "",
            meeting.status,
            meeting.outcome,
        )
    return [neutralise(value) for value in values]


STAFF_COLUMNS = (
    *COLUMNS,
    "private_notes",
    "delegation_organization_email",
    "delegation_organization_phone",
    "delegation_people_contacts",
    "host_organization_email",
    "host_organization_phone",
    "host_people_contacts",
)


def all_people(meeting: Meeting, side: str) -> list[Person]:
    """One side's people, every one named, public or not; uses the prefetched participants."""
    return [participant.person for participant in meeting.participants.all() if participant.side == side]


def person_names(meeting: Meeting, side: str) -> list[str]:
    return [person.name for person in all_people(meeting, side)]


def contacts(persons: Iterable[Person]) -> str:
    """“Name: e-mail, phone” for each person, whatever they left empty."""
    lines = []
    for person in persons:
        details = ", ".join(detail for detail in (person.email, person.phone) if detail)
        lines.append(f"{person.name}: {details}" if details else person.name)
    return PEOPLE_SEPARATOR.join(lines)


def organization_contacts(organization: Organization) -> tuple[str, str]:
    return organization.contact_email, organization.contact_phone


def staff_row_values(meeting: Meeting) -> list[str]:
    """The meeting's cells, in COLUMNS order, neutralised."""
    extra = (
        meeting.private_notes,
        *organization_contacts(meeting.delegation_organization),
        contacts(all_people(meeting, MeetingParticipant.Side.DELEGATION)),
        *organization_contacts(meeting.host_organization),
        contacts(all_people(meeting, MeetingParticipant.Side.HOST)),
    )
    return row_values(meeting, people=person_names) + [neutralise(value) for value in extra]


# The same cells in SQL (see public.exports, which has PostgreSQL write the file's lines).

_ORGANIZATION_MARK, _COUNT_MARK, _SOME_COUNT = "\x01", "\x02", 987654321


def _representatives() -> tuple[str, str]:
    """privacy.representatives' own English phrases, with marks where the count and the organization go."""
    with translation.override("en"):
        stand_in = Organization(name=_ORGANIZATION_MARK)
        one = representatives(stand_in, 1)
        several = representatives(stand_in, _SOME_COUNT).replace(str(_SOME_COUNT), _COUNT_MARK)
    return one, several


def _raw_columns() -> dict[str, object]:
    """The meeting's own values, by column name (and its id), as the queryset reads them."""
    # Translated texts in English, as row_values reads them (no text in English reads as empty).
    return {
        "id": F("id"),
        "date": F("date"),
        "start_local": F("start_time"),
        "end_local": F("end_time"),
        "time_zone": F("time_zone"),
        "start_utc": F("starts_at"),
        "end_utc": F("ends_at"),
        "city": F("city"),
        "venue": Coalesce(F("venue__name"), Value("")),
        "venue_address": Coalesce(F("venue__address"), Value("")),
        "table": F("table"),
        "visit": Coalesce(F("delegation__title_en"), Value("")),
        "visit_slug": F("delegation__slug"),
        "delegation_organization": F("delegation_organization__name"),
        "host_organization": F("host_organization__name"),
        "sector": Coalesce(F("sector__name_en"), Value("")),
        "status": F("status"),
        "outcome": Coalesce(F("outcome_en"), Value(""), output_field=TextField()),
    }


# The columns read from the small tables a meeting refers to (a few thousand rows at most), by the meeting's
# key: {key: {column: field}}. Not the organizations: made cells whole (20,000 rows here), they would cost a
# small export more than its meetings' own.
_JOINED_COLUMNS = {
    "venue": {"venue": "name", "venue_address": "address"},
    "delegation": {"visit": "title_en", "visit_slug": "slug"},
    "sector": {"sector": "name_en"},
}
_JOINED = frozenset(name for fields in _JOINED_COLUMNS.values() for name in fields)
# The columns that are not text (a date, clock times, instants), which a caller formats itself.
NOT_TEXT = frozenset({"date", "start_local", "end_local", "start_utc", "end_utc"})


def _joined_cells(
    columns: dict[str, object], cell: Callable[[str], str], using: str
) -> tuple[dict[str, object], dict[str, str], str]:
    """The joined columns made cells once per row of their table: the meeting's columns with each key in
    place of the columns it reads, each joined column's cell in SQL, and the joins that read them.

    Each table is read in a subquery grouped by its primary key, which the planner keeps whole (a plain
    subquery's expressions would be computed again for every meeting) and may still run in parallel workers
    (unlike OFFSET 0 or a CTE)."""
    quote = connections[using].ops.quote_name
    columns = {name: value for name, value in columns.items() if name not in _JOINED}
    joined, joins = {}, []
    for key, fields in _JOINED_COLUMNS.items():
        model = Meeting._meta.get_field(key).related_model
        alias, pk = f"csv_{key}", quote(model._meta.pk.column)
        columns[f"{key}_id"] = F(f"{key}_id")
        selected = []
        for name, field in fields.items():
            selected.append(f"{cell(quote(model._meta.get_field(field).column))} AS {name}")
            joined[name] = f"{alias}.{name}"
        joins.append(
            f"\n        LEFT JOIN (SELECT {pk}, {', '.join(selected)} FROM {quote(model._meta.db_table)} GROUP BY {pk})"
            f" AS {alias} ON {alias}.{pk} = m.csv_{key}_id"
        )
    return columns, joined, "".join(joins)


def _stored_people(side: str, organization: str, cell: Callable[[str], str] | None) -> tuple[str, list[str]]:
    """One side's people as public_names gives them, from the row meetings.people keeps (`kept`); with `cell`,
    as that cell.

    `cell` neutralises the names before the representatives' phrase is joined to them, which neutralises the
    whole text as `cell` would (see _phrases_need_no_neutralising). The text is so computed once a row: `cell`
    around it would compute it again at each mention (SQL repeats a LATERAL column's expression where it is
    used)."""
    one, several = _representatives()
    separator = sql_text(PEOPLE_SEPARATOR)
    names, hidden = f"kept.{side}_names", f"coalesce(kept.{side}_hidden, 0)"
    sql = f"""concat_ws({separator}, {cell(names) if cell else f"nullif({names}, '')"},
        CASE {hidden} WHEN 0 THEN NULL
            WHEN 1 THEN replace(%s, %s, {organization})
            ELSE replace(replace(%s, %s, {hidden}::text), %s, {organization}) END)"""
    if cell:
        sql = f"nullif({sql}, '')"
    return sql, [one, _ORGANIZATION_MARK, several, _COUNT_MARK, _ORGANIZATION_MARK]


def _phrases_need_no_neutralising() -> bool:
    """Whether the people's text starts as its names do for neutralise(), whatever follows them: the
    representatives' phrases start with nothing a spreadsheet would run, whatever the count and organization
    (a formula character stands in for the organization's name), and a name of one quote is not followed
    by a formula character."""
    one, several = _representatives()
    phrases = (one, several.replace(_COUNT_MARK, "2"), several.replace(_COUNT_MARK, "12"))
    phrases = [phrase.replace(_ORGANIZATION_MARK, "=") for phrase in phrases]
    # A name of one quote: the text's second character is the separator's first.
    phrases += [f"{quote}{PEOPLE_SEPARATOR}" for quote in QUOTES]
    return all(neutralise(phrase) == phrase for phrase in phrases)


class SqlRows(NamedTuple):
    """A meeting file's rows in SQL: each column's value by its name in COLUMNS, the FROM clause they read
    and its params, and the queryset's order over that clause, as (key, direction) terms."""

    values: dict[str, str]
    source: str
    params: list
    order: tuple[tuple[str, str], ...]

    def _order_by(self, key: Callable[[int, str], str]) -> str:
        terms = [f"{key(n, term)} {direction}" for n, (term, direction) in enumerate(self.order)]
        return f" ORDER BY {', '.join(terms)}" if terms else ""

    def select(self) -> str:
        """The values in the queryset's order."""
        return f"SELECT {', '.join(self.values.values())} FROM {self.source}{self._order_by(lambda n, term: term)}"

    def select_keys_first(self, cells: list[str]) -> str:
        """`cells` (SQL over the source, one a column) in the queryset's order, sorted with the order's keys
        before them.

        PostgreSQL sorts rows holding the selected columns, then the keys it sorts by; it breaks a tie on
        the first key by reading the next ones from each row, which means walking every text column before
        them. Here the inner query sorts rows whose keys come first (OFFSET 0 keeps the planner from merging
        it into the outer one, which would put the keys last again), and parallel workers still compute the
        cells. The outer ORDER BY states the order the inner rows already have: the planner adds no sort."""
        keys = [f"{term} AS csv_key_{n}" for n, (term, _) in enumerate(self.order)]
        named = [f"{cell} AS csv_cell_{n}" for n, cell in enumerate(cells)]
        inner = f"SELECT {', '.join([*keys, *named])} FROM {self.source}{self._order_by(lambda n, term: term)} OFFSET 0"
        outer = ", ".join(f"sorted.csv_cell_{n}" for n in range(len(cells)))
        return f"SELECT {outer} FROM ({inner}) AS sorted{self._order_by(lambda n, term: f'sorted.csv_key_{n}')}"


def stored_sql_source(meetings: QuerySet, *, cell: Callable[[str], str] | None = None) -> SqlRows:
    """The meetings' rows in SQL: the queryset gives the rows (filters, joins, order), each side's people are
    read from the rows meetings.people keeps (one join, nothing looked up per meeting).

    With `cell` (core.csv.sql_cell), every text column (all but NOT_TEXT) comes as its cell; those read from
    the tables a meeting refers to (_JOINED_COLUMNS) are made cells once for each row of their table, not once
    a meeting."""
    columns = _raw_columns()
    joined, joins = {}, ""
    if cell:
        columns, joined, joins = _joined_cells(columns, cell, meetings.db)
    query = meetings.query
    ordering = query.order_by or (query.default_ordering and Meeting._meta.ordering) or ()
    order_columns, order = {}, []
    for n, term in enumerate(ordering):
        if isinstance(term, str):
            term = OrderBy(F(term.removeprefix("-")), descending=term.startswith("-"))
        order_columns[f"csv_order_{n}"] = term.expression
        nulls = " NULLS FIRST" if term.nulls_first else " NULLS LAST" if term.nulls_last else ""
        order.append((f"m.csv_order_{n}", f"{'DESC' if term.descending else 'ASC'}{nulls}"))
    names = [f"csv_{name}" for name in columns] + list(order_columns)
    raw = (
        meetings.select_related(None)
        .prefetch_related(None)
        .annotate(**{f"csv_{name}": value for name, value in columns.items()}, **order_columns)
        .order_by()
        .values_list(*names)
    )
    rows, params = raw.query.sql_with_params()
    people_cell = cell if cell and _phrases_need_no_neutralising() else None
    delegates, delegates_params = _stored_people("delegation", "m.csv_delegation_organization", people_cell)
    hosts, hosts_params = _stored_people("host", "m.csv_host_organization", people_cell)
    source = f"""({rows}) AS m{joins}
        LEFT JOIN {PEOPLE_TABLE} AS kept ON kept.meeting_id = m.csv_id
        CROSS JOIN LATERAL (SELECT {delegates} AS delegation_people, {hosts} AS host_people) AS people"""
    values = {column: f"people.{column}" if column.endswith("_people") else f"m.csv_{column}" for column in COLUMNS}
    if cell:
        made = dict(joined)
        if people_cell:
            made |= {column: values[column] for column in ("delegation_people", "host_people")}
        values = {
            column: made[column] if column in made else value if column in NOT_TEXT else cell(value)
            for column, value in values.items()
        }
    return SqlRows(values, source, [*params, *delegates_params, *hosts_params], tuple(order))
