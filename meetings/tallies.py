"""Running counts of held meetings, kept by the database, for the results figures (public.results): per
visit and sector, per visit and organization (each side of a meeting counts for its organization), and
per organization over the published visits.

The results page across every published visit would otherwise count 170,000 meetings at each request.
These counts change in the same transaction as the rows they count, whatever writes them (the admin, a
service, a merge, the scale generator's COPY, a script): triggers on the meetings add or remove a meeting
when it becomes or stops being held, or moves to another visit, sector or organization; a trigger on the
visits moves a visit's counts into or out of the published totals when it is published or withdrawn. A
count that falls to zero is deleted, so the tables hold only what a page may show.

On PostgreSQL a meeting's trigger reads its visit `FOR SHARE`: publishing the visit meanwhile waits for
the meeting's transaction and then counts it, or the meeting waits for the publication and counts itself.

The tables are not models: plain tables of ids, not foreign keys, written by the triggers alone and read
by public.results in SQL, so that merging or deleting a record never treats their rows as references of
their own (contacts.merging moves every reference): the triggers move the counts when the meetings move.
`tallies_rebuild` (`manage.py rebuild_results_tallies`) writes them again from the meetings;
`tallies_differences` lists what differs from the meetings (the command's --check).

Migrations create and drop the triggers with `create_statements` and `drop_statements`. On SQLite, a
later migration that rebuilds meetings_meeting or delegations_delegation drops their triggers: it must
create them again (as for core.same_owner). The tests check that the triggers exist after migrating.
"""

from django.db import connection, transaction

from core import triggers

HELD = "'held'"
MEETING = "meetings_meeting"
VISIT = "delegations_delegation"
BY_SECTOR = "meetings_heldmeetingtally"
BY_ORGANIZATION = "meetings_heldorganizationtally"
PUBLISHED = "meetings_publishedorganizationtotal"
# Each is created on both vendors; SQLite's triggers take one event each.
TRIGGERS = {
    "postgresql": [
        ("meeting_results_tally", MEETING),
        ("visit_results_tally", VISIT),
        ("meeting_results_tally_truncate", MEETING),
    ],
    "sqlite": [
        ("meeting_results_tally_insert", MEETING),
        ("meeting_results_tally_update", MEETING),
        ("meeting_results_tally_delete", MEETING),
        ("visit_results_tally_insert", VISIT),
        ("visit_results_tally_update", VISIT),
        ("visit_results_tally_delete", VISIT),
    ],
}
# A change to one of these columns may move a meeting's counts.
COUNTED = ("status", "delegation_id", "sector_id", "delegation_organization_id", "host_organization_id")


def _add(row: str, sign: int, published: str) -> list[str]:
    """Statements adding (sign 1) or removing (-1) the meeting `row` (NEW or OLD), held, to the counts;
    `published`: an SQL condition, true when its visit is published. Both vendors."""
    sides = f"(SELECT {row}.delegation_organization_id AS o UNION ALL SELECT {row}.host_organization_id)"
    if sign > 0:
        return [
            f"INSERT INTO {BY_SECTOR} (delegation_id, sector_id, n) "
            f"VALUES ({row}.delegation_id, COALESCE({row}.sector_id, 0), 1) "
            f"ON CONFLICT (delegation_id, sector_id) DO UPDATE SET n = {BY_SECTOR}.n + 1",
            f"INSERT INTO {BY_ORGANIZATION} (delegation_id, organization_id, n) "
            f"SELECT {row}.delegation_id, sides.o, 1 FROM {sides} AS sides WHERE true ORDER BY sides.o "
            f"ON CONFLICT (delegation_id, organization_id) DO UPDATE SET n = {BY_ORGANIZATION}.n + 1",
            f"INSERT INTO {PUBLISHED} (organization_id, n) "
            f"SELECT sides.o, 1 FROM {sides} AS sides WHERE {published} ORDER BY sides.o "
            f"ON CONFLICT (organization_id) DO UPDATE SET n = {PUBLISHED}.n + 1",
        ]
    organizations = f"({row}.delegation_organization_id, {row}.host_organization_id)"
    return [
        f"UPDATE {BY_SECTOR} SET n = n - 1 "
        f"WHERE delegation_id = {row}.delegation_id AND sector_id = COALESCE({row}.sector_id, 0)",
        f"DELETE FROM {BY_SECTOR} "
        f"WHERE delegation_id = {row}.delegation_id AND sector_id = COALESCE({row}.sector_id, 0) AND n = 0",
        f"UPDATE {BY_ORGANIZATION} SET n = n - 1 "
        f"WHERE delegation_id = {row}.delegation_id AND organization_id IN {organizations}",
        f"DELETE FROM {BY_ORGANIZATION} "
        f"WHERE delegation_id = {row}.delegation_id AND organization_id IN {organizations} AND n = 0",
        f"UPDATE {PUBLISHED} SET n = n - 1 WHERE organization_id IN {organizations} AND {published}",
        f"DELETE FROM {PUBLISHED} WHERE organization_id IN {organizations} AND n = 0",
    ]


def _visit_moves(visit: str) -> list[str]:
    """Statements adding the visit's counts to the published totals when it is published, removing them
    when it is not (a row inserted is checked before it meets its conflict, so the removal updates)."""
    return [
        f"INSERT INTO {PUBLISHED} (organization_id, n) "
        f"SELECT organization_id, n FROM {BY_ORGANIZATION} WHERE delegation_id = {visit}.id AND {visit}.is_published "
        "ORDER BY organization_id "
        f"ON CONFLICT (organization_id) DO UPDATE SET n = {PUBLISHED}.n + excluded.n",
        *_visit_removal(visit, f"NOT {visit}.is_published"),
    ]


def _visit_removal(visit: str, condition: str = "true") -> list[str]:
    """Statements taking the visit's counts out of the published totals when `condition` holds: when it is
    withdrawn, or deleted before its meetings (a flush; foreign keys are checked at commit), whose triggers
    then find no visit to say it was published."""
    return [
        f"UPDATE {PUBLISHED} SET n = {PUBLISHED}.n - tally.n FROM {BY_ORGANIZATION} tally "
        f"WHERE tally.delegation_id = {visit}.id AND tally.organization_id = {PUBLISHED}.organization_id "
        f"AND {condition}",
        f"DELETE FROM {PUBLISHED} WHERE n = 0 AND organization_id IN "
        f"(SELECT organization_id FROM {BY_ORGANIZATION} WHERE delegation_id = {visit}.id)",
    ]


def _postgresql() -> list[str]:
    def published(row):
        # The visit was read FOR SHARE first (below).
        return f"EXISTS (SELECT 1 FROM {VISIT} WHERE id = {row}.delegation_id AND is_published)"

    def block(row, sign):
        return " ".join(f"{statement};" for statement in _add(row, sign, published(row)))

    meeting = (
        "BEGIN "
        "IF TG_OP = 'UPDATE' THEN "
        f"IF NOT ({triggers.changed(COUNTED, 'postgresql')}) THEN RETURN NULL; END IF; END IF; "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN IF OLD.status = {HELD} THEN "
        f"PERFORM 1 FROM {VISIT} WHERE id = OLD.delegation_id FOR SHARE; {block('OLD', -1)} END IF; END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN IF NEW.status = {HELD} THEN "
        f"PERFORM 1 FROM {VISIT} WHERE id = NEW.delegation_id FOR SHARE; {block('NEW', 1)} END IF; END IF; "
        "RETURN NULL; END"
    )
    removal = " ".join(f"{statement};" for statement in _visit_removal("OLD"))
    visit = (
        f"BEGIN IF TG_OP = 'DELETE' THEN IF OLD.is_published THEN {removal} END IF; RETURN NULL; END IF; "
        "IF TG_OP = 'INSERT' THEN IF NOT NEW.is_published THEN RETURN NULL; END IF; "
        "ELSIF OLD.is_published = NEW.is_published THEN RETURN NULL; END IF; "
        + " ".join(f"{statement};" for statement in _visit_moves("NEW"))
        + " RETURN NULL; END"
    )
    return [
        f"CREATE OR REPLACE FUNCTION meeting_results_tally() RETURNS trigger LANGUAGE plpgsql AS $$ {meeting} $$",
        f"CREATE TRIGGER meeting_results_tally AFTER INSERT OR UPDATE OR DELETE ON {MEETING} "
        "FOR EACH ROW EXECUTE FUNCTION meeting_results_tally()",
        f"CREATE OR REPLACE FUNCTION visit_results_tally() RETURNS trigger LANGUAGE plpgsql AS $$ {visit} $$",
        f"CREATE TRIGGER visit_results_tally AFTER INSERT OR UPDATE OF is_published OR DELETE ON {VISIT} "
        "FOR EACH ROW EXECUTE FUNCTION visit_results_tally()",
        # TRUNCATE (a flush: the scale generator's, the test runner's) fires no row trigger; it leaves no
        # meeting to count. SQLite has no TRUNCATE: its flush deletes row by row.
        "CREATE OR REPLACE FUNCTION meeting_results_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {BY_SECTOR}; DELETE FROM {BY_ORGANIZATION}; DELETE FROM {PUBLISHED}; RETURN NULL; END $$",
        f"CREATE TRIGGER meeting_results_tally_truncate AFTER TRUNCATE ON {MEETING} "
        "FOR EACH STATEMENT EXECUTE FUNCTION meeting_results_tally_truncate()",
    ]


def _sqlite() -> list[str]:
    def published(row):
        return f"(SELECT is_published FROM {VISIT} WHERE id = {row}.delegation_id)"

    def body(*blocks):
        return "BEGIN " + " ".join(f"{statement};" for block in blocks for statement in block) + " END"

    def only_held(row, statements):
        # Statements run whatever the row; each is limited to a held row by a condition of its own.
        return [_only_when(statement, f"{row}.status = {HELD}") for statement in statements]

    update = body(
        only_held("OLD", _add("OLD", -1, published("OLD"))), only_held("NEW", _add("NEW", 1, published("NEW")))
    )
    return [
        f"CREATE TRIGGER meeting_results_tally_insert AFTER INSERT ON {MEETING} FOR EACH ROW "
        f"WHEN NEW.status = {HELD} {body(_add('NEW', 1, published('NEW')))}",
        f"CREATE TRIGGER meeting_results_tally_delete AFTER DELETE ON {MEETING} FOR EACH ROW "
        f"WHEN OLD.status = {HELD} {body(_add('OLD', -1, published('OLD')))}",
        f"CREATE TRIGGER meeting_results_tally_update AFTER UPDATE OF {', '.join(COUNTED)} ON {MEETING} "
        f"FOR EACH ROW WHEN (OLD.status = {HELD} OR NEW.status = {HELD}) AND ({triggers.changed(COUNTED, 'sqlite')}) "
        f"{update}",
        f"CREATE TRIGGER visit_results_tally_insert AFTER INSERT ON {VISIT} FOR EACH ROW "
        f"WHEN NEW.is_published {body(_visit_moves('NEW'))}",
        f"CREATE TRIGGER visit_results_tally_update AFTER UPDATE OF is_published ON {VISIT} FOR EACH ROW "
        f"WHEN OLD.is_published IS NOT NEW.is_published "
        f"{body(_visit_moves('NEW'))}",
        f"CREATE TRIGGER visit_results_tally_delete AFTER DELETE ON {VISIT} FOR EACH ROW "
        f"WHEN OLD.is_published {body(_visit_removal('OLD'))}",
    ]


def _only_when(statement: str, condition: str) -> str:
    """The statement, limited to when `condition` holds (an INSERT … SELECT, UPDATE or DELETE)."""
    if statement.startswith("INSERT") and " VALUES " in statement:
        head, rest = statement.split(" VALUES ", 1)
        values, conflict = rest.split(" ON CONFLICT ", 1)
        return f"{head} SELECT {values.strip()[1:-1]} WHERE {condition} ON CONFLICT {conflict}"
    if statement.startswith("INSERT"):
        return statement.replace(" WHERE ", f" WHERE ({condition}) AND ", 1)
    return f"{statement} AND {condition}"


TABLES = (
    f"CREATE TABLE {BY_SECTOR} (delegation_id bigint NOT NULL, sector_id bigint NOT NULL, "
    "n integer NOT NULL CHECK (n >= 0), PRIMARY KEY (delegation_id, sector_id))",
    f"CREATE TABLE {BY_ORGANIZATION} (delegation_id bigint NOT NULL, organization_id bigint NOT NULL, "
    "n integer NOT NULL CHECK (n >= 0), PRIMARY KEY (delegation_id, organization_id))",
    f"CREATE TABLE {PUBLISHED} (organization_id bigint NOT NULL PRIMARY KEY, n integer NOT NULL CHECK (n >= 0))",
    f"CREATE INDEX published_organization_rank ON {PUBLISHED} (n DESC)",
)


def create_statements(vendor: str) -> list[str]:
    return _postgresql() if vendor == "postgresql" else _sqlite()


def drop_statements(vendor: str) -> list[str]:
    vendor = "postgresql" if vendor == "postgresql" else "sqlite"
    # Each PostgreSQL trigger calls a function of its own name.
    functions = [name for name, _table in TRIGGERS["postgresql"]] if vendor == "postgresql" else ()
    return triggers.drop_statements(TRIGGERS[vendor], vendor, functions)


# What the counts are, counted from the meetings: (table, columns, SELECT giving them).
_SIDES = (
    f"SELECT m.delegation_id, m.delegation_organization_id AS organization_id FROM {MEETING} m "
    f"WHERE m.status = {HELD} UNION ALL "
    f"SELECT m.delegation_id, m.host_organization_id FROM {MEETING} m WHERE m.status = {HELD}"
)
COUNTS = (
    (
        BY_SECTOR,
        "delegation_id, sector_id, n",
        f"SELECT delegation_id, COALESCE(sector_id, 0) AS sector_id, COUNT(*) AS n FROM {MEETING} "
        f"WHERE status = {HELD} "
        "GROUP BY delegation_id, COALESCE(sector_id, 0)",
    ),
    (
        BY_ORGANIZATION,
        "delegation_id, organization_id, n",
        f"SELECT delegation_id, organization_id, COUNT(*) AS n FROM ({_SIDES}) sides "
        "GROUP BY delegation_id, organization_id",
    ),
    (
        PUBLISHED,
        "organization_id, n",
        f"SELECT organization_id, COUNT(*) AS n FROM ({_SIDES}) sides "
        f"WHERE delegation_id IN (SELECT id FROM {VISIT} WHERE is_published) GROUP BY organization_id",
    ),
)


def tallies_rebuild(using=connection) -> None:
    """Writes every count again from the meetings (after a restore that bypassed the triggers, or to
    repair). Locks the counts' tables for the while, so that no trigger writes into them meanwhile."""
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {BY_SECTOR}, {BY_ORGANIZATION}, {PUBLISHED} IN EXCLUSIVE MODE")
        for table, columns, select in COUNTS:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"INSERT INTO {table} ({columns}) {select}")


def tallies_differences(using=connection) -> list[tuple]:
    """(table, key…, stored, counted) for each count that differs from the meetings: none when right."""
    differences = []
    with using.cursor() as cursor:
        for table, columns, select in COUNTS:
            keys = [column.strip() for column in columns.split(",")][:-1]
            key_list = ", ".join(keys)
            cursor.execute(
                f"SELECT {key_list}, SUM(stored), SUM(counted) FROM ("
                f"SELECT {key_list}, n AS stored, 0 AS counted FROM {table} UNION ALL "
                f"SELECT {key_list}, 0, n FROM ({select}) AS counted) AS both_ "
                f"GROUP BY {key_list} HAVING SUM(stored) <> SUM(counted) ORDER BY {key_list}"
            )
            differences += [(table, *row) for row in cursor.fetchall()]
    return differences
