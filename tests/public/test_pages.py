"""The public site: home, visits and their filters, itinerary, outcomes, directory, people, search."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from contacts.models import Organization
from delegations.models import Delegation, DelegationMember, ItineraryItem
from meetings.models import Meeting
from tests.builders import SIZES, build_visit, built_quietly, slot
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DelegationFactory,
    DelegationMemberFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SectorFactory,
    VenueFactory,
)

NOV_26 = datetime.date(2018, 11, 26)


def texts(html: str, tag: str, css_class: str) -> list[str]:
    """The text of every <tag class="css_class"> in order, tags stripped and spaces collapsed."""
    pattern = rf'<{tag} class="{css_class}"[^>]*>(.*?)</{tag}>'
    return [" ".join(re.sub(r"<[^>]+>", " ", found).split()) for found in re.findall(pattern, html, flags=re.S)]


def slugs(response, key="object_list") -> list[str]:
    return [row.slug for row in response.context[key]]


# Home


def test_home_shows_the_demo_among_recent_visits(client, demo):
    response = client.get(reverse("public:home"))

    assert [d.slug for d in response.context["upcoming"]] == []
    assert [d.slug for d in response.context["recent"]] == [demo.slug]
    assertContains(
        response, f'<a href="/delegations/{demo.slug}/">Delegation of the Irkutsk region to France</a>', html=True
    )
    assertContains(response, "26 November 2018 – 29 November 2018")


# Itinerary of the demo


@pytest.fixture
def demo_page(client, demo):
    return client.get(reverse("public:visit-detail", kwargs={"slug": demo.slug}))


def test_itinerary_header_names_route_dates_organiser_and_support(demo_page):
    assert demo_page.status_code == 200
    assertContains(demo_page, "<h1>Delegation of the Irkutsk region to France</h1>", html=True)
    assert texts(demo_page.content.decode(), "p", "visit-header__route") == ["Irkutsk region, Russia → to France"]
    assert texts(demo_page.content.decode(), "p", "visit-header__dates") == ["26 November 2018 – 29 November 2018"]
    assertContains(
        demo_page,
        '<div><dt>Organised by</dt><dd><a href="/organizations/government-irkutsk-region/">'
        "Government of the Irkutsk region</a> "
        '<span class="native">(Правительство Иркутской области)</span></dd></div>',
        html=True,
    )
    assertContains(
        demo_page,
        '<div><dt>With the support of</dt><dd><a href="/organizations/cci-france-russie/">CCI France Russie</a>'
        "</dd></div>",
        html=True,
    )
    assertNotContains(demo_page, "Draft")


def test_itinerary_head_of_delegation_with_native_name_and_title(demo_page):
    assertContains(
        demo_page,
        '<div><dt>Head of delegation</dt><dd><a href="/people/serguei-levtchenko/">Sergueï Levtchenko</a> '
        '<span class="native">(Сергей Левченко)</span>, Governor of the Irkutsk region</dd></div>',
        html=True,
    )


def test_itinerary_members_with_native_names_roles_and_titles(demo_page):
    """A title stands alone: only a role in the delegation (its head) is shown beside it."""
    members = texts(demo_page.content.decode(), "ul", "member-list")[0]

    assert members == (
        "Sergueï Levtchenko (Сергей Левченко) Head of delegation · Governor of the Irkutsk region "
        "Evgueni Oratchevski (Евгений Орачевский) Minister of Economic Development of the Irkutsk region "
        "Oleg Iarochenko (Олег Ярошенко) Minister of Health of the Irkutsk region "
        "Ekaterina Silvina (Екатерина Сильвина) "
        "Director of the Agency for Tourism Development of the Irkutsk region "
        "Elena Ilina (Елена Ильина) "
        "Director of the Department for the Development of International and Trade Cooperation"
    )


def test_itinerary_days_in_order_grouped_by_city(demo_page):
    html = demo_page.content.decode()
    days = re.findall(r'<h3 class="day__title">(.*?)</h3>(.*?)</section>', html, flags=re.S)

    assert [(day, re.findall(r'<h4 class="city">(.*?)</h4>', body)) for day, body in days] == [
        ("Monday 26 November 2018", ["Paris"]),
        ("Tuesday 27 November 2018", ["Paris"]),
        ("Wednesday 28 November 2018", ["Lyon"]),
        ("Thursday 29 November 2018", ["Lyon"]),
    ]


def test_itinerary_items_in_programme_order(demo_page):
    assert texts(demo_page.content.decode(), "h5", "item__title") == [
        "Meeting with the Russian Ambassador to France",
        "Investment discussion with Senator Gérard Longuet",
        "Presentation of the investment potential of the Irkutsk region",
        "B2B meetings after the presentation",
        "Signing of the tripartite agreement",
        "Transfer from Paris to Lyon",
        "Welcome by David Kimelfeld, President of the Lyon Metropolis",
        "Second presentation of the investment potential",
        "B2B meetings with the largest companies of the region",
        "Pollutec 2018 — plenary session",
        "Meetings with health-sector companies",
        "Visit to the Centre Léon-Bérard",
    ]


def test_itinerary_date_only_items_read_time_not_announced(demo_page):
    assert texts(demo_page.content.decode(), "span", "item__tba") == ["Time not announced"] * 12
    assertNotContains(demo_page, 'class="item__time"')


def test_itinerary_item_kind_venue_address_hosts_and_participants(demo, demo_page):
    longuet = demo.itinerary_items.get(title__startswith="Investment discussion")
    html = demo_page.content.decode()
    item = re.search(rf'<li class="item [^"]*" id="item-{longuet.pk}">(.*?)</li>\s*(?:<li|</ol>)', html, re.S)[1]

    assert texts(item, "p", "item__kind") == ["Official meeting"]
    assert texts(item, "p", "item__venue") == ["Palais du Luxembourg (French Senate), 15 rue de Vaugirard, 75006"]
    assert "Dalkia" in item and "Dark to Green Partners" in item
    assertContains(
        demo_page,
        '<div><dt>Host participants</dt><dd><a href="/people/gerard-longuet/">Gérard Longuet</a>, '
        '<span class="title">President of the France–Russia friendship group at the Senate</span>; '
        '<a href="/people/jean-pierre-thomas/">Jean-Pierre Thomas</a>, '
        '<span class="title">President of Thomas Vendôme Investment</span></dd></div>',
        html=True,
    )


def test_itinerary_delegation_participants_in_member_order(demo, demo_page):
    ambassador = demo.itinerary_items.get(title__startswith="Meeting with the Russian Ambassador")
    item = demo_page.context["programme"][0].cities[0].items[0]

    assert item.pk == ambassador.pk
    assert [str(name) for name in item.public_delegates] == [
        "Sergueï Levtchenko",
        "Evgueni Oratchevski",
        "Oleg Iarochenko",
        "Ekaterina Silvina",
        "Elena Ilina",
    ]


def test_itinerary_audience_more_than_100(demo_page):
    assertContains(demo_page, "<div><dt>Audience</dt><dd>more than 100 participants</dd></div>", html=True)


def test_itinerary_reported_meetings(demo_page):
    assertContains(demo_page, "<div><dt>Meetings</dt><dd>12 meetings reported</dd></div>", html=True)


def test_itinerary_links_session_to_its_b2b_meetings(demo, demo_page):
    session = demo.itinerary_items.get(title="Meetings with health-sector companies")

    assertContains(
        demo_page,
        f'<div><dt>B2B meetings</dt><dd><a href="/meetings/?delegation={demo.slug}&amp;session={session.pk}">'
        "5 meetings</a></dd></div>",
        html=True,
    )


def test_itinerary_links_the_agreement_signed_there(demo, demo_page):
    agreement = demo.agreements.get()

    assertContains(
        demo_page,
        f'<div><dt>Signed here</dt><dd><a href="/delegations/{demo.slug}/outcomes/#agreement-{agreement.pk}">'
        f"{agreement.title}</a></dd></div>",
        html=True,
    )


def test_itinerary_offers_subscribe_and_download(demo_page, demo):
    feed = f"/delegations/{demo.slug}/calendar.ics"

    assertContains(demo_page, f'<a href="webcal://testserver{feed}">Subscribe to the calendar</a>', html=True)
    assertContains(demo_page, f'<a href="{feed}" download>Download (.ics)</a>', html=True)


# Itinerary times


@pytest.fixture
def paris(db):
    return VenueFactory(name="Sénat", address="15 rue de Vaugirard", city="Paris", time_zone="Europe/Paris")


def item_page(client, item):
    return client.get(reverse("public:visit-detail", kwargs={"slug": item.delegation.slug}))


@pytest.mark.parametrize("server_zone", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_itinerary_timed_item_shows_local_time_zone_and_home_time(client, paris, settings, server_zone):
    settings.TIME_ZONE = server_zone
    visit = DelegationFactory(home_time_zone="Asia/Irkutsk")
    item = ItineraryItemFactory(delegation=visit, venue=paris, day=NOV_26, start_time=datetime.time(10, 0))

    response = item_page(client, item)

    assert texts(response.content.decode(), "time", "item__time") == ["10:00–11:00"]
    assert re.findall(r'class="item__time" datetime="([^"]+)"', response.content.decode()) == [
        datetime.datetime(2018, 11, 26, 9, tzinfo=datetime.UTC).astimezone(ZoneInfo(server_zone)).isoformat()
    ]
    assertContains(response, '<span class="item__zone">CET, UTC+1</span>', html=True)
    assertContains(response, '<span class="item__home">· 17:00–18:00 home time (UTC+8)</span>', html=True)
    assertNotContains(response, "Time not announced")


def test_itinerary_home_time_omitted_when_offsets_match(client, paris):
    visit = DelegationFactory(origin_country="DE", home_time_zone="Europe/Berlin")
    item = ItineraryItemFactory(delegation=visit, venue=paris, day=NOV_26, start_time=datetime.time(10, 0))

    response = item_page(client, item)

    assertContains(response, "10:00–11:00")
    assertNotContains(response, 'class="item__home"')


def test_itinerary_home_time_says_next_day(client, paris):
    visit = DelegationFactory(home_time_zone="Asia/Irkutsk")
    item = ItineraryItemFactory(
        delegation=visit, venue=paris, day=NOV_26, start_time=datetime.time(18, 0), end_time=None
    )

    response = item_page(client, item)

    assertContains(response, '<span class="item__home">· 01:00 home time (UTC+8) (next day)</span>', html=True)


def test_itinerary_timed_items_before_date_only_ones_of_the_day(client, paris):
    visit = DelegationFactory()
    ItineraryItemFactory(delegation=visit, venue=paris, title="Untimed", start_time=None, end_time=None, order=1)
    ItineraryItemFactory(
        delegation=visit, venue=paris, title="Afternoon", start_time=datetime.time(15, 0), end_time=None, order=2
    )
    ItineraryItemFactory(
        delegation=visit, venue=paris, title="Morning", start_time=datetime.time(9, 0), end_time=None, order=3
    )

    response = client.get(reverse("public:visit-detail", kwargs={"slug": visit.slug}))

    assert texts(response.content.decode(), "h5", "item__title") == ["Morning", "Afternoon", "Untimed"]


def test_itinerary_private_member_stands_as_their_organization(client, db):
    visit = DelegationFactory()
    dalkia = OrganizationFactory(name="Dalkia")
    DelegationMemberFactory(
        delegation=visit,
        person=PersonFactory(name="Hidden Person", is_public=False),
        organization=dalkia,
        role=DelegationMember.Role.BUSINESS,
        title="Head of exports",
    )

    response = client.get(reverse("public:visit-detail", kwargs={"slug": visit.slug}))

    assert texts(response.content.decode(), "ul", "member-list") == [
        "A representative of Dalkia Business representative"
    ]
    assertNotContains(response, "Hidden Person")
    assertNotContains(response, "Head of exports")


# Outcomes of the demo


@pytest.fixture
def outcomes_page(client, demo):
    return client.get(reverse("public:visit-outcomes", kwargs={"slug": demo.slug}))


def test_outcomes_agreement_kind_parties_date_place_and_item(demo, outcomes_page):
    agreement = demo.agreements.get()
    signing = demo.itinerary_items.get(kind=ItineraryItem.Kind.SIGNING)
    html = outcomes_page.content.decode()
    article = re.search(rf'<article class="outcome" id="agreement-{agreement.pk}">(.*?)</article>', html, re.S)[1]

    assert texts(article, "p", "outcome__kind") == ["Tripartite agreement · Signed"]
    assert re.findall(r"<li><a [^>]*>(.*?)</a></li>", article) == [
        "Fund of UNESCO Nanotechnology Prize Laureates",
        "French pedagogical institute (not named in the source)",
        "Insitilab LLC (International Communication Centre “STEM Baikal”)",
    ]
    assertContains(
        outcomes_page,
        '<div><dt>Signed on</dt><dd><time datetime="2018-11-27">27 November 2018</time></dd></div>',
        html=True,
    )
    assertContains(outcomes_page, "<div><dt>Place</dt><dd>Paris</dd></div>", html=True)
    assertContains(
        outcomes_page,
        f'<div><dt>During</dt><dd><a href="/delegations/{demo.slug}/#item-{signing.pk}">'
        "Signing of the tripartite agreement</a></dd></div>",
        html=True,
    )


def test_outcomes_follow_ups_status_next_step_and_origin(demo, outcomes_page):
    html = outcomes_page.content.decode()
    leon_berard = demo.itinerary_items.get(title="Visit to the Centre Léon-Bérard")

    assert re.findall(r'id="follow-up-\d+">.*?<h3>(.*?)</h3>', html, flags=re.S) == [
        "3rd Baikal International Ecological Water Forum, 19–20 September 2019",
        "Abiss: production of medical equipment in the Irkutsk region",
        "Arbiom: transforming woody biomass into protein in the Irkutsk region",
        "Health companies considering the Irkutsk region",
        "Visit of a group of Irkutsk doctors to the Centre Léon-Bérard",
    ]
    assert texts(html, "span", r"status status--\w+") == [
        "Proposed",
        "In negotiation",
        "In negotiation",
        "Proposed",
        "Agreed",
    ]
    assertContains(outcomes_page, "<div><dt>Next step</dt><dd>Organise the doctors' visit</dd></div>", html=True)
    assertContains(
        outcomes_page,
        f'<div><dt>Came from</dt><dd><a href="/delegations/{demo.slug}/#item-{leon_berard.pk}">'
        "Visit to the Centre Léon-Bérard</a></dd></div>",
        html=True,
    )


def test_outcomes_follow_up_links_its_meetings(demo, outcomes_page):
    eastmed = Meeting.objects.get(host_organization__slug="eastmed")

    assertContains(
        outcomes_page,
        f'<a href="/meetings/?delegation={demo.slug}#meeting-{eastmed.pk}">'
        "Government of the Irkutsk region "
        '<span class="native">(Правительство Иркутской области)</span> / Eastmed</a>',
        html=True,
    )


def test_outcomes_meeting_figures(demo, outcomes_page):
    """Five meetings held and twelve reported at the B2B session: seventeen, each counted once."""
    assertContains(
        outcomes_page,
        f'<div class="figure figure--held"><dt>Held</dt><dd>'
        f'<a href="/meetings/?delegation={demo.slug}&amp;status=held">5</a></dd></div>',
        html=True,
    )
    assertContains(
        outcomes_page,
        '<div class="figure figure--reported"><dt>Reported, not recorded one by one</dt><dd>12</dd></div>',
        html=True,
    )
    assertContains(outcomes_page, '<div class="figure figure--total"><dt>Total</dt><dd>17</dd></div>', html=True)
    assertNotContains(outcomes_page, "<dt>Requested</dt>")
    assertContains(
        outcomes_page, '<tr><th scope="row">Health</th><td class="num">5</td><td class="num">5</td></tr>', html=True
    )


# Visit list and its filters


@pytest.fixture
def visits(db):
    health, energy = SectorFactory(slug="health", name="Health"), SectorFactory(slug="energy", name="Energy")
    paris = VenueFactory(city="Paris")
    berlin = VenueFactory(city="Berlin", country="DE", time_zone="Europe/Berlin")
    irkutsk = DelegationFactory(
        slug="irkutsk", origin_country="RU", host_countries=["FR"], status=Delegation.Status.COMPLETED
    )
    irkutsk.priority_sectors.set([health])
    ItineraryItemFactory(delegation=irkutsk, venue=paris)
    shanghai = DelegationFactory(
        slug="shanghai",
        origin_country="CN",
        host_countries=["DE", "FR"],
        start_date=datetime.date(2018, 12, 30),
        end_date=datetime.date(2019, 1, 2),
        home_time_zone="Asia/Shanghai",
        status=Delegation.Status.CONFIRMED,
    )
    shanghai.priority_sectors.set([energy, health])
    ItineraryItemFactory(delegation=shanghai, venue=berlin)
    quebec = DelegationFactory(
        slug="quebec",
        origin_country="CA",
        host_countries=["DE"],
        start_date=datetime.date(2019, 5, 6),
        end_date=datetime.date(2019, 5, 8),
        home_time_zone="America/Toronto",
        status=Delegation.Status.PLANNED,
    )
    quebec.priority_sectors.set([energy])
    ItineraryItemFactory(delegation=quebec, venue=berlin)
    DelegationFactory(slug="draft", is_published=False, origin_country="RU")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["quebec", "shanghai", "irkutsk"]),
        ({"year": "2018"}, ["shanghai", "irkutsk"]),
        ({"year": "2019"}, ["quebec", "shanghai"]),
        ({"year": "2020"}, []),
        ({"origin_country": "RU"}, ["irkutsk"]),
        ({"origin_country": "CN"}, ["shanghai"]),
        ({"host_country": "FR"}, ["shanghai", "irkutsk"]),
        ({"host_country": "DE"}, ["quebec", "shanghai"]),
        ({"city": "paris"}, ["irkutsk"]),
        ({"city": "Berlin"}, ["quebec", "shanghai"]),
        ({"sector": "health"}, ["shanghai", "irkutsk"]),
        ({"sector": "energy"}, ["quebec", "shanghai"]),
        ({"status": "planned"}, ["quebec"]),
        ({"year": "2019", "host_country": "FR", "sector": "energy"}, ["shanghai"]),
    ],
)
def test_visit_list_filters_narrow(client, visits, query, expected):
    response = client.get(reverse("public:visit-list"), query)

    assert response.status_code == 200
    assert not response.context["filter"].errors
    assert slugs(response) == expected


LONG = "x" * 5000
SQL = "1 OR 1=1"
DROP = "'; DROP TABLE delegations_delegation; --"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("year", LONG),
        ("year", SQL),
        ("year", DROP),
        ("year", "abc"),
        ("year", "99999999999999999999"),
        ("year", "2018.5"),
        ("year", "NaN"),
        ("origin_country", LONG),
        ("origin_country", SQL),
        ("origin_country", DROP),
        ("origin_country", "ZZ"),
        ("host_country", "ZZ"),
        ("host_country", DROP),
        ("host_country", "F"),
        ("city", LONG),
        ("city", "Paris\x00"),
        ("sector", "no-such-sector"),
        ("sector", LONG),
        ("sector", SQL),
        ("sector", DROP),
        ("sector", "bad\x00slug"),
        ("status", "unknown"),
        ("status", LONG),
    ],
)
def test_visit_list_hostile_filter_value_is_a_form_error(client, visits, name, value):
    response = client.get(reverse("public:visit-list"), {name: value})

    assert response.status_code == 200
    assert list(response.context["filter"].errors) == [name]
    assertContains(response, 'class="field-error"')
    assert slugs(response) == []


@pytest.mark.parametrize("value", [SQL, DROP, "<script>alert(1)</script>"])
def test_visit_list_text_filter_takes_any_text_safely(client, visits, value):
    response = client.get(reverse("public:visit-list"), {"city": value})

    assert response.status_code == 200
    assert not response.context["filter"].errors
    assert slugs(response) == []
    assertNotContains(response, "<script>alert(1)</script>")


@pytest.mark.parametrize("page", ["abc", "999", "0", "-1", LONG])
def test_visit_list_bad_page_is_404(client, visits, page):
    assert client.get(reverse("public:visit-list"), {"page": page}).status_code == 404


def test_visit_list_paginates_keeping_filters(client, db):
    for number in range(25):
        DelegationFactory(title=f"Visit {number:02d}", origin_country="RU")

    first = client.get(reverse("public:visit-list"), {"origin_country": "RU"})
    second = client.get(reverse("public:visit-list"), {"origin_country": "RU", "page": "2"})

    assert len(first.context["object_list"]) == 20
    assertContains(first, '<a rel="next" href="?origin_country=RU&amp;page=2">Next</a>', html=True)
    assertContains(first, "Page 1 of 2")
    assert len(second.context["object_list"]) == 5


# Drafts and unknown addresses


@pytest.fixture
def draft(db):
    visit = DelegationFactory(title="Secret draft visit", slug="secret-draft", is_published=False)
    ItineraryItemFactory(delegation=visit, title="Secret draft item")
    return visit


@pytest.mark.parametrize("name", ["public:visit-detail", "public:visit-outcomes", "public:visit-calendar"])
def test_draft_is_404_to_the_public(client, draft, name):
    response = client.get(reverse(name, kwargs={"slug": draft.slug}))

    assert response.status_code == 404
    assertNotContains(response, "Secret draft", status_code=404)


@pytest.mark.parametrize("name", ["public:visit-detail", "public:visit-outcomes"])
def test_draft_previewed_by_staff_under_a_banner(staff_client, draft, name):
    response = staff_client.get(reverse(name, kwargs={"slug": draft.slug}))

    assert response.status_code == 200
    assertContains(
        response,
        '<p class="banner banner--draft" role="status"><strong>Draft</strong> — '
        "this visit is not published. Only staff can see this preview.</p>",
        html=True,
    )
    assertContains(response, "<h1>Secret draft visit</h1>", html=True)
    assertNotContains(response, "calendar.ics")


def test_draft_preview_needs_staff(client, draft, django_user_model):
    client.force_login(django_user_model.objects.create_user("partner", password="not-staff-password-123"))

    assert client.get(reverse("public:visit-detail", kwargs={"slug": draft.slug})).status_code == 404


def test_drafts_stay_off_home_list_and_search(client, draft):
    for response in (
        client.get(reverse("public:home")),
        client.get(reverse("public:visit-list")),
        client.get(reverse("public:search"), {"q": "secret"}),
    ):
        assert response.status_code == 200
        assertNotContains(response, "Secret draft")


@pytest.mark.parametrize(
    "name",
    [
        "public:visit-detail",
        "public:visit-outcomes",
        "public:organization-detail",
        "public:person-detail",
        "public:visit-calendar",
        "public:organization-calendar",
    ],
)
def test_unknown_slug_is_404(client, db, name):
    assert client.get(reverse(name, kwargs={"slug": "no-such-thing"})).status_code == 404


# Directory


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Правительство"}, ["government-irkutsk-region"]),
        (
            {"q": "иркутской"},
            [
                "government-irkutsk-region",
                "ministry-economic-development-irkutsk-region",
                "ministry-health-irkutsk-region",
            ],
        ),
        ({"q": "leon berard"}, ["centre-leon-berard"]),
        ({"q": "LÉON-BÉRARD"}, ["centre-leon-berard"]),
        ({"q": "sénat"}, ["french-senate"]),
        ({"sector": "nanotechnology"}, ["fund-unesco-nanotechnology-prize-laureates"]),
        (
            {"sector": "health"},
            [
                "abiss",
                "atf-implants",
                "centre-leon-berard",
                "dedienne-sante",
                "eastmed",
                "luxilon",
                "ministry-health-irkutsk-region",
                "symbios",
            ],
        ),
        ({"sector": "health", "q": "ministry"}, ["ministry-health-irkutsk-region"]),
        ({"country": "RU", "sector": "education"}, ["insitilab"]),
    ],
)
def test_directory_search_and_filters(client, demo, query, expected):
    response = client.get(reverse("public:organization-list"), query)

    assert response.status_code == 200
    assert sorted(slugs(response)) == expected


def test_directory_shows_native_name_beside_latin(client, demo):
    response = client.get(reverse("public:organization-list"), {"q": "Правительство"})

    assertContains(response, '<span class="native">Правительство Иркутской области</span>', html=True)


@pytest.mark.parametrize(("name", "value"), [("sector", "nope"), ("sector", LONG), ("country", "ZZ"), ("q", LONG)])
def test_directory_hostile_filter_value_is_a_form_error(client, demo, name, value):
    response = client.get(reverse("public:organization-list"), {name: value})

    assert response.status_code == 200
    assert list(response.context["filter"].errors) == [name]


@pytest.fixture
def profile(db):
    """An organization in a published and a draft visit, as party, follow-up partner and meeting side."""
    organization = OrganizationFactory(name="Abiss", slug="abiss")
    organization.sectors.set([SectorFactory(slug="health", name="Health")])
    for published in (True, False):
        word = "Public" if published else "Draft"
        visit = DelegationFactory(title=f"{word} visit", is_published=published)
        agreement = AgreementFactory(delegation=visit, title=f"{word} agreement")
        AgreementPartyFactory(agreement=agreement, organization=organization)
        AgreementPartyFactory(agreement=agreement, organization=OrganizationFactory(name=f"{word} partner"))
        follow_up = FollowUpFactory(
            delegation=visit, title=f"{word} follow-up", status="in_negotiation", next_step=f"{word} next step"
        )
        follow_up.organizations.add(organization)
    meeting_only = DelegationFactory(title="Meetings-only visit")
    MeetingFactory(delegation=meeting_only, host_organization=organization, start_time=None, end_time=None)
    PositionFactory(organization=organization, person=PersonFactory(name="Public Director"))
    PositionFactory(organization=organization, person=PersonFactory(name="Private Clerk", is_public=False))
    return organization


def test_organization_profile_lists_published_involvement_only(client, profile):
    response = client.get(reverse("public:organization-detail", kwargs={"slug": profile.slug}))

    assert [d.title for d in response.context["visits"]] == ["Meetings-only visit", "Public visit"]
    assert [a.title for a in response.context["agreements"]] == ["Public agreement"]
    assert [f.title for f in response.context["follow_ups"]] == ["Public follow-up"]
    assert [p.name for p in response.context["public_people"]] == ["Public Director"]
    assertContains(response, "Parties: Abiss, Public partner")
    assertContains(response, "Investment project · In negotiation")
    assertContains(response, "Next step: Public next step")
    assertContains(response, '<span class="tag">Health</span>', html=True)
    assertContains(response, f'<a href="/organizations/{profile.slug}/meetings/">Meetings</a>', html=True)
    assertContains(
        response, f'<a href="/organizations/{profile.slug}/calendar.ics" download>Calendar (.ics)</a>', html=True
    )
    for hidden in ("Draft", "Private Clerk"):
        assertNotContains(response, hidden)


def test_organization_profile_of_the_demo_centre(client, demo):
    response = client.get(reverse("public:organization-detail", kwargs={"slug": "centre-leon-berard"}))

    assert [d.slug for d in response.context["visits"]] == [demo.slug]
    assert [f.title for f in response.context["follow_ups"]] == [
        "Visit of a group of Irkutsk doctors to the Centre Léon-Bérard"
    ]
    assertContains(response, "Next step: Organise the doctors&#x27; visit")


# People


def test_person_page_shows_positions_visits_and_roles(client, demo):
    response = client.get(reverse("public:person-detail", kwargs={"slug": "serguei-levtchenko"}))

    assert response.status_code == 200
    assertContains(response, 'Sergueï Levtchenko <span class="native">Сергей Левченко</span>', html=True)
    assertContains(response, "Governor of the Irkutsk region, ")
    assertContains(
        response,
        'Member of the delegation · Head of delegation <span class="muted">— Governor of the Irkutsk region</span>',
    )
    assert [visit.delegation.slug for visit in response.context["visits"]] == [demo.slug]
    assert [a.kind for a in response.context["visits"][0].appearances] == ["member"] + ["delegate"] * 8


def test_person_page_of_a_host_lists_their_items(client, demo):
    response = client.get(reverse("public:person-detail", kwargs={"slug": "gerard-longuet"}))

    [visit] = response.context["visits"]
    assert [(a.kind, a.what, a.title) for a in visit.appearances] == [
        (
            "host",
            "Investment discussion with Senator Gérard Longuet",
            "President of the France–Russia friendship group at the Senate",
        )
    ]
    assertContains(response, "Senator of the Meuse")


def test_person_page_of_a_private_person_is_404(client, db):
    person = PersonFactory(name="Hidden Person", is_public=False)

    response = client.get(reverse("public:person-detail", kwargs={"slug": person.slug}))

    assert response.status_code == 404
    assertNotContains(response, "Hidden Person", status_code=404)


def test_person_page_hides_draft_visits(client, db):
    person = PersonFactory()
    DelegationMemberFactory(person=person, delegation=DelegationFactory(title="Draft visit", is_published=False))

    response = client.get(reverse("public:person-detail", kwargs={"slug": person.slug}))

    assert response.context["visits"] == []
    assertNotContains(response, "Draft visit")


# Search


@pytest.mark.parametrize(
    ("q", "visits", "organizations", "people"),
    [
        ("leon berard", [], ["centre-leon-berard"], []),
        ("Léon-Bérard", [], ["centre-leon-berard"], []),
        ("levtchenko", [], [], ["serguei-levtchenko"]),
        ("LEVCHENKO", [], [], ["serguei-levtchenko"]),
        ("Сергей", [], [], ["serguei-levtchenko"]),
        ("irkutsk france", ["irkutsk-region-france-2018"], [], []),
        ("делегация иркутской", ["irkutsk-region-france-2018"], [], []),  # its Russian title
        (
            "irkutsk region",
            ["irkutsk-region-france-2018"],
            [
                "agency-tourism-development-irkutsk-region",
                "government-irkutsk-region",
                "ministry-economic-development-irkutsk-region",
                "ministry-health-irkutsk-region",
            ],
            [],
        ),
        ("nothing-like-this", [], [], []),
    ],
)
def test_search_covers_visits_organizations_and_people(client, demo, q, visits, organizations, people):
    response = client.get(reverse("public:search"), {"q": q})

    assert response.status_code == 200
    assert slugs(response, "visits") == visits
    assert slugs(response, "organizations") == organizations
    assert slugs(response, "people") == people


def test_search_results_link_and_show_native_names(client, demo):
    response = client.get(reverse("public:search"), {"q": "Левченко"})

    assertContains(
        response,
        '<li><a href="/people/serguei-levtchenko/">Sergueï Levtchenko</a> '
        '<span class="native">(Сергей Левченко)</span></li>',
        html=True,
    )
    assertContains(response, 'value="Левченко"', count=2)


def test_search_never_finds_private_people(client, db):
    PersonFactory(name="Hidden Person", is_public=False)

    response = client.get(reverse("public:search"), {"q": "hidden person"})

    assert list(response.context["people"]) == []


@pytest.mark.parametrize("q", ["!!!", "'; --", "\x00", LONG, DROP, "%", "_"])
def test_search_hostile_text_finds_nothing_and_never_fails(client, demo, q):
    response = client.get(reverse("public:search"), {"q": q})

    assert response.status_code == 200
    for key in ("visits", "organizations", "people"):
        assert list(response.context.get(key, [])) == []


def test_header_search_box_on_every_page(client, demo):
    response = client.get(reverse("public:visit-list"))

    assertContains(
        response,
        '<input id="site-search-q" type="search" name="q" placeholder="Search" maxlength="200" value="">',
        html=True,
    )


# Query counts: the same literal count at 3 and at 30 rows, so that no N+1 creeps in.


@built_quietly()
def build_visits(size: int) -> None:
    for rank in range(size):
        visit = DelegationFactory(title=f"Irkutsk visit {rank}", origin_region="Irkutsk region")
        visit.priority_sectors.set([SectorFactory(slug="health", name="Health")])
        DelegationFactory(
            title=f"Upcoming Irkutsk visit {rank}",
            start_date=datetime.date.today() + datetime.timedelta(days=10 + rank),
            end_date=datetime.date.today() + datetime.timedelta(days=12 + rank),
        )


@built_quietly()
def build_organizations(size: int) -> Organization:
    """`size` organizations and people named Irkutsk, and one organization taking part in `size` visits."""
    health = SectorFactory(slug="health", name="Health")
    parent = OrganizationFactory(name="Irkutsk holding")
    for rank in range(size):
        organization = OrganizationFactory(name=f"Irkutsk company {rank}", native_name=f"Иркутск {rank}", parent=parent)
        organization.sectors.set([health, SectorFactory()])
        PositionFactory(person=PersonFactory(name=f"Irkutsk person {rank}"), organization=organization)
    focus = OrganizationFactory(name="Focus", slug="focus", parent=parent)
    focus.sectors.set([health])
    for rank in range(size):
        visit = DelegationFactory(title=f"Visit {rank}")
        visit.priority_sectors.set([health])
        ItineraryItemFactory(delegation=visit).hosts.add(focus)
        agreement = AgreementFactory(delegation=visit)
        AgreementPartyFactory(agreement=agreement, organization=focus)
        AgreementPartyFactory(agreement=agreement)
        FollowUpFactory(delegation=visit, sector=health).organizations.add(focus)
        MeetingFactory(delegation=visit, host_organization=focus, **slot(rank))
        OrganizationFactory(parent=focus)
        PositionFactory(organization=focus, person=PersonFactory(is_public=rank % 2 == 0))
    return focus


@built_quietly()
def build_person(size: int):
    person = PersonFactory(name="Traveller", slug="traveller", native_name="Путешественник")
    for rank in range(size):
        organization = OrganizationFactory()
        PositionFactory(person=person, organization=organization, title=f"Title {rank}")
        visit = DelegationFactory(title=f"Visit {rank}")
        DelegationMemberFactory(delegation=visit, person=person, organization=organization)
        ItineraryItemFactory(delegation=visit).delegation_participants.add(person)
        ItineraryItemFactory(delegation=visit).host_participants.add(person)
    return person


# A page of one visit asks once more when its page is not cached: the visit its address names (public.cache,
# for the key of the page); an organization's or a person's twice: that, and the visits it appears in.
def count_queries(client, django_assert_num_queries, expected: int, url: str, query=None):
    with django_assert_num_queries(expected):
        response = client.get(url, query or {})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", SIZES)
def test_queries_home(client, db, django_assert_num_queries, size):
    build_visits(size)

    response = count_queries(client, django_assert_num_queries, 4, reverse("public:home"))

    assert (len(response.context["upcoming"]), len(response.context["recent"])) == (size, min(size, 10))


@pytest.mark.parametrize("size", SIZES)
def test_queries_visit_list(client, db, django_assert_num_queries, size):
    build_visits(size)

    response = count_queries(
        client, django_assert_num_queries, 5, reverse("public:visit-list"), {"year": "2018", "sector": "health"}
    )

    assert response.context["paginator"].count == size


@pytest.mark.parametrize("size", SIZES)
def test_queries_itinerary(client, db, django_assert_num_queries, size):
    visit = build_visit(size)

    response = count_queries(
        client, django_assert_num_queries, 11, reverse("public:visit-detail", kwargs={"slug": visit.slug})
    )

    assert sum(len(block.items) for day in response.context["programme"] for block in day.cities) == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_queries_outcomes(client, db, django_assert_num_queries, size):
    visit = build_visit(size)

    # The follow-ups' meetings come with their two organizations in one query (outcome_prefetches); the
    # band of figures takes one (public.results reads every count in one statement).
    response = count_queries(
        client, django_assert_num_queries, 11, reverse("public:visit-outcomes", kwargs={"slug": visit.slug})
    )

    assert response.context["delegation"].agreements.all().count() == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_queries_organization_list(client, db, django_assert_num_queries, size):
    build_organizations(size)

    response = count_queries(
        client,
        django_assert_num_queries,
        5,
        reverse("public:organization-list"),
        {"sector": "health", "q": "irkutsk"},
    )

    assert response.context["paginator"].count == size


@pytest.mark.parametrize("size", SIZES)
def test_queries_organization_detail(client, db, django_assert_num_queries, size):
    focus = build_organizations(size)

    response = count_queries(
        client, django_assert_num_queries, 14, reverse("public:organization-detail", kwargs={"slug": focus.slug})
    )

    assert len(response.context["visits"]) == size
    assert response.text.count('<tr id="meeting-') == min(size, 10)


@pytest.mark.parametrize("size", SIZES)
def test_queries_person_detail(client, db, django_assert_num_queries, size):
    person = build_person(size)

    response = count_queries(
        client, django_assert_num_queries, 10, reverse("public:person-detail", kwargs={"slug": person.slug})
    )

    assert [len(visit.appearances) for visit in response.context["visits"]] == [3] * size


@pytest.mark.parametrize("size", SIZES)
def test_queries_search(client, db, django_assert_num_queries, size):
    build_organizations(size)
    build_visits(size)

    response = count_queries(client, django_assert_num_queries, 4, reverse("public:search"), {"q": "irkutsk"})

    # The companies and their parent, "Irkutsk holding".
    assert len(response.context["organizations"]) == min(size + 1, 25)
