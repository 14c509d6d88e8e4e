"""Invitation links: only the token's hash is stored; an unknown, revoked or expired link is a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Invitation, Registration
from matchmaking.services import invitation_create, invitations_revoke
from tests.matchmaking.conftest import registration_post


def address(token: str) -> str:
    return reverse("matchmaking:registration", kwargs={"token": token})


def test_invitation_stores_only_the_hash_of_its_token(invitation):
    link, token = invitation
    stored = Invitation.objects.values_list("token_hash", flat=True).get(pk=link.pk)
    assert token not in stored
    assert stored == Invitation.hash_token(token)
    assert len(token) >= 43
    assert Invitation.objects.for_token(token).get() == link


def test_invitation_page_opens_with_its_visit_and_slots(client, invitation, visit):
    _link, token = invitation
    response = client.get(address(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert visit["delegation"].title in page
    assert "14:00–14:30" in page and "15:30–16:00" in page
    assert "Irkutsk Ministry of Economy" in page
    assert "Ruslan Bolotov" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"  # the token never reaches another site
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("token", ["unknown-token", "x" * 43, "%00", "a" * 500])
def test_unknown_token_is_404(client, invitation, token):
    assert client.get(f"/invite/{token}/").status_code == 404


def test_revoked_link_is_404_and_saves_nothing(client, invitation, visit):
    link, token = invitation
    assert invitations_revoke(invitations=Invitation.objects.filter(pk=link.pk)) == 1
    assert client.get(address(token)).status_code == 404
    assert client.post(address(token), registration_post(visit)).status_code == 404
    assert not Registration.objects.exists()


def test_expired_link_is_404(client, visit):
    link, token = invitation_create(
        delegation=visit["delegation"],
        label="soon gone",
        side="host",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        created_by=None,
    )
    assert client.get(address(token)).status_code == 200
    Invitation.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(address(token)).status_code == 404


def test_invitation_limited_to_some_sessions_offers_only_their_slots(client, visit):
    from delegations.models import ItineraryItem
    from tests.factories import ItineraryItemFactory

    other = ItineraryItemFactory(
        delegation=visit["delegation"],
        kind=ItineraryItem.Kind.B2B_SESSION,
        title="B2B session, Paris",
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        b2b_slot_minutes=20,
    )
    _link, token = invitation_create(
        delegation=visit["delegation"], label="Paris only", side="host", sessions=[other], created_by=None
    )
    page = client.get(address(token)).content.decode()
    assert "09:40–10:00" in page
    assert "14:00–14:30" not in page


def test_invitation_token_is_redacted_from_log_lines(invitation):
    from config.logs import SECRET_PATTERNS
    from core.logs import RedactFilter

    _link, token = invitation
    line = RedactFilter(SECRET_PATTERNS).redact(f'"POST /invite/{token}/ HTTP/1.1" 429 and Not Found: /INVITE/{token}/')
    assert token not in line
    assert line.count("/invite/") + line.count("/INVITE/") == 2


def test_invitation_history_offers_no_revert_that_could_bring_a_revoked_link_back(staff_client, invitation):
    link, _token = invitation
    invitations_revoke(invitations=Invitation.objects.filter(pk=link.pk))
    record = link.history.earliest()
    page = staff_client.get(reverse("admin:matchmaking_invitation_history", args=[link.pk]))
    assert page.status_code == 200
    assert f"/history/{record.history_id}/" not in page.content.decode()
    past_version = f"/admin/matchmaking/invitation/{link.pk}/history/{record.history_id}/"
    staff_client.post(past_version, follow=True)  # no such view: the admin's catch-all answers
    link.refresh_from_db()
    assert link.get_status() == Invitation.Status.REVOKED
