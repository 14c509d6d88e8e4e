"""A meeting list's rows (templates/public/_meeting_table.html), written in one Python pass.

Fifty rows a page, and Django's template engine spent most of a fresh render of the meeting list on them: some
thirty variables, filters and tags a row, a date localised and a status labelled for each. Here each row is
written as the template wrote it, whitespace and all, with the same messages (tests/public/test_meeting_table.py
holds the two to the same bytes); what every row shares (labels, the date format, statuses) is worked out once.
"""

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from core import dates
from core.widgets import escaped
from meetings.models import Meeting


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

    def row(self, meeting: Meeting) -> SafeString:
        """As the template wrote the row, from <tr> to </tr>."""
        esc, labels = escaped, self.labels
        day = meeting.date
        out = [
            f'<tr id="meeting-{meeting.pk}">\n'
            f'            <td data-label="{labels["when"]}"><div>\n'
            f'              <time datetime="{esc(dateformat.format(day, "Y-m-d"))}">{self.date(day)}</time><br>\n'
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
        if meeting.venue:
            out.append(f"{esc(meeting.venue.name)}, ")
        out.append(esc(meeting.city))
        if meeting.table:
            out.append(f'<br><span class="muted">{self.table % {"table": esc(meeting.table)}}</span>')
        visit_url = self.itinerary if self.links else esc(meeting.visit_url)
        sector = esc(meeting.sector) if meeting.sector else ""
        status = esc(meeting.status)
        out.append(
            "<br>\n"
            f'              <a class="muted" href="{visit_url}">{esc(meeting.delegation.title)}</a></div></td>\n'
            f'            <td data-label="{labels["delegation_side"]}"><div>{esc(meeting.delegation_side)}</div></td>\n'
            f'            <td data-label="{labels["host_side"]}"><div>{esc(meeting.host_side)}</div></td>\n'
            f'            <td data-label="{labels["sector"]}"><div>{sector}</div></td>\n'
            f'            <td data-label="{labels["status"]}"><div><span class="status status--{status}">'
            f"{self.statuses.get(meeting.status) or esc(meeting.status)}</span></div></td>\n"
            f'            <td data-label="{labels["outcome"]}"><div>{esc(meeting.outcome)}</div></td>\n'
            "          </tr>"
        )
        return mark_safe("".join(out))
