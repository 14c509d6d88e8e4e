"""Send agendas through a real Celery worker: `celery -A config worker` in its own process, reading a queue of
this test alone in Redis (database 7 on 127.0.0.1:6379), on the same test database (PostgreSQL, or a SQLite
file: an in-memory database is the test process's alone), writing e-mails as files. One recipient's mail
server refuses: the worker retries it, then reports it failed in the batch and the log."""

import os
import signal
import subprocess
import sys
import time
import uuid
from email import message_from_bytes, policy

import pytest
import redis
from django.conf import settings
from django.db import connection
from icalendar import Calendar

from config.celery import app as celery_app
from core.models import Batch
from mailings.models import AgendaSend
from mailings.services import agendas_send
from matchmaking.models import MeetingRequest, Registration, SchedulingProposal
from tests.helpers import server_env
from tests.mailings.conftest import build_world

BROKER = "redis://127.0.0.1:6379/7"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    pytest.skip("the worker process needs the test database in PostgreSQL or a SQLite file, not in memory")


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A Celery worker process on a queue of its own, its e-mails written to tmp_path/mail; this process's
    Celery app sends to that queue while the test runs (instead of running tasks at once)."""
    url = database_url()
    queue = f"test-mailings-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:12]}"
    broker = redis.Redis.from_url(BROKER)
    broker.ping()
    (tmp_path / "mail").mkdir()
    env = server_env(
        DATABASE_URL=url,
        CELERY_BROKER_URL=BROKER,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        DJANGO_EMAIL_BACKEND="tests.mail_backends.RefusingFileBackend",
        DJANGO_EMAIL_FILE_PATH=str(tmp_path / "mail"),
        DJANGO_MAILINGS_SEND_ATTEMPTS="3",
        DJANGO_MAILINGS_RETRY_SECONDS="0.2",
        DJANGO_TIME_ZONE="UTC",
    )
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=BROKER, task_always_eager=False, task_default_queue=queue)
    celery_app.__dict__.pop("amqp", None)  # its queues are read from the settings once: read them again
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield {"mail": tmp_path / "mail", "log": log, "process": process}
    finally:
        process.send_signal(signal.SIGTERM)  # a warm shutdown: the task under way ends first
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.update(saved)
        celery_app.__dict__.pop("amqp", None)
        broker.delete(*broker.keys(f"*{queue}*") or ["-"])  # the queue and kombu's bindings of it
        broker.close()


def wait_for(batch: Batch, worker) -> Batch:
    """The batch once its items are all done (the worker runs them), or a failure with the worker's log."""
    for _ in range(600):  # up to two minutes on a busy machine
        batch.refresh_from_db()
        if not batch.is_running:
            return batch
        assert worker["process"].poll() is None, worker["log"].read_text()
        time.sleep(0.2)
    pytest.fail(f"The worker did not finish the batch: {batch.done}/{batch.total}\n{worker['log'].read_text()}")


def test_worker_delivers_agendas_and_reports_a_refused_one_after_retries(worker):
    world = build_world(contact_domain="refused.example")

    batch = wait_for(agendas_send(delegation=world["delegation"]), worker)

    assert (batch.status, batch.total, batch.done, batch.succeeded, batch.failed) == ("done", 3, 3, 2, 1)
    reason = "SMTPRecipientsRefused: {'contact@refused.example': (550, b'5.1.1 Mailbox unavailable')}"
    assert batch.failures == [{"item": "contact@refused.example", "reason": reason}]
    refused = AgendaSend.objects.get(email="contact@refused.example")
    assert (refused.status, refused.attempts, refused.reason) == ("failed", 3, reason)
    assert set(AgendaSend.objects.filter(status="sent").values_list("email", flat=True)) == {
        "claire.martin@dalkia.example",
        "paul.roux@dalkia.example",
    }

    files = sorted(worker["mail"].iterdir())
    messages = [message_from_bytes(f.read_bytes().split(SEPARATOR)[0], policy=policy.default) for f in files]
    assert sorted(str(message["To"]) for message in messages) == [
        "claire.martin@dalkia.example",
        "paul.roux@dalkia.example",
    ]
    for message in messages:
        assert str(message["Subject"]) == "Votre agenda B2B · Irkoutsk en France"
        assert "Pour vous : Claire Martin" in message.get_body(("plain",)).get_content()
        assert "Avec Irkutsk Ministry of Economy" in message.get_body(("html",)).get_content()
        attachments = {attachment.get_filename(): attachment for attachment in message.iter_attachments()}
        assert sorted(attachments) == ["agenda.ics", "agenda.pdf"]
        assert attachments["agenda.pdf"].get_content().startswith(b"%PDF-")
        (event,) = Calendar.from_ical(attachments["agenda.ics"].get_content()).walk("VEVENT")
        assert str(event["uid"]) == f"agenda-meeting-{world['with_dalkia'].pk}@delegation-visits"
        assert event["dtstart"].params["TZID"] == "Europe/Paris"
    log = worker["log"].read_text()
    assert "Retry in" in log  # the refused one was retried by the worker, not run again by the test


def test_worker_computes_schedule_all_and_the_admin_then_shows_the_proposal(worker, staff_client):
    world = build_world()
    veolia = Registration.objects.get(organization__name="Veolia")
    MeetingRequest.objects.create(
        delegation=world["delegation"],
        asker_organization=veolia.organization,
        target_organization=world["ministry"],
        target_person=world["member"].person,
        reason="Water treatment.",
        status=MeetingRequest.Status.ACCEPTED,
    )

    response = staff_client.post(
        "/admin/matchmaking/b2bsession/", {"action": "schedule_all", "_selected_action": [world["session"].pk]}
    )

    batch = Batch.objects.get()
    follow = f"/admin/core/batch/{batch.pk}/change/?follow=1"
    assert response.status_code == 302 and response["Location"] == follow
    batch = wait_for(batch, worker)
    assert (batch.status, batch.succeeded) == ("done", 1)
    proposal = SchedulingProposal.objects.get()
    shown = staff_client.get(follow)
    assert shown.status_code == 302
    assert shown["Location"] == f"/admin/matchmaking/schedulingproposal/{proposal.pk}/change/"
    page = staff_client.get(shown["Location"])
    assert page.status_code == 200 and "1 meeting placed" in page.text and "Veolia" in page.text
