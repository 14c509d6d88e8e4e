"""Statements PostgreSQL plans once for each database connection, whatever their values: prepared
statements with a generic plan, for a statement that is run often and costs the database more to plan
than planning can gain from its values (a search's words)."""

import hashlib
import re
import weakref

# The statements each connection holds at most; the oldest are dropped for a new one beyond.
PREPARED_PER_CONNECTION = 32

_PLACEHOLDER = re.compile(r"%[%s]")

# For each open connection (the driver's, which is new after a reconnection), its statements' SQL and
# the names they are prepared under, oldest first.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def numbered(sql: str) -> str:
    """The SQL's `%s` placeholders as PostgreSQL's `$1`, `$2`…, and its `%%` as `%`."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def fetchone_planned_once(cursor, sql: str, params: list) -> tuple | None:
    """The first row of `sql` (with `%s` placeholders) run with `params`. On PostgreSQL it is prepared
    the first time the connection runs it, then run with a generic plan: planned once, not again for each
    run's values (PostgreSQL keeps planning a prepared statement afresh while a plan for the values looks
    cheaper, so the plan cache mode is set for the run alone). Elsewhere it is run as it is."""
    connection = cursor.db
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return cursor.fetchone()
    statements = _prepared.setdefault(connection.connection, {})
    name = statements.get(sql)
    if name is None:
        while len(statements) >= PREPARED_PER_CONNECTION:
            cursor.execute(f"DEALLOCATE {statements.pop(next(iter(statements)))}")
        name = f"planned_{hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()}"
        cursor.execute(f"PREPARE {name} AS {numbered(sql)}")
        statements[sql] = name
    # Out of a transaction, the two statements are one implicit transaction that the setting ends with;
    # in one, it lasts until set back.
    values = ", ".join(["%s"] * len(params))
    cursor.execute(f"SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE {name}({values})", params)
    row = cursor.fetchone()
    if connection.in_atomic_block:
        cursor.execute("SET LOCAL plan_cache_mode = DEFAULT")
    return row
