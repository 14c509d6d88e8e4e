from django.db import connections, models
from django.db.models.lookups import Exact
from django.db.models.sql.where import WhereNode

from .text import fold


class SearchQuerySet(models.QuerySet):
    """For a model that keeps its names folded in a `search_text` column (see core.text.fold)."""

    def search(self, text: str):
        """Rows whose names hold every word of the text, ignoring case and accents, in any script."""
        rows = self
        for word in fold(text).split():
            rows = rows.filter(search_text__contains=word)
        return rows


class InSubquery(models.Expression):
    """`column IN (subquery)`, written `column = ANY(ARRAY(subquery))` on PostgreSQL.

    PostgreSQL plans an IN of a subquery from its estimated rows, and from a few hundred expected
    rows on chooses reading the whole outer table; the array is read first and its values looked up
    through the column's index, as for a list of ids.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column: str, subquery: models.QuerySet):
        super().__init__()
        self.column, self.subquery = models.F(column), subquery

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, expressions):
        self.column, self.subquery = expressions

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.column = self.column.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        subquery = getattr(self.subquery, "query", self.subquery)  # a queryset, or its query once resolved
        resolved.subquery = subquery.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return resolved

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        return f"{column} IN {subquery}", (*column_params, *subquery_params)

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)


class InIds(models.Expression):
    """`column = ANY((SELECT '{1,2,…}')::bigint[])`, integer ids sent as one array (PostgreSQL only): an
    IN of thousands of values costs Django a parameter each to prepare. The array is one string to parse
    (an ARRAY[…] of 6,000 constants took the database 10 ms to parse), and read through a sub-select it is
    a value the planner does not look into (as a constant, it estimated each of its values in turn)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column: str, values: list[int] | None = None, *, array: str = "", count: int = 0):
        """The ids as `values`, or as an array literal of `count` distinct ids (see `read_ids`)."""
        super().__init__()
        self.column = models.F(column)
        if values is not None:
            array, count = "{" + ",".join(map(str, values)) + "}", len(set(values))
        self.array, self.count = array, count

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} = ANY((SELECT %s)::bigint[])", (*params, self.array)


def ids_count(queryset: models.QuerySet) -> int | None:
    """How many ids an `InIds` condition holds when it is all the queryset asks (no other filter, no
    distinct, no slice), else None: its rows are then those ids, counted without asking the database."""
    query = queryset.query
    if query.distinct or query.is_sliced or query.combinator:
        return None
    node = query.where
    while isinstance(node, WhereNode) and len(node.children) == 1 and not node.negated:
        node = node.children[0]
    if isinstance(node, Exact) and node.rhs is True:  # how QuerySet.filter() wraps a condition
        node = node.lhs
    return node.count if isinstance(node, InIds) else None


def read_ids(ids: models.QuerySet, limit: int) -> InIds | None:
    """`InIds("pk", …)` of the first `limit` values of a one-column queryset of ids (distinct), or None
    if it has more (PostgreSQL only). The database joins them into one array literal: read row by row,
    6,000 ids cost the worker more time than the query did."""
    sql, params = ids[: limit + 1].query.sql_with_params()
    with connections[ids.db].cursor() as cursor:
        cursor.execute(f"SELECT count(*), coalesce(array_agg(id), '{{}}')::text FROM ({sql}) AS ids (id)", params)
        count, array = cursor.fetchone()
    return None if count > limit else InIds("pk", array=array, count=count)
