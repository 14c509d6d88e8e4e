"""The organization and people lists as spreadsheets (django-import-export): which columns, how a cell
reads back, and which existing record a row stands for: its id, else its name, else the one staff chose
among the matcher's candidates (`contacts.lookup.ImportIdentities`)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.csv import neutralise

from .lookup import ImportIdentities, same_named
from .models import Organization, Person, Position, Sector, spellings
from .services import free_slug, spellings_joined

POSITION_SEPARATOR = " | "
NAMES = ("name", "native_name")
_STYLE_ATTRIBUTE = re.compile(r' style="[^"]*"')


class StylelessDiff(resources.Diff):
    """The preview's changes without the inline styles diff-match-patch writes (the CSP refuses them; the
    admin stylesheet colours <ins> and <del> instead)."""

    def as_html(self):
        return [mark_safe(_STYLE_ATTRIBUTE.sub("", html)) for html in super().as_html()]


class SafeResourceMixin:
    """Matches a row by its id, else by its name, else by staff's answer among the candidates (a row
    "same as" a record updates it and keeps its spelling as another name); gives a new row a free slug;
    writes no cell a spreadsheet could run as a formula.

    `identity_choices` are staff's answers ({row number: "new" or "same:<pk>"}); after an import the
    result's `identity_questions` lists the rows that asked."""

    def __init__(self, identity_choices=None, **kwargs):
        super().__init__(**kwargs)
        self.identities = ImportIdentities(identity_choices)
        self._same_as = None

    def get_diff_class(self):
        return StylelessDiff

    def before_import_row(self, row, **kwargs):
        # A spreadsheet's empty cell reads as None, a CSV's as "": both mean an empty text here.
        for key, value in row.items():
            if value is None:
                row[key] = ""
        self._row_number = kwargs.get("row_number")
        self._same_as = None

    def get_instance(self, instance_loader, row):
        identifier = str(row.get("id") or "").strip()
        if identifier:
            if not identifier.isdigit():
                raise ValidationError(
                    {"id": _("“%(value)s” is not an id: leave it empty for a new record.") % {"value": identifier}}
                )
            found = self._meta.model._default_manager.filter(pk=int(identifier)).first()
            if found is None:
                raise ValidationError({"id": _("No record has the id %(value)s.") % {"value": identifier}})
            return found
        record, same_as = self.identities.record_for(
            self._meta.model, key=str(self._row_number), row=self._row_number,
            name=str(row.get("name") or ""), native_name=str(row.get("native_name") or ""),
        )  # fmt: skip
        self._same_as = record if same_as else None
        return record

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "id":
            return  # the id found the record (get_instance); a new record gets one from the database
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        if self._same_as is None:
            super().import_instance(instance, row, **kwargs)
        else:
            # The record keeps its names; the row's spellings join its other names.
            name, native_name, other_names = instance.name, instance.native_name, instance.other_names
            try:
                super().import_instance(instance, row, **kwargs)
            finally:
                spelled = [*spellings(str(row.get("other_names") or "")), *(str(row.get(c) or "") for c in NAMES)]
                instance.name, instance.native_name, instance.other_names = name, native_name, other_names
                instance.other_names = spellings_joined(record=instance, names=spelled)
        if not instance.slug and instance.name:
            instance.slug = free_slug(self._meta.model, instance.name)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if is_create:
            self.identities.note_created(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.identity_questions = self.identities.questions

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return neutralise(value) if isinstance(value, str) else value


class NamedWidget(widgets.ForeignKeyWidget):
    """A related record written as its name and found again by it."""

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return None
        found = same_named(self.model, value)
        if found is None:
            raise ValueError(
                _("No single %(thing)s is named “%(name)s”: add it first, or write its name as in the list.")
                % {"thing": self.model._meta.verbose_name, "name": value}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class OrganizationResource(SafeResourceMixin, resources.ModelResource):
    parent = fields.Field(attribute="parent", column_name="parent", widget=NamedWidget(Organization, field="name"))
    sectors = fields.Field(
        attribute="sectors", column_name="sectors", widget=widgets.ManyToManyWidget(Sector, field="slug", separator=",")
    )

    class Meta:
        model = Organization
        fields = (
            "id", "name", "native_name", "kind", "country", "city", "website", "parent", "sectors",
            "description", "contact_email", "contact_phone",
        )  # fmt: skip
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Organization.objects.select_related("parent").prefetch_related("sectors")


def position_line(position: Position) -> str:
    dates = [date.isoformat() if date else "" for date in (position.start_date, position.end_date)]
    parts = (
        [position.title, position.organization.name, *dates]
        if any(dates)
        else [position.title, position.organization.name]
    )
    return POSITION_SEPARATOR.join(parts)


def _parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            {"positions": _("“%(value)s” is not a date: write it as 2018-11-26.") % {"value": text}}
        ) from None


def parse_positions(text: str) -> list[tuple[str, Organization, datetime.date | None, datetime.date | None]]:
    """Each line of the cell: title | organization | from | until (the dates may be left out)."""
    parsed = []
    for line in str(text or "").splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or len(parts) > 4 or not parts[0] or not parts[1]:
            raise ValidationError(
                {
                    "positions": _("“%(line)s”: write a position as “title | organization | from | until”.")
                    % {"line": line}
                }
            )
        parts += [""] * (4 - len(parts))
        organization = same_named(Organization, parts[1])
        if organization is None:
            raise ValidationError(
                {"positions": _("No single organization is named “%(name)s”: add it first.") % {"name": parts[1]}}
            )
        title, start, end = parts[0], _parse_date(parts[2]), _parse_date(parts[3])
        try:
            Position(organization=organization, title=title, start_date=start, end_date=end).full_clean(
                exclude=("person",)
            )
        except ValidationError as error:
            raise ValidationError({"positions": [f"{line.strip()}: {message}" for message in error.messages]}) from None
        parsed.append((title, organization, start, end))
    return parsed


class PersonResource(SafeResourceMixin, resources.ModelResource):
    positions = fields.Field(column_name="positions", readonly=False)

    class Meta:
        model = Person
        fields = ("id", "name", "native_name", "other_names", "honorific", "is_public", "email", "phone", "positions")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Person.objects.prefetch_related("positions__organization")

    def dehydrate_positions(self, person):
        if person.pk is None:
            return ""
        return "\n".join(position_line(position) for position in person.positions.all())

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field is self.fields["positions"]:
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.imported_positions = None
        if "positions" in row:
            try:
                instance.imported_positions = parse_positions(row["positions"])
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return instance.imported_positions is None or not self._positions_to_write(instance)

    def _positions_to_write(self, person):
        """The imported positions the person does not hold yet, or holds with other dates."""
        held = {} if person.pk is None else {(p.title, p.organization_id): p for p in person.positions.all()}
        changes = []
        for title, organization, start, end in person.imported_positions:
            position = held.get((title, organization.pk))
            if position is None:
                changes.append(
                    Position(person=person, organization=organization, title=title, start_date=start, end_date=end)
                )
            elif (position.start_date, position.end_date) != (start, end):
                position.start_date, position.end_date = start, end
                changes.append(position)
        return changes

    def after_save_instance(self, instance, row, **kwargs):
        """Adds the positions the row names and the person does not hold, and corrects their dates; a
        position the row leaves out is kept (nothing is lost by a shorter list)."""
        if instance.imported_positions is None:
            return
        for position in self._positions_to_write(instance):
            position.person = instance
            position.full_clean()
            position.save()
