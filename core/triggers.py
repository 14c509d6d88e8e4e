"""What the apps' trigger-kept tables (meetings.tallies, meetings.people) share: dropping their triggers, and
reading which triggers the database has."""

from collections.abc import Iterable, Sequence


def drop_statements(triggers: Sequence[tuple[str, str]], vendor: str, functions: Iterable[str] = ()) -> list[str]:
    """DROP statements for the (name, table) triggers of one vendor, then for their PostgreSQL functions."""
    if vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in triggers]
        return statements + [f"DROP FUNCTION IF EXISTS {function}()" for function in functions]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _table in triggers]


def installed(connection) -> set[str]:
    """The names of the triggers the database has (PostgreSQL's own internal ones left out)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}
