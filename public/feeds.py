"""iCalendar feeds (RFC 5545) of visits: itinerary items and confirmed or held meetings.

Organization feeds hold published visits only; a visit's feed holds that visit, which its caller has
checked the visitor may see (published, or reached through a share link).

Times carry their place's zone (with VTIMEZONE definitions), date-only entries are all-day
events, and UIDs are stable so that a re-subscribed calendar updates instead of duplicating.
"""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from contacts.models import Organization
from contacts.privacy import public_names
from core.ical import UID_DOMAIN, add_missing_timezones, new_calendar, place_times
from delegations.models import Delegation, ItineraryItem
from delegations.programme import ProgrammeItem, programme_build, programme_items
from meetings.models import Meeting, MeetingParticipant

from .sharing import VisitLinks


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class EntryUrls:
    """The absolute addresses the entries link to, reversed once per visit rather than once per entry: its
    pages at `links` when given (a share link's), else its public ones."""

    def __init__(self, request, links: VisitLinks | None):
        self.request = request
        self.links = links
        self._itinerary = {}
        self._meetings = {}

    def _links(self, delegation: Delegation) -> VisitLinks:
        return self.links or VisitLinks(delegation)

    def itinerary(self, delegation: Delegation) -> str:
        if delegation.pk not in self._itinerary:
            self._itinerary[delegation.pk] = absolute(self.request, self._links(delegation).itinerary)
        return self._itinerary[delegation.pk]

    def meetings(self, delegation: Delegation) -> str:
        if delegation.pk not in self._meetings:
            self._meetings[delegation.pk] = absolute(self.request, self._links(delegation).meetings())
        return self._meetings[delegation.pk]


def item_event(item: ProgrammeItem, stamp: datetime.datetime, urls: EntryUrls) -> Event:
    """An item as its visit's programme shows it: the same people, named or standing for their organization."""
    event = Event()
    event.add("uid", f"item-{item.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    place_times(event, item.day, item.start_time, item.end_time, item.time_zone, item.starts_at, item.ends_at)
    if item.location:
        event.add("location", item.location)
    lines = [f"{item.delegation.title} · {item.kind_display}"]
    hosts = ", ".join(organization.name for organization in item.hosts)
    if hosts:
        lines.append(_("Hosted by: %(hosts)s") % {"hosts": hosts})
    people = [*item.public_hosts, *item.public_delegates]
    if people:
        lines.append(_("Participants: %(people)s") % {"people": ", ".join(map(str, people))})
    if not item.is_timed:
        lines.append(_("Time not announced."))
    if item.description:
        lines.append(item.description)
    event.add("description", "\n".join(lines))
    event.add("categories", [item.kind_display])
    event.add("url", f"{urls.itinerary(item.delegation)}#item-{item.pk}")
    return event


def meeting_event(meeting: Meeting, stamp: datetime.datetime, urls: EntryUrls) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add(
        "summary",
        _("B2B meeting: %(delegate)s / %(host)s")
        % {"delegate": meeting.delegation_organization.name, "host": meeting.host_organization.name},
    )
    place_times(
        event, meeting.date, meeting.start_time, meeting.end_time, meeting.time_zone, meeting.starts_at, meeting.ends_at
    )
    place = meeting.venue.full_address if meeting.venue else meeting.city
    if meeting.table:
        place = _("%(place)s, table %(table)s") % {"place": place, "table": meeting.table}
    if place:
        event.add("location", place)
    participants = meeting.feed_participants
    people = public_names(
        (p.person, meeting.delegation_organization if p.side == "delegation" else meeting.host_organization)
        for p in participants
    )
    lines = [meeting.delegation.title, meeting.get_status_display()]
    if meeting.sector:
        lines.append(str(meeting.sector))
    if people:
        lines.append(_("Participants: %(people)s") % {"people": ", ".join(map(str, people))})
    if meeting.outcome:
        lines.append(meeting.outcome)
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    event.add("url", urls.meetings(meeting.delegation))
    return event


def feed_meetings():
    return (
        Meeting.objects.filter(status__in=(Meeting.Status.CONFIRMED, Meeting.Status.HELD))
        .select_related("delegation", "venue", "sector", "delegation_organization", "host_organization")
        .prefetch_related(
            # As a list: a related manager's query set built for every meeting cost more than its event.
            Prefetch(
                "participants",
                queryset=MeetingParticipant.objects.select_related("person"),
                to_attr="feed_participants",
            )
        )
        .order_by("date", "start_time", "pk")
    )


def finish(
    calendar: Calendar, items: list[ProgrammeItem], meetings, request, links: VisitLinks | None = None
) -> Calendar:
    stamp = timezone.now().replace(microsecond=0)
    urls = EntryUrls(request, links)
    for item in items:
        calendar.add_component(item_event(item, stamp, urls))
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp, urls))
    add_missing_timezones(calendar)
    return calendar


def delegation_calendar(delegation: Delegation, request=None, links: VisitLinks | None = None) -> Calendar:
    """The visit's feed; its entries link to the visit's pages at `links` (its public addresses by default)."""
    return finish(
        new_calendar(delegation.title),
        programme_build(delegation=delegation).items,
        feed_meetings().filter(delegation=delegation),
        request,
        links,
    )


def organization_calendar(organization: Organization, request=None) -> Calendar:
    return finish(
        new_calendar(organization.name),
        programme_items(
            items=ItineraryItem.objects.filter(delegation__is_published=True, hosts=organization).distinct()
        ),
        feed_meetings().published().filter(Q(delegation_organization=organization) | Q(host_organization=organization)),
        request,
    )
