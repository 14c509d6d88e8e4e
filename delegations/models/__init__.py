"""The delegations app's models, one module per idea: the visit (visits), its programme and places
(itinerary), what it produced (outcomes), the links that show it (sharing), and the rule that keeps
links between its records inside it (links)."""

from .itinerary import (
    ItineraryItem,
    Venue,
    check_inside_visit,
    check_local_times,
    fold_field,
    followed_place,
    local_instant,
)
from .links import LinkedInsideVisit, belongs_to_a_visit, check_links_inside_visit, check_many_inside_visit
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
    "LinkedInsideVisit",
    "ShareLink",
    "ShareLinkQuerySet",
    "Venue",
    "belongs_to_a_visit",
    "check_inside_visit",
    "check_links_inside_visit",
    "check_local_times",
    "check_many_inside_visit",
    "fold_field",
    "followed_place",
    "local_instant",
]
