"""A read workbook applied to the database: each row validated and saved by the domain's own code, the
whole in one transaction, kept only when asked and only when no row has an error.

`workbook_apply(commit=False)` is the preview: it runs everything, counts what would be created,
updated and left unchanged, collects every error, and rolls it all back.
"""

import datetime
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.lookup import IdentityQuestion, ImportIdentities, same_named
from contacts.models import Organization, Person, Position, Sector, spellings
from contacts.services import free_slug, spellings_joined
from core.cache import content_changes_batched
from delegations.models import Delegation

from .columns import SHEETS, column_label, sheet_label, translated
from .reading import Sheet
from .sheets import IMPORTED_SHEETS, LIST_SEPARATOR
from .visit_loading import VisitSheets

TRUE, FALSE = ("yes", "true", "1", "oui", "x", "да"), ("no", "false", "0", "non", "нет", "")
ZONES = zoneinfo.available_timezones()
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    @property
    def sheet_label(self) -> str:
        """The sheet and column as the staff member's language names them (codes stay in `sheet`, `column`)."""
        return sheet_label(self.sheet) if self.sheet in SHEETS else self.sheet

    @property
    def column_label(self) -> str:
        try:
            return column_label(self.sheet, self.column) if self.sheet in SHEETS and self.column else self.column
        except FieldDoesNotExist:
            return self.column


# Errors listed on the preview page, at most: a 50,000-row sheet of bad rows would give a page nobody reads.
ERRORS_SHOWN = 500


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    visit: Delegation | None = None
    # Rows that may be a known person or organization under another spelling, with staff's answers.
    questions: list[IdentityQuestion] = field(default_factory=list)
    confirmed: bool = False  # applied to be kept (a confirmation), not only previewed

    @property
    def unanswered(self) -> list[IdentityQuestion]:
        return [question for question in self.questions if not question.answered]

    @property
    def changes(self) -> int:
        return sum(count["created"] + count["updated"] for count in self.counts.values())

    @property
    def labelled_counts(self) -> list[tuple[str, Counter]]:
        return [(sheet_label(sheet), count) for sheet, count in self.counts.items()]

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:ERRORS_SHOWN]


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

    def optional_integer(self, column: str) -> int | None:
        return self.integer(column, default=None) if self.text(column) else None

    def texts(self, field: str) -> dict[str, str]:
        """A translated field's value in every shipped language: {"title_en": …, "title_fr": …, …}."""
        return {column: self.text(column) for column in translated(field)}

    def sectors(self, column: str) -> list[Sector]:
        slugs = [slug.strip() for slug in self.text(column).split(LIST_SEPARATOR.strip()) if slug.strip()]
        found = Sector.objects.in_bulk(slugs, field_name="slug")
        for slug in slugs:
            if slug not in found:
                self._fail(column, _("No sector has the slug “%(slug)s”: add it to its sheet.") % {"slug": slug})
        return [found[slug] for slug in slugs if slug in found]

    def sector(self, column: str) -> Sector | None:
        found = self.sectors(column)
        return found[0] if found else None

    def zone(self, column: str, *, required: bool = True) -> str:
        text = self.text(column)
        if not text and not required:
            return ""
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


def _slug(model, obj, slug: str, name: str) -> str:
    """The slug written in the row, if no other record has it; a new record's made from its name otherwise."""
    if slug and not model._default_manager.filter(slug=slug).exclude(pk=obj.pk).exists():
        return slug
    return obj.slug or free_slug(model, name)


def _same(stored, value) -> bool:
    """Whether a cell's value is what the record holds (an empty cell is an empty text or no value)."""
    return stored == value or (stored in (None, "") and value in (None, ""))


class _Loader(VisitSheets):
    def __init__(self, sheets: dict[str, Sheet], progress=None, choices: Mapping[str, str] | None = None):
        self.sheets = sheets
        self.report = Report()
        self.identities = ImportIdentities(choices)
        self.progress, self.done = progress, 0
        # The records of this workbook's rows by sheet and id as written (a meeting names its session so),
        # and the keys of the records it created (an id from another database never names one of them).
        self.ids: dict[str, dict[str, object]] = defaultdict(dict)
        self.created: dict[type, set[int]] = defaultdict(set)

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
            self.done += 1
            if self.progress is not None and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)

    def save(
        self, sheet: str, number: int, obj, values: dict, *, save=None, relations: dict | None = None,
        also_changed: bool = False, row: "_Rows | None" = None,
    ) -> str:  # fmt: skip
        """Sets `values` on `obj`, validates and saves it (by `save`, a domain service, or the model),
        then its many-to-many `relations`; counts it and returns how ("created", "updated", "unchanged");
        "" with the errors reported when refused. `also_changed`: something `save` writes besides `values`
        changed (a meeting's participants). With `row`, the record is remembered under the row's id."""
        created = obj.pk is None
        changed = created or also_changed or any(not _same(getattr(obj, n), v) for n, v in values.items())
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
        if created:
            self.created[type(obj)].add(obj.pk)
        if row is not None and row.text("id"):
            self.ids[sheet][row.text("id")] = obj
        return outcome

    def check_columns(self) -> bool:
        if "visit" not in self.sheets:
            self.error("visit", None, "", _("The workbook has no sheet “visit”: every upload needs it."))
        for name in IMPORTED_SHEETS:
            sheet = self.sheets.get(name)
            for column in SHEETS[name] if sheet else ():
                if column not in sheet.columns:
                    self.error(
                        name, 1, column,
                        _("The column “%(column)s” is missing.") % {"column": column_label(name, column)},
                    )  # fmt: skip
        return not self.report.errors

    def sectors(self):
        for number, row in self.rows("sectors"):
            slug = row.text("slug")
            sector = Sector.objects.filter(slug=slug).first() or Sector(slug=slug)
            self.save("sectors", number, sector, row.texts("name"))

    def contact(self, model, sheet: str, number: int, row: _Rows, values: dict):
        """The record a contact's row stands for (its id, its name, or staff's answer among the matcher's
        candidates: contacts.lookup), with `values` adjusted for it: a record chosen as "same as" keeps its
        names and slug, the row's spellings joining its other names; any other takes the row's slug if free."""
        record, same_as = self.own(model, row, model._default_manager.all()), False
        if record is None:
            record, same_as = self.identities.record_for(
                model, key=f"{sheet}-{number}", sheet=sheet, row=number,
                name=row.text("name"), native_name=row.text("native_name"),
            )  # fmt: skip
            record = record or model()
        if same_as:
            spelled = [*spellings(values.pop("other_names", "")), values.pop("name"), values.pop("native_name")]
            values["other_names"] = spellings_joined(record=record, names=spelled)
        else:
            values["slug"] = _slug(model, record, row.text("slug"), values["name"])
        return record

    def organizations(self):
        for number, row in self.rows("organizations"):
            values = {
                "name": row.text("name"), "native_name": row.text("native_name"),
                "other_names": row.text("other_names"), "kind": row.text("kind") or Organization.Kind.OTHER,
                "country": row.country("country"), "city": row.text("city"), "website": row.text("website"),
                "parent": row.record(Organization, "parent"), "description": row.text("description"),
                "contact_email": row.text("contact_email"), "contact_phone": row.text("contact_phone"),
            }  # fmt: skip
            sectors = row.sectors("sectors")
            if row.errors:
                continue
            org = self.contact(Organization, "organizations", number, row, values)
            if self.save("organizations", number, org, values, relations={"sectors": sectors}, row=row) == "created":
                self.identities.note_created(org)

    def people(self):
        for number, row in self.rows("people"):
            values = {
                "name": row.text("name"), "native_name": row.text("native_name"),
                "other_names": row.text("other_names"), "honorific": row.text("honorific"),
                "is_public": row.boolean("is_public"), "email": row.text("email"), "phone": row.text("phone"),
                "private_notes": row.text("private_notes"),
            }  # fmt: skip
            if row.errors:
                continue
            person = self.contact(Person, "people", number, row, values)
            if self.save("people", number, person, values, row=row) == "created":
                self.identities.note_created(person)

    def positions(self):
        for number, row in self.rows("positions"):
            values = {
                "person": row.record(Person, "person", required=True),
                "organization": row.record(Organization, "organization", required=True),
                **row.texts("title"), "start_date": row.date("start_date"), "end_date": row.date("end_date"),
            }  # fmt: skip
            if row.errors:
                continue
            position = (
                self.own(Position, row, Position.objects.all())
                or Position.objects.filter(
                    person=values["person"], organization=values["organization"], title_en=values["title_en"]
                ).first()
            )
            self.save("positions", number, position or Position(), values, row=row)

    def own(self, model, row: _Rows, rows):
        """The record among `rows` that the row's id names, unless this import created it (then the id is
        another database's, naming another record)."""
        identifier = row.text("id")
        if identifier.isdigit() and int(identifier) not in self.created[model]:
            return rows.filter(pk=int(identifier)).first()
        return None

    def find(self, model, row: _Rows, visit: Delegation):
        """The record of this visit a row's id names; a new one otherwise (an id from another database adds
        the row). Contacts are found by `contact()`."""
        return self.own(model, row, model._default_manager.filter(delegation=visit)) or model(delegation=visit)


def workbook_apply(
    *, sheets: dict[str, Sheet], commit: bool, progress: Callable[[int], None] | None = None,
    choices: Mapping[str, str] | None = None,
) -> Report:  # fmt: skip
    """Creates and updates the visit, its organizations, people (and positions), members, itinerary,
    meetings, agreements (and parties) and follow-ups from the workbook's sheets, validated as the admin
    validates them (items inside the visit's dates, local times that exist, valid zones, no organization or
    table booked twice at once) and saved through the same services.

    A row of the organizations or people sheets that may be a known record under another spelling is a
    question (`report.questions`) answered by `choices` ({"people-4": "new" or "same:<pk>"}, from the
    preview's form).

    Side effects: all of it in one transaction, kept only if `commit`, no row has an error and every question
    is answered; with `commit=False` (the preview) nothing is kept. Returns the counts per sheet, every error
    and the questions. `progress` is called with the number of rows read so far, every PROGRESS_EVERY rows.
    """
    loader = _Loader(sheets, progress, choices)
    loader.report.confirmed = commit
    if not loader.check_columns():
        return loader.report
    try:
        # The page cache's versions replaced once for the whole workbook, not row by row.
        with translation.override("en"), content_changes_batched(), transaction.atomic():
            loader.sectors()
            loader.organizations()
            loader.people()
            loader.positions()
            loader.venues()
            visit = loader.visit()
            if visit is not None:
                loader.members(visit)
                loader.itinerary(visit)
                loader.agreements(visit)
                loader.parties(visit)
                loader.follow_ups(visit)
                loader.meetings(visit)
            loader.report.visit = visit
            loader.report.questions = loader.identities.questions
            if loader.report.errors or loader.report.unanswered or not commit:
                raise _Rollback
    except _Rollback:
        pass
    return loader.report
