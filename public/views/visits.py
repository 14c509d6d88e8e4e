import datetime
import zoneinfo
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from contacts.models import Person
from contacts.privacy import organization_on, public_names, representatives
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem

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


@dataclass
class CityBlock:
    city: str
    items: list = field(default_factory=list)


@dataclass
class ProgrammeDay:
    day: datetime.date
    cities: list[CityBlock]


def programme(items) -> list[ProgrammeDay]:
    """Items by day, then by consecutive city, in programme order."""
    days = []
    for day, day_items in groupby(items, key=lambda item: item.day):
        cities = [CityBlock(city, list(city_items)) for city, city_items in groupby(day_items, key=lambda i: i.city)]
        days.append(ProgrammeDay(day, cities))
    return days


class DelegationDetailView(CachedForAnonymousMixin, VisibleDelegationMixin, DetailView):
    """The itinerary: who travels, and the programme day by day."""

    cache_name = "itinerary"
    template_name = "public/delegation_detail.html"
    context_object_name = "delegation"

    def get_queryset(self):
        items = (
            ItineraryItem.objects.select_related("venue")
            .prefetch_related(
                "hosts",
                Prefetch("delegation_participants", queryset=Person.objects.with_positions()),
                Prefetch("host_participants", queryset=Person.objects.with_positions()),
                Prefetch("agreements", queryset=Agreement.objects.order_by("title")),
            )
            .annotate(meeting_count=Count("meetings", filter=~Q(meetings__status="cancelled")))
            # Explicit, so that items without a time come after the timed ones on SQLite and PostgreSQL alike.
            .order_by("day", F("start_time").asc(nulls_last=True), "order", "pk")
        )
        return (
            super()
            .get_queryset()
            .select_related("leading_body", "organiser")
            .prefetch_related(
                "supporting_organizations",
                "priority_sectors",
                Prefetch("members", queryset=DelegationMember.objects.select_related("person", "organization")),
                Prefetch("itinerary_items", queryset=items),
            )
        )

    def get_context_data(self, **kwargs):
        delegation = self.object
        members = list(delegation.members.all())
        member_orgs = {m.person_id: m.organization or delegation.leading_body for m in members}
        member_rank = {m.person_id: rank for rank, m in enumerate(members)}
        home_zone = zoneinfo.ZoneInfo(delegation.home_time_zone)
        items = list(delegation.itinerary_items.all())
        for item in items:
            # The delegation side in the order of the member list (head first), others after by name.
            delegates = sorted(item.delegation_participants.all(), key=lambda p: member_rank.get(p.pk, len(members)))
            item.public_delegates = public_names(
                (person, member_orgs.get(person.pk) or organization_on(person, item.day)) for person in delegates
            )
            item.public_hosts = public_names(
                (person, organization_on(person, item.day)) for person in item.host_participants.all()
            )
            set_home_time(item, home_zone)
        head = delegation.head
        return super().get_context_data(
            members=[(member, public_member_label(member, delegation)) for member in members],
            head=head,
            head_label=public_member_label(head, delegation) if head else None,
            programme=programme(items),
            **self.visit_context(delegation),
            **kwargs,
        )


def public_member_label(member: DelegationMember, delegation: Delegation) -> str | None:
    """None for a public member (shown by name); for the others, the organization they represent."""
    if member.person.is_public:
        return None
    return representatives(member.organization or delegation.leading_body)


def set_home_time(item: ItineraryItem, home_zone: zoneinfo.ZoneInfo) -> None:
    """The item's times in the delegation's home zone, shown only when that zone's offset differs then.

    Plain wall-clock times: templates would turn an aware datetime back into the server's zone.
    """
    home_start = item.starts_at.astimezone(home_zone) if item.starts_at else None
    home_end = item.ends_at.astimezone(home_zone) if item.ends_at else None
    item.shows_home_time = home_start is not None and (
        item.starts_at.astimezone(zoneinfo.ZoneInfo(item.time_zone)).utcoffset() != home_start.utcoffset()
    )
    item.home_start_time = home_start.time() if home_start else None
    item.home_end_time = home_end.time() if home_end else None
    # 18:00 in Paris is 01:00 the next day in Irkutsk: say so rather than show a misleading bare time.
    item.home_day_shift = (home_start.date() - item.day).days if item.shows_home_time else 0


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
