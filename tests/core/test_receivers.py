"""Domain rules run in services called by name, not in save receivers (see meetings.services)."""

import pytest
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from core.cache import _on_change

DOMAIN_APPS = ("contacts", "delegations", "meetings", "matchmaking")
# The page cache's version bump, and bookkeeping: the audit history's (the library's, and core.history's
# note of rows deleted with their parent), login throttling.
ALLOWED_MODULES = ("simple_history.", "axes.", "core.history._note_cascade")


def receivers_of(signal, sender) -> list:
    sync_receivers, async_receivers = signal._live_receivers(sender)
    return [*sync_receivers, *async_receivers]


def name_of(receiver) -> str:
    function = getattr(receiver, "func", receiver)  # a functools.partial names its function
    return f"{function.__module__}.{function.__qualname__}"


def domain_models() -> list:
    return [
        model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


@pytest.mark.parametrize(
    "signal",
    [pre_save, post_save, pre_delete, post_delete, m2m_changed],
    ids=["pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed"],
)
def test_domain_models_have_no_receiver_but_the_page_cache_and_libraries(signal):
    found = {
        (model._meta.label, name_of(receiver))
        for model in domain_models()
        for receiver in receivers_of(signal, model)
        if receiver is not _on_change
    }

    assert {(label, name) for label, name in found if not name.startswith(ALLOWED_MODULES)} == set()


def test_page_cache_receiver_still_connected():
    from delegations.models import Venue
    from meetings.models import Meeting

    assert _on_change in receivers_of(post_save, Meeting)
    assert _on_change in receivers_of(post_save, Venue)
