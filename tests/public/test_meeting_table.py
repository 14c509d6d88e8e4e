# ruff: noqa: E501 (the reference row's lines as the template held them)
"""The meeting tables' rows are read as plain values and written in Python (public.meeting_table), byte for byte as
the template wrote them from the meetings: REFERENCE is the row as templates/public/_meeting_table.html held it,
rendered here by Django's engine from the meetings read as models, beside the writer's rows, for rows with and
without a time, zone, venue, table, sector, outcome and translations, through a share link or not, in each
language."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.models import Meeting, MeetingParticipant
from meetings.table import public_people
from public.markup import Addresses, meeting_side
from public.meeting_table import MeetingRowWriter, meeting_table_rows
from public.sharing import VisitLinks
from public.views.meetings import meeting_rows
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
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
def meeting_ids(db):
    visit = DelegationFactory(
        is_published=True, title="Baikal <Water> & “Sons”", title_fr="Baïkal <Eau> & fils", slug="baikal-water"
    )
    sector = SectorFactory(name="Energy & <water>", name_fr="Énergie & <eau>", name_ru="")
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
        outcome_ru="Подписано & <да>",
        status=Meeting.Status.HELD,
        delegation_organization=OrganizationFactory(name="Acme & <Co>", native_name="Акме & <Ко>"),
    )
    MeetingParticipantFactory(meeting=timed, person=PersonFactory(name="Anna <Smith>", is_public=True))
    MeetingParticipantFactory(
        meeting=timed, person=PersonFactory(name="Boris", native_name="Борис & <Б>", is_public=True)
    )
    MeetingParticipantFactory(meeting=timed, person=PersonFactory(is_public=False), side=MeetingParticipant.Side.HOST)
    MeetingParticipantFactory(meeting=timed, person=PersonFactory(is_public=False), side=MeetingParticipant.Side.HOST)
    MeetingParticipantFactory(meeting=timed, person=PersonFactory(is_public=False))
    other = MeetingFactory(
        delegation=DelegationFactory(is_published=True, title="Second", slug="second-visit"),
        date=datetime.date(2026, 3, 10),
        start_time=datetime.time(23, 30),
        end_time=datetime.time(23, 45),
        time_zone="Asia/Irkutsk",
        venue=VenueFactory(name=""),
        table="",
        status=Meeting.Status.REQUESTED,
    )
    MeetingParticipantFactory(meeting=other, person=PersonFactory(is_public=False), side=MeetingParticipant.Side.HOST)
    MeetingFactory(delegation=visit, date=datetime.date(2026, 3, 11), start_time=None, end_time=None, table="")
    return list(Meeting.objects.order_by("date").values_list("pk", flat=True))


def as_the_view_read_them(ids):
    """The meetings as models, with what the view gave the template of their sides and visit before the rows were
    read as plain values."""
    addresses = Addresses()
    meetings = {meeting.pk: meeting for meeting in meeting_rows(Meeting.objects.filter(pk__in=ids))}
    for meeting in meetings.values():
        delegates = public_people(meeting, MeetingParticipant.Side.DELEGATION)
        hosts = public_people(meeting, MeetingParticipant.Side.HOST)
        meeting.delegation_side = meeting_side(meeting.delegation_organization, delegates, addresses)
        meeting.host_side = meeting_side(meeting.host_organization, hosts, addresses)
        meeting.visit_url = addresses.visit(meeting.delegation.slug)
    return [meetings[pk] for pk in ids]


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("shared", [False, True])
def test_meeting_rows_are_the_templates(meeting_ids, language, shared):
    with translation.override(language):
        meetings = as_the_view_read_them(meeting_ids)
        links = VisitLinks(meetings[0].delegation, token="abc") if shared else None
        writer = MeetingRowWriter(links)
        rows = [writer.row(row) for row in meeting_table_rows(meeting_ids)]

        assert rows == [REFERENCE.render(Context({"meeting": meeting, "links": links})) for meeting in meetings]


def test_meeting_table_rows_read_the_meetings_in_the_order_given_in_two_queries(meeting_ids, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = meeting_table_rows(meeting_ids[::-1])

    assert [row.pk for row in rows] == meeting_ids[::-1]
    assert rows[-1].visit.title == "Baikal <Water> & “Sons”"
    assert rows[-1].delegation_side.count("representative") == 1


def test_meeting_row_escapes_what_it_shows(meeting_ids):
    row = MeetingRowWriter().row(meeting_table_rows(meeting_ids)[0])

    assert "Anna &lt;Smith&gt;" in row
    assert "Hall ‘A’ &amp; B, " in row
    assert '<span class="muted">Table &lt;T1&gt;</span>' in row
    assert "Agreed &amp; &lt;signed&gt;" in row
