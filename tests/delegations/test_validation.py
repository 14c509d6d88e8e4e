"""Rules that span rows or need a message for staff: checked by `full_clean` and the admin's forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from delegations.forms import AgreementPartyFormSet
from delegations.models import Agreement, AgreementParty
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DelegationFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    VenueFactory,
)

OUTSIDE_MESSAGE = "{day} is outside the visit, which runs from 26 November 2018 to 29 November 2018."


def other_visit_message(record, visit_title: str) -> str:
    return f"“{record}” belongs to another visit, “{visit_title}”: choose one of this visit’s."


@pytest.fixture
def visit(db):
    """26-29 November 2018, as the Irkutsk delegation's stay in France."""
    return DelegationFactory(start_date=datetime.date(2018, 11, 26), end_date=datetime.date(2018, 11, 29))


@pytest.fixture
def paris(db):
    return VenueFactory(name="Sénat", city="Paris", time_zone="Europe/Paris")


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("day", "shown"),
    [(datetime.date(2018, 11, 25), "25 November 2018"), (datetime.date(2018, 11, 30), "30 November 2018")],
)
def test_item_day_outside_visit_refused(visit, paris, day, shown):
    item = ItineraryItemFactory.build(delegation=visit, venue=paris, day=day)

    assert errors_of(item) == {"day": [OUTSIDE_MESSAGE.format(day=shown)]}


@pytest.mark.parametrize(
    ("day", "shown"),
    [(datetime.date(2018, 11, 25), "25 November 2018"), (datetime.date(2018, 11, 30), "30 November 2018")],
)
def test_meeting_date_outside_visit_refused(visit, paris, day, shown):
    meeting = MeetingFactory.build(
        delegation=visit,
        venue=paris,
        date=day,
        delegation_organization=OrganizationFactory(),
        host_organization=OrganizationFactory(),
    )

    assert errors_of(meeting) == {"date": [OUTSIDE_MESSAGE.format(day=shown)]}


@pytest.mark.parametrize("day", [datetime.date(2018, 11, 26), datetime.date(2018, 11, 29)])
def test_item_and_meeting_on_first_and_last_day_accepted(visit, paris, day):
    item = ItineraryItemFactory.build(delegation=visit, venue=paris, day=day)
    meeting = MeetingFactory.build(
        delegation=visit,
        venue=paris,
        date=day,
        delegation_organization=OrganizationFactory(),
        host_organization=OrganizationFactory(),
    )

    item.full_clean()
    meeting.full_clean()


def test_item_time_without_venue_or_zone_refused(visit):
    item = ItineraryItemFactory.build(delegation=visit, venue=None, city="Paris", time_zone="")

    assert errors_of(item) == {
        "time_zone": ["Give a venue or a time zone, so that the time can be placed in the right zone."]
    }


def test_item_without_venue_or_city_refused(visit):
    item = ItineraryItemFactory.build(delegation=visit, venue=None, city="", time_zone="Europe/Paris")

    assert errors_of(item) == {"city": ["Give a venue or a city."]}


def test_item_without_venue_given_city_and_zone_accepted(visit):
    item = ItineraryItemFactory.build(delegation=visit, venue=None, city="Lyon", time_zone="Europe/Paris")

    item.full_clean()


def test_item_date_only_without_venue_needs_no_zone(visit):
    item = ItineraryItemFactory.build(
        delegation=visit, venue=None, city="Lyon", time_zone="", start_time=None, end_time=None
    )

    item.full_clean()


def test_item_with_venue_takes_venue_city_and_zone(visit):
    shanghai = VenueFactory(name="Expo Centre", city="Shanghai", country="CN", time_zone="Asia/Shanghai")
    item = ItineraryItemFactory.build(delegation=visit, venue=shanghai, city="Paris", time_zone="Europe/Paris")

    item.full_clean()

    assert (item.city, item.time_zone) == ("Shanghai", "Asia/Shanghai")


def test_meeting_session_from_another_visit_refused(visit, paris):
    other_session = ItineraryItemFactory(
        delegation=DelegationFactory(title="Bavaria in China"), kind="b2b_session", title="B2B in Munich"
    )
    meeting = MeetingFactory.build(
        delegation=visit,
        venue=paris,
        session=other_session,
        delegation_organization=OrganizationFactory(),
        host_organization=OrganizationFactory(),
    )

    assert errors_of(meeting) == {"session": [other_visit_message(other_session, "Bavaria in China")]}


def test_meeting_session_of_same_visit_accepted(visit, paris):
    session = ItineraryItemFactory(delegation=visit, venue=paris, kind="b2b_session")
    meeting = MeetingFactory.build(
        delegation=visit,
        venue=None,
        session=session,
        city="",
        time_zone="",
        delegation_organization=OrganizationFactory(),
        host_organization=OrganizationFactory(),
    )

    meeting.full_clean()

    assert (meeting.city, meeting.time_zone) == ("Paris", "Europe/Paris")


def test_agreement_signing_item_from_another_visit_refused(visit):
    other_item = ItineraryItemFactory(delegation=DelegationFactory(title="Bavaria in China"), kind="signing")
    agreement = AgreementFactory.build(delegation=visit, signing_item=other_item)

    assert errors_of(agreement) == {"signing_item": [other_visit_message(other_item, "Bavaria in China")]}


def test_agreement_signed_on_other_day_than_signing_item_refused(visit, paris):
    signing = ItineraryItemFactory(delegation=visit, venue=paris, kind="signing", day=datetime.date(2018, 11, 27))
    agreement = AgreementFactory.build(delegation=visit, signing_item=signing, signed_on=datetime.date(2018, 11, 28))

    assert errors_of(agreement) == {
        "signed_on": ["The signing date must be the day of the itinerary item it was signed at."]
    }


def test_agreement_signed_on_day_of_signing_item_accepted(visit, paris):
    signing = ItineraryItemFactory(delegation=visit, venue=paris, kind="signing", day=datetime.date(2018, 11, 27))
    agreement = AgreementFactory.build(delegation=visit, signing_item=signing, signed_on=datetime.date(2018, 11, 27))

    agreement.full_clean()


@pytest.mark.parametrize("field", ["itinerary_item", "agreement"])
def test_follow_up_source_from_another_visit_refused(visit, field):
    other_visit = DelegationFactory(title="Bavaria in China")
    sources = {
        "itinerary_item": ItineraryItemFactory(delegation=other_visit),
        "agreement": AgreementFactory(delegation=other_visit),
    }
    follow_up = FollowUpFactory.build(delegation=visit, **{field: sources[field]})

    assert errors_of(follow_up) == {field: [other_visit_message(sources[field], "Bavaria in China")]}


def test_follow_up_sources_from_same_visit_accepted(visit, paris):
    follow_up = FollowUpFactory.build(
        delegation=visit,
        itinerary_item=ItineraryItemFactory(delegation=visit, venue=paris),
        agreement=AgreementFactory(delegation=visit),
    )

    follow_up.full_clean()


def test_time_zone_field_unknown_name_refused(db):
    venue = VenueFactory.build(time_zone="Europe/Pari")

    assert errors_of(venue) == {
        "time_zone": ["“Europe/Pari” is not a known time zone. Use an IANA name such as Europe/Paris or Asia/Irkutsk."]
    }


PartyFormSet = inlineformset_factory(
    Agreement, AgreementParty, formset=AgreementPartyFormSet, fields=("organization",), extra=3
)


def party_data(*organizations, initial=0, **extra) -> dict[str, str]:
    data = {
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": str(initial),
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, organization in enumerate(organizations):
        data[f"parties-{index}-organization"] = str(organization.pk)
    return data | extra


def test_agreement_parties_one_party_refused(visit):
    formset = PartyFormSet(party_data(OrganizationFactory()), instance=AgreementFactory.build(delegation=visit))

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["An agreement needs at least two different parties."]


def test_agreement_parties_same_organization_twice_refused(visit):
    organization = OrganizationFactory()
    formset = PartyFormSet(party_data(organization, organization), instance=AgreementFactory.build(delegation=visit))

    assert not formset.is_valid()
    # Django's own duplicate check (from the unique party constraint) runs first and answers.
    assert formset.non_form_errors() == ["Please correct the duplicate data for organization."]
    assert [form.non_field_errors() for form in formset.forms] == [
        [],
        ["Please correct the duplicate values below."],
        [],
    ]


def test_agreement_parties_two_different_organizations_accepted(visit):
    formset = PartyFormSet(
        party_data(OrganizationFactory(), OrganizationFactory()), instance=AgreementFactory.build(delegation=visit)
    )

    assert formset.is_valid(), formset.errors
    assert formset.non_form_errors() == []


def test_agreement_parties_deleting_one_of_two_refused(visit):
    agreement = AgreementFactory(delegation=visit)
    first, second = AgreementPartyFactory.create_batch(2, agreement=agreement)
    data = party_data(
        first.organization,
        second.organization,
        initial=2,
        **{"parties-0-id": str(first.pk), "parties-1-id": str(second.pk), "parties-1-DELETE": "on"},
    )
    formset = PartyFormSet(data, instance=agreement)

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["An agreement needs at least two different parties."]
    assert agreement.parties.count() == 2
