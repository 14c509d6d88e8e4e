"""Totals over every published visit, by the year each visit began, kept by the database: meetings held by
sector, agreements signed by kind, follow-ups by status and sector. The results page without filters reads
them (public.results) instead of counting every published visit's meetings, agreements and follow-ups at
each request; with filters, it counts those of the visits it picks.

Kept as meetings.tallies keeps its counts, for the same reasons (see there): a plain table written by
triggers alone, in the same transaction as the rows counted, whatever writes them. A row's trigger adds or
removes it when it starts or stops counting, or moves to another visit, status, kind or sector, and only
while its visit is published (read `FOR SHARE` on PostgreSQL, as there); the visit's trigger moves all its
rows into or out of the totals when it is published or withdrawn, or when its first day moves to another
year. A total that falls to zero is deleted. `totals_rebuild` and `totals_differences` (the
`rebuild_results_tallies` command) write them again from the rows, or list what differs.

Each total is a row (figure, year, key, sector_id, n): `key` is the kind or the status ('' for meetings),
`sector_id` 0 for none (and for agreements, which have no sector).

On SQLite, a later migration that rebuilds one of the counted tables (meetings, agreements, follow-ups,
visits) drops its triggers and must create them again; the tests check that they exist after migrating.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from core import triggers

TABLE = "meetings_publishedtotal"
VISIT = "delegations_delegation"
# A meeting held, an agreement only prepared (not signed), as the models name them (the tests check).
HELD, PREPARED = "held", "prepared"


@dataclass(frozen=True)
class Figure:
    """What a figure counts: rows of `table` for which `counts` holds (SQL on the row `{row}`), by `key` and
    `sector` (SQL too). A change to one of `columns` may move a row's count."""

    name: str
    table: str
    counts: str
    key: str
    sector: str
    columns: tuple[str, ...]

    def sql(self, row: str) -> tuple[str, str, str]:
        """The figure's condition, key and sector for the row `row` (NEW, OLD or an alias)."""
        return tuple(part.format(row=row) for part in (self.counts, self.key, self.sector))

    def groups(self, row: str) -> str:
        """What to group the row's counts by besides the year: its key and sector, unless constant (a
        constant in GROUP BY is an error, or a column's position)."""
        return "".join(f", {part.format(row=row)}" for part in (self.key, self.sector) if "{row}" in part)


FIGURES = (
    Figure(
        name="held",
        table="meetings_meeting",
        counts=f"{{row}}.status = '{HELD}'",
        key="''",
        sector="COALESCE({row}.sector_id, 0)",
        columns=("status", "delegation_id", "sector_id"),
    ),
    Figure(
        name="signed",
        table="delegations_agreement",
        counts=f"{{row}}.status <> '{PREPARED}'",
        key="{row}.kind",
        sector="0",
        columns=("status", "kind", "delegation_id"),
    ),
    Figure(
        name="followed",
        table="delegations_followup",
        counts="{row}.delegation_id IS NOT NULL",
        key="{row}.status",
        sector="COALESCE({row}.sector_id, 0)",
        columns=("status", "sector_id", "delegation_id"),
    ),
)

CREATE_TABLE = (
    f"CREATE TABLE {TABLE} (figure varchar(10) NOT NULL, year integer NOT NULL, key varchar(20) NOT NULL, "
    "sector_id bigint NOT NULL, n integer NOT NULL CHECK (n >= 0), PRIMARY KEY (figure, year, key, sector_id))"
)
UPSERT = f"ON CONFLICT (figure, year, key, sector_id) DO UPDATE SET n = {TABLE}.n + excluded.n"


def _year(visit: str, vendor: str) -> str:
    """The year the visit `visit` (a row or an alias) began, a whole number."""
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {visit}.start_date) AS integer)"
    return f"CAST(strftime('%Y', {visit}.start_date) AS integer)"


def _published_year(row: str, vendor: str) -> str:
    """The year of the row's visit if it is published, else NULL."""
    return f"(SELECT {_year('v', vendor)} FROM {VISIT} v WHERE v.id = {row}.delegation_id AND v.is_published)"


def _row_added(figure: Figure, row: str, vendor: str) -> list[str]:
    counts, key, sector = figure.sql(row)
    return [
        f"INSERT INTO {TABLE} (figure, year, key, sector_id, n) "
        f"SELECT '{figure.name}', {_year('v', vendor)}, {key}, {sector}, 1 FROM {VISIT} v "
        f"WHERE v.id = {row}.delegation_id AND v.is_published AND {counts} {UPSERT}"
    ]


def _row_removed(figure: Figure, row: str, vendor: str) -> list[str]:
    counts, key, sector = figure.sql(row)
    where = f"figure = '{figure.name}' AND key = {key} AND sector_id = {sector}"
    return [
        f"UPDATE {TABLE} SET n = n - 1 WHERE {where} AND year = {_published_year(row, vendor)} AND {counts}",
        f"DELETE FROM {TABLE} WHERE {where} AND n = 0",
    ]


def _grouped(figure: Figure, visit: str) -> str:
    """The figure's counts for the visit `visit`, by key and sector (key, sector_id, n)."""
    counts, key, sector = figure.sql("c")
    return (
        f"SELECT {key} AS key, {sector} AS sector_id, COUNT(*) AS n FROM {figure.table} c "
        f"WHERE c.delegation_id = {visit}.id AND {counts} GROUP BY c.delegation_id{figure.groups('c')}"
    )


def _visit_added(visit: str, vendor: str, condition: str = "true") -> list[str]:
    """Statements adding every counted row of the visit to the totals, when `condition` holds."""
    return [
        f"INSERT INTO {TABLE} (figure, year, key, sector_id, n) "
        f"SELECT '{figure.name}', {_year(visit, vendor)}, c.key, c.sector_id, c.n FROM ({_grouped(figure, visit)}) c "
        f"WHERE {condition} ORDER BY c.key, c.sector_id {UPSERT}"
        for figure in FIGURES
    ]


def _visit_removed(visit: str, vendor: str, condition: str = "true") -> list[str]:
    """Statements taking every counted row of the visit out of the totals, when `condition` holds."""
    statements = []
    for figure in FIGURES:
        where = f"{TABLE}.figure = '{figure.name}' AND {TABLE}.year = {_year(visit, vendor)}"
        statements += [
            f"UPDATE {TABLE} SET n = {TABLE}.n - c.n FROM ({_grouped(figure, visit)}) c "
            f"WHERE {where} AND {TABLE}.key = c.key AND {TABLE}.sector_id = c.sector_id AND {condition}",
            f"DELETE FROM {TABLE} WHERE {where} AND n = 0 AND {condition}",
        ]
    return statements


def _block(statements: list[str]) -> str:
    return " ".join(f"{statement};" for statement in statements)


def _postgresql() -> list[str]:
    vendor = "postgresql"
    statements = []
    for figure in FIGURES:
        name = f"published_total_{figure.name}"
        old, new = figure.sql("OLD")[0], figure.sql("NEW")[0]
        changed = triggers.changed(figure.columns, vendor)
        body = (
            "BEGIN "
            f"IF TG_OP = 'UPDATE' THEN IF NOT ({changed}) THEN RETURN NULL; END IF; END IF; "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN IF {old} THEN "
            f"PERFORM 1 FROM {VISIT} WHERE id = OLD.delegation_id FOR SHARE; "
            f"{_block(_row_removed(figure, 'OLD', vendor))} END IF; END IF; "
            f"IF TG_OP IN ('UPDATE', 'INSERT') THEN IF {new} THEN "
            f"PERFORM 1 FROM {VISIT} WHERE id = NEW.delegation_id FOR SHARE; "
            f"{_block(_row_added(figure, 'NEW', vendor))} END IF; END IF; "
            "RETURN NULL; END"
        )
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {figure.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
            # TRUNCATE (a flush) fires no row trigger and leaves nothing to count.
            f"CREATE OR REPLACE FUNCTION {name}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"DELETE FROM {TABLE} WHERE figure = '{figure.name}'; RETURN NULL; END $$",
            f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {figure.table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_truncate()",
        ]
    same_year = f"{_year('OLD', vendor)} = {_year('NEW', vendor)}"
    moved = f"OLD.is_published = NEW.is_published AND (NOT NEW.is_published OR {same_year})"
    visit = (
        "BEGIN "
        f"IF TG_OP = 'UPDATE' THEN IF {moved} THEN RETURN NULL; END IF; END IF; "
        f"IF OLD.is_published THEN {_block(_visit_removed('OLD', vendor))} END IF; "
        f"IF TG_OP = 'UPDATE' THEN IF NEW.is_published THEN {_block(_visit_added('NEW', vendor))} END IF; END IF; "
        "RETURN NULL; END"
    )
    return [
        *statements,
        f"CREATE OR REPLACE FUNCTION published_total_visit() RETURNS trigger LANGUAGE plpgsql AS $$ {visit} $$",
        f"CREATE TRIGGER published_total_visit AFTER UPDATE OF is_published, start_date OR DELETE ON {VISIT} "
        "FOR EACH ROW EXECUTE FUNCTION published_total_visit()",
    ]


def _sqlite() -> list[str]:
    vendor = "sqlite"
    statements = []
    for figure in FIGURES:
        name = f"published_total_{figure.name}"
        old, new = figure.sql("OLD")[0], figure.sql("NEW")[0]
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {figure.table} FOR EACH ROW WHEN {new} "
            f"BEGIN {_block(_row_added(figure, 'NEW', vendor))} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {figure.table} FOR EACH ROW WHEN {old} "
            f"BEGIN {_block(_row_removed(figure, 'OLD', vendor))} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(figure.columns)} ON {figure.table} "
            f"FOR EACH ROW WHEN ({old} OR {new}) AND ({triggers.changed(figure.columns, vendor)}) BEGIN "
            f"{_block(_row_removed(figure, 'OLD', vendor) + _row_added(figure, 'NEW', vendor))} END",
        ]
    moved = _visit_removed("OLD", vendor, "OLD.is_published") + _visit_added("NEW", vendor, "NEW.is_published")
    return [
        *statements,
        f"CREATE TRIGGER published_total_visit_update AFTER UPDATE OF is_published, start_date ON {VISIT} "
        f"FOR EACH ROW WHEN OLD.is_published OR NEW.is_published BEGIN {_block(moved)} END",
        f"CREATE TRIGGER published_total_visit_delete AFTER DELETE ON {VISIT} FOR EACH ROW WHEN OLD.is_published "
        f"BEGIN {_block(_visit_removed('OLD', vendor))} END",
    ]


def trigger_names(vendor: str) -> list[tuple[str, str]]:
    """(name, table) of each trigger on this vendor."""
    names = []
    for figure in FIGURES:
        name = f"published_total_{figure.name}"
        suffixes = ("", "_truncate") if vendor == "postgresql" else ("_insert", "_delete", "_update")
        names += [(f"{name}{suffix}", figure.table) for suffix in suffixes]
    visit = ("",) if vendor == "postgresql" else ("_update", "_delete")
    return names + [(f"published_total_visit{suffix}", VISIT) for suffix in visit]


def create_statements(vendor: str) -> list[str]:
    return _postgresql() if vendor == "postgresql" else _sqlite()


def drop_statements(vendor: str) -> list[str]:
    vendor = "postgresql" if vendor == "postgresql" else "sqlite"
    # Each PostgreSQL trigger calls a function of its own name.
    names = trigger_names(vendor)
    functions = [name for name, _table in names] if vendor == "postgresql" else ()
    return triggers.drop_statements(names, vendor, functions)


def counted_sql(vendor: str) -> str:
    """Every total, counted from the rows: (figure, year, key, sector_id, n)."""
    parts = []
    for figure in FIGURES:
        counts, key, sector = figure.sql("c")
        year = _year("v", vendor)
        parts.append(
            f"SELECT '{figure.name}' AS figure, {year} AS year, {key} AS key, {sector} AS sector_id, COUNT(*) AS n "
            f"FROM {figure.table} c JOIN {VISIT} v ON v.id = c.delegation_id WHERE v.is_published AND {counts} "
            f"GROUP BY {year}{figure.groups('c')}"
        )
    return " UNION ALL ".join(parts)


def totals_fill(using=connection) -> None:
    """Writes every total from the rows, into the empty table."""
    with using.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (figure, year, key, sector_id, n) {counted_sql(using.vendor)}")


def totals_rebuild(using=connection) -> None:
    """Writes every total again from the rows (after a restore that bypassed the triggers, or to repair),
    with the table locked meanwhile, so that no trigger writes into it."""
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        totals_fill(using)


def totals_differences(using=connection) -> list[tuple]:
    """(table, figure, year, key, sector_id, stored, counted) for each total that differs from the rows."""
    keys = "figure, year, key, sector_id"
    with using.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, SUM(stored), SUM(counted) FROM ("
            f"SELECT {keys}, n AS stored, 0 AS counted FROM {TABLE} UNION ALL "
            f"SELECT {keys}, 0, n FROM ({counted_sql(using.vendor)}) AS counted) AS both_ "
            f"GROUP BY {keys} HAVING SUM(stored) <> SUM(counted) ORDER BY {keys}"
        )
        return [(TABLE, *row) for row in cursor.fetchall()]
