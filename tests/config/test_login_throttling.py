"""Admin login throttling (django-axes): 5 failures lock a username from an address for 15 minutes."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.helpers import blocked_inline_code

LOGIN = reverse("admin:login")
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def browser(db):
    return Client(enforce_csrf_checks=True)


def log_in(client, username, password, address=HOME, **meta):
    """Fill in and post the admin login form as a browser would: the form first, then its CSRF token."""
    client.get(LOGIN, REMOTE_ADDR=address, **meta)
    token = client.cookies["csrftoken"].value
    data = {"username": username, "password": password, "next": "/admin/", "csrfmiddlewaretoken": token}
    return client.post(LOGIN, data, REMOTE_ADDR=address, **meta)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times, username="boss", address=HOME, **meta):
    return [log_in(client, username, "wrong", address, **meta).status_code for _ in range(times)]


def test_four_failures_only_show_the_login_error(browser, superuser):
    assert fail(browser, 4) == [200] * 4

    response = log_in(browser, "boss", "correct-horse-battery")

    assert response.status_code == 302
    assert logged_in(browser)


def test_fifth_failure_locks_with_a_clear_message(browser, superuser):
    assert fail(browser, 5) == [200] * 4 + [429]

    response = log_in(browser, "boss", "correct-horse-battery")

    assert response.status_code == 429
    assert not logged_in(browser)
    html = response.content.decode()
    assert "<title>Login locked | Delegation visits</title>" in html
    assert "Login locked: 5 failed attempts for this username from your address." in html
    assert "Try again in 15 minutes." in html
    assert f'<a href="{LOGIN}">Back to the login page</a>' in html
    assert blocked_inline_code(response) == []


def test_lock_message_in_french(browser, superuser):
    fail(browser, 5, HTTP_ACCEPT_LANGUAGE="fr")

    response = log_in(browser, "boss", "correct-horse-battery", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion bloquée : 5 tentatives échouées pour cet identifiant depuis votre adresse." in html
    assert "Réessayez dans 15 minutes." in html


def test_lock_holds_only_for_that_username_and_address(browser, superuser, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example.org", "other-horse-battery")
    fail(browser, 5)

    assert log_in(browser, "boss", "correct-horse-battery", address=ELSEWHERE).status_code == 302
    browser.logout()
    assert log_in(browser, "other", "other-horse-battery").status_code == 302
    browser.logout()
    assert log_in(browser, "boss", "correct-horse-battery").status_code == 429


def test_lock_lifted_after_15_minutes(browser, superuser):
    fail(browser, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1))

    response = log_in(browser, "boss", "correct-horse-battery")

    assert response.status_code == 302
    assert logged_in(browser)


def test_lock_still_on_before_15_minutes(browser, superuser):
    fail(browser, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14, seconds=50))

    assert log_in(browser, "boss", "correct-horse-battery").status_code == 429


def test_success_forgets_earlier_failures(browser, superuser):
    fail(browser, 4)
    log_in(browser, "boss", "correct-horse-battery")
    browser.logout()

    assert fail(browser, 4) == [200] * 4
    assert log_in(browser, "boss", "correct-horse-battery").status_code == 302


def test_forged_forwarded_for_does_not_escape_the_lock_behind_a_proxy(browser, superuser, settings):
    settings.BEHIND_PROXY = True
    for n in range(5):
        # A client may add any X-Forwarded-For; the proxy appends the address it saw, which counts.
        log_in(browser, "boss", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {HOME}")

    response = log_in(browser, "boss", "correct-horse-battery", address="10.0.0.2", HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 429
    # Five failures and the refused sixth attempt, all from the address the proxy saw.
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [(HOME, 6)]


def test_attempt_during_the_lock_starts_the_15_minutes_again(browser, superuser):
    fail(browser, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))

    assert log_in(browser, "boss", "correct-horse-battery").status_code == 429
    assert AccessAttempt.objects.get().attempt_time > timezone.now() - datetime.timedelta(minutes=1)
