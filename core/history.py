"""Audit history (django-simple-history): who changed what and when, and restoring deleted records.

Each app registers its models from its translation.py, after django-modeltranslation has added the
title_en, title_fr… fields, so that the historical models copy those too.

Recorded: every save and delete of a registered model, through the admin, a service or a script,
with the user of the request (HistoryRequestMiddleware) and the many-to-many links named at
registration. Not recorded: QuerySet.update() and bulk_create() (except where a service uses
simple-history's bulk_create_with_history), and bookings, which are derived from meetings.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history import register
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_manager_for_model


class HistoricalRecordBase(models.Model):
    """What every historical model adds to simple-history's own fields."""

    deleted_with_parent = models.BooleanField(
        gettext_lazy("deleted with its parent"),
        default=False,
        help_text=gettext_lazy("Deleted because the record it belongs to was: restored with it."),
    )

    class Meta:
        abstract = True


def history_register(model: type[models.Model], m2m_fields: tuple[str, ...] = ()) -> None:
    register(model, bases=[HistoricalRecordBase], m2m_fields=m2m_fields)
    pre_delete.connect(_note_cascade, sender=model, dispatch_uid=f"history_cascade_{model._meta.label_lower}")


def _note_cascade(sender, instance: models.Model, origin=None, **kwargs):
    """Marks a row deleted because another was (origin: the row or rows whose deletion was asked)."""
    asked = origin.model is sender if isinstance(origin, models.QuerySet) else isinstance(origin, sender)
    instance._history_deleted_with_parent = origin is not None and not asked


def _record_cascade(sender, instance, history_instance, **kwargs):
    history_instance.deleted_with_parent = getattr(instance, "_history_deleted_with_parent", False)


pre_create_historical_record.connect(_record_cascade, dispatch_uid="history_record_cascade")


def is_history_tracked(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class RestoreRefused(ValidationError):
    pass


def deleted_records(model: type[models.Model]) -> models.QuerySet:
    """The last record of each deleted row of the model that is still missing: what can be restored."""
    history = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    latest = history.filter(**{pk_name: models.OuterRef(pk_name)}).order_by("-history_date", "-history_id")
    return (
        history.filter(history_type="-", deleted_with_parent=False)
        .annotate(latest_id=models.Subquery(latest.values("history_id")[:1]))
        .filter(history_id=models.F("latest_id"))
        .exclude(**{f"{pk_name}__in": model._default_manager.values("pk")})
        .select_related("history_user")
        .order_by("-history_date")
    )


@transaction.atomic
def deleted_record_restore(*, record, user=None) -> models.Model:
    """Recreate a deleted row from the record of its deletion: same id, its fields as they were, its
    many-to-many links as last recorded (to the rows that still exist), and the rows that were deleted
    with it (members of a visit, participants of a meeting, parties of an agreement…).

    Side effects, in one transaction, all or nothing: inserts the rows and their links, recorded in
    the history under `user`. Only the rows: what an app derives from them (a meeting's bookings) is
    for that app's own service to redo, wrapping this one (the history admin's `restore_record`).

    Raises RestoreRefused when the row exists again, points to a row deleted since, or would break
    a rule with a row added since (a taken slug).
    """
    model = record.instance_type
    if model._default_manager.filter(pk=record.instance.pk).exists():
        raise RestoreRefused(_("“%(object)s” exists: there is nothing to restore.") % {"object": record.instance})
    instance = record.instance
    for field in model._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not field.is_relation or value is None:
            continue
        if not field.related_model._default_manager.filter(**{field.target_field.attname: value}).exists():
            raise RestoreRefused(
                _("“%(object)s” cannot be restored: its %(field)s (#%(id)s) was deleted since. Restore that first.")
                % {"object": instance, "field": field.verbose_name, "id": value}
            )
    try:
        # A row added since may hold its slug, or a visit a new head: say so rather than fail at insert.
        instance.validate_unique()
        instance.validate_constraints()
    except ValidationError as error:
        raise RestoreRefused(
            _("“%(object)s” cannot be restored: %(reasons)s")
            % {"object": instance, "reasons": " ".join(error.messages)}
        ) from error
    instance._history_user = user
    instance._change_reason = _("Restored")
    instance.save(force_insert=True)
    _restore_many_to_many(record, instance)
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.one_to_many and relation.on_delete is models.CASCADE and is_history_tracked(child):
            for child_record in _deleted_with(child, relation.field, instance.pk):
                deleted_record_restore(record=child_record, user=user)
    return instance


def _deleted_with(model, field, parent_pk) -> list:
    """The last records of the rows of `model` deleted with the parent, still missing."""
    history = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    deleted = history.filter(**{field.attname: parent_pk}, history_type="-", deleted_with_parent=True)
    records = []
    for pk in sorted(set(deleted.values_list(pk_name, flat=True))):
        last = history.filter(**{pk_name: pk}).order_by("-history_date", "-history_id").first()
        # Not one moved to another parent, deleted alone or already back since.
        if (
            last.history_type == "-"
            and last.deleted_with_parent
            and getattr(last, field.attname) == parent_pk
            and not model._default_manager.filter(pk=pk).exists()
        ):
            records.append(last)
    return records


def _restore_many_to_many(record, instance) -> None:
    """Links as the last record before the deletion held them: a deletion record holds none, Django
    having removed them before it was written."""
    fields = record._history_m2m_fields
    if not fields:
        return
    before = record.prev_record
    while before is not None and before.history_type == "-":
        before = before.prev_record
    if before is None:
        return
    for field in fields:
        target = field.related_model
        target_column = field.m2m_reverse_field_name()
        ids = [getattr(row, f"{target_column}_id") for row in getattr(before, field.name).all()]
        getattr(instance, field.name).set(target._default_manager.filter(pk__in=ids))
