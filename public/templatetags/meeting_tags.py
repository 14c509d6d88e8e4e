from django import template
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization
from delegations.models import Delegation
from meetings.models import Meeting

from ..meeting_table import meeting_table_rows
from ..sharing import VisitLinks

register = template.Library()

# Every meeting was requested: the total carries that word, so the status still waiting reads differently.
STATUS_FIGURE_LABELS = {Meeting.Status.REQUESTED: _("Awaiting confirmation")}


@register.inclusion_tag("public/_meeting_figures.html")
def meeting_figures(delegation: Delegation, links: VisitLinks) -> dict:
    """A visit's meetings, each counted once: those recorded one by one by status, then those only reported
    (at its items, or for the visit as a whole: the larger of the two, as the visit's count includes its
    items'), adding up to the total; and those recorded by sector. For its outcomes page, linking to its
    meeting list."""
    meetings = Meeting.objects.filter(delegation=delegation)
    by_status = dict(meetings.values_list("status").annotate(count=Count("pk")).order_by())
    by_sector = (
        meetings.values("sector__name")
        .annotate(recorded=Count("pk"), held=Count("pk", filter=Q(status=Meeting.Status.HELD)))
        .order_by("sector__name")
    )
    # The visit's items as its page prefetched them, in programme order.
    reported_items = [item for item in delegation.itinerary_items.all() if item.reported_meetings]
    at_items = sum(item.reported_meetings for item in reported_items)
    for_visit = delegation.reported_meetings or 0
    reported = max(for_visit, at_items)
    recorded = sum(by_status.values())
    return {
        "links": links,
        "recorded": recorded,
        "by_status": [
            (value, STATUS_FIGURE_LABELS.get(value, label), by_status[value])
            for value, label in Meeting.Status.choices
            if by_status.get(value)
        ],
        "reported": reported,
        "reported_for_visit": for_visit,
        "reported_items": reported_items,
        "items_included": bool(for_visit and at_items and for_visit >= at_items),
        "total": recorded + reported,
        "by_sector": list(by_sector) if recorded else [],
    }


@register.inclusion_tag("public/_organization_meetings.html")
def organization_meetings(organization: Organization, limit: int = 10) -> dict:
    """An organization's latest meetings of published visits, on either side, for its profile."""
    meetings = Meeting.objects.published().filter(
        Q(delegation_organization=organization) | Q(host_organization=organization)
    )
    latest = list(meetings.order_by("-date", "-start_time", "-pk").values_list("pk", flat=True)[: limit + 1])
    return {
        "organization": organization,
        "meetings": meeting_table_rows(latest[:limit]),
        "has_more": len(latest) > limit,
    }
