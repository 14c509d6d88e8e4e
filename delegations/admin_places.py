"""Staff-only JSON behind the place pickers (delegations.widgets): the time zones matching what is typed,
and the city and zone of a chosen venue, or the zone suggested for a city and country."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path

from core.admin import key_or_none

from .models import Delegation, Venue
from .places import matching_zones, suggested_zone, zone_label

PAGE = 50


def time_zones(request):
    """Zones for select2: {"results": [{"id", "text"}], "pagination": {"more"}}, a page of 50 at a time."""
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    zones = matching_zones(request.GET.get("term", "")[:100])
    shown = zones[(page - 1) * PAGE : page * PAGE]
    return JsonResponse(
        {
            "results": [{"id": zone, "text": zone_label(zone)} for zone in shown],
            "pagination": {"more": len(zones) > page * PAGE},
        }
    )


def place(request, venue_admin):
    """The city and zone of `venue` (its id), or with no venue the zone suggested for `city` in `countries`
    (codes, comma-separated) or in the host countries of the visit `delegation`. Unknown ids are ignored."""
    venue_id = key_or_none(Venue._meta.pk, request.GET.get("venue", ""))
    if venue_id is not None:
        if not venue_admin.has_view_permission(request):
            raise PermissionDenied
        venue = Venue.objects.filter(pk=venue_id).values("city", "time_zone").first()
        if venue is not None:
            return JsonResponse({"venue": True, **venue, "time_zone_label": zone_label(venue["time_zone"])})
    countries = tuple(code.strip().upper() for code in request.GET.get("countries", "").split(",") if code.strip())
    delegation_id = key_or_none(Delegation._meta.pk, request.GET.get("delegation", ""))
    if not countries and delegation_id is not None and request.user.has_perm("delegations.view_delegation"):
        visit = Delegation.objects.filter(pk=delegation_id).only("host_countries").first()
        countries = tuple(country.code for country in visit.host_countries) if visit else ()
    zone = suggested_zone(request.GET.get("city", "")[:100], countries[:20])
    return JsonResponse({"venue": False, "time_zone": zone, "time_zone_label": zone_label(zone)})


def place_urls(venue_admin) -> list:
    """The URLs, under the venue admin's, wrapped by the admin site: staff only, logged in."""
    site = venue_admin.admin_site
    return [
        path("time-zones/", site.admin_view(time_zones), name="delegations_venue_time_zones"),
        path("place/", site.admin_view(lambda request: place(request, venue_admin)), name="delegations_venue_place"),
    ]
