import datetime
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import deleted_record_restore

from .models import Delegation, ItineraryItem, ShareLink, Venue

# 32 random bytes: 256 bits, far beyond guessing, 43 URL-safe characters.
SHARE_TOKEN_BYTES = 32
# Change reasons in a share link's history.
REVOKED, REACTIVATED = "Revoked", "Reactivated"


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
def share_links_revoke(*, links, user: AbstractBaseUser | None = None) -> int:
    """Revokes the links not revoked yet, now; their addresses answer 404 from then on. Returns how many.

    Side effects: saves each link, so that the history records who revoked it (`user`, else the
    request's)."""
    now, revoked = timezone.now(), list(links.filter(revoked_at__isnull=True).select_for_update(of=("self",)))
    for link in revoked:
        link.revoked_at = now
        link._change_reason = REVOKED
        if user is not None:
            link._history_user = user
        link.save(update_fields=["revoked_at"])
    return len(revoked)


@transaction.atomic
def delegation_restore(*, record, user: AbstractBaseUser | None = None) -> Delegation:
    """Restore a deleted visit from the history record of its deletion, with the rows deleted with it
    (core.history.deleted_record_restore). Its share links come back revoked: an address handed out
    before the deletion works again only once reactivated, on purpose (share_link_reactivate).

    Side effects, in one transaction, all or nothing: inserts the rows as deleted_record_restore does
    (recorded in the history under `user`), then revokes the restored links not revoked yet ("Revoked"
    in their history). Raises RestoreRefused (core.history) as that function does."""
    visit = deleted_record_restore(record=record, user=user)
    share_links_revoke(links=visit.share_links.all(), user=user)
    return visit


@transaction.atomic
def share_link_reactivate(*, link: ShareLink, expires_at: datetime.datetime | None) -> ShareLink:
    """Brings back a revoked or expired link (the same address) until `expires_at`, or for good.

    Side effects: saves the link, not revoked, with the new expiry (refused if past), and records
    "Reactivated" in its history. Changing an expired link's expiry any other way is refused
    (ShareLinkForm), so that a link never comes back without this."""
    link.revoked_at, link.expires_at = None, expires_at
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Give an expiry in the future, or none.")})
    link.full_clean()
    link._change_reason = REACTIVATED
    link.save()
    return link


@transaction.atomic
def delegations_set_published(
    *, delegations: QuerySet[Delegation], published: bool
) -> tuple[list[Delegation], list[Delegation]]:
    """Publish the visits, or withdraw them to draft; return those changed and those that already were.

    Reads the visits as they are now, locked until the transaction ends (SELECT … FOR UPDATE), so
    that a visit changed since the selection was made is judged on its current state.

    Side effects: saves each visit whose state changes, one by one rather than with update(), so
    that the audit history records who published what, the save signals make the cached pages out
    of date, and a change form opened on it before is refused (core.concurrency).
    """
    visits = Delegation.objects.select_for_update().filter(pk__in=delegations.values("pk")).order_by("pk")
    changed, unchanged = [], []
    for visit in visits:
        if visit.is_published == published:
            unchanged.append(visit)
            continue
        visit.is_published = published
        visit.save(update_fields=["is_published", "updated_at"])
        changed.append(visit)
    return changed, unchanged
