"""A meeting list's rows (templates/public/_meeting_table.html), read as plain values and written in one Python pass.

Fifty rows a page, and Django's template engine spent most of a fresh render of the meeting list on them: some
thirty variables, filters and tags a row, a date localised and a status labelled for each. Here each row is
written as the template wrote it, whitespace and all, with the same messages (tests/public/test_meeting_table.py
holds the two to the same bytes); what every row shares (labels, the date format, statuses) is worked out once.

The rows are read as plain values (`meeting_table_rows`), not as meetings with their visit, venue, sector, two
organizations and participants' people: hundreds of model instances a page, built with every column of each
visit, were the largest part of the list's time.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as active_language

from contacts.privacy import public_names
from core import dates
from core.widgets import escaped
from meetings.models import Meeting, MeetingParticipant

from .markup import Addresses, meeting_side


class Party(NamedTuple):
    """An organization on one side of a meeting, as its row names it (see public.markup.organization_link)."""

    pk: int
    slug: str
    name: str
    native_name: str


class Participant(NamedTuple):
    """A person at a meeting, as its row names them or counts them (see contacts.privacy.public_names)."""

    pk: int
    slug: str
    name: str
    native_name: str
    is_public: bool


class Visit(NamedTuple):
    slug: str
    title: str  # in the active language, or its fallback's


@dataclass(slots=True)
class MeetingRow:
    """What a row of a meeting table shows of a meeting; texts in the active language (modeltranslation's rule)."""

    pk: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    starts_at: datetime.datetime | None
    time_zone: str
    venue: str | None  # its name; None without a venue
    city: str
    table: str
    visit: Visit
    visit_url: str
    sector: str  # its name; "" without a sector
    status: str
    outcome: str
    delegation_side: SafeString  # the organization, then its public people (public.markup.meeting_side)
    host_side: SafeString


def _translated(field: str) -> list[str]:
    """The field's column in each language of the active language's resolution order (modeltranslation's)."""
    return [build_localized_fieldname(field, language) for language in resolution_order(active_language())]


def _first(values) -> str:
    """The first text that is neither missing nor empty, as modeltranslation's fallback takes it; else ""."""
    return next(filter(None, values), "")


def meeting_table_rows(ids: list[int]) -> list[MeetingRow]:
    """The rows of the meetings of these ids, in this order, in two queries of plain values whatever their number.

    Read by id once a list has chosen its few meetings from the meetings alone (see MeetingListView.paginate_queryset),
    unordered: the ids give the order.
    """
    outcomes = _translated("outcome")
    titles = [f"delegation__{name}" for name in _translated("title")]
    sectors = [f"sector__{name}" for name in _translated("name")]
    sides = ("delegation_organization", "host_organization")
    columns = (
        "pk",
        "date",
        "start_time",
        "end_time",
        "starts_at",
        "time_zone",
        "venue__name",
        "city",
        "table",
        "status",
        "sector_id",
        "delegation__slug",
        *(f"{side}{part}" for side in sides for part in ("_id", "__slug", "__name", "__native_name")),
        *outcomes,
        *titles,
        *sectors,
    )
    read = Meeting.objects.filter(pk__in=ids).order_by().values_list(*columns)
    people = defaultdict(list)
    for meeting_id, side, *person in (
        MeetingParticipant.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "side", "pk")
        .values_list(
            "meeting_id",
            "side",
            "person_id",
            "person__slug",
            "person__name",
            "person__native_name",
            "person__is_public",
        )
    ):
        people[meeting_id, side].append(Participant(*person))
    addresses = Addresses()
    visits: dict[str, Visit] = {}
    rows = {}
    n_outcomes, n_titles = len(outcomes), len(titles)
    delegation_side, host_side = MeetingParticipant.Side.DELEGATION, MeetingParticipant.Side.HOST
    for values in read:
        pk, day, start, end, starts_at, zone, venue, city, table, status, sector_id, slug = values[:12]
        delegation, host = Party(*values[12:16]), Party(*values[16:20])
        translations = values[20:]
        visit = visits.get(slug)
        if visit is None:
            visit = visits[slug] = Visit(slug, _first(translations[n_outcomes : n_outcomes + n_titles]))
        delegates = public_names((person, delegation) for person in people[pk, delegation_side])
        hosts = public_names((person, host) for person in people[pk, host_side])
        rows[pk] = MeetingRow(
            pk=pk,
            date=day,
            start_time=start,
            end_time=end,
            starts_at=starts_at,
            time_zone=zone,
            venue=venue,
            city=city,
            table=table,
            visit=visit,
            visit_url=addresses.visit(slug),
            sector=_first(translations[n_outcomes + n_titles :]) if sector_id is not None else "",
            status=status,
            outcome=_first(translations[:n_outcomes]),
            delegation_side=meeting_side(delegation, delegates, addresses),
            host_side=meeting_side(host, hosts, addresses),
        )
    return [rows[pk] for pk in ids]


class MeetingRowWriter:
    """Writes the rows of one table; `links` as the page has them (a share link's), or None."""

    def __init__(self, links=None):
        self.links = links
        self.itinerary = escaped(links.itinerary) if links else None
        self.date_format = get_format("DATE_FORMAT")
        # Literal messages, so that makemessages finds them here.
        labels = {
            "when": gettext("When"),
            "where": gettext("Where"),
            "delegation_side": gettext("Delegation side"),
            "host_side": gettext("Host side"),
            "sector": gettext("Sector"),
            "status": gettext("Status"),
            "outcome": gettext("Outcome"),
            "tba": gettext("Time not announced"),
        }
        self.labels = {key: escaped(label) for key, label in labels.items()}
        self.table = gettext("Table %(table)s")
        self.statuses = {status: escaped(str(label)) for status, label in Meeting.Status.choices}
        self.dates: dict = {}

    def date(self, day) -> str:
        written = self.dates.get(day)
        if written is None:
            written = self.dates[day] = escaped(dateformat.format(day, self.date_format))
        return written

    def row(self, meeting: MeetingRow) -> SafeString:
        """As the template wrote the row, from <tr> to </tr>."""
        esc, labels = escaped, self.labels
        day = meeting.date
        out = [
            f'<tr id="meeting-{meeting.pk}">\n'
            f'            <td data-label="{labels["when"]}"><div>\n'
            f'              <time datetime="{day.isoformat()}">{self.date(day)}</time><br>\n'
            "              "
        ]
        if meeting.start_time:
            instant = esc(template_localtime(meeting.starts_at).isoformat()) if meeting.starts_at else ""
            end = f"–{meeting.end_time:%H:%M}" if meeting.end_time else ""
            zone = (
                dates.zone_label(meeting.starts_at, meeting.time_zone)
                if meeting.starts_at and meeting.time_zone
                else ""
            )
            out.append(
                f'\n                <time datetime="{instant}">{meeting.start_time:%H:%M}{end}</time>\n'
                f'                <span class="muted">{esc(zone)}</span>\n'
                "              "
            )
        else:
            out.append(f'\n                <span class="muted">{labels["tba"]}</span>\n              ')
        out.append(f'\n            </div></td>\n            <td data-label="{labels["where"]}"><div>')
        if meeting.venue is not None:
            out.append(f"{esc(meeting.venue)}, ")
        out.append(esc(meeting.city))
        if meeting.table:
            out.append(f'<br><span class="muted">{self.table % {"table": esc(meeting.table)}}</span>')
        visit_url = self.itinerary if self.links else esc(meeting.visit_url)
        sector = esc(meeting.sector)
        status = esc(meeting.status)
        out.append(
            "<br>\n"
            f'              <a class="muted" href="{visit_url}">{esc(meeting.visit.title)}</a></div></td>\n'
            f'            <td data-label="{labels["delegation_side"]}"><div>{esc(meeting.delegation_side)}</div></td>\n'
            f'            <td data-label="{labels["host_side"]}"><div>{esc(meeting.host_side)}</div></td>\n'
            f'            <td data-label="{labels["sector"]}"><div>{sector}</div></td>\n'
            f'            <td data-label="{labels["status"]}"><div><span class="status status--{status}">'
            f"{self.statuses.get(meeting.status) or esc(meeting.status)}</span></div></td>\n"
            f'            <td data-label="{labels["outcome"]}"><div>{esc(meeting.outcome)}</div></td>\n'
            "          </tr>"
        )
        return mark_safe("".join(out))
