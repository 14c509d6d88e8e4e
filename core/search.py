from dataclasses import dataclass

from django.db import models
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
    (an ARRAY[…] of thousands of constants is slow for the database to parse), and read through a
    sub-select it is a value the planner does not look into (as a constant, it estimated each of its values
    in turn)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(
        self,
        column: str,
        values: list[int] | None = None,
        *,
        array: str = "",
        count: int = 0,
        page: "IdsPage | None" = None,
        in_order: bool = False,
    ):
        """The ids as `values`, or as an array literal of `count` distinct ids (`array_agg(id)::text`, joined
        by the database: read row by row, thousands of ids cost the worker more than the query); `page`: one
        page of them in an order, read with them (see `ids_page`); `in_order`: the ids are in the order of
        the queryset they select (a page of `ids_page`), which can then be read by id (`ordered_ids`)."""
        super().__init__()
        self.column, self.column_name = models.F(column), column
        if values is not None:
            array, count = "{" + ",".join(map(str, values)) + "}", len(set(values))
        self.array, self.count, self.page, self.in_order = array, count, page, in_order

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} = ANY((SELECT %s)::bigint[])", (*params, self.array)


def ids_condition(queryset: models.QuerySet) -> InIds | None:
    """The queryset's `InIds` condition when it is all the queryset asks (no other filter, no distinct, no
    slice), else None: its rows are then those ids."""
    query = queryset.query
    if query.distinct or query.is_sliced or query.combinator:
        return None
    node = query.where
    while isinstance(node, WhereNode) and len(node.children) == 1 and not node.negated:
        node = node.children[0]
    if isinstance(node, Exact) and node.rhs is True:  # how QuerySet.filter() wraps a condition
        node = node.lhs
    return node if isinstance(node, InIds) else None


def ids_count(queryset: models.QuerySet) -> int | None:
    """How many ids an `InIds` condition holds when it is all the queryset asks, else None: its rows are
    those ids, counted without asking the database."""
    return condition.count if (condition := ids_condition(queryset)) is not None else None


def deciding(ordering) -> tuple:
    """The terms of an ordering that decide it: each once, the first time it comes, up to the primary key
    (unique: nothing after it decides anything). The admin's changelist repeats its ordering and adds -pk."""
    terms = []
    for term in ordering:
        if not isinstance(term, str):
            return tuple(ordering)  # an expression: compared as it is
        if term.lstrip("-") not in {name.lstrip("-") for name in terms}:
            terms.append(term)
        if term.lstrip("-") == "pk":
            break
    return tuple(terms)


def array_items(literal: str) -> list[str]:
    """The items of an array literal of ids (`{1,2,3}`; `{}` has none)."""
    inside = literal.strip("{}")
    return inside.split(",") if inside else []


@dataclass(frozen=True)
class IdsPage:
    """The ids of one page of rows, `ids` (an array literal) from the `bottom`-th row in `ordering`."""

    bottom: int
    ids: str
    ordering: tuple


def ids_page(queryset: models.QuerySet, bottom: int, top: int) -> models.QuerySet | None:
    """`queryset[bottom:top]` as the rows of those ids alone, when its only condition is an `InIds` that
    holds that page in the queryset's own order (PostgreSQL). Else None. The database then reads the
    page's rows by id, not every row of the ids to sort them."""
    condition = ids_condition(queryset)
    known = condition.page if condition is not None else None
    if known is None or known.bottom != bottom or deciding(known.ordering) != deciding(queryset.query.order_by):
        return None
    ids = array_items(known.ids)
    if top - bottom > len(ids) and bottom + len(ids) < condition.count:
        return None  # fewer than the page asks, and more rows than they: not this page
    rows = queryset.all()
    rows.query.where = WhereNode()
    shown = ids[: top - bottom]
    return rows.filter(InIds(condition.column_name, array="{" + ",".join(shown) + "}", count=len(shown), in_order=True))


def ordered_ids(queryset: models.QuerySet) -> list[int] | None:
    """The primary keys of the queryset's rows in its order, when it is a page of `ids_page` asking nothing
    more of its rows than the model's columns (no related rows, annotations, deferred columns or other
    kind of result); else None. Its rows can then be read by id, without the queryset's SQL."""
    condition = ids_condition(queryset)
    if condition is None or not condition.in_order or condition.column_name not in ("pk", queryset.model._meta.pk.name):
        return None
    query = queryset.query
    if (
        query.select_related
        or query.annotations
        or query.extra
        or query.deferred_loading != (frozenset(), True)
        or queryset._prefetch_related_lookups
        or queryset._iterable_class is not models.query.ModelIterable
    ):
        return None
    return [int(pk) for pk in array_items(condition.array)]
