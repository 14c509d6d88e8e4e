from django.db import transaction
from django.db.models import QuerySet

from .cache import content_changed
from .models import Delegation


@transaction.atomic
def delegations_set_published(*, delegations: QuerySet[Delegation], published: bool) -> int:
    """Publish the visits, or withdraw them to draft; return how many there were.

    Side effects: updates their `is_published` in one statement, which sends no signals, so it
    makes the cached pages out of date itself.
    """
    count = delegations.update(is_published=published)
    content_changed()
    return count
