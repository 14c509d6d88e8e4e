"""The page cache of published itineraries and outcomes, for anonymous visitors.

Invalidation is by one content version, part of every page's cache key: any change to a row of the
content apps (save, delete, many-to-many change) replaces it, so every cached page is out of date
at once, whichever visit it shows. Coarse, but it cannot miss a page: a change to an organization's
name, a person's privacy switch or a meeting's status reaches every page that might show it.

The version is stored in the cache itself, so that every process sharing the cache (Redis) sees the
change. It is replaced by a new random value, never a counter, so that a version lost from the
cache cannot come back and match pages cached under it. It is replaced at once, and again when the
transaction commits: a page cached between the two from what was then committed does not survive.

Writes that bypass signals (QuerySet.update, bulk_create, raw SQL) call `content_changed()` themselves.
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

CONTENT_APPS = frozenset({"contacts", "delegations", "meetings"})
NOT_SHOWN = frozenset({"meetings.Booking"})
VERSION_KEY = "content-version"
PAGE_SECONDS = 24 * 3600
# Cached HTML holds this instead of a visitor's CSRF token (the language switcher's form); each
# response gets the visitor's own.
CSRF_PLACEHOLDER = "csrf0token0placeholder0for0cached0pages"


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed() -> None:
    """Make every cached page out of date, now and once the current transaction commits."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def _on_change(sender, **kwargs):
    content_changed()


def connect_signals() -> None:
    """Watch every model of the content apps, and the through models of their many-to-many fields.

    One sender at a time rather than every sender: a delete receiver keeps Django from deleting
    the rows of its senders without loading them first, so other apps' models are left alone, and
    so are bookings, which no page shows and which change only with their meeting or its people.
    """
    for label in sorted(CONTENT_APPS):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label in NOT_SHOWN:
                continue
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(_on_change, sender=model, dispatch_uid=f"content_changed:{model._meta.label}")


class CachedForAnonymousMixin:
    """Serve a page from the cache to anonymous visitors: a page of the given path and language, as of
    the current content version. Logged-in users (staff previewing a draft) and requests with a query
    string are never served from it nor stored in it; only successful pages are stored.
    """

    cache_name = ""

    def page_key(self) -> str:
        return f"page:{self.cache_name}:{self.request.path}:{get_language()}:{content_version()}"

    def cacheable(self) -> bool:
        return not self.request.user.is_authenticated and not self.request.GET

    def get(self, request, *args, **kwargs):
        if not self.cacheable():
            return super().get(request, *args, **kwargs)
        key = self.page_key()
        content = cache.get(key)
        if content is None:
            response = super().get(request, *args, **kwargs)
            response.render()
            if response.status_code != 200:
                return response
            content = response.content.decode(response.charset)
            cache.set(key, content, timeout=PAGE_SECONDS)
            response.content = content.replace(CSRF_PLACEHOLDER, get_token(request))
            return response
        return HttpResponse(content.replace(CSRF_PLACEHOLDER, get_token(request)))

    def get_context_data(self, **kwargs):
        if self.cacheable():
            kwargs["csrf_token"] = CSRF_PLACEHOLDER
        return super().get_context_data(**kwargs)
