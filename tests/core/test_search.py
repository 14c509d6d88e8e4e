"""core.search: the terms that decide an ordering, and a page of ids in their order read by id."""

import pytest
from django.db import connection
from django.db.models import Count

from core.related import RowsWithRelated
from core.search import IdsPage, InIds, deciding, ids_count, ids_page, ordered_ids
from meetings.models import Meeting
from tests.factories import MeetingFactory


def test_deciding_keeps_each_term_once_up_to_the_primary_key():
    ordering = ("delegation", "date", "pk", "delegation", "date", "pk", "-pk")
    assert deciding(ordering) == ("delegation", "date", "pk")
    assert deciding(("-date", "date", "city")) == ("-date", "city")


@pytest.mark.postgresql
def test_ids_page_reads_the_page_read_with_the_ids(db):
    if connection.vendor != "postgresql":
        pytest.skip("InIds is PostgreSQL's.")
    ids = [MeetingFactory(start_time=None, end_time=None).pk for _ in range(5)]
    newest_first = ids[::-1]
    # Every id in no order, and the second page of two in the order of -pk.
    page = IdsPage(2, "{" + ",".join(map(str, newest_first[2:4])) + "}", ("-pk",))
    rows = Meeting.objects.filter(InIds("pk", ids, page=page)).order_by("-pk")

    assert [m.pk for m in ids_page(rows, 2, 4)] == newest_first[2:4]
    assert ids_count(rows) == 5
    assert ids_page(rows, 0, 2) is None  # another page
    assert ids_page(rows, 2, 5) is None  # a longer one, with more rows than the page holds
    assert ids_page(rows.order_by("pk"), 2, 4) is None  # another order
    assert ids_page(rows.filter(city="Lyon"), 2, 4) is None  # another condition
    # The last page, shorter than a page: all it holds.
    last = IdsPage(4, "{" + str(newest_first[4]) + "}", ("-pk",))
    rows = Meeting.objects.filter(InIds("pk", ids, page=last)).order_by("-pk")
    assert [m.pk for m in ids_page(rows, 4, 5)] == newest_first[4:]
    # Every row, whatever the page read with them.
    assert sorted(m.pk for m in rows) == sorted(ids)


@pytest.mark.postgresql
def test_a_page_of_ids_is_read_by_id_in_its_order_with_the_orms_values(db):
    if connection.vendor != "postgresql":
        pytest.skip("InIds is PostgreSQL's.")
    ids = [MeetingFactory(start_time=None, end_time=None).pk for _ in range(5)]
    newest_first = ids[::-1]
    page = IdsPage(1, "{" + ",".join(map(str, newest_first[1:4])) + "}", ("-pk",))
    rows = Meeting.objects.filter(InIds("pk", ids, page=page)).order_by("-pk")
    shown = ids_page(rows, 1, 4)

    assert ordered_ids(shown) == newest_first[1:4]
    read = RowsWithRelated(shown, {"host_organization": ("name",)})
    assert [row.pk for row in read] == newest_first[1:4]
    orm = {meeting.pk: meeting for meeting in Meeting.objects.filter(pk__in=ids)}
    fields = [field.attname for field in Meeting._meta.concrete_fields]
    assert [[getattr(row, name) for name in fields] for row in read] == [
        [getattr(orm[pk], name) for name in fields] for pk in newest_first[1:4]
    ]
    assert read[0].host_organization.name == orm[newest_first[1]].host_organization.name
    # What asks more of the rows than their columns, or ids in no order, is read by its own SQL.
    assert ordered_ids(rows) is None
    assert ordered_ids(shown.select_related("venue")) is None
    assert ordered_ids(shown.only("city")) is None
    assert ordered_ids(shown.annotate(n=Count("participants"))) is None
    assert ordered_ids(shown.values("pk")) is None
