"""core.prepared: a statement prepared once a connection and run with a generic plan (PostgreSQL), run as
it is elsewhere."""

import pytest
from django.db import connection

from core import prepared
from core.prepared import fetchone_planned_once, numbered
from tests.factories import OrganizationFactory

NAMES = "SELECT count(*), min(name), max(name) FROM contacts_organization WHERE name LIKE %s"


def prepared_statements() -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return cursor.fetchall()


def plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        return cursor.fetchone()[0]


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Prepared statements are PostgreSQL's.")


def test_numbered_writes_the_placeholders_as_postgresql_numbers_them():
    assert numbered("SELECT %s, '%%x' LIKE %s, %s") == "SELECT $1, '%x' LIKE $2, $3"
    assert numbered("SELECT 1") == "SELECT 1"


def test_fetchone_planned_once_gives_the_statements_row_for_each_set_of_values(db):
    OrganizationFactory(name="Baikal Energy")
    OrganizationFactory(name="Baikal Water")
    OrganizationFactory(name="Nordlicht Biotech")
    with connection.cursor() as cursor:
        assert fetchone_planned_once(cursor, NAMES, ["Baikal%"]) == (2, "Baikal Energy", "Baikal Water")
        assert fetchone_planned_once(cursor, NAMES, ["%Biotech"]) == (1, "Nordlicht Biotech", "Nordlicht Biotech")
        assert fetchone_planned_once(cursor, NAMES, ["100%% %"]) == (0, None, None)


@pytest.mark.postgresql
def test_fetchone_planned_once_prepares_once_and_runs_a_generic_plan_within_a_transaction(db):
    needs_postgresql()
    OrganizationFactory(name="Baikal Energy")
    before = prepared_statements()  # the connection's, from earlier tests
    with connection.cursor() as cursor:
        for pattern in ("Baikal%", "%Energy", "Nordlicht%"):
            fetchone_planned_once(cursor, NAMES, [pattern])

    ours = f" AS {numbered(NAMES)}"
    ((statement, generic_plans, custom_plans),) = [row for row in prepared_statements() if row[0].endswith(ours)]
    runs_before = next((generic for text, generic, _ in before if text == statement), 0)
    assert (generic_plans - runs_before, custom_plans) == (3, 0)
    # The test's transaction goes on with the plan cache mode it had.
    assert connection.in_atomic_block
    assert plan_cache_mode() == "auto"


@pytest.mark.postgresql
def test_fetchone_planned_once_outside_a_transaction_and_after_a_reconnection(transactional_db):
    needs_postgresql()
    OrganizationFactory(name="Baikal Energy")
    with connection.cursor() as cursor:
        assert fetchone_planned_once(cursor, NAMES, ["Baikal%"]) == (1, "Baikal Energy", "Baikal Energy")
    assert not connection.in_atomic_block
    assert plan_cache_mode() == "auto"

    connection.close()  # a new connection holds no statement: it is prepared there again
    with connection.cursor() as cursor:
        assert fetchone_planned_once(cursor, NAMES, ["%Energy"]) == (1, "Baikal Energy", "Baikal Energy")
    assert [(generic, custom) for _, generic, custom in prepared_statements()] == [(1, 0)]


@pytest.mark.postgresql
def test_fetchone_planned_once_drops_the_oldest_statement_beyond_the_limit(db, monkeypatch):
    needs_postgresql()
    monkeypatch.setattr(prepared, "PREPARED_PER_CONNECTION", 2)
    with connection.cursor() as cursor:
        for n in (1, 2, 3):
            assert fetchone_planned_once(cursor, f"SELECT %s::int + {n}", [10]) == (10 + n,)

    # The two newest, and none of the earlier tests' statements on this connection.
    statements = sorted(statement.split(" AS ", 1)[1] for statement, _, _ in prepared_statements())
    assert statements == ["SELECT $1::int + 2", "SELECT $1::int + 3"]
