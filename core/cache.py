"""The content version: one value that any change to the content replaces, for caches to key on.

It is stored in the cache itself, so that every process sharing the cache (Redis) sees the change. It
is replaced by a new random value, never a counter, so that a version lost from the cache cannot come
back and match entries cached under it. It is replaced at once, and again when the transaction
commits: an entry cached between the two from what was then committed does not survive.

Which models count as content is said by the app that caches (`watch_content`); writes that bypass
signals (QuerySet.update, bulk_create, raw SQL) call `content_changed()` themselves.
"""

import uuid
from collections.abc import Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "content-version"


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed() -> None:
    """Replace the content version, now and once the transaction commits: what is keyed on it is out of date."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def _on_change(sender, **kwargs):
    content_changed()


def watch_content(*, app_labels: Iterable[str], except_models: Iterable[str] = ()) -> None:
    """Replace the content version whenever a row of a model of these apps, or of the through model of
    one of their many-to-many fields, is saved, deleted or linked; `except_models` ("app.Model") aside.

    One sender at a time rather than every sender: a delete receiver keeps Django from deleting
    the rows of its senders without loading them first, so other models are left alone.
    """
    for label in sorted(app_labels):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label in except_models:
                continue
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(_on_change, sender=model, dispatch_uid=f"content_changed:{model._meta.label}")
