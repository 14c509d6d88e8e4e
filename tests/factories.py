import datetime

import factory
from django.db import transaction

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting, MeetingParticipant
from meetings.services import meeting_sync_bookings


class BookedFactory(factory.django.DjangoModelFactory):
    """Saves the row, then books its meeting's slot as the services do (without their validation,
    so that tests can set up what the rules would refuse and watch the bookings refuse it)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with transaction.atomic():
            obj = super()._create(model_class, *args, **kwargs)
            meeting_sync_bookings(meeting=obj if isinstance(obj, Meeting) else obj.meeting)
        return obj


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    kind = Organization.Kind.COMPANY
    country = "FR"
    city = "Paris"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    is_public = True


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Director"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "1 rue de Rivoli"
    city = "Paris"
    country = "FR"
    time_zone = "Europe/Paris"


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    title = factory.Sequence(lambda n: f"Delegation {n}")
    slug = factory.Sequence(lambda n: f"delegation-{n}")
    origin_country = "RU"
    origin_region = "Irkutsk region"
    host_countries = ["FR"]
    organiser = factory.SubFactory(OrganizationFactory)
    start_date = datetime.date(2018, 11, 26)
    end_date = datetime.date(2018, 11, 29)
    home_time_zone = "Asia/Irkutsk"
    status = Delegation.Status.COMPLETED
    is_published = True


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    delegation = factory.SubFactory(DelegationFactory)
    person = factory.SubFactory(PersonFactory)
    role = DelegationMember.Role.OFFICIAL
    title = "Minister"


class ItineraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItineraryItem

    delegation = factory.SubFactory(DelegationFactory)
    day = factory.LazyAttribute(lambda item: item.delegation.start_date)
    start_time = datetime.time(10, 0)
    end_time = datetime.time(11, 0)
    kind = ItineraryItem.Kind.OFFICIAL_MEETING
    title = factory.Sequence(lambda n: f"Item {n}")
    venue = factory.SubFactory(VenueFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    delegation = factory.SubFactory(DelegationFactory)
    kind = Agreement.Kind.MOU
    title = factory.Sequence(lambda n: f"Agreement {n}")
    signed_on = factory.LazyAttribute(lambda agreement: agreement.delegation.start_date)
    place = "Paris"


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    delegation = factory.SubFactory(DelegationFactory)
    kind = FollowUp.Kind.INVESTMENT_PROJECT
    title = factory.Sequence(lambda n: f"Follow-up {n}")


class MeetingFactory(BookedFactory):
    class Meta:
        model = Meeting

    delegation = factory.SubFactory(DelegationFactory)
    date = factory.LazyAttribute(lambda meeting: meeting.delegation.start_date)
    start_time = datetime.time(14, 0)
    end_time = datetime.time(14, 30)
    venue = factory.SubFactory(VenueFactory)
    table = factory.Sequence(lambda n: f"T{n}")
    delegation_organization = factory.SubFactory(OrganizationFactory)
    host_organization = factory.SubFactory(OrganizationFactory)
    status = Meeting.Status.CONFIRMED


class MeetingParticipantFactory(BookedFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    side = MeetingParticipant.Side.DELEGATION
