"""Every data rule is held twice: by validation (forms, `full_clean`) and by the database itself.

Each case returns a row that breaks one rule. It is unsaved, except where breaking the rule
needs the row's own id (an organization as its own parent): saving it is then an update.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction

from contacts.models import Organization, Person, Sector
from delegations.models import Delegation, DelegationMember, ShareLink
from delegations.services import share_link_create
from matchmaking.models import (
    Availability,
    Invitation,
    MeetingRequest,
    Registration,
    RegistrationAttendee,
    SessionAgenda,
)
from matchmaking.services import agendas_publish, invitation_create
from meetings.models import Booking
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

APPS = ("contacts", "delegations", "meetings", "matchmaking")


def database_error_naming(model, constraint_name: str, columns: list[str]) -> str:
    """How each backend names the refused rule: SQLite names unique columns, not the constraint."""
    if connection.vendor == "postgresql":
        return f'constraint "{constraint_name}"'
    if columns:
        return "UNIQUE constraint failed: " + ", ".join(f"{model._meta.db_table}.{column}" for column in columns)
    return f"CHECK constraint failed: {constraint_name}"


def position_end_before_start():
    return PositionFactory.build(
        person=PersonFactory(),
        organization=OrganizationFactory(),
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2017, 12, 31),
    )


def organization_own_parent():
    organization = OrganizationFactory()
    organization.parent = organization
    return organization


def venue_same_name_and_city():
    VenueFactory(name="Eurexpo", city="Lyon")
    return VenueFactory.build(name="Eurexpo", city="Lyon")


def delegation_end_before_start():
    return DelegationFactory.build(
        organiser=OrganizationFactory(),
        start_date=datetime.date(2018, 11, 26),
        end_date=datetime.date(2018, 11, 25),
    )


def member_twice_in_delegation():
    member = DelegationMemberFactory()
    return DelegationMemberFactory.build(delegation=member.delegation, person=member.person, role="minister")


def second_head():
    head = DelegationMemberFactory(role=DelegationMember.Role.HEAD)
    return DelegationMemberFactory.build(
        delegation=head.delegation, person=PersonFactory(), role=DelegationMember.Role.HEAD
    )


def member_neither_person_nor_office():
    return DelegationMemberFactory.build(
        delegation=DelegationFactory(), person=None, title="Head of the committee", organization=None
    )


def visit_no_document_without_detail():
    return DelegationFactory.build(organiser=OrganizationFactory(), agreements_without_detail=0)


def item_no_document_without_detail():
    return ItineraryItemFactory.build(delegation=DelegationFactory(), venue=VenueFactory(), agreements_without_detail=0)


def item_end_without_start():
    return ItineraryItemFactory.build(
        delegation=DelegationFactory(), venue=VenueFactory(), start_time=None, end_time=datetime.time(11, 0)
    )


def item_end_before_start():
    return ItineraryItemFactory.build(
        delegation=DelegationFactory(),
        venue=VenueFactory(),
        start_time=datetime.time(11, 0),
        end_time=datetime.time(10, 59),
    )


def item_approximation_without_size():
    return ItineraryItemFactory.build(
        delegation=DelegationFactory(), venue=VenueFactory(), audience_approximation="more_than", audience_size=None
    )


def party_twice_in_agreement():
    party = AgreementPartyFactory()
    return AgreementPartyFactory.build(agreement=party.agreement, organization=party.organization)


def meeting(**kwargs):
    if "delegation_organization" not in kwargs:
        kwargs.update(delegation_organization=OrganizationFactory(), host_organization=OrganizationFactory())
    return MeetingFactory.build(delegation=DelegationFactory(), venue=VenueFactory(), **kwargs)


def meeting_end_without_start():
    return meeting(start_time=None, end_time=datetime.time(14, 30))


def meeting_start_without_end():
    return meeting(start_time=datetime.time(14, 0), end_time=None)


def meeting_end_before_start():
    return meeting(start_time=datetime.time(14, 30), end_time=datetime.time(14, 0))


def meeting_end_at_start():
    return meeting(start_time=datetime.time(14, 30), end_time=datetime.time(14, 30))


def meeting_with_itself():
    organization = OrganizationFactory()
    return meeting(delegation_organization=organization, host_organization=organization)


def meeting_with_one_side():
    built = meeting()
    built.host_organization = built.delegation_organization
    return built


def booking_ending_at_start():
    booked = MeetingFactory()
    return Booking(meeting=booked, resource="org:0", starts_at=booked.starts_at, ends_at=booked.starts_at)


def participant_twice_in_meeting():
    participant = MeetingParticipantFactory()
    return MeetingParticipantFactory.build(meeting=participant.meeting, person=participant.person, side="host")


def registration(**kwargs):
    return Registration.objects.create(
        delegation=kwargs.pop("delegation", None) or DelegationFactory(), organization=OrganizationFactory(), **kwargs
    )


def registration_twice():
    first = registration()
    return Registration(delegation=first.delegation, organization=first.organization)


def attendee_twice():
    first = RegistrationAttendee.objects.create(registration=registration(), person=PersonFactory())
    return RegistrationAttendee(registration=first.registration, person=first.person)


def availability(**kwargs):
    registered = registration()
    session = ItineraryItemFactory(delegation=registered.delegation, kind="b2b_session")
    defaults = {"start_time": datetime.time(14, 0), "end_time": datetime.time(14, 30)}
    return Availability(registration=registered, session=session, **{**defaults, **kwargs})


def slot_twice():
    first = availability()
    first.save()
    return Availability(
        registration=first.registration, session=first.session, start_time=first.start_time, end_time=first.end_time
    )


def request_twice():
    first = MeetingRequest.objects.create(
        delegation=DelegationFactory(),
        asker_organization=OrganizationFactory(),
        target_organization=OrganizationFactory(),
        reason="Boilers.",
    )
    return MeetingRequest(
        delegation=first.delegation,
        asker_organization=first.asker_organization,
        target_organization=first.target_organization,
        reason="Again.",
    )


def request_to_itself():
    organization = OrganizationFactory()
    return MeetingRequest(
        delegation=DelegationFactory(), asker_organization=organization, target_organization=organization, reason="x"
    )


CONSTRAINT_CASES = [
    pytest.param(
        "position_end_not_before_start",
        position_end_before_start,
        "A position cannot end before it starts.",
        id="position_end_not_before_start",
    ),
    pytest.param(
        "organization_not_own_parent",
        organization_own_parent,
        "An organization cannot be its own parent.",
        id="organization_not_own_parent",
    ),
    pytest.param(
        "venue_unique_name_city",
        venue_same_name_and_city,
        "There is already a venue of that name in that city.",
        id="venue_unique_name_city",
    ),
    pytest.param(
        "delegation_end_not_before_start",
        delegation_end_before_start,
        "The last day cannot be before the first day.",
        id="delegation_end_not_before_start",
    ),
    pytest.param(
        "member_unique_person_per_delegation",
        member_twice_in_delegation,
        "This person is already a member of this delegation.",
        id="member_unique_person_per_delegation",
    ),
    pytest.param(
        "member_one_head_per_delegation",
        second_head,
        "This delegation already has a head.",
        id="member_one_head_per_delegation",
    ),
    pytest.param(
        "member_person_or_office",
        member_neither_person_nor_office,
        "Give a person, or for an office whose holder is not named, its title (in English) and its organization.",
        id="member_person_or_office",
    ),
    pytest.param(
        "delegation_agreements_without_detail_positive",
        visit_no_document_without_detail,
        "Give at least one document reported without detail, or leave the number empty.",
        id="delegation_agreements_without_detail_positive",
    ),
    pytest.param(
        "item_agreements_without_detail_positive",
        item_no_document_without_detail,
        "Give at least one document reported without detail, or leave the number empty.",
        id="item_agreements_without_detail_positive",
    ),
    pytest.param(
        "item_end_needs_start",
        item_end_without_start,
        "Give a start time with the end time.",
        id="item_end_needs_start",
    ),
    pytest.param(
        "item_end_not_before_start",
        item_end_before_start,
        "The end time cannot be before the start time.",
        id="item_end_not_before_start",
    ),
    pytest.param(
        "item_approximation_needs_size",
        item_approximation_without_size,
        "Give the audience size with its approximation.",
        id="item_approximation_needs_size",
    ),
    pytest.param(
        "party_unique_organization_per_agreement",
        party_twice_in_agreement,
        "This organization is already a party to this agreement.",
        id="party_unique_organization_per_agreement",
    ),
    pytest.param(
        "meeting_slot_complete",
        meeting_end_without_start,
        "Give both the start and the end time, or neither until the slot is set.",
        id="meeting_slot_complete-end-only",
    ),
    pytest.param(
        "meeting_slot_complete",
        meeting_start_without_end,
        "Give both the start and the end time, or neither until the slot is set.",
        id="meeting_slot_complete-start-only",
    ),
    pytest.param(
        "meeting_end_after_start",
        meeting_end_before_start,
        "The meeting must end after it starts.",
        id="meeting_end_after_start-before",
    ),
    pytest.param(
        "meeting_end_after_start",
        meeting_end_at_start,
        "The meeting must end after it starts.",
        id="meeting_end_after_start-equal",
    ),
    pytest.param(
        "meeting_two_distinct_sides",
        meeting_with_itself,
        "The two sides must be different organizations.",
        id="meeting_two_distinct_sides",
    ),
    pytest.param(
        "meeting_two_distinct_sides",
        meeting_with_one_side,
        "The two sides must be different organizations.",
        id="meeting_two_distinct_sides-changed",
    ),
    pytest.param(
        "participant_unique_person_per_meeting",
        participant_twice_in_meeting,
        "This person is already in this meeting.",
        id="participant_unique_person_per_meeting",
    ),
    pytest.param(
        "booking_ends_after_start",
        booking_ending_at_start,
        "A booking must end after it starts.",
        id="booking_ends_after_start",
    ),
    pytest.param(
        "registration_one_per_organization_and_visit",
        registration_twice,
        "This organization is already registered for this visit.",
        id="registration_one_per_organization_and_visit",
    ),
    pytest.param(
        "attendee_once_per_registration",
        attendee_twice,
        "This person is already among the attendees.",
        id="attendee_once_per_registration",
    ),
    pytest.param("availability_slot_once", slot_twice, "This slot is already given.", id="availability_slot_once"),
    pytest.param(
        "availability_end_after_start",
        lambda: availability(end_time=datetime.time(14, 0)),
        "A slot must end after it starts.",
        id="availability_end_after_start",
    ),
    pytest.param(
        "request_once_per_pair_and_visit",
        request_twice,
        "This organization already asked to meet that one during this visit.",
        id="request_once_per_pair_and_visit",
    ),
    pytest.param(
        "request_two_distinct_organizations",
        request_to_itself,
        "An organization cannot ask to meet itself.",
        id="request_two_distinct_organizations",
    ),
]


FAR_FUTURE = datetime.date(9999, 12, 31)
RANGE_MESSAGE = "Give a date between 1 January 1900 and 31 December 2200."

# Dates every page can show (core.dates): the field's validator refuses a date outside 1900-2200 before
# the constraint is looked at; the database refuses it too.
DATE_RANGE_CASES = [
    pytest.param(
        "position_dates_in_range",
        lambda: PositionFactory.build(
            person=PersonFactory(), organization=OrganizationFactory(), start_date=datetime.date(1899, 12, 31)
        ),
        "start_date",
        id="position-start",
    ),
    pytest.param(
        "delegation_dates_in_range",
        lambda: DelegationFactory.build(
            organiser=OrganizationFactory(), start_date=datetime.date(2018, 11, 26), end_date=FAR_FUTURE
        ),
        "end_date",
        id="delegation-end",
    ),
    pytest.param(
        "item_day_in_range",
        lambda: ItineraryItemFactory.build(
            delegation=DelegationFactory(), venue=VenueFactory(), day=datetime.date(2201, 1, 1)
        ),
        "day",
        id="item-day",
    ),
    pytest.param(
        "agreement_signed_on_in_range",
        lambda: AgreementFactory.build(delegation=DelegationFactory(), signed_on=datetime.date(1, 1, 1)),
        "signed_on",
        id="agreement-signed-on",
    ),
    pytest.param(
        "follow_up_due_date_in_range",
        lambda: FollowUpFactory.build(delegation=DelegationFactory(), due_date=FAR_FUTURE),
        "due_date",
        id="follow-up-due-date",
    ),
    pytest.param(
        "share_link_expiry_in_range",
        lambda: ShareLink(
            delegation=DelegationFactory(),
            label="for Dalkia",
            token_hash="0" * 64,
            expires_at=datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
        ),
        "expires_at",
        id="share-link-expiry",
    ),
    pytest.param(
        "invitation_expiry_in_range",
        lambda: Invitation(
            delegation=DelegationFactory(),
            label="for Dalkia",
            token_hash="0" * 64,
            expires_at=datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
        ),
        "expires_at",
        id="invitation-expiry",
    ),
    pytest.param(
        "meeting_date_in_range",
        lambda: meeting(date=FAR_FUTURE, start_time=datetime.time(23, 0), end_time=datetime.time(23, 30)),
        "date",
        id="meeting-date",
    ),
]


@pytest.mark.parametrize(("name", "make_invalid", "field"), DATE_RANGE_CASES)
def test_date_out_of_range_refused_by_full_clean(db, name, make_invalid, field):
    instance = make_invalid()

    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()

    assert RANGE_MESSAGE in excinfo.value.message_dict[field]


@pytest.mark.parametrize(("name", "make_invalid", "field"), DATE_RANGE_CASES)
def test_date_out_of_range_refused_by_database(db, name, make_invalid, field):
    instance = make_invalid()

    expected = database_error_naming(type(instance), name, [])

    with pytest.raises(IntegrityError, match=re.escape(expected)), transaction.atomic():
        instance.save()


def sector_duplicate():
    Sector.objects.create(name="Tourism", slug="tourism")
    return Sector(name="Tourism and leisure", slug="tourism")


def organization_duplicate():
    OrganizationFactory(slug="senat")
    return OrganizationFactory.build(name="Sénat (bis)", slug="senat")


def person_duplicate():
    PersonFactory(slug="sergey-levchenko")
    return PersonFactory.build(name="Sergei Levchenko", slug="sergey-levchenko")


def delegation_duplicate():
    first = DelegationFactory(slug="irkutsk-region-france-2018")
    return DelegationFactory.build(slug="irkutsk-region-france-2018", organiser=first.organiser)


def invitation_duplicate():
    invitation, _token = invitation_create(
        delegation=DelegationFactory(), label="for Dalkia", side="host", created_by=None
    )
    return Invitation(delegation=invitation.delegation, label="for Eastmed", token_hash=invitation.token_hash)


def registration_of_the_same_invitation():
    invitation, _token = invitation_create(
        delegation=DelegationFactory(), label="for Dalkia", side="host", created_by=None
    )
    registration(delegation=invitation.delegation, invitation=invitation)
    return Registration(delegation=invitation.delegation, organization=OrganizationFactory(), invitation=invitation)


def agenda_of_the_same_session():
    session = ItineraryItemFactory(kind="b2b_session")
    agendas_publish(sessions=[session], status="preliminary", user=None)
    return SessionAgenda(delegation=session.delegation, session=session, status="final")


def share_link_duplicate():
    link, _token = share_link_create(delegation=DelegationFactory(), label="for Dalkia", created_by=None)
    return ShareLink(delegation=link.delegation, label="for Eastmed", token_hash=link.token_hash)


UNIQUE_FIELD_CASES = [
    pytest.param(Sector, "slug", sector_duplicate, "Sector with this Slug already exists.", id="sector-slug"),
    pytest.param(
        Organization, "slug", organization_duplicate, "Organization with this Slug already exists.", id="org-slug"
    ),
    pytest.param(Person, "slug", person_duplicate, "Person with this Slug already exists.", id="person-slug"),
    pytest.param(
        Delegation,
        "slug",
        delegation_duplicate,
        "Delegation visit with this Slug already exists.",
        id="delegation-slug",
    ),
    pytest.param(
        ShareLink,
        "token_hash",
        share_link_duplicate,
        "Share link with this Token hash already exists.",
        id="share-link-token-hash",
    ),
    pytest.param(
        Invitation,
        "token_hash",
        invitation_duplicate,
        "Invitation link with this Token hash already exists.",
        id="invitation-token-hash",
    ),
    pytest.param(
        Registration,
        "invitation",
        registration_of_the_same_invitation,
        "Registration with this Invitation link already exists.",
        id="registration-invitation",
    ),
    pytest.param(
        SessionAgenda,
        "session",
        agenda_of_the_same_session,
        "Published session agenda with this B2B session already exists.",
        id="agenda-session",
    ),
]


@pytest.mark.parametrize(("name", "make_invalid", "message"), CONSTRAINT_CASES)
def test_constraint_refused_by_full_clean(db, name, make_invalid, message):
    instance = make_invalid()

    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [message]}


@pytest.mark.parametrize(("name", "make_invalid", "message"), CONSTRAINT_CASES)
def test_constraint_refused_by_database(db, name, make_invalid, message):
    instance = make_invalid()
    model = type(instance)
    constraint = next(c for c in model._meta.constraints if c.name == name)
    columns = (
        [model._meta.get_field(field).column for field in constraint.fields]
        if isinstance(constraint, models.UniqueConstraint)
        else []
    )

    with (
        pytest.raises(IntegrityError, match=re.escape(database_error_naming(model, name, columns))),
        transaction.atomic(),
    ):
        instance.save()


@pytest.mark.parametrize(("model", "field", "make_duplicate", "message"), UNIQUE_FIELD_CASES)
def test_unique_field_refused_by_full_clean(db, model, field, make_duplicate, message):
    instance = make_duplicate()

    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()

    assert excinfo.value.message_dict == {field: [message]}


@pytest.mark.parametrize(("model", "field", "make_duplicate", "message"), UNIQUE_FIELD_CASES)
def test_unique_field_refused_by_database(db, model, field, make_duplicate, message):
    instance = make_duplicate()
    column = model._meta.get_field(field).column
    expected = database_error_naming(model, f"{model._meta.db_table}_{column}_key", [column])

    with pytest.raises(IntegrityError, match=re.escape(expected)), transaction.atomic():
        instance.save()

    assert model.objects.count() == 1


@pytest.mark.parametrize(
    "make_valid",
    [
        pytest.param(
            lambda: PositionFactory.build(
                person=PersonFactory(),
                organization=OrganizationFactory(),
                start_date=datetime.date(2018, 1, 1),
                end_date=datetime.date(2018, 1, 1),
            ),
            id="position-one-day",
        ),
        pytest.param(
            lambda: DelegationFactory.build(
                organiser=OrganizationFactory(),
                start_date=datetime.date(2018, 11, 26),
                end_date=datetime.date(2018, 11, 26),
            ),
            id="delegation-one-day",
        ),
        pytest.param(
            lambda: ItineraryItemFactory.build(
                delegation=DelegationFactory(),
                venue=VenueFactory(),
                start_time=datetime.time(10, 0),
                end_time=datetime.time(10, 0),
            ),
            id="item-instant",
        ),
        pytest.param(
            lambda: ItineraryItemFactory.build(
                delegation=DelegationFactory(), venue=VenueFactory(), start_time=None, end_time=None
            ),
            id="item-without-times",
        ),
        pytest.param(
            lambda: ItineraryItemFactory.build(
                delegation=DelegationFactory(),
                venue=VenueFactory(),
                audience_approximation="more_than",
                audience_size=100,
            ),
            id="item-more-than-100",
        ),
        pytest.param(lambda: meeting(start_time=None, end_time=None), id="meeting-awaiting-slot"),
    ],
)
def test_constraint_boundary_accepted(db, make_valid):
    instance = make_valid()

    instance.full_clean()
    instance.save()

    assert type(instance).objects.filter(pk=instance.pk).exists()


def test_head_rule_allows_one_head_in_each_delegation(db):
    DelegationMemberFactory(role=DelegationMember.Role.HEAD)
    other = DelegationMemberFactory.build(
        delegation=DelegationFactory(), person=PersonFactory(), role=DelegationMember.Role.HEAD
    )

    other.full_clean()
    other.save()

    assert DelegationMember.objects.filter(role=DelegationMember.Role.HEAD).count() == 2


def test_constraint_cases_cover_every_constraint():
    declared = {
        constraint.name
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }
    tested = {case.values[0] for case in (*CONSTRAINT_CASES, *DATE_RANGE_CASES)}

    assert tested == declared


def test_unique_field_cases_cover_every_unique_field():
    declared = {
        (model, field.name)
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models()
        for field in model._meta.local_fields
        if field.unique and not field.primary_key
    }
    tested = {(case.values[0], case.values[1]) for case in UNIQUE_FIELD_CASES}

    assert tested == declared
