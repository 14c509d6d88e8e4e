"""Nothing private reaches a public page, feed or export.

Every private value in a full data set holds a unique marker: contact details and notes, everything
about a draft visit, and every name of a person who may not appear publicly. Those people take part
everywhere a person can. Then every public address is fetched, with every filter, and no response
may hold a marker. The addresses come from the data, and a test checks that every public URL name
is among them, so that a new page cannot escape the check.

Share links are public addresses too: one to the published visit may show no marker at all (the
draft is another visit), one to the draft shows its own content and still nothing private.
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from delegations.models import DelegationMember, ItineraryItem, ShareLink
from delegations.services import share_link_create
from meetings.models import Meeting, MeetingParticipant
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
    SectorFactory,
    VenueFactory,
)

NOV_26, NOV_27 = datetime.date(2018, 11, 26), datetime.date(2018, 11, 27)
PUBLIC_NAMESPACES = ("public", "documents")
# Public addresses this file cannot reach from its data: an invitation's own agenda (published sessions only,
# nothing of another company's) is checked in tests/documents/test_downloads.py.
CHECKED_ELSEWHERE = {"documents:invitation-agenda"}


@dataclass
class World:
    markers: list[str] = field(default_factory=list)
    organizations: list = field(default_factory=list)
    public_people: list = field(default_factory=list)
    private_people: list = field(default_factory=list)
    published: object = None
    draft: object = None
    session: object = None
    hosts: object = None
    delegates: object = None
    tokens: dict = field(default_factory=dict)

    def marker(self, what: str) -> str:
        value = f"MARKER-{what}-{uuid.uuid4().hex[:12]}"
        self.markers.append(value)
        return value

    def email(self, what: str) -> str:
        return f"{self.marker(what)}@example.org"

    def organization(self, name: str, **kwargs):
        organization = OrganizationFactory(
            name=name,
            contact_email=self.email("organization-contact-email"),
            contact_phone=self.marker("organization-contact-phone"),
            **kwargs,
        )
        self.organizations.append(organization)
        return organization

    def person(self, *, public: bool, name: str = "", organization=None):
        private = {
            "email": self.email("person-email"),
            "phone": self.marker("person-phone"),
            "private_notes": self.marker("person-private-notes"),
        }
        if public:
            person = PersonFactory(name=name, native_name=f"{name} (родное имя)", is_public=True, **private)
            self.public_people.append(person)
        else:
            person = PersonFactory(
                name=self.marker("person-name"),
                native_name=self.marker("person-native-name"),
                other_names=self.marker("person-other-names"),
                slug=self.marker("person-slug").lower(),
                is_public=False,
                **private,
            )
            self.private_people.append(person)
        if organization is not None:
            # A title at a named organization identifies a person as surely as a name.
            title = name or self.marker("private-position-title")
            PositionFactory(person=person, organization=organization, title=f"{title} title")
        return person


def build_world() -> World:
    world = World()
    health = SectorFactory(slug="health", name="Health")
    paris = VenueFactory(name="Palais du Luxembourg", address="15 rue de Vaugirard", city="Paris")
    lyon = VenueFactory(name="Eurexpo", address="Boulevard de l'Europe", city="Lyon")
    government = world.organization("Irkutsk Government", country="RU", city="Irkutsk")
    dalkia = world.organization("Dalkia")
    senate = world.organization("French Senate")
    chamber = world.organization("CCI France Russie")
    fund = world.organization("Nanotech Fund", parent=government)
    for organization in (dalkia, fund):
        organization.sectors.add(health)
    world.hosts, world.delegates = dalkia, government

    governor = world.person(public=True, name="Public Governor", organization=government)
    senator = world.person(public=True, name="Public Senator", organization=senate)
    private_delegate = world.person(public=False, organization=government)
    private_host = world.person(public=False, organization=dalkia)
    private_head = world.person(public=False, organization=fund)

    def populate(visit, *, draft: bool):
        """Everything a visit can hold; in a draft, every text of its own holds a marker."""

        def text(what: str, public_text: str) -> str:
            return world.marker(f"draft-{what}") if draft else public_text

        visit.supporting_organizations.add(chamber)
        visit.priority_sectors.add(health)
        head = private_head if not draft else governor
        DelegationMemberFactory(
            delegation=visit, person=head, organization=fund, role=DelegationMember.Role.HEAD, order=1, title="Head"
        )
        DelegationMemberFactory(
            delegation=visit,
            person=private_delegate,
            organization=government,
            order=2,
            title=world.marker("private-member-title"),
        )
        if not draft:
            DelegationMemberFactory(delegation=visit, person=governor, organization=government, order=3)
        timed = ItineraryItemFactory(
            delegation=visit,
            venue=paris,
            day=NOV_26,
            start_time=datetime.time(10),
            end_time=datetime.time(11),
            title=text("item-title", "Talks at the Senate"),
            description=text("item-description", "Public programme text."),
            audience_size=100,
            audience_approximation=ItineraryItem.Approximation.MORE_THAN,
        )
        session = ItineraryItemFactory(
            delegation=visit,
            venue=lyon,
            day=NOV_27,
            start_time=None,
            end_time=None,
            kind=ItineraryItem.Kind.B2B_SESSION,
            title=text("session-title", "B2B session in Lyon"),
            reported_meetings=12,
        )
        for item in (timed, session):
            item.hosts.add(dalkia, senate)
            item.delegation_participants.add(governor, private_delegate, private_head)
            item.host_participants.add(senator, private_host)
        agreement = AgreementFactory(
            delegation=visit,
            title=text("agreement-title", "Cooperation agreement"),
            subject=text("agreement-subject", "Public subject"),
            signing_item=timed,
            signed_on=NOV_26,
        )
        AgreementPartyFactory(
            agreement=agreement,
            organization=government,
            signatory=private_delegate,
            signatory_title=world.marker("private-signatory-title"),
        )
        AgreementPartyFactory(
            agreement=agreement,
            organization=dalkia,
            signatory=private_host,
            signatory_title=world.marker("private-signatory-title"),
        )
        AgreementPartyFactory(agreement=agreement, organization=senate, signatory=senator, signatory_title="Senator")
        follow_up = FollowUpFactory(
            delegation=visit,
            title=text("follow-up-title", "Investment project"),
            description=text("follow-up-description", "Public follow-up text"),
            next_step=text("follow-up-next-step", "Public next step"),
            itinerary_item=session,
            agreement=agreement,
            sector=health,
        )
        follow_up.organizations.add(dalkia, government)
        # Draft meetings in the afternoon: the same people and organizations cannot be booked twice at once.
        first_hour = 14 if draft else 8
        for hour, status in enumerate(Meeting.Status.values, start=first_hour):
            meeting = MeetingFactory(
                delegation=visit,
                session=session,
                venue=lyon,
                date=NOV_27,
                start_time=datetime.time(hour),
                end_time=datetime.time(hour, 30),
                delegation_organization=government,
                host_organization=dalkia,
                sector=health,
                status=status,
                table=text("meeting-table", f"T-{status}"),
                outcome=text("meeting-outcome", f"Public outcome {status}"),
                private_notes=world.marker("meeting-private-notes"),
            )
            meeting.follow_ups.add(follow_up)
            MeetingParticipantFactory(meeting=meeting, person=private_delegate, side=MeetingParticipant.Side.DELEGATION)
            MeetingParticipantFactory(meeting=meeting, person=governor, side=MeetingParticipant.Side.DELEGATION)
            MeetingParticipantFactory(meeting=meeting, person=private_host, side=MeetingParticipant.Side.HOST)
            MeetingParticipantFactory(meeting=meeting, person=senator, side=MeetingParticipant.Side.HOST)
        return session

    world.published = DelegationFactory(
        title="Irkutsk in France",
        slug="irkutsk-france",
        leading_body=government,
        organiser=government,
        status="completed",
    )
    world.session = populate(world.published, draft=False)
    world.draft = DelegationFactory(
        title=world.marker("draft-title"),
        slug=world.marker("draft-slug").lower(),
        purpose=world.marker("draft-purpose"),
        description=world.marker("draft-description"),
        origin_region=world.marker("draft-region"),
        leading_body=government,
        organiser=government,
        is_published=False,
    )
    populate(world.draft, draft=True)
    for name, visit in (("published", world.published), ("draft", world.draft), ("revoked", world.draft)):
        _link, world.tokens[name] = share_link_create(delegation=visit, label=name, created_by=None)
    expiring, world.tokens["expired"] = share_link_create(
        delegation=world.draft, label="expired", created_by=None, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    ShareLink.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    ShareLink.objects.filter(label="revoked").update(revoked_at=timezone.now())
    return world


@dataclass(frozen=True)
class Request:
    url_name: str
    path: str
    query: dict = field(default_factory=dict)
    status: int = 200


SHARED_URL_NAMES = (
    "public:shared-visit-detail",
    "public:shared-visit-outcomes",
    "public:shared-meeting-list",
    "public:shared-meeting-export-csv",
    "public:shared-visit-calendar",
    "public:shared-visit-programme",
)


def shared_meeting_filters(world: World) -> list[dict]:
    names = [*(person.name for person in world.public_people), world.published.title, "Irkutsk", "Senate"]
    return [
        {},
        {"date_from": "2018-11-27"},
        {"date_to": "2018-11-27"},
        {"city": "Lyon"},
        {"sector": "health"},
        *({"status": status} for status in Meeting.Status.values),
        *({"organization": organization.slug} for organization in world.organizations),
        {"session": str(world.session.pk)},
        *({"q": name} for name in [*names, *(o.name for o in world.organizations)]),
    ]


def shared_requests(world: World, token: str) -> list[Request]:
    """Every address under one share link, with every filter; a filter for another visit cannot widen it."""

    def url(name: str, query: dict | None = None, status: int = 200) -> Request:
        return Request(name, reverse(name, kwargs={"token": token}), query or {}, status)

    other = world.draft if token == world.tokens["published"] else world.published
    requests = [
        url("public:shared-visit-detail"),
        url("public:shared-visit-outcomes"),
        url("public:shared-visit-calendar"),
        url("public:shared-visit-programme"),
        url("public:shared-meeting-list", {"delegation": other.slug}),
        url("public:shared-meeting-export-csv", {"delegation": other.slug}, status=400),
        url("public:shared-meeting-export-csv", {"sep": "semicolon"}),
    ]
    for query in shared_meeting_filters(world):
        requests += [url("public:shared-meeting-list", query), url("public:shared-meeting-export-csv", query)]
    return requests


def public_requests(world: World) -> list[Request]:
    """Every public address with every filter, from the data. Add new public pages here."""

    def url(name: str, query: dict | None = None, status: int = 200, **kwargs) -> Request:
        return Request(name, reverse(name, kwargs=kwargs or None), query or {}, status)

    published, draft = world.published, world.draft
    people = [person.name for person in world.public_people]
    names = [*people, published.title, *(o.name for o in world.organizations), "Irkutsk", "Senate"]
    requests = [
        url("public:home"),
        url("public:visit-list"),
        *(
            url("public:visit-list", {name: value})
            for name, value in {
                "year": "2018",
                "origin_country": "RU",
                "host_country": "FR",
                "city": "Paris",
                "sector": "health",
                "status": "completed",
            }.items()
        ),
        url("public:visit-detail", slug=published.slug),
        url("public:visit-outcomes", slug=published.slug),
        url("documents:programme", slug=published.slug),
        url("documents:programme", status=404, slug=draft.slug),
        url("public:visit-detail", status=404, slug=draft.slug),
        url("public:visit-outcomes", status=404, slug=draft.slug),
        url("public:organization-list"),
        url("public:organization-list", {"sector": "health"}),
        url("public:organization-list", {"country": "FR"}),
        *(url("public:organization-list", {"q": name}) for name in names),
        *(url("public:organization-list", {"q": marker}) for marker in world.markers),
        *(url("public:person-detail", slug=person.slug) for person in world.public_people),
        *(url("public:person-detail", status=404, slug=person.slug) for person in world.private_people),
        *(url("public:search", {"q": text}) for text in [*names, *world.markers]),
        url("public:visit-calendar", slug=published.slug),
        url("public:visit-calendar", status=404, slug=draft.slug),
        url("public:sitemap-index"),
        url("public:results"),
        *(
            url("public:results", {name: value})
            for name, value in {
                "year": "2018",
                "origin_country": "RU",
                "origin_region": "Irkutsk region",
                "host_country": "FR",
                "sector": "health",
                "organiser": published.organiser.slug,
            }.items()
        ),
        *(
            url("public:results-csv", query, table=table)
            for table in ("agreements-by-kind", "funnel", "sectors", "organizations", "timeline")
            for query in ({}, {"year": "2018"})
        ),
        *(url("public:sitemap", section=section) for section in ("pages", "visits", "organizations", "people")),
    ]
    for organization in world.organizations:
        requests += [
            url("public:organization-detail", slug=organization.slug),
            url("public:organization-agenda", slug=organization.slug),
            url("public:organization-calendar", slug=organization.slug),
            url("documents:organization-agenda", slug=organization.slug, visit=published.slug),
        ]
    meeting_filters = [
        {},
        {"delegation": published.slug},
        {"date_from": "2018-11-27"},
        {"date_to": "2018-11-27"},
        {"city": "Lyon"},
        {"sector": "health"},
        *({"status": status} for status in Meeting.Status.values),
        *({"organization": organization.slug} for organization in world.organizations),
        {"session": str(world.session.pk)},
        *({"q": name} for name in names),
    ]
    requests += [url("public:meeting-list", query) for query in meeting_filters]
    try:
        reverse("public:meeting-export-csv")
    except NoReverseMatch:
        pass  # Not built yet: checked automatically once the URL exists.
    else:
        requests += [url("public:meeting-export-csv", query) for query in meeting_filters]
        requests += [url("public:meeting-export-csv", {"sep": "semicolon"})]
    requests += shared_requests(world, world.tokens["published"])
    for token in (world.tokens["revoked"], world.tokens["expired"], "not-a-token", world.tokens["draft"][:-1]):
        requests += [Request(name, reverse(name, kwargs={"token": token}), status=404) for name in SHARED_URL_NAMES]
    return requests


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "") == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    encoding = "utf-8-sig" if response.get("Content-Type", "").startswith("text/csv") else "utf-8"
    return content.decode(encoding)


def without_echo(text: str, request: Request) -> str:
    """The body less what echoes the visitor's own query back: search boxes and the language form's return address."""
    text = text.replace(escape(f"{request.path}?{urlencode(request.query)}"), "")
    for value in request.query.values():
        text = text.replace(f'value="{escape(value)}"', "")
    return text


def leaks_in(client, requests, forbidden: list[str]) -> tuple[list, list]:
    """The (request, value) pairs where a forbidden value shows in a response, and the requests answered
    with another status than expected."""
    leaks, wrong_status = [], []
    for request in requests:
        response = client.get(request.path, request.query)
        if response.status_code != request.status:
            wrong_status.append((request, response.status_code))
            continue
        text = without_echo(body(response), request).casefold()
        leaks += [(request, value) for value in forbidden if value.casefold() in text]
    return leaks, wrong_status


@pytest.fixture
def world(db):
    return build_world()


def test_no_private_value_reaches_any_public_response(client, world):
    requests = public_requests(world)

    leaks, wrong_status = leaks_in(client, requests, world.markers)

    assert len(requests) > 150
    assert wrong_status == []
    assert leaks == []


def test_no_private_value_reaches_a_draft_shared_through_a_link(client, world):
    """The draft's own content is what the link is for; nothing private, and nothing of the other visit."""
    published = world.published
    other_visit = [published.title, "Talks at the Senate", "Public programme text", "B2B session in Lyon"]
    other_visit += ["Public outcome", "Public follow-up text", "Public next step", "Public subject"]
    forbidden = [marker for marker in world.markers if not marker.startswith("MARKER-draft-")]
    requests = shared_requests(world, world.tokens["draft"])
    leaks, wrong_status, pages, pages_showing_the_draft = [], [], 0, 0

    for request in requests:
        response = client.get(request.path, request.query)
        if response.status_code != request.status:
            wrong_status.append((request, response.status_code))
            continue
        text = without_echo(body(response), request)
        if response["Content-Type"].startswith(("text/html", "text/calendar")):
            pages += 1
            pages_showing_the_draft += world.draft.title in text
        leaks += [(request, value) for value in [*forbidden, *other_visit] if value.casefold() in text.casefold()]
        leaks += [(request, "draft banner") for phrase in (">Draft<", "not published") if phrase in text]

    assert len(requests) > 40
    assert wrong_status == []
    assert leaks == []
    assert pages_showing_the_draft == pages > 20


def test_every_public_url_name_is_checked(world):
    checked = {request.url_name for request in public_requests(world)}
    public = {
        f"{namespace}:{name}"
        for namespace in PUBLIC_NAMESPACES
        for name in get_resolver().namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }

    assert public - checked - CHECKED_ELSEWHERE == set()


def test_the_data_set_really_holds_markers_staff_can_see(world, staff_client):
    """A guard on the test itself: the markers are where staff see them, so their absence above means something."""
    response = staff_client.get(reverse("public:visit-detail", kwargs={"slug": world.draft.slug}))

    assert response.status_code == 200
    assert world.draft.title in response.text
    assert len(world.markers) > 40


def test_private_participants_stand_as_their_organization_on_the_itinerary(client, world):
    response = client.get(reverse("public:visit-detail", kwargs={"slug": world.published.slug}))

    timed = response.context["programme"][0].cities[0].items[0]
    assert [str(name) for name in timed.public_hosts] == ["Public Senator", "a representative of Dalkia"]
    assert [str(name) for name in timed.public_delegates] == [
        "Public Governor",
        "a representative of Nanotech Fund",
        "a representative of Irkutsk Government",
    ]
    assert "Host participants</dt><dd><a href" in response.text
    assert "a representative of Dalkia" in response.text
    assert "A representative of Nanotech Fund" in response.text  # the private head of delegation


def test_private_participants_stand_as_their_organization_in_the_feed(client, world):
    response = client.get(reverse("public:visit-calendar", kwargs={"slug": world.published.slug}))

    assert "a representative of Dalkia" in response.content.decode()
