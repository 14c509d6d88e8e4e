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


@register.filter
def organization_line(organization) -> str:
    """An organization's name, with its native name in brackets where it differs: one piece of text, as a long
    table's row wants it (documents/_organization.html marks the native name up)."""
    if organization is None:
        return ""
    native = organization.native_name
    return f"{organization.name} ({native})" if native and native != organization.name else organization.name


@register.filter
def names_line(names) -> str:
    """People as documents/_names.html names them ("Name (native), title; a representative of X (native)"), as
    one piece of text."""
    parts = []
    for name in names:
        if name.person:
            person = name.person
            text = person.name
            if person.native_name and person.native_name != person.name:
                text += f" ({person.native_name})"
            if name.title:
                text += f", {name.title}"
        else:
            text = name.label
            if name.organization and name.organization.native_name:
                text += f" ({name.organization.native_name})"
        parts.append(text)
    return "; ".join(parts)
