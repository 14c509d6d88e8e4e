"""Send agendas, tasks run at once (no broker): one e-mail per contact of each participating organization to
Django's locmem outbox, in its language, with text and HTML parts and an .ics whose UIDs stay from one send to
the next; nothing of another company's; a re-send only to those whose agenda changed; a refusing mail server
retried, then reported in the batch and the log."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from core.models import Batch
from mailings.models import AgendaSend
from mailings.services import agendas_send
from matchmaking.models import Registration
from meetings.services import meeting_update
from tests.mailings.conftest import build_world
from tests.matchmaking.conftest import registration_post

MAILINGS = "/admin/mailings/agendamailing/"
SENT, UNCHANGED, FAILED = AgendaSend.Status.SENT, AgendaSend.Status.UNCHANGED, AgendaSend.Status.FAILED


def send_action(client, delegation, capture):
    with capture(execute=True):
        return client.post(MAILINGS, {"action": "send_agendas", "_selected_action": [delegation.pk]})


def by_recipient() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def calendar_of(message) -> Calendar:
    (name, content, mime), *_rest = message.attachments
    assert (name, mime) == ("agenda.ics", "text/calendar")
    return Calendar.from_ical(content)


def pdf_text(message) -> str:
    """The text of the agenda PDF an e-mail carries, read back by pypdf."""
    (content,) = [content for name, content, mime in message.attachments if mime == "application/pdf"]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def events(message) -> list:
    return list(calendar_of(message).walk("VEVENT"))


def test_editor_sends_each_contact_their_agenda_in_their_language(
    member_client, world, django_capture_on_commit_callbacks
):
    client = member_client("Editors")
    listing = client.get(MAILINGS)
    assert listing.status_code == 200 and "Send agendas (to those whose agenda changed)" in listing.text

    response = send_action(client, world["delegation"], django_capture_on_commit_callbacks)

    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:core_batch_change", args=[batch.pk])
    assert (batch.status, batch.total, batch.done, batch.succeeded, batch.skipped, batch.failed) == (
        "done",
        3,
        3,
        3,
        0,
        0,
    )
    messages = by_recipient()
    assert sorted(messages) == ["claire.martin@dalkia.example", "contact@engie.example", "paul.roux@dalkia.example"]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)

    claire = messages["claire.martin@dalkia.example"]
    assert claire.subject == "Votre agenda B2B · Irkoutsk en France"
    assert claire.extra_headers["Content-Language"] == "fr"
    assert "Votre agenda, Dalkia, pour Irkoutsk en France" in claire.body
    assert "== Rencontres B2B, Paris · 27 novembre 2018 · Ce programme est provisoire" in claire.body
    assert "- 14:00–14:30 (HNEC, UTC+1) · Table 1" in claire.body
    assert "Avec Irkutsk Ministry of Economy" in claire.body and "Ruslan Bolotov" in claire.body
    assert "Pour vous : Claire Martin" in claire.body
    assert "28 place de la Bourse" in claire.body
    html, mime = claire.alternatives[0]
    assert mime == "text/html" and '<html lang="fr">' in html
    assert "<strong>14:00–14:30</strong>" in html and "Avec Irkutsk Ministry of Economy" in html

    (event,) = events(claire)
    assert str(event["uid"]) == f"agenda-meeting-{world['with_dalkia'].pk}@delegation-visits"
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event["dtstart"].dt.replace(tzinfo=None) == datetime.datetime(2018, 11, 27, 14, 0)
    assert str(event["summary"]) == "Rendez-vous B2B avec Irkutsk Ministry of Economy"

    engie = messages["contact@engie.example"]
    assert engie.subject == "Your B2B agenda · Irkutsk region in France"
    assert "- 14:30–15:00 (CET, UTC+1) · Table 2" in engie.body
    assert "With Irkutsk Ministry of Economy" in engie.body
    (event,) = events(engie)
    assert str(event["uid"]) == f"agenda-meeting-{world['with_engie'].pk}@delegation-visits"

    # Nothing of the other company: neither its name, people, addresses nor profile.
    for address in ("claire.martin@dalkia.example", "paul.roux@dalkia.example"):
        text = str(messages[address].message())
        assert "Engie" not in text and "engie.example" not in text and "Hidden Engineer" not in text
    engie_text = str(engie.message())
    assert "Dalkia" not in engie_text and "dalkia.example" not in engie_text and "Claire" not in engie_text
    assert "For you: Hidden Engineer" in engie.body  # its own attendee; never their private address
    assert "hidden@engie.example" not in engie_text and "Private profile" not in engie_text
    assert "Veolia" not in "".join(str(message.message()) for message in mail.outbox)

    logged = {send.email: send for send in AgendaSend.objects.all()}
    assert {email: (s.status, s.language, s.attempts) for email, s in logged.items()} == {
        "claire.martin@dalkia.example": (SENT, "fr", 1),
        "paul.roux@dalkia.example": (SENT, "fr", 1),
        "contact@engie.example": (SENT, "en", 1),
    }
    assert all(len(send.fingerprint) == 64 and send.sent_at for send in logged.values())

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "3 succeeded" in page.text and "3 of 3 done" in page.text
    assert 'http-equiv="refresh"' not in page.text  # it has ended: no more reloading


def test_agenda_e_mail_carries_the_same_agenda_as_pdf_in_the_recipients_language(
    member_client, world, django_capture_on_commit_callbacks
):
    send_action(member_client("Editors"), world["delegation"], django_capture_on_commit_callbacks)
    messages = by_recipient()

    claire = pdf_text(messages["claire.martin@dalkia.example"])
    assert "Dalkia" in claire and "Irkutsk Ministry of Economy" in claire and "Ruslan Bolotov" in claire
    assert "Programme des rencontres" in claire
    assert "14:00–14:30" in claire and "HNEC, UTC+1" in claire and "Provisoire" in claire
    assert "Engie" not in claire and "Hidden Engineer" not in claire
    engie = pdf_text(messages["contact@engie.example"])
    assert "Engie" in engie and "14:30–15:00" in engie and "Preliminary" in engie
    assert "Dalkia" not in engie and "Claire" not in engie


def test_resend_mails_only_those_whose_agenda_changed_and_the_calendar_updates(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agendas_send(delegation=world["delegation"])
    first = events(by_recipient()["contact@engie.example"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = agendas_send(delegation=world["delegation"])

    assert mail.outbox == []
    again.refresh_from_db()
    assert (again.total, again.succeeded, again.skipped) == (3, 0, 3)
    assert AgendaSend.objects.filter(batch=again, status=UNCHANGED).count() == 3

    meeting = world["with_engie"]
    meeting.start_time, meeting.end_time = datetime.time(15, 0), datetime.time(15, 30)
    meeting_update(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        third = agendas_send(delegation=world["delegation"])

    assert [message.to for message in mail.outbox] == [["contact@engie.example"]]
    third.refresh_from_db()
    assert (third.succeeded, third.skipped) == (1, 2)
    (moved,) = events(mail.outbox[0])
    assert moved["uid"] == first[0]["uid"]  # the same event, updated in the recipient's calendar
    assert moved["dtstart"].dt.replace(tzinfo=None) == datetime.datetime(2018, 11, 27, 15, 0)
    assert "- 15:00–15:30 (CET, UTC+1) · Table 2" in mail.outbox[0].body


def test_refused_send_is_retried_then_reported_failed_not_lost(db, settings, django_capture_on_commit_callbacks):
    world = build_world(contact_domain="refused.example")
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingLocmemBackend"
    settings.MAILINGS_SEND_ATTEMPTS = 3

    with django_capture_on_commit_callbacks(execute=True):
        batch = agendas_send(delegation=world["delegation"])

    batch.refresh_from_db()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "claire.martin@dalkia.example",
        "paul.roux@dalkia.example",
    ]
    assert (batch.status, batch.done, batch.succeeded, batch.failed) == ("done", 3, 2, 1)
    reason = "SMTPRecipientsRefused: {'contact@refused.example': (550, b'5.1.1 Mailbox unavailable')}"
    assert batch.failures == [{"item": "contact@refused.example", "reason": reason}]
    failed = AgendaSend.objects.get(email="contact@refused.example")
    assert (failed.status, failed.attempts, failed.reason, failed.sent_at) == (FAILED, 3, reason, None)

    # Once the server takes it, a re-send delivers what failed, and only that.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agendas_send(delegation=world["delegation"])
    assert [message.to for message in mail.outbox] == [["contact@refused.example"]]


def test_company_registering_in_french_gets_french_e_mails(world, client):
    from matchmaking.services import invitation_create

    invitation, token = invitation_create(
        delegation=world["delegation"], label="for Suez", side="host", created_by=None
    )
    data = registration_post(world, organization_name="Suez", sectors=[], **{"attendees-0-email": "a@suez.example"})

    response = client.post(
        reverse("matchmaking:registration", kwargs={"token": token}), data, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 302
    assert Registration.objects.get(invitation=invitation).language == "fr"


def test_viewers_read_the_log_but_cannot_send(member_client, world):
    client = member_client("Viewers")
    listing = client.get(MAILINGS)
    assert listing.status_code == 200 and "Send agendas" not in listing.text
    client.post(MAILINGS, {"action": "send_agendas", "_selected_action": [world["delegation"].pk]})
    assert not Batch.objects.exists() and mail.outbox == []
    assert client.get("/admin/mailings/agendasend/").status_code == 200
    assert client.get("/admin/core/batch/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/mailings/agendasend/", "/admin/core/batch/", MAILINGS])
def test_mailing_admin_pages_open(staff_client, world, path):
    assert staff_client.get(path).status_code == 200
