"""The visits whose admin change page `make bench` opens and saves, and the form a browser posts back.

A visit is a draft (no public page shows it) with its own organizations, people and venues, so that it
reads nothing of the generated data and can be made again on any database: `admin_visit(slug, items,
members)` returns it, made once. Every row shows what the page must render: a member's person and
organization, an item's venue, city, zone and two host organizations.
"""

import datetime
from html.parser import HTMLParser

CITIES = (("Paris", "FR", "Europe/Paris"), ("Lyon", "FR", "Europe/Paris"), ("Geneva", "CH", "Europe/Zurich"))


def admin_visit(slug: str, items: int, members: int):
    """The draft visit `slug`, with `items` itinerary items over three days and `members` members."""
    from contacts.models import Organization, Person  # imported once Django is set up (bench.run sets it up)
    from delegations.models import Delegation, DelegationMember, ItineraryItem, Venue

    existing = Delegation.objects.filter(slug=slug).first()
    if existing is not None:
        return existing

    def organization(rank: int):
        return Organization.objects.create(
            name=f"{slug} organization {rank}", native_name=f"Организация {rank}", slug=f"{slug}-org-{rank}"
        )

    organiser = organization(0)
    visit = Delegation.objects.create(
        title=f"Admin bench visit {slug}",
        slug=slug,
        origin_country="RU",
        origin_region="Irkutsk region",
        host_countries=["FR", "CH"],
        organiser=organiser,
        start_date=datetime.date(2026, 5, 18),
        end_date=datetime.date(2026, 5, 20),
        home_time_zone="Asia/Irkutsk",
        status=Delegation.Status.CONFIRMED,
        is_published=False,
    )
    hosts = [organization(rank) for rank in range(1, 5)]
    visit.supporting_organizations.set(hosts[:2])
    for rank in range(members):
        person = Person.objects.create(
            name=f"{slug} member {rank}", native_name=f"Член {rank}", slug=f"{slug}-person-{rank}"
        )
        DelegationMember.objects.create(
            delegation=visit,
            person=person,
            organization=hosts[rank % 2] if rank % 3 else organiser,
            role=DelegationMember.Role.HEAD if rank == 0 else DelegationMember.Role.OFFICIAL,
            title=f"Minister {rank}",
            order=rank,
        )
    venues = [
        Venue.objects.create(name=f"{slug} venue {rank}", city=city, country=country, time_zone=zone)
        for rank, (city, country, zone) in enumerate(CITIES)
    ]
    for rank in range(items):
        item = ItineraryItem.objects.create(
            delegation=visit,
            day=visit.start_date + datetime.timedelta(days=rank % 3),
            start_time=datetime.time(8 + rank % 10, 0),
            end_time=datetime.time(9 + rank % 10, 0),
            kind=ItineraryItem.Kind.OFFICIAL_MEETING,
            title=f"Item {rank}",
            venue=venues[rank % len(venues)],
            reported_meetings=rank % 4 or None,
        )
        item.hosts.set(hosts[rank % 3 : rank % 3 + 2])
    return visit


class ChangeForm(HTMLParser):
    """The fields of one form of a page (by its id) as a browser submits them, unchanged: text and hidden
    inputs, ticked boxes, each select's selected options, textareas; no buttons, no file inputs."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the one line feed that follows <textarea> (Django writes it there).
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n").replace("\n", "\r\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def change_form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = ChangeForm(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields
