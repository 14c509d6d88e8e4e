"""Each meeting's people as the public may see them, kept by the database for the CSV export: per side, the
names of the people who may appear publicly (in the order they were added, joined as the export joins
them) and how many others there are (the export names them "a representative of X" after their side's
organization, contacts.privacy's rule).

Exporting 170,000 meetings would otherwise look up each meeting's participants and people while the
file is written. The table changes in the same transaction as what it is made of, whatever writes it (the
admin, a service, a merge, the scale generator's COPY, a script): triggers on the participants (added,
removed, moved) and on the people (renamed, made public or not) write the touched meetings' rows again. A
meeting without participants has no row. On PostgreSQL the triggers run once a statement (a COPY of
200,000 participants writes each meeting's row once) and lock the touched meetings first (`FOR NO KEY
UPDATE`, in id order), so that two transactions changing one meeting's participants write its row in turn,
the second reading what the first committed.

The table is not a model, for the reasons meetings.tallies gives. `people_rebuild` (`manage.py
rebuild_public_people`) writes it again from the participants; `people_differences` lists what differs
(the command's --check). Migrations create and drop the triggers with `create_statements` and
`drop_statements`; on SQLite, a later migration that rebuilds meetings_meetingparticipant or contacts_person
drops their triggers and must create them again. The tests check that the triggers exist after migrating.
"""

from django.db import connection, transaction

from core import triggers

TABLE = "meetings_publicpeople"
PARTICIPANT = "meetings_meetingparticipant"
PERSON = "contacts_person"
COLUMNS = "meeting_id, delegation_names, delegation_hidden, host_names, host_hidden"
CREATE_TABLE = (
    f"CREATE TABLE {TABLE} (meeting_id bigint NOT NULL PRIMARY KEY, delegation_names text NOT NULL, "
    "delegation_hidden integer NOT NULL CHECK (delegation_hidden >= 0), host_names text NOT NULL, "
    "host_hidden integer NOT NULL CHECK (host_hidden >= 0))"
)
SIDES = ("delegation", "host")  # meetings.models.MeetingParticipant.Side, the triggers' own words for them
TRIGGERS = {
    "postgresql": [
        ("public_people_participant_insert", PARTICIPANT),
        ("public_people_participant_update", PARTICIPANT),
        ("public_people_participant_delete", PARTICIPANT),
        ("public_people_participant_truncate", PARTICIPANT),
        ("public_people_person_update", PERSON),
    ],
    "sqlite": [
        ("public_people_participant_insert", PARTICIPANT),
        ("public_people_participant_update", PARTICIPANT),
        ("public_people_participant_delete", PARTICIPANT),
        ("public_people_person_update", PERSON),
    ],
}
# meetings.table.PEOPLE_SEPARATOR (which imports this module), as an SQL literal.
_SEPARATOR = "'; '"


def counted(condition: str, vendor: str) -> str:
    """SELECT giving the rows (COLUMNS) of the meetings whose participants `p` meet `condition`."""
    if vendor == "postgresql":
        sides = []
        for side in SIDES:
            on_side = f"p.side = '{side}'"
            sides += [
                f"coalesce(string_agg(person.name, {_SEPARATOR} ORDER BY p.id) "
                f"FILTER (WHERE {on_side} AND person.is_public), '')",
                f"count(*) FILTER (WHERE {on_side} AND NOT person.is_public)",
            ]
        return (
            f"SELECT p.meeting_id, {', '.join(sides)} FROM {PARTICIPANT} p "
            f"JOIN {PERSON} person ON person.id = p.person_id WHERE {condition} GROUP BY p.meeting_id"
        )
    # SQLite's group_concat() takes no ORDER BY: it joins the rows of a subquery in their order.
    sides = []
    for side in SIDES:
        on_side = f"q.side = '{side}'"
        sides += [
            f"coalesce(group_concat(CASE WHEN {on_side} AND q.is_public THEN q.name END, {_SEPARATOR}), '')",
            f"count(CASE WHEN {on_side} AND NOT q.is_public THEN 1 END)",
        ]
    return (
        f"SELECT q.meeting_id, {', '.join(sides)} FROM (SELECT p.meeting_id, p.side, person.name, person.is_public "
        f"FROM {PARTICIPANT} p JOIN {PERSON} person ON person.id = p.person_id WHERE {condition} "
        "ORDER BY p.meeting_id, p.id) q GROUP BY q.meeting_id"
    )


def _write(meetings: str, vendor: str) -> list[str]:
    """Statements writing again the rows of the meetings whose ids `meetings` (an SQL set) gives."""
    return [
        f"DELETE FROM {TABLE} WHERE meeting_id IN {meetings}",
        f"INSERT INTO {TABLE} ({COLUMNS}) {counted(f'p.meeting_id IN {meetings}', vendor)}",
    ]


def _postgresql() -> list[str]:
    touched = "(SELECT unnest(touched))"
    renamed = (
        f"SELECT p.meeting_id FROM {PARTICIPANT} p JOIN new_rows n ON n.id = p.person_id "
        "JOIN old_rows o ON o.id = n.id "
        "WHERE o.name IS DISTINCT FROM n.name OR o.is_public IS DISTINCT FROM n.is_public"
    )
    body = (
        "DECLARE touched bigint[]; BEGIN "
        f"IF TG_TABLE_NAME = '{PERSON}' THEN touched := ARRAY(SELECT DISTINCT meeting_id FROM ({renamed}) r); "
        "ELSIF TG_OP = 'INSERT' THEN touched := ARRAY(SELECT DISTINCT meeting_id FROM new_rows); "
        "ELSIF TG_OP = 'DELETE' THEN touched := ARRAY(SELECT DISTINCT meeting_id FROM old_rows); "
        "ELSE touched := ARRAY(SELECT meeting_id FROM old_rows UNION SELECT meeting_id FROM new_rows); END IF; "
        "IF cardinality(touched) = 0 THEN RETURN NULL; END IF; "
        f"PERFORM 1 FROM meetings_meeting WHERE id IN {touched} ORDER BY id FOR NO KEY UPDATE; "
        + " ".join(f"{statement};" for statement in _write(touched, "postgresql"))
        + " RETURN NULL; END"
    )
    statements = [f"CREATE OR REPLACE FUNCTION public_people() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"]
    for event, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        statements.append(
            f"CREATE TRIGGER public_people_participant_{event.lower()} AFTER {event} ON {PARTICIPANT} "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION public_people()"
        )
    return [
        *statements,
        f"CREATE TRIGGER public_people_person_update AFTER UPDATE ON {PERSON} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_people()",
        # TRUNCATE (a flush) fires no row trigger; it leaves no participant.
        "CREATE OR REPLACE FUNCTION public_people_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE}; RETURN NULL; END $$",
        f"CREATE TRIGGER public_people_participant_truncate AFTER TRUNCATE ON {PARTICIPANT} "
        "FOR EACH STATEMENT EXECUTE FUNCTION public_people_truncate()",
    ]


def _sqlite() -> list[str]:
    def body(*meetings: str) -> str:
        return "BEGIN " + " ".join(f"{s};" for m in meetings for s in _write(m, "sqlite")) + " END"

    return [
        f"CREATE TRIGGER public_people_participant_insert AFTER INSERT ON {PARTICIPANT} FOR EACH ROW "
        f"{body('(NEW.meeting_id)')}",
        f"CREATE TRIGGER public_people_participant_delete AFTER DELETE ON {PARTICIPANT} FOR EACH ROW "
        f"{body('(OLD.meeting_id)')}",
        f"CREATE TRIGGER public_people_participant_update AFTER UPDATE ON {PARTICIPANT} FOR EACH ROW "
        f"{body('(OLD.meeting_id)', '(NEW.meeting_id)')}",
        f"CREATE TRIGGER public_people_person_update AFTER UPDATE OF name, is_public ON {PERSON} FOR EACH ROW "
        "WHEN OLD.name IS NOT NEW.name OR OLD.is_public IS NOT NEW.is_public "
        f"{body(f'(SELECT meeting_id FROM {PARTICIPANT} WHERE person_id = NEW.id)')}",
    ]


def create_statements(vendor: str) -> list[str]:
    return _postgresql() if vendor == "postgresql" else _sqlite()


def drop_statements(vendor: str) -> list[str]:
    vendor = "postgresql" if vendor == "postgresql" else "sqlite"
    return triggers.drop_statements(TRIGGERS[vendor], vendor, functions=("public_people", "public_people_truncate"))


def people_rebuild(using=connection) -> None:
    """Writes every row again from the participants (after a restore that bypassed the triggers, or to
    repair). Locks the table for the while, so that no trigger writes into it meanwhile."""
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {counted('true', using.vendor)}")


def people_differences(using=connection) -> list[tuple]:
    """(meeting id, kept row, counted row) for each meeting whose row differs from its participants (a
    missing row is None): none when right."""
    with using.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM {TABLE}")
        kept = {row[0]: tuple(row) for row in cursor.fetchall()}
        cursor.execute(counted("true", using.vendor))
        recounted = {row[0]: tuple(row) for row in cursor.fetchall()}
    return [
        (meeting, kept.get(meeting), recounted.get(meeting))
        for meeting in sorted(kept.keys() | recounted.keys())
        if kept.get(meeting) != recounted.get(meeting)
    ]
