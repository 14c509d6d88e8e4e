"""core.search: the terms that decide an ordering, and a page of ids in their order read by id."""

import pytest
from django.db import connection

from core.search import IdsPage, InIds, deciding, ids_count, ids_page
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
