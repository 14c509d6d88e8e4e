"""A company registers through its link: organization, people, availability and requests saved; every
bad input refused with a message; a honeypot and a per-link rate limit against robots."""

import datetime

import pytest
from django.urls import reverse

from contacts.models import Organization, Person
from matchmaking.models import Availability, MeetingRequest, Registration
from tests.factories import OrganizationFactory, PersonFactory, PositionFactory
from tests.matchmaking.conftest import registration_post


@pytest.fixture
def url(invitation):
    return reverse("matchmaking:registration", kwargs={"token": invitation[1]})


def test_registration_creates_organization_people_availability_and_request(client, url, visit):
    response = client.post(url, registration_post(visit))
    assert response.status_code == 302
    assert response["Location"] == url
    registration = Registration.objects.get()
    assert registration.organization.name == "Dalkia"
    assert registration.organization_created is True
    assert [s.slug for s in registration.sectors.all()] == ["wood"]
    assert registration.profile == "Energy services; biomass boilers."
    person = Person.objects.get(name="Claire Martin")
    assert (person.email, person.phone, person.is_public) == (
        "claire.martin@dalkia.example",
        "+33 4 72 00 00 00",
        False,
    )
    assert person.positions.get().organization == registration.organization
    assert list(Availability.objects.values_list("session", "start_time", "end_time")) == [
        (visit["session"].pk, datetime.time(14, 0), datetime.time(14, 30)),
        (visit["session"].pk, datetime.time(15, 0), datetime.time(15, 30)),
    ]
    request = MeetingRequest.objects.get()
    assert (request.asker_organization, request.target_organization) == (registration.organization, visit["ministry"])
    assert (request.reason, request.priority, request.status) == (
        "Biomass heating for Irkutsk schools.",
        1,
        "submitted",
    )
    assert request.delegation == visit["delegation"]
    assert "Your registration is saved" in client.get(url).content.decode()


def test_registration_reuses_an_organization_and_person_whose_names_match(client, url, visit):
    dalkia = OrganizationFactory(name="DALKIA", slug="dalkia")
    known = PersonFactory(name="Claire Martin", is_public=False, email="", phone="+33 1 00 00 00 00")
    PositionFactory(person=known, organization=dalkia)
    client.post(url, registration_post(visit, organization_name="  Dalkïa "))
    registration = Registration.objects.get()
    assert registration.organization == dalkia
    assert registration.organization_created is False
    assert Organization.objects.filter(name__icontains="dalkia").count() == 1
    known.refresh_from_db()
    # Completed where empty, never overwritten from what the link's holder typed.
    assert (known.email, known.phone) == ("claire.martin@dalkia.example", "+33 1 00 00 00 00")
    assert Person.objects.filter(name="Claire Martin").count() == 1


def test_registration_does_not_reuse_an_organization_whose_name_only_resembles(client, url, visit):
    OrganizationFactory(name="Dalkia Energy", slug="dalkia-energy")
    client.post(url, registration_post(visit))
    assert Registration.objects.get().organization.name == "Dalkia"


def test_registration_reuses_the_one_organization_known_under_another_script_and_legal_form(client, url, visit):
    insitilab = OrganizationFactory(name="Insitilab", slug="insitilab", native_name="Инситилаб")
    client.post(url, registration_post(visit, organization_name="ООО «Инситилаб»"))
    registration = Registration.objects.get()
    assert (registration.organization, registration.organization_created) == (insitilab, False)
    insitilab.refresh_from_db()
    assert insitilab.other_names == ""  # a link's holder does not edit the organization's record


def test_registration_creates_an_organization_when_two_are_candidates(client, url, visit):
    OrganizationFactory(name="Insitilab", slug="insitilab")
    OrganizationFactory(name="Insitilab", slug="insitilab-2", city="Lyon")
    client.post(url, registration_post(visit, organization_name="Insitilab LLC"))
    registration = Registration.objects.get()
    assert (registration.organization.name, registration.organization_created) == ("Insitilab LLC", True)


def test_registration_asking_a_member_asks_their_organization_with_the_person(client, url, visit):
    member = visit["member"].person
    client.post(url, registration_post(visit, **{"wishes-0-target": f"person:{member.pk}"}))
    request = MeetingRequest.objects.get()
    assert (request.target_organization, request.target_person) == (visit["ministry"], member)


def test_registration_again_shows_it_and_withdraws_a_removed_wish(client, url, visit):
    client.post(url, registration_post(visit))
    page = client.get(url).content.decode()
    assert "claire.martin@dalkia.example" in page
    assert "Biomass heating for Irkutsk schools." in page
    assert "Save the changes" in page
    # The organization is fixed once registered: a posted other name is ignored.
    again = registration_post(
        visit, organization_name="Other", **{"wishes-INITIAL_FORMS": "1", "wishes-0-DELETE": "on"}
    )
    response = client.post(url, again)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.organization.name == "Dalkia"
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.WITHDRAWN
    client.post(url, registration_post(visit))
    assert MeetingRequest.objects.get().status == MeetingRequest.Status.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organization_name": ""}, "This field is required."),
        ({"organization_name": "x" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
        ({"profile": "x" * 1001}, "Ensure this value has at most 1000 characters (it has 1001)."),
        ({"attendees-0-email": "not-an-address"}, "Enter a valid email address."),
        ({"attendees-0-phone": "call me"}, "Give a phone number of digits"),
        (
            {"attendees-0-name": "", "attendees-0-email": "", "attendees-0-title": "", "attendees-0-phone": ""},
            "Name at least one person who will attend.",
        ),
        ({"wishes-0-reason": ""}, "Say in a few words why you want to meet them."),
        ({"wishes-0-target": ""}, "Choose whom you want to meet, or clear the reason"),
        ({"wishes-0-reason": "x" * 501}, "Ensure this value has at most 500 characters (it has 501)."),
        ({"wishes-0-target": "org:999999"}, "Select a valid choice."),
        ({"wishes-0-priority": "7"}, "Select a valid choice."),
        ({"slots": []}, "Tick at least one slot when you can meet."),
        ({"slots": ["1@03:00"]}, "Select a valid choice."),
        ({"sectors": ["no-such-sector"]}, "Select a valid choice."),
        ({"wishes-1-target": "org:{ministry}", "wishes-1-reason": "Again."}, "You asked to meet Irkutsk Ministry"),
        (
            {"attendees-1-name": "B", "attendees-1-email": "CLAIRE.martin@dalkia.example"},
            "an e-mail address of their own",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(client, url, visit, overrides, message):
    overrides = {
        k: v.replace("{ministry}", str(visit["ministry"].pk)) if isinstance(v, str) else v for k, v in overrides.items()
    }
    response = client.post(url, registration_post(visit, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert not MeetingRequest.objects.exists()
    assert not Organization.objects.filter(name="Dalkia").exists()


def test_too_many_people_or_wishes_are_refused(client, url, visit):
    response = client.post(url, registration_post(visit, **{"attendees-TOTAL_FORMS": "6", "wishes-TOTAL_FORMS": "11"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please submit at most 5 forms." in page
    assert "Please submit at most 10 forms." in page
    assert not Registration.objects.exists()


def test_missing_management_form_is_a_message(client, url, visit):
    data = registration_post(visit)
    del data["wishes-TOTAL_FORMS"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ManagementForm data is missing or has been tampered with" in response.content.decode()


def test_honeypot_filled_saves_nothing(client, url, visit):
    response = client.post(url, registration_post(visit, website="http://spam.example"))
    assert response.status_code == 400
    assert "This field must stay empty." in response.content.decode()
    assert not Registration.objects.exists()


def test_posts_beyond_the_links_hourly_limit_get_429(client, url, visit, settings):
    settings.MATCHMAKING_POSTS_PER_HOUR = 3
    bad = registration_post(visit, organization_name="")
    assert [client.post(url, bad).status_code for _ in range(3)] == [400, 400, 400]
    response = client.post(url, registration_post(visit))
    assert response.status_code == 429
    assert "too many times in the last hour" in response.content.decode()
    assert not Registration.objects.exists()
    assert client.get(url).status_code == 200  # reading stays open


def test_csrf_is_required(url, visit):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, registration_post(visit))
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_organization_registered_already_for_the_visit_is_a_message(client, url, visit):
    from matchmaking.models import Registration as R

    dalkia = OrganizationFactory(name="Dalkia", slug="dalkia")
    R.objects.create(delegation=visit["delegation"], organization=dalkia, side="host")
    response = client.post(url, registration_post(visit))
    assert response.status_code == 400
    assert "This organization is already registered for this visit: ask the organiser." in response.content.decode()
    assert R.objects.count() == 1
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize("size", [1, 8])
def test_registration_page_queries_do_not_grow_with_the_visit(client, url, visit, size, django_assert_num_queries):
    from delegations.models import ItineraryItem
    from tests.factories import DelegationMemberFactory, ItineraryItemFactory, SectorFactory

    for n in range(size):
        DelegationMemberFactory(
            delegation=visit["delegation"],
            person=PersonFactory(name=f"Member {n}", is_public=True),
            organization=OrganizationFactory(name=f"Body {n}"),
        )
        ItineraryItemFactory(
            delegation=visit["delegation"],
            kind=ItineraryItem.Kind.B2B_SESSION,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(10, 0),
            b2b_slot_minutes=15,
        )
        SectorFactory()
    with django_assert_num_queries(8):  # the agenda is one query more
        response = client.get(url)
    assert response.status_code == 200


def test_the_slots_are_grouped_under_each_session_dated_as_the_site_dates(client, url, visit):
    session = visit["session"]
    session.day = datetime.date(2018, 11, 27)
    session.save()
    page = client.get(url).content.decode()
    assert "B2B session, Lyon · 27 November 2018" in page
    assert "2018-11-27" not in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "B2B session, Lyon · 27 novembre 2018" in page
