"""Synthetic visits at scale, for `manage.py generate_visits`: realistic, deterministic for a seed, bulk-inserted.

Rows are written straight into the tables, which bypasses save() and signals, so this module fills in
what those would, by the domain's own functions rather than a copy of its rules: `search_text` from
the models' `search_text_for()`, the original column of translated fields as modeltranslation fills
it (the active language's text: English here), city and time zone from the venue or session by
`delegations.models.followed_place`, instants from `delegations.models.local_instant`, and each
meeting's bookings with the keys of `meetings.services.meeting_booking_resources`, as
`meeting_sync_bookings` writes them.

No two generated meetings book one organization, person or table at overlapping times: every timed
meeting lasts one 30-minute slot starting on the hour or half hour, local time, in a zone whose
offset is a whole number of half hours, so all slots fall on one grid of instants; a set of
(resource, grid slot) pairs refuses any second booking before a meeting is kept.
"""

import contextlib
import datetime
import io
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django_countries import countries
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from contacts.models import Organization, Person, Position, Sector
from core.cache import content_changed
from delegations.models import (
    Agreement,
    AgreementParty,
    Delegation,
    DelegationMember,
    FollowUp,
    ItineraryItem,
    Venue,
    followed_place,
    local_instant,
)
from meetings.models import Booking, Meeting, MeetingParticipant
from meetings.services import meeting_booking_resources

from . import generator_data as data

DEFAULT_SIZES = {
    "visits": 1_000,
    "organizations": 20_000,
    "people": 50_000,
    "itinerary_items": 30_000,
    "meetings": 200_000,
    "agreements": 5_000,
    "follow_ups": 10_000,
}
LARGE_VISIT_SIZES = {"itinerary_items": 300, "meetings": 2_000}
# The one large visit keeps this address whatever the scale and seed, so that benchmarks can find it.
LARGE_VISIT_SLUG = "bavaria-china-trade-mission-2025"
# Visit statuses depend on this day, not on the day of the run, so that a seed always gives the same rows.
REFERENCE_DAY = datetime.date(2026, 6, 1)
FIRST_DAY, LAST_DAY = datetime.date(2015, 1, 5), datetime.date(2027, 12, 10)
SLOT = datetime.timedelta(minutes=30)
SLOTS_PER_SESSION = 8  # 09:00–13:00 or 14:00–18:00
SESSION_STARTS = (datetime.time(9, 0), datetime.time(14, 0))
BATCH = 10_000
MEMBER_ROLES = (
    "deputy_head",
    "minister",
    "state_secretary",
    "official",
    "agency_director",
    "business",
    "business",
    "business",
    "adviser",
    "expert",
    "press",
    "interpreter",
    "staff",
)
# Offices the sources name without their holder: one such member in some visits.
UNNAMED_OFFICES = (
    ("Head of the Regional Executive Committee", "Chef du comité exécutif régional"),
    ("Deputy Minister of Economic Development", "Vice-ministre du Développement économique"),
)
DOMAIN_APPS = ("meetings", "delegations", "contacts")


@dataclass(frozen=True)
class Sizes:
    visits: int
    organizations: int
    people: int
    itinerary_items: int
    meetings: int
    agreements: int
    follow_ups: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        """The default sizes times `scale`, with at least one visit and two organizations per country."""
        sizes = {name: round(count * scale) for name, count in DEFAULT_SIZES.items()}
        sizes["visits"] = max(sizes["visits"], 1)
        sizes["organizations"] = max(sizes["organizations"], 2 * len(data.COUNTRIES))
        sizes["people"] = max(sizes["people"], sizes["organizations"])
        return cls(**sizes)


@dataclass
class Report:
    sizes: Sizes
    counts: dict[str, int] = field(default_factory=dict)


class DatabaseNotEmpty(Exception):
    pass


def domain_is_empty() -> bool:
    return not any(model.objects.exists() for model in (Sector, Organization, Person, Venue, Delegation, Meeting))


def domain_tables() -> list[str]:
    return [
        model._meta.db_table
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def domain_flush() -> None:
    """Delete every contact, visit and meeting row (users, groups and permissions stay), resetting ids."""
    tables = domain_tables()
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            # Foreign keys are checked at commit: rows inserted earlier in this transaction would
            # otherwise keep PostgreSQL from truncating their tables.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True):
            cursor.execute(sql)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def checks_deferred_to_the_end(tables: Sequence[str]):
    """Load `tables` the way pg_restore does: without their secondary indexes and their unique,
    foreign-key and exclusion constraints, which are then built and checked once over all the rows.

    Row by row, PostgreSQL would update every index and probe the bookings' GiST exclusion index for
    each row, and queue a foreign-key check per row for the commit. Re-adding a constraint checks
    every row, so the data ends up held to the same rules; if a row breaks one, the error names it
    and the surrounding transaction leaves the database as it was. A no-op on other databases.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Checks still queued for this transaction's earlier rows would keep their tables from being altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f', 'x') ORDER BY contype, conname",
            [list(tables)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Index builds sort in memory up to this; the default (64 MB) spills the larger ones to disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def spread(total: int, parts: int, rng: random.Random, low: float = 0.3, high: float = 1.7) -> list[int]:
    """`total` split into `parts` uneven integers that add up exactly."""
    if parts <= 0:
        return []
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [math.floor(weight * scale) for weight in weights]
    for index in rng.sample(range(parts), total - sum(shares)):
        shares[index] += 1
    return shares


def _slug(text: str, number: int, fallback: str) -> str:
    return f"{slugify(text)[:180] or fallback}-{number}"


class Row(dict):
    """One row to write: column values by field attribute name (`organization_id`); `pk` once written.

    Plain dicts rather than model instances: building a million instances, and having Django prepare
    each of their values, takes minutes; the values here are already what the database stores.
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__

    @property
    def pk(self) -> int:
        return self["id"]


def _translated_fields(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Writer:
    """Writes rows straight into a model's table, ids given here: COPY on PostgreSQL, executemany elsewhere.

    Bypasses save() and signals (as bulk_create would), so rows must hold what those fill in. The
    original column of a translated field gets the active language's text, as save() does.
    """

    def write(self, model, rows: list[Row]) -> None:
        if not rows:
            return
        fields = model._meta.concrete_fields
        language = translation.get_language()
        for name in _translated_fields(model):
            column = build_localized_fieldname(name, language)
            for row in rows:
                if row.get(column) is not None:
                    row.setdefault(name, row[column])
        for row, pk in zip(rows, self.reserve_ids(model, len(rows)), strict=True):
            row["id"] = pk
        defaults = {field.attname: field.get_default() for field in fields}
        values = [tuple(row.get(field.attname, defaults[field.attname]) for field in fields) for row in rows]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in values)
                cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
            else:
                adapters = [self.adapter(field) for field in fields]
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    [[adapt(value) for adapt, value in zip(adapters, row, strict=True)] for row in values],
                )

    @staticmethod
    def adapter(field) -> Callable:
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        if isinstance(field, models.TimeField):
            return connection.ops.adapt_timefield_value
        return lambda value: value

    @staticmethod
    def reserve_ids(model, count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return [pk for (pk,) in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
            start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + count))


class _Slots:
    """Which organization, person and table is taken in which 30-minute slot of the common grid."""

    KINDS = {"org": 0, "person": 1, "table": 2}

    def __init__(self):
        self.taken: set[int] = set()
        self.tables: dict[tuple[int, str], int] = {}

    def key(self, kind: str, ident, slot: int) -> int:
        if kind == "table":
            ident = self.tables.setdefault(ident, len(self.tables))
        return ((ident * 3 + self.KINDS[kind]) << 22) | slot

    @staticmethod
    def slot(instant: datetime.datetime) -> int:
        seconds = int(instant.timestamp())
        if seconds % 1800:
            raise ValueError(f"{instant} is off the half-hour grid: its zone must not have a quarter-hour offset.")
        return seconds // 1800

    def free(self, keys: Sequence[int]) -> bool:
        return not any(key in self.taken for key in keys)

    def take(self, keys: Sequence[int]) -> None:
        self.taken.update(keys)


@dataclass
class _Visit:
    delegation: Delegation
    origin: str
    hosts: list[str]
    days: list[datetime.date]
    member_people: list[int]
    items: list[ItineraryItem] = field(default_factory=list)
    sessions: list[ItineraryItem] = field(default_factory=list)
    meetings_with_follow_up: list[int] = field(default_factory=list)
    own_side: list[int] = field(default_factory=list)
    other_side: list[int] = field(default_factory=list)
    tables: int = 0
    agreements: list[Agreement] = field(default_factory=list)


class Generator:
    def __init__(self, *, sizes: Sizes, seed: int, progress: Callable[[str], None]):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.progress = progress
        self.slots = _Slots()
        self.writer = Writer()
        self.counts: dict[str, int] = defaultdict(int)
        self.hostile_calls: dict[object, int] = defaultdict(int)
        self.codes = sorted(data.COUNTRIES)
        self.scale_large = {
            name: min(round(count * sizes.visits / DEFAULT_SIZES["visits"]), getattr(sizes, name))
            for name, count in LARGE_VISIT_SIZES.items()
        }

    # -- helpers -----------------------------------------------------------------------------------

    def insert(self, model, rows: list[Row]) -> list[Row]:
        for start in range(0, len(rows), BATCH):
            self.writer.write(model, rows[start : start + BATCH])
        self.counts[model._meta.model_name] += len(rows)
        return rows

    def insert_links(self, through, rows: list[tuple[int, int]], left: str, right: str) -> None:
        self.insert(through, [Row({f"{left}_id": a, f"{right}_id": b}) for a, b in rows])

    def hostile(self, every: int, kind: str, texts: Sequence[str] = data.HOSTILE_TEXTS) -> str | None:
        """One of `texts` for the first and then every `every`-th call of a kind, in turn, else None:
        hostile text even in a tiny data set."""
        calls = self.hostile_calls[kind]
        self.hostile_calls[kind] += 1
        return texts[calls // every % len(texts)] if calls % every == 0 else None

    def script(self, country: str) -> str:
        return data.COUNTRIES[country][0]

    def cities(self, country: str) -> tuple[tuple[str, str], ...]:
        return data.COUNTRIES[country][1]

    # -- contacts ------------------------------------------------------------------------------------

    def sectors(self) -> None:
        rows = [Row(slug=slug, name_en=en, name_fr=fr) for slug, (en, fr) in data.SECTORS.items()]
        self.sector_ids = [sector.pk for sector in self.insert(Sector, rows)]
        self.sector_names = {sector.pk: (sector.name_en, sector.name_fr) for sector in rows}

    def organizations(self) -> None:
        rng, count = self.rng, self.sizes.organizations
        public_share = max(len(self.codes), count * 15 // 100)
        governments, others = [], []
        for number in range(count):
            country = self.codes[number % len(self.codes)]
            script = self.script(country)
            city, _zone = rng.choice(self.cities(country))
            if number < len(self.codes):
                kind, pattern = data.PUBLIC_BODIES[0]
            elif number < public_share:
                kind, pattern = rng.choice(data.PUBLIC_BODIES[1:])
            else:
                kind, pattern = "company", ""
            if kind != "company":
                name = pattern.format(place=city, n=number % 40 + 1)
                native = ""
                if script != "latin":
                    native = f"{data.NATIVE_CITIES.get(city, city)} {data.NATIVE_BODY_WORDS[script][kind]}"
            else:
                (stem, stem_native), (word, word_native) = (
                    rng.choice(words) for words in data.ORGANIZATION_WORDS[script]
                )
                suffix = rng.choice(data.COMPANY_SUFFIXES)
                name = " ".join(part for part in (stem, word, city if rng.random() < 0.5 else "", suffix) if part)
                native = {
                    "latin": "",
                    "ru": f"{stem_native}{word_native.lower()}",
                    "zh": f"{stem_native}{word_native}有限公司",
                }.get(script, f"{stem_native} {word_native}")
                if hostile := self.hostile(97, "organization", data.HOSTILE_NAMES):
                    name, native = f"{hostile} {number}", ""
            organization = Row(
                name=name,
                native_name=native,
                slug=_slug(name, number, "organization"),
                kind=kind,
                country=country,
                city=city,
                website=f"https://www.example-{number}.org/" if rng.random() < 0.4 else "",
                description=self.hostile(97, "organization description") or "",
                contact_email=f"contact{number}@example.org" if rng.random() < 0.5 else "",
                contact_phone=f"+{rng.randrange(1, 99)} {rng.randrange(10**6, 10**7)}" if rng.random() < 0.3 else "",
                search_text=Organization.search_text_for(name=name, native_name=native),
            )
            (governments if kind == "government" else others).append(organization)
        self.insert(Organization, governments)
        government_of = {org.country: org.pk for org in governments}
        for organization in others:
            if organization.kind in ("ministry", "agency") and rng.random() < 0.7:
                organization.parent_id = government_of[organization.country]
        self.insert(Organization, others)
        everyone = governments + others
        self.org_country = {org.pk: org.country for org in everyone}
        self.org_kind = {org.pk: org.kind for org in everyone}
        self.orgs_by_country: dict[str, list[int]] = defaultdict(list)
        self.companies_by_country: dict[str, list[int]] = defaultdict(list)
        self.government_of = government_of
        for org in everyone:
            self.orgs_by_country[org.country].append(org.pk)
            if org.kind == "company":
                self.companies_by_country[org.country].append(org.pk)
        links = []
        for org in everyone:
            links += [(org.pk, sector) for sector in rng.sample(self.sector_ids, rng.randint(0, 2))]
        self.insert_links(Organization.sectors.through, links, "organization", "sector")
        self.org_ids = [org.pk for org in everyone]
        self.org_name = {org.pk: org.name for org in everyone}
        self.progress(f"organizations: {len(everyone)}")

    def people(self) -> None:
        rng = self.rng
        people, primary = [], []
        for number in range(self.sizes.people):
            org = self.org_ids[number % len(self.org_ids)]
            script = self.script(self.org_country[org])
            given_names, family_names = data.PEOPLE_NAMES[script]
            (given, given_native), (family, family_native) = rng.choice(given_names), rng.choice(family_names)
            if script in ("zh", "ja", "ko"):
                name = f"{family} {given}"
                native = f"{family_native}{given_native}" if script != "ko" else f"{family_native} {given_native}"
            else:
                name, native = f"{given} {family}", f"{given_native} {family_native}".strip()
            other = ""
            if script == "ru" and rng.random() < 0.3:
                other = name.replace("y", "i").replace("Yek", "Ek")
            public = self.org_kind[org] != "company" or rng.random() < 0.3
            people.append(
                Row(
                    name=name,
                    native_name=native,
                    other_names=other,
                    slug=_slug(name, number, "person"),
                    honorific=rng.choice(("Mr", "Ms", "Dr", "H.E.", "")),
                    is_public=public,
                    email=f"person{number}@example.org" if rng.random() < 0.6 else "",
                    phone=f"+{rng.randrange(1, 99)} {rng.randrange(10**8, 10**9)}" if rng.random() < 0.4 else "",
                    private_notes=self.hostile(50, "person notes") or "",
                    search_text=Person.search_text_for(name=name, native_name=native, other_names=other),
                )
            )
            primary.append(org)
        self.insert(Person, people)
        self.people_by_org: dict[int, list[int]] = defaultdict(list)
        self.person_org: dict[int, int] = {}
        self.person_title: dict[int, tuple[str, str]] = {}
        self.people_by_country: dict[str, list[int]] = defaultdict(list)
        positions = []
        for person, org in zip(people, primary, strict=True):
            self.people_by_org[org].append(person.pk)
            self.person_org[person.pk] = org
            self.people_by_country[self.org_country[org]].append(person.pk)
            title = rng.choice(data.TITLES)
            self.person_title[person.pk] = title
            start = datetime.date(rng.randint(2008, 2020), rng.randint(1, 12), 1)
            positions.append(
                Row(person_id=person.pk, organization_id=org, title_en=title[0], title_fr=title[1], start_date=start)
            )
            if rng.random() < 0.2:
                earlier = rng.choice(self.orgs_by_country[self.org_country[org]])
                old_title = rng.choice(data.TITLES)
                positions.append(
                    Row(
                        person_id=person.pk,
                        organization_id=earlier,
                        title_en=old_title[0],
                        title_fr=old_title[1],
                        start_date=start.replace(year=start.year - 4),
                        end_date=start - datetime.timedelta(days=1),
                    )
                )
        self.insert(Position, positions)
        self.progress(f"people: {len(people)}, positions: {len(positions)}")

    # -- visits ----------------------------------------------------------------------------------------

    def venues(self) -> None:
        rng = self.rng
        all_cities = [(code, city, zone) for code in self.codes for city, zone in self.cities(code)]
        count = max(len(all_cities), round(1_500 * self.sizes.visits / DEFAULT_SIZES["visits"]))
        venues, seen = [], set()
        for number in range(count):
            code, city, zone = all_cities[number % len(all_cities)]
            name = f"{rng.choice(data.VENUE_WORDS)} {city}"
            if (name, city) in seen:
                name = f"{name} {number}"
            seen.add((name, city))
            venues.append(
                Row(
                    name=name,
                    address=f"{rng.randint(1, 200)} {rng.choice(data.STREETS)}",
                    city=city,
                    country=code,
                    time_zone=zone,
                    organization_id=rng.choice(self.orgs_by_country[code]) if rng.random() < 0.2 else None,
                )
            )
        self.insert(Venue, venues)
        self.venues_by_country: dict[str, list[Venue]] = defaultdict(list)
        for venue in venues:
            self.venues_by_country[venue.country].append(venue)

    def delegations(self) -> list[_Visit]:
        rng, now = self.rng, timezone.now()
        visits, rows = [], []
        for number in range(self.sizes.visits):
            large = number == 0
            if large:
                origin, hosts = "DE", ["CN"]
                start, length = datetime.date(2025, 10, 13), 10
                region = ("Bavaria", "Bavière")
            else:
                origin = rng.choice(self.codes)
                hosts = sorted(rng.sample([code for code in self.codes if code != origin], rng.choice((1, 1, 1, 2))))
                start = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
                length = rng.randint(3, 7)
                region = rng.choice(data.COUNTRIES[origin][2])
            end = start + datetime.timedelta(days=length - 1)
            with translation.override("en"):
                host_names_en = " and ".join(str(countries.name(code)) for code in hosts)
            with translation.override("fr"):
                host_names_fr = " et ".join(str(countries.name(code)) for code in hosts)
            title_en = f"{region[0]} delegation to {host_names_en}, {start.year}"
            title_fr = f"Délégation {region[1]} : {host_names_fr}, {start.year}"
            if large:
                title_en, title_fr = (
                    "Bavarian trade mission to China, 2025",
                    "Mission économique bavaroise en Chine, 2025",
                )
            if end < REFERENCE_DAY:
                status = rng.choices(("completed", "cancelled", "postponed"), (90, 6, 4))[0]
            else:
                status = rng.choice(("planned", "confirmed"))
            description_en = f"Business mission of the {region[0]}."
            description_en = self.hostile(40, "visit") or description_en
            delegation = Row(
                title_en=title_en,
                title_fr=title_fr,
                slug=LARGE_VISIT_SLUG if large else _slug(title_en, number, "visit"),
                origin_country=origin,
                origin_region_en=region[0],
                origin_region_fr=region[1],
                leading_body_id=self.government_of[origin],
                host_countries=",".join(hosts),
                organiser_id=rng.choice(self.orgs_by_country[origin]),
                start_date=start,
                end_date=end,
                home_time_zone=self.cities(origin)[0][1],
                purpose_en="Trade and investment cooperation.",
                purpose_fr="Coopération commerciale et investissements.",
                description_en=description_en,
                description_fr=f"Mission d'affaires : {region[1]}.",
                status=status,
                is_published=large or rng.random() < 0.85,
                created_at=now,
                updated_at=now,
                search_text=Delegation.search_text_for(
                    title_en=title_en, title_fr=title_fr, origin_region_en=region[0], origin_region_fr=region[1]
                ),
            )
            rows.append(delegation)
            visits.append(
                _Visit(
                    delegation=delegation,
                    origin=origin,
                    hosts=hosts,
                    days=[start + datetime.timedelta(days=offset) for offset in range(length)],
                    member_people=[],
                )
            )
        self.insert(Delegation, rows)
        supporting, sectors, members = [], [], []
        for visit in visits:
            delegation = visit.delegation
            pool = self.orgs_by_country[visit.hosts[0]]
            supporting += [(delegation.pk, org) for org in rng.sample(pool, min(len(pool), rng.randint(0, 2)))]
            sectors += [(delegation.pk, sector) for sector in rng.sample(self.sector_ids, rng.randint(1, 3))]
            candidates = self.people_by_country[visit.origin]
            size = 30 if delegation.slug == LARGE_VISIT_SLUG else rng.randint(5, 12)
            visit.member_people = rng.sample(candidates, min(size, len(candidates)))
            for order, person in enumerate(visit.member_people):
                role = "head" if order == 0 else rng.choice(MEMBER_ROLES)
                title = self.person_title[person]
                members.append(
                    Row(
                        delegation_id=delegation.pk,
                        person_id=person,
                        role=role,
                        title_en=title[0],
                        title_fr=title[1],
                        organization_id=self.person_org[person],
                        order=order,
                    )
                )
            if rng.random() < 0.3 and visit.member_people:
                title = rng.choice(UNNAMED_OFFICES)
                members.append(
                    Row(
                        delegation_id=delegation.pk,
                        person_id=None,
                        role="official",
                        title_en=title[0],
                        title_fr=title[1],
                        organization_id=self.person_org[visit.member_people[0]],
                        order=len(visit.member_people),
                    )
                )
        self.insert_links(Delegation.supporting_organizations.through, supporting, "delegation", "organization")
        self.insert_links(Delegation.priority_sectors.through, sectors, "delegation", "sector")
        self.insert(DelegationMember, members)
        self.progress(f"visits: {len(visits)}, members: {len(members)}")
        return visits

    def itinerary(self, visits: list[_Visit], meeting_quota: list[int]) -> None:
        rng = self.rng
        others = self.sizes.itinerary_items - self.scale_large["itinerary_items"]
        quota = [self.scale_large["itinerary_items"], *spread(others, len(visits) - 1, rng)]
        items = []
        for visit, count, meetings in zip(visits, quota, meeting_quota, strict=True):
            self.sides(visit, meetings)
            tables = visit.tables
            sessions = min(count, math.ceil(meetings * 1.3 / (tables * SLOTS_PER_SESSION))) if meetings else 0
            half_days = [(day, start) for day in visit.days for start in SESSION_STARTS]
            rng.shuffle(half_days)
            for number in range(count):
                kind = "b2b_session" if number < sessions else rng.choice(
                    ("official_meeting", "official_meeting", "conference", "trade_fair", "site_visit", "reception",
                     "signing", "travel")
                )  # fmt: skip
                host_country = rng.choice(visit.hosts)
                venue = None
                if kind != "travel" and rng.random() < 0.9:
                    venue = rng.choice(self.venues_by_country[host_country])
                own_city, own_zone = ("", "") if venue else rng.choice(self.cities(host_country))
                city, zone = followed_place(venue, own_city, own_zone)
                if kind == "b2b_session":
                    day, start = half_days[number % len(half_days)]
                    end = (datetime.datetime.combine(day, start) + SLOT * SLOTS_PER_SESSION).time()
                else:
                    day = rng.choice(visit.days)
                    start = (
                        datetime.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45))) if rng.random() < 0.85 else None
                    )
                    end = None
                    if start is not None and rng.random() < 0.8:
                        end = datetime.time(min(start.hour + rng.randint(1, 3), 23), start.minute)
                host = rng.choice(self.orgs_by_country[host_country])
                title_en, title_fr = rng.choice(data.ITEM_TITLES[kind])
                org_name = self.org_name[host]
                title_en = title_en.format(place=city, org=org_name)[:250]
                title_fr = title_fr.format(place=city, org=org_name)[:250]
                audience = rng.choice((None, None, 30, 50, 100, 250)) if kind in ("conference", "reception") else None
                item = Row(
                    delegation_id=visit.delegation.pk,
                    day=day,
                    start_time=start,
                    end_time=end,
                    kind=kind,
                    title_en=title_en,
                    title_fr=title_fr,
                    description_en=self.hostile(60, "item") or "",
                    description_fr="",
                    venue_id=venue.pk if venue else None,
                    city=city,
                    time_zone=zone,
                    audience_size=audience,
                    audience_approximation=rng.choice(("", "about", "more_than")) if audience else "",
                    reported_meetings=rng.randint(5, 20) if kind == "trade_fair" and rng.random() < 0.5 else None,
                    order=number,
                    b2b_tables=", ".join(str(table) for table in range(1, tables + 1)) if kind == "b2b_session" else "",
                    b2b_slot_minutes=30 if kind == "b2b_session" else None,
                    starts_at=local_instant(day, start, zone),
                    ends_at=local_instant(day, end, zone),
                )
                item.host_id = host
                items.append(item)
                visit.items.append(item)
                if kind == "b2b_session":
                    visit.sessions.append(item)
        self.insert(ItineraryItem, items)
        hosts, delegates, host_people = [], [], []
        for visit in visits:
            for item in visit.items:
                hosts.append((item.pk, item.host_id))
                picked = rng.sample(visit.member_people, min(len(visit.member_people), rng.randint(1, 3)))
                delegates += [(item.pk, person) for person in picked]
                if rng.random() < 0.5 and self.people_by_org[item.host_id]:
                    host_people.append((item.pk, self.people_by_org[item.host_id][0]))
        self.insert_links(ItineraryItem.hosts.through, hosts, "itineraryitem", "organization")
        self.insert_links(ItineraryItem.delegation_participants.through, delegates, "itineraryitem", "person")
        self.insert_links(ItineraryItem.host_participants.through, host_people, "itineraryitem", "person")
        self.progress(f"itinerary items: {len(items)}")

    def sides(self, visit: _Visit, meetings: int) -> None:
        """The organizations the visit's meetings are between, and as many tables as can be busy at once."""
        companies = self.companies_by_country[visit.origin]
        tables = 20 if visit.delegation.slug == LARGE_VISIT_SLUG else 12
        own_side = companies if len(companies) >= tables + 8 else self.orgs_by_country[visit.origin]
        visit.own_side = self.rng.sample(own_side, min(len(own_side), max(tables + 8, meetings // 12)))
        visit.other_side = [org for code in visit.hosts for org in self.orgs_by_country[code]]
        visit.tables = max(1, min(tables, len(visit.own_side) - 1, len(visit.other_side) - 1))

    # -- meetings ----------------------------------------------------------------------------------------

    def meetings(self, visits: list[_Visit], quota: list[int]) -> None:
        pending: list[tuple[Row, list[tuple[int, str]]]] = []
        for visit, count in zip(visits, quota, strict=True):
            pending += self.visit_meetings(visit, count)
            if len(pending) >= 10_000:
                self.write_meetings(pending)
                pending = []
        self.write_meetings(pending)
        self.progress(f"meetings: {self.counts['meeting']}, bookings: {self.counts['booking']}")

    def visit_meetings(self, visit: _Visit, count: int) -> list[tuple[Row, list[tuple[int, str]]]]:
        """The visit's meetings with their participants (person, side): in its B2B sessions' free cells,
        and, when the sessions are full, without a time yet."""
        rng = self.rng
        if count == 0:
            return []
        delegation = visit.delegation
        tables, own_side, other_side = visit.tables, visit.own_side, visit.other_side
        cells = [
            (session, slot, table)
            for session in visit.sessions
            for slot in range(SLOTS_PER_SESSION)
            for table in range(1, tables + 1)
        ]
        rng.shuffle(cells)
        past = visit.days[-1] < REFERENCE_DAY
        made = []
        # A few meetings are requested without a slot yet; the others fill free cells of the sessions.
        timed = count - count // 50
        for session, slot, table in cells:
            if len(made) == timed:
                break
            start = datetime.datetime.combine(session.day, session.start_time) + SLOT * slot
            starts_at = local_instant(session.day, start.time(), session.time_zone)
            grid = self.slots.slot(starts_at)
            table_keys = [self.slots.key("table", (session.venue_id, str(table)), grid)] if session.venue_id else []
            for _attempt in range(6):
                mine, theirs = rng.choice(own_side), rng.choice(other_side)
                keys = [self.slots.key("org", mine, grid), self.slots.key("org", theirs, grid), *table_keys]
                if self.slots.free(keys):
                    break
            else:
                continue
            people = []
            for org, side, chance in ((mine, "delegation", 0.7), (theirs, "host", 0.5)):
                staff = self.people_by_org.get(org)
                if staff and rng.random() < chance:
                    person = rng.choice(staff)
                    person_key = self.slots.key("person", person, grid)
                    if self.slots.free([person_key]):
                        keys.append(person_key)
                        people.append((person, side))
            self.slots.take(keys)
            meeting = self.meeting(visit, past, mine, theirs)
            meeting.session_id, meeting.venue_id = session.pk, session.venue_id
            meeting.date = session.day
            meeting.city, meeting.time_zone = followed_place(session, "", "")
            meeting.start_time, meeting.end_time = start.time(), (start + SLOT).time()
            meeting.starts_at = starts_at
            meeting.ends_at = local_instant(session.day, meeting.end_time, session.time_zone)
            meeting.table = str(table) if session.venue_id else ""
            made.append((meeting, people))
        while len(made) < count:
            mine, theirs = rng.choice(own_side), rng.choice(other_side)
            meeting = self.meeting(visit, past, mine, theirs)
            meeting.status = "requested"
            meeting.date = rng.choice(visit.days)
            meeting.city, meeting.time_zone = rng.choice(self.cities(rng.choice(visit.hosts)))
            made.append((meeting, []))
        delegation_id = delegation.pk
        for meeting, _people in made:
            meeting.delegation_id = delegation_id
        return made

    def meeting(self, visit: _Visit, past: bool, mine: int, theirs: int) -> Row:
        rng = self.rng
        if past:
            status = rng.choices(("held", "no_show", "cancelled", "confirmed"), (78, 5, 9, 8))[0]
        else:
            status = rng.choices(("requested", "confirmed", "cancelled"), (40, 55, 5))[0]
        outcome_en = outcome_fr = ""
        if status == "held" and rng.random() < 0.6:
            outcome_en, outcome_fr = rng.choice(data.OUTCOMES)
            if hostile := self.hostile(80, "outcome"):
                outcome_en = outcome_fr = hostile
        return Row(
            delegation_organization_id=mine,
            host_organization_id=theirs,
            sector_id=rng.choice(self.sector_ids) if rng.random() < 0.9 else None,
            status=status,
            outcome_en=outcome_en,
            outcome_fr=outcome_fr,
            follow_up_expected=status == "held" and rng.random() < 0.2,
            private_notes=rng.choice(("Budget confirmed.", "Wants exclusivity.", "")) if rng.random() < 0.2 else "",
            session_id=None,
            venue_id=None,
            table="",
            start_time=None,
            end_time=None,
            starts_at=None,
            ends_at=None,
        )

    def write_meetings(self, pending: list[tuple[Row, list[tuple[int, str]]]]) -> None:
        """The meetings, their participants, and their bookings as meeting_sync_bookings would write them."""
        if not pending:
            return
        self.insert(Meeting, [meeting for meeting, _people in pending])
        participants, bookings = [], []
        for meeting, people in pending:
            participants += [Row(meeting_id=meeting.pk, person_id=p, side=s) for p, s in people]
            if meeting.status == "cancelled" or meeting.starts_at is None:
                continue
            resources = meeting_booking_resources(
                delegation_organization_id=meeting.delegation_organization_id,
                host_organization_id=meeting.host_organization_id,
                table_venue_id=meeting.venue_id,
                table=meeting.table,
                person_ids=[person for person, _side in people],
            )
            bookings += [
                Row(meeting_id=meeting.pk, resource=resource, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
                for resource in sorted(resources)
            ]
            if meeting.follow_up_expected:
                self.visit_of[meeting.delegation_id].meetings_with_follow_up.append(meeting.pk)
        self.insert(MeetingParticipant, participants)
        self.insert(Booking, bookings)

    # -- outcomes ----------------------------------------------------------------------------------------

    def agreements(self, visits: list[_Visit]) -> None:
        rng = self.rng
        agreements, parties = [], []
        for visit, count in zip(visits, spread(self.sizes.agreements, len(visits), rng), strict=True):
            signings = [item for item in visit.items if item.kind == "signing"]
            for _number in range(count):
                item = rng.choice(signings) if signings and rng.random() < 0.7 else None
                sector = self.sector_names[rng.choice(self.sector_ids)]
                kind = rng.choice(("mou", "cooperation", "contract", "letter_of_intent", "tripartite"))
                title_en, title_fr = rng.choice(data.AGREEMENT_TITLES)
                agreement = Row(
                    delegation_id=visit.delegation.pk,
                    kind=kind,
                    title_en=title_en.format(sector=sector[0].lower()),
                    title_fr=title_fr.format(sector=sector[1].lower()),
                    subject_en=self.hostile(50, "agreement") or "",
                    subject_fr="",
                    signed_on=item.day if item else rng.choice(visit.days),
                    place=item.city if item else "",
                    signing_item_id=item.pk if item else None,
                    status=rng.choice(("signed", "signed", "in_force", "completed", "prepared")),
                )
                own = rng.choice(self.orgs_by_country[visit.origin])
                others = rng.sample(self.orgs_by_country[visit.hosts[0]], 2 if kind == "tripartite" else 1)
                agreement.party_orgs = [own, *others]
                agreements.append(agreement)
                visit.agreements.append(agreement)
        self.insert(Agreement, agreements)
        for agreement in agreements:
            for order, org in enumerate(agreement.party_orgs):
                people = self.people_by_org.get(org)
                signatory = people[0] if people and order < 2 else None
                parties.append(
                    Row(
                        agreement_id=agreement.pk,
                        organization_id=org,
                        signatory_id=signatory,
                        signatory_title=self.person_title[signatory][0] if signatory else "",
                        order=order,
                    )
                )
        self.insert(AgreementParty, parties)
        self.progress(f"agreements: {len(agreements)}")

    def follow_ups(self, visits: list[_Visit]) -> None:
        rng = self.rng
        rows, orgs, meeting_links = [], [], []
        for visit, count in zip(visits, spread(self.sizes.follow_ups, len(visits), rng), strict=True):
            for _number in range(count):
                sector = rng.choice(self.sector_ids)
                names = self.sector_names[sector]
                city = rng.choice(self.cities(visit.origin))[0]
                title_en, title_fr = rng.choice(data.FOLLOW_UP_TITLES)
                step = rng.choice(data.NEXT_STEPS)
                follow_up = Row(
                    delegation_id=visit.delegation.pk,
                    kind=rng.choice(("investment_project", "planned_visit", "invitation", "partnership", "other")),
                    title_en=title_en.format(sector=names[0].lower(), place=city),
                    title_fr=title_fr.format(sector=names[1].lower(), place=city),
                    description_en=self.hostile(50, "follow-up") or "",
                    description_fr="",
                    sector_id=sector,
                    status=rng.choice(("proposed", "in_negotiation", "agreed", "in_progress", "done", "dropped")),
                    next_step_en=step[0],
                    next_step_fr=step[1],
                    due_date=visit.days[-1] + datetime.timedelta(days=rng.randint(30, 400))
                    if rng.random() < 0.7
                    else None,
                    itinerary_item_id=rng.choice(visit.items).pk if visit.items and rng.random() < 0.5 else None,
                    agreement_id=rng.choice(visit.agreements).pk if visit.agreements and rng.random() < 0.3 else None,
                )
                follow_up.visit = visit
                rows.append(follow_up)
        self.insert(FollowUp, rows)
        for follow_up in rows:
            visit = follow_up.visit
            orgs.append((follow_up.pk, rng.choice(self.orgs_by_country[visit.origin])))
            orgs.append((follow_up.pk, rng.choice(self.orgs_by_country[visit.hosts[0]])))
            if visit.meetings_with_follow_up:
                meeting_links.append((visit.meetings_with_follow_up.pop(), follow_up.pk))
        self.insert_links(FollowUp.organizations.through, orgs, "followup", "organization")
        self.insert_links(Meeting.follow_ups.through, meeting_links, "meeting", "followup")
        self.progress(f"follow-ups: {len(rows)}")

    # -- all -------------------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.sectors()
        self.organizations()
        self.people()
        self.venues()
        visits = self.delegations()
        self.visit_of = {visit.delegation.pk: visit for visit in visits}
        others = self.sizes.meetings - self.scale_large["meetings"]
        meeting_quota = [self.scale_large["meetings"], *spread(others, len(visits) - 1, self.rng)]
        self.itinerary(visits, meeting_quota)
        self.meetings(visits, meeting_quota)
        self.agreements(visits)
        self.follow_ups(visits)
        return dict(self.counts)


@transaction.atomic
@translation.override("en")
def visits_generate(
    *, scale: float = 1.0, seed: int = 1, flush: bool = False, progress: Callable[[str], None] = lambda line: None
) -> Report:
    """Fill the database with synthetic visits at `scale` times the default sizes (see DEFAULT_SIZES),
    the same rows for the same seed and scale.

    Side effects, in one transaction: with `flush`, first deletes every contact, visit and meeting
    row; then inserts sectors, organizations, people and positions, venues, visits with members,
    itinerary items, meetings with participants and bookings, agreements with parties and follow-ups;
    makes cached pages out of date.

    Raises DatabaseNotEmpty, changing nothing, when such rows exist and `flush` is false.
    """
    if flush:
        domain_flush()
    elif not domain_is_empty():
        raise DatabaseNotEmpty
    sizes = Sizes.at(scale)
    with checks_deferred_to_the_end(domain_tables()):
        counts = Generator(sizes=sizes, seed=seed, progress=progress).run()
        progress("rows written; building indexes and checking constraints")
    content_changed()
    return Report(sizes=sizes, counts=counts)
