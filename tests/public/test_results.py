"""The results page: every figure of a small world built by hand, the filters, the CSV of each table, the
charts, French, bad filters and the query count; and the same figures in one band on a visit's outcomes page."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from core.cache import content_changed
from delegations.models import Agreement, FollowUp
from meetings.models import Meeting
from public.results import results_figures
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    SectorFactory,
)

RESULTS = "/results/"


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, slug: str) -> str:
    found = re.search(rf'<section class="results-section" id="{slug}".*?</section>', html, flags=re.S)
    assert found, slug
    return found.group(0)


def table_rows(html: str, slug: str) -> list[list[str]]:
    """The rows of a section's table as the page shows them: the row header, then each figure."""
    body = re.search(r"<tbody>(.*?)</tbody>", section(html, slug), flags=re.S).group(1)
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def band(html: str) -> dict[str, str]:
    found = re.search(r'<dl class="figures results-band">(.*?)</dl>', html, flags=re.S).group(1)
    return {text(label): text(rest) for label, rest in re.findall(r"<dt>(.*?)</dt>(.*?)</div>", found, flags=re.S)}


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


@pytest.fixture
def world(db):
    """Two published visits and a draft that produced more than both, which must never count."""
    health = SectorFactory(name="Health", slug="health")
    energy = SectorFactory(name="Energy", slug="energy")
    organiser = OrganizationFactory(name="Irkutsk Chamber", slug="irkutsk-chamber")
    shanghai_office = OrganizationFactory(name="Shanghai Trade Office", slug="shanghai-office")
    region = OrganizationFactory(name="Irkutsk Government", slug="irkutsk-government")
    clinic = OrganizationFactory(name="Lyon Clinic", slug="lyon-clinic")
    utility = OrganizationFactory(name="Munich Utility", slug="munich-utility")

    paris = DelegationFactory(
        title="Irkutsk in Paris",
        slug="irkutsk-paris",
        origin_country="RU",
        origin_region="Irkutsk region",
        host_countries=["FR"],
        organiser=organiser,
        start_date=datetime.date(2018, 11, 26),
        end_date=datetime.date(2018, 11, 29),
        reported_meetings=15,
        agreements_without_detail=3,
        agreements_without_detail_summary="documents between companies",
    )
    paris.priority_sectors.add(health)
    # Reported at an item too: the visit's 15 include these 12, counted once.
    ItineraryItemFactory(delegation=paris, kind="b2b_session", reported_meetings=12)
    ItineraryItemFactory(
        delegation=paris, start_time=datetime.time(12), end_time=None, agreements_without_detail_summary="several"
    )
    for hour in (9, 10):
        MeetingFactory(
            delegation=paris,
            delegation_organization=region,
            host_organization=clinic,
            sector=health,
            status=Meeting.Status.HELD,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 30),
        )
    for hour, status in ((15, Meeting.Status.CONFIRMED), (16, Meeting.Status.CANCELLED)):
        MeetingFactory(
            delegation=paris,
            status=status,
            sector=health,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 30),
        )
    AgreementFactory(delegation=paris, kind=Agreement.Kind.MOU, status=Agreement.Status.SIGNED)
    AgreementFactory(delegation=paris, kind=Agreement.Kind.CONTRACT, status=Agreement.Status.PREPARED)
    FollowUpFactory(delegation=paris, status=FollowUp.Status.PROPOSED, sector=health)
    FollowUpFactory(delegation=paris, status=FollowUp.Status.IN_NEGOTIATION)
    FollowUpFactory(delegation=paris, status=FollowUp.Status.DONE)
    FollowUpFactory(delegation=paris, status=FollowUp.Status.DROPPED)

    munich = DelegationFactory(
        title="Shanghai in Munich",
        slug="shanghai-munich",
        origin_country="CN",
        origin_region="Shanghai",
        host_countries=["DE", "FR"],
        organiser=shanghai_office,
        start_date=datetime.date(2019, 5, 6),
        end_date=datetime.date(2019, 5, 8),
        home_time_zone="Asia/Shanghai",
    )
    ItineraryItemFactory(delegation=munich, kind="b2b_session", reported_meetings=4)
    MeetingFactory(
        delegation=munich,
        delegation_organization=region,
        host_organization=utility,
        sector=energy,
        status=Meeting.Status.HELD,
    )
    AgreementFactory(delegation=munich, kind=Agreement.Kind.COOPERATION, status=Agreement.Status.IN_FORCE)
    FollowUpFactory(delegation=munich, status=FollowUp.Status.AGREED, sector=energy)

    draft = DelegationFactory(
        title="Draft visit",
        slug="draft-visit",
        is_published=False,
        organiser=organiser,
        start_date=datetime.date(2019, 6, 3),
        end_date=datetime.date(2019, 6, 4),
        reported_meetings=100,
        agreements_without_detail=50,
    )
    draft.priority_sectors.add(energy)
    for hour in range(9, 14):
        MeetingFactory(
            delegation=draft,
            delegation_organization=utility,
            host_organization=clinic,
            sector=energy,
            status=Meeting.Status.HELD,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 30),
        )
    AgreementFactory(delegation=draft, kind=Agreement.Kind.CONTRACT)
    FollowUpFactory(delegation=draft, status=FollowUp.Status.DONE, sector=energy)
    return {"paris": paris, "munich": munich, "draft": draft}


def test_results_totals_exact_drafts_excluded_reported_added_and_labelled(client, world):
    html = client.get(RESULTS).content.decode()

    assert band(html) == {
        "Visits": "2",
        # 3 held one by one + 15 reported for the Paris visit (its item's 12 included) + 4 at a Munich item.
        "Meetings held": "22 of which 19 reported without detail",
        # 2 signed (the prepared contract is not) + 3 reported without detail; one report gives no number.
        "Agreements signed": "5 of which 3 reported without detail and 1 report of documents signed, number not given",
        "Follow-ups": "5 1 done, 3 under way",
    }
    assert "Draft visit" not in html


def test_results_tables_exact(client, world):
    html = client.get(RESULTS).content.decode()

    assert table_rows(html, "agreements-by-kind") == [
        ["Memorandum of understanding", "1"],
        ["Cooperation agreement", "1"],
        ["Reported without detail", "3"],
    ]
    assert 'class="row--reported"' in section(html, "agreements-by-kind")
    assert table_rows(html, "funnel") == [
        ["Proposed", "1", "4"],
        ["In negotiation", "1", "3"],
        ["Agreed", "1", "2"],
        ["In progress", "0", "1"],
        ["Done", "1", "1"],
        ["Dropped", "1", "1"],
    ]
    assert table_rows(html, "sectors") == [["Health", "2", "1", "1"], ["Energy", "1", "1", "0"]]
    assert table_rows(html, "organizations")[:3] == [
        ["Irkutsk Government", "3"],
        ["Lyon Clinic", "2"],
        ["Munich Utility", "1"],
    ]
    assert table_rows(html, "timeline") == [
        ["2018", "1", "17", "15", "4", "3", "4"],
        ["2019", "1", "5", "4", "1", "0", "1"],
    ]


def test_results_filters_narrow_the_figures(client, world):
    expected_visits = {
        "year=2019": ["Meetings held", "5 of which 4 reported without detail"],
        "host_country=DE": ["Meetings held", "5 of which 4 reported without detail"],
        "origin_country=CN": ["Meetings held", "5 of which 4 reported without detail"],
        "organiser=shanghai-office": ["Meetings held", "5 of which 4 reported without detail"],
        "origin_region=irkutsk+REGION": ["Meetings held", "17 of which 15 reported without detail"],
        "sector=health": ["Meetings held", "17 of which 15 reported without detail"],
    }
    for query, (label, figure) in expected_visits.items():
        figures = band(client.get(f"{RESULTS}?{query}").content.decode())
        assert figures["Visits"] == "1", query
        assert figures[label] == figure, query
    both = band(client.get(f"{RESULTS}?host_country=FR&year=2018").content.decode())
    assert both["Visits"] == "1"
    none = client.get(f"{RESULTS}?year=2017").content.decode()
    assert "No published visit matches these filters." in none


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "Give a year as four digits, e.g. 2018."),
        ("year=99999", "Ensure this value is less than or equal to 2200."),
        ("origin_country=ZZ", "Choose a country from the list."),
        ("host_country=%00", "Choose a country from the list."),
        ("sector=nope", "Choose a sector from the list."),
        ("organiser=Nobody+Inc", "No organization is named “Nobody Inc”."),
    ],
)
def test_results_bad_filter_is_a_form_error(client, world, query, message):
    response = client.get(f"{RESULTS}?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert message in text(html)
    assert "results-band" not in html
    csv_response = client.get(f"/results/timeline.csv?{query}")
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_results_csv_of_each_table_matches_the_page(client, world):
    html = client.get(f"{RESULTS}?host_country=FR").content.decode()

    for slug, header in {
        "agreements-by-kind": ["kind", "agreements"],
        "funnel": ["status", "now", "reached"],
        "sectors": ["sector", "name", "meetings_held", "follow_ups", "visits"],
        "organizations": ["organization", "name", "meetings_held"],
        "timeline": [
            "year",
            "visits",
            "meetings_held",
            "meetings_reported",
            "agreements",
            "agreements_reported",
            "follow_ups",
        ],
    }.items():
        link = re.search(rf'href="(/results/{slug}\.csv[^"]*)"', section(html, slug)).group(1).replace("&amp;", "&")
        assert link == f"/results/{slug}.csv?host_country=FR"
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = read_csv(response)
        assert rows[0] == header
        named = "name" in header
        page = table_rows(html, slug)
        # The page's row header is the CSV's name (sectors, organizations) or stands for its code.
        assert [[row[1], *row[2:]] if named else row[1:] for row in rows[1:]] == (
            page if named else [row[1:] for row in page]
        ), slug
    timeline = read_csv(client.get("/results/timeline.csv?host_country=FR"))
    assert timeline[1:] == [["2018", "1", "17", "15", "4", "3", "4"], ["2019", "1", "5", "4", "1", "0", "1"]]
    kinds = read_csv(client.get("/results/agreements-by-kind.csv"))
    assert kinds[1:] == [["mou", "1"], ["cooperation", "1"], ["reported_without_detail", "3"]]


def test_results_csv_unknown_table_404_and_unknown_filter_400(client, world):
    assert client.get("/results/nothing.csv").status_code == 404
    response = client.get("/results/timeline.csv?colour=red")
    assert response.status_code == 400
    assert "colour: unknown filter" in response.content.decode()


def test_results_charts_are_accessible_svg(client, world):
    html = client.get(RESULTS).content.decode()

    charts = re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S)
    assert len(charts) == 5
    funnel = section(html, "funnel")
    svg = re.search(r"<svg[^>]*>.*?</svg>", funnel, flags=re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-funnel-title chart-funnel-desc"' in svg
    assert '<title id="chart-funnel-title">Follow-ups, from proposed to done</title>' in svg
    assert '<desc id="chart-funnel-desc">' in svg
    # Each bar says its stage and its figure in text.
    labels = re.findall(r'<text class="bar-chart__label"[^>]*>(.*?)</text>', svg)
    values = re.findall(r'<text class="bar-chart__value"[^>]*>(.*?)</text>', svg)
    assert list(zip(labels, values, strict=True)) == [
        ("Proposed", "4"),
        ("In negotiation", "3"),
        ("Agreed", "2"),
        ("In progress", "1"),
        ("Done", "1"),
        ("Dropped", "1"),
    ]
    assert "style=" not in html
    assert "<script" not in html


def test_results_chart_labels_are_escaped(client, world):
    world["paris"].meetings.filter(status=Meeting.Status.HELD).update(
        host_organization=OrganizationFactory(name='Clinic <script>alert(1)</script> & "Co"', slug="clinic-co")
    )

    svg = re.search(r"<svg[^>]*>.*?</svg>", section(client.get(RESULTS).content.decode(), "organizations"), re.S)

    labels = re.findall(r'<text class="bar-chart__label"[^>]*>(.*?)</text>', svg.group(0))
    assert "Clinic &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;" in labels
    assert "<script" not in svg.group(0)


def test_results_page_in_french(client, world):
    client.cookies["django_language"] = "fr"
    html = client.get(RESULTS).content.decode()

    assert '<html lang="fr">' in html
    assert "Ce que les visites ont produit" in html
    figures = band(html)
    assert figures["Visites"] == "2"
    assert figures["Rencontres tenues"] == "22 dont 19 signalées sans détail"
    assert figures["Accords signés"] == (
        "5 dont 3 signalés sans détail et 1 mention de documents signés, nombre non précisé"
    )
    assert table_rows(html, "funnel")[0] == ["Proposée", "1", "4"]
    assert '<title id="chart-funnel-title">Suites, de la proposition à la réalisation</title>' in html


def test_results_page_linked_from_the_navigation(client, world):
    html = client.get("/").content.decode()
    assert f'<a href="{RESULTS}">Results</a>' in html


def build_visits(count: int, *, start: int) -> None:
    sector = SectorFactory(name="Tourism", slug="tourism")
    for number in range(count):
        visit = DelegationFactory(
            start_date=datetime.date(2010 + number % 5, 3, 2), end_date=datetime.date(2010 + number % 5, 3, 4)
        )
        visit.priority_sectors.add(sector)
        ItineraryItemFactory(delegation=visit, reported_meetings=number)
        MeetingFactory(delegation=visit, status=Meeting.Status.HELD, sector=sector)
        AgreementFactory(delegation=visit)
        FollowUpFactory(delegation=visit, sector=sector)


@pytest.mark.parametrize("count", [2, 12])
def test_results_page_queries_do_not_grow_with_the_data(client, db, django_assert_num_queries, count):
    build_visits(count, start=0)
    with django_assert_num_queries(5):
        response = client.get(f"{RESULTS}?sector=tourism")
    assert band(response.content.decode())["Visits"] == str(count)


def test_visit_outcomes_opens_with_its_figures(client, world):
    html = client.get(reverse("public:visit-outcomes", kwargs={"slug": "irkutsk-paris"})).content.decode()

    assert band(html) == {
        "Meetings held": "17 of which 15 reported without detail",
        "Agreements signed": "4 of which 3 reported without detail and 1 report of documents signed, number not given",
        "Follow-ups": "4 1 done, 2 under way",
    }


def test_results_figures_service_counts_drafts_only_when_given(world):
    draft = results_figures(type(world["draft"]).objects.filter(pk=world["draft"].pk), detail=False)
    assert (draft.visits, draft.meetings_held, draft.meetings_reported, draft.agreements_total) == (1, 5, 100, 51)


def test_results_count_documents_said_only_in_russian(client, world):
    """What was signed may be said in any language of the content: a report given only in Russian counts,
    on the results page and on the visit's outcomes page, as the outcomes page lists it."""
    munich = world["munich"]
    ItineraryItemFactory(
        delegation=munich,
        start_time=datetime.time(12),
        end_time=None,
        agreements_without_detail_summary_ru="соглашения между компаниями",
    )
    type(munich).objects.filter(pk=munich.pk).update(agreements_without_detail_summary_ru="меморандумы")
    content_changed()

    assert band(client.get(RESULTS).content.decode())["Agreements signed"] == (
        "5 of which 3 reported without detail and 3 reports of documents signed, number not given"
    )
    outcomes = client.get(reverse("public:visit-outcomes", kwargs={"slug": "shanghai-munich"})).content.decode()
    assert band(outcomes)["Agreements signed"] == ("1 and 2 reports of documents signed, number not given")
