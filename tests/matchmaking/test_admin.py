"""Matchmaking in the admin: the pages open for each staff group, a link's address is shown once, and
triage (accept, decline, merge, filters, the duplicate message) works through the admin's own forms."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from matchmaking.models import Invitation, MeetingRequest, Registration
from tests.factories import OrganizationFactory, SectorFactory
from tests.helpers import change_form_data
from tests.matchmaking.conftest import registration_post


@pytest.fixture
def registered(invitation, visit):
    """Dalkia registered through its link (in a browser of its own), asking to meet the ministry."""
    Client().post(reverse("matchmaking:registration", kwargs={"token": invitation[1]}), registration_post(visit))
    return Registration.objects.get()


def admin_urls(registered):
    request = MeetingRequest.objects.get()
    return [
        reverse("admin:matchmaking_invitation_changelist"),
        reverse("admin:matchmaking_invitation_change", args=[registered.invitation_id]),
        reverse("admin:matchmaking_registration_changelist"),
        reverse("admin:matchmaking_registration_change", args=[registered.pk]),
        reverse("admin:matchmaking_meetingrequest_changelist"),
        reverse("admin:matchmaking_meetingrequest_changelist") + "?mutual=yes&status=submitted&sector=wood",
        reverse("admin:matchmaking_meetingrequest_change", args=[request.pk]),
        reverse("admin:matchmaking_meetingrequest_history", args=[request.pk]),
    ]


@pytest.mark.parametrize("group", ["Editors", "Viewers"])
def test_admin_pages_open_for_staff_groups(member_client, registered, group):
    client = member_client(group)
    for url in admin_urls(registered):
        response = client.get(url)
        assert response.status_code == 200, url
    add = client.get(reverse("admin:matchmaking_invitation_add"))
    assert add.status_code == (200 if group == "Editors" else 403)


def test_registration_page_shows_wishes_and_availability(staff_client, registered, visit):
    page = staff_client.get(reverse("admin:matchmaking_registration_change", args=[registered.pk])).content.decode()
    assert "Claire Martin" in page
    assert "Biomass heating for Irkutsk schools." in page
    assert 'value="14:00:00"' in page and 'value="15:00:00"' in page


def test_invitation_created_in_admin_shows_its_address_once(staff_client, visit):
    response = staff_client.post(
        reverse("admin:matchmaking_invitation_add"),
        {
            "delegation": visit["delegation"].pk,
            "side": "host",
            "label": "for Dalkia",
            "sessions": [visit["session"].pk],
        },
    )
    assert response.status_code == 200
    (address,) = re.findall(r"http://testserver/invite/[\w-]+/", response.content.decode())
    invitation = Invitation.objects.get()
    token = address.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == Invitation.hash_token(token)
    assert list(invitation.sessions.all()) == [visit["session"]]
    assert "no-cache" in response["Cache-Control"]
    change = staff_client.get(reverse("admin:matchmaking_invitation_change", args=[invitation.pk])).content.decode()
    assert token not in change
    staff_client.logout()
    assert staff_client.get(address).status_code == 200


def test_revoke_action_closes_the_link(staff_client, invitation):
    link, token = invitation
    staff_client.post(
        reverse("admin:matchmaking_invitation_changelist"), {"action": "revoke", "_selected_action": [link.pk]}
    )
    assert staff_client.get(reverse("matchmaking:registration", kwargs={"token": token})).status_code == 404


def test_accept_and_decline_actions(staff_client, registered):
    request = MeetingRequest.objects.get()
    url = reverse("admin:matchmaking_meetingrequest_changelist")
    response = staff_client.post(url, {"action": "accept", "_selected_action": [request.pk]}, follow=True)
    assert "1 request accepted." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "accepted"
    assert request.history.latest().history_user.username == "boss"
    staff_client.post(url, {"action": "decline", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == "declined"


def test_merge_action_needs_two_requests(staff_client, registered, visit):
    request = MeetingRequest.objects.get()
    url = reverse("admin:matchmaking_meetingrequest_changelist")
    response = staff_client.post(url, {"action": "merge", "_selected_action": [request.pk]}, follow=True)
    assert "Select exactly two requests to merge." in response.content.decode()
    other = MeetingRequest.objects.create(
        delegation=visit["delegation"],
        asker_organization=OrganizationFactory(name="Dalkia (typed by staff)"),
        target_organization=visit["ministry"],
        reason="Typed by staff.",
    )
    response = staff_client.post(url, {"action": "merge", "_selected_action": [request.pk, other.pk]}, follow=True)
    assert "The requests were merged" in response.content.decode()
    assert list(MeetingRequest.objects.values_list("pk", flat=True)) == [request.pk]


def test_duplicate_request_in_admin_gets_a_message(staff_client, registered, visit):
    existing = MeetingRequest.objects.get()
    data = {
        "delegation": visit["delegation"].pk,
        "asker_organization": existing.asker_organization_id,
        "target_organization": existing.target_organization_id,
        "reason": "Again",
        "priority": "2",
        "status": "submitted",
    }
    response = staff_client.post(reverse("admin:matchmaking_meetingrequest_add"), data)
    assert response.status_code == 200
    assert "This organization already asked to meet that one during this visit." in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_duplicate_request_in_registration_inline_gets_a_message(staff_client, registered, visit):
    url = reverse("admin:matchmaking_registration_change", args=[registered.pk])
    data = change_form_data(staff_client.get(url))
    prefix = "requests"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-target_organization": str(visit["ministry"].pk),
            f"{prefix}-{total}-reason": "Twice",
            f"{prefix}-{total}-priority": "2",
            f"{prefix}-{total}-status": "submitted",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "This organization already asked to meet that one during this visit." in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_sector_and_mutual_filters(staff_client, registered, visit):
    back = MeetingRequest.objects.create(
        delegation=visit["delegation"],
        asker_organization=visit["ministry"],
        target_organization=registered.organization,
        reason="Delegation's wish, typed by staff.",
    )
    SectorFactory(slug="tourism", name="Tourism")
    url = reverse("admin:matchmaking_meetingrequest_changelist")
    mutual = staff_client.get(url + "?mutual=yes").context["cl"].result_list
    assert len(mutual) == 2
    assert {r.pk for r in staff_client.get(url + "?sector=wood").context["cl"].result_list} == {
        MeetingRequest.objects.exclude(pk=back.pk).get().pk,
        back.pk,
    }
    assert list(staff_client.get(url + "?sector=tourism").context["cl"].result_list) == []


# The same at any size: the lists read their rows, counts and mutual flags in one query each.
QUERIES_REQUESTS, QUERIES_REGISTRATIONS = 8, 6


@pytest.mark.parametrize("size", [2, 12])
def test_request_and_registration_lists_queries_do_not_grow(staff_client, visit, size, django_assert_num_queries):
    for n in range(size):
        company = OrganizationFactory(name=f"Company {n}")
        registration = Registration.objects.create(delegation=visit["delegation"], organization=company)
        MeetingRequest.objects.create(
            delegation=visit["delegation"],
            registration=registration,
            asker_organization=company,
            target_organization=visit["ministry"],
            reason="Why not.",
        )
    staff_client.get(reverse("admin:index"))  # the session and the user, read once
    with django_assert_num_queries(QUERIES_REQUESTS):
        assert staff_client.get(reverse("admin:matchmaking_meetingrequest_changelist")).status_code == 200
    with django_assert_num_queries(QUERIES_REGISTRATIONS):
        assert staff_client.get(reverse("admin:matchmaking_registration_changelist")).status_code == 200


def test_registration_page_shows_requests_received_and_mutual_rows(staff_client, registered, visit):
    MeetingRequest.objects.create(
        delegation=visit["delegation"],
        asker_organization=visit["ministry"],
        target_organization=registered.organization,
        reason="The delegation's wish.",
        priority=MeetingRequest.Priority.HIGH,
    )
    response = staff_client.get(reverse("admin:matchmaking_registration_change", args=[registered.pk]))
    page = response.content.decode()
    assert "Irkutsk Ministry of Economy</a> · High · Submitted" in page
    (inline,) = [i for i in response.context["inline_admin_formsets"] if i.formset.model is MeetingRequest]
    assert [form.instance.is_mutual for form in inline.formset.forms] == [True]
