"""A read workbook applied to the database: each row validated and saved by the domain's own code, the
whole in one transaction, kept only when asked and only when no row has an error.

`workbook_apply(commit=False)` is the preview: it runs everything, counts what would be created,
updated and left unchanged, collects every error, and rolls it all back.
"""

import datetime
import zoneinfo
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.lookup import IdentityQuestion, ImportIdentities, same_named
from contacts.models import Organization, Person, Position, spellings
from contacts.services import free_slug, spellings_joined
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem
from meetings.models import Meeting
from meetings.services import itinerary_item_update, meeting_schedule, meeting_update

from .reading import Sheet
from .sheets import IMPORTED_SHEETS, LIST_SEPARATOR, SHEETS

TRUE, FALSE = ("yes", "true", "1", "oui", "x"), ("no", "false", "0", "non", "")
ZONES = zoneinfo.available_timezones()


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    visit: Delegation | None = None
    # Rows that may be a known person or organization under another spelling, with staff's answers.
    questions: list[IdentityQuestion] = field(default_factory=list)

    @property
    def unanswered(self) -> list[IdentityQuestion]:
        return [question for question in self.questions if not question.answered]

    @property
    def changes(self) -> int:
        return sum(count["created"] + count["updated"] for count in self.counts.values())


class _Rollback(Exception):
    pass


class CellError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


class _Rows:
    """Reads one row's cells into values, each bad cell an error naming its column."""

    def __init__(self, cells: dict[str, str]):
        self.cells = cells
        self.errors: list[CellError] = []

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def _fail(self, column: str, message: str):
        self.errors.append(CellError(column, message))

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        text = self.text(column)
        if not text:
            if required:
                self._fail(column, _("A date is needed here."))
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self._fail(column, _("“%(value)s” is not a date that exists: write it as 2018-11-26.") % {"value": text})
            return None

    def time(self, column: str) -> datetime.time | None:
        text = self.text(column)
        if not text:
            return None
        try:
            return datetime.time.fromisoformat(text)
        except ValueError:
            self._fail(column, _("“%(value)s” is not a time: write it as 14:30.") % {"value": text})
            return None

    def boolean(self, column: str) -> bool:
        text = self.text(column).casefold()
        if text not in TRUE + FALSE:
            self._fail(column, _("Write yes or no, not “%(value)s”.") % {"value": text})
        return text in TRUE

    def integer(self, column: str, default: int = 0) -> int:
        text = self.text(column)
        if not text:
            return default
        if not text.isdigit():
            self._fail(column, _("“%(value)s” is not a whole number.") % {"value": text})
            return default
        return int(text)

    def zone(self, column: str) -> str:
        text = self.text(column)
        if text not in ZONES:
            self._fail(column, _("“%(value)s” is not a time zone: write it as Europe/Paris.") % {"value": text})
        return text

    def country(self, column: str) -> str:
        text = self.text(column).upper()
        if text and text not in countries:
            self._fail(column, _("“%(value)s” is not a country code: write it as FR.") % {"value": text})
        return text

    def record(self, model, column: str, name: str | None = None, *, required: bool = False):
        name = self.text(column) if name is None else name
        if not name:
            if required:
                self._fail(column, _("A name is needed here."))
            return None
        found = same_named(model, name)
        if found is None:
            self._fail(
                column,
                _("No single %(thing)s is named “%(name)s”: add it to its sheet, or write its name as there.")
                % {"thing": model._meta.verbose_name, "name": name},
            )
        return found

    def records(self, model, column: str) -> list:
        names = [name.strip() for name in self.text(column).split(LIST_SEPARATOR.strip()) if name.strip()]
        return [found for name in names if (found := self.record(model, column, name)) is not None]


class _Loader:
    def __init__(self, sheets: dict[str, Sheet], choices: Mapping[str, str] | None = None):
        self.sheets = sheets
        self.report = Report()
        self.identities = ImportIdentities(choices)

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.report.errors.append(RowError(sheet, row, column, message))

    def rows(self, name: str):
        sheet = self.sheets.get(name)
        self.report.counts[name] = Counter(created=0, updated=0, unchanged=0)
        for number, cells in sheet.rows if sheet else ():
            reader = _Rows(cells)
            yield number, reader
            for error in reader.errors:
                self.error(name, number, error.column, error.message)

    def save(self, sheet: str, number: int, obj, values: dict, *, save=None, relations: dict | None = None) -> str:
        """Sets `values` on `obj`, validates and saves it (by `save`, a domain service, or the model),
        then its many-to-many `relations`; counts it and returns how ("created", "updated", "unchanged");
        "" with the errors reported when refused."""
        created = obj.pk is None
        changed = created or any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        relations = relations or {}
        if not created:
            changed = changed or any(
                {o.pk for o in getattr(obj, name).all()} != {o.pk for o in objs} for name, objs in relations.items()
            )
        try:
            with transaction.atomic():
                if changed:
                    obj.full_clean()
                    (save or (lambda o: o.save()))(obj)
                for name, objs in relations.items():
                    getattr(obj, name).set(objs)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                for message in messages:
                    self.error(sheet, number, "" if column == NON_FIELD_ERRORS else column, message)
            return ""
        except IntegrityError:
            self.error(sheet, number, "", _("This row conflicts with another record (the same one twice?)."))
            return ""
        outcome = "created" if created else "updated" if changed else "unchanged"
        self.report.counts[sheet][outcome] += 1
        return outcome

    def check_columns(self) -> bool:
        if "visit" not in self.sheets:
            self.error("visit", None, "", _("The workbook has no sheet “visit”: every upload needs it."))
        for name in IMPORTED_SHEETS:
            sheet = self.sheets.get(name)
            for column in SHEETS[name] if sheet else ():
                if column not in sheet.columns:
                    self.error(name, 1, column, _("The column “%(column)s” is missing.") % {"column": column})
        return not self.report.errors

    def contact(self, model, sheet: str, number: int, row: "_Rows", values: dict):
        """The record a contact's row stands for (its id, its name, or staff's answer among the matcher's
        candidates: contacts.lookup), with `values` adjusted for it: a record chosen as "same as" keeps its
        names, the row's spellings joining its other names."""
        if row.text("id").isdigit() and (found := model._default_manager.filter(pk=int(row.text("id"))).first()):
            return found
        record, same_as = self.identities.record_for(
            model, key=f"{sheet}-{number}", sheet=sheet, row=number,
            name=row.text("name"), native_name=row.text("native_name"),
        )  # fmt: skip
        if same_as:
            spelled = [*spellings(values.pop("other_names", "")), values.pop("name"), values.pop("native_name")]
            values["other_names"] = spellings_joined(record=record, names=spelled)
        return record or model()

    def organizations(self):
        for number, row in self.rows("organizations"):
            values = {
                "name": row.text("name"), "native_name": row.text("native_name"),
                "kind": row.text("kind") or Organization.Kind.OTHER, "country": row.country("country"),
                "city": row.text("city"), "parent": row.record(Organization, "parent"),
            }  # fmt: skip
            org = self.contact(Organization, "organizations", number, row, values)
            if not row.errors:
                if org.pk is None:
                    org.slug = free_slug(Organization, values["name"])
                if self.save("organizations", number, org, values) == "created":
                    self.identities.note_created(org)

    def people(self):
        for number, row in self.rows("people"):
            values = {
                "name": row.text("name"), "native_name": row.text("native_name"),
                "other_names": row.text("other_names"), "honorific": row.text("honorific"),
                "is_public": row.boolean("is_public"),
            }  # fmt: skip
            person = self.contact(Person, "people", number, row, values)
            positions = []
            for line in row.text("positions").splitlines():
                parts = [part.strip() for part in line.split("|")] + ["", ""]
                organization = row.record(Organization, "positions", parts[1], required=True)
                start, end = _Rows({"from": parts[2]}).date("from"), _Rows({"until": parts[3]}).date("until")
                positions.append((parts[0], organization, start, end))
            if row.errors:
                continue
            if person.pk is None:
                person.slug = free_slug(Person, values["name"])
            if outcome := self.save("people", number, person, values):
                if outcome == "created":
                    self.identities.note_created(person)
                for title, organization, start, end in positions:
                    position, _created = Position.objects.get_or_create(
                        person=person, organization=organization, title=title,
                        defaults={"start_date": start, "end_date": end},
                    )  # fmt: skip
                    if (position.start_date, position.end_date) != (start, end):
                        position.start_date, position.end_date = start, end
                        position.save()

    def find(self, model, row: _Rows, visit: Delegation):
        """The record of this visit a row's id names; a new one otherwise (an id from another database adds
        the row)."""
        identifier = row.text("id")
        if identifier.isdigit() and (
            found := model._default_manager.filter(delegation=visit, pk=int(identifier)).first()
        ):
            return found
        return model(delegation=visit)

    def visit(self) -> Delegation | None:
        rows = list(self.rows("visit"))
        if len(rows) != 1:
            self.error("visit", None, "", _("The sheet “visit” must hold exactly one row under its column names."))
            return None
        number, row = rows[0]
        visit = Delegation.objects.filter(slug=row.text("slug")).first() or Delegation(slug=row.text("slug"))
        values = {
            "title": row.text("title"), "origin_country": row.country("origin_country"),
            "origin_region": row.text("origin_region"), "leading_body": row.record(Organization, "leading_body"),
            "host_countries": [c.strip().upper() for c in row.text("host_countries").split(";") if c.strip()],
            "organiser": row.record(Organization, "organiser", required=True),
            "start_date": row.date("start_date", required=True), "end_date": row.date("end_date", required=True),
            "home_time_zone": row.zone("home_time_zone"),
            "status": row.text("status") or Delegation.Status.PLANNED, "is_published": row.boolean("is_published"),
            "purpose": row.text("purpose"),
        }  # fmt: skip
        if row.errors:
            return None
        if visit.pk is not None and [c.code for c in visit.host_countries] == values["host_countries"]:
            values["host_countries"] = visit.host_countries
        return visit if self.save("visit", number, visit, values) else None

    def members(self, visit: Delegation):
        for number, row in self.rows("members"):
            member = self.find(DelegationMember, row, visit)
            values = {
                "person": row.record(Person, "person"), "role": row.text("role"), "title": row.text("title"),
                "organization": row.record(Organization, "organization"), "order": row.integer("order"),
            }  # fmt: skip
            if not row.errors:
                self.save("members", number, member, values)

    def itinerary(self, visit: Delegation):
        for number, row in self.rows("itinerary"):
            item = self.find(ItineraryItem, row, visit)
            values = {
                "day": row.date("day", required=True), "start_time": row.time("start_time"),
                "end_time": row.time("end_time"), "kind": row.text("kind"), "title": row.text("title"),
                "city": row.text("city"), "time_zone": row.zone("time_zone"), "order": row.integer("order"),
            }  # fmt: skip
            hosts = row.records(Organization, "hosts")
            if not row.errors:
                self.save(
                    "itinerary", number, item, values,
                    save=lambda obj: itinerary_item_update(item=obj), relations={"hosts": hosts},
                )  # fmt: skip

    def meetings(self, visit: Delegation):
        for number, row in self.rows("meetings"):
            meeting = self.find(Meeting, row, visit)
            values = {
                "date": row.date("date", required=True), "start_time": row.time("start_time"),
                "end_time": row.time("end_time"), "city": row.text("city"), "time_zone": row.zone("time_zone"),
                "table": row.text("table"), "status": row.text("status") or Meeting.Status.REQUESTED,
                "delegation_organization": row.record(Organization, "delegation_organization", required=True),
                "host_organization": row.record(Organization, "host_organization", required=True),
            }  # fmt: skip
            if not row.errors:
                # The booking rules of the admin: no organization or table twice at once.
                save = (lambda obj: meeting_schedule(meeting=obj)) if meeting.pk is None else None
                self.save("meetings", number, meeting, values, save=save or (lambda obj: meeting_update(meeting=obj)))

    def agreements(self, visit: Delegation):
        for number, row in self.rows("agreements"):
            agreement = self.find(Agreement, row, visit)
            values = {
                "kind": row.text("kind"), "title": row.text("title"), "signed_on": row.date("signed_on"),
                "place": row.text("place"), "status": row.text("status") or Agreement.Status.SIGNED,
            }  # fmt: skip
            parties = row.records(Organization, "parties")
            held = {} if agreement.pk is None else {p.organization_id: p for p in agreement.parties.all()}
            if row.errors or not (outcome := self.save("agreements", number, agreement, values)):
                continue
            if set(held) == {organization.pk for organization in parties}:
                continue
            if outcome == "unchanged":  # its parties change
                self.report.counts["agreements"].update(unchanged=-1, updated=1)
            AgreementParty.objects.filter(agreement=agreement).exclude(organization__in=parties).delete()
            for order, organization in enumerate(parties, start=1):
                if organization.pk not in held:
                    party = AgreementParty(agreement=agreement, organization=organization, order=order)
                    try:
                        party.full_clean()
                    except ValidationError as error:
                        self.error("agreements", number, "parties", " ".join(error.messages))
                        continue
                    party.save()

    def follow_ups(self, visit: Delegation):
        for number, row in self.rows("follow_ups"):
            follow_up = self.find(FollowUp, row, visit)
            values = {
                "kind": row.text("kind"), "title": row.text("title"),
                "status": row.text("status") or FollowUp.Status.PROPOSED, "next_step": row.text("next_step"),
                "due_date": row.date("due_date"),
            }  # fmt: skip
            organizations = row.records(Organization, "organizations")
            if not row.errors:
                self.save("follow_ups", number, follow_up, values, relations={"organizations": organizations})


def workbook_apply(*, sheets: dict[str, Sheet], commit: bool, choices: Mapping[str, str] | None = None) -> Report:
    """Creates and updates the visit, its organizations, people (and positions), members, itinerary,
    meetings, agreements (and parties) and follow-ups from the workbook's sheets, validated as the admin
    validates them (items inside the visit's dates, local times that exist, valid zones, no organization or
    table booked twice at once) and saved through the same services.

    A row of the organizations or people sheets that may be a known record under another spelling is a
    question (`report.questions`) answered by `choices` ({"people-4": "new" or "same:<pk>"}, from the
    preview's form).

    Side effects: all of it in one transaction, kept only if `commit`, no row has an error and every question
    is answered; with `commit=False` (the preview) nothing is kept. Returns the counts per sheet, every error
    and the questions.
    """
    loader = _Loader(sheets, choices)
    if not loader.check_columns():
        return loader.report
    try:
        with translation.override("en"), transaction.atomic():
            loader.organizations()
            loader.people()
            visit = loader.visit()
            if visit is not None:
                loader.members(visit)
                loader.itinerary(visit)
                loader.meetings(visit)
                loader.agreements(visit)
                loader.follow_ups(visit)
            loader.report.visit = visit
            loader.report.questions = loader.identities.questions
            if loader.report.errors or loader.report.unanswered or not commit:
                raise _Rollback
    except _Rollback:
        pass
    return loader.report
