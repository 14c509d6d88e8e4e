"""Dates and wall-clock times that every page can show: a bounded range of days, and local times turned
into instants only when they exist.

Days are kept between EARLIEST and LATEST, far enough from year 1 and year 9999 that a day at any
hour in any zone is still a day Python can turn into UTC and back.

A wall-clock time in a zone names no instant when the clocks jump over it (spring forward), and two
instants when they go back over it (autumn): `fold` picks which, 0 the first, 1 the second, as
Python's own `datetime.fold` does. Instants are returned in UTC, so that comparing two of them never
compares wall-clock times that share one tzinfo (which Python does, ignoring the fold).
"""

import datetime
import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2200, 12, 31)


def validate_date_in_range(value: datetime.date | None) -> None:
    """A model field validator: a day (or the day of a datetime) between EARLIEST and LATEST."""
    if value is None:
        return
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        low, high = _bounds(instant=True)
        inside = low <= value <= high
    else:
        inside = EARLIEST <= (value.date() if isinstance(value, datetime.datetime) else value) <= LATEST
    if not inside:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": date_format(EARLIEST, "DATE_FORMAT"), "latest": date_format(LATEST, "DATE_FORMAT")},
            code="date_out_of_range",
        )


def date_in_range(field: str, *, null: bool = False, instant: bool = False) -> Q:
    """The condition of a CheckConstraint holding `field` between EARLIEST and LATEST (by day; for a
    datetime field, by the instant in UTC)."""
    low, high = _bounds(instant)
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__isnull": True}) | condition if null else condition


def _bounds(instant: bool) -> tuple[datetime.date, datetime.date]:
    if not instant:
        return EARLIEST, LATEST
    return (
        datetime.datetime.combine(EARLIEST, datetime.time(), tzinfo=datetime.UTC),
        datetime.datetime.combine(LATEST, datetime.time(23, 59, 59), tzinfo=datetime.UTC),
    )


def clamp(value: datetime.date) -> datetime.date:
    """The nearest day (or, for a datetime, instant) inside the range."""
    low, high = _bounds(isinstance(value, datetime.datetime))
    return min(max(value, low), high)


def zone_or_none(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone of an IANA name, or None for an empty or unknown one (never a path on disk)."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _exists(local: datetime.datetime) -> bool:
    return local.astimezone(datetime.UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None)


def is_ambiguous(day: datetime.date, time: datetime.time, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether the clocks show this time twice that day (they went back over it)."""
    local = datetime.datetime.combine(day, time, tzinfo=zone)
    return _exists(local) and local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def gap_around(
    day: datetime.date, time: datetime.time, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """When the clocks jump over this time that day: the local times they jump from and to; else None."""
    local = datetime.datetime.combine(day, time, tzinfo=zone)
    if _exists(local):
        return None
    # The change happens at an instant between this time read at the offset after it and at the offset before.
    low = local.replace(fold=1).astimezone(datetime.UTC)
    high = local.replace(fold=0).astimezone(datetime.UTC)
    if low > high:
        low, high = high, low
    before = low.astimezone(zone).utcoffset()
    while high - low > datetime.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = high.replace(microsecond=0)
    return (change - datetime.timedelta(seconds=1)).astimezone(zone) + datetime.timedelta(seconds=1), change.astimezone(
        zone
    )


def check_wall_clock(day: datetime.date | None, time: datetime.time | None, zone_name: str, field: str) -> None:
    """Refuse a local time that does not exist that day at the place, naming the jump of the clocks."""
    zone = zone_or_none(zone_name)
    if day is None or time is None or zone is None or not EARLIEST <= day <= LATEST:
        return
    if jump := gap_around(day, time, zone):
        raise ValidationError(
            {
                field: _("%(time)s does not exist on %(day)s in %(zone)s: clocks go forward from %(start)s to %(end)s.")
                % {
                    "time": time_format(time, "H:i"),
                    "day": date_format(day, "DATE_FORMAT"),
                    "zone": zone_name,
                    "start": time_format(jump[0].time(), "H:i"),
                    "end": time_format(jump[1].time(), "H:i"),
                }
            },
            code="time_in_gap",
        )


def wall_clock_instant(
    day: datetime.date | None, time: datetime.time | None, zone_name: str, fold: bool = False
) -> datetime.datetime | None:
    """The instant, in UTC, of a wall-clock time at a place; None when it names none: no time, an
    unknown zone, a day out of range or a time the clocks jump over. `fold` picks the second of a
    time shown twice."""
    zone = zone_or_none(zone_name)
    if day is None or time is None or zone is None or not EARLIEST <= day <= LATEST:
        return None
    local = datetime.datetime.combine(day, time, tzinfo=zone).replace(fold=int(fold))
    if not _exists(local):
        return None
    return local.astimezone(datetime.UTC)


def clamp_out_of_range_rows(model, *fields: str, instant_day: str | None = None, instants: bool = False) -> list[int]:
    """For migrations adding the range: move each out-of-range date of `fields` to the nearest bound;
    return the ids of the rows moved. With `instant_day`, also recompute the rows' instants (`starts_at`,
    `ends_at`) from that day and their local times, zone and folds. `instants`: the fields are datetimes.
    Reads through values(), never whole
    rows: an instant past year 9999, stored by an earlier release, cannot be read into Python at all.

    The rows are kept and moved rather than refused: a date outside 1900-2200 is a slip of the keyboard
    that staff can see and correct in the admin, and a deploy must not stop on it."""
    low, high = _bounds(instants)
    outside = Q()
    for field in fields:
        outside |= Q(**{f"{field}__lt": low}) | Q(**{f"{field}__gt": high})
    columns = ["pk", *fields]
    if instant_day:
        columns += ["start_time", "end_time", "time_zone", "start_fold", "end_fold"]
    moved = []
    for row in model._default_manager.filter(outside).values(*columns):
        changes = {field: clamp(row[field]) for field in fields if row[field] is not None}
        if instant_day:
            day = changes[instant_day]
            changes["starts_at"] = wall_clock_instant(day, row["start_time"], row["time_zone"], row["start_fold"])
            changes["ends_at"] = wall_clock_instant(day, row["end_time"], row["time_zone"], row["end_fold"])
        model._default_manager.filter(pk=row["pk"]).update(**changes)
        moved.append(row["pk"])
    return moved


def utc_offset_label(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """UTC+1, UTC+8, UTC−3:30: the offset of a zone at an instant."""
    minutes = int(instant.astimezone(zone).utcoffset().total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes >= 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


# The zone abbreviations of the tz database that French writes otherwise; any other reads as the database has it.
ZONE_ABBREVIATIONS = {
    "CET": pgettext_lazy("time zone abbreviation", "CET"),
    "CEST": pgettext_lazy("time zone abbreviation", "CEST"),
    "WET": pgettext_lazy("time zone abbreviation", "WET"),
    "WEST": pgettext_lazy("time zone abbreviation", "WEST"),
    "EET": pgettext_lazy("time zone abbreviation", "EET"),
    "EEST": pgettext_lazy("time zone abbreviation", "EEST"),
    "BST": pgettext_lazy("time zone abbreviation", "BST"),
    "IST": pgettext_lazy("time zone abbreviation", "IST"),
    "MSK": pgettext_lazy("time zone abbreviation", "MSK"),
}


def zone_label(instant: datetime.datetime, zone_name: str) -> str:
    """What a local time at a place is labelled with: the zone's abbreviation then and its offset, "CEST, UTC+2"
    ("HAEC, UTC+2" in French); just "UTC+8" where the tz database has no letters for it (Asia/Irkutsk's "+08").

    Never a city: the exemplar city of a zone (Berlin for Europe/Berlin) is another place than Frankfurt's.
    """
    zone = zone_or_none(zone_name)
    if zone is None:
        return ""
    offset = utc_offset_label(instant, zone)
    abbreviation = instant.astimezone(zone).tzname() or ""
    if not abbreviation.isalpha() or abbreviation in ("UTC", "GMT"):
        return offset
    return f"{ZONE_ABBREVIATIONS.get(abbreviation, abbreviation)}, {offset}"


class ZoneLabels:
    """zone_label for many instants, each label worked out (and its abbreviation translated) once: a label is
    the zone's offset and abbreviation at the instant, so the instants that share them share it."""

    def __init__(self):
        self.zones: dict[str, zoneinfo.ZoneInfo | None] = {}
        self.labels: dict[tuple[str, datetime.timedelta | None, str | None], str] = {}

    def __call__(self, instant: datetime.datetime, zone_name: str) -> str:
        try:
            zone = self.zones[zone_name]
        except KeyError:
            zone = self.zones[zone_name] = zone_or_none(zone_name)
        if zone is None:
            return ""
        local = instant.astimezone(zone)
        key = (zone_name, local.utcoffset(), local.tzname())
        label = self.labels.get(key)
        if label is None:
            label = self.labels[key] = zone_label(instant, zone_name)
        return label


def day_zone_label(day: datetime.date, zone_name: str) -> str:
    """The zone's label at noon that day, for a note about a whole visit."""
    zone = zone_or_none(zone_name)
    if zone is None or not EARLIEST <= day <= LATEST:
        return ""
    return zone_label(datetime.datetime.combine(day, datetime.time(12), tzinfo=zone), zone_name)


@functools.lru_cache(maxsize=4096)
def twice_shown_offset(
    day: datetime.date, time: datetime.time | None, instant: datetime.datetime | None, zone_name: str
) -> str | None:
    """For a local time the clocks show twice that day, the offset of the one chosen (UTC+2 for the
    first 02:30 of an autumn night in Paris); None for any other time. Kept once worked out: a list's
    rows share few slots."""
    zone = zone_or_none(zone_name)
    if time is None or instant is None or zone is None or not EARLIEST <= day <= LATEST:
        return None
    return utc_offset_label(instant, zone) if is_ambiguous(day, time, zone) else None
