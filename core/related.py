"""A page's related rows read by one query a model, for lists that show a few names of each row's
foreign keys."""

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from django.db import connections, models

from .search import ordered_ids


def attach_related(rows: list[models.Model], fields: dict[str, tuple[str, ...]], *, using: str) -> None:
    """Set each row's foreign keys named in `fields` to their objects, read with the named columns alone
    (an empty tuple: every column) by one query for each related model and set of columns, so that two
    keys to the same model (a meeting's two organizations) take one query. What `prefetch_related` does
    with a query for each key, each built through its lookups (a tuple lookup per key), which cost a
    short list more than reading the rows."""
    if not rows:
        return
    groups = defaultdict(list)
    for name, columns in fields.items():
        field = rows[0]._meta.get_field(name)
        if not (isinstance(field, models.ForeignKey) and field.target_field.primary_key):
            raise ValueError(f"{name} is not a foreign key to a primary key")
        groups[field.related_model, columns].append(field)
    for (model, columns), keys in groups.items():
        ids = {value for row in rows for key in keys if (value := getattr(row, key.attname)) is not None}
        found = _read(model, columns, ids, using) if ids else {}
        for row in rows:
            for key in keys:
                value = getattr(row, key.attname)
                if value is None:
                    key.set_cached_value(row, None)
                elif value in found:
                    key.set_cached_value(row, found[value])


def _read(model, columns: tuple[str, ...], ids: set, using: str) -> dict:
    """The model's rows of those ids by id, with the named columns alone (none named: every column), as
    `_base_manager.filter(pk__in=ids).only(*columns)` reads them. Written directly, unless a column's
    values need converting from the database's (building the query cost more than reading its rows)."""
    connection = connections[using]
    wanted = {model._meta.get_field(name).attname for name in columns}
    # In the model's order of columns, as Model.from_db takes them.
    fields = [f for f in model._meta.concrete_fields if not columns or f.primary_key or f.attname in wanted]
    table = model._meta.db_table
    if any(f.get_db_converters(connection) or connection.ops.get_db_converters(f.get_col(table)) for f in fields):
        related = model._base_manager.db_manager(using).filter(pk__in=ids).order_by()
        return {item.pk: item for item in (related.only(*columns) if columns else related)}
    quote = connection.ops.quote_name
    key = fields.index(model._meta.pk)
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)}"
        f" WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})"
    )
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        return {row[key]: model.from_db(using, names, row) for row in cursor.fetchall()}


class RowsWithRelated(Sequence):
    """A queryset's rows, read with their related rows (`attach_related`) the first time they are used:
    a page that is never shown (a changelist answering an action) reads nothing."""

    def __init__(self, queryset: models.QuerySet, fields: dict[str, tuple[str, ...]]):
        self.queryset, self.fields = queryset, fields

    @cached_property
    def rows(self) -> list[models.Model]:
        """The queryset's rows; a page of ids in its order (core.search.ordered_ids) read by them directly."""
        if (ids := ordered_ids(self.queryset)) is not None:
            found = _read(self.queryset.model, (), set(ids), self.queryset.db) if ids else {}
            rows = [found[pk] for pk in ids if pk in found]
        else:
            rows = list(self.queryset)
        attach_related(rows, self.fields, using=self.queryset.db)
        return rows

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)
