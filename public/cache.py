"""The page cache of the public pages, for anonymous visitors.

Invalidation is by versions (core.cache), part of every page's cache key. A page of one visit, one
organization or one person keys on the scoped versions of what it shows (see public.scopes): an edit
empties the pages that show what it changed and leaves the others cached. Pages across visits (home,
lists, search, results) key on the content version, which every change replaces. Bookings are not
watched: no page shows them, and they change only with their meeting or its people.
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
from simple_history.models import HistoricalChanges

from contacts.models import Organization, Person
from core.cache import EPOCH_KEY, content_version, scope_key, versions
from delegations.models import Delegation

from .scopes import ORGANIZATION, PERSON, VISIT, slug_key, visits_of

# What the pages show: every model of these apps, but these, and the audit history.
CONTENT_APPS = frozenset({"contacts", "delegations", "meetings"})
NOT_SHOWN = frozenset({"meetings.Booking"})
PAGE_SECONDS = 24 * 3600
# A longer query string is not worth a cache entry: no link or form of the site makes one.
QUERY_MAX_LENGTH = 500
# Cached HTML holds this instead of a visitor's CSRF token (the language switcher's form); each
# response gets the visitor's own.
CSRF_PLACEHOLDER = "csrf0token0placeholder0for0cached0pages"
SCOPED_MODELS = {VISIT: Delegation, ORGANIZATION: Organization, PERSON: Person}


def is_shown(model) -> bool:
    return model._meta.label not in NOT_SHOWN and not issubclass(model, HistoricalChanges)


def cacheable(request, params=frozenset()) -> bool:
    """Never for a logged-in user (staff preview drafts and see the admin link), nor for a query string
    with a parameter the page does not know (it would make a new entry per tracking tag) or too long."""
    if request.user.is_authenticated or any(name not in params for name in request.GET):
        return False
    return len(request.META.get("QUERY_STRING", "")) <= QUERY_MAX_LENGTH


def pk_of(kind: str, slug: str) -> int | None:
    """The record a page's address names, remembered so that a page served from the cache asks no query.
    A record saved forgets its slug (public.scopes), so a slug given to another record is looked up again."""
    key = slug_key(kind, slug)
    pk = cache.get(key)
    if pk is None:
        pk = SCOPED_MODELS[kind].objects.filter(slug=slug).values_list("pk", flat=True).first()
        if pk is not None:
            cache.set(key, pk, timeout=PAGE_SECONDS)
    return pk


def visits_in(kind: str, pk: int) -> list[int]:
    """The visits, drafts included, an organization or a person appears in (`visits_of`), read once per
    version of its own scope, which every change to its part in a visit replaces: the page's scope keys and the
    page itself (an organization's visits) share one reading."""
    (own_version,) = versions([scope_key(kind, pk)])
    listed = f"page-visits-of:{kind}:{pk}:{own_version}"
    visits = cache.get(listed)
    if visits is None:
        visits = visits_of(kind, pk)
        cache.set(listed, visits, timeout=PAGE_SECONDS)
    return visits


def scope_keys(kind: str, pk: int) -> list[str]:
    """The version keys of the pages of one visit, organization or person: its own, and for an
    organization or a person those of the visits it appears in (`visits_in`)."""
    own = scope_key(kind, pk)
    if kind == VISIT:
        return [EPOCH_KEY, own]
    return [EPOCH_KEY, own, *(scope_key(VISIT, visit) for visit in visits_in(kind, pk))]


def page_scope(kind: str | None, kwargs: dict) -> list[str] | None:
    """The version keys a page keys on: [] for a page across visits, None when the record it names does
    not exist (the page is not cached)."""
    if kind is None:
        return []
    if "share_link" in kwargs:
        return scope_keys(VISIT, kwargs["share_link"].delegation_id)
    pk = pk_of(kind, kwargs["slug"])
    return None if pk is None else scope_keys(kind, pk)


def cache_key(request, name: str, scope: list[str]) -> str:
    """The key of this request's page, as of the versions of what it shows.

    The query is sorted by name, so that the same filters in another order share one entry.
    """
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    digest = hashlib.sha256(query.encode()).hexdigest()[:32] if query else ""
    # Feeds and pages may hold absolute links: the host and scheme are part of the page.
    site = f"{request.scheme}://{request.get_host()}"
    # What is upcoming and what is past changes with the day, not with the content.
    today = timezone.localdate().isoformat()
    version = hashlib.sha256(":".join(versions(scope)).encode()).hexdigest()[:32] if scope else content_version()
    return f"page:{name}:{site}{request.path}:{get_language()}:{today}:{version}:{digest}"


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
    # The kind of record the page shows, named by its `slug` (or its share link): see public.scopes.
    cache_scope = None

    def page_key(self) -> str | None:
        if not cacheable(self.request, self.cache_params):
            return None
        scope = page_scope(self.cache_scope, self.kwargs)
        return None if scope is None else cache_key(self.request, self.cache_name, scope)

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


def cached_for_anonymous(name: str, scope: str | None = None):
    """The same cache for a function view whose response holds nothing of the visitor's (a feed)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            keys = page_scope(scope, kwargs) if cacheable(request) else None
            key = None if keys is None else cache_key(request, name, keys)
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
