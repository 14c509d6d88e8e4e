"""Each meeting's search document, kept by PostgreSQL for the admin meetings search (meetings.admin_search):
the folded names of either side's organization and of every participant (their `search_text`, romanisation
keys included) joined by spaces, the table, and the columns the changelist sorts by.

A search word is made of letters and digits only (core.text.fold splits on anything else), so it is found in
the joined names exactly when it is found in one of them: the document answers "some organization or
participant holds the word" with one trigram-indexed condition on one table, and its row gives the meeting's
place in the list without reading the meeting (reading thousands of matching meetings by id, to sort them,
was most of a search's time).

The table changes in the same transaction as what it is made of, whatever writes it (the admin, a service,
a merge, the scale generator's COPY, a script): statement triggers on the meetings (added, removed, moved,
re-seated, another organization), the participants (added, removed, moved) and the people and organizations
(whose `search_text` changed) write the touched meetings' rows again, after locking those meetings
(`FOR NO KEY UPDATE`, in id order) as meetings.people does. Every meeting has a row.

PostgreSQL only: SQLite has no trigram index, and searches the way the definition reads (admin_search). The
table is not a model, for the reasons meetings.tallies gives. `documents_rebuild` (`manage.py
rebuild_search_documents`) writes it again; `documents_differences` lists what differs (the command's
--check). The tests check that the triggers exist after migrating.
"""

from django.db import connection, transaction

from core import triggers

TABLE = "meetings_searchdocument"
MEETING = "meetings_meeting"
PARTICIPANT = "meetings_meetingparticipant"
PERSON = "contacts_person"
ORGANIZATION = "contacts_organization"
COLUMNS = 'meeting_id, delegation_id, date, start_time, city, "table", document'
CREATE_TABLE = (
    f"CREATE TABLE {TABLE} (meeting_id bigint NOT NULL PRIMARY KEY, delegation_id bigint NOT NULL, "
    'date date NOT NULL, start_time time NULL, city text NOT NULL, "table" text NOT NULL, '
    "document text NOT NULL)"
)
INDEXES = (
    f"CREATE INDEX searchdocument_document_trgm ON {TABLE} USING gin (document gin_trgm_ops)",
    f'CREATE INDEX searchdocument_table_trgm ON {TABLE} USING gin (UPPER("table") gin_trgm_ops)',
)
# A meeting's place in the list: the changelist's ordering (meetings.admin.MeetingAdmin.ordering, the visit
# by its own ordering), written over this table `s` joined to the visits `d`.
ORDER_BY = 'd.start_date DESC, d.title ASC, s.date ASC, s.start_time ASC, s.city ASC, s."table" ASC, s.meeting_id ASC'
TRIGGERS = [
    ("search_document_meeting_insert", MEETING),
    ("search_document_meeting_update", MEETING),
    ("search_document_meeting_delete", MEETING),
    ("search_document_meeting_truncate", MEETING),
    ("search_document_participant_insert", PARTICIPANT),
    ("search_document_participant_update", PARTICIPANT),
    ("search_document_participant_delete", PARTICIPANT),
    ("search_document_participant_truncate", PARTICIPANT),
    ("search_document_person_update", PERSON),
    ("search_document_organization_update", ORGANIZATION),
]
# What a meeting's row is made of: a change to one of these columns writes it again.
MEETING_COLUMNS = (
    "delegation_id",
    "date",
    "start_time",
    "city",
    '"table"',
    "delegation_organization_id",
    "host_organization_id",
)


def documents(condition: str) -> str:
    """SELECT giving the rows (COLUMNS) of the meetings `m` that meet `condition`."""
    participants = (
        f"SELECT string_agg(person.search_text, ' ' ORDER BY p.id) FROM {PARTICIPANT} p "
        f"JOIN {PERSON} person ON person.id = p.person_id WHERE p.meeting_id = m.id"
    )
    return (
        f'SELECT m.id, m.delegation_id, m.date, m.start_time, m.city, m."table", '
        f"concat_ws(' ', delegation_side.search_text, host_side.search_text, ({participants})) "
        f"FROM {MEETING} m "
        f"LEFT JOIN {ORGANIZATION} delegation_side ON delegation_side.id = m.delegation_organization_id "
        f"LEFT JOIN {ORGANIZATION} host_side ON host_side.id = m.host_organization_id WHERE {condition}"
    )


def _function() -> str:
    touched = "(SELECT unnest(touched))"
    renamed = (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.search_text IS DISTINCT FROM n.search_text"
    )
    moved = " OR ".join(f"o.{column} IS DISTINCT FROM n.{column}" for column in MEETING_COLUMNS)
    body = (
        "DECLARE touched bigint[]; BEGIN "
        f"IF TG_TABLE_NAME = '{PERSON}' THEN "
        f"touched := ARRAY(SELECT DISTINCT p.meeting_id FROM {PARTICIPANT} p WHERE p.person_id IN ({renamed})); "
        f"ELSIF TG_TABLE_NAME = '{ORGANIZATION}' THEN "
        f"touched := ARRAY(SELECT m.id FROM {MEETING} m WHERE m.delegation_organization_id IN ({renamed}) "
        f"UNION SELECT m.id FROM {MEETING} m WHERE m.host_organization_id IN ({renamed})); "
        f"ELSIF TG_TABLE_NAME = '{MEETING}' THEN "
        "IF TG_OP = 'DELETE' THEN "
        f"DELETE FROM {TABLE} WHERE meeting_id IN (SELECT id FROM old_rows); RETURN NULL; "
        "ELSIF TG_OP = 'INSERT' THEN touched := ARRAY(SELECT id FROM new_rows); "
        f"ELSE touched := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {moved}); END IF; "
        "ELSIF TG_OP = 'INSERT' THEN touched := ARRAY(SELECT DISTINCT meeting_id FROM new_rows); "
        "ELSIF TG_OP = 'DELETE' THEN touched := ARRAY(SELECT DISTINCT meeting_id FROM old_rows); "
        "ELSE touched := ARRAY(SELECT meeting_id FROM old_rows UNION SELECT meeting_id FROM new_rows); END IF; "
        "IF cardinality(touched) = 0 THEN RETURN NULL; END IF; "
        f"PERFORM 1 FROM {MEETING} WHERE id IN {touched} ORDER BY id FOR NO KEY UPDATE; "
        f"DELETE FROM {TABLE} WHERE meeting_id IN {touched}; "
        f"INSERT INTO {TABLE} ({COLUMNS}) {documents(f'm.id IN {touched}')}; "
        "RETURN NULL; END"
    )
    return f"CREATE OR REPLACE FUNCTION search_document() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"


def create_statements(vendor: str) -> list[str]:
    """The triggers (PostgreSQL; none on SQLite, which keeps no documents)."""
    if vendor != "postgresql":
        return []
    statements = [_function()]
    for table, name in ((MEETING, "meeting"), (PARTICIPANT, "participant")):
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER search_document_{name}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION search_document()"
            )
    for table, name in ((PERSON, "person"), (ORGANIZATION, "organization")):
        statements.append(
            f"CREATE TRIGGER search_document_{name}_update AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION search_document()"
        )
    # TRUNCATE (a flush) fires no row trigger: without meetings there are no documents; without participants,
    # every meeting's is written again.
    return [
        *statements,
        "CREATE OR REPLACE FUNCTION search_document_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE}; IF TG_TABLE_NAME = '{PARTICIPANT}' THEN "
        f"INSERT INTO {TABLE} ({COLUMNS}) {documents('true')}; END IF; RETURN NULL; END $$",
        f"CREATE TRIGGER search_document_meeting_truncate AFTER TRUNCATE ON {MEETING} "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_document_truncate()",
        f"CREATE TRIGGER search_document_participant_truncate AFTER TRUNCATE ON {PARTICIPANT} "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_document_truncate()",
    ]


def drop_statements(vendor: str) -> list[str]:
    if vendor != "postgresql":
        return []
    return triggers.drop_statements(TRIGGERS, vendor, functions=("search_document", "search_document_truncate"))


def documents_rebuild(using=connection) -> None:
    """Writes every row again from the meetings (after a restore that bypassed the triggers, or to repair).
    Locks the table for the while, so that no trigger writes into it meanwhile. PostgreSQL only."""
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {documents('true')}")


def documents_differences(using=connection) -> list[tuple]:
    """(meeting id, kept row, row made afresh) for each meeting whose row differs (a missing row is None):
    none when right. PostgreSQL only."""
    with using.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM {TABLE}")
        kept = {row[0]: tuple(row) for row in cursor.fetchall()}
        cursor.execute(documents("true"))
        made = {row[0]: tuple(row) for row in cursor.fetchall()}
    return [
        (meeting, kept.get(meeting), made.get(meeting))
        for meeting in sorted(kept.keys() | made.keys())
        if kept.get(meeting) != made.get(meeting)
    ]
