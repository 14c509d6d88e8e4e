"""Nothing a company submits through its link is public: not its people's contact details, not its profile
or reasons, not even its name while it meets no one in a published visit."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from matchmaking.models import Registration
from tests.factories import MeetingFactory
from tests.matchmaking.conftest import registration_post

SECRETS = ("claire.martin@dalkia.example", "+33 4 72 00 00 00", "biomass boilers", "Biomass heating", "Claire Martin")


@pytest.fixture
def registered(invitation, visit):
    Client().post(reverse("matchmaking:registration", kwargs={"token": invitation[1]}), registration_post(visit))
    return Registration.objects.get()


def public_pages(visit, registered):
    delegation = visit["delegation"]
    return [
        reverse("public:home"),
        reverse("public:visit-detail", kwargs={"slug": delegation.slug}),
        reverse("public:visit-outcomes", kwargs={"slug": delegation.slug}),
        reverse("public:visit-calendar", kwargs={"slug": delegation.slug}),
        reverse("public:meeting-list") + f"?delegation={delegation.slug}",
        reverse("public:meeting-export-csv") + f"?delegation={delegation.slug}",
        reverse("public:organization-list"),
        reverse("public:search") + "?q=dalkia",
        reverse("public:sitemap", kwargs={"section": "organizations"}),
    ]


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_a_submitted_registration_appears_on_no_public_page(client, visit, registered):
    for url in public_pages(visit, registered):
        response = client.get(url)
        assert response.status_code == 200, url
        text = streamed(response)
        assert "Dalkia" not in text, url
        for secret in SECRETS:
            assert secret not in text, (url, secret)
    detail = reverse("public:organization-detail", kwargs={"slug": registered.organization.slug})
    assert client.get(detail).status_code == 404


def test_once_it_meets_in_a_published_visit_only_its_name_is_public(client, visit, registered):
    MeetingFactory(
        delegation=visit["delegation"],
        session=visit["session"],
        date=visit["session"].day,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(14, 30),
        table="1",
        delegation_organization=visit["ministry"],
        host_organization=registered.organization,
        status="confirmed",
    )
    detail = reverse("public:organization-detail", kwargs={"slug": registered.organization.slug})
    pages = [*public_pages(visit, registered), detail]
    texts = {url: streamed(client.get(url)) for url in pages}
    assert "Dalkia" in texts[detail]
    assert "Dalkia" in texts[reverse("public:meeting-export-csv") + f"?delegation={visit['delegation'].slug}"]
    for url, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, (url, secret)
