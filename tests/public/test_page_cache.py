"""Published itineraries and outcomes are cached for anonymous visitors, and never shown out of date."""

import os
import re
import uuid

import pytest
import redis
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from contacts.models import Sector
from delegations.models import Agreement, DelegationMember, FollowUp, ItineraryItem, Venue
from public.cache import CONTENT_APPS, CSRF_PLACEHOLDER, is_shown
from tests.factories import AgreementPartyFactory, DelegationFactory, OrganizationFactory

REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def itinerary(demo) -> str:
    return reverse("public:visit-detail", kwargs={"slug": demo.slug})


def outcomes(demo) -> str:
    return reverse("public:visit-outcomes", kwargs={"slug": demo.slug})


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def without_token(html: str) -> str:
    """The page but its CSRF token, which every response masks differently."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def rename_visit(demo):
    demo.title_en = "Renamed visit"
    demo.save()
    return "Renamed visit"


def rename_leading_body(demo):
    demo.leading_body.name = "Renamed regional government"
    demo.leading_body.save()
    return "Renamed regional government"


def rename_item(demo):
    item = demo.itinerary_items.get(title_en="Meeting with the Russian Ambassador to France")
    item.title_en = "Renamed programme item"
    item.save()
    return "Renamed programme item"


def add_host(demo):
    demo.itinerary_items.order_by("pk").first().hosts.add(OrganizationFactory(name="Newly added host"))
    return "Newly added host"


def retitle_member(demo):
    member = DelegationMember.objects.filter(delegation=demo, person__is_public=True).order_by("pk").first()
    member.title_en = "Retitled member"
    member.save()
    return "Retitled member"


def rename_venue(demo):
    venue = Venue.objects.filter(itinerary_items__delegation=demo).order_by("pk").first()
    venue.name = "Renamed venue"
    venue.save()
    return "Renamed venue"


def rename_sector(demo):
    sector = Sector.objects.get(slug="health")
    sector.name_en = "Renamed sector"
    sector.save()
    return "Renamed sector"


def retitle_agreement(demo):
    agreement = Agreement.objects.filter(delegation=demo).order_by("pk").first()
    agreement.title_en = "Retitled agreement"
    agreement.save()
    return "Retitled agreement"


def add_party(demo):
    agreement = Agreement.objects.filter(delegation=demo).order_by("pk").first()
    AgreementPartyFactory(agreement=agreement, organization=OrganizationFactory(name="Newly added party"))
    return "Newly added party"


def change_next_step(demo):
    follow_up = FollowUp.objects.filter(delegation=demo).order_by("pk").first()
    follow_up.next_step_en = "A brand-new next step"
    follow_up.save()
    return "A brand-new next step"


def add_follow_up_organization(demo):
    follow_up = FollowUp.objects.filter(delegation=demo).order_by("pk").first()
    follow_up.organizations.add(OrganizationFactory(name="Newly involved organization"))
    return "Newly involved organization"


@pytest.mark.parametrize(
    ("url", "edit"),
    [
        (itinerary, rename_visit),
        (itinerary, rename_leading_body),
        (itinerary, rename_item),
        (itinerary, add_host),
        (itinerary, retitle_member),
        (itinerary, rename_venue),
        (itinerary, rename_sector),
        (outcomes, rename_visit),
        (outcomes, retitle_agreement),
        (outcomes, add_party),
        (outcomes, change_next_step),
        (outcomes, add_follow_up_organization),
    ],
)
def test_cached_page_changes_right_after_an_edit(client, demo, django_assert_num_queries, url, edit):
    page(client, url(demo))
    with django_assert_num_queries(0):
        cached = page(client, url(demo))

    expected = edit(demo)

    assert expected not in cached
    assert expected in page(client, url(demo))


def test_cached_itinerary_hides_a_person_made_private(client, demo):
    member = DelegationMember.objects.filter(delegation=demo, role="head").select_related("person").get()
    person_link = reverse("public:person-detail", kwargs={"slug": member.person.slug})
    assert person_link in page(client, itinerary(demo))

    member.person.is_public = False
    member.person.save()

    assert person_link not in page(client, itinerary(demo))


def test_cached_itinerary_gone_once_withdrawn_by_the_admin_action(client, demo, superuser):
    page(client, itinerary(demo))
    staff = Client()
    staff.force_login(superuser)

    staff.post(
        reverse("admin:delegations_delegation_changelist"),
        {"action": "unpublish", ACTION_CHECKBOX_NAME: [demo.pk]},
    )

    assert client.get(itinerary(demo)).status_code == 404


def test_cached_pages_keep_english_and_french_apart(client, demo):
    english = without_token(page(client, itinerary(demo), accept_language="en"))
    french = without_token(page(client, itinerary(demo), accept_language="fr"))

    assert without_token(page(client, itinerary(demo), accept_language="en")) == english
    assert without_token(page(client, itinerary(demo), accept_language="fr")) == french
    assert '<html lang="en">' in english and escape(demo.title_en) in english
    assert '<html lang="fr">' in french and escape(demo.title_fr) in french
    assert escape(demo.title_fr) not in english


def test_staff_preview_of_a_draft_is_never_cached(client, superuser):
    draft = DelegationFactory(slug="draft-visit", title="Secret draft", is_published=False)
    staff = Client()
    staff.force_login(superuser)

    assert "Secret draft" in page(staff, itinerary(draft))

    assert client.get(itinerary(draft)).status_code == 404
    assert cache.get(f"page:itinerary:{itinerary(draft)}:en") is None


@pytest.mark.parametrize("name", ["public:visit-detail", "public:visit-outcomes"])
def test_staff_preview_of_a_draft_is_stored_by_no_cache(superuser, name):
    draft = DelegationFactory(slug="draft-visit", title="Secret draft", is_published=False)
    staff = Client()
    staff.force_login(superuser)

    response = staff.get(reverse(name, args=[draft.slug]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_staff_get_public_pages_and_feeds_stored_by_no_cache(demo, superuser):
    staff = Client()
    staff.force_login(superuser)
    urls = [
        reverse("public:home"),
        reverse("public:visit-list"),
        reverse("public:organization-list"),
        itinerary(demo),
        outcomes(demo),
        reverse("public:meeting-list"),
        reverse("public:visit-calendar", args=[demo.slug]),
    ]

    assert {url: staff.get(url)["Cache-Control"] for url in urls} == dict.fromkeys(urls, "private, no-store")


def test_anonymous_public_pages_keep_their_caching_headers(client, demo):
    response = client.get(itinerary(demo))

    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_staff_get_the_live_page_not_the_anonymous_copy(client, demo, superuser, django_assert_max_num_queries):
    anonymous = page(client, itinerary(demo))
    staff = Client()
    staff.force_login(superuser)

    staffs = page(staff, itinerary(demo))

    assert reverse("admin:index") in staffs
    assert reverse("admin:index") not in anonymous
    assert reverse("admin:index") not in page(client, itinerary(demo))


def test_page_with_a_query_string_is_not_cached(client, demo, django_assert_max_num_queries):
    page(client, itinerary(demo) + "?utm_source=newsletter")

    with django_assert_max_num_queries(100) as captured:
        html = page(client, itinerary(demo) + "?utm_source=newsletter")

    assert len(captured) > 0
    assert 'value="/delegations/irkutsk-region-france-2018/?utm_source=newsletter"' in html


def test_cached_page_gives_each_visitor_their_own_working_csrf_token(demo):
    first = Client(enforce_csrf_checks=True)
    second = Client(enforce_csrf_checks=True)
    page(first, itinerary(demo))

    html = page(second, itinerary(demo))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(reverse("set_language"), {"language": "fr", "csrfmiddlewaretoken": token, "next": "/"})

    assert CSRF_PLACEHOLDER not in html
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis: a database number of its own, a key prefix for this run."""
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"No Redis at {REDIS_TEST_URL} (set TEST_REDIS_URL).")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_cached_page_on_redis_changes_right_after_an_edit(client, demo, redis_cache, django_assert_num_queries):
    page(client, itinerary(demo))
    with django_assert_num_queries(0):
        page(client, itinerary(demo))
    assert any(b":page:itinerary:" in key for key in redis_cache.scan_iter(f"{cache.key_prefix}:*"))

    expected = rename_item(demo)

    assert expected in page(client, itinerary(demo))
    assert ItineraryItem.objects.filter(title_en=expected).exists()


def test_cached_itinerary_loses_a_deleted_item(client, demo):
    item = demo.itinerary_items.get(title_en="Meeting with the Russian Ambassador to France")
    assert item.title_en in page(client, itinerary(demo))

    item.delete()

    assert item.title_en not in page(client, itinerary(demo))


def test_every_model_a_page_can_show_replaces_the_content_version():
    watched = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in CONTENT_APPS and is_shown(model)
    ]

    assert len(watched) > 20
    for model in watched:
        for signal in (post_save, post_delete, m2m_changed):
            assert signal.has_listeners(model), (model, signal)
