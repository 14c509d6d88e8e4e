"""The visit workbook: one sheet per kind of record, its columns, and a visit written into it.

Records refer to each other by name (organizations, people) or by id (a row's own record): what staff
can read and type. Cells a spreadsheet could run as formulas are written with a leading quote
(core.csv.neutralise) and read back without it.
"""

import datetime
import io

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from contacts.models import Organization, Person, Position, Sector
from core.csv import neutralise
from delegations.models import AgreementParty, Delegation

from .columns import SHEETS, column_label, sheet_label, translated

# Sheets read by the importer (all of them); another sheet would be written for reading only.
IMPORTED_SHEETS = tuple(SHEETS)
LIST_SEPARATOR = "; "

INSTRUCTIONS = (
    _("One sheet per kind of record; keep the sheet names and the column names of the first row."),
    _("Sheet and column names may be in English, French or Russian: any of them is read back."),
    _("A row with an id updates that record of the visit; a row without one adds a record."),
    _(
        "Organizations and people are named as in their sheet; an existing record with the same name (or "
        "one of its other names) is updated. A row resembling a known one under another spelling is a question "
        "on the preview: the same record (its spelling kept as another name) or a new one."
    ),
    _(
        "Sectors are named by their slug, venues by their name; a meeting's session, an agreement's signing "
        "item, a party's agreement and a meeting's follow-ups by the id of their row."
    ),
    _("Dates as 2018-11-26, times as 14:30 (local time of the place), time zones as Europe/Paris."),
    _("Several values in a cell (host countries, hosts, parties) are separated by “; ”."),
    _("Formulas are read as their text, never calculated. Merged cells are refused: unmerge them."),
    _("Upload the workbook as .xlsx, or each sheet as a .csv named after it (visit.csv, people.csv…)."),
)

EXAMPLE = {
    "visit": [{
        "slug": "example-visit-2026", "title_en": "Example region delegation to France", "origin_country": "RU",
        "origin_region_en": "Example region", "leading_body": "Government of the example region",
        "host_countries": "FR", "organiser": "Government of the example region", "start_date": "2026-11-23",
        "end_date": "2026-11-25", "home_time_zone": "Asia/Irkutsk", "status": "planned", "is_published": "no",
    }],
    "organizations": [
        {"id": "", "name": "Government of the example region", "native_name": "", "kind": "government",
         "country": "RU", "city": "", "parent": ""},
    ],
    "people": [
        {"id": "", "name": "Ivan Example", "native_name": "Иван Пример", "other_names": "", "honorific": "Mr",
         "is_public": "yes"},
    ],
    "positions": [
        {"id": "", "person": "Ivan Example", "organization": "Government of the example region",
         "title_en": "Governor"},
    ],
    "members": [
        {"id": "", "person": "Ivan Example", "role": "head", "title_en": "Governor",
         "organization": "Government of the example region", "order": 1},
    ],
    "itinerary": [
        {"id": "", "day": "2026-11-23", "start_time": "10:00", "end_time": "11:30", "start_fold": "no",
         "end_fold": "no", "kind": "official_meeting", "title_en": "Meeting at the Senate",
         "title_fr": "Rencontre au Sénat", "city": "Paris", "time_zone": "Europe/Paris", "order": 1},
    ],
}  # fmt: skip


def _text(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return neutralise(str(value))


def _names(objects) -> str:
    return LIST_SEPARATOR.join(obj.name for obj in objects)


def _slugs(sectors) -> str:
    return LIST_SEPARATOR.join(sector.slug for sector in sectors)


def _ids(objects) -> str:
    return LIST_SEPARATOR.join(str(obj.pk) for obj in objects)


def _texts(obj, field: str) -> dict[str, str]:
    return {column: getattr(obj, column) for column in translated(field)}


def _name(obj) -> str:
    return obj.name if obj is not None else ""


def _parents_first(organizations: dict[int, Organization]) -> list[Organization]:
    """The organizations with all their parents, each parent before its children (the reader needs it so)."""
    pending = dict(organizations)
    while missing := {org.parent_id for org in pending.values() if org.parent_id and org.parent_id not in pending}:
        pending |= Organization.objects.in_bulk(missing)
    ordered, placed = [], set()
    while pending:
        ready = sorted((org for org in pending.values() if not org.parent_id or org.parent_id in placed), key=_pk)
        for org in ready or sorted(pending.values(), key=_pk):  # a cycle the database refuses: write them anyway
            ordered.append(pending.pop(org.pk))
            placed.add(org.pk)
    return ordered


def _pk(obj) -> int:
    return obj.pk


def visit_rows(visit: Delegation) -> dict[str, list[dict]]:
    """Each sheet's rows for this visit, as plain values: everything staff enter for a visit, and the
    organizations, people, sectors and venues it names (with the positions of its people), so that the
    workbook loaded into an empty database gives the same visit."""
    members = list(visit.members.select_related("person", "organization").order_by("order", "pk"))
    items = list(
        visit.itinerary_items.select_related("venue")
        .prefetch_related("hosts", "delegation_participants", "host_participants")
        .order_by("day", "order", "pk")
    )
    meetings = list(
        visit.meetings.select_related("delegation_organization", "host_organization", "sector", "venue")
        .prefetch_related("follow_ups", "participants__person")
        .order_by("pk")
    )
    agreements = list(visit.agreements.order_by("pk"))
    parties = list(
        AgreementParty.objects.filter(agreement__delegation=visit)
        .select_related("organization", "signatory")
        .order_by("agreement", "order", "pk")
    )
    follow_ups = list(visit.follow_ups.select_related("sector").prefetch_related("organizations").order_by("pk"))
    supporting = list(visit.supporting_organizations.order_by("pk"))
    priority = list(visit.priority_sectors.order_by("pk"))
    venues = {item.venue_id: item.venue for item in items if item.venue_id}
    venues |= {meeting.venue_id: meeting.venue for meeting in meetings if meeting.venue_id}

    organizations: dict[int, Organization] = {visit.organiser_id: visit.organiser}
    people: dict[int, Person] = {}
    sectors: dict[int, Sector] = {sector.pk: sector for sector in priority}
    for org in (visit.leading_body, *supporting, *(venue.organization for venue in venues.values())):
        if org is not None:
            organizations[org.pk] = org
    for member in members:
        if member.organization_id:
            organizations[member.organization_id] = member.organization
        if member.person_id:
            people[member.person_id] = member.person
    for item in items:
        organizations |= {host.pk: host for host in item.hosts.all()}
        people |= {p.pk: p for p in (*item.delegation_participants.all(), *item.host_participants.all())}
    for meeting in meetings:
        organizations[meeting.delegation_organization_id] = meeting.delegation_organization
        organizations[meeting.host_organization_id] = meeting.host_organization
        people |= {participant.person_id: participant.person for participant in meeting.participants.all()}
        if meeting.sector_id:
            sectors[meeting.sector_id] = meeting.sector
    for party in parties:
        organizations[party.organization_id] = party.organization
        if party.signatory_id:
            people[party.signatory_id] = party.signatory
    for follow_up in follow_ups:
        organizations |= {org.pk: org for org in follow_up.organizations.all()}
        if follow_up.sector_id:
            sectors[follow_up.sector_id] = follow_up.sector
    positions = list(
        Position.objects.filter(person__in=people).select_related("person", "organization").order_by("person", "pk")
    )
    organizations |= {position.organization_id: position.organization for position in positions}
    ordered = _parents_first(organizations)
    org_sectors = {
        org.pk: list(org.sectors.order_by("pk"))
        for org in Organization.objects.filter(pk__in=[org.pk for org in ordered]).prefetch_related("sectors")
    }
    for listed in org_sectors.values():
        sectors |= {sector.pk: sector for sector in listed}
    by_pk = {org.pk: org for org in ordered}
    return {
        "visit": [{
            "slug": visit.slug, **_texts(visit, "title"), "origin_country": visit.origin_country.code,
            **_texts(visit, "origin_region"), "leading_body": _name(visit.leading_body),
            "host_countries": LIST_SEPARATOR.join(country.code for country in visit.host_countries),
            "organiser": visit.organiser.name, "supporting_organizations": _names(supporting),
            "start_date": visit.start_date, "end_date": visit.end_date, "home_time_zone": visit.home_time_zone,
            "status": visit.status, "is_published": visit.is_published, **_texts(visit, "purpose"),
            **_texts(visit, "description"), "priority_sectors": _slugs(priority),
            "reported_meetings": visit.reported_meetings, "agreements_without_detail": visit.agreements_without_detail,
            **_texts(visit, "agreements_without_detail_summary"),
        }],
        "sectors": [
            {"slug": sector.slug, **_texts(sector, "name")} for sector in sorted(sectors.values(), key=_pk)
        ],
        "organizations": [
            {"id": org.pk, "name": org.name, "slug": org.slug, "native_name": org.native_name,
             "other_names": org.other_names, "kind": org.kind, "country": org.country.code or "", "city": org.city,
             "sectors": _slugs(org_sectors[org.pk]), "website": org.website,
             "parent": _name(by_pk.get(org.parent_id)), "description": org.description,
             "contact_email": org.contact_email, "contact_phone": org.contact_phone}
            for org in ordered
        ],
        "people": [
            {"id": person.pk, "name": person.name, "slug": person.slug, "native_name": person.native_name,
             "other_names": person.other_names, "honorific": person.honorific, "is_public": person.is_public,
             "email": person.email, "phone": person.phone, "private_notes": person.private_notes}
            for person in sorted(people.values(), key=_pk)
        ],
        "positions": [
            {"id": position.pk, "person": position.person.name, "organization": position.organization.name,
             **_texts(position, "title"), "start_date": position.start_date, "end_date": position.end_date}
            for position in positions
        ],
        "members": [
            {"id": member.pk, "person": _name(member.person), "role": member.role, **_texts(member, "title"),
             "organization": _name(member.organization), "order": member.order}
            for member in members
        ],
        "venues": [
            {"id": venue.pk, "name": venue.name, "address": venue.address, "city": venue.city,
             "country": venue.country.code, "time_zone": venue.time_zone, "organization": _name(venue.organization)}
            for venue in sorted(venues.values(), key=_pk)
        ],
        "itinerary": [
            {"id": item.pk, "day": item.day, "start_time": item.start_time, "end_time": item.end_time,
             "start_fold": item.start_fold, "end_fold": item.end_fold, "kind": item.kind, **_texts(item, "title"),
             **_texts(item, "description"), "venue": _name(item.venue), "city": item.city,
             "time_zone": item.time_zone, "hosts": _names(item.hosts.all()),
             "delegation_participants": _names(item.delegation_participants.all()),
             "host_participants": _names(item.host_participants.all()), "audience_size": item.audience_size,
             "audience_approximation": item.audience_approximation, "reported_meetings": item.reported_meetings,
             "agreements_without_detail": item.agreements_without_detail,
             **_texts(item, "agreements_without_detail_summary"), "order": item.order, "b2b_tables": item.b2b_tables,
             "b2b_slot_minutes": item.b2b_slot_minutes}
            for item in items
        ],
        "meetings": [
            {"id": meeting.pk, "session": meeting.session_id, "date": meeting.date,
             "start_time": meeting.start_time, "end_time": meeting.end_time, "start_fold": meeting.start_fold,
             "end_fold": meeting.end_fold, "venue": _name(meeting.venue), "city": meeting.city,
             "time_zone": meeting.time_zone, "table": meeting.table,
             "delegation_organization": meeting.delegation_organization.name,
             "host_organization": meeting.host_organization.name,
             "sector": meeting.sector.slug if meeting.sector else "", "status": meeting.status,
             "is_locked": meeting.is_locked, **_texts(meeting, "outcome"),
             "follow_up_expected": meeting.follow_up_expected, "follow_ups": _ids(meeting.follow_ups.all()),
             **_participants(meeting), "private_notes": meeting.private_notes}
            for meeting in meetings
        ],
        "agreements": [
            {"id": agreement.pk, "kind": agreement.kind, **_texts(agreement, "title"),
             **_texts(agreement, "subject"), "signed_on": agreement.signed_on, "place": agreement.place,
             "signing_item": agreement.signing_item_id, "status": agreement.status}
            for agreement in agreements
        ],
        "parties": [
            {"id": party.pk, "agreement": party.agreement_id, "organization": party.organization.name,
             "signatory": _name(party.signatory), "signatory_title": party.signatory_title, "order": party.order}
            for party in parties
        ],
        "follow_ups": [
            {"id": follow_up.pk, "kind": follow_up.kind, **_texts(follow_up, "title"),
             **_texts(follow_up, "description"), "organizations": _names(follow_up.organizations.all()),
             "sector": follow_up.sector.slug if follow_up.sector else "", "status": follow_up.status,
             **_texts(follow_up, "next_step"), "due_date": follow_up.due_date,
             "itinerary_item": follow_up.itinerary_item_id, "agreement": follow_up.agreement_id}
            for follow_up in follow_ups
        ],
    }  # fmt: skip


def _participants(meeting) -> dict[str, str]:
    sides = {"delegation": [], "host": []}
    for participant in sorted(meeting.participants.all(), key=_pk):
        sides.setdefault(participant.side, []).append(participant.person)
    return {"delegation_participants": _names(sides["delegation"]), "host_participants": _names(sides["host"])}


def workbook_bytes(rows: dict[str, list[dict]], *, instructions: bool = False) -> bytes:
    """An .xlsx of these rows, a sheet per kind in SHEETS' order, each headed by its column names: sheets
    and columns named in the active language (any shipped language reads them back, see columns)."""
    book = Workbook(write_only=True)
    if instructions:
        sheet = book.create_sheet(str(_("instructions")))
        for line in INSTRUCTIONS:
            sheet.append([str(line)])
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(sheet_label(name))
        sheet.append([column_label(name, column) for column in columns])
        for row in rows.get(name, ()):
            sheet.append([_text(row.get(column)) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
