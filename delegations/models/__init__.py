"""The delegations app's models, one module per idea: the visit (visits), its programme and places
(itinerary), what it produced (outcomes) and the links that show it (sharing)."""

from .itinerary import (
    ItineraryItem,
    Venue,
    check_inside_visit,
    check_local_times,
    fold_field,
    followed_place,
    local_instant,
)
from .outcomes import Agreement, AgreementParty, FollowUp
from .sharing import ShareLink, ShareLinkQuerySet
from .visits import Delegation, DelegationMember, DelegationQuerySet

__all__ = [
    "Agreement",
    "AgreementParty",
    "Delegation",
    "DelegationMember",
    "DelegationQuerySet",
    "FollowUp",
    "ItineraryItem",
    "ShareLink",
    "ShareLinkQuerySet",
    "Venue",
    "check_inside_visit",
    "check_local_times",
    "fold_field",
    "followed_place",
    "local_instant",
]
