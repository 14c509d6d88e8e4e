"""core.related: a page's related rows read by one query a model, and only when the page is used."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Organization
from core.related import RowsWithRelated, attach_related
from delegations.models import Delegation
from meetings.models import Meeting
from tests.factories import MeetingFactory, OrganizationFactory, SectorFactory

FIELDS = {"delegation_organization": ("name",), "host_organization": ("name",), "venue": ("name",), "sector": ()}


@pytest.fixture
def meetings(db):
    shared = OrganizationFactory(name="Nordlicht Biotech")
    return [
        MeetingFactory(delegation_organization=shared, sector=SectorFactory(name="Wood")),
        MeetingFactory(host_organization=shared, venue=None),
        MeetingFactory(),
    ]


def test_both_sides_organizations_take_one_query_and_each_row_gets_its_own(meetings):
    rows = list(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        attach_related(rows, FIELDS, using="default")
        shown = [
            (
                m.delegation_organization.name,
                m.host_organization.name,
                m.venue and m.venue.name,
                m.sector and m.sector.name,
            )
            for m in rows
        ]

    # Organizations, venues and sectors: a query each, none when the rows are read.
    assert len(queries) == 3
    assert shown == [
        (m.delegation_organization.name, m.host_organization.name, m.venue and m.venue.name, m.sector and m.sector.name)
        for m in meetings
    ]
    assert (shown[0][0], shown[0][3], shown[1][1]) == ("Nordlicht Biotech", "Wood", "Nordlicht Biotech")
    assert shown[1][2] is None and shown[2][3] is None


def test_the_named_columns_alone_are_read(meetings):
    rows = list(Meeting.objects.filter(pk=meetings[0].pk))
    attach_related(rows, FIELDS, using="default")

    organization = rows[0].delegation_organization
    assert isinstance(organization, Organization)
    assert organization.get_deferred_fields() >= {"slug", "search_text"}
    assert rows[0].sector.get_deferred_fields() == set()


def test_a_key_that_is_not_a_foreign_key_is_refused(meetings):
    with pytest.raises(ValueError, match="participants"):
        attach_related(list(Meeting.objects.all()), {"participants": ()}, using="default")


def test_rows_are_read_when_first_used_and_once(meetings):
    with CaptureQueriesContext(connection) as queries:
        rows = RowsWithRelated(Meeting.objects.order_by("pk"), FIELDS)
        assert len(queries) == 0
        assert len(rows) == 3
        assert [row.pk for row in rows] == [m.pk for m in meetings]
        assert rows[1].host_organization.name == "Nordlicht Biotech"
    # The meetings, then organizations, venues and sectors.
    assert len(queries) == 4


def test_no_rows_read_nothing_more(db):
    with CaptureQueriesContext(connection) as queries:
        assert list(RowsWithRelated(Meeting.objects.all(), FIELDS)) == []
    assert len(queries) == 1


def test_columns_the_database_gives_in_its_own_form_are_converted(meetings):
    """A date (text on SQLite) or a flag (an integer there) is read as Python's, as the ORM reads it."""
    rows = list(Meeting.objects.order_by("pk"))
    attach_related(rows, {"delegation": ("start_date", "is_published")}, using="default")

    for row, meeting in zip(rows, meetings, strict=True):
        visit = Delegation.objects.get(pk=meeting.delegation_id)
        assert (row.delegation.start_date, row.delegation.is_published) == (visit.start_date, visit.is_published)
        assert isinstance(row.delegation.start_date, datetime.date)
        assert isinstance(row.delegation.is_published, bool)
