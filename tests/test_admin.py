import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from contacts.models import Organization, Person
from delegations.models import (
    Agreement,
    AgreementParty,
    Delegation,
    DelegationMember,
    ItineraryItem,
)
from matchmaking.models import Availability, MeetingRequest, Registration, RegistrationAttendee
from meetings.models import Meeting
from tests.builders import ROW_BUILDERS, built_quietly
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DelegationFactory,
    DelegationMemberFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    VenueFactory,
)

DOMAIN_APPS = ("contacts", "delegations", "meetings", "matchmaking", "mailings")
ADMIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
INLINE_ADMIN_MODELS = [model for model in ADMIN_MODELS if admin.site._registry[model].inlines]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def label(model):
    return model._meta.label


# Rows the application derives and staff never edit.
DERIVED_MODELS = {"meetings.Booking"}


def test_every_domain_model_registered_in_admin():
    domain_models = {
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.model_name.startswith("historical")  # shown on each record's history page
    }

    unregistered = {model._meta.label for model in domain_models - set(admin.site._registry)}
    assert unregistered == DERIVED_MODELS


# Each builder adds n rows of its model, with every relation its changelist shows filled in.


@pytest.fixture
def every_model(demo):
    """The demo visit, and a row of each model it leaves empty."""
    with built_quietly():
        for model, add_rows in ROW_BUILDERS.items():
            if not model._default_manager.exists():
                add_rows(1)


# Made by Schedule all's actions and shown read-only: no add page, a page to view each.
# Likewise the visits as Send agendas lists them, and the log its tasks write.
ACTION_MADE_MODELS = {
    "matchmaking.B2BSession": "View B2B session to schedule",
    "matchmaking.SchedulingProposal": None,
    "mailings.AgendaMailing": "View agenda mailing",
    "mailings.AgendaSend": "View agenda e-mail",
}


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=label)
def test_admin_pages_render_for_superuser(staff_client, every_model, model):
    obj = model._default_manager.first()

    if label(model) in ACTION_MADE_MODELS:
        assertContains(staff_client.get(admin_url(model, "changelist")), admin_url(model, "change", obj.pk))
        assert staff_client.get(admin_url(model, "add")).status_code == 403
        title = ACTION_MADE_MODELS[label(model)] or "Schedule all: the proposal"
        assertContains(staff_client.get(admin_url(model, "change", obj.pk)), title)
        return
    assertContains(staff_client.get(admin_url(model, "changelist")), f'href="{admin_url(model, "change", obj.pk)}"')
    assertContains(staff_client.get(admin_url(model, "add")), f"<h1>Add {model._meta.verbose_name}</h1>")
    assertContains(
        staff_client.get(admin_url(model, "change", obj.pk)),
        f"<title>{escape(str(obj))} | Change {model._meta.verbose_name} | ",
    )


def changelist_queries(client, model) -> tuple[int, int]:
    """The changelist's row count and the number of queries it took."""
    ContentType.objects.clear_cache()  # counts do not depend on what earlier tests cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return response.context["cl"].result_count, len(queries)


# User, count, full count, rows, the date hierarchy, filters' choices, related prefetches (the session is
# read from the cache: config.settings.SESSION_ENGINE).
CHANGELIST_QUERIES = {
    "contacts.Organization": 6,
    "contacts.Person": 5,
    "contacts.Position": 6,
    "contacts.Sector": 4,
    "delegations.Agreement": 9,
    "delegations.AgreementParty": 7,
    "delegations.Delegation": 9,
    "delegations.DelegationMember": 7,
    "delegations.FollowUp": 9,
    "delegations.ItineraryItem": 8,
    "delegations.ShareLink": 5,
    "delegations.Venue": 7,
    # No full count, the years from MIN/MAX (no date hierarchy); the busiest organizations and the
    # cities are read once per content change, here after rows were added. The page's venues, sectors
    # and organizations (both sides at once) are read by a query each (joined, a search's thousands of
    # matches were joined to both organizations before the page was cut).
    "meetings.Meeting": 11,
    "meetings.MeetingParticipant": 7,
    "matchmaking.Availability": 5,
    "matchmaking.Invitation": 5,
    # The mutual flag is a subquery of the rows' query; the visit filter's choices are read once.
    "matchmaking.B2BSession": 7,
    "matchmaking.MeetingRequest": 8,
    "matchmaking.Registration": 6,
    "matchmaking.RegistrationAttendee": 4,
    "matchmaking.SchedulingProposal": 5,
    "matchmaking.SessionAgenda": 5,
    # The agendas and e-mails sent are counted in the rows' query.
    "mailings.AgendaMailing": 6,
    # The visit filter's choices are read once.
    "mailings.AgendaSend": 8,
}


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=label)
def test_changelist_queries_same_at_3_and_30_rows(staff_client, model):
    with built_quietly():
        ROW_BUILDERS[model](3)
    at_3 = changelist_queries(staff_client, model)
    with built_quietly():
        ROW_BUILDERS[model](27)
    at_30 = changelist_queries(staff_client, model)

    expected = CHANGELIST_QUERIES[model._meta.label]
    assert (at_3, at_30) == ((3, expected), (30, expected))


# Each builder makes an object and adds n rows to every inline of its change page.


def delegation_with_rows(obj, n):
    organization, host = OrganizationFactory.create_batch(2)
    members = DelegationMemberFactory.create_batch(n, delegation=obj, organization=organization)
    for item in ItineraryItemFactory.create_batch(n, delegation=obj):
        item.hosts.add(host)
        item.delegation_participants.add(members[0].person)
        item.host_participants.add(PersonFactory())
    for follow_up in FollowUpFactory.create_batch(n, delegation=obj):
        follow_up.organizations.add(host)


def agreement_with_rows(obj, n):
    AgreementPartyFactory.create_batch(n, agreement=obj, signatory=PersonFactory())


def meeting_with_rows(obj, n):
    MeetingParticipantFactory.create_batch(n, meeting=obj)


def person_with_rows(obj, n):
    PositionFactory.create_batch(n, person=obj)


def registration_with_rows(obj, n):
    for _ in range(n):
        RegistrationAttendee.objects.create(registration=obj, person=PersonFactory())
    first = obj.availability.count()
    for minute in range(first, first + n):
        Availability.objects.create(
            registration=obj,
            session=obj.delegation.itinerary_items.get(),
            start_time=datetime.time(10, minute),
            end_time=datetime.time(11, minute),
        )
    for target in OrganizationFactory.create_batch(n):
        MeetingRequest.objects.create(
            delegation=obj.delegation,
            registration=obj,
            asker_organization=obj.organization,
            target_organization=target,
            reason="Boilers.",
        )


def registration_factory():
    session = ItineraryItemFactory(kind=ItineraryItem.Kind.B2B_SESSION)
    return Registration.objects.create(delegation=session.delegation, organization=OrganizationFactory())


INLINE_ROW_BUILDERS = {
    Registration: (registration_factory, registration_with_rows),
    Delegation: (DelegationFactory, delegation_with_rows),
    Agreement: (AgreementFactory, agreement_with_rows),
    Meeting: (MeetingFactory, meeting_with_rows),
    Person: (PersonFactory, person_with_rows),
}

# Each includes the state the form carries (core.concurrency), not the session (read from the cache): a query
# for the record, one for each inline's rows and one for the links of every many-to-many field of either,
# whatever the number of rows. An agreement's signing item and a meeting's session and follow-ups are a plain
# list of the record's visit's (one query each), not an autocomplete over every visit's
# (delegations.admin.SameVisitChoicesMixin). A visit's itinerary rows do not read their hosts and participants:
# staff's page leaves each row's detail out.
CHANGE_PAGE_QUERIES = {
    "contacts.Person": 8,
    "delegations.Agreement": 12,
    "delegations.Delegation": 19,
    "meetings.Meeting": 17,
    "matchmaking.Registration": 19,
}


def change_page_queries(client, obj) -> tuple[list[int], int]:
    """The number of rows in each inline of the change page and the number of queries it took."""
    ContentType.objects.clear_cache()  # counts do not depend on what earlier tests cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    return [inline.formset.initial_form_count() for inline in response.context["inline_admin_formsets"]], len(queries)


@pytest.mark.parametrize("model", INLINE_ADMIN_MODELS, ids=label)
def test_change_page_queries_same_at_3_and_30_inline_rows(staff_client, model):
    factory, add_rows = INLINE_ROW_BUILDERS[model]
    with built_quietly():
        obj = factory()
        add_rows(obj, 3)
    rows_3, at_3 = change_page_queries(staff_client, obj)
    with built_quietly():
        add_rows(obj, 27)
    rows_30, at_30 = change_page_queries(staff_client, obj)

    expected = CHANGE_PAGE_QUERIES[model._meta.label]
    inlines = len(admin.site._registry[model].inlines)
    assert (rows_3, at_3, rows_30, at_30) == ([3] * inlines, expected, [30] * inlines, expected)


def search_results(client, model, query):
    return list(client.get(admin_url(model, "changelist"), {"q": query}).context["cl"].result_list)


@pytest.mark.parametrize("query", ("Иркутской", "иркутской области", "ИРКУТСКОЙ", "Irkutsk", "irkutsk REGION"))
def test_organization_search_finds_name_in_either_script(staff_client, query):
    irkutsk = OrganizationFactory(
        name="Government of the Irkutsk region", native_name="Правительство Иркутской области"
    )
    OrganizationFactory(name="Métropole de Lyon", native_name="")

    assert search_results(staff_client, Organization, query) == [irkutsk]


@pytest.mark.parametrize("query", ("Левченко", "сергей левченко", "Levchenko", "sergey"))
def test_person_search_finds_name_in_either_script(staff_client, query):
    levchenko = PersonFactory(name="Sergey Levchenko", native_name="Сергей Левченко")
    PersonFactory(name="Gérard Collomb", native_name="")

    assert search_results(staff_client, Person, query) == [levchenko]


def test_organization_search_ignores_accents(staff_client):
    centre = OrganizationFactory(name="Centre Léon-Bérard")
    OrganizationFactory(name="Government of the Irkutsk region")

    assert search_results(staff_client, Organization, "leon berard") == [centre]


def test_delegation_changelist_filters_by_origin_and_host_country(staff_client):
    irkutsk_in_france = DelegationFactory(origin_country="RU", host_countries=["FR", "CH"])
    DelegationFactory(origin_country="RU", host_countries=["CN"])
    DelegationFactory(origin_country="KZ", host_countries=["FR"])

    response = staff_client.get(
        admin_url(Delegation, "changelist"), {"origin_country": "RU", "host_countries__contains": "FR"}
    )

    assert list(response.context["cl"].result_list) == [irkutsk_in_france]
    assertContains(response, 'data-filter-title="origin country"')
    assertContains(response, 'data-filter-title="host countries"')


def management_form(prefix, total, min_num=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": str(min_num),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_rows(prefix, rows):
    return {f"{prefix}-{index}-{name}": value for index, row in enumerate(rows) for name, value in row.items()}


@pytest.fixture
def visit_post(db):
    """Builds the add form of a visit in Paris, 26-29 November 2018, with members and items inline."""
    organiser, host = OrganizationFactory.create_batch(2)
    governor, minister = PersonFactory.create_batch(2)
    venue = VenueFactory(name="Senate", city="Paris", time_zone="Europe/Paris")

    def build(item_day):
        members = (
            {"order": "1", "person": governor.pk, "role": "head", "title_en": "Governor", "organization": ""},
            {"order": "2", "person": minister.pk, "role": "minister", "title_en": "Minister", "organization": ""},
        )
        items = (
            {
                "day": item_day,
                "start_time": "10:00",
                "end_time": "11:30",
                "kind": "official_meeting",
                "title_en": "Meeting at the Senate",
                "venue": venue.pk,
                "city": "",
                "time_zone": "",
                "hosts": [host.pk],
                "reported_meetings": "",
            },
        )
        return {
            "title_en": "Irkutsk region in Paris",
            "slug": "irkutsk-region-paris",
            "status": "confirmed",
            "origin_country": "RU",
            "origin_region": "Irkutsk region",
            "leading_body": "",
            "home_time_zone": "Asia/Irkutsk",
            "host_countries": ["FR"],
            "start_date": "2018-11-26",
            "end_date": "2018-11-29",
            "purpose": "",
            "organiser": organiser.pk,
            "description": "",
            **management_form("members", len(members)),
            **inline_rows("members", members),
            **management_form("itinerary_items", len(items)),
            **inline_rows("itinerary_items", items),
            **management_form("follow_ups", 0),
        }

    build.people = (governor, minister)
    build.host, build.venue = host, venue
    return build


def test_delegation_add_saves_members_and_items_inline(staff_client, visit_post):
    response = staff_client.post(admin_url(Delegation, "add"), visit_post("2018-11-27"))

    assert response.status_code == 302, [f.formset.errors for f in response.context["inline_admin_formsets"]]
    assertRedirects(response, admin_url(Delegation, "changelist"))
    delegation = Delegation.objects.get(slug="irkutsk-region-paris")
    assert [(m.person, m.role, m.title) for m in delegation.members.all()] == [
        (visit_post.people[0], "head", "Governor"),
        (visit_post.people[1], "minister", "Minister"),
    ]
    item = delegation.itinerary_items.get()
    assert (item.day, item.start_time, item.venue, item.city, item.time_zone, list(item.hosts.all())) == (
        datetime.date(2018, 11, 27),
        datetime.time(10, 0),
        visit_post.venue,
        "Paris",
        "Europe/Paris",
        [visit_post.host],
    )
    assert item.starts_at == datetime.datetime(2018, 11, 27, 9, 0, tzinfo=datetime.UTC)


def test_delegation_add_refuses_item_outside_visit(staff_client, visit_post):
    response = staff_client.post(admin_url(Delegation, "add"), visit_post("2018-12-05"))

    assertContains(
        response, "5 December 2018 is outside the visit, which runs from 26 November 2018 to 29 November 2018."
    )
    assert (Delegation.objects.count(), DelegationMember.objects.count(), ItineraryItem.objects.count()) == (0, 0, 0)


def test_delegation_add_reports_malformed_member_person(staff_client, visit_post):
    data = {**visit_post("2018-11-27"), "members-0-person": "not-a-number"}

    response = staff_client.post(admin_url(Delegation, "add"), data)

    assertContains(response, "Select a valid choice. That choice is not one of the available choices.")
    assert Delegation.objects.count() == 0


def agreement_post(delegation, organizations):
    parties = [
        {"order": str(order), "organization": organization.pk, "signatory": "", "signatory_title": ""}
        for order, organization in enumerate(organizations)
    ]
    return {
        "delegation": delegation.pk,
        "kind": "mou",
        "title_en": "Memorandum on wood processing",
        "subject": "",
        "signed_on": "2018-11-27",
        "place": "Paris",
        "signing_item": "",
        "status": "signed",
        **management_form("parties", len(parties), min_num=2),
        **inline_rows("parties", parties),
    }


def test_agreement_add_refuses_single_party(staff_client):
    delegation = DelegationFactory()

    response = staff_client.post(admin_url(Agreement, "add"), agreement_post(delegation, [OrganizationFactory()]))

    assertContains(response, "An agreement needs at least two different parties.")
    assert (Agreement.objects.count(), AgreementParty.objects.count()) == (0, 0)


def test_agreement_add_saves_two_parties(staff_client):
    delegation = DelegationFactory()
    irkutsk, lyon = OrganizationFactory.create_batch(2)

    response = staff_client.post(admin_url(Agreement, "add"), agreement_post(delegation, [irkutsk, lyon]))

    assertRedirects(response, admin_url(Agreement, "changelist"))
    agreement = Agreement.objects.get()
    assert (agreement.title, [party.organization for party in agreement.parties.all()]) == (
        "Memorandum on wood processing",
        [irkutsk, lyon],
    )


@pytest.mark.parametrize("value", ["abc", "9223372036854775808"], ids=["letters", "beyond-64-bits"])
@pytest.mark.parametrize("model", [m for m in ADMIN_MODELS if admin.site._registry[m].autocomplete_fields], ids=label)
def test_add_page_with_malformed_autocomplete_values_shows_form_errors(staff_client, model, value):
    """Posting "abc", or a number no key column holds, where an autocomplete expects an id is a form
    error, not a server error."""
    fields = admin.site._registry[model].autocomplete_fields

    response = staff_client.post(admin_url(model, "add"), dict.fromkeys(fields, value))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert model.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "count", "message", "published"),
    [
        ("publish", 1, "1 visit published.", True),
        ("publish", 2, "2 visits published.", True),
        ("unpublish", 1, "1 visit withdrawn to draft.", False),
        ("unpublish", 2, "2 visits withdrawn to draft.", False),
    ],
)
def test_delegation_publish_actions_message_counts_in_singular_or_plural(
    staff_client, action, count, message, published
):
    visits = [DelegationFactory(is_published=not published) for _ in range(count)]

    response = staff_client.post(
        reverse("admin:delegations_delegation_changelist"),
        {"action": action, "_selected_action": [visit.pk for visit in visits]},
        follow=True,
    )

    assertContains(response, f'<li class="success">{message}</li>', html=True)
    assert [visit.is_published for visit in Delegation.objects.all()] == [published] * count
