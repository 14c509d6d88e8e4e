"""The follow-up desk: the admin page for Editors and Viewers, and the weekly digest e-mail to the Editors."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from delegations.models import FollowUp
from meetings.desk import desk_read, month_end
from meetings.models import Meeting
from tests.factories import AgreementFactory, DelegationFactory, FollowUpFactory, MeetingFactory

DESK = "/admin/meetings/meeting/follow-up-desk/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    """The site's date, which the desk page reads: the world is built around it."""
    return timezone.localdate()


@pytest.fixture
def desk_world(db, today):
    past = DelegationFactory(title="Irkutsk in Paris", start_date=today - 50 * DAY, end_date=today - 47 * DAY)
    FollowUpFactory(delegation=past, title="Overdue project", due_date=today - 18 * DAY)
    FollowUpFactory(delegation=past, title="Due this month", due_date=month_end(today))
    FollowUpFactory(delegation=past, title="Due next month", due_date=month_end(today) + DAY)
    FollowUpFactory(delegation=past, title="Done already", due_date=today - DAY, status=FollowUp.Status.DONE)
    FollowUpFactory(delegation=past, title="Dropped", due_date=today - DAY, status=FollowUp.Status.DROPPED)
    without = MeetingFactory(delegation=past, status=Meeting.Status.HELD, outcome="", table="A1")
    MeetingFactory(delegation=past, status=Meeting.Status.HELD, outcome="Agreed to visit", table="A2")
    MeetingFactory(delegation=past, status=Meeting.Status.CANCELLED, outcome="", table="A3")
    upcoming = DelegationFactory(title="Shanghai in Lyon", start_date=today + 2 * DAY, end_date=today + 4 * DAY)
    MeetingFactory(delegation=upcoming, status=Meeting.Status.CONFIRMED, outcome="")
    empty = DelegationFactory(title="Quiet visit", start_date=today - 400 * DAY, end_date=today - 398 * DAY)
    DelegationFactory(
        title="Draft with nothing", is_published=False, start_date=today - 400 * DAY, end_date=today - 398 * DAY
    )
    signed = DelegationFactory(title="Signed visit", start_date=today - 300 * DAY, end_date=today - 298 * DAY)
    AgreementFactory(delegation=signed)
    DelegationFactory(
        title="Reported visit",
        start_date=today - 200 * DAY,
        end_date=today - 198 * DAY,
        agreements_without_detail_summary="several documents",
    )
    return {"past": past, "meeting": without, "empty": empty}


def test_desk_read_lists_what_is_owed(desk_world, today):
    desk = desk_read(today=today)

    assert [f.title for f in desk.overdue] == ["Overdue project"]
    assert [f.title for f in desk.due_this_month] == ["Due this month"]
    assert desk.meetings_without_outcome == [desk_world["meeting"]]
    assert desk.meetings_without_outcome_count == 1
    assert [v.title for v in desk.visits_without_outcomes] == ["Quiet visit"]


def test_desk_page_for_viewers_links_to_fix_each_thing(desk_world, member_client):
    client = member_client("Viewers")
    response = client.get(DESK)

    assert response.status_code == 200
    html = response.content.decode()
    follow_up = FollowUp.objects.get(title="Overdue project")
    assert f'href="{reverse("admin:delegations_followup_change", args=[follow_up.pk])}"' in html
    meeting = desk_world["meeting"]
    assert f'href="{reverse("admin:meetings_meeting_record_outcome", args=[meeting.pk])}"' in html
    assert f'href="{reverse("admin:delegations_delegation_change", args=[desk_world["empty"].pk])}"' in html


def test_desk_linked_from_the_admin_index_for_editors(db, member_client):
    html = member_client("Editors").get("/admin/").content.decode()
    assert f'<a href="{DESK}">Follow-up desk</a>' in html


def test_desk_page_anonymous_redirected_to_login(client, db):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_desk_page_refused_to_staff_without_the_permissions(client, db, django_user_model):
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert client.get(DESK).status_code == 403
    assert "Follow-up desk" not in client.get("/admin/").content.decode()


def test_digest_sent_to_editors_only_with_text_and_html(desk_world, today, django_user_model, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://visits.example.org"
    editors, viewers = Group.objects.get(name="Editors"), Group.objects.get(name="Viewers")
    for name, group, active in (("anna", editors, True), ("boris", editors, True), ("gone", editors, False)):
        django_user_model.objects.create_user(name, f"{name}@example.org", is_staff=True, is_active=active).groups.add(
            group
        )
    django_user_model.objects.create_user("nomail", "", is_staff=True).groups.add(editors)
    django_user_model.objects.create_user("vera", "vera@example.org", is_staff=True).groups.add(viewers)

    call_command("send_followup_digest", "--today", today.isoformat(), stdout=io.StringIO())

    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.org", "boris@example.org"]
    message = mail.outbox[0]
    assert message.subject == f"Follow-up desk, week of {today.isoformat()}"
    follow_up = FollowUp.objects.get(title="Overdue project")
    link = f"https://visits.example.org/admin/delegations/followup/{follow_up.pk}/change/"
    overdue = (today - 18 * DAY).isoformat()
    assert f"Follow-ups overdue (1)\n- {overdue} Overdue project (Irkutsk in Paris, Proposed)\n  {link}" in message.body
    assert f"Follow-ups due this month (1)\n- {month_end(today).isoformat()} Due this month" in message.body
    assert "Due next month" not in message.body
    quiet_end = (today - 398 * DAY).isoformat()
    assert f"Published visits with no outcomes at all (1)\n- Quiet visit ({quiet_end})" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">Overdue project</a>' in html
    assert 'lang="en"' in html


def test_digest_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today"):
        call_command("send_followup_digest", "--today", "2026-13-01")
