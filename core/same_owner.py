"""Database triggers that keep two linked rows with one owner: a link between rows that each belong to
an owner (the row of another table they hang from) may only join rows of the same owner.

A composite foreign key (`(item_id, owner_id) REFERENCES item (id, owner_id)`) would say it, but Django
cannot declare one and SQLite cannot add one to an existing table; triggers can, on SQLite and
PostgreSQL alike. Each rule refuses, with an IntegrityError naming the rule:

- a row of `table` whose `column` points to a row of `target` with another owner (insert or update);
- a row of `target` given another owner while rows of `table` of the old owner point to it;
- for a link table (`via`: the link's other column and table, which give the link its owner), a row of
  the `via` table given another owner while its links point to rows of the old one.

On PostgreSQL the rule reads the target row `FOR SHARE`: a concurrent change of that row's owner waits
for the link's transaction, then sees the link and is refused, as a foreign key would make it wait.
A row pointing to a row not written yet (foreign keys are checked at commit) is checked when that
row is written.

Migrations create and drop the triggers with `create_statements` and `drop_statements`; the rules are
plain data, so that a migration holds its own copy of them. On SQLite, a later migration that rebuilds
one of these tables (most `AlterField`s, constraints) must drop the rules' triggers first and create
them again after: the rebuild drops the table's own triggers, and renaming the new table fails on the
other tables' triggers that name it. The tests check that every rule's triggers exist after migrating.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SameOwner:
    name: str  # a short identifier, unique among the rules: the triggers' names and the error's start
    table: str  # the table holding the link
    column: str  # its column pointing to `target`
    target: str  # the table pointed to
    owner: str = "delegation_id"  # the owner column of `target`, of `table` (without `via`) and of `via`'s table
    via: tuple[str, str] | None = None  # (column, table): for a link table, where the link's owner comes from

    @property
    def message(self) -> str:
        return f"{self.name}: a link between rows of two different owners"

    def row_owner(self, row: str) -> str:
        """The owner of the link row `row` (NEW, or a table alias), as an SQL expression."""
        if self.via is None:
            return f"{row}.{self.owner}"
        column, table = self.via
        return f"(SELECT {self.owner} FROM {table} WHERE id = {row}.{column})"


def create_statements(vendor: str, rules: list[SameOwner]) -> list[str]:
    statements = []
    for rule in rules:
        statements += _postgresql(rule) if vendor == "postgresql" else _sqlite(rule)
    return statements


def drop_statements(vendor: str, rules: list[SameOwner]) -> list[str]:
    statements = []
    for rule in rules:
        for suffix, table in _triggers(rule):
            name = f"{rule.name}_{suffix}"
            if vendor == "postgresql":
                statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
            else:
                statements += [f"DROP TRIGGER IF EXISTS {name}", f"DROP TRIGGER IF EXISTS {name}_update"]
    return statements


def _triggers(rule: SameOwner) -> list[tuple[str, str]]:
    """(suffix, table) of each trigger of the rule."""
    triggers = [("link", rule.table), ("target", rule.target)]
    if rule.via is not None:
        triggers.append(("source", rule.via[1]))
    return triggers


def _target_mismatch(rule: SameOwner) -> str:
    """True when rows of `table` point to NEW, a row of `target`, from another owner."""
    owner = rule.row_owner("l")
    return f"EXISTS (SELECT 1 FROM {rule.table} l WHERE l.{rule.column} = NEW.id AND {owner} <> NEW.{rule.owner})"


def _source_mismatch(rule: SameOwner) -> str:
    """For a link table: true when NEW, a row of `via`'s table, is linked to rows of `target` of another owner."""
    column, _table = rule.via
    return (
        f"EXISTS (SELECT 1 FROM {rule.table} l JOIN {rule.target} t ON t.id = l.{rule.column} "
        f"WHERE l.{column} = NEW.id AND t.{rule.owner} <> NEW.{rule.owner})"
    )


def _link_columns(rule: SameOwner) -> str:
    return ", ".join((rule.column, rule.via[0] if rule.via else rule.owner))


def _postgresql(rule: SameOwner) -> list[str]:
    refuse = f"RAISE EXCEPTION '{rule.message}' USING ERRCODE = 'foreign_key_violation';"
    # The target row is read FOR SHARE: a concurrent change of its owner waits for this transaction.
    link = (
        f"DECLARE target_owner {rule.target}.{rule.owner}%TYPE; BEGIN "
        f"IF NEW.{rule.column} IS NOT NULL THEN "
        f"SELECT {rule.owner} INTO target_owner FROM {rule.target} WHERE id = NEW.{rule.column} FOR SHARE; "
        f"IF FOUND AND {rule.row_owner('NEW')} <> target_owner THEN {refuse} END IF; "
        "END IF; RETURN NEW; END"
    )
    bodies = [
        ("link", rule.table, f"INSERT OR UPDATE OF {_link_columns(rule)}", link),
        (
            "target",
            rule.target,
            f"INSERT OR UPDATE OF {rule.owner}",
            f"BEGIN IF {_target_mismatch(rule)} THEN {refuse} END IF; RETURN NEW; END",
        ),
    ]
    if rule.via is not None:
        bodies.append(
            (
                "source",
                rule.via[1],
                f"INSERT OR UPDATE OF {rule.owner}",
                f"BEGIN IF {_source_mismatch(rule)} THEN {refuse} END IF; RETURN NEW; END",
            )
        )
    statements = []
    for suffix, table, events, body in bodies:
        function = f"{rule.name}_{suffix}"
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
            f"CREATE TRIGGER {function} BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite(rule: SameOwner) -> list[str]:
    link = (
        f"NEW.{rule.column} IS NOT NULL AND EXISTS (SELECT 1 FROM {rule.target} t "
        f"WHERE t.id = NEW.{rule.column} AND t.{rule.owner} <> {rule.row_owner('NEW')})"
    )
    checks = [
        ("link", rule.table, ("INSERT", f"UPDATE OF {_link_columns(rule)}"), link),
        ("target", rule.target, ("INSERT", f"UPDATE OF {rule.owner}"), _target_mismatch(rule)),
    ]
    if rule.via is not None:
        checks.append(("source", rule.via[1], ("INSERT", f"UPDATE OF {rule.owner}"), _source_mismatch(rule)))
    statements = []
    for suffix, table, events, condition in checks:
        # SQLite's triggers take one event each: the insert's and the update's share the name's stem.
        for event in events:
            name = f"{rule.name}_{suffix}" + ("_update" if event.startswith("UPDATE") else "")
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN {condition} "
                f"BEGIN SELECT RAISE(ABORT, '{rule.message}'); END"
            )
    return statements
