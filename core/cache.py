"""Content versions: values that a change to the content replaces, for caches to key on.

- The content version: any change replaces it. Pages that gather from everything (lists, search, figures)
  key on it.
- Scoped versions (`scope_key(kind, pk)`, e.g. one per visit, per organization, per person): a change
  replaces those of the records it touches, as the app that caches says (`watch_content(scopes_of=...)`).
  Pages that show one record key on its scope and on the content epoch.
- The content epoch: replaced only by a change that may touch anything (`content_changed()`, a change the
  app cannot scope), so that it empties every page.

Versions are stored in the cache itself, so that every process sharing the cache (Redis) sees a change.
Each is replaced by a new random value, never a counter, so that a version lost from the cache cannot come
back and match entries cached under it. It is replaced at once, and again when the transaction commits:
an entry cached between the two from what was then committed does not survive.

Writes that bypass signals (QuerySet.update, bulk_create, raw SQL) call `content_changed()` themselves.
"""

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "content-version"
EPOCH_KEY = "content-epoch"
SCOPE_PREFIX = "content-scope:"

# What a change touches, by the app that caches: (kind, pk) pairs, or None when it cannot tell (then
# everything is out of date). Called with the signal's arguments.
ScopesOf = Callable[..., Iterable[tuple[str, int]] | None]
_scopes_of: ScopesOf | None = None
_batched = threading.local()


def scope_key(kind: str, pk) -> str:
    return f"{SCOPE_PREFIX}{kind}:{pk}"


def versions(keys: list[str]) -> list[str]:
    """The current value of each version key, made on first use."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found.update(cache.get_many(missing))
    return [found.get(key, "") for key in keys]


def content_version() -> str:
    return versions([VERSION_KEY])[0]


def replace_versions(keys: Iterable[str]) -> None:
    """Replace these versions, now and once the transaction commits: what is keyed on them is out of date."""
    keys = sorted(set(keys))

    def replace():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    replace()
    transaction.on_commit(replace)


def content_changed() -> None:
    """Everything shown may have changed: every version keyed on is out of date."""
    replace_versions([VERSION_KEY, EPOCH_KEY])


@contextlib.contextmanager
def content_changes_batched():
    """Inside, saves replace no version one by one (working out the scopes of each row costs queries per row:
    most of an import of thousands of rows); on leaving, everything is out of date, once. Wrap it around the
    transaction, so that the versions are replaced after it ends."""
    depth = getattr(_batched, "depth", 0)
    _batched.depth = depth + 1
    try:
        yield
    finally:
        _batched.depth = depth
        if depth == 0:
            content_changed()


def _on_change(sender, **kwargs):
    if getattr(_batched, "depth", 0):
        return
    scopes = _scopes_of(sender, **kwargs) if _scopes_of is not None else None
    if scopes is None:
        content_changed()
    else:
        replace_versions([VERSION_KEY, *(scope_key(kind, pk) for kind, pk in scopes if pk is not None)])


def watch_content(*, models: Iterable, scopes_of: ScopesOf | None = None) -> None:
    """Replace the content version whenever a row of these models, or of the through model of one of their
    many-to-many fields, is saved, deleted or linked; and the scoped versions `scopes_of` names.

    One sender at a time rather than every sender: a delete receiver keeps Django from deleting
    the rows of its senders without loading them first, so other models are left alone.
    """
    global _scopes_of
    _scopes_of = scopes_of
    for model in models:
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_on_change, sender=model, dispatch_uid=f"content_changed:{model._meta.label}")


def models_of(app_labels: Iterable[str], *, unless: Callable[[type], bool]) -> list:
    """The models of these apps, their auto-created through models included, but those `unless` picks."""
    return [
        model
        for label in sorted(app_labels)
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not unless(model)
    ]
