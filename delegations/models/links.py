"""Links that stay inside one visit: a record of a visit (a model with a `delegation` key) may link only to
records of the same visit, whatever the relation (a meeting's session and follow-ups, an agreement's
signing item, a follow-up's item and agreement).

The rule reads the models' relations, not a list of them: a relation added between two models of a
visit is held to it at once. Forms and services check it here, with a message for staff; the database
holds it too, with the triggers of `core.same_owner` (see the migrations `…_links_inside_one_visit`).
"""

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .visits import Delegation

# Records named in a message, at most.
NAMED = 3


def belongs_to_a_visit(model: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field("delegation")
    except FieldDoesNotExist:
        return False
    return field.is_relation and field.related_model is Delegation


class LinkedInsideVisit:
    """Mixin of a visit's models: remembers the visit a record was read with, so that a record moving
    to another visit is checked against the records that link to it (check_links_inside_visit)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._visit_read = record.__dict__.get("delegation_id")
        return record

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._visit_read = self.delegation_id


def other_visit_message(record: models.Model) -> str:
    return _("“%(record)s” belongs to another visit, “%(visit)s”: choose one of this visit’s.") % {
        "record": record,
        "visit": record.delegation,
    }


def check_links_inside_visit(record: models.Model) -> None:
    """Refuse, with a ValidationError by field, a record of a visit whose foreign keys point to records of
    another visit, or, when it moves to another visit, that records of its former visit still link to.

    Many-to-many fields of its own are the form's and the service's to check, with the values they are
    about to set (check_many_inside_visit): the record's current links may be on their way out.
    """
    visit_id = record.delegation_id
    if visit_id is None:
        return
    moving = not record._state.adding and getattr(record, "_visit_read", None) != visit_id
    errors: dict[str, list[str]] = {}
    referrers: list[models.Model] = []
    for field in record._meta.get_fields():
        if not field.is_relation or field.name == "delegation" or not belongs_to_a_visit(field.related_model):
            continue
        if field.many_to_one and field.concrete:
            if getattr(record, field.attname) is None:
                continue
            try:
                target = getattr(record, field.name)
            except ObjectDoesNotExist:
                continue  # the field's own validation says so
            if target.delegation_id != visit_id:
                errors[field.name] = [other_visit_message(target)]
        elif moving and field.auto_created and not field.concrete:
            referrers += field.related_model._default_manager.filter(**{field.field.name: record.pk}).exclude(
                delegation=visit_id
            )[: NAMED + 1]
    if referrers:
        errors["delegation"] = [
            _("It cannot move to another visit while these records of its visit link to it: %(records)s.")
            % {"records": named(referrers)}
        ]
    if errors:
        raise ValidationError(errors)


def check_many_inside_visit(visit: Delegation | None, field: str, records) -> None:
    """Refuse, with a ValidationError on `field`, records about to be linked to a record of `visit` that
    belong to another visit."""
    if visit is None:
        return
    others = [record for record in records if record.delegation_id != visit.pk]
    if others:
        raise ValidationError({field: [other_visit_message(record) for record in others[:NAMED]]})


def named(records: list[models.Model]) -> str:
    names = "; ".join(_("“%(record)s”") % {"record": record} for record in records[:NAMED])
    return f"{names}…" if len(records) > NAMED else names
