import datetime

from django import template

from core import dates

from ..itinerary import ItineraryWriter
from ..meeting_table import MeetingRowWriter

register = template.Library()


@register.filter
def zone_label(instant: datetime.datetime | None, time_zone: str) -> str:
    """A local time's zone as the abbreviation then and the offset, "CEST, UTC+2", or just "UTC+8"; never a city."""
    if instant is None or not time_zone:
        return ""
    return dates.zone_label(instant, time_zone)


@register.filter
def day_zone_label(day: datetime.date | None, time_zone: str) -> str:
    """A zone's label on a day (at noon), for a note about a visit's home time."""
    if day is None or not time_zone:
        return ""
    return dates.day_zone_label(day, time_zone)


@register.filter
def names_separator(names) -> str:
    """ "; " between names when some carry a title ("A, Governor; B"), else ", "."""
    return "; " if any(name.title for name in names) else ", "


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current address with its filters kept and another page number."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag
def visit_meetings_url(links, **filters) -> str:
    """A visit's meeting list narrowed by filters, through the share link when the page is shared."""
    return links.meetings(**filters)


@register.simple_tag(takes_context=True)
def itinerary_day(context, day) -> str:
    """A day of the itinerary page, its cities and items, written by public.itinerary (one writer per page, with
    the page's links)."""
    writer = context.render_context.get(ItineraryWriter)
    if writer is None:
        writer = context.render_context[ItineraryWriter] = ItineraryWriter(context["links"])
    return writer.day(day)


@register.simple_tag(takes_context=True)
def meeting_row(context, meeting) -> str:
    """A row of a meeting table, written by public.meeting_table (one writer per table, with the page's links)."""
    writer = context.render_context.get(MeetingRowWriter)
    if writer is None:
        writer = context.render_context[MeetingRowWriter] = MeetingRowWriter(context.get("links"))
    return writer.row(meeting)
