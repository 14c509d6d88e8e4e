from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from delegations.models import Agreement, AgreementParty, Delegation, FollowUp
from delegations.programme import programme_build
from meetings.models import Meeting

from ..cache import CachedFilterMixin, CachedForAnonymousMixin
from ..filters import DelegationFilter
from ..sharing import VisitLinks


class HomeView(CachedForAnonymousMixin, TemplateView):
    """Upcoming and recent published visits."""

    cache_name = "home"
    template_name = "public/home.html"
    recent_count = 10

    def get_context_data(self, **kwargs):
        published = Delegation.objects.published().for_cards()
        return super().get_context_data(
            upcoming=published.upcoming(),
            recent=published.past()[: self.recent_count],
            **kwargs,
        )


class DelegationListView(CachedFilterMixin, FilterView):
    """Published visits, filtered and paginated."""

    cache_name = "visits"
    filterset_class = DelegationFilter
    template_name = "public/delegation_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Delegation.objects.published().for_cards().order_by("-start_date", "title")


class VisibleDelegationMixin:
    """Published visits for everyone; drafts too for logged-in staff, who preview them.

    Served through a share link (see sharing.shared_visit), the link's visit only, draft or not, as the
    public will see it once published: no preview banner, and its links keep to the share link.
    """

    def get_queryset(self):
        share_link = self.kwargs.get("share_link")
        if share_link is not None:
            return Delegation.objects.filter(pk=share_link.delegation_id)
        delegations = Delegation.objects.all()
        user = self.request.user
        if not (user.is_authenticated and user.is_staff):
            delegations = delegations.published()
        return delegations

    def get_object(self, queryset=None):
        if "share_link" in self.kwargs:
            return get_object_or_404(self.get_queryset() if queryset is None else queryset)
        return super().get_object(queryset)

    def visit_context(self, delegation: Delegation) -> dict:
        shared = "share_link" in self.kwargs
        return {
            "links": VisitLinks(delegation, token=self.kwargs.get("token")),
            "is_preview": not (shared or delegation.is_published),
        }


# Counted here rather than in the programme, which knows nothing of meetings.
MEETING_COUNT = {"meeting_count": Count("meetings", filter=~Q(meetings__status=Meeting.Status.CANCELLED))}


class DelegationDetailView(CachedForAnonymousMixin, VisibleDelegationMixin, DetailView):
    """The itinerary: who travels, and the programme day by day."""

    cache_name = "itinerary"
    template_name = "public/delegation_detail.html"
    context_object_name = "delegation"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("leading_body", "organiser")
            .prefetch_related("supporting_organizations", "priority_sectors")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programme=programme_build(delegation=self.object, item_annotations=MEETING_COUNT),
            **self.visit_context(self.object),
            **kwargs,
        )


class DelegationOutcomesView(CachedForAnonymousMixin, VisibleDelegationMixin, DetailView):
    """What the visit produced: agreements, follow-ups and meeting figures."""

    cache_name = "outcomes"
    template_name = "public/delegation_outcomes.html"
    context_object_name = "delegation"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "agreements",
                    queryset=Agreement.objects.select_related("signing_item")
                    .prefetch_related(
                        Prefetch("parties", queryset=AgreementParty.objects.select_related("organization", "signatory"))
                    )
                    .order_by(F("signed_on").asc(nulls_last=True), "title", "pk"),
                ),
                Prefetch(
                    "follow_ups",
                    # Dated follow-ups first, soonest first, on SQLite and PostgreSQL alike.
                    queryset=FollowUp.objects.select_related("sector", "itinerary_item", "agreement")
                    .prefetch_related(
                        "organizations", "meetings__delegation_organization", "meetings__host_organization"
                    )
                    .order_by(F("due_date").asc(nulls_last=True), "title", "pk"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings_reported=sum(item.reported_meetings or 0 for item in self.object.itinerary_items.all()),
            **self.visit_context(self.object),
            **kwargs,
        )
