"""The itinerary page's days and items as HTML, written in one Python pass.

A visit's programme holds hundreds of items, and Django's template engine spent most of a fresh render of the
itinerary on them: an include per item and per name, a URL reversed per link, a filter call per time and zone.
Here each item is written as the template public/_itinerary_item.html wrote it (whitespace and all), its names
by public.markup, as the meeting list's are (tests/public/test_itinerary_markup.py and test_markup.py hold
them to the name partials' bytes); each organization's link is written once per page. Each day, its cities and
their lists are written as public/delegation_detail.html wrote them, rather than by a template loop and a tag per
item. Every string is translated as the template translated it, with the same messages.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, npgettext

from contacts.models import Organization
from core import dates
from core.widgets import escaped
from delegations.models import ItineraryItem
from delegations.programme import ProgrammeDay, ProgrammeItem

from .markup import Addresses, organization_link, public_names
from .sharing import VisitLinks


class ItineraryWriter:
    """Writes the items of one page: what every item shares (links, labels) is worked out once."""

    def __init__(self, links: VisitLinks):
        self.links = links
        self.outcomes = escaped(links.outcomes)
        self.addresses = Addresses()
        self.kinds = {kind: escaped(str(label)) for kind, label in ItineraryItem.Kind.choices}
        # Literal messages, so that makemessages finds them here.
        labels = {
            "next_day": gettext("(next day)"),
            "previous_day": gettext("(previous day)"),
            "tba": gettext("Time not announced"),
            "hosted_by": gettext("Hosted by"),
            "host_participants": gettext("Host participants"),
            "from_delegation": gettext("From the delegation"),
            "audience": gettext("Audience"),
            "signed_here": gettext("Signed here"),
            "without_detail": gettext("Documents reported without detail"),
        }
        self.labels = {key: escaped(label) for key, label in labels.items()}
        self.home_time = gettext("%(times)s home time (%(zone)s)")
        self.organizations: dict[int, str] = {}
        self.date_format = get_format("DATE_FORMAT")
        self.zone_labels = dates.ZoneLabels()
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
        self.plurals: dict[tuple, str] = {}

    def day(self, day: ProgrammeDay) -> SafeString:
        """As the page's template wrote a day, its cities and their items, whitespace and all."""
        weekday = escaped(dateformat.format(day.day, "l"))
        date = escaped(dateformat.format(day.day, self.date_format))
        out = [f'\n      <section class="day">\n        <h3 class="day__title">{weekday} {date}</h3>\n        ']
        for block in day.cities:
            out.append(
                f'\n          <h4 class="city">{escaped(block.city)}</h4>\n          <ol class="items">\n            '
            )
            out.extend(f"\n              {self.item(item)}\n            " for item in block.items)
            out.append("\n          </ol>\n        ")
        out.append("\n      </section>\n    ")
        return mark_safe("".join(out))

    def organization(self, organization: Organization) -> str:
        """As public/_organization_link.html (public.markup), written once per page."""
        html = self.organizations.get(organization.pk)
        if html is None:
            html = self.organizations[organization.pk] = organization_link(organization, self.addresses)
        return html

    def item(self, item: ProgrammeItem) -> SafeString:
        """As the item was written by the template (public/_itinerary_item.html), whitespace and all."""
        esc, labels = escaped, self.labels
        out = [f'\n<li class="item item--{esc(item.kind)}" id="item-{item.pk}">\n  <div class="item__when">\n    ']
        if item.start_time:
            clock = f"{item.start_time:%H:%M}" + (f"–{item.end_time:%H:%M}" if item.end_time else "")
            instant = self.localtime(item.starts_at).isoformat() if item.starts_at else ""
            zone = self.zone_labels(item.starts_at, item.time_zone) if item.starts_at and item.time_zone else ""
            out.append(
                f'\n      <time class="item__time" datetime="{instant}">{clock}</time>\n'
                f'      <span class="item__zone">{esc(zone)}</span>\n      '
            )
            if item.home:
                home_zone = self.zone_labels(item.starts_at, item.home.time_zone) if item.home.time_zone else ""
                home = self.home_time % {
                    "times": esc(item.home.clock),
                    "zone": esc(home_zone),
                }
                shift = ""
                if item.home.day_shift > 0:
                    shift = f" {labels['next_day']}"
                elif item.home.day_shift < 0:
                    shift = f" {labels['previous_day']}"
                out.append(f'\n        <span class="item__home">· {home}{shift}</span>\n      ')
            out.append("\n    ")
        else:
            out.append(f'\n      <span class="item__tba">{labels["tba"]}</span>\n    ')
        out.append(
            f'\n  </div>\n  <div class="item__body">\n    <p class="item__kind">{self.kind(item.kind)}</p>\n'
            f'    <h5 class="item__title">{esc(item.title)}</h5>\n    '
        )
        if item.venue:
            address = f', <span class="address">{esc(item.venue.address)}</span>' if item.venue.address else ""
            out.append(f'\n      <p class="item__venue">{esc(item.venue.name)}{address}</p>\n    ')
        out.append("\n    ")
        if item.description:
            out.append(f'<div class="item__description">{linebreaks(item.description, autoescape=True)}</div>')
        out.append('\n    <dl class="facts item__facts">\n      \n        ')
        if item.hosts:
            hosts = ", ".join(self.organization(organization) for organization in item.hosts)
            out.append(f"\n          <div><dt>{labels['hosted_by']}</dt><dd>{hosts}</dd></div>\n        ")
        out.append("\n      \n      ")
        if item.public_hosts:
            names = public_names(item.public_hosts, self.addresses)
            out.append(f"\n        <div><dt>{labels['host_participants']}</dt><dd>{names}</dd></div>\n      ")
        out.append("\n      ")
        if item.public_delegates:
            names = public_names(item.public_delegates, self.addresses)
            out.append(f"\n        <div><dt>{labels['from_delegation']}</dt><dd>{names}</dd></div>\n      ")
        out.append("\n      ")
        if item.audience_size is not None:
            audience = self.once(
                ("audience", item.audience_size),
                lambda: ngettext("%(audience)s participant", "%(audience)s participants", item.audience_size),
            ) % {"audience": esc(item.audience_display)}
            out.append(f"\n        <div><dt>{labels['audience']}</dt><dd>{audience}</dd></div>\n      ")
        out.append("\n      ")
        if item.reported_meetings:
            count = item.reported_meetings
            heading = self.once(("reported", count), lambda: npgettext("heading", "Meeting", "Meetings", count)) % {}
            reported = self.once(
                ("reported meetings", count),
                lambda: ngettext("%(counter)s meeting reported", "%(counter)s meetings reported", count),
            ) % {"counter": count}
            out.append(f"\n        <div><dt>{heading}</dt><dd>{reported}</dd></div>\n      ")
        out.append("\n      ")
        if count := item.annotations.get("meeting_count"):
            heading = self.once(("b2b", count), lambda: npgettext("heading", "B2B meeting", "B2B meetings", count)) % {}
            meetings = self.once(
                ("meetings", count), lambda: ngettext("%(counter)s meeting", "%(counter)s meetings", count)
            ) % {"counter": count}
            url = esc(self.links.meetings(session=item.pk))
            out.append(f'\n        <div><dt>{heading}</dt><dd><a href="{url}">{meetings}</a></dd></div>\n      ')
        out.append("\n      \n        ")
        if item.agreements:
            signed = "; ".join(
                f'<a href="{self.outcomes}#agreement-{agreement.pk}">{esc(agreement.title)}</a>'
                for agreement in item.agreements
            )
            out.append(f"\n          <div><dt>{labels['signed_here']}</dt><dd>{signed}</dd></div>\n        ")
        out.append("\n      \n      ")
        if item.agreements_without_detail or item.agreements_without_detail_summary:
            number = "" if item.agreements_without_detail is None else item.agreements_without_detail
            dash = " — " if item.agreements_without_detail and item.agreements_without_detail_summary else ""
            summary = esc(item.agreements_without_detail_summary)
            out.append(
                f"\n        <div><dt>{labels['without_detail']}</dt><dd>{number}{dash}{summary}</dd></div>\n      "
            )
        out.append("\n    </dl>\n  </div>\n</li>\n")
        return mark_safe("".join(out))

    def localtime(self, value):
        """As template_localtime: an aware datetime in the current zone."""
        return value.astimezone(self.zone) if self.zone is not None and not timezone.is_naive(value) else value

    def once(self, key: tuple, translate: Callable[[], str]) -> str:
        """A message translated once per page for each key (a message and its number)."""
        text = self.plurals.get(key)
        if text is None:
            text = self.plurals[key] = translate()
        return text

    def kind(self, kind: str) -> str:
        return self.kinds.get(kind) or escaped(kind)
