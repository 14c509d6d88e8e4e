"""Share links on the public side: a visit's own addresses, public or under a link, and the link's resolution."""

import functools
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control

from delegations.models import Delegation, ShareLink


class VisitLinks:
    """Where a visit's own pages are: its public addresses, or those under a share link, so that a page
    reached through a link links to the visit's other pages through the same link."""

    def __init__(self, delegation: Delegation, token: str | None = None):
        self.delegation = delegation
        self.token = token
        # Reversed once each: a page links to the same few addresses of its visit on many of its rows.
        self._reversed = {}

    def _reverse(self, name: str, **kwargs) -> str:
        if name not in self._reversed:
            self._reversed[name] = reverse(name, kwargs=kwargs)
        return self._reversed[name]

    def _url(self, public_name: str, shared_name: str) -> str:
        if self.token:
            return self._reverse(shared_name, token=self.token)
        return self._reverse(public_name, slug=self.delegation.slug)

    @property
    def itinerary(self) -> str:
        return self._url("public:visit-detail", "public:shared-visit-detail")

    @property
    def outcomes(self) -> str:
        return self._url("public:visit-outcomes", "public:shared-visit-outcomes")

    @property
    def calendar(self) -> str | None:
        """None when there is no feed: a draft has none at its public address."""
        if not self.token and not self.delegation.is_published:
            return None
        return self._url("public:visit-calendar", "public:shared-visit-calendar")

    @property
    def programme(self) -> str | None:
        """The programme PDF; None at the public address of a draft (staff have it in the admin)."""
        if self.token:
            return reverse("public:shared-visit-programme", kwargs={"token": self.token})
        if not self.delegation.is_published:
            return None
        return reverse("documents:programme", kwargs={"slug": self.delegation.slug})

    def meetings(self, **filters) -> str:
        """The visit's meeting list, narrowed by more filters."""
        if self.token:
            path, query = self._reverse("public:shared-meeting-list", token=self.token), filters
        else:
            path, query = self._reverse("public:meeting-list"), {"delegation": self.delegation.slug, **filters}
        return f"{path}?{urlencode(query)}" if query else path


def shared_visit(view):
    """Serves a view for the visit of the share link whose token is in the address.

    A malformed, unknown, revoked or expired token is a 404. The view receives the link as `share_link`
    and the token as `token`. Responses stay out of search engines and shared caches, and browsers
    send no Referer from them, so that the token leaks nowhere; no cache stores them, not even the browser's.
    """

    @functools.wraps(view)
    def wrapped(request, token: str, **kwargs):
        link = get_object_or_404(ShareLink.objects.active().for_token(token).select_related("delegation__leading_body"))
        response = view(request, share_link=link, token=token, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
