import datetime
from dataclasses import dataclass

from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from delegations.models import Agreement, AgreementParty, Delegation, FollowUp, ItineraryItem
from delegations.models.itinerary import REPORTING
from delegations.programme import programme_build
from meetings.models import Meeting

from ..cache import CachedFilterMixin, CachedForAnonymousMixin
from ..cards import with_cards
from ..filters import DelegationFilter
from ..markup import Addresses, meeting_names, organization_link, person_link
from ..outcomes import agreement_article, follow_up_article
from ..results import results_figures
from ..scopes import VISIT
from ..sharing import VisitLinks


class HomeView(CachedForAnonymousMixin, TemplateView):
    """Upcoming and recent published visits."""

    cache_name = "home"
    template_name = "public/home.html"
    recent_count = 10

    def get_context_data(self, **kwargs):
        published = Delegation.objects.published().for_cards()
        return super().get_context_data(
            upcoming=with_cards(published.upcoming()),
            recent=with_cards(published.past()[: self.recent_count]),
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_cards(context["object_list"])
        return context


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


# Counted here rather than in the programme, which knows nothing of meetings; those of the item's own visit. A
# subquery per item: joined and grouped, the items' every column made the GROUP BY.
MEETING_COUNT = {
    "meeting_count": Coalesce(
        Subquery(
            Meeting.objects.filter(session=OuterRef("pk"), delegation=OuterRef("delegation"))
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by()
            .values("session")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )
}


class DelegationDetailView(CachedForAnonymousMixin, VisibleDelegationMixin, DetailView):
    """The itinerary: who travels, and the programme day by day."""

    cache_name = "itinerary"
    cache_scope = VISIT
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


def outcome_prefetches(visit: Delegation) -> list[Prefetch]:
    """The visit's agreements and follow-ups with what they link to, in a fixed number of queries: the items,
    agreements and meetings of that visit only, so that a link planted across visits (which the database
    refuses) could never name a record of another visit, a draft's say, on this visit's page.

    Each agreement's parties come as `party_list`, each follow-up's organizations and meetings as
    `organization_list` and `meeting_list`: prefetched to lists, no related manager's query set is built for each."""
    return [
        Prefetch(
            "agreements",
            queryset=Agreement.objects.annotate(
                visit_signing_item=FilteredRelation("signing_item", condition=Q(signing_item__delegation=visit))
            )
            .select_related("visit_signing_item")
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=AgreementParty.objects.select_related("organization", "signatory"),
                    to_attr="party_list",
                )
            )
            .order_by(F("signed_on").asc(nulls_last=True), "title", "pk"),
        ),
        Prefetch(
            "follow_ups",
            # Dated follow-ups first, soonest first, on SQLite and PostgreSQL alike.
            queryset=FollowUp.objects.annotate(
                visit_itinerary_item=FilteredRelation("itinerary_item", condition=Q(itinerary_item__delegation=visit)),
                visit_agreement=FilteredRelation("agreement", condition=Q(agreement__delegation=visit)),
            )
            .select_related("sector", "visit_itinerary_item", "visit_agreement")
            .prefetch_related(
                Prefetch("organizations", to_attr="organization_list"),
                Prefetch(
                    "meetings",
                    queryset=Meeting.objects.filter(delegation=visit).select_related(
                        "delegation_organization", "host_organization"
                    ),
                    to_attr="meeting_list",
                ),
            )
            .order_by(F("due_date").asc(nulls_last=True), "title", "pk"),
        ),
    ]


def with_outcome_names(visit: Delegation) -> None:
    """The names its agreements and follow-ups link to, written once in Python (public.markup) rather than
    through a partial included for each: the parties and signatories, the follow-ups' organizations and the two
    sides of their meetings. From the visit's prefetched outcomes (`outcome_prefetches`)."""
    addresses = Addresses()
    for agreement in visit.agreements.all():
        for party in agreement.party_list:
            party.organization_link = organization_link(party.organization, addresses)
            if party.signatory is not None:
                party.signatory_link = person_link(party.signatory, addresses)
    for follow_up in visit.follow_ups.all():
        for organization in follow_up.organization_list:
            organization.link = organization_link(organization, addresses)
        for meeting in follow_up.meeting_list:
            meeting.names = meeting_names(meeting)


@dataclass(frozen=True)
class WithoutDetail:
    """Documents a visit, or one of its items, reports signed without naming them or their parties."""

    count: int | None
    summary: str
    item: ItineraryItem | None = None


def agreements_without_detail(visit: Delegation) -> list[WithoutDetail]:
    """The visit's own report first, then its items', in programme order (from its prefetched items)."""
    reported = []
    if visit.agreements_without_detail or visit.agreements_without_detail_summary:
        reported.append(WithoutDetail(visit.agreements_without_detail, visit.agreements_without_detail_summary))
    items = sorted(
        visit.itinerary_items.all(),
        key=lambda item: (item.day, item.start_time is None, item.start_time or datetime.time(), item.order, item.pk),
    )
    reported += [
        WithoutDetail(item.agreements_without_detail, item.agreements_without_detail_summary, item)
        for item in items
        if item.agreements_without_detail or item.agreements_without_detail_summary
    ]
    return reported


# The items the outcomes page shows: those reporting meetings or documents without detail, in any language.
class DelegationOutcomesView(CachedForAnonymousMixin, VisibleDelegationMixin, DetailView):
    """What the visit produced: agreements, follow-ups and meeting figures."""

    cache_name = "outcomes"
    cache_scope = VISIT
    template_name = "public/delegation_outcomes.html"
    context_object_name = "delegation"

    def get_object(self, queryset=None):
        visit = super().get_object(queryset)
        # Its items once, those that report documents or meetings without detail (a few of hundreds).
        reporting = Prefetch("itinerary_items", queryset=ItineraryItem.objects.filter(REPORTING))
        prefetch_related_objects([visit], *outcome_prefetches(visit), reporting)
        with_outcome_names(visit)
        return visit

    def get_context_data(self, **kwargs):
        visit_context = self.visit_context(self.object)
        links = visit_context["links"]
        return super().get_context_data(
            figures=results_figures(Delegation.objects.filter(pk=self.object.pk), detail=False),
            without_detail=agreements_without_detail(self.object),
            agreements=[agreement_article(agreement, links) for agreement in self.object.agreements.all()],
            follow_ups=[follow_up_article(follow_up, links) for follow_up in self.object.follow_ups.all()],
            **visit_context,
            **kwargs,
        )
