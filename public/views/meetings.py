from django.db.models import F, Prefetch
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters.views import FilterView

from contacts.models import Organization
from core.ical import calendar_bytes
from delegations.models import Delegation
from meetings.models import Meeting, MeetingParticipant

from ..cache import CachedFilterMixin, cached_for_anonymous
from ..exports import meeting_csv_writer
from ..feeds import delegation_calendar, organization_calendar
from ..filters import AgendaFilter, MeetingFilter, SharedMeetingFilter, involving
from ..meeting_table import meeting_table_rows
from ..scopes import ORGANIZATION, VISIT
from ..sharing import VisitLinks

# Meetings per database round trip in the CSV export: memory holds one chunk, whatever the row count.
EXPORT_CHUNK_SIZE = 500
# On PostgreSQL a chunk is finished lines, a few hundred bytes each, sent as one write.
EXPORT_CHUNK_BYTES = 256 * 1024
EXPORT_SEPARATORS = {"comma": ",", "semicolon": ";"}


def public_meetings():
    """Meetings of published visits with what a public row shows (see meeting_rows)."""
    return meeting_rows(Meeting.objects.published())


def meeting_rows(meetings):
    """The meetings with what a public row shows, in a fixed number of queries.

    By day, then slot (those without a time last, on every database), city and table.
    """
    return (
        meetings.select_related("delegation", "venue", "sector", "delegation_organization", "host_organization")
        .prefetch_related(Prefetch("participants", queryset=MeetingParticipant.objects.select_related("person")))
        .order_by("date", F("start_time").asc(nulls_last=True), "city", "table", "pk")
    )


def filter_query(filterset, **fixed) -> QueryDict:
    """The request's values for this filterset's filters only (no page, nothing unknown), plus fixed ones."""
    query = QueryDict(mutable=True)
    for name in filterset.filters:
        if name in filterset.data:
            query.setlist(name, filterset.data.getlist(name))
    for name, value in fixed.items():
        query[name] = value
    return query


class MeetingListView(CachedFilterMixin, FilterView):
    """B2B meetings of published visits, filtered and paginated."""

    cache_name = "meetings"
    filterset_class = MeetingFilter
    template_name = "public/meeting_list.html"
    paginate_by = 50

    def get_queryset(self):
        return public_meetings()

    def paginate_queryset(self, queryset, page_size):
        """The page's meetings in two steps: their ids, filtered, ordered and sliced over the meetings alone, then
        those rows with what they show, as plain values (public.meeting_table.MeetingRow). Joined before the slice,
        PostgreSQL joined every matching meeting to both sides' organizations (all of them hashed) to keep fifty."""
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        page.object_list = meeting_table_rows(list(ids))
        return paginator, page, page.object_list, is_paginated

    def export_query(self) -> QueryDict:
        return filter_query(self.filterset)

    def export_path(self) -> str:
        return reverse("public:meeting-export-csv")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.filterset.errors:
            query = self.export_query()
            url = self.export_path()
            context["export_url"] = f"{url}?{query.urlencode()}" if query else url
            query["sep"] = "semicolon"
            context["export_semicolon_url"] = f"{url}?{query.urlencode()}"
        return context


class OrganizationAgendaView(MeetingListView):
    """One organization's meetings, on either side, across published visits."""

    cache_name = "agenda"
    cache_scope = ORGANIZATION
    filterset_class = AgendaFilter
    template_name = "public/organization_agenda.html"

    @cached_property
    def organization(self):
        # Looked up only when the page is made, not when it is served from the cache.
        return get_object_or_404(Organization, slug=self.kwargs["slug"])

    def get_queryset(self):
        return involving(public_meetings(), self.organization)

    def export_query(self) -> QueryDict:
        return filter_query(self.filterset, organization=self.organization.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(organization=self.organization, **kwargs)
        # The agenda PDF of each visit on this page, from the page's own rows: no query more.
        visits = dict.fromkeys(meeting.visit for meeting in context["object_list"])
        context["agenda_pdfs"] = [
            (
                visit,
                reverse("documents:organization-agenda", kwargs={"slug": self.organization.slug, "visit": visit.slug}),
            )
            for visit in visits
        ]
        return context


class SharedMeetingListView(MeetingListView):
    """One visit's meetings through a share link (see public.sharing.shared_visit), draft or not.

    Only that visit's: the list has no visit filter, and ignores a `delegation` parameter as any unknown one.
    """

    filterset_class = SharedMeetingFilter
    cache_scope = VISIT
    template_name = "public/meeting_list_shared.html"

    def get_queryset(self):
        return meeting_rows(Meeting.objects.filter(delegation=self.kwargs["share_link"].delegation))

    def export_path(self) -> str:
        return reverse("public:shared-meeting-export-csv", kwargs={"token": self.kwargs["token"]})

    def get_context_data(self, **kwargs):
        delegation = self.kwargs["share_link"].delegation
        return super().get_context_data(
            delegation=delegation, links=VisitLinks(delegation, token=self.kwargs["token"]), **kwargs
        )


@require_safe
def export_csv_view(request):
    """The meeting list's rows as CSV, streamed, with the list's filters; 400 for a filter it cannot apply."""
    filterset = MeetingFilter(request.GET, queryset=public_meetings(), request=request)
    return csv_response(request, filterset)


@require_safe
def shared_export_csv_view(request, share_link, token: str):
    """One visit's meetings as CSV through a share link; a `delegation` parameter is an unknown filter (400)."""
    meetings = meeting_rows(Meeting.objects.filter(delegation=share_link.delegation))
    filterset = SharedMeetingFilter(request.GET, queryset=meetings, request=request)
    return csv_response(request, filterset, visit=share_link.delegation)


def csv_response(request, filterset, visit: Delegation | None = None):
    problems = [
        _("%(name)s: unknown filter") % {"name": name[:50]}
        for name in request.GET
        if name not in filterset.filters and name != "sep"
    ]
    delimiter = EXPORT_SEPARATORS.get(request.GET.get("sep", "comma"))
    if delimiter is None:
        problems.append(_("sep: use comma or semicolon"))
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            label = name if name in filterset.filters else _("filters")
            problems.extend(f"{label}: {message}" for message in messages)
    if problems:
        return HttpResponseBadRequest(
            "\n".join([_("The export cannot apply these filters:"), *problems, ""]),
            content_type="text/plain; charset=utf-8",
        )
    delegation = visit or filterset.form.cleaned_data.get("delegation")
    filename = f"{delegation.slug if delegation else 'meetings'}-{timezone.localdate():%Y-%m-%d}.csv"
    writer = meeting_csv_writer(filterset.qs.db, batch_size=EXPORT_CHUNK_SIZE, chunk_bytes=EXPORT_CHUNK_BYTES)
    return StreamingHttpResponse(
        writer.chunks(filterset.qs, delimiter=delimiter),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def calendar_response(calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_bytes(calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@cached_for_anonymous("delegation-calendar", scope=VISIT)
def delegation_calendar_view(request, slug: str):
    delegation = get_object_or_404(Delegation.objects.published().select_related("leading_body"), slug=slug)
    return calendar_response(delegation_calendar(delegation, request=request), slug)


def shared_calendar_view(request, share_link, token: str):
    delegation = share_link.delegation
    links = VisitLinks(delegation, token=token)
    return calendar_response(delegation_calendar(delegation, request=request, links=links), delegation.slug)


@cached_for_anonymous("organization-calendar", scope=ORGANIZATION)
def organization_calendar_view(request, slug: str):
    organization = get_object_or_404(Organization, slug=slug)
    return calendar_response(organization_calendar(organization, request=request), slug)
