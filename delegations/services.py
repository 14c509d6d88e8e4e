import datetime
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Delegation, ItineraryItem, ShareLink, Venue

# 32 random bytes: 256 bits, far beyond guessing, 43 URL-safe characters.
SHARE_TOKEN_BYTES = 32


@transaction.atomic
def venue_save(*, venue: Venue) -> list[ItineraryItem]:
    """Save a venue, new or changed, and make its itinerary items follow it; return the items moved.

    Side effects, in one transaction: saves the venue, then each of its items whose city or zone
    differ from it (the item copies them and recomputes its instants). Meetings at the venue or in
    those items are the meetings app's: meetings.services.venue_update calls this, then moves them.

    Raises ValidationError, saving nothing, when one of those items' local times does not exist in
    the venue's new zone that day.
    """
    venue.save()
    moved = list(venue.itinerary_items.exclude(city=venue.city, time_zone=venue.time_zone))
    for item in moved:
        item.venue = venue
        item.city, item.time_zone = venue.city, venue.time_zone
        item.check_when()
        item.save()
    return moved


@transaction.atomic
def share_link_create(
    *,
    delegation: Delegation,
    label: str,
    expires_at: datetime.datetime | None = None,
    created_by: AbstractBaseUser | None,
) -> tuple[ShareLink, str]:
    """Creates a share link and returns it with its raw token.

    Only the token's hash is stored: the caller shows the token (in the link's address) once, now.
    """
    token = secrets.token_urlsafe(SHARE_TOKEN_BYTES)
    link = ShareLink(
        delegation=delegation,
        label=label,
        expires_at=expires_at,
        created_by=created_by,
        token_hash=ShareLink.hash_token(token),
    )
    link.full_clean()
    link.save()
    return link, token


@transaction.atomic
def share_links_revoke(*, links) -> int:
    """Revokes the links not revoked yet, now; their addresses answer 404 from then on. Returns how many."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def delegations_set_published(*, delegations: QuerySet[Delegation], published: bool) -> int:
    """Publish the visits, or withdraw them to draft; return how many there were.

    Side effects: saves each visit whose state changes, one by one rather than with update(), so
    that the audit history records who published what and the save signals make the cached pages
    out of date.
    """
    visits = list(delegations)
    for visit in visits:
        if visit.is_published != published:
            visit.is_published = published
            visit.save(update_fields=["is_published", "updated_at"])
    return len(visits)
