import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from contacts.models import Organization
from meetings.models import Meeting
from public.filters import MeetingFilter, OrganizationFilter
from public.views.directory import OrganizationListView
from public.views.meetings import MeetingListView, public_meetings
from sampledata.generator import domain_flush

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def large_data(django_db_setup, django_db_blocker):
    """10,000 meetings over 50 visits, with the planner's statistics up to date; deleted after the module."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("Query plans are PostgreSQL's.")
        call_command("generate_visits", scale=0.05, seed=5, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield
        domain_flush()


def first_page(filterset_class, view_class, queryset, **filters):
    """The query of a list page's first page, as its view runs it."""
    filterset = filterset_class(QueryDict(mutable=True) | filters, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs[: view_class.paginate_by]


def plan(queryset) -> str:
    return queryset.explain()


def meeting_filters():
    meeting = Meeting.objects.filter(delegation__is_published=True, start_time__isnull=False).order_by("pk").first()
    return {
        "delegation": {"delegation": meeting.delegation.slug},
        "city and status": {"city": meeting.city.upper(), "status": "held"},
        "organization": {"organization": meeting.host_organization.slug},
        "dates and sector": {"date_from": str(meeting.date), "date_to": str(meeting.date), "sector": "health"},
    }


@pytest.mark.django_db
def test_meeting_list_filtered_uses_indexes_not_a_sequential_scan(large_data):
    for name, filters in meeting_filters().items():
        page = first_page(MeetingFilter, MeetingListView, public_meetings(), **filters)
        explained = plan(page)
        assert "Seq Scan on meetings_meeting" not in explained, (name, explained)
        assert "Index" in explained, (name, explained)


@pytest.mark.django_db
def test_meeting_list_unfiltered_first_page_reads_in_index_order(large_data):
    explained = plan(first_page(MeetingFilter, MeetingListView, public_meetings()))

    assert "Seq Scan on meetings_meeting" not in explained, explained
    assert "meeting_list_order" in explained, explained


@pytest.mark.django_db
def test_meeting_list_city_filter_uses_the_case_insensitive_index(large_data):
    city = Meeting.objects.order_by("pk").values_list("city", flat=True).first()
    explained = plan(first_page(MeetingFilter, MeetingListView, public_meetings(), city=city.lower()))

    assert "meeting_city_upper" in explained, explained


@pytest.mark.django_db
def test_organization_directory_by_country_uses_its_index(large_data):
    country = Organization.objects.order_by("pk").values_list("country", flat=True).first()
    directory = first_page(
        OrganizationFilter, OrganizationListView, OrganizationListView().get_queryset(), country=country
    )

    assert "organization_country_name" in plan(directory), plan(directory)
