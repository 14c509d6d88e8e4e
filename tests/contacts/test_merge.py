"""Merging two people or two organizations (contacts.merging.contact_merge): every reference moves,
duplicates fold into one, history is written, and what would double-book is refused, writing nothing."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from simple_history.models import HistoricalChanges

from contacts.merging import MergeRefused, contact_merge, merge_references, reference_counts
from contacts.models import Organization, Person, Position
from delegations.models import AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from matchmaking.models import MeetingRequest, Registration, RegistrationAttendee
from meetings.models import Booking, Meeting, MeetingParticipant
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DelegationFactory,
    DelegationMemberFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    VenueFactory,
)

# Every field that points to a person or an organization. A new one fails
# test_merge_references_are_every_relation until it is added here and to the worlds below.
PERSON_REFERENCES = {
    "contacts.Position.person",
    "delegations.AgreementParty.signatory",
    "delegations.DelegationMember.person",
    "delegations.ItineraryItem.delegation_participants",
    "delegations.ItineraryItem.host_participants",
    "matchmaking.MeetingRequest.asker_person",
    "matchmaking.MeetingRequest.target_person",
    "matchmaking.RegistrationAttendee.person",
    "meetings.MeetingParticipant.person",
}
ORGANIZATION_REFERENCES = {
    "contacts.Organization.parent",
    "contacts.Position.organization",
    "delegations.AgreementParty.organization",
    "delegations.Delegation.leading_body",
    "delegations.Delegation.organiser",
    "delegations.Delegation.supporting_organizations",
    "delegations.DelegationMember.organization",
    "delegations.FollowUp.organizations",
    "delegations.ItineraryItem.hosts",
    "delegations.Venue.organization",
    "matchmaking.MeetingRequest.asker_organization",
    "matchmaking.MeetingRequest.target_organization",
    "matchmaking.Registration.organization",
    "meetings.Meeting.delegation_organization",
    "meetings.Meeting.host_organization",
}


def key(reference) -> str:
    return f"{reference.model._meta.label}.{reference.field.name}"


def relations_to(target) -> set[str]:
    """Found here on their own, the way a reader of the models would: every concrete relation of every
    model, history records and proxies aside."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or model._meta.auto_created or issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is target:
                found.add(f"{model._meta.label}.{field.name}")
    return found


@pytest.mark.parametrize(("target", "expected"), [(Person, PERSON_REFERENCES), (Organization, ORGANIZATION_REFERENCES)])
def test_merge_references_are_every_relation(target, expected):
    assert relations_to(target) == expected
    assert {key(reference) for reference in merge_references(target)} == expected


def at(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


@pytest.fixture
def people_world(db):
    """Two records of Sergei Levchenko, each referred to by every kind of row, some of them twice."""
    kept = PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко", other_names="Levtchenko S.")
    merged = PersonFactory(name="Sergei Levchenko", native_name="", other_names="LEVCHENKO Sergey", email="s@l.ru")
    company = OrganizationFactory(name="Insitilab")
    visit = DelegationFactory(title="Irkutsk in France")
    other_visit = DelegationFactory(title="Irkutsk in Lyon")
    world = {"kept": kept, "merged": merged, "visit": visit}
    PositionFactory(person=merged, organization=company, title="Governor")
    PositionFactory(person=kept, organization=company, title="Adviser")
    PositionFactory(person=merged, organization=company, title="Adviser")  # the same position twice: folds
    DelegationMemberFactory(delegation=visit, person=merged, title="Governor")
    DelegationMemberFactory(delegation=other_visit, person=kept, title="Governor", order=0)
    DelegationMemberFactory(delegation=other_visit, person=merged, title="Governor", order=3)  # folds, order 3
    item = ItineraryItemFactory(delegation=visit, title="Senate")
    item.delegation_participants.add(merged)
    item.host_participants.add(merged)
    both = ItineraryItemFactory(delegation=visit, title="Eurexpo")
    both.delegation_participants.add(merged, kept)
    AgreementPartyFactory(agreement=AgreementFactory(delegation=visit), signatory=merged)
    meeting = MeetingFactory(delegation=visit, start_time=at(10), end_time=at(10, 30))
    MeetingParticipantFactory(meeting=meeting, person=merged)
    shared = MeetingFactory(delegation=visit, start_time=at(11), end_time=at(11, 30))
    MeetingParticipantFactory(meeting=shared, person=merged)
    MeetingParticipantFactory(meeting=shared, person=kept)  # the same person twice in one meeting: folds
    registration = Registration.objects.create(delegation=visit, organization=company)
    RegistrationAttendee.objects.create(registration=registration, person=merged, title="Governor")
    MeetingRequest.objects.create(
        delegation=visit,
        asker_organization=company,
        asker_person=merged,
        target_organization=OrganizationFactory(),
        target_person=merged,
        reason="Timber.",
    )
    world.update(meeting=meeting, shared=shared, item=item, both=both, registration=registration)
    return world


def counts(person: Person) -> dict[str, int]:
    return {key(reference): reference.rows(person).count() for reference in merge_references(Person)}


def test_merge_people_moves_every_reference(people_world):
    kept, merged = people_world["kept"], people_world["merged"]
    before = counts(merged)
    assert all(before[name] > 0 for name in PERSON_REFERENCES), before  # the world holds every kind

    summary = contact_merge(kept=kept, merged=merged)

    assert not Person.objects.filter(pk=merged.pk).exists()
    assert counts(kept) == {
        "contacts.Position.person": 2,
        "delegations.AgreementParty.signatory": 1,
        "delegations.DelegationMember.person": 2,
        "delegations.ItineraryItem.delegation_participants": 2,
        "delegations.ItineraryItem.host_participants": 1,
        "matchmaking.MeetingRequest.asker_person": 1,
        "matchmaking.MeetingRequest.target_person": 1,
        "matchmaking.RegistrationAttendee.person": 1,
        "meetings.MeetingParticipant.person": 2,
    }
    assert sorted(Position.objects.filter(person=kept).values_list("title", flat=True)) == ["Adviser", "Governor"]
    assert list(DelegationMember.objects.filter(person=kept).order_by("delegation__title").values_list("order")) == [
        (0,),
        (3,),
    ]
    assert list(people_world["both"].delegation_participants.all()) == [kept]
    assert list(people_world["shared"].participants.values_list("person", flat=True)) == [kept.pk]
    assert summary.moved == {
        "B2B matchmaking › Attendees (person)": 1,
        "Visits and outcomes › Delegation members (person)": 1,
        "Visits and outcomes › Itinerary items (participants from the delegation)": 1,
        "Visits and outcomes › Itinerary items (participants from the host side)": 1,
        "B2B matchmaking › Meeting requests (asking person)": 1,
        "B2B matchmaking › Meeting requests (person asked)": 1,
        "Visits and outcomes › Parties (signatory)": 1,
        "B2B meetings › Participants (person)": 1,
        "Contacts › Positions (person)": 1,
    }
    assert summary.collapsed == {
        "Visits and outcomes › Delegation members (person)": 1,
        "Visits and outcomes › Itinerary items (participants from the delegation)": 1,
        "B2B meetings › Participants (person)": 1,
        "Contacts › Positions (person)": 1,
    }
    kept.refresh_from_db()
    assert kept.name == "Sergueï Levtchenko"
    assert kept.other_names == "Levtchenko S., Sergei Levchenko, LEVCHENKO Sergey"
    assert kept.email == "s@l.ru"  # empty on the kept record: taken from the merged one
    assert Person.objects.search("Levchenko").get() == kept
    # The merged person's bookings are the kept one's now.
    assert sorted(Booking.objects.filter(resource__startswith="person:").values_list("resource", "meeting")) == [
        (f"person:{kept.pk}", people_world["meeting"].pk),
        (f"person:{kept.pk}", people_world["shared"].pk),
    ]


def test_merge_people_writes_history(people_world):
    kept, merged = people_world["kept"], people_world["merged"]
    reason = f"Merged “Sergei Levchenko” (#{merged.pk}) into “Sergueï Levtchenko”"
    participant = MeetingParticipant.objects.get(meeting=people_world["meeting"])

    contact_merge(kept=kept, merged=merged)

    moved = participant.history.latest()
    assert (moved.history_type, moved.person_id, moved.history_change_reason) == ("~", kept.pk, reason)
    folded = MeetingParticipant.history.filter(meeting=people_world["shared"], person=merged.pk).latest()
    assert (folded.history_type, folded.history_change_reason) == ("-", reason)
    gone = Person.history.filter(id=merged.pk).latest()
    assert (gone.history_type, gone.name, gone.history_change_reason) == ("-", "Sergei Levchenko", reason)
    kept_record = kept.history.latest()
    assert (kept_record.history_type, kept_record.history_change_reason) == ("~", reason)
    item = people_world["item"].history.latest()
    assert item.history_change_reason == reason
    assert [p.person_id for p in item.host_participants.all()] == [kept.pk]
    for model in (Position, DelegationMember, AgreementParty, RegistrationAttendee, MeetingRequest):
        assert model.history.filter(history_change_reason=reason).exists(), model


def everything() -> dict[str, list]:
    """Every row that a merge may touch, as values."""
    tables = (Person, Organization, Position, DelegationMember, AgreementParty, MeetingParticipant, Booking)
    tables += (Meeting, MeetingRequest, RegistrationAttendee, Registration, Delegation, Venue, FollowUp)
    state = {model._meta.label: list(model.objects.order_by("pk").values()) for model in tables}
    for through in (ItineraryItem.delegation_participants.through, ItineraryItem.host_participants.through):
        state[through._meta.label] = list(through.objects.order_by("pk").values())
    state["history"] = sorted(
        (model._meta.label, model.objects.count())
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    )
    return state


def test_merge_people_refused_when_it_would_double_book(people_world):
    kept, merged = people_world["kept"], people_world["merged"]
    clash = MeetingFactory(delegation=people_world["visit"], start_time=at(10, 15), end_time=at(10, 45))
    MeetingParticipantFactory(meeting=clash, person=kept)
    before = everything()

    with pytest.raises(MergeRefused) as refused:
        contact_merge(kept=kept, merged=merged)

    assert refused.value.messages == [
        f"“Sergei Levchenko” and “Sergueï Levtchenko” would be one in two meetings at overlapping times: "
        f"“{people_world['meeting']}” and “{clash}”.",
        "Move or cancel one of the meetings, then merge again.",
    ]
    assert everything() == before


def test_merge_people_refused_when_duplicates_differ(people_world):
    kept, merged = people_world["kept"], people_world["merged"]
    MeetingParticipant.objects.filter(meeting=people_world["shared"], person=kept).update(
        side=MeetingParticipant.Side.HOST
    )
    before = everything()

    with pytest.raises(MergeRefused) as refused:
        contact_merge(kept=kept, merged=merged)

    assert refused.value.messages == [
        "“Sergueï Levtchenko (Delegation side)” and “Sergueï Levtchenko (Host side)” (participant) would become "
        "one, but differ in side: “Delegation side” and “Host side”. Make them the same, or delete one, "
        "then merge again."
    ]
    assert everything() == before


def test_merge_refused_for_one_record_or_two_kinds(people_world):
    kept = people_world["kept"]
    with pytest.raises(MergeRefused) as same:
        contact_merge(kept=kept, merged=Person.objects.get(pk=kept.pk))
    assert same.value.messages == ["Choose two different records to merge."]
    with pytest.raises(MergeRefused) as kinds:
        contact_merge(kept=kept, merged=OrganizationFactory())
    assert kinds.value.messages == ["Only two records of the same kind can be merged."]


@pytest.fixture
def organizations_world(db):
    """Insitilab entered twice, each referred to by every kind of row."""
    kept = OrganizationFactory(name="Insitilab LLC", native_name="", website="")
    merged = OrganizationFactory(name="OOO Insitilab", native_name="ООО Инситилаб", website="https://insitilab.ru")
    other = OrganizationFactory(name="Dalkia")
    OrganizationFactory(name="Insitilab Lyon", parent=merged)
    PositionFactory(organization=merged)
    visit = DelegationFactory(organiser=merged, leading_body=merged)
    visit.supporting_organizations.add(merged, kept)  # both listed: one link stays
    DelegationMemberFactory(delegation=visit, organization=merged)
    VenueFactory(organization=merged)
    item = ItineraryItemFactory(delegation=visit)
    item.hosts.add(merged)
    AgreementPartyFactory(agreement=AgreementFactory(delegation=visit), organization=merged)
    FollowUpFactory(delegation=visit).organizations.add(merged)
    first = MeetingFactory(delegation=visit, delegation_organization=merged, host_organization=other)
    second = MeetingFactory(
        delegation=visit, delegation_organization=other, host_organization=merged, start_time=at(16), end_time=at(17)
    )
    Registration.objects.create(delegation=visit, organization=merged)
    MeetingRequest.objects.create(
        delegation=visit, asker_organization=merged, target_organization=other, reason="Timber."
    )
    MeetingRequest.objects.create(
        delegation=visit, asker_organization=other, target_organization=merged, reason="Lasers."
    )
    return {"kept": kept, "merged": merged, "other": other, "visit": visit, "meetings": (first, second)}


def test_merge_organizations_moves_every_reference(organizations_world):
    kept, merged = organizations_world["kept"], organizations_world["merged"]
    references = merge_references(Organization)
    assert all(reference.rows(merged).exists() for reference in references)

    contact_merge(kept=kept, merged=merged)

    assert not Organization.objects.filter(pk=merged.pk).exists()
    assert {key(reference): reference.rows(kept).count() for reference in references} == dict.fromkeys(
        ORGANIZATION_REFERENCES, 1
    )
    kept.refresh_from_db()
    assert (kept.name, kept.native_name, kept.website) == ("Insitilab LLC", "ООО Инситилаб", "https://insitilab.ru")
    first, second = organizations_world["meetings"]
    assert sorted(Booking.objects.filter(resource__startswith="org:").values_list("meeting", "resource")) == [
        (first.pk, f"org:{kept.pk}"),
        (first.pk, f"org:{organizations_world['other'].pk}"),
        (second.pk, f"org:{kept.pk}"),
        (second.pk, f"org:{organizations_world['other'].pk}"),
    ]
    assert Organization.history.filter(id=merged.pk).latest().history_type == "-"


def test_merge_organizations_refused_when_one_would_meet_itself(organizations_world):
    kept, merged, other = organizations_world["kept"], organizations_world["merged"], organizations_world["other"]
    meeting = MeetingFactory(
        delegation=organizations_world["visit"],
        delegation_organization=merged,
        host_organization=kept,
        start_time=at(9),
        end_time=at(9, 30),
    )
    before = everything()

    with pytest.raises(MergeRefused) as refused:
        contact_merge(kept=kept, merged=merged)

    assert refused.value.messages == [
        f"“{meeting}” (B2B meeting) cannot refer to “Insitilab LLC”: The two sides must be different organizations."
    ]
    assert everything() == before
    assert other.pk  # untouched


def test_merge_organizations_refused_when_it_would_double_book(organizations_world):
    kept, merged = organizations_world["kept"], organizations_world["merged"]
    first, _second = organizations_world["meetings"]
    clash = MeetingFactory(
        delegation=organizations_world["visit"],
        delegation_organization=kept,
        host_organization=OrganizationFactory(),
        start_time=first.start_time,
        end_time=first.end_time,
    )
    before = everything()

    with pytest.raises(MergeRefused) as refused:
        contact_merge(kept=kept, merged=merged)

    assert refused.value.messages == [
        f"“OOO Insitilab” and “Insitilab LLC” would be one in two meetings at overlapping times: "
        f"“{first}” and “{clash}”.",
        "Move or cancel one of the meetings, then merge again.",
    ]
    assert everything() == before


def test_reference_counts_name_each_kind(people_world):
    assert reference_counts(people_world["kept"]) == [
        ("Contacts › Positions (person)", 1),
        ("Visits and outcomes › Delegation members (person)", 1),
        ("Visits and outcomes › Itinerary items (participants from the delegation)", 1),
        ("B2B meetings › Participants (person)", 1),
    ]


def test_merge_leaves_unrelated_rows(people_world):
    bystander = PersonFactory(name="Igor Kobzev")
    MeetingParticipantFactory(meeting=people_world["meeting"], person=bystander)
    contact_merge(kept=people_world["kept"], merged=people_world["merged"])
    assert MeetingParticipant.objects.filter(person=bystander).count() == 1
    assert isinstance(Person._meta.get_field("other_names"), models.CharField)
