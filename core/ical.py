"""iCalendar (RFC 5545) building blocks shared by the public feeds and the companies' agendas: a calendar
with the project's product id, and an entry's times in its place's zone."""

import datetime
import functools
import zoneinfo

from icalendar import Calendar, Event, Timezone

from core.dates import is_ambiguous

UID_DOMAIN = "delegation-visits"


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Delegation visits//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def add_missing_timezones(calendar: Calendar) -> None:
    """`calendar.add_missing_timezones()`, each zone's VTIMEZONE derived once per process: icalendar derives it
    by stepping through the zone's offsets from 1970 to 2038, the same every time and most of a feed's time.
    The calendars share it (a copy would cost a quarter of a feed): nothing changes a calendar's zones."""
    existing = len(calendar.timezones)
    for tzid in calendar.get_missing_tzids():
        timezone = vtimezone(tzid)
        if timezone is not None:
            calendar.subcomponents.insert(existing, timezone)
            existing += 1


def calendar_bytes(calendar: Calendar) -> bytes:
    """`calendar.to_ical()`, byte for byte, with each shared VTIMEZONE (see `vtimezone`) written once per process:
    folding their long RDATE lines character by character was most of what was left of a feed."""
    head = Calendar()
    head.update(calendar)
    end = b"END:VCALENDAR\r\n"
    parts = [head.to_ical().removesuffix(end)]
    for component in calendar.subcomponents:
        shared = isinstance(component, Timezone) and vtimezone(str(component["TZID"])) is component
        parts.append(vtimezone_bytes(str(component["TZID"])) if shared else component.to_ical())
    parts.append(end)
    return b"".join(parts)


@functools.cache
def vtimezone_bytes(tzid: str) -> bytes:
    return vtimezone(tzid).to_ical()


@functools.cache
def vtimezone(tzid: str) -> Timezone | None:
    """The zone's VTIMEZONE as icalendar writes it; None for a zone it does not know (left out, as it does)."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None


def place_times(event: Event, day, start, end, time_zone: str, starts_at=None, ends_at=None) -> None:
    """The entry's times from its stored instants, in its place's zone; in UTC for a time the clocks show
    twice that day, which a zone's wall-clock time could not tell apart."""
    # Without a zone a time names no instant: the entry stays a day, as on the public pages.
    if start is None or starts_at is None:
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        return
    zone = zoneinfo.ZoneInfo(time_zone)
    for name, time, instant in (("dtstart", start, starts_at), ("dtend", end, ends_at)):
        if time is not None and instant is not None:
            event.add(name, instant if is_ambiguous(day, time, zone) else instant.astimezone(zone))
