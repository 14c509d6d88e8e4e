"""Partner share links: one visit, draft or published, for whoever holds the address, until revoked or expired."""

import base64
import csv
import datetime
import hashlib
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pytest_django.asserts import assertContains, assertNotContains

from delegations.models import Delegation, ShareLink
from delegations.services import share_link_create, share_link_reactivate, share_links_revoke
from tests.builders import SIZES, build_visit
from tests.factories import DelegationFactory
from tests.helpers import opened_state

SHARED_PAGES = ("public:shared-visit-detail", "public:shared-visit-outcomes", "public:shared-meeting-list")
SHARED_FILES = ("public:shared-meeting-export-csv", "public:shared-visit-calendar")
CHANGELIST = reverse("admin:delegations_sharelink_changelist")
ADD = reverse("admin:delegations_sharelink_add")


def share(delegation: Delegation, **kwargs) -> str:
    return share_link_create(delegation=delegation, label=kwargs.pop("label", "for Dalkia"), created_by=None, **kwargs)[
        1
    ]


def shared_url(name: str, token: str) -> str:
    return reverse(name, kwargs={"token": token})


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_share_link_create_stores_only_the_token_hash(db):
    visit = DelegationFactory()

    link, token = share_link_create(delegation=visit, label="for Dalkia", expires_at=None, created_by=None)

    stored = ShareLink.objects.filter(pk=link.pk).values().get()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored)
    assert ShareLink.objects.for_token(token).get() == link


def test_share_link_token_has_256_random_bits(db):
    visit = DelegationFactory()

    tokens = {share(visit) for _ in range(20)}

    assert len(tokens) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)
    assert {len(base64.urlsafe_b64decode(token + "=")) * 8 for token in tokens} == {256}


def test_share_link_create_refuses_a_past_expiry(db):
    with pytest.raises(ValidationError) as refused:
        share(DelegationFactory(), expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert refused.value.message_dict == {"expires_at": ["Give an expiry in the future, or none."]}
    assert not ShareLink.objects.exists()


def test_share_links_revoke_counts_only_links_not_yet_revoked(db):
    visit = DelegationFactory()
    share(visit)
    share(visit)

    assert share_links_revoke(links=ShareLink.objects.all()) == 2
    assert share_links_revoke(links=ShareLink.objects.all()) == 0
    assert not ShareLink.objects.active().exists()


@pytest.mark.parametrize("name", SHARED_PAGES)
def test_shared_page_shows_draft_visit_as_published(client, meeting_grid, name):
    token = share(meeting_grid.draft)

    response = client.get(shared_url(name, token))

    assertContains(response, "<h1>Draft visit</h1>", html=True)
    assertNotContains(response, "this visit is not published")
    assertContains(response, f'<a href="/share/{token}/outcomes/"')
    assertContains(response, f'<a href="/share/{token}/meetings/"')
    assertContains(response, f'<a href="/share/{token}/calendar.ics" download>')
    assertNotContains(response, f"/delegations/{meeting_grid.draft.slug}/")
    assertNotContains(response, "Visit A")


@pytest.mark.parametrize("name", SHARED_PAGES + SHARED_FILES)
def test_shared_response_is_private_unindexed_and_sends_no_referer(client, meeting_grid, name):
    response = client.get(shared_url(name, share(meeting_grid.draft)))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"


def test_shared_itinerary_links_session_meetings_within_the_link(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    response = client.get(shared_url("public:shared-visit-detail", token))

    assertContains(
        response, f'<a href="/share/{token}/meetings/?session={meeting_grid.session.pk}">1 meeting</a>', html=True
    )


def test_shared_outcomes_figures_link_within_the_link(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    response = client.get(shared_url("public:shared-visit-outcomes", token))

    assertContains(response, f'<a href="/share/{token}/meetings/?status=held">1</a>', html=True)


def test_shared_meeting_list_holds_only_its_visit(client, meeting_grid):
    token = share(meeting_grid.draft)

    response = client.get(shared_url("public:shared-meeting-list", token))

    assert [meeting.table for meeting in response.context["object_list"]] == ["D1"]
    assert "delegation" not in response.context["filter"].form.fields
    assertContains(response, f'href="/share/{token}/meetings/export.csv"')
    assertContains(response, f'<a class="muted" href="/share/{token}/">Draft visit</a>', html=True)


def test_shared_meeting_list_ignores_another_visit_filter(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    response = client.get(shared_url("public:shared-meeting-list", token), {"delegation": "visit-b", "city": "Lyon"})

    assert [meeting.table for meeting in response.context["object_list"]] == ["A2"]
    assertNotContains(response, "Visit B")


def test_shared_meeting_list_filters_within_its_visit(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    response = client.get(shared_url("public:shared-meeting-list", token), {"organization": "dalkia"})

    # Dalkia also meets in visit B (B1): not through this link.
    assert [meeting.table for meeting in response.context["object_list"]] == ["A2"]


def test_shared_csv_parses_and_holds_only_its_visit(client, meeting_grid):
    token = share(meeting_grid.draft)

    response = client.get(shared_url("public:shared-meeting-export-csv", token))

    rows = csv_rows(response)
    assert [(row["table"], row["visit_slug"], row["outcome"]) for row in rows] == [
        ("D1", "draft-visit", "Draft secret.")
    ]
    assert response["Content-Disposition"] == (
        f'attachment; filename="draft-visit-{timezone.localdate():%Y-%m-%d}.csv"'
    )


def test_shared_csv_applies_list_filters(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    response = client.get(
        shared_url("public:shared-meeting-export-csv", token), {"status": "confirmed", "sep": "semicolon"}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert [row["table"] for row in rows] == ["A2"]


def test_shared_csv_refuses_another_visit_filter(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    response = client.get(shared_url("public:shared-meeting-export-csv", token), {"delegation": "visit-b"})

    assert response.status_code == 400
    assert response.content.decode() == "The export cannot apply these filters:\ndelegation: unknown filter\n"


def test_shared_calendar_parses_and_holds_only_its_visit(client, meeting_grid):
    token = share(meeting_grid.draft)

    response = client.get(shared_url("public:shared-visit-calendar", token))

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Draft visit"
    events = calendar.walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [f"meeting-{meeting_grid.d1.pk}@delegation-visits"]
    assert str(events[0]["url"]) == f"http://testserver/share/{token}/meetings/"
    assert response["Content-Disposition"] == 'inline; filename="draft-visit.ics"'


def test_shared_calendar_items_link_within_the_link(client, meeting_grid):
    token = share(meeting_grid.visit_a)

    calendar = Calendar.from_ical(client.get(shared_url("public:shared-visit-calendar", token)).content)

    urls = {str(event["uid"]).split("-")[0]: str(event["url"]) for event in calendar.walk("VEVENT")}
    assert urls == {
        "item": f"http://testserver/share/{token}/#item-{meeting_grid.session.pk}",
        "meeting": f"http://testserver/share/{token}/meetings/",
    }


def expire(token: str) -> None:
    ShareLink.objects.for_token(token).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))


def revoke(token: str) -> None:
    share_links_revoke(links=ShareLink.objects.for_token(token))


@pytest.mark.parametrize("end", [expire, revoke])
@pytest.mark.parametrize("name", SHARED_PAGES + SHARED_FILES)
def test_shared_address_is_404_once_ended(client, meeting_grid, name, end):
    token = share(meeting_grid.visit_a)
    end(token)

    assert client.get(shared_url(name, token)).status_code == 404


def test_shared_address_works_until_its_expiry(client, meeting_grid):
    token = share(meeting_grid.visit_a, expires_at=timezone.now() + datetime.timedelta(hours=1))

    assert client.get(shared_url("public:shared-visit-detail", token)).status_code == 200


@pytest.mark.parametrize(
    "token", ["x", "not-a-token", "A" * 43, "A" * 5000, "%00", "тест", "..", "%2F..%2F", "'; DROP TABLE x;--"]
)
@pytest.mark.parametrize("suffix", ["", "outcomes/", "meetings/", "meetings/export.csv", "calendar.ics"])
def test_shared_address_with_bad_token_is_404(client, meeting_grid, token, suffix):
    share(meeting_grid.visit_a)

    assert client.get(f"/share/{token}/{suffix}").status_code == 404


def test_share_link_goes_with_its_visit(db):
    visit = DelegationFactory()
    token = share(visit)

    visit.delete()

    assert not ShareLink.objects.for_token(token).exists()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("public:shared-visit-detail", 11),
        # The follow-ups' meetings with their organizations: one query; the band of figures: one.
        ("public:shared-visit-outcomes", 11),
        ("public:shared-meeting-list", 6),
        ("public:shared-meeting-export-csv", 3),
        ("public:shared-visit-calendar", 10),
    ],
)
def test_queries_shared(client, db, django_assert_num_queries, size, name, expected):
    visit = build_visit(size)
    Delegation.objects.filter(pk=visit.pk).update(is_published=False)
    token = share(visit)

    with django_assert_num_queries(expected):
        response = client.get(shared_url(name, token))
        content = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == 200
    assert content.count(b"Big visit") >= 1


# The admin


def test_share_link_admin_add_shows_the_address_once(staff_client, superuser, meeting_grid):
    response = staff_client.post(
        ADD, {"delegation": meeting_grid.draft.pk, "label": "for Dalkia", "expires_at_0": "", "expires_at_1": ""}
    )

    assert response.status_code == 200
    link = ShareLink.objects.get()
    shown = re.search(r'<code class="share-address">http://testserver/share/([A-Za-z0-9_-]+)/</code>', response.text)
    assert shown is not None
    token = shown.group(1)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (link.delegation, link.label, link.created_by, link.expires_at) == (
        meeting_grid.draft,
        "for Dalkia",
        superuser,
        None,
    )
    assert token not in staff_client.get(CHANGELIST).text
    assert token not in staff_client.get(reverse("admin:delegations_sharelink_change", args=[link.pk])).text
    assert staff_client.get(f"/share/{token}/").status_code == 200


@pytest.mark.parametrize("button", ["_save", "_continue", "_addanother"])
def test_share_link_admin_add_puts_the_address_in_no_cookie_session_or_redirect(staff_client, meeting_grid, button):
    response = staff_client.post(ADD, {"delegation": meeting_grid.draft.pk, "label": "for Dalkia", button: "1"})
    token = re.search(r"/share/([A-Za-z0-9_-]+)/", response.text).group(1)
    following = [staff_client.get(CHANGELIST), staff_client.get(ADD)]

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Location" not in response
    for answer in (response, *following):
        assert all(token not in morsel.OutputString() for morsel in answer.cookies.values())
        assert [message.message for message in get_messages(answer.wsgi_request)] == []
    assert all(token not in answer.text for answer in following)
    assert all(token not in str(value) for value in staff_client.session.values())
    assert all(token not in morsel.OutputString() for morsel in staff_client.cookies.values())
    [record] = ShareLink.history.all()
    assert token not in repr(vars(record))


def test_share_link_admin_add_refuses_a_past_expiry(staff_client, meeting_grid):
    response = staff_client.post(
        ADD,
        {"delegation": meeting_grid.draft.pk, "label": "late", "expires_at_0": "2001-01-01", "expires_at_1": "10:00"},
    )

    assert response.status_code == 200
    assertContains(response, "Give an expiry in the future, or none.")
    assert not ShareLink.objects.exists()


def test_share_link_admin_lists_status_and_filters(staff_client, meeting_grid):
    share(meeting_grid.visit_a, label="for Dalkia")
    expire(share(meeting_grid.visit_a, label="for Eastmed"))
    revoke(share(meeting_grid.draft, label="for the press"))

    listing = staff_client.get(CHANGELIST)
    revoked = staff_client.get(CHANGELIST, {"status": "revoked"})
    active = staff_client.get(CHANGELIST, {"status": "active"})

    statuses = {link.label: link.get_status().label for link in listing.context["cl"].result_list}
    assert statuses == {"for Dalkia": "Active", "for Eastmed": "Expired", "for the press": "Revoked"}
    assertContains(listing, '<td class="field-status">Expired</td>', html=True)
    assert [link.label for link in revoked.context["cl"].result_list] == ["for the press"]
    assert [link.label for link in active.context["cl"].result_list] == ["for Dalkia"]


def test_share_link_admin_searches_by_visit(staff_client, meeting_grid):
    share(meeting_grid.visit_a, label="for Dalkia")
    share(meeting_grid.draft, label="for the press")

    response = staff_client.get(CHANGELIST, {"q": "draft"})

    assert [link.label for link in response.context["cl"].result_list] == ["for the press"]


def test_share_link_admin_revoke_action_ends_the_link(staff_client, meeting_grid):
    token = share(meeting_grid.visit_a)
    link = ShareLink.objects.get()

    response = staff_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [link.pk]}, follow=True)

    assertContains(response, "1 share link revoked.")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert staff_client.get(f"/share/{token}/").status_code == 404


def test_delegation_change_page_links_to_its_share_links(member_client, meeting_grid):
    visit = meeting_grid.draft

    response = member_client("Editors").get(reverse("admin:delegations_delegation_change", args=[visit.pk]))

    assertContains(response, f'<a href="{CHANGELIST}?delegation__id__exact={visit.pk}">')
    assertContains(response, f'<a href="{ADD}?delegation={visit.pk}">Create a share link for this visit</a>', html=True)


def test_share_link_admin_add_form_takes_the_visit_from_the_address(staff_client, meeting_grid):
    response = staff_client.get(ADD, {"delegation": meeting_grid.draft.pk})

    assert response.context["adminform"].form.initial["delegation"] == str(meeting_grid.draft.pk)


def test_viewer_sees_share_links_but_cannot_create_or_revoke(member_client, meeting_grid):
    token = share(meeting_grid.visit_a, label="for Dalkia")
    link = ShareLink.objects.get()
    client = member_client("Viewers")

    listing = client.get(CHANGELIST)
    add_page = client.get(ADD)
    posted = client.post(ADD, {"delegation": meeting_grid.draft.pk, "label": "mine"})
    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [link.pk]})
    visit_page = client.get(reverse("admin:delegations_delegation_change", args=[meeting_grid.visit_a.pk]))

    assert [row.label for row in listing.context["cl"].result_list] == ["for Dalkia"]
    assertNotContains(listing, 'value="revoke"')
    assert (add_page.status_code, posted.status_code) == (403, 403)
    assert ShareLink.objects.get().revoked_at is None
    assert client.get(f"/share/{token}/").status_code == 200
    assertContains(visit_page, "This visit&#x27;s share links")
    assertNotContains(visit_page, "Create a share link")


# Revoked and expired links stay so until reactivated


def change_url(link: ShareLink) -> str:
    return reverse("admin:delegations_sharelink_change", args=[link.pk])


def expired_link(visit: Delegation) -> tuple[ShareLink, str]:
    token = share(visit, expires_at=timezone.now() + datetime.timedelta(minutes=1))
    link = ShareLink.objects.for_token(token).get()
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    link.refresh_from_db()
    return link, token


def later() -> dict:
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    return {"expires_at_0": tomorrow.date().isoformat(), "expires_at_1": "10:00"}


@pytest.mark.parametrize("state", ["expired", "revoked"])
@pytest.mark.parametrize("expiry", ["later", "none"])
def test_share_link_admin_new_expiry_does_not_bring_back_an_ended_link(staff_client, meeting_grid, state, expiry):
    link, token = expired_link(meeting_grid.draft)
    if state == "revoked":
        share_link_reactivate(link=link, expires_at=timezone.now() + datetime.timedelta(hours=1))
        share_links_revoke(links=ShareLink.objects.all())
    form = {"label": "for Dalkia", **(later() if expiry == "later" else {"expires_at_0": "", "expires_at_1": ""})}
    before = ShareLink.objects.values().get()

    response = staff_client.post(change_url(link), {**form, **opened_state(staff_client, change_url(link))})

    assert response.status_code == 200
    assertContains(
        response, "This link is revoked or expired: a new expiry does not bring it back. Tick “Reactivate” to do so."
    )
    assert ShareLink.objects.values().get() == before
    assert staff_client.get(f"/share/{token}/").status_code == 404


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_share_link_admin_reactivate_brings_the_link_back_and_records_it(staff_client, superuser, meeting_grid, state):
    link, token = expired_link(meeting_grid.draft)
    if state == "revoked":
        staff_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [link.pk]})
    page = staff_client.get(change_url(link))
    assertContains(page, 'name="reactivate"')

    opened = opened_state(staff_client, change_url(link))
    response = staff_client.post(change_url(link), {"label": "for Dalkia", "reactivate": "on", **later(), **opened})

    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.get_status(), link.revoked_at, link.expires_at > timezone.now()) == (
        ShareLink.Status.ACTIVE,
        None,
        True,
    )
    assert staff_client.get(f"/share/{token}/").status_code == 200
    latest = link.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("Reactivated", superuser)
    if state == "revoked":
        assert [record.history_change_reason for record in link.history.order_by("history_id")][-2:] == [
            "Revoked",
            "Reactivated",
        ]
    assertContains(staff_client.get(change_url(link)), f"Reactivated · {superuser.username}")
    assertNotContains(staff_client.get(change_url(link)), 'name="reactivate"')


def test_share_link_admin_reactivate_refuses_a_past_expiry_and_an_active_link(staff_client, meeting_grid):
    link, token = expired_link(meeting_grid.draft)
    active = ShareLink.objects.for_token(share(meeting_grid.draft)).get()

    past = staff_client.post(
        change_url(link),
        {
            "label": "for Dalkia",
            "reactivate": "on",
            "expires_at_0": "2001-01-01",
            "expires_at_1": "10:00",
            **opened_state(staff_client, change_url(link)),
        },
    )
    again = staff_client.post(
        change_url(active),
        {"label": "for Dalkia", "reactivate": "on", **opened_state(staff_client, change_url(active))},
    )

    assertContains(past, "Give an expiry in the future, or none.")
    assertContains(again, "This link is active: there is nothing to reactivate.")
    assert staff_client.get(f"/share/{token}/").status_code == 404


def test_share_link_admin_label_of_an_expired_link_changes_without_reactivating(staff_client, meeting_grid):
    link, token = expired_link(meeting_grid.draft)
    expires = timezone.localtime(link.expires_at)

    response = staff_client.post(
        change_url(link),
        {
            "label": "for Dalkia, renamed",
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": expires.time().isoformat(),
            **opened_state(staff_client, change_url(link)),
        },
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.label, link.get_status()) == ("for Dalkia, renamed", ShareLink.Status.EXPIRED)
    assert staff_client.get(f"/share/{token}/").status_code == 404


def test_share_link_reactivate_service_records_the_reason(db):
    link, token = expired_link(DelegationFactory())

    share_link_reactivate(link=link, expires_at=None)

    assert ShareLink.objects.active().for_token(token).get() == link
    assert link.history.latest().history_change_reason == "Reactivated"
