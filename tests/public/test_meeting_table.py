# ruff: noqa: E501 (the reference row's lines as the template held them)
"""The meeting tables' rows are written in Python (public.meeting_table), byte for byte as the template wrote them:
REFERENCE is the row as templates/public/_meeting_table.html held it, rendered here by Django's engine beside the
writer, for rows with and without a time, zone, venue, table, sector and outcome, through a share link or not, in
each language."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.models import Meeting, MeetingParticipant
from public.meeting_table import MeetingRowWriter
from public.sharing import VisitLinks
from public.views.meetings import meetings_in_order, with_public_sides
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    SectorFactory,
    VenueFactory,
)

REFERENCE = Template(
    """{% load i18n visits %}{% translate "When" as when_label %}{% translate "Where" as where_label %}{% translate "Delegation side" as delegation_side_label %}{% translate "Host side" as host_side_label %}{% translate "Sector" as sector_label %}{% translate "Status" as status_label %}{% translate "Outcome" as outcome_label %}<tr id="meeting-{{ meeting.pk }}">
            <td data-label="{{ when_label }}"><div>
              <time datetime="{{ meeting.date|date:'Y-m-d' }}">{{ meeting.date|date }}</time><br>
              {% if meeting.start_time %}
                <time datetime="{{ meeting.starts_at|date:'c' }}">{{ meeting.start_time|time:"H:i" }}{% if meeting.end_time %}–{{ meeting.end_time|time:"H:i" }}{% endif %}</time>
                <span class="muted">{{ meeting.starts_at|zone_label:meeting.time_zone }}</span>
              {% else %}
                <span class="muted">{% translate "Time not announced" %}</span>
              {% endif %}
            </div></td>
            <td data-label="{{ where_label }}"><div>{% if meeting.venue %}{{ meeting.venue.name }}, {% endif %}{{ meeting.city }}{% if meeting.table %}<br><span class="muted">{% blocktranslate with table=meeting.table %}Table {{ table }}{% endblocktranslate %}</span>{% endif %}<br>
              <a class="muted" href="{% if links %}{{ links.itinerary }}{% else %}{{ meeting.visit_url }}{% endif %}">{{ meeting.delegation.title }}</a></div></td>
            <td data-label="{{ delegation_side_label }}"><div>{{ meeting.delegation_side }}</div></td>
            <td data-label="{{ host_side_label }}"><div>{{ meeting.host_side }}</div></td>
            <td data-label="{{ sector_label }}"><div>{{ meeting.sector|default:"" }}</div></td>
            <td data-label="{{ status_label }}"><div><span class="status status--{{ meeting.status }}">{{ meeting.get_status_display }}</span></div></td>
            <td data-label="{{ outcome_label }}"><div>{{ meeting.outcome }}</div></td>
          </tr>"""
)


@pytest.fixture
def meetings(db):
    visit = DelegationFactory(is_published=True, title="Baikal <Water> & “Sons”", slug="baikal-water")
    sector = SectorFactory(name="Energy & <water>")
    timed = MeetingFactory(
        delegation=visit,
        date=datetime.date(2026, 3, 9),
        start_time=datetime.time(9, 5),
        end_time=datetime.time(10, 0),
        time_zone="Europe/Paris",
        venue=VenueFactory(name="Hall ‘A’ & B"),
        table="<T1>",
        sector=sector,
        outcome="Agreed & <signed>",
        status=Meeting.Status.HELD,
    )
    MeetingParticipantFactory(meeting=timed, person=PersonFactory(name="Anna <Smith>", is_public=True))
    MeetingParticipantFactory(meeting=timed, person=PersonFactory(is_public=False), side=MeetingParticipant.Side.HOST)
    MeetingFactory(
        delegation=visit,
        date=datetime.date(2026, 3, 10),
        start_time=datetime.time(23, 30),
        end_time=datetime.time(23, 45),
        time_zone="Asia/Irkutsk",
        venue=None,
        table="",
        status=Meeting.Status.REQUESTED,
    )
    MeetingFactory(delegation=visit, date=datetime.date(2026, 3, 11), start_time=None, end_time=None, table="")
    ids = list(Meeting.objects.filter(delegation=visit).order_by("date").values_list("pk", flat=True))
    return with_public_sides(meetings_in_order(ids))


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("shared", [False, True])
def test_meeting_rows_are_the_templates(meetings, language, shared):
    links = VisitLinks(meetings[0].delegation, token="abc") if shared else None
    with translation.override(language):
        writer = MeetingRowWriter(links)
        rows = [writer.row(meeting) for meeting in meetings]

        assert rows == [REFERENCE.render(Context({"meeting": meeting, "links": links})) for meeting in meetings]


def test_meeting_row_escapes_what_it_shows(meetings):
    row = MeetingRowWriter().row(meetings[0])

    assert "Anna &lt;Smith&gt;" in row
    assert "Hall ‘A’ &amp; B, " in row
    assert '<span class="muted">Table &lt;T1&gt;</span>' in row
    assert "Agreed &amp; &lt;signed&gt;" in row
