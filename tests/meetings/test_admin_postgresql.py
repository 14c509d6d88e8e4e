"""The meetings changelist's count on PostgreSQL: the planner's estimate for the whole table, large and unfiltered."""

import pytest
from django.db import connection
from django.urls import reverse

from meetings.admin_filters import EstimatedCountPaginator
from tests.factories import MeetingFactory

pytestmark = pytest.mark.postgresql

CHANGELIST_URL = reverse("admin:meetings_meeting_changelist")


@pytest.fixture
def estimated_meetings(monkeypatch):
    """3 meetings the planner knows of (analysed), 2 it does not, any table counting as large."""
    if connection.vendor != "postgresql":
        pytest.skip("The estimate is PostgreSQL's.")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    MeetingFactory.create_batch(3, status="held")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_meeting")
    MeetingFactory.create_batch(2, status="requested")


def test_changelist_unfiltered_count_is_the_planners_estimate(staff_client, estimated_meetings):
    response = staff_client.get(CHANGELIST_URL)

    assert (response.context["cl"].result_count, len(response.context["cl"].result_list)) == (3, 5)


def test_changelist_filtered_count_is_exact(staff_client, estimated_meetings):
    response = staff_client.get(CHANGELIST_URL, {"status__exact": "requested"})

    assert response.context["cl"].result_count == 2


def test_changelist_small_table_counted_exactly(staff_client, estimated_meetings, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 10_000)

    response = staff_client.get(CHANGELIST_URL)

    assert response.context["cl"].result_count == 5
