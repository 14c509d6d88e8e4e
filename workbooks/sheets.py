"""The visit workbook: one sheet per kind of record, its columns, and a visit written into it.

Records refer to each other by name (organizations, people) or by id (a row's own record): what staff
can read and type. Cells a spreadsheet could run as formulas are written with a leading quote
(core.csv.neutralise) and read back without it.
"""

import datetime
import io

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from contacts.models import Organization, Person
from core.csv import neutralise
from delegations.models import Delegation

SHEETS = {
    "visit": (
        "slug", "title", "origin_country", "origin_region", "leading_body", "host_countries", "organiser",
        "start_date", "end_date", "home_time_zone", "status", "is_published", "purpose",
    ),
    "organizations": ("id", "name", "native_name", "kind", "country", "city", "parent"),
    "people": ("id", "name", "native_name", "other_names", "honorific", "is_public", "positions"),
    "members": ("id", "person", "role", "title", "organization", "order"),
    "itinerary": ("id", "day", "start_time", "end_time", "kind", "title", "city", "time_zone", "hosts", "order"),
    "meetings": (
        "id", "date", "start_time", "end_time", "city", "time_zone", "table", "delegation_organization",
        "host_organization", "status",
    ),
    "agreements": ("id", "kind", "title", "signed_on", "place", "status", "parties"),
    "follow_ups": ("id", "kind", "title", "status", "next_step", "due_date", "organizations"),
}  # fmt: skip
# Sheets read by the importer (all of them); another sheet would be written for reading only.
IMPORTED_SHEETS = tuple(SHEETS)
LIST_SEPARATOR = "; "
POSITION_SEPARATOR = " | "

INSTRUCTIONS = (
    _("One sheet per kind of record; keep the sheet names and the column names of the first row."),
    _("A row with an id updates that record of the visit; a row without one adds a record."),
    _("Organizations and people are named as in their sheet; an existing record with the same name is used."),
    _("Dates as 2018-11-26, times as 14:30 (local time of the place), time zones as Europe/Paris."),
    _("Several values in a cell (host countries, hosts, parties) are separated by “; ”."),
    _("A person's positions, one line each: title | organization | from | until."),
    _("Formulas are read as their text, never calculated. Merged cells are refused: unmerge them."),
    _("Upload the workbook as .xlsx, or each sheet as a .csv named after it (visit.csv, people.csv…)."),
)

EXAMPLE = {
    "visit": [{
        "slug": "example-visit-2026", "title": "Example region delegation to France", "origin_country": "RU",
        "origin_region": "Example region", "leading_body": "Government of the example region",
        "host_countries": "FR", "organiser": "Government of the example region", "start_date": "2026-11-23",
        "end_date": "2026-11-25", "home_time_zone": "Asia/Irkutsk", "status": "planned", "is_published": "no",
        "purpose": "",
    }],
    "organizations": [
        {"id": "", "name": "Government of the example region", "native_name": "", "kind": "government",
         "country": "RU", "city": "", "parent": ""},
    ],
    "people": [
        {"id": "", "name": "Ivan Example", "native_name": "Иван Пример", "other_names": "", "honorific": "Mr",
         "is_public": "yes", "positions": "Governor | Government of the example region"},
    ],
    "members": [
        {"id": "", "person": "Ivan Example", "role": "head", "title": "Governor",
         "organization": "Government of the example region", "order": 1},
    ],
    "itinerary": [
        {"id": "", "day": "2026-11-23", "start_time": "10:00", "end_time": "11:30", "kind": "official_meeting",
         "title": "Meeting at the Senate", "city": "Paris", "time_zone": "Europe/Paris", "hosts": "", "order": 1},
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


def visit_rows(visit: Delegation) -> dict[str, list[dict]]:
    """Each sheet's rows for this visit, as plain values."""
    members = list(visit.members.select_related("person", "organization").order_by("order", "pk"))
    items = list(visit.itinerary_items.prefetch_related("hosts").order_by("day", "order", "pk"))
    meetings = list(visit.meetings.select_related("delegation_organization", "host_organization").order_by("pk"))
    agreements = list(visit.agreements.prefetch_related("parties__organization").order_by("pk"))
    follow_ups = list(visit.follow_ups.prefetch_related("organizations").order_by("pk"))
    organizations = {visit.organiser_id: visit.organiser}
    if visit.leading_body_id:
        organizations[visit.leading_body_id] = visit.leading_body
    people: dict[int, Person] = {}
    for member in members:
        if member.organization_id:
            organizations[member.organization_id] = member.organization
        if member.person_id:
            people[member.person_id] = member.person
    for item in items:
        organizations |= {host.pk: host for host in item.hosts.all()}
    for meeting in meetings:
        organizations[meeting.delegation_organization_id] = meeting.delegation_organization
        organizations[meeting.host_organization_id] = meeting.host_organization
    for agreement in agreements:
        organizations |= {party.organization_id: party.organization for party in agreement.parties.all()}
    for follow_up in follow_ups:
        organizations |= {org.pk: org for org in follow_up.organizations.all()}
    people_rows = Person.objects.filter(pk__in=people).prefetch_related("positions__organization").order_by("pk")
    for person in people_rows:
        organizations |= {position.organization_id: position.organization for position in person.positions.all()}
    ordered = Organization.objects.filter(pk__in=organizations).select_related("parent").order_by("pk")
    return {
        "visit": [{
            "slug": visit.slug, "title": visit.title, "origin_country": visit.origin_country.code,
            "origin_region": visit.origin_region, "leading_body": visit.leading_body.name if visit.leading_body else "",
            "host_countries": LIST_SEPARATOR.join(country.code for country in visit.host_countries),
            "organiser": visit.organiser.name, "start_date": visit.start_date, "end_date": visit.end_date,
            "home_time_zone": visit.home_time_zone, "status": visit.status, "is_published": visit.is_published,
            "purpose": visit.purpose,
        }],
        "organizations": [
            {"id": org.pk, "name": org.name, "native_name": org.native_name, "kind": org.kind,
             "country": org.country.code or "", "city": org.city, "parent": org.parent.name if org.parent else ""}
            for org in ordered
        ],
        "people": [
            {"id": person.pk, "name": person.name, "native_name": person.native_name,
             "other_names": person.other_names, "honorific": person.honorific, "is_public": person.is_public,
             "positions": "\n".join(position_line(position) for position in person.positions.all())}
            for person in people_rows
        ],
        "members": [
            {"id": member.pk, "person": member.person.name if member.person else "", "role": member.role,
             "title": member.title, "organization": member.organization.name if member.organization else "",
             "order": member.order}
            for member in members
        ],
        "itinerary": [
            {"id": item.pk, "day": item.day, "start_time": item.start_time, "end_time": item.end_time,
             "kind": item.kind, "title": item.title, "city": item.city, "time_zone": item.time_zone,
             "hosts": _names(item.hosts.all()), "order": item.order}
            for item in items
        ],
        "meetings": [
            {"id": meeting.pk, "date": meeting.date, "start_time": meeting.start_time, "end_time": meeting.end_time,
             "city": meeting.city, "time_zone": meeting.time_zone, "table": meeting.table,
             "delegation_organization": meeting.delegation_organization.name,
             "host_organization": meeting.host_organization.name, "status": meeting.status}
            for meeting in meetings
        ],
        "agreements": [
            {"id": agreement.pk, "kind": agreement.kind, "title": agreement.title, "signed_on": agreement.signed_on,
             "place": agreement.place, "status": agreement.status,
             "parties": _names(party.organization for party in agreement.parties.all())}
            for agreement in agreements
        ],
        "follow_ups": [
            {"id": follow_up.pk, "kind": follow_up.kind, "title": follow_up.title, "status": follow_up.status,
             "next_step": follow_up.next_step, "due_date": follow_up.due_date,
             "organizations": _names(follow_up.organizations.all())}
            for follow_up in follow_ups
        ],
    }  # fmt: skip


def position_line(position) -> str:
    dates = [date.isoformat() if date else "" for date in (position.start_date, position.end_date)]
    parts = [position.title, position.organization.name, *(dates if any(dates) else ())]
    return POSITION_SEPARATOR.join(parts)


def workbook_bytes(rows: dict[str, list[dict]], *, instructions: bool = False) -> bytes:
    """An .xlsx of these rows, a sheet per kind in SHEETS' order, each headed by its column names."""
    book = Workbook(write_only=True)
    if instructions:
        sheet = book.create_sheet(str(_("instructions")))
        for line in INSTRUCTIONS:
            sheet.append([str(line)])
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows.get(name, ()):
            sheet.append([_text(row.get(column)) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
