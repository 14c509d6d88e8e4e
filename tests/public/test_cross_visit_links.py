"""No public page, feed, export or share link shows a record of a visit it does not show, whatever links to it.

The database refuses a link between records of two visits (tests/delegations/test_links_inside_visit.py);
here such links are planted on purpose, with that rule dropped, as data written before it would hold
them: each kind of link from the published visit to the draft and back. Then every public address is
fetched (test_privacy's crawl) and none may name anything of the draft; every address of a share link to
the draft, nothing of the published visit.
"""

import re

import pytest
from django.urls import reverse

from delegations.models import Agreement, FollowUp, ItineraryItem
from meetings.models import Meeting
from tests.helpers import links_across_visits_allowed
from tests.public.test_privacy import build_world, leaks_in, public_requests, shared_requests


def records_of(visit) -> dict[str, list]:
    return {
        # The B2B session, then the timed official meeting ("b2b_session" < "official_meeting").
        "items": list(ItineraryItem.objects.filter(delegation=visit).order_by("kind")),
        "agreements": list(Agreement.objects.filter(delegation=visit)),
        "follow_ups": list(FollowUp.objects.filter(delegation=visit)),
        "meetings": list(Meeting.objects.filter(delegation=visit).order_by("start_time")),
    }


def anchors(records: dict[str, list]) -> list[str]:
    """The addresses a page would give these records, and their ids on their own visit's pages."""
    names = {"items": "item", "agreements": "agreement", "follow_ups": "follow-up", "meetings": "meeting"}
    return [f'{names[kind]}-{record.pk}"' for kind, rows in records.items() for record in rows]


@pytest.fixture
def linked_world(db):
    world = build_world()
    published, draft = records_of(world.published), records_of(world.draft)
    with links_across_visits_allowed():
        for one, other in ((published, draft), (draft, published)):
            session, timed = other["items"]
            Agreement.objects.filter(pk=one["agreements"][0].pk).update(signing_item=timed)
            FollowUp.objects.filter(pk=one["follow_ups"][0].pk).update(
                itinerary_item=session, agreement=other["agreements"][0]
            )
            Meeting.objects.filter(pk=one["meetings"][0].pk).update(session=session)
            one["meetings"][1].follow_ups.add(other["follow_ups"][0])
    return world, published, draft


def test_no_public_response_names_a_draft_record_linked_from_a_published_one(client, linked_world):
    world, _published, draft = linked_world
    requests = public_requests(world)

    leaks, wrong_status = leaks_in(client, requests, [*world.markers, *anchors(draft)])

    assert len(requests) > 150
    assert wrong_status == []
    assert leaks == []


def test_a_share_link_to_the_draft_names_nothing_of_the_published_visit_linked_from_it(client, linked_world):
    world, published, _draft = linked_world
    texts = [
        "Talks at the Senate",
        "B2B session in Lyon",
        "Cooperation agreement",
        "Public follow-up text",
        "Public outcome",
    ]
    forbidden = [marker for marker in world.markers if not marker.startswith("MARKER-draft-")]
    requests = shared_requests(world, world.tokens["draft"])

    leaks, wrong_status = leaks_in(client, requests, [*forbidden, *texts, *anchors(published)])

    assert len(requests) > 40
    assert wrong_status == []
    assert leaks == []


def test_published_itinerary_counts_only_its_own_meetings_in_a_session(client, linked_world):
    """A draft meeting planted in the published visit's session is not counted there."""
    world = linked_world[0]

    response = client.get(reverse("public:visit-detail", kwargs={"slug": world.published.slug}))

    counts = {item.pk: item.annotations["meeting_count"] for item in response.context["programme"].items}
    own = Meeting.objects.filter(session=world.session, delegation=world.published).exclude(status="cancelled")
    assert counts[world.session.pk] == own.count() == 3
    assert re.search(r"3 meetings</a>", response.text)


def test_the_planted_links_are_really_there(linked_world):
    """A guard on the test itself: the links across visits exist, so their absence from the pages means something."""
    world, published, draft = linked_world

    follow_up = FollowUp.objects.get(pk=published["follow_ups"][0].pk)
    assert follow_up.itinerary_item.delegation == world.draft
    assert follow_up.agreement.delegation == world.draft
    assert Agreement.objects.get(pk=published["agreements"][0].pk).signing_item.delegation == world.draft
    assert Meeting.objects.get(pk=draft["meetings"][0].pk).session.delegation == world.published
    assert set(published["meetings"][1].follow_ups.values_list("delegation", flat=True)) == {
        world.published.pk,
        world.draft.pk,
    }
