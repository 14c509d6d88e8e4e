"""The admin side of optimistic concurrency: a change form carries the state of its record (and of
the rows of its inlines) as it was when the page was opened, and a save made from a form opened
before someone else's change is refused as a whole, the user's input kept, with what changed
meanwhile. The form shown again carries the new state: saving it once more, deliberately, wins."""

import datetime
from functools import partial

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.forms.models import _get_foreign_key
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import get_history_manager_for_model

from .concurrency import OpenedState, Related, changed_keys, opened_state
from .history import is_history_tracked

OPENED_STATE_FIELD = "opened_state"


class OpenedStateField(forms.CharField):
    """The record's state when the form was opened, signed; hidden."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, label="", **kwargs)

    def has_changed(self, initial, data):
        return False  # not a change to the record: the admin's history must not list it


class StateCheckedFormMixin:
    """A change form that refuses to save when its record changed after it was opened."""

    read_state = None  # lock=bool -> OpenedState | None; set by StaleFormRefusedMixin.get_form
    describe_change = None  # (opened, current, shown fields) -> list of messages; set there too

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            current = self.read_state(lock=False)
            self.initial[OPENED_STATE_FIELD] = current.dumps() if current else ""

    def clean(self):
        cleaned_data = super().clean()
        name = self.add_prefix(OPENED_STATE_FIELD)
        opened = OpenedState.loads(self.data.get(name))
        # Locked until the save commits: a concurrent save of the record waits, then sees this one's change.
        current = self.read_state(lock=True)
        if opened is not None and current is not None and opened.state == current.state:
            return cleaned_data
        # Shown again with the state read now, so that saving it once more is a deliberate choice that wins.
        self.data = self.data.copy()
        self.data[name] = current.dumps() if current else ""
        raise ValidationError(self.describe_change(opened, current, set(self.fields)), code="stale")


class StaleFormRefusedMixin:
    """A ModelAdmin whose change form refuses a save made from a stale form (optimistic concurrency).

    What counts: every field of the record and every row of its inlines, however it was changed
    (core.concurrency). The check runs inside the admin's transaction, the record and its inline
    rows locked, so that of two simultaneous saves of one form the second sees the first's change.
    """

    def state_related(self, request, obj) -> list[Related]:
        """The rows the change form edits with the record: its inlines'."""
        return [
            Related(inline.model, _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name).name)
            for inline in self.get_inline_instances(request, obj)
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.pk is None or OPENED_STATE_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return ((name, {**options, "fields": (*options["fields"], OPENED_STATE_FIELD)}), *rest)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None or obj.pk is None:
            return super().get_form(request, obj, change=change, **kwargs)
        related = self.state_related(request, obj)
        base = kwargs.pop("form", self.form)
        attrs = {
            OPENED_STATE_FIELD: OpenedStateField(),
            "read_state": partial(opened_state, self.model, obj.pk, related),
            "describe_change": partial(self.stale_form_messages, request, obj.pk, related),
        }
        form = type(base.__name__, (StateCheckedFormMixin, base), attrs)
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    def stale_form_messages(self, request, pk, related, opened, current, shown) -> list[str]:
        """Why nothing was saved: who changed the record and when (when the history tells), each shown
        field changed meanwhile with its value now, the inline rows changed, added or removed."""
        obj = self.model._base_manager.filter(pk=pk).first()
        if current is None or obj is None:
            return [_("This record was deleted after you opened this page: nothing was saved.")]
        if opened is None:
            return [
                _(
                    "This page did not say which version of “%(object)s” it was opened on: nothing was saved. "
                    "Check your input below against the current values, then save again."
                )
                % {"object": obj}
            ]
        messages = [self._stale_heading(obj, pk, related, opened)]
        keys = changed_keys(opened.state, current.state)
        shown = shown | set(self.get_readonly_fields(request, obj))
        fields = {field.name: field for field in (*self.model._meta.concrete_fields, *self.model._meta.many_to_many)}
        for key in keys:
            kind, _sep, name = key.partition(":")
            if kind == "field" and name in shown and name in fields:
                field = fields[name]
                messages.append(
                    _("%(field)s is now: %(value)s")
                    % {"field": capfirst(field.verbose_name), "value": _display(obj, field)}
                )
        for relation in related:
            if summary := _rows_summary(relation, pk, keys, opened.state):
                messages.append(summary)
        messages.append(
            _(
                "Your input is kept below. Check it against these values, then save again to keep it, "
                "or reload the page to start from the current values."
            )
        )
        return messages

    def _stale_heading(self, obj, pk, related, opened) -> str:
        since = datetime.datetime.fromtimestamp(opened.at, tz=datetime.UTC)
        records = []
        for model, lookup in ((self.model, {self.model._meta.pk.attname: pk}), *_related_lookups(related, pk)):
            if is_history_tracked(model):
                history = get_history_manager_for_model(model)
                records += history.filter(**lookup, history_date__gt=since).select_related("history_user")
        users = sorted({record.history_user.get_username() for record in records if record.history_user})
        if not records or not users:
            return _("“%(object)s” was changed after you opened this page: nothing was saved.") % {"object": obj}
        last = max(record.history_date for record in records)
        message = _(
            "“%(object)s” was changed by %(users)s (last at %(when)s) after you opened this page: nothing was saved."
        )
        return message % {
            "object": obj,
            "users": ", ".join(users),
            "when": formats.date_format(timezone.localtime(last), "DATETIME_FORMAT"),
        }


def _related_lookups(related, pk):
    return [(relation.model, {relation.fk_name: pk}) for relation in related]


def _rows_summary(relation: Related, pk, keys: list[str], opened: dict[str, str]) -> str:
    prefix = f"row:{relation.model._meta.label_lower}:"
    row_keys = [key for key in keys if key.startswith(prefix)]
    if not row_keys:
        return ""
    rows = {str(row.pk): row for row in relation.model._base_manager.filter(**{relation.fk_name: pk})}
    parts = []
    removed = 0
    for key in row_keys:
        row = rows.get(key.removeprefix(prefix))
        if row is None:
            removed += 1
        elif key in opened:
            parts.append(_("“%(row)s” changed") % {"row": row})
        else:
            parts.append(_("“%(row)s” added") % {"row": row})
    if removed:
        parts.append(ngettext("%(count)d removed", "%(count)d removed", removed) % {"count": removed})
    return _("%(rows)s: %(changes)s") % {
        "rows": capfirst(relation.model._meta.verbose_name_plural),
        "changes": "; ".join(parts),
    }


def _display(obj, field) -> str:
    """A field's value as a person reads it."""
    if field.many_to_many:
        values = [str(related) for related in getattr(obj, field.name).all()]
    elif field.is_relation:
        related = getattr(obj, field.name)
        values = [str(related)] if related is not None else []
    else:
        value = getattr(obj, field.attname)
        if isinstance(value, list | tuple):
            values = [str(getattr(item, "name", item)) for item in value]
        elif field.flatchoices:
            values = [str(dict(field.flatchoices).get(value, value))] if value not in (None, "") else []
        elif isinstance(value, bool):
            values = [_("yes") if value else _("no")]
        elif isinstance(value, datetime.datetime):
            values = [formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")]
        else:
            values = [str(formats.localize(value))] if value not in (None, "") else []
    return Truncator(", ".join(values)).chars(120) if values else "—"
