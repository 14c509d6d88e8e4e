"""Staff tools for meetings in the admin: filters and search, status actions, the staff CSV export,
the B2B session grid and recording an outcome with its follow-up."""

import csv
import datetime
import io
import re
from pathlib import Path
from types import SimpleNamespace

import django
import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.contrib.messages import get_messages
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from contacts.models import Organization
from core.admin_rows import djangos_rows, result_rows
from core.concurrency import opened_state
from delegations.models import FollowUp, ItineraryItem
from meetings.admin_filters import OrganizationFilter
from meetings.models import Meeting, MeetingParticipant
from tests.factories import (
    DelegationFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    SectorFactory,
    VenueFactory,
)

CHANGELIST_URL = reverse("admin:meetings_meeting_changelist")
DJANGOS_CHANGE_LIST = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
ADD_URL = reverse("admin:meetings_meeting_add")


def tables(response) -> list[str]:
    """The changelist's meetings by table label, sorted."""
    return sorted(meeting.table for meeting in response.context["cl"].result_list)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def visits(db):
    """Two visits' meetings, told apart by their tables.

    Visit A (26-29 Nov 2018):
      A1  26 Nov 10:00 Senate, Paris  Government / Eastmed  health  requested  Sergey Levchenko (delegation side)
      A2  27 Nov 11:00 Eurexpo, Lyon  Government / Dalkia   energy  confirmed
      A3  27 Nov 14:00 Senate, Paris  Société Générale / Eastmed  health  held
    Visit B (10-12 Jun 2019):
      B1  11 Jun 09:00 Eurexpo, Lyon  Dalkia / Métropole de Lyon  energy  cancelled
    """
    health = SectorFactory(name="Health", slug="health")
    energy = SectorFactory(name="Energy", slug="energy")
    government = OrganizationFactory(
        name="Government of the Irkutsk region", native_name="Правительство Иркутской области"
    )
    eastmed = OrganizationFactory(name="Eastmed")
    dalkia = OrganizationFactory(name="Dalkia")
    societe = OrganizationFactory(name="Société Générale")
    metropole = OrganizationFactory(name="Métropole de Lyon")
    visit_a = DelegationFactory(title="Visit A")
    visit_b = DelegationFactory(
        title="Visit B", start_date=datetime.date(2019, 6, 10), end_date=datetime.date(2019, 6, 12)
    )
    senate = VenueFactory(name="Senate", city="Paris")
    eurexpo = VenueFactory(name="Eurexpo", city="Lyon")

    def meeting(visit, day, start, venue, table, sides, sector, status):
        return MeetingFactory(
            delegation=visit,
            date=day,
            start_time=start,
            end_time=(datetime.datetime.combine(day, start) + datetime.timedelta(minutes=30)).time(),
            venue=venue,
            table=table,
            delegation_organization=sides[0],
            host_organization=sides[1],
            sector=sector,
            status=status,
        )

    nov_26, nov_27, jun_11 = datetime.date(2018, 11, 26), datetime.date(2018, 11, 27), datetime.date(2019, 6, 11)
    a1 = meeting(visit_a, nov_26, datetime.time(10), senate, "A1", (government, eastmed), health, "requested")
    a2 = meeting(visit_a, nov_27, datetime.time(11), eurexpo, "A2", (government, dalkia), energy, "confirmed")
    a3 = meeting(visit_a, nov_27, datetime.time(14), senate, "A3", (societe, eastmed), health, "held")
    b1 = meeting(visit_b, jun_11, datetime.time(9), eurexpo, "B1", (dalkia, metropole), energy, "cancelled")
    levchenko = PersonFactory(name="Sergey Levchenko", native_name="Сергей Левченко")
    MeetingParticipantFactory(meeting=a1, person=levchenko, side=MeetingParticipant.Side.DELEGATION)
    MeetingParticipantFactory(meeting=a3, person=PersonFactory(name="Anne Public"), side=MeetingParticipant.Side.HOST)
    return SimpleNamespace(
        a1=a1,
        a2=a2,
        a3=a3,
        b1=b1,
        visit_a=visit_a,
        visit_b=visit_b,
        health=health,
        energy=energy,
        government=government,
        eastmed=eastmed,
        dalkia=dalkia,
    )


# The list's rows


def first_row_cells(response) -> list[str]:
    """The text of each cell of the changelist's first row, line breaks kept."""
    html = response.content.decode()
    row = html[html.index('<tr><td class="action-checkbox">') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    return [re.sub(r"<(?!br>)[^>]+>", "", cell).strip() for cell in cells]


def test_changelist_row_shows_the_meetings_slot_place_sides_and_status(staff_client, visits):
    response = staff_client.get(CHANGELIST_URL, {"delegation__id__exact": visits.visit_a.pk, "day": "2018-11-26"})

    assert first_row_cells(response) == [
        "",
        "26 November 2018<br>10:00–10:30 Europe/Paris",
        "Senate<br>Paris · table A1",
        "Government of the Irkutsk region",
        "Eastmed",
        "Health",
        "Requested",
        "Record outcome",
    ]
    assert f'href="{reverse("admin:meetings_meeting_change", args=[visits.a1.pk])}' in response.content.decode()


def test_changelist_row_escapes_the_names_it_shows(staff_client, visits):
    visits.a1.venue.name = 'Senate <b>"&</b>'
    visits.a1.venue.save()
    Meeting.objects.filter(pk=visits.a1.pk).update(table="T<1>&'", time_zone="Europe/<Paris>")
    visits.a1.delegation_organization.name = "Gov <i>&</i>"
    visits.a1.delegation_organization.save()

    html = staff_client.get(CHANGELIST_URL, {"delegation__id__exact": visits.visit_a.pk}).content.decode()

    assert (
        'Senate &lt;b&gt;&quot;&amp;&lt;/b&gt;<br><span class="quiet">Paris · table T&lt;1&gt;&amp;&#x27;</span>'
        in html
    )
    assert '10:00–10:30 <span class="quiet">Europe/&lt;Paris&gt;</span>' in html
    assert (
        'aria-label="Select this object for an action - Gov &lt;i&gt;&amp;&lt;/i&gt; / Eastmed, 2018-11-26 10:00"'
        in html
    )


def test_changelist_row_of_a_meeting_without_times_venue_or_table_in_french(staff_client):
    meeting = MeetingFactory(start_time=None, end_time=None, venue=None, table="", city="Lyon")

    response = staff_client.get(CHANGELIST_URL, headers={"accept-language": "fr"})

    assert first_row_cells(response)[1:3] == [f"{meeting.date.day} novembre 2018", "Lyon"]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "query",
    ({}, {"q": "irkutsk", "status__exact": "requested"}, {"delegation__id__exact": "visit_b", "o": "-3.2"}),
)
def test_changelist_rows_are_djangos_own_markup(staff_client, visits, query, language):
    """The list writes its rows itself (core.admin_rows), for speed: the markup of Django's own
    items_for_result, links with their preserved filters, hostile names escaped, each status in the
    page's language and empty cells included."""
    query = {key: visits.visit_b.pk if value == "visit_b" else value for key, value in query.items()}
    Organization.objects.filter(pk=visits.eastmed.pk).update(name='Eastmed <b>"&</b>')
    Meeting.objects.filter(pk=visits.b1.pk).update(sector=None, venue=None, table="", start_time=None, end_time=None)

    response = staff_client.get(CHANGELIST_URL, query, headers={"accept-language": language})

    changelist = response.context["cl"]
    assert changelist.result_list
    with translation.override(language):
        rows, djangos = result_rows(changelist), djangos_rows(changelist)
    assert [list(row) for row in rows] == [["".join(row)] for row in djangos]
    assert "".join(djangos[0]) in response.content.decode()
    if not query:
        statuses = {
            "en": ["Requested", "Confirmed", "Held", "Cancelled"],
            "fr": ["Demandée", "Confirmée", "Tenue", "Annulée"],
        }[language]
        shown = re.findall(r'<td class="field-status">([^<]*)</td>', "".join(row[0] for row in rows))
        assert sorted(shown) == sorted(statuses)


def filter_nav(html: str) -> str:
    start = html.index('<nav id="changelist-filter"')
    return html[start : html.index("</nav>", start) + len("</nav>")]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "query",
    (
        {},
        {"q": 'irkutsk & "co" <b>', "status__exact": "requested", "city__exact": "Lyon"},
        {"delegation__id__exact": "visit_b", "o": "-3.2", "is_locked__exact": "0"},
    ),
)
def test_changelist_filters_are_djangos_own_markup(staff_client, visits, query, language):
    """The list writes its filters itself (core.admin_rows.filter_html), for speed: the markup Django's
    change_list.html and filter.html write, choices selected, hostile names escaped, in either language."""
    query = {key: visits.visit_b.pk if value == "visit_b" else value for key, value in query.items()}
    Organization.objects.filter(pk=visits.eastmed.pk).update(name='Eastmed <b>"&</b>')

    with translation.override(language):
        response = staff_client.get(CHANGELIST_URL, query, HTTP_ACCEPT_LANGUAGE=language)
        page = next(context for context in response.context if "cl" in context)
        djangos = engines["django"].from_string(DJANGOS_CHANGE_LIST.read_text())
        expected = filter_nav(djangos.render(page.flatten(), response.wsgi_request))

    assert filter_nav(response.content.decode()) == expected
    shown = [spec for spec in response.context["cl"].filter_specs if spec.has_output()]
    assert expected.count("<details") == len(shown) >= 8


@pytest.mark.parametrize(
    ("new_params", "remove"),
    [
        ({}, None),
        ({"status__exact": "held"}, None),
        ({"status__exact": None, "city__exact": "Saint-Étienne & Co"}, ["q"]),
        ({"delegation__id__in": ["3", "1"], "o": "2.-1"}, ["date__", "city"]),
        ({"q": None, "p": 2}, ["status"]),
    ],
)
def test_changelist_query_strings_are_djangos(staff_client, visits, new_params, remove):
    query = {"q": 'a&b "c" é', "status__exact": "held", "date__year": "2018", "city__exact": "Lyon"}
    changelist = staff_client.get(CHANGELIST_URL, query).context["cl"]

    # Worked out, then read from what the page kept; then the same names with other values, as a filter's
    # choices ask.
    other = {key: None if value is None else f"{value}+1 &" for key, value in new_params.items()}
    for params in (new_params, new_params, other):
        assert changelist.get_query_string(params, remove) == ChangeList.get_query_string(changelist, params, remove)


def test_changelist_checkbox_is_djangos_own_markup(staff_client, visits):
    """The list writes each row's checkbox itself, for speed: the markup Django's widget renders."""
    visits.a1.delegation_organization.name = 'Gov <b>"&</b>'
    model_admin = admin.site.get_model_admin(Meeting)

    assert model_admin.action_checkbox(visits.a1) == admin.ModelAdmin.action_checkbox(model_admin, visits.a1)
    assert "&lt;b&gt;&quot;&amp;" in model_admin.action_checkbox(visits.a1)


# Filters and search


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        (lambda v: {"delegation__id__exact": v.visit_a.pk}, ["A1", "A2", "A3"]),
        (lambda v: {"delegation__id__exact": v.visit_b.pk}, ["B1"]),
        (lambda v: {"delegation__id__exact": v.visit_a.pk, "day": "2018-11-27"}, ["A2", "A3"]),
        (lambda v: {"day": "2018-11-26"}, ["A1"]),
        (lambda v: {"date__year": "2019"}, ["B1"]),
        (lambda v: {"status__exact": "held"}, ["A3"]),
        (lambda v: {"status__exact": "cancelled"}, ["B1"]),
        (lambda v: {"sector__id__exact": v.energy.pk}, ["A2", "B1"]),
        (lambda v: {"city": "Lyon"}, ["A2", "B1"]),
        (lambda v: {"organization": v.dalkia.pk}, ["A2", "B1"]),
        (lambda v: {"organization": v.eastmed.pk}, ["A1", "A3"]),
        (lambda v: {"organization": v.dalkia.pk, "delegation__id__exact": v.visit_b.pk}, ["B1"]),
        (lambda v: {"organization": v.government.pk, "status__exact": "confirmed"}, ["A2"]),
    ),
    ids=(
        "visit-a",
        "visit-b",
        "visit-and-day",
        "day-alone",
        "date-hierarchy",
        "held",
        "cancelled",
        "sector",
        "city",
        "organization-on-either-side",
        "organization-host-side",
        "organization-and-visit",
        "organization-and-status",
    ),
)
def test_changelist_filter_narrows_to_exactly_its_meetings(staff_client, visits, query, expected):
    response = staff_client.get(CHANGELIST_URL, query(visits))

    assert tables(response) == expected


def filter_choices(response, parameter_name) -> list[tuple[str, str]]:
    specs = response.context["cl"].filter_specs
    spec = next(spec for spec in specs if getattr(spec, "parameter_name", None) == parameter_name)
    return list(spec.lookup_choices)


def test_changelist_day_filter_offers_the_chosen_visits_days(staff_client, visits):
    response = staff_client.get(CHANGELIST_URL, {"delegation__id__exact": visits.visit_a.pk})

    assert filter_choices(response, "day") == [
        ("2018-11-26", "Mon 26 Nov 2018"),
        ("2018-11-27", "Tue 27 Nov 2018"),
        ("2018-11-28", "Wed 28 Nov 2018"),
        ("2018-11-29", "Thu 29 Nov 2018"),
    ]


def test_changelist_day_filter_hidden_until_a_visit_is_chosen(staff_client, visits):
    response = staff_client.get(CHANGELIST_URL)

    assert "day" not in [getattr(spec, "parameter_name", None) for spec in response.context["cl"].filter_specs]


def test_changelist_organization_filter_offers_the_chosen_visits_organizations(staff_client, visits):
    response = staff_client.get(CHANGELIST_URL, {"delegation__id__exact": visits.visit_a.pk})

    assert [name for _pk, name in filter_choices(response, "organization")] == [
        "Dalkia",
        "Eastmed",
        "Government of the Irkutsk region",
        "Société Générale",
    ]


def test_changelist_organization_filter_offers_organizations_with_meetings_without_a_visit(staff_client, visits):
    OrganizationFactory(name="Without meetings")

    response = staff_client.get(CHANGELIST_URL)

    assert [name for _pk, name in filter_choices(response, "organization")] == [
        "Dalkia",
        "Eastmed",
        "Government of the Irkutsk region",
        "Métropole de Lyon",
        "Société Générale",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        (lambda v: {}, ["Dalkia", "Eastmed"]),
        (lambda v: {"delegation__id__exact": v.visit_a.pk}, ["Eastmed", "Government of the Irkutsk region"]),
    ),
    ids=("across-visits", "in-a-visit"),
)
def test_changelist_organization_filter_offers_the_busiest_ties_by_name(
    staff_client, visits, monkeypatch, query, expected
):
    monkeypatch.setattr(OrganizationFilter, "busiest", 2)

    response = staff_client.get(CHANGELIST_URL, query(visits))

    assert [name for _pk, name in filter_choices(response, "organization")] == expected


def test_changelist_organization_filter_follows_a_new_meeting(staff_client, visits):
    staff_client.get(CHANGELIST_URL)
    MeetingFactory(
        delegation_organization=OrganizationFactory(name="Baikal Tourism"),
        host_organization=visits.dalkia,
        venue=None,
        city="Irkutsk",
    )

    response = staff_client.get(CHANGELIST_URL)

    assert "Baikal Tourism" in [name for _pk, name in filter_choices(response, "organization")]


def test_changelist_city_filter_follows_a_new_meeting(staff_client, visits):
    before = city_choices(staff_client.get(CHANGELIST_URL))
    MeetingFactory(venue=None, city="Irkutsk")

    after = city_choices(staff_client.get(CHANGELIST_URL))

    assert (before, after) == (["Lyon", "Paris"], ["Irkutsk", "Lyon", "Paris"])


def field_filter(response, field_path):
    return next(spec for spec in response.context["cl"].filter_specs if getattr(spec, "field_path", None) == field_path)


def city_choices(response) -> list[str]:
    choices = field_filter(response, "city").choices(response.context["cl"])
    return [choice["display"] for choice in choices][1:]  # after “All”


def test_changelist_visit_filter_offers_the_visits_latest_first(staff_client, visits):
    response = staff_client.get(CHANGELIST_URL)

    latest_first = [(visits.visit_b.pk, "Visit B"), (visits.visit_a.pk, "Visit A")]
    assert field_filter(response, "delegation").lookup_choices == latest_first


def offered(response) -> dict[str, list[str]]:
    """Every filter's choices as shown, by the filter's parameter (or field)."""
    changelist = response.context["cl"]
    return {
        getattr(spec, "field_path", None) or spec.parameter_name: [str(c["display"]) for c in spec.choices(changelist)]
        for spec in changelist.filter_specs
    }


def test_changelist_filters_choices_kept_until_the_content_changes(staff_client, visits):
    with CaptureQueriesContext(connection) as queries:
        first = offered(staff_client.get(CHANGELIST_URL))
    first_queries = len(queries)  # before the next request empties the log
    with CaptureQueriesContext(connection) as queries:
        second = offered(staff_client.get(CHANGELIST_URL))
    second_queries = len(queries)
    DelegationFactory(title="Visit C", start_date=datetime.date(2020, 1, 6), end_date=datetime.date(2020, 1, 7))
    SectorFactory(name="Aerospace", slug="aerospace")
    third = offered(staff_client.get(CHANGELIST_URL))

    assert second == first
    # The visits, the years, the sectors, the cities and the busiest organizations: read by the first page alone.
    assert second_queries == first_queries - 5
    assert third["delegation"][:2] == ["All", "Visit C"]
    assert "Aerospace" in third["sector"]
    assert {name: choices for name, choices in third.items() if name not in ("delegation", "sector")} == {
        name: choices for name, choices in first.items() if name not in ("delegation", "sector")
    }


def many_visits(count: int, first_year: int = 1990) -> list:
    return [
        DelegationFactory(
            title=f"Visit {year}", start_date=datetime.date(year, 5, 1), end_date=datetime.date(year, 5, 3)
        )
        for year in range(first_year, first_year + count)
    ]


def test_changelist_visit_filter_offers_the_latest_forty_and_the_chosen_one(staff_client, visits):
    older = many_visits(40)  # 1990-2029: with visits A (2018) and B (2019), 42 in all

    response = staff_client.get(CHANGELIST_URL, {"delegation__id__exact": older[0].pk})

    titles = [title for _, title in field_filter(response, "delegation").lookup_choices]
    expected = [f"Visit {year}" for year in range(2029, 2019, -1)] + ["Visit B", "Visit 2019", "Visit A"]
    expected += [f"Visit {year}" for year in range(2018, 1991, -1)] + ["Visit 1990"]
    assert len(titles) == 41
    assert titles[:40] == [t for t in expected if t != "Visit 1990"][:40]
    assert titles[40] == "Visit 1990"  # chosen, though older than the forty latest


def test_changelist_visit_filter_offers_every_visit_of_the_chosen_year(staff_client, visits):
    many_visits(40)

    response = staff_client.get(CHANGELIST_URL, {"date__year": "2019"})

    titles = sorted(title for _, title in field_filter(response, "delegation").lookup_choices)
    assert titles == ["Visit 2019", "Visit B"]


def test_changelist_year_filter_offers_first_to_last_meetings_year(staff_client, visits):
    later = DelegationFactory(start_date=datetime.date(2021, 3, 1), end_date=datetime.date(2021, 3, 2))
    MeetingFactory(delegation=later, venue=None, city="Irkutsk")

    response = staff_client.get(CHANGELIST_URL)

    assert filter_choices(response, "date__year") == [
        ("2021", "2021"),
        ("2020", "2020"),
        ("2019", "2019"),
        ("2018", "2018"),
    ]


def test_changelist_counts_a_filtered_list_exactly(staff_client, visits):
    response = staff_client.get(CHANGELIST_URL, {"status__exact": "held"})

    assert (response.context["cl"].result_count, response.context["cl"].full_result_count) == (1, None)


@pytest.mark.parametrize(
    "query", ({"day": "2018-02-30"}, {"day": "yesterday"}, {"organization": "dalkia"}, {"date__year": "2o18"})
)
def test_changelist_malformed_filter_value_gets_the_admins_error_page(staff_client, visits, query):
    response = staff_client.get(CHANGELIST_URL, query)

    assertRedirects(response, f"{CHANGELIST_URL}?e=1", fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        ("Левченко", ["A1"]),
        ("сергей левченко", ["A1"]),
        ("Levchenko", ["A1"]),
        ("Иркутской", ["A1", "A2"]),
        ("иркутской ОБЛАСТИ", ["A1", "A2"]),
        ("societe generale", ["A3"]),
        ("Société Générale", ["A3"]),
        ("Anne", ["A3"]),
        ("eastmed levchenko", ["A1"]),  # each word in a different place
        ("a2", ["A2"]),  # a table
        ("government a2", ["A2"]),
        ("dalkia", ["A2", "B1"]),  # either side
        ("eastmed nobody", []),
        ("  ", ["A1", "A2", "A3", "B1"]),
    ),
)
def test_changelist_search_finds_participant_or_organization_in_either_script(staff_client, visits, query, expected):
    response = staff_client.get(CHANGELIST_URL, {"q": query})

    assert tables(response) == expected


def test_changelist_session_link_of_the_grid_narrows_to_the_session(staff_client, visits):
    session = ItineraryItemFactory(delegation=visits.visit_a, kind=ItineraryItem.Kind.B2B_SESSION)
    Meeting.objects.filter(pk=visits.a1.pk).update(session=session)

    response = staff_client.get(CHANGELIST_URL, {"session__id__exact": session.pk})

    assert tables(response) == ["A1"]


# Status actions


def run_action(client, action, meetings):
    return client.post(CHANGELIST_URL, {"action": action, "_selected_action": [m.pk for m in meetings], "index": "0"})


def statuses(*meetings) -> list[str]:
    return [Meeting.objects.get(pk=meeting.pk).status for meeting in meetings]


@pytest.mark.parametrize(
    ("action", "status", "label"),
    (
        ("confirm", "confirmed", "Confirmed"),
        ("mark_held", "held", "Held"),
        ("cancel", "cancelled", "Cancelled"),
        ("mark_no_show", "no_show", "No-show"),
    ),
)
def test_status_action_changes_exactly_the_selected_meetings(staff_client, action, status, label):
    first, second, other = MeetingFactory.create_batch(3, status=Meeting.Status.REQUESTED)

    response = run_action(staff_client, action, [first, second])

    assertRedirects(response, CHANGELIST_URL, fetch_redirect_response=False)
    assert statuses(first, second, other) == [status, status, "requested"]
    assert messages_of(response) == [f"2 meetings are now “{label}”."]


def test_status_action_counts_meetings_that_had_the_status_already(staff_client):
    requested = MeetingFactory(status=Meeting.Status.REQUESTED)
    confirmed = MeetingFactory(status=Meeting.Status.CONFIRMED)

    response = run_action(staff_client, "confirm", [requested, confirmed])

    assert statuses(requested, confirmed) == ["confirmed", "confirmed"]
    assert messages_of(response) == ["1 meeting is now “Confirmed”.", "1 meeting was “Confirmed” already."]


def test_status_action_records_the_change_in_each_meetings_history(staff_client, superuser):
    first, second = MeetingFactory.create_batch(2, status=Meeting.Status.REQUESTED)

    run_action(staff_client, "mark_held", [first, second])

    entries = LogEntry.objects.order_by("object_id")
    assert [(e.user, e.object_id, e.action_flag, e.get_change_message()) for e in entries] == [
        (superuser, str(first.pk), CHANGE, "Changed status."),
        (superuser, str(second.pk), CHANGE, "Changed status."),
    ]


def test_confirm_action_refuses_a_meeting_whose_slot_is_taken_naming_the_other(staff_client):
    senate = VenueFactory(name="Senate", city="Paris")
    slot = {"date": datetime.date(2018, 11, 26), "start_time": datetime.time(10), "end_time": datetime.time(10, 30)}
    taker = MeetingFactory(
        **slot,
        venue=senate,
        table="T1",
        delegation_organization=OrganizationFactory(name="Irkutsk Oil"),
        host_organization=OrganizationFactory(name="Total"),
        status=Meeting.Status.CONFIRMED,
    )
    cancelled = MeetingFactory(
        **slot,
        delegation=taker.delegation,
        venue=senate,
        table="t1",
        delegation_organization=OrganizationFactory(name="Baikal Tourism"),
        host_organization=OrganizationFactory(name="Accor"),
        status=Meeting.Status.CANCELLED,
    )
    free = MeetingFactory(status=Meeting.Status.CANCELLED)

    response = run_action(staff_client, "confirm", [cancelled, free])

    assert statuses(taker, cancelled, free) == ["confirmed", "cancelled", "confirmed"]
    assert messages_of(response) == [
        "1 meeting is now “Confirmed”.",
        "“Baikal Tourism / Accor, 2018-11-26 10:00” stays “Cancelled”: Table t1 at Senate, Paris is already taken "
        "by “Irkutsk Oil / Total, 2018-11-26 10:00” at that time.",
    ]


def test_status_actions_not_offered_to_viewers(viewer_client):
    response = viewer_client.get(CHANGELIST_URL)

    assert [name for name, _label in response.context["action_form"].fields["action"].choices] == [
        "",
        "export_staff_csv",
    ]


def test_status_action_refused_to_viewers(viewer_client):
    meeting = MeetingFactory(status=Meeting.Status.REQUESTED)

    run_action(viewer_client, "confirm", [meeting])

    assert statuses(meeting) == ["requested"]


# Staff CSV export

STAFF_HEADER = [
    "date",
    "start_local",
    "end_local",
    "time_zone",
    "start_utc",
    "end_utc",
    "city",
    "venue",
    "venue_address",
    "table",
    "visit",
    "visit_slug",
    "delegation_organization",
    "delegation_people",
    "host_organization",
    "host_people",
    "sector",
    "status",
    "outcome",
    "private_notes",
    "delegation_organization_email",
    "delegation_organization_phone",
    "delegation_people_contacts",
    "host_organization_email",
    "host_organization_phone",
    "host_people_contacts",
]


@pytest.fixture
def private_meeting(db):
    """A meeting of a draft visit, with private notes, a person who may not appear publicly and contact details."""
    meeting = MeetingFactory(
        delegation=DelegationFactory(title="Draft visit", slug="draft-visit", is_published=False),
        date=datetime.date(2018, 11, 27),
        start_time=datetime.time(15),
        end_time=datetime.time(15, 30),
        venue=VenueFactory(name="Senate", address="15 rue de Vaugirard", city="Paris"),
        table="=1+1",
        delegation_organization=OrganizationFactory(
            name="Government of the Irkutsk region", contact_email="gov@irkutsk.example", contact_phone="+7 3952 00"
        ),
        host_organization=OrganizationFactory(name="Eastmed", contact_email="info@eastmed.example"),
        status=Meeting.Status.HELD,
        outcome="A letter of intent.",
        private_notes="@SUM(A1) They want a lower price.",
    )
    for name, email, phone, public, side in (
        ("Sergey Levchenko", "levchenko@irkutsk.example", "+7 3952 01", True, "delegation"),
        ("Anne Public", "", "+33 1 40 00", True, "host"),
        ("Boris Hidden", "boris@eastmed.example", "", False, "host"),
    ):
        person = PersonFactory(name=name, email=email, phone=phone, is_public=public)
        MeetingParticipantFactory(meeting=meeting, person=person, side=side)
    return meeting


def export_rows(response) -> tuple[str, list[list[str]]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return content, list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def test_staff_csv_has_private_notes_every_person_and_contacts_neutralised(staff_client, private_meeting):
    MeetingFactory(outcome="Not selected")

    response = run_action(staff_client, "export_staff_csv", [private_meeting])

    content, rows = export_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="meetings-staff-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert content.startswith("\ufeffdate,start_local,")
    assert content.endswith("\r\n")
    assert rows[0] == STAFF_HEADER
    assert [dict(zip(STAFF_HEADER, row, strict=True)) for row in rows[1:]] == [
        {
            "date": "2018-11-27",
            "start_local": "15:00",
            "end_local": "15:30",
            "time_zone": "Europe/Paris",
            "start_utc": "2018-11-27T14:00:00Z",
            "end_utc": "2018-11-27T14:30:00Z",
            "city": "Paris",
            "venue": "Senate",
            "venue_address": "15 rue de Vaugirard",
            "table": "'=1+1",
            "visit": "Draft visit",
            "visit_slug": "draft-visit",
            "delegation_organization": "Government of the Irkutsk region",
            "delegation_people": "Sergey Levchenko",
            "host_organization": "Eastmed",
            "host_people": "Anne Public; Boris Hidden",
            "sector": "",
            "status": "held",
            "outcome": "A letter of intent.",
            "private_notes": "'@SUM(A1) They want a lower price.",
            "delegation_organization_email": "gov@irkutsk.example",
            "delegation_organization_phone": "'+7 3952 00",
            "delegation_people_contacts": "Sergey Levchenko: levchenko@irkutsk.example, +7 3952 01",
            "host_organization_email": "info@eastmed.example",
            "host_organization_phone": "",
            "host_people_contacts": "Anne Public: +33 1 40 00; Boris Hidden: boris@eastmed.example",
        }
    ]


def test_staff_csv_exported_by_a_viewer(viewer_client, private_meeting):
    response = run_action(viewer_client, "export_staff_csv", [private_meeting])

    _content, rows = export_rows(response)
    assert [row[STAFF_HEADER.index("private_notes")] for row in rows[1:]] == ["'@SUM(A1) They want a lower price."]


def test_staff_csv_refused_to_anonymous_visitor(client, private_meeting):
    response = run_action(client, "export_staff_csv", [private_meeting])

    assertRedirects(response, f"{reverse('admin:login')}?next={CHANGELIST_URL}", fetch_redirect_response=False)


def test_staff_csv_queries_same_at_2_and_20_meetings(staff_client, django_assert_num_queries):
    def export(meetings):
        # The action builds the list's filters twice (Django's changelist, then its queryset for the action):
        # their choices are read once. The session is read from the cache.
        with django_assert_num_queries(8):
            _content, rows = export_rows(run_action(staff_client, "export_staff_csv", meetings))
        return len(rows) - 1

    meetings = []
    for _ in range(2):
        meetings.append(MeetingFactory())
        MeetingParticipantFactory.create_batch(2, meeting=meetings[-1])
    assert export(meetings) == 2
    for _ in range(18):
        meetings.append(MeetingFactory())
        MeetingParticipantFactory.create_batch(2, meeting=meetings[-1])
    assert export(meetings) == 20


# The B2B session grid


def grid_url(item) -> str:
    return reverse("admin:meetings_meeting_session_grid", args=[item.pk])


@pytest.fixture
def b2b_session(db):
    """A session of 3 tables by 4 half-hour slots, 26 Nov 2018 10:00–12:00 at the Senate in Paris."""
    return ItineraryItemFactory(
        kind=ItineraryItem.Kind.B2B_SESSION,
        title="B2B meetings",
        day=datetime.date(2018, 11, 26),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue=VenueFactory(name="Senate", city="Paris"),
        b2b_tables="1, 2, 3",
        b2b_slot_minutes=30,
    )


def book(session, table, start, status=Meeting.Status.CONFIRMED):
    end = (datetime.datetime.combine(session.day, start) + datetime.timedelta(minutes=30)).time()
    return MeetingFactory(
        delegation=session.delegation,
        session=session,
        date=session.day,
        start_time=start,
        end_time=end,
        venue=session.venue,
        table=table,
        status=status,
    )


def test_grid_shows_free_and_taken_cells_of_the_session(staff_client, b2b_session):
    held = book(b2b_session, "2", datetime.time(10, 30))
    book(b2b_session, "3", datetime.time(11), status=Meeting.Status.CANCELLED)

    response = staff_client.get(grid_url(b2b_session))

    grid = response.context["grid"]
    assert grid.tables == ["1", "2", "3"]
    assert [
        (f"{row.start:%H:%M}–{row.end:%H:%M}", [[m.pk for m in cell.meetings] for cell in row.cells])
        for row in grid.rows
    ] == [
        ("10:00–10:30", [[], [], []]),
        ("10:30–11:00", [[], [held.pk], []]),
        ("11:00–11:30", [[], [], []]),
        ("11:30–12:00", [[], [], []]),
    ]
    content = response.content.decode()
    assert (content.count('<td class="free">'), content.count('<td class="taken">')) == (11, 1)
    assertContains(response, "11 free slots.")
    assertContains(response, f'href="{reverse("admin:meetings_meeting_change", args=[held.pk])}"')


def test_grid_free_cell_links_to_the_add_page_with_its_slot(staff_client, b2b_session):
    response = staff_client.get(grid_url(b2b_session))

    session = b2b_session
    assertContains(
        response,
        f'<a href="{ADD_URL}?delegation={session.delegation_id}&amp;session={session.pk}&amp;date=2018-11-26'
        f'&amp;start_time=11:30&amp;end_time=12:00&amp;table=3&amp;venue={session.venue_id}">Free — book</a>',
        html=True,
    )


def test_meeting_add_page_takes_the_grids_values(staff_client, b2b_session):
    session = b2b_session
    query = {
        "delegation": str(session.delegation_id),
        "session": str(session.pk),
        "date": "2018-11-26",
        "start_time": "11:30",
        "end_time": "12:00",
        "table": "3",
        "venue": str(session.venue_id),
    }

    response = staff_client.get(ADD_URL, query)

    assert response.context["adminform"].form.initial == query
    assertContains(response, 'name="start_time" value="11:30"')
    assertContains(response, 'name="end_time" value="12:00"')
    assertContains(response, f'<option value="{session.pk}" selected>{session}</option>', html=True)


def test_meeting_add_page_leaves_out_values_it_would_refuse(staff_client, b2b_session):
    query = {"delegation": "abc", "session": "999999", "start_time": "25:00", "table": "3", "follow_ups": "1,x"}

    response = staff_client.get(ADD_URL, query)

    assert response.context["adminform"].form.initial == {"table": "3"}


def test_meeting_add_saves_the_grids_values(staff_client, b2b_session):
    session = b2b_session
    sides = OrganizationFactory.create_batch(2)
    data = {
        "delegation": session.delegation_id,
        "session": session.pk,
        "status": "requested",
        "date": "2018-11-26",
        "start_time": "11:30",
        "end_time": "12:00",
        "venue": session.venue_id,
        "table": "3",
        "city": "",
        "time_zone": "",
        "delegation_organization": sides[0].pk,
        "host_organization": sides[1].pk,
        "sector": "",
        "outcome": "",
        "private_notes": "",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }

    response = staff_client.post(ADD_URL, data)

    assertRedirects(response, CHANGELIST_URL, fetch_redirect_response=False)
    meeting = Meeting.objects.get()
    assert (meeting.session, meeting.start_time, meeting.end_time, meeting.table, meeting.city) == (
        session,
        datetime.time(11, 30),
        datetime.time(12),
        "3",
        "Paris",
    )


def test_grid_not_found_for_an_item_that_is_not_a_b2b_session(staff_client):
    reception = ItineraryItemFactory(kind=ItineraryItem.Kind.RECEPTION)

    assert staff_client.get(grid_url(reception)).status_code == 404


def test_grid_not_found_for_an_unknown_item(staff_client):
    assert staff_client.get(reverse("admin:meetings_meeting_session_grid", args=[999999])).status_code == 404


def test_grid_shown_to_a_viewer_without_booking_links(viewer_client, b2b_session):
    response = viewer_client.get(grid_url(b2b_session))

    assertContains(response, '<td class="free">Free</td>', count=12)
    assertNotContains(response, ADD_URL)


def test_grid_refused_to_anonymous_visitor(client, b2b_session):
    response = client.get(grid_url(b2b_session))

    assertRedirects(response, f"{reverse('admin:login')}?next={grid_url(b2b_session)}", fetch_redirect_response=False)


def test_grid_queries_same_at_2_and_20_meetings(staff_client, django_assert_num_queries):
    session = ItineraryItemFactory(
        kind=ItineraryItem.Kind.B2B_SESSION,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        b2b_tables="1, 2, 3, 4, 5",
        b2b_slot_minutes=30,
    )
    cells = [
        (table, datetime.time(10 + minutes // 60, minutes % 60)) for minutes in (0, 30, 60, 90) for table in "12345"
    ]
    for table, start in cells[:2]:
        book(session, table, start)
    # One more than the grid alone: matchmaking's note of the session's agendas in the header.
    with django_assert_num_queries(4):
        assert staff_client.get(grid_url(session)).context["grid"].free_count == 18
    for table, start in cells[2:]:
        book(session, table, start)
    with django_assert_num_queries(4):
        assert staff_client.get(grid_url(session)).context["grid"].free_count == 0


def test_itinerary_item_change_page_links_a_b2b_session_to_its_grid(staff_client, b2b_session):
    response = staff_client.get(reverse("admin:delegations_itineraryitem_change", args=[b2b_session.pk]))

    assertContains(response, f'<a href="{grid_url(b2b_session)}">Open the B2B grid</a>', html=True)


def test_itinerary_item_change_page_has_no_grid_for_other_kinds(staff_client):
    reception = ItineraryItemFactory(kind=ItineraryItem.Kind.RECEPTION)

    response = staff_client.get(reverse("admin:delegations_itineraryitem_change", args=[reception.pk]))

    assertNotContains(response, "Open the B2B grid")


def test_delegation_itinerary_inline_links_a_b2b_session_to_its_grid(staff_client, b2b_session):
    response = staff_client.get(reverse("admin:delegations_delegation_change", args=[b2b_session.delegation_id]))

    assertContains(response, f'<a href="{grid_url(b2b_session)}">Open the B2B grid</a>', html=True)


# Recording an outcome


def outcome_url(meeting) -> str:
    return reverse("admin:meetings_meeting_record_outcome", args=[meeting.pk])


def outcome_post(meeting, **fields):
    """The form as a browser that has just opened it sends it back, the follow-up's fields as proposed,
    with the given changes."""
    return {
        "opened_state": opened_state(Meeting, meeting.pk).dumps(),
        "outcome": "A letter of intent on a joint venture.",
        "private_notes": "They want a lower price.",
        "follow_up-kind": "",
        "follow_up-title": "",
        "follow_up-status": "proposed",
        "follow_up-next_step": "",
        "follow_up-due_date": "",
        "follow_up-sector": meeting.sector_id or "",
        "follow_up-organizations": [meeting.delegation_organization_id, meeting.host_organization_id],
        **fields,
    }


@pytest.fixture
def confirmed_meeting(db):
    return MeetingFactory(
        delegation_organization=OrganizationFactory(name="Irkutsk Oil"),
        host_organization=OrganizationFactory(name="Total"),
        sector=SectorFactory(name="Energy"),
        status=Meeting.Status.CONFIRMED,
    )


def test_record_outcome_creates_the_follow_up_linked_to_the_meeting(staff_client, confirmed_meeting):
    meeting = confirmed_meeting
    data = outcome_post(
        meeting,
        **{
            "follow_up_expected": "on",
            "follow_up-kind": "investment_project",
            "follow_up-title": "Joint venture in wood processing",
            "follow_up-status": "in_negotiation",
            "follow_up-next_step": "Send the business plan",
            "follow_up-due_date": "2019-03-01",
            "follow_up-sector": meeting.sector_id,
            "follow_up-organizations": [meeting.delegation_organization_id, meeting.host_organization_id],
        },
    )

    response = staff_client.post(outcome_url(meeting), data)

    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assertRedirects(response, change_url, fetch_redirect_response=False)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome, meeting.private_notes, meeting.follow_up_expected) == (
        "held",
        "A letter of intent on a joint venture.",
        "They want a lower price.",
        True,
    )
    follow_up = FollowUp.objects.get()
    assert (
        follow_up.delegation,
        follow_up.kind,
        follow_up.title,
        follow_up.status,
        follow_up.next_step,
        follow_up.due_date,
        follow_up.sector,
        sorted(o.name for o in follow_up.organizations.all()),
        list(follow_up.meetings.all()),
    ) == (
        meeting.delegation,
        "investment_project",
        "Joint venture in wood processing",
        "in_negotiation",
        "Send the business plan",
        datetime.date(2019, 3, 1),
        meeting.sector,
        ["Irkutsk Oil", "Total"],
        [meeting],
    )
    assert messages_of(response) == [
        f"Outcome of “{meeting}” recorded: held, with the follow-up “Joint venture in wood processing”."
    ]


def test_record_outcome_from_a_page_opened_before_another_change_is_refused_with_input_kept(
    staff_client, confirmed_meeting
):
    meeting = confirmed_meeting
    data = outcome_post(meeting, outcome="Our outcome.")
    Meeting.objects.filter(pk=meeting.pk).update(outcome="Their outcome.", private_notes="Their notes.")

    response = staff_client.post(outcome_url(meeting), data)

    assert response.status_code == 200
    form = response.context["adminforms"][0].form
    assert form["outcome"].value() == "Our outcome."
    assert form.non_field_errors()[0] == f"“{meeting}” was changed after you opened this page: nothing was saved."
    assert "Outcome is now: Their outcome." in form.non_field_errors()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("confirmed", "Their outcome.")
    # Saved again, deliberately, from the page shown with the refusal: it wins.
    again = {**data, "opened_state": form["opened_state"].value()}
    assert staff_client.post(outcome_url(meeting), again).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("held", "Our outcome.")


def test_record_outcome_records_meeting_and_follow_up_in_the_history(staff_client, superuser, confirmed_meeting):
    data = outcome_post(
        confirmed_meeting,
        **{"follow_up_expected": "on", "follow_up-kind": "planned_visit", "follow_up-title": "Return visit"},
    )

    staff_client.post(outcome_url(confirmed_meeting), data)

    entries = LogEntry.objects.order_by("pk")
    assert [(e.user, e.content_type.model, e.action_flag, e.get_change_message()) for e in entries] == [
        (
            superuser,
            "meeting",
            CHANGE,
            "Changed status, outcome, private notes and follow-up expected. Added follow-up “Return visit”.",
        ),
        (superuser, "followup", ADDITION, "Added."),
    ]


def test_record_outcome_without_follow_up_creates_none(staff_client, confirmed_meeting):
    response = staff_client.post(outcome_url(confirmed_meeting), outcome_post(confirmed_meeting))

    assert response.status_code == 302
    confirmed_meeting.refresh_from_db()
    assert (confirmed_meeting.status, confirmed_meeting.outcome, confirmed_meeting.follow_up_expected) == (
        "held",
        "A letter of intent on a joint venture.",
        False,
    )
    assert FollowUp.objects.count() == 0


def test_record_outcome_with_follow_up_missing_title_saves_nothing(staff_client, confirmed_meeting):
    data = outcome_post(confirmed_meeting, **{"follow_up_expected": "on", "follow_up-kind": "partnership"})

    response = staff_client.post(outcome_url(confirmed_meeting), data)

    assert response.status_code == 200
    assert response.context["adminforms"][1].form.errors == {"title": ["This field is required."]}
    assertContains(response, "Please correct the error below.")
    confirmed_meeting.refresh_from_db()
    assert (confirmed_meeting.status, confirmed_meeting.outcome, FollowUp.objects.count()) == ("confirmed", "", 0)


def test_record_outcome_with_follow_up_linked_already_needs_no_other(staff_client, confirmed_meeting):
    existing = FollowUpFactory(delegation=confirmed_meeting.delegation)
    confirmed_meeting.follow_ups.add(existing)

    response = staff_client.post(
        outcome_url(confirmed_meeting), outcome_post(confirmed_meeting, follow_up_expected="on")
    )

    assert response.status_code == 302
    confirmed_meeting.refresh_from_db()
    assert (confirmed_meeting.follow_up_expected, list(confirmed_meeting.follow_ups.all())) == (True, [existing])


def test_record_outcome_form_proposes_both_sides_and_the_sector(staff_client, confirmed_meeting):
    response = staff_client.get(outcome_url(confirmed_meeting))

    form = response.context["adminforms"][1].form
    assert (form["organizations"].value(), form["sector"].value()) == (
        [confirmed_meeting.delegation_organization_id, confirmed_meeting.host_organization_id],
        confirmed_meeting.sector_id,
    )
    assertContains(response, "<h1>Record the outcome of “Irkutsk Oil / Total, 2018-11-26 14:00”</h1>")


def test_record_outcome_refused_for_a_cancelled_meeting(staff_client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)

    response = staff_client.post(outcome_url(meeting), outcome_post(meeting))

    assertRedirects(
        response, reverse("admin:meetings_meeting_change", args=[meeting.pk]), fetch_redirect_response=False
    )
    assert messages_of(response) == [
        f"“{meeting}” was cancelled: it cannot get an outcome. If it took place after all, change its status first."
    ]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("cancelled", "")


def test_record_outcome_refused_to_viewers(viewer_client, confirmed_meeting):
    assert viewer_client.get(outcome_url(confirmed_meeting)).status_code == 403


def test_record_outcome_not_found_for_an_unknown_meeting(staff_client):
    assert staff_client.get(reverse("admin:meetings_meeting_record_outcome", args=[999999])).status_code == 404


def test_meeting_change_page_links_to_record_outcome_and_grid(staff_client, b2b_session):
    meeting = book(b2b_session, "1", datetime.time(10))

    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    assertContains(response, f'<a href="{outcome_url(meeting)}">Record outcome</a>', html=True)
    assertContains(response, f'<a href="{grid_url(b2b_session)}">B2B grid of its session</a>', html=True)


def test_changelist_row_links_to_record_outcome_except_when_cancelled(staff_client):
    confirmed = MeetingFactory(status=Meeting.Status.CONFIRMED)
    cancelled = MeetingFactory(status=Meeting.Status.CANCELLED)

    response = staff_client.get(CHANGELIST_URL)

    assertContains(response, f'<a href="{outcome_url(confirmed)}">Record outcome</a>', html=True)
    assertNotContains(response, outcome_url(cancelled))
