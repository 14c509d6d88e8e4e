"""The directory: organizations, public people, and search across visits, organizations and people."""

from django.db.models import F, Prefetch
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from contacts.models import Organization, Person
from core.text import fold
from delegations.models import Agreement, AgreementParty, Delegation, FollowUp
from matchmaking.models import Registration

from ..appearances import person_appearances
from ..cache import CachedFilterMixin, CachedForAnonymousMixin, visits_in
from ..cards import with_cards
from ..filters import OrganizationFilter
from ..scopes import ORGANIZATION, PERSON


def listed_organizations():
    """Organizations the public pages show: all but those known only from a company's registration
    (matchmaking), until it meets the delegation in a published visit."""
    return Organization.objects.exclude(pk__in=Registration.objects.unpublished_organizations().values("pk"))


class OrganizationListView(CachedFilterMixin, FilterView):
    """The directory: organizations by name in either script, by sector, by country."""

    cache_name = "organizations"
    filterset_class = OrganizationFilter
    template_name = "public/organization_list.html"
    paginate_by = 50

    def get_queryset(self):
        return listed_organizations().select_related("parent").prefetch_related("sectors").order_by("name")


class OrganizationDetailView(CachedForAnonymousMixin, DetailView):
    """An organization's profile: what it took part in, in published visits only."""

    cache_name = "organization"
    cache_scope = ORGANIZATION
    template_name = "public/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return listed_organizations().select_related("parent").prefetch_related("sectors", "children")

    def get_context_data(self, **kwargs):
        organization = self.object
        # The visits it takes part in as the page's scope read them (public.scopes.ORGANIZATION_IN_VISIT, drafts
        # included): on a page rendered for the cache, no second query of nine subqueries.
        involved = visits_in(ORGANIZATION, organization.pk)
        visits = Delegation.objects.published().filter(pk__in=involved).for_cards().order_by("-start_date", "title")
        agreements = (
            Agreement.objects.filter(delegation__is_published=True, parties__organization=organization)
            .select_related("delegation")
            .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")))
            .order_by(F("signed_on").desc(nulls_last=True), "title", "pk")
        )
        follow_ups = (
            FollowUp.objects.filter(delegation__is_published=True, organizations=organization)
            .select_related("delegation", "sector")
            .order_by(F("due_date").asc(nulls_last=True), "title", "pk")
        )
        return super().get_context_data(
            visits=with_cards(visits),
            agreements=agreements,
            follow_ups=follow_ups,
            public_people=Person.objects.public().filter(positions__organization=organization).distinct(),
            **kwargs,
        )


class PersonDetailView(CachedForAnonymousMixin, DetailView):
    """A public person: positions, and the visits and roles they had. Others do not exist publicly."""

    cache_name = "person"
    cache_scope = PERSON
    template_name = "public/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.public().with_positions()

    def get_context_data(self, **kwargs):
        return super().get_context_data(visits=person_appearances(self.object), **kwargs)


class SearchView(TemplateView):
    """One box for visits, organizations and public people, ignoring case and accents."""

    template_name = "public/search.html"
    limit = 25

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200].strip()
        results = {}
        # Punctuation alone folds to nothing, which would match every row.
        if fold(query):
            results = {
                "visits": with_cards(
                    Delegation.objects.published().search(query).for_cards().order_by("-start_date")[: self.limit]
                ),
                "organizations": listed_organizations().search(query).order_by("name")[: self.limit],
                "people": Person.objects.public().search(query).order_by("name")[: self.limit],
            }
        return super().get_context_data(query=query, **results, **kwargs)
