"""What the apps' trigger-kept tables (meetings.tallies, meetings.totals, meetings.people) share: dropping their
triggers, the condition that an update changed a column, and reading which triggers the database has."""

from collections.abc import Iterable, Sequence


def drop_statements(triggers: Sequence[tuple[str, str]], vendor: str, functions: Iterable[str] = ()) -> list[str]:
    """DROP statements for the (name, table) triggers of one vendor, then for their PostgreSQL functions."""
    if vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in triggers]
        return statements + [f"DROP FUNCTION IF EXISTS {function}()" for function in functions]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _table in triggers]


def changed(columns: Iterable[str], vendor: str) -> str:
    """SQL true when an updated row's OLD and NEW values differ in one of `columns` (NULLs compared as values)."""
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


def installed(connection) -> set[str]:
    """The names of the triggers the database has (PostgreSQL's own internal ones left out)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}
