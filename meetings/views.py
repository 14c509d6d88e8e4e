from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_filters.views import FilterView

from contacts.models import Organization
from contacts.privacy import public_names
from delegations.models import Delegation

from .feeds import delegation_calendar, organization_calendar
from .filters import MeetingFilter
from .models import Meeting, MeetingParticipant


def public_meetings():
    """Meetings of published visits with what a public row shows, in a fixed number of queries."""
    return (
        Meeting.objects.published()
        .select_related("delegation", "venue", "sector", "delegation_organization", "host_organization")
        .prefetch_related(Prefetch("participants", queryset=MeetingParticipant.objects.select_related("person")))
        .order_by("date", "start_time", "city", "table", "pk")
    )


def with_public_sides(meetings):
    for meeting in meetings:
        participants = list(meeting.participants.all())
        meeting.public_delegates = public_names(
            (p.person, meeting.delegation_organization) for p in participants if p.side == "delegation"
        )
        meeting.public_hosts = public_names(
            (p.person, meeting.host_organization) for p in participants if p.side == "host"
        )
    return meetings


class MeetingListView(FilterView):
    """B2B meetings of published visits, filtered and paginated."""

    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    paginate_by = 50

    def get_queryset(self):
        return public_meetings()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with_public_sides(context["object_list"])
        return context


class OrganizationAgendaView(MeetingListView):
    """One organization's meetings, on either side, across published visits."""

    template_name = "meetings/organization_agenda.html"

    def get_queryset(self):
        self.organization = get_object_or_404(Organization, slug=self.kwargs["slug"])
        return MeetingFilter().filter_organization(public_meetings(), "organization", self.organization)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.organization, **kwargs)


def calendar_response(calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def delegation_calendar_view(request, slug: str):
    delegation = get_object_or_404(Delegation.objects.published(), slug=slug)
    return calendar_response(delegation_calendar(delegation, request=request), slug)


def organization_calendar_view(request, slug: str):
    organization = get_object_or_404(Organization, slug=slug)
    return calendar_response(organization_calendar(organization, request=request), slug)
