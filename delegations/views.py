import datetime
import zoneinfo
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from contacts.models import Organization, Person, Position
from contacts.privacy import PublicName, organization_on, public_names

from .filters import DelegationFilter, OrganizationFilter
from .models import Agreement, Delegation, DelegationMember, FollowUp, ItineraryItem


class HomeView(TemplateView):
    """Upcoming and recent published visits."""

    template_name = "delegations/home.html"
    recent_count = 10

    def get_context_data(self, **kwargs):
        published = Delegation.objects.published().for_cards()
        return super().get_context_data(
            upcoming=published.upcoming(),
            recent=published.past()[: self.recent_count],
            **kwargs,
        )


class DelegationListView(FilterView):
    """Published visits, filtered and paginated."""

    filterset_class = DelegationFilter
    template_name = "delegations/delegation_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Delegation.objects.published().for_cards().order_by("-start_date", "title")


class VisibleDelegationMixin:
    """Published visits for everyone; drafts too for logged-in staff, who preview them."""

    def get_queryset(self):
        delegations = Delegation.objects.all()
        user = self.request.user
        if not (user.is_authenticated and user.is_staff):
            delegations = delegations.published()
        return delegations


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


PEOPLE_WITH_POSITIONS = Person.objects.prefetch_related("positions__organization")


class DelegationDetailView(VisibleDelegationMixin, DetailView):
    """The itinerary: who travels, and the programme day by day."""

    template_name = "delegations/delegation_detail.html"
    context_object_name = "delegation"

    def get_queryset(self):
        items = (
            ItineraryItem.objects.select_related("venue")
            .prefetch_related(
                "hosts",
                Prefetch("delegation_participants", queryset=PEOPLE_WITH_POSITIONS),
                Prefetch("host_participants", queryset=PEOPLE_WITH_POSITIONS),
                Prefetch("agreements", queryset=Agreement.objects.order_by("title")),
            )
            .annotate(meeting_count=Count("meetings", filter=~Q(meetings__status="cancelled")))
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
        home_zone = zoneinfo.ZoneInfo(delegation.home_time_zone)
        items = list(delegation.itinerary_items.all())
        for item in items:
            item.public_delegates = public_names(
                (person, member_orgs.get(person.pk) or organization_on(person, item.day))
                for person in item.delegation_participants.all()
            )
            item.public_hosts = public_names(
                (person, organization_on(person, item.day)) for person in item.host_participants.all()
            )
            item.home_starts_at = item.starts_at.astimezone(home_zone) if item.starts_at else None
            item.home_ends_at = item.ends_at.astimezone(home_zone) if item.ends_at else None
            item.shows_home_time = bool(item.starts_at) and (
                item.starts_at.astimezone(zoneinfo.ZoneInfo(item.time_zone)).utcoffset()
                != item.home_starts_at.utcoffset()
            )
        return super().get_context_data(
            members=[(m, PublicName(m.person.name, m.person) if m.person.is_public else None) for m in members],
            head=delegation.head,
            programme=programme(items),
            is_preview=not delegation.is_published,
            **kwargs,
        )


class DelegationOutcomesView(VisibleDelegationMixin, DetailView):
    """What the visit produced: agreements, follow-ups and meeting figures."""

    template_name = "delegations/delegation_outcomes.html"
    context_object_name = "delegation"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "agreements",
                    queryset=Agreement.objects.select_related("signing_item").prefetch_related(
                        "parties__organization", "parties__signatory"
                    ),
                ),
                Prefetch(
                    "follow_ups",
                    queryset=FollowUp.objects.select_related("sector", "itinerary_item", "agreement").prefetch_related(
                        "organizations", "meetings__delegation_organization", "meetings__host_organization"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings_reported=sum(item.reported_meetings or 0 for item in self.object.itinerary_items.all()),
            is_preview=not self.object.is_published,
            **kwargs,
        )


class OrganizationListView(FilterView):
    """The directory: organizations by name in either script, by sector, by country."""

    filterset_class = OrganizationFilter
    template_name = "delegations/organization_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Organization.objects.select_related("parent").prefetch_related("sectors").order_by("name")


class OrganizationDetailView(DetailView):
    """An organization's profile: what it took part in, in published visits only."""

    template_name = "delegations/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.select_related("parent").prefetch_related("sectors", "children")

    def get_context_data(self, **kwargs):
        organization = self.object
        published = Delegation.objects.published()
        involved = (
            Q(leading_body=organization)
            | Q(organiser=organization)
            | Q(supporting_organizations=organization)
            | Q(members__organization=organization)
            | Q(itinerary_items__hosts=organization)
            | Q(agreements__parties__organization=organization)
        )
        visits = published.filter(pk__in=published.filter(involved).values("pk")).for_cards().order_by("-start_date")
        agreements = (
            Agreement.objects.filter(delegation__is_published=True, parties__organization=organization)
            .select_related("delegation")
            .prefetch_related("parties__organization")
            .order_by("-signed_on")
        )
        follow_ups = (
            FollowUp.objects.filter(delegation__is_published=True, organizations=organization)
            .select_related("delegation", "sector")
            .order_by("due_date", "title")
        )
        return super().get_context_data(
            visits=visits,
            agreements=agreements,
            follow_ups=follow_ups,
            public_people=Person.objects.public()
            .filter(positions__organization=organization)
            .prefetch_related("positions")
            .distinct(),
            **kwargs,
        )


class PersonDetailView(DetailView):
    """A public person: positions, and the visits and roles they had. Others do not exist publicly."""

    template_name = "delegations/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.public().prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("organization")),
        )

    def get_context_data(self, **kwargs):
        memberships = (
            DelegationMember.objects.filter(person=self.object, delegation__is_published=True)
            .select_related("delegation", "organization")
            .order_by("-delegation__start_date")
        )
        items = (
            ItineraryItem.objects.filter(delegation__is_published=True)
            .filter(Q(delegation_participants=self.object) | Q(host_participants=self.object))
            .select_related("delegation", "venue")
            .distinct()
            .order_by("-day", "start_time")
        )
        return super().get_context_data(memberships=memberships, items=items, **kwargs)


class SearchView(TemplateView):
    """One box for visits, organizations and public people, ignoring case and accents."""

    template_name = "delegations/search.html"
    limit = 25

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200].strip()
        results = {}
        if query:
            results = {
                "visits": Delegation.objects.published().search(query).order_by("-start_date")[: self.limit],
                "organizations": Organization.objects.search(query).order_by("name")[: self.limit],
                "people": Person.objects.public().search(query).order_by("name")[: self.limit],
            }
        return super().get_context_data(query=query, **results, **kwargs)
