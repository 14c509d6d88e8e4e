"""The sitemap: every public page a search engine may index, and nothing else.

Published visits only (drafts and share links never), organizations, and people who may appear
publicly. Locations are the public URLs; the models know nothing of them.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from contacts.models import Person
from delegations.models import Delegation

from .views.directory import listed_organizations


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["public:home", "public:visit-list", "public:organization-list", "public:meeting-list", "public:results"]

    def location(self, item):
        return reverse(item)


class VisitsSitemap(Sitemap):
    """Each published visit's itinerary and outcomes."""

    def items(self):
        visits = Delegation.objects.published().only("slug", "updated_at").order_by("-start_date", "pk")
        return [(visit, page) for visit in visits for page in ("public:visit-detail", "public:visit-outcomes")]

    def location(self, item):
        visit, page = item
        return reverse(page, kwargs={"slug": visit.slug})

    def lastmod(self, item):
        return item[0].updated_at


class OrganizationsSitemap(Sitemap):
    def items(self):
        return listed_organizations().only("slug").order_by("slug")

    def location(self, item):
        return reverse("public:organization-detail", kwargs={"slug": item.slug})


class PeopleSitemap(Sitemap):
    def items(self):
        return Person.objects.public().only("slug").order_by("slug")

    def location(self, item):
        return reverse("public:person-detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": PagesSitemap,
    "visits": VisitsSitemap,
    "organizations": OrganizationsSitemap,
    "people": PeopleSitemap,
}
