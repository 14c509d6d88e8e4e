"""Background batches: counting items as they end, the page that reloads itself while one runs and goes on to
its result when followed, and the rule that the counts add up."""

import pytest
from django.db import IntegrityError

from core.batches import FAILED, SKIPPED, SUCCEEDED, batch_finish, batch_item_done, batch_start
from core.models import Batch


def page(client, batch, query=""):
    return client.get(f"/admin/core/batch/{batch.pk}/change/{query}")


def test_batch_counts_each_item_and_ends_with_the_last(staff_client, superuser):
    batch = batch_start(label="Agenda e-mails · Irkutsk", total=3, user=superuser)

    running = page(staff_client, batch)
    assert running.status_code == 200
    assert '<meta http-equiv="refresh" content="3">' in running.text
    assert "0 of 3 done" in running.text

    batch_item_done(batch_id=batch.pk, outcome=SUCCEEDED, item="a@example.org")
    batch_item_done(batch_id=batch.pk, outcome=SKIPPED, item="b@example.org")
    batch_item_done(batch_id=batch.pk, outcome=FAILED, item="c@example.org", reason="550 Mailbox unavailable")

    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.succeeded, batch.skipped, batch.failed) == ("done", 3, 1, 1, 1)
    assert batch.failures == [{"item": "c@example.org", "reason": "550 Mailbox unavailable"}]
    assert batch.finished_at is not None
    ended = page(staff_client, batch)
    assert 'http-equiv="refresh"' not in ended.text
    assert "<td>c@example.org</td><td>550 Mailbox unavailable</td>" in ended.text
    assert "1 succeeded" in ended.text and "1 skipped (nothing to do)" in ended.text and "1 failed" in ended.text


def test_followed_batch_goes_on_to_its_result_once_done(staff_client):
    batch = batch_start(label="Schedule all · Irkutsk", total=1)

    waiting = page(staff_client, batch, "?follow=1")
    assert '<meta http-equiv="refresh" content="3; url=?follow=1">' in waiting.text

    batch_finish(batch_id=batch.pk, result_url="/admin/matchmaking/schedulingproposal/7/change/")
    done = page(staff_client, batch, "?follow=1")
    assert done.status_code == 302 and done["Location"] == "/admin/matchmaking/schedulingproposal/7/change/"
    assert 'href="/admin/matchmaking/schedulingproposal/7/change/"' in page(staff_client, batch).text


def test_batch_counts_must_add_up(db):
    batch = batch_start(label="x", total=1)
    with pytest.raises(IntegrityError):
        Batch.objects.filter(pk=batch.pk).update(done=2)


def test_empty_batch_is_done_at_once(db):
    assert batch_start(label="Nobody to mail", total=0).status == Batch.Status.DONE
