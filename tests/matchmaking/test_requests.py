"""Meeting requests: one per asker, target and visit; mutual wishes recognised; accept, decline and merge."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matchmaking.models import MeetingRequest
from matchmaking.services import request_merge, requests_accept, requests_decline
from tests.factories import DelegationFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def orgs(db):
    return {
        "visit": DelegationFactory(),
        "dalkia": OrganizationFactory(name="Dalkia"),
        "ministry": OrganizationFactory(name="Ministry"),
        "fund": OrganizationFactory(name="Fund"),
    }


def ask(orgs, asker, target, **fields):
    return MeetingRequest.objects.create(
        delegation=orgs["visit"],
        asker_organization=orgs[asker],
        target_organization=orgs[target],
        reason=fields.pop("reason", "Why not."),
        **fields,
    )


def test_request_once_per_asker_target_and_visit(orgs):
    ask(orgs, "dalkia", "ministry")
    duplicate = MeetingRequest(
        delegation=orgs["visit"], asker_organization=orgs["dalkia"], target_organization=orgs["ministry"], reason="x"
    )
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert refused.value.messages == ["This organization already asked to meet that one during this visit."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_request_to_itself_is_refused(orgs):
    request = MeetingRequest(
        delegation=orgs["visit"], asker_organization=orgs["dalkia"], target_organization=orgs["dalkia"], reason="x"
    )
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert refused.value.messages == ["An organization cannot ask to meet itself."]


def test_mutual_wishes_are_recognised_both_ways(orgs):
    there = ask(orgs, "dalkia", "ministry")
    back = ask(orgs, "ministry", "dalkia")
    alone = ask(orgs, "dalkia", "fund")
    mutual = dict(MeetingRequest.objects.with_mutual().values_list("pk", "is_mutual"))
    assert mutual == {there.pk: True, back.pk: True, alone.pk: False}


def test_a_withdrawn_wish_is_not_mutual(orgs):
    there = ask(orgs, "dalkia", "ministry")
    ask(orgs, "ministry", "dalkia", status=MeetingRequest.Status.WITHDRAWN)
    assert MeetingRequest.objects.with_mutual().get(pk=there.pk).is_mutual is False


def test_mutual_only_within_the_same_visit(orgs):
    there = ask(orgs, "dalkia", "ministry")
    MeetingRequest.objects.create(
        delegation=DelegationFactory(),
        asker_organization=orgs["ministry"],
        target_organization=orgs["dalkia"],
        reason="Other visit.",
    )
    assert MeetingRequest.objects.with_mutual().get(pk=there.pk).is_mutual is False


def test_accept_and_decline_move_only_the_requests_they_may(orgs):
    submitted = ask(orgs, "dalkia", "ministry")
    withdrawn = ask(orgs, "dalkia", "fund", status=MeetingRequest.Status.WITHDRAWN)
    assert requests_accept(requests=MeetingRequest.objects.all()) == 1
    submitted.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (submitted.status, withdrawn.status) == ("accepted", "withdrawn")
    assert requests_decline(requests=MeetingRequest.objects.all()) == 1
    submitted.refresh_from_db()
    assert submitted.status == "declined"
    assert [r.status for r in submitted.history.order_by("history_date", "history_id")] == [
        "submitted",
        "accepted",
        "declined",
    ]


def test_merge_keeps_one_request_with_the_best_of_both(orgs):
    person = PersonFactory()
    ministry2 = OrganizationFactory(name="Ministry (duplicate record)")
    orgs["ministry2"] = ministry2
    keep = ask(orgs, "dalkia", "ministry", priority=3, reason="Boilers.")
    duplicate = ask(orgs, "dalkia", "ministry2", priority=1, reason="Schools.", target_person=person, status="accepted")
    merged = request_merge(keep=keep, duplicate=duplicate)
    assert MeetingRequest.objects.get() == merged
    assert (merged.priority, merged.reason, merged.target_person, merged.status) == (
        1,
        "Boilers.\nSchools.",
        person,
        "accepted",
    )
    assert merged.target_organization == orgs["ministry"]


def test_merge_refuses_requests_of_unrelated_organizations(orgs):
    keep = ask(orgs, "dalkia", "ministry")
    other = ask(orgs, "fund", "dalkia")
    with pytest.raises(ValidationError) as refused:
        request_merge(keep=keep, duplicate=other)
    assert "same visit, from the same organization or to the same one" in refused.value.messages[0]
    assert MeetingRequest.objects.count() == 2


def test_links_to_another_visits_records_are_refused_by_validation_and_database(orgs):
    from tests.factories import ItineraryItemFactory, MeetingFactory

    other_visit_meeting = MeetingFactory()
    request = ask(orgs, "dalkia", "ministry")
    request.meeting = other_visit_meeting
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert "belongs to another visit" in refused.value.message_dict["meeting"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()
    from matchmaking.services import invitation_create

    with pytest.raises(ValidationError) as refused:
        invitation_create(
            delegation=orgs["visit"], label="x", side="host", sessions=[ItineraryItemFactory()], created_by=None
        )
    assert "belongs to another visit" in refused.value.message_dict["sessions"][0]
