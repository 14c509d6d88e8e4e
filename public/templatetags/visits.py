import datetime
import zoneinfo

from babel.dates import get_timezone_location
from django import template
from django.utils import translation

register = template.Library()


@register.filter
def zone_city(time_zone: str) -> str:
    """The exemplar city of an IANA zone in the current language: Asia/Irkutsk reads Irkutsk, or Irkoutsk in French."""
    if not time_zone:
        return ""
    locale = translation.to_locale(translation.get_language() or "en")
    try:
        return get_timezone_location(time_zone, locale=locale, return_city=True)
    except (LookupError, ValueError):
        return time_zone.rsplit("/", 1)[-1].replace("_", " ")


@register.filter
def utc_offset(instant: datetime.datetime | None, time_zone: str) -> str:
    """UTC+1, UTC+8, UTC−3:30 for an instant in a zone."""
    if instant is None or not time_zone:
        return ""
    offset = instant.astimezone(zoneinfo.ZoneInfo(time_zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


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
