"""The programme read model of a visit: its structure, home times, public labels and query count."""

import datetime

import pytest
from django.db.models import Count
from django.utils import translation

from contacts.privacy import PublicName
from delegations.models import Delegation, DelegationMember, ItineraryItem
from delegations.programme import HomeTime, programme_build, programme_items
from tests.builders import built_quietly
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SectorFactory,
    VenueFactory,
)

NOV_26, NOV_27 = datetime.date(2018, 11, 26), datetime.date(2018, 11, 27)


def at(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


@pytest.fixture
def visit(db):
    """Irkutsk (UTC+8) in Paris and Lyon (UTC+1): a public head, two private members, five items over two days."""
    government = OrganizationFactory(name="Irkutsk Government")
    visit = DelegationFactory(title="Irkutsk in France", leading_body=government, home_time_zone="Asia/Irkutsk")
    visit.supporting_organizations.set([OrganizationFactory(name="Business France")])
    visit.priority_sectors.set([SectorFactory(name="Health")])
    governor = PersonFactory(name="Public Governor")
    fund = OrganizationFactory(name="Nanotech Fund")
    visit.head_member = DelegationMemberFactory(
        delegation=visit, person=governor, role=DelegationMember.Role.HEAD, title="Governor", order=0
    )
    banker = PersonFactory(name="Hidden Banker", is_public=False)
    DelegationMemberFactory(delegation=visit, person=banker, organization=fund, title="Fund director", order=1)
    aide = PersonFactory(name="Hidden Aide", is_public=False)
    DelegationMemberFactory(delegation=visit, person=aide, role=DelegationMember.Role.STAFF, title="Aide", order=2)
    outsider = PersonFactory(name="Aaron Outsider")  # not a member, and first by name
    senator = PersonFactory(name="Public Senator")
    engineer = PersonFactory(name="Hidden Engineer", is_public=False)
    PositionFactory(person=engineer, organization=OrganizationFactory(name="Dalkia"))

    paris = VenueFactory(name="Senate", city="Paris", time_zone="Europe/Paris")
    lyon = VenueFactory(name="Eurexpo", city="Lyon", time_zone="Europe/Paris")
    senate = OrganizationFactory(name="French Senate")

    def item(title, day, venue, start=None, end=None, order=0):
        return ItineraryItemFactory(
            delegation=visit, title=title, day=day, venue=venue, start_time=start, end_time=end, order=order
        )

    visit.items = {
        # Created out of order: the programme orders by day, time (untimed last), then order.
        "evening": item("Reception", NOV_26, paris, at(18), at(19, 30)),
        "untimed": item("Walk in Paris", NOV_26, paris, order=0),
        "morning": item("Talks at the Senate", NOV_26, paris, at(10), at(11)),
        "lyon-late": item("Fair in the afternoon", NOV_27, lyon, at(16)),
        "paris": item("Train back to Paris", NOV_27, paris, at(12)),
        "lyon": item("Fair opening", NOV_27, lyon, at(9), at(10)),
    }
    talks = visit.items["morning"]
    talks.hosts.set([senate])
    talks.delegation_participants.set([banker, outsider, aide, governor])
    talks.host_participants.set([engineer, senator])
    AgreementFactory(delegation=visit, signing_item=talks, title="Memorandum B")
    AgreementFactory(delegation=visit, signing_item=talks, title="Memorandum A")
    return visit


def test_programme_days_city_blocks_and_items_in_order(visit):
    programme = programme_build(delegation=visit)

    assert [
        (day.day, [(block.city, [item.title for item in block.items]) for block in day.cities]) for day in programme
    ] == [
        (NOV_26, [("Paris", ["Talks at the Senate", "Reception", "Walk in Paris"])]),
        (
            NOV_27,
            [("Lyon", ["Fair opening"]), ("Paris", ["Train back to Paris"]), ("Lyon", ["Fair in the afternoon"])],
        ),
    ]
    assert programme[0] is programme.days[0]
    assert len(programme) == 2
    assert [item.pk for item in programme.items] == [
        visit.items[key].pk for key in ("morning", "evening", "untimed", "lyon", "paris", "lyon-late")
    ]


def test_programme_home_time_with_its_day_shift(visit):
    items = {item.title: item for item in programme_build(delegation=visit).items}

    assert items["Talks at the Senate"].home == HomeTime(at(17), at(18), "Asia/Irkutsk", 0)
    # 18:00 in Paris is 01:00 the next day in Irkutsk.
    assert items["Reception"].home == HomeTime(at(1), at(2, 30), "Asia/Irkutsk", 1)
    assert items["Fair in the afternoon"].home == HomeTime(at(23), None, "Asia/Irkutsk", 0)
    assert items["Walk in Paris"].home is None
    assert (items["Walk in Paris"].is_timed, items["Walk in Paris"].starts_at) == (False, None)


def test_programme_no_home_time_when_the_offsets_agree(db):
    visit = DelegationFactory(home_time_zone="Europe/Berlin")
    ItineraryItemFactory(delegation=visit, venue=VenueFactory(time_zone="Europe/Paris"), start_time=at(10))

    (item,) = programme_build(delegation=visit).items

    assert (item.is_timed, item.home) == (True, None)


def test_programme_item_local_times_zone_venue_hosts_and_agreements(visit):
    talks = programme_build(delegation=visit).items[0]

    assert (talks.day, talks.start_time, talks.end_time, talks.time_zone) == (NOV_26, at(10), at(11), "Europe/Paris")
    assert talks.starts_at == datetime.datetime(2018, 11, 26, 9, tzinfo=datetime.UTC)
    assert (talks.venue.name, talks.city, talks.location) == (
        "Senate",
        "Paris",
        "Senate, 1 rue de Rivoli, Paris, France",
    )
    assert (talks.kind, talks.kind_display) == ("official_meeting", "Official meeting")
    assert [organization.name for organization in talks.hosts] == ["French Senate"]
    assert [agreement.title for agreement in talks.agreements] == ["Memorandum A", "Memorandum B"]
    assert talks.delegation == visit


def test_programme_public_delegates_in_member_order_and_private_people_as_their_organization(visit):
    talks = programme_build(delegation=visit).items[0]

    assert [str(name) for name in talks.public_delegates] == [
        "Public Governor",
        "Aaron Outsider",
        "a representative of Nanotech Fund",
        "a representative of Irkutsk Government",
    ]
    assert [str(name) for name in talks.public_hosts] == ["Public Senator", "a representative of Dalkia"]
    assert [name.person.name for name in (*talks.public_delegates, *talks.public_hosts) if name.person] == [
        "Public Governor",
        "Aaron Outsider",
        "Public Senator",
    ]


def test_programme_members_in_order_with_titles_and_public_labels(visit):
    programme = programme_build(delegation=visit)

    assert [
        (member.name, member.role_display, member.title, member.private_label, member.organization.name)
        for member in programme.members
    ] == [
        (
            PublicName("Public Governor", visit.head_member.person),
            "Head of delegation",
            "Governor",
            None,
            "Irkutsk Government",
        ),
        (
            PublicName("a representative of Nanotech Fund", organization=programme.members[1].organization),
            "Official",
            "",
            "a representative of Nanotech Fund",
            "Nanotech Fund",
        ),
        (
            PublicName("a representative of Irkutsk Government", organization=programme.members[2].organization),
            "Staff",
            "",
            "a representative of Irkutsk Government",
            "Irkutsk Government",
        ),
    ]
    assert programme.head.person == visit.head_member.person
    assert [member.person for member in programme.members[1:]] == [None, None]


def test_programme_visit_facts(visit):
    programme = programme_build(delegation=visit)

    assert (programme.leading_body.name, programme.organiser) == ("Irkutsk Government", visit.organiser)
    assert [organization.name for organization in programme.supporters] == ["Business France"]
    assert [str(sector) for sector in programme.priority_sectors] == ["Health"]


def test_programme_hands_back_the_callers_item_annotations(visit):
    programme = programme_build(delegation=visit, item_annotations={"host_count": Count("hosts")})

    assert [item.annotations for item in programme.items[:2]] == [{"host_count": 1}, {"host_count": 0}]
    assert programme_build(delegation=visit).items[0].annotations == {}


def test_programme_items_of_several_visits_stand_private_delegates_for_their_own_visit(visit):
    other = DelegationFactory(title="Another visit", leading_body=OrganizationFactory(name="Other Government"))
    hidden = visit.items["morning"].delegation_participants.get(name="Hidden Aide")
    DelegationMemberFactory(delegation=other, person=hidden)
    ItineraryItemFactory(
        delegation=other, title="Other talks", day=NOV_26, start_time=at(9)
    ).delegation_participants.add(hidden)
    host = OrganizationFactory(name="Host")
    visit.items["morning"].hosts.add(host)
    other.itinerary_items.get().hosts.add(host)

    items = programme_items(items=host.hosted_items.all())

    assert [(item.title, item.delegation.title, [str(n) for n in item.public_delegates]) for item in items] == [
        ("Other talks", "Another visit", ["a representative of Other Government"]),
        (
            "Talks at the Senate",
            "Irkutsk in France",
            [
                "Public Governor",
                "Aaron Outsider",
                "a representative of Nanotech Fund",
                "a representative of Irkutsk Government",
            ],
        ),
    ]


@built_quietly()
def build_visit(size: int) -> Delegation:
    """`size` members, half private, and `size` items on each of two days, each with people on both sides."""
    visit = DelegationFactory(leading_body=OrganizationFactory())
    visit.supporting_organizations.set(OrganizationFactory.create_batch(2))
    visit.priority_sectors.set([SectorFactory()])
    members = []
    for rank in range(size):
        person = PersonFactory(is_public=rank % 2 == 0)
        PositionFactory(person=person)
        members.append(
            DelegationMemberFactory(delegation=visit, person=person, organization=OrganizationFactory(), order=rank)
        )
    venues = [VenueFactory(city="Paris"), VenueFactory(city="Lyon", time_zone="Europe/Paris")]
    for day in (NOV_26, NOV_27):
        for rank in range(size):
            item = ItineraryItemFactory(
                delegation=visit, day=day, venue=venues[rank % 2], start_time=at(8 + rank * 12 // size), end_time=None
            )
            item.hosts.set(OrganizationFactory.create_batch(2))
            host = PersonFactory(is_public=rank % 2 == 1)
            PositionFactory(person=host)
            item.host_participants.set([host])
            item.delegation_participants.set([member.person for member in members[:3]])
            AgreementFactory(delegation=visit, signing_item=item)
    return visit


@pytest.mark.parametrize("size", [3, 30])
def test_programme_queries_same_at_3_and_30(db, django_assert_num_queries, size):
    visit = Delegation.objects.select_related("leading_body", "organiser").get(pk=build_visit(size).pk)

    # Members, items, hosts, each side's participants, their positions, agreements; supporters and sectors.
    with django_assert_num_queries(9):
        programme = programme_build(delegation=visit)
        seen = (programme.organiser, programme.supporters, programme.priority_sectors, programme.head)
        shown = [(item.public_hosts, item.public_delegates, item.hosts, item.agreements) for item in programme.items]

    assert (len(seen[1]), len(programme.members), len(shown)) == (2, size, 2 * size)
    assert len(programme.days) == 2


@pytest.mark.parametrize("size", [3, 30])
def test_programme_items_queries_same_at_3_and_30(db, django_assert_num_queries, size):
    visit = build_visit(size)

    with django_assert_num_queries(7):
        items = programme_items(items=visit.itinerary_items.all())
        shown = [(item.public_hosts, item.public_delegates, item.delegation.title) for item in items]

    assert len(shown) == 2 * size


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_programme_items_read_as_values_show_what_the_items_show(db, language):
    """programme_build reads the items as values: each translated field, the audience and the venue as the item
    itself gives them in the active language (a missing French or Russian text falls back to the English one),
    as programme_items (which reads instances) gives them too."""
    visit = DelegationFactory()
    venue = VenueFactory(name="Eurexpo", address="Boulevard de l'Europe", city="Chassieu", country="FR")
    texts = [
        {"title_en": "Fair", "title_fr": "Salon", "description_en": "Opening.", "description_fr": ""},
        {"title_en": "Dinner", "title_fr": None, "title_ru": "Ужин", "agreements_without_detail_summary_en": "Two"},
        {"title_en": "Walk", "title_fr": "", "description_en": "", "description_ru": "Прогулка"},
    ]
    audiences = [(120, ItineraryItem.Approximation.MORE_THAN), (40, ""), (None, "")]
    for rank, (fields, (size, approximation)) in enumerate(zip(texts, audiences, strict=True)):
        item = ItineraryItemFactory(
            delegation=visit, venue=venue if rank < 2 else None, city="Lyon", time_zone="Europe/Paris", order=rank
        )
        ItineraryItem.objects.filter(pk=item.pk).update(
            audience_size=size, audience_approximation=approximation, **fields
        )

    with translation.override(language):
        shown = [
            (
                item.title,
                item.description,
                item.agreements_without_detail_summary,
                item.audience_display,
                item.location,
                str(item.venue) if item.venue else None,
            )
            for item in programme_build(delegation=visit).items
        ]
        instances = ItineraryItem.objects.filter(delegation=visit).select_related("venue").order_by("order")

        assert shown == [
            (
                item.title,
                item.description,
                item.agreements_without_detail_summary,
                item.audience_display,
                item.venue.full_address if item.venue else item.city,
                str(item.venue) if item.venue else None,
            )
            for item in instances
        ]
        assert programme_items(items=visit.itinerary_items.all()) == list(programme_build(delegation=visit).items)
