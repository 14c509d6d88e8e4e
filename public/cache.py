"""The page cache of the public pages, for anonymous visitors.

Invalidation is by the content version (core.cache), part of every page's cache key: any change to a
row of the content apps (save, delete, many-to-many change) replaces it, so every cached page is out
of date at once, whichever visit it shows. Coarse, but it cannot miss a page: a change to an
organization's name, a person's privacy switch or a meeting's status reaches every page that might
show it. Bookings are not watched: no page shows them, and they change only with their meeting or
its people.
"""

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language

from core.cache import content_version

# What the pages show: every model of these apps, but these.
CONTENT_APPS = frozenset({"contacts", "delegations", "meetings"})
NOT_SHOWN = frozenset({"meetings.Booking"})
PAGE_SECONDS = 24 * 3600
# A longer query string is not worth a cache entry: no link or form of the site makes one.
QUERY_MAX_LENGTH = 500
# Cached HTML holds this instead of a visitor's CSRF token (the language switcher's form); each
# response gets the visitor's own.
CSRF_PLACEHOLDER = "csrf0token0placeholder0for0cached0pages"


def cache_key(request, name: str, params=frozenset()) -> str | None:
    """The key of this request's page, or None when it is not to be cached.

    Never for a logged-in user (staff preview drafts and see the admin link), nor for a query string
    with a parameter the page does not know (it would make a new entry per tracking tag) or too long.
    The query is sorted by name, so that the same filters in another order share one entry.
    """
    if request.user.is_authenticated or any(name not in params for name in request.GET):
        return None
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    if len(query) > QUERY_MAX_LENGTH:
        return None
    digest = hashlib.sha256(query.encode()).hexdigest()[:32] if query else ""
    # Feeds and pages may hold absolute links: the host and scheme are part of the page.
    site = f"{request.scheme}://{request.get_host()}"
    # What is upcoming and what is past changes with the day, not with the content.
    today = timezone.localdate().isoformat()
    return f"page:{name}:{site}{request.path}:{get_language()}:{today}:{content_version()}:{digest}"


def private_for_users(request, response: HttpResponse) -> HttpResponse:
    """A page served to a logged-in user (staff see drafts and the admin link) is stored by no cache, shared
    or the browser's own."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    return response


class CachedForAnonymousMixin:
    """Serve a page from the cache to anonymous visitors: a page of the given path, query and language,
    as of the current content version (see `cache_key`). Only successful pages are stored.
    """

    cache_name = ""
    # The query string parameters a cached page may have; requests with others are never cached.
    cache_params = frozenset()

    def page_key(self) -> str | None:
        return cache_key(self.request, self.cache_name, self.cache_params)

    def get(self, request, *args, **kwargs):
        self.cache_key = self.page_key()
        if self.cache_key is None:
            return private_for_users(request, super().get(request, *args, **kwargs))
        content = cache.get(self.cache_key)
        if content is None:
            response = super().get(request, *args, **kwargs)
            response.render()
            if response.status_code != 200:
                return response
            content = response.content.decode(response.charset)
            cache.set(self.cache_key, content, timeout=PAGE_SECONDS)
            response.content = content.replace(CSRF_PLACEHOLDER, get_token(request))
            return response
        return HttpResponse(content.replace(CSRF_PLACEHOLDER, get_token(request)))

    def get_context_data(self, **kwargs):
        if getattr(self, "cache_key", None) is not None:
            kwargs["csrf_token"] = CSRF_PLACEHOLDER
        return super().get_context_data(**kwargs)


class CachedFilterMixin(CachedForAnonymousMixin):
    """For a filtered, paginated list: its filters and the page number make the key."""

    @property
    def cache_params(self):
        return frozenset(self.filterset_class.base_filters) | {self.page_kwarg}


def cached_for_anonymous(name: str):
    """The same cache for a function view whose response holds nothing of the visitor's (a feed)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            key = cache_key(request, name)
            if key is None:
                return private_for_users(request, view(request, *args, **kwargs))
            stored = cache.get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    stored = {"content": response.content, "headers": dict(response.headers)}
                    cache.set(key, stored, timeout=PAGE_SECONDS)
                return response
            return HttpResponse(stored["content"], headers=stored["headers"])

        return wrapper

    return decorator
