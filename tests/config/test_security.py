"""Hardened settings: Django's deployment checklist, host and CSRF checks, the Content-Security-Policy."""

import datetime
import os
import re
import secrets

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from delegations.models import ItineraryItem
from meetings.models import Meeting
from tests.builders import ROW_BUILDERS
from tests.factories import ItineraryItemFactory, MeetingFactory
from tests.helpers import blocked_inline_code, manage

DEMO = "irkutsk-region-france-2018"


def production_env(**extra) -> dict[str, str]:
    """The environment of a production server: only what the README asks for, nothing from the test run."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "visits.example.org",
        **extra,
    }


# Django's deployment checklist


def test_deploy_check_passes_with_production_environment():
    env = production_env(DJANGO_REDIS_URL="redis://127.0.0.1:6379/14")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_warns_when_production_turns_https_off():
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_COOKIES="false")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 1
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


@pytest.mark.parametrize("workers", ["", "4"])
def test_deploy_check_warns_when_several_workers_share_no_cache(workers):
    env = production_env(**({"GUNICORN_WORKERS": workers} if workers else {}))

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 1
    assert "?: (core.W001) The default cache (LocMemCache) is local to each process" in result.stderr
    assert "Set DJANGO_REDIS_URL" in result.stderr


def test_deploy_check_passes_with_one_worker_and_no_redis():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(GUNICORN_WORKERS="1"))

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_take_https_variables():
    env = production_env(
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SECURE_HSTS_PRELOAD="false",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://visits.example.org",
    )
    names = (
        "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD "
        "SECURE_PROXY_SSL_HEADER SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE CSRF_COOKIE_HTTPONLY CSRF_TRUSTED_ORIGINS"
    )
    code = f"from django.conf import settings; print([getattr(settings, name) for name in {names.split()!r}])"

    result = manage("shell", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "[True, 600, False, False, ('HTTP_X_FORWARDED_PROTO', 'https'), True, True, True, "
        "['https://visits.example.org']]"
    )


def test_https_headers_on_a_secure_request(client, db):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_request_redirected_to_https_when_redirect_on(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/delegations/?year=2018")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/delegations/?year=2018"


# Host header and CSRF


def test_foreign_host_header_gets_400(client, db, settings):
    settings.ALLOWED_HOSTS = ["visits.example.org"]

    assert client.get("/", headers={"host": "visits.example.org"}).status_code == 200
    response = client.get("/", headers={"host": "attacker.example.com"})

    assert response.status_code == 400
    assert b"Bad Request (400)" in response.content


def test_admin_login_post_without_csrf_token_gets_403(superuser):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("admin:login"), {"username": "boss", "password": "correct-horse-battery"})

    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content
    assert "_auth_user_id" not in client.session


def test_admin_login_post_with_csrf_token_logs_in(superuser):
    client = Client(enforce_csrf_checks=True)
    token = client.get(reverse("admin:login")).cookies["csrftoken"].value

    response = client.post(
        reverse("admin:login"), {"username": "boss", "password": "correct-horse-battery", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(superuser.pk)


def test_language_switch_post_without_csrf_token_gets_403(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    assert response.status_code == 403
    assert "django_language" not in response.cookies


# Content-Security-Policy


def csp_directives(response) -> dict[str, list[str]]:
    """The policy as {directive: sources}, the request's nonce shown as 'nonce-…'."""
    policy = re.sub(r"'nonce-[A-Za-z0-9+/=]+'", "'nonce-…'", response["Content-Security-Policy"])
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def assert_strict_policy(response):
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    directives = csp_directives(response)
    # Pages that keep an inline block give it the request's nonce; the others need none.
    for name in ("script-src", "style-src"):
        directives[name] = [source for source in directives[name] if source != "'nonce-…'"]
    assert directives == EXPECTED_POLICY
    assert blocked_inline_code(response) == []


PUBLIC_PAGES = [
    "/",
    "/delegations/",
    "/delegations/?year=2018&sector=health",
    f"/delegations/{DEMO}/",
    f"/delegations/{DEMO}/outcomes/",
    "/meetings/",
    "/organizations/",
    "/organizations/dalkia/",
    "/organizations/dalkia/meetings/",
    "/people/serguei-levtchenko/",
    "/search/?q=lyon",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_strict_csp_and_no_inline_code(client, demo, path):
    assert_strict_policy(client.get(path))


@pytest.mark.parametrize("path", ["/delegations/no-such-visit/", "/people/no-such-person/"])
def test_not_found_page_has_strict_csp(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        (f"/delegations/{DEMO}/calendar.ics", "text/calendar; charset=utf-8"),
        ("/organizations/dalkia/calendar.ics", "text/calendar; charset=utf-8"),
        ("/meetings/export.csv", "text/csv; charset=utf-8"),
    ],
)
def test_feeds_and_csv_served_under_the_policy(client, demo, path, content_type):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert csp_directives(response) == EXPECTED_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_login_page_has_strict_csp_and_no_inline_code(client, db):
    assert_strict_policy(client.get(reverse("admin:login")))


def admin_page_urls(model, request) -> list[str]:
    """The model's changelist, add page (where the admin allows adding), and its first row's change,
    delete (where the admin allows deleting) and history pages."""
    opts = model._meta
    model_admin = admin.site._registry[model]
    names = ["changelist", "add"] if model_admin.has_add_permission(request) else ["changelist"]
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}") for name in names]
    obj = model._default_manager.first()
    if obj is not None:
        deletable = model_admin.has_delete_permission(request, obj)
        urls += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[obj.pk])
            for name in ("change", "delete", "history")
            if name != "delete" or deletable
        ]
    return urls


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def every_row(demo):
    for model, add_rows in ROW_BUILDERS.items():
        if not model._default_manager.exists():
            add_rows(1)
    Group.objects.get_or_create(name="Editors")


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_admin_pages_have_strict_csp_and_no_inline_code(staff_client, superuser, rf, every_row, model):
    request = rf.get("/")
    request.user = superuser
    for url in admin_page_urls(model, request):
        assert_strict_policy(staff_client.get(url))


def test_admin_changelist_actions_and_search_have_strict_csp(staff_client, every_row):
    url = reverse("admin:meetings_meeting_changelist")
    meetings = list(Meeting.objects.values_list("pk", flat=True)[:2])

    assert_strict_policy(staff_client.get(url, {"q": "Dalkia", "status__exact": "held"}))
    assert_strict_policy(staff_client.post(url, {"action": "delete_selected", "_selected_action": meetings}))


def test_admin_custom_views_have_strict_csp_and_no_inline_code(staff_client, every_row):
    session = ItineraryItemFactory(
        kind=ItineraryItem.Kind.B2B_SESSION,
        start_time=datetime.time(10),
        end_time=datetime.time(11),
        b2b_tables="A1, A2",
        b2b_slot_minutes=30,
    )
    meeting = MeetingFactory()
    pages = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["meetings"]),
        reverse("admin:password_change"),
        reverse("admin:meetings_meeting_session_grid", args=[session.pk]),
        reverse("admin:meetings_meeting_record_outcome", args=[meeting.pk]),
        reverse("admin:autocomplete") + "?app_label=meetings&model_name=meeting&field_name=sector&term=",
    ]
    for url in pages[:-1]:
        assert_strict_policy(staff_client.get(url))
    autocomplete = staff_client.get(pages[-1])
    assert autocomplete["Content-Type"] == "application/json"
    assert csp_directives(autocomplete) == EXPECTED_POLICY


def test_a_staff_session_is_kept_when_the_cache_is_emptied(staff_client):
    """Sessions are read from the cache and written through to the database (settings.SESSION_ENGINE)."""
    assert staff_client.get(reverse("admin:index")).status_code == 200
    cache.clear()

    assert staff_client.get(reverse("admin:index")).status_code == 200
