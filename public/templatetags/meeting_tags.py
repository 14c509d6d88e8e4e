from django import template
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization
from delegations.models import Delegation
from meetings.models import Meeting

from ..sharing import VisitLinks

register = template.Library()

# Every meeting was requested: the total carries that word, so the status still waiting reads differently.
STATUS_FIGURE_LABELS = {Meeting.Status.REQUESTED: _("Awaiting confirmation")}


@register.inclusion_tag("public/_meeting_figures.html")
def meeting_figures(delegation: Delegation, links: VisitLinks) -> dict:
    """A visit's meetings counted by status and by sector, for its outcomes page, linking to its meeting list."""
    meetings = Meeting.objects.filter(delegation=delegation)
    by_status = dict(meetings.values_list("status").annotate(count=Count("pk")).order_by())
    by_sector = (
        meetings.values("sector__name")
        .annotate(requested=Count("pk"), held=Count("pk", filter=Q(status=Meeting.Status.HELD)))
        .order_by("sector__name")
    )
    return {
        "links": links,
        "requested": sum(by_status.values()),
        "by_status": [
            (value, STATUS_FIGURE_LABELS.get(value, label), by_status.get(value, 0))
            for value, label in Meeting.Status.choices
        ],
        "by_sector": list(by_sector),
    }


@register.inclusion_tag("public/_organization_meetings.html")
def organization_meetings(organization: Organization, limit: int = 10) -> dict:
    """An organization's latest meetings of published visits, on either side, for its profile."""
    from ..views.meetings import public_meetings, with_public_sides

    meetings = public_meetings().filter(Q(delegation_organization=organization) | Q(host_organization=organization))
    latest = list(meetings.order_by("-date", "-start_time", "-pk")[: limit + 1])
    return {
        "organization": organization,
        "meetings": with_public_sides(latest[:limit]),
        "has_more": len(latest) > limit,
    }
