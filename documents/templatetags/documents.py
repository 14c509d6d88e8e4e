import datetime

from django import template

from core import dates

register = template.Library()


@register.filter
def local_zone(instant: datetime.datetime | None, time_zone: str) -> str:
    """A local time's zone as the pages label it: "CET, UTC+1", or just "UTC+8" (core.dates.zone_label)."""
    if instant is None or not time_zone:
        return ""
    return dates.zone_label(instant, time_zone)


@register.filter
def home_zone(day: datetime.date | None, time_zone: str) -> str:
    """A zone's label on a day (at noon), for the note about a visit's home time."""
    if day is None or not time_zone:
        return ""
    return dates.day_zone_label(day, time_zone)


@register.filter
def get_item(mapping, key):
    """mapping[key], or an empty list when it has none (a session without meetings)."""
    return mapping.get(key, [])
