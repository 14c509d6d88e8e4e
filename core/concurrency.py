"""Optimistic concurrency: the state of a record, and of the rows edited with it, as a fingerprint that
a form carries from the moment it is opened, so that a save made from a form opened before someone
else's change can be told apart and refused (core.admin.StaleFormRefusedMixin).

The fingerprint is read from the database, not kept in a version column: every write counts,
whoever made it and however (a form, a service, QuerySet.update, a bulk load, raw SQL), and no
model or migration has to know. It holds a short hash of each field and many-to-many field of the
record and of each related row, so that what changed can be named.
"""

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db import models
from django.db.models import F, Value

SALT = "core.concurrency.opened-state"


@dataclass(frozen=True)
class Related:
    """Rows edited with the record (an inline): `model`'s rows whose `fk_name` points to it."""

    model: type[models.Model]
    fk_name: str


@dataclass(frozen=True)
class OpenedState:
    """A record's state and the instant it was read (seconds since the epoch)."""

    state: dict[str, str]
    at: float

    def dumps(self) -> str:
        return signing.dumps({"s": self.state, "at": self.at}, salt=SALT, compress=True)

    @classmethod
    def loads(cls, token: str | None) -> "OpenedState | None":
        """The state a form carried back, or None when it carried none or one altered on the way."""
        try:
            data = signing.loads(token or "", salt=SALT)
            return cls(state=dict(data["s"]), at=float(data["at"]))
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None


def _digest(value) -> str:
    return hashlib.blake2b(json.dumps(value, default=str, sort_keys=True).encode(), digest_size=8).hexdigest()


def _rows(model: type[models.Model], queryset: models.QuerySet, *, lock: bool) -> dict[str, dict]:
    """Each row's concrete values by primary key, with an empty list for each many-to-many field (filled by
    `_fill_links`); locked until the transaction ends when `lock` (in primary key order, so that two saves
    cannot deadlock on them)."""
    queryset = queryset.order_by("pk")
    if lock:
        queryset = queryset.select_for_update()
    pk_name = model._meta.pk.attname
    rows = {
        str(row[pk_name]): row for row in queryset.values(*(field.attname for field in model._meta.concrete_fields))
    }
    for row in rows.values():
        row.update((field.name, []) for field in model._meta.many_to_many)
    return rows


def _fill_links(tables: list[tuple[type[models.Model], dict[str, dict]]]) -> None:
    """Each row's many-to-many ids, in id order, for the rows of every table: one statement (a UNION ALL of
    each many-to-many field's links) instead of one a field."""
    links = []
    for index, (model, rows) in enumerate(tables):
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links.append(
                through._base_manager.filter(**{f"{source}__in": list(rows)})
                .annotate(
                    state_field=Value(f"{index}.{field.name}", output_field=models.CharField()),
                    state_source=F(source),
                    state_target=F(target),
                )
                .values_list("state_field", "state_source", "state_target")
            )
    if not links:
        return
    union = links[0].union(*links[1:], all=True).order_by("state_field", "state_source", "state_target")
    for key, source_id, target_id in union:
        index, name = key.split(".", 1)
        tables[int(index)][1][str(source_id)][name].append(target_id)


def record_state(
    model: type[models.Model], pk, related: Iterable[Related] = (), *, lock: bool = False
) -> dict[str, str] | None:
    """The fingerprint of a record and its related rows; None when the record does not exist.

    Keys: `field:<name>` for each field and many-to-many field of the record, `row:<label>:<pk>`
    for each related row. With `lock`, the record and its related rows are locked (SELECT … FOR
    UPDATE) until the transaction ends: call it inside the transaction that saves.
    """
    records = _rows(model, model._base_manager.filter(pk=pk), lock=lock)
    if not records:
        return None
    tables = [(model, records)] + [
        (
            relation.model,
            _rows(relation.model, relation.model._base_manager.filter(**{relation.fk_name: pk}), lock=lock),
        )
        for relation in related
    ]
    _fill_links(tables)
    (values,) = records.values()
    state = {f"field:{name}": _digest(value) for name, value in values.items()}
    for relation_model, rows in tables[1:]:
        label = relation_model._meta.label_lower
        state.update({f"row:{label}:{row_pk}": _digest(row) for row_pk, row in rows.items()})
    return state


def opened_state(model: type[models.Model], pk, related: Iterable[Related] = (), *, lock: bool = False):
    """The record's state now, stamped with the current instant: what a form opened now carries."""
    state = record_state(model, pk, related, lock=lock)
    return None if state is None else OpenedState(state=state, at=time.time())


def changed_keys(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The keys whose hash differs, or that only one of the two states has, in a stable order."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
