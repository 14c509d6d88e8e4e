"""Merging two records of one person, or of one organization, entered twice under different spellings.

Contacts sit low: the rows that refer to a person or an organization live in apps above (members,
meetings, requests…), so they are found through Django's model meta, every foreign key and
many-to-many field that points to the model, whatever app declares it. What an app derives from
those rows without a key (a meeting's bookings) it handles itself, through a hook it registers
here (`merge_hook_register`), called before anything is written and again once every row moved.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import OperationalError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

# Django's history reason column holds 100 characters.
REASON_LENGTH = 100
DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for "deadlock detected"


class MergeRefused(ValidationError):
    """The two records cannot be merged as they are: the messages say why and what to change."""


@dataclass(frozen=True)
class Reference:
    """A field that points to the merged model: a foreign key, a one-to-one or a many-to-many field."""

    field: models.Field

    @property
    def model(self) -> type[models.Model]:
        return self.field.model

    @property
    def label(self) -> str:
        """What staff read, as the admin's breadcrumbs put it: "B2B meetings › Participants (person)"."""
        app = self.model._meta.app_config.verbose_name
        return f"{app} › {capfirst(self.model._meta.verbose_name_plural)} ({self.field.verbose_name})"

    def rows(self, record: models.Model) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.field.name: record.pk})


@dataclass
class MergeSummary:
    """What a merge did, per reference: rows moved to the kept record, and duplicate rows folded into one."""

    kept: models.Model
    merged_name: str
    moved: dict[str, int] = field(default_factory=dict)
    collapsed: dict[str, int] = field(default_factory=dict)


# Each hook is called with the two records, inside the merge's transaction, before anything is
# written: it raises MergeRefused to refuse, or returns what to call once every reference moved.
MergeHook = Callable[..., Callable[[], None] | None]
_hooks: list[MergeHook] = []


def merge_hook_register(hook: MergeHook) -> None:
    """Register an app's hook (from its AppConfig.ready): see MergeHook."""
    if hook not in _hooks:
        _hooks.append(hook)


def merge_references(model: type[models.Model]) -> list[Reference]:
    """Every field of every installed model that points to `model`, in a stable order. Many-to-many
    fields stand for their rows in the table Django makes for them; a many-to-many through a model of
    its own is the foreign keys of that model instead. Proxies repeat their model's fields; history
    records stay as they were written."""
    references = []
    for candidate in apps.get_models():
        if candidate._meta.proxy or issubclass(candidate, HistoricalChanges):
            continue
        for candidate_field in candidate._meta.get_fields():
            if not (candidate_field.is_relation and candidate_field.concrete):
                continue
            if candidate_field.related_model is not model:
                continue
            if candidate_field.many_to_many and not candidate_field.remote_field.through._meta.auto_created:
                continue
            references.append(Reference(candidate_field))
    return sorted(references, key=lambda reference: (reference.model._meta.label, reference.field.name))


def reference_counts(record: models.Model) -> list[tuple[str, int]]:
    """How many rows of each kind refer to `record`, for the kinds that do."""
    counts = []
    for reference in merge_references(type(record)):
        count = reference.rows(record).count()
        if count:
            counts.append((reference.label, count))
    return counts


def contact_merge(*, kept: models.Model, merged: models.Model, user=None) -> MergeSummary:
    """Merge `merged` into `kept` (two people, or two organizations): every row that refers to
    `merged` refers to `kept` instead, and `merged` is deleted.

    Side effects, in one transaction, all or nothing, both records locked (SELECT … FOR UPDATE):
    - each referring row is saved with the kept record in place of the merged one (history: one
      record per row, under `user`, with the reason "Merged …");
    - a row that would then repeat another one (the same person twice in a meeting) is folded into
      that one: its values fill what the other left empty, then it is deleted (history too);
    - many-to-many links move through their field's manager (history of the row that lists them);
    - the kept record keeps its values, takes the merged one's where its own are empty, and its
      other spellings (where the model has `other_names`) take the merged record's names; its
      history record names the merged one;
    - the hooks of the apps above run (meetings rebook the merged record's meetings);
    - the merged record is deleted (its last history record keeps every field).

    Raises MergeRefused, naming the rows, when the records are one or of different kinds, when a
    row would break a rule (an organization meeting itself, two overlapping meetings for one
    person, two differing rows for one person in one delegation), or when a record was deleted
    meanwhile. Nothing is then written.
    """
    if type(kept) is not type(merged):
        raise MergeRefused(_("Only two records of the same kind can be merged."))
    if kept.pk == merged.pk:
        raise MergeRefused(_("Choose two different records to merge."))
    try:
        with transaction.atomic():
            return _merge(type(kept), kept.pk, merged.pk, user)
    except MergeRefused:
        raise
    except ValidationError as error:  # a hook's rule, or a booking refused by the database
        raise MergeRefused(error.messages) from error
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) != DEADLOCK:  # psycopg2
            raise
        # PostgreSQL chose the merge to end a deadlock with another save: all of it was rolled back.
        raise MergeRefused(_("Another save changed these records at the same moment. Please try again.")) from error


def _merge(model, kept_pk, merged_pk, user) -> MergeSummary:
    # The merged record locked against any change and new reference (FOR UPDATE); the kept one against
    # changes only (FOR NO KEY UPDATE), so that a meeting saved meanwhile may still refer to it: its
    # commit, which checks that key, does not wait for the merge while the merge waits for its booking.
    locked = {}
    for pk in sorted((kept_pk, merged_pk)):
        rows = model._base_manager.select_for_update(no_key=pk == kept_pk).filter(pk=pk)
        locked.update({obj.pk: obj for obj in rows})
    if len(locked) != 2:
        raise MergeRefused(_("One of the two records was deleted meanwhile. Reload the list and try again."))
    kept, merged = locked[kept_pk], locked[merged_pk]
    reason = _("Merged “%(merged)s” (#%(id)s) into “%(kept)s”") % {"merged": merged, "id": merged.pk, "kept": kept}
    mover = _Mover(kept=kept, merged=merged, user=user, reason=reason[:REASON_LENGTH])
    after = [callback for hook in _hooks if (callback := hook(kept=kept, merged=merged)) is not None]
    for reference in merge_references(model):
        if reference.field.many_to_many:
            mover.move_links(reference)
        else:
            mover.move_rows(reference)
    kept.refresh_from_db()
    _take_over(kept, merged)
    _save(kept, user, reason[:REASON_LENGTH])
    for callback in after:
        callback()
    merged._history_user = user
    merged._change_reason = reason[:REASON_LENGTH]
    merged.delete()
    return mover.summary


def _save(obj: models.Model, user, reason: str, **kwargs) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.save(**kwargs)


def _shown(obj: models.Model, model_field: models.Field) -> str:
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    return str(getattr(obj, model_field.name))


def _unset(obj: models.Model, model_field: models.Field) -> bool:
    """Empty, or at the field's default: a value nobody chose, which another may replace."""
    value = getattr(obj, model_field.attname)
    if value in (None, ""):
        return True
    return model_field.has_default() and not callable(model_field.default) and value == model_field.default


def _compared_fields(model: type[models.Model], skip: models.Field | None) -> list[models.Field]:
    """The fields whose values make two rows the same: not the key, the moved field, or what the
    database or the code sets on its own (timestamps, hashes, folded text)."""
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field is not skip
        and not model_field.primary_key
        and model_field.editable
        and not getattr(model_field, "auto_now", False)
        and not getattr(model_field, "auto_now_add", False)
    ]


def _take_over(kept: models.Model, merged: models.Model) -> None:
    """The kept record takes the merged one's values where its own are empty (long texts, such as
    notes, are joined), its many-to-many links and, where the model keeps other spellings, the
    merged record's names."""
    for model_field in _compared_fields(type(kept), skip=None):
        if model_field.unique or isinstance(model_field, models.BooleanField) or model_field.name == "other_names":
            continue
        value = getattr(merged, model_field.attname)
        if model_field.is_relation and value in (kept.pk, merged.pk):
            continue  # a parent organization that is one of the two
        if _unset(merged, model_field) or value == getattr(kept, model_field.attname):
            continue
        if _unset(kept, model_field):
            setattr(kept, model_field.attname, value)
        elif isinstance(model_field, models.TextField):
            setattr(kept, model_field.attname, f"{getattr(kept, model_field.attname)}\n\n{value}")
    for model_field in kept._meta.many_to_many:
        getattr(kept, model_field.name).add(*getattr(merged, model_field.name).all())
    if hasattr(kept, "other_names"):
        kept.other_names = _other_names(kept, merged)


def _other_names(kept, merged) -> str:
    known = {kept.name.casefold(), kept.native_name.casefold()}
    names = [name.strip() for name in kept.other_names.split(",") if name.strip()]
    for name in (merged.name, merged.native_name, *merged.other_names.split(",")):
        name = name.strip()
        if name and name.casefold() not in known | {other.casefold() for other in names}:
            names.append(name)
    joined = ", ".join(names)
    limit = kept._meta.get_field("other_names").max_length
    if len(joined) > limit:
        raise MergeRefused(
            _(
                "The other spellings of “%(kept)s” and “%(merged)s” together would exceed %(limit)s characters: "
                "shorten them first."
            )
            % {"kept": kept, "merged": merged, "limit": limit}
        )
    return joined


@dataclass
class _Mover:
    kept: models.Model
    merged: models.Model
    user: object
    reason: str
    summary: MergeSummary = None

    def __post_init__(self):
        self.summary = MergeSummary(kept=self.kept, merged_name=str(self.merged))

    def count(self, counts: dict[str, int], reference: Reference) -> None:
        counts[reference.label] = counts.get(reference.label, 0) + 1

    def move_links(self, reference: Reference) -> None:
        """Each row listing the merged record lists the kept one instead (once)."""
        for owner in reference.rows(self.merged).order_by("pk").select_for_update():
            links = getattr(owner, reference.field.name)
            owner._history_user, owner._change_reason = self.user, self.reason
            links.remove(self.merged)
            if links.filter(pk=self.kept.pk).exists():
                self.count(self.summary.collapsed, reference)
            else:
                links.add(self.kept)
                self.count(self.summary.moved, reference)

    def move_rows(self, reference: Reference) -> None:
        model_field = reference.field
        for row in reference.rows(self.merged).order_by("pk").select_for_update():
            if row._meta.model is type(self.kept) and row.pk == self.merged.pk:
                continue  # the merged record itself (an organization its own parent cannot be)
            shown = str(row)  # as staff know it, before it changes
            setattr(row, model_field.attname, self.kept.pk)
            twin = self.twin(row, model_field) or self.same_row(row)
            if twin is not None:
                self.collapse(row, twin, model_field)
                self.count(self.summary.collapsed, reference)
                continue
            try:
                row.validate_constraints()
            except ValidationError as error:
                raise MergeRefused(
                    _("“%(row)s” (%(kind)s) cannot refer to “%(kept)s”: %(reasons)s")
                    % {
                        "row": shown,
                        "kind": row._meta.verbose_name,
                        "kept": self.kept,
                        "reasons": " ".join(error.messages),
                    }
                ) from error
            _save(row, self.user, self.reason, update_fields=[model_field.name])
            self.count(self.summary.moved, reference)

    def twin(self, row: models.Model, model_field: models.Field) -> models.Model | None:
        """The row that `row`, now pointing to the kept record, would repeat under a uniqueness rule."""
        model = row._meta.model
        for fields, condition in _unique_sets(model, model_field):
            values = {name: getattr(row, model._meta.get_field(name).attname) for name in fields}
            if any(value is None for value in values.values()):
                continue  # NULL repeats nothing
            if condition is not None and not model._base_manager.filter(pk=row.pk).filter(condition).exists():
                continue
            others = model._base_manager.filter(**values).exclude(pk=row.pk)
            if condition is not None:
                others = others.filter(condition)
            if (twin := others.select_for_update().first()) is not None:
                return twin
        return None

    def same_row(self, row: models.Model) -> models.Model | None:
        """A row of the kept record equal to `row` in every field (the same position entered twice)."""
        model = row._meta.model
        values = {compared.attname: getattr(row, compared.attname) for compared in _compared_fields(model, None)}
        return model._base_manager.filter(**values).exclude(pk=row.pk).select_for_update().first()

    def collapse(self, row: models.Model, twin: models.Model, model_field: models.Field) -> None:
        """Fold `row` into its twin: its values fill what the twin left unset; then it is deleted.
        Refused when both set one field differently, or when other rows refer to `row`."""
        changed = []
        for compared in _compared_fields(row._meta.model, skip=model_field):
            if getattr(row, compared.attname) == getattr(twin, compared.attname) or _unset(row, compared):
                continue
            if not _unset(twin, compared):
                raise MergeRefused(
                    _(
                        "“%(row)s” and “%(twin)s” (%(kind)s) would become one, but differ in %(field)s: "
                        "“%(value)s” and “%(other)s”. Make them the same, or delete one, then merge again."
                    )
                    % {
                        "row": row,
                        "twin": twin,
                        "kind": row._meta.verbose_name,
                        "field": compared.verbose_name,
                        "value": _shown(row, compared),
                        "other": _shown(twin, compared),
                    }
                )
            setattr(twin, compared.attname, getattr(row, compared.attname))
            changed.append(compared.name)
        if referrers := _referring_kinds(row):
            raise MergeRefused(
                _(
                    "“%(row)s” and “%(twin)s” (%(kind)s) would become one, "
                    "but other records refer to the first: %(referrers)s."
                )
                % {"row": row, "twin": twin, "kind": row._meta.verbose_name, "referrers": ", ".join(referrers)}
            )
        for link_field in row._meta.many_to_many:
            getattr(twin, link_field.name).add(*getattr(row, link_field.name).all())
        if changed:
            _save(twin, self.user, self.reason, update_fields=changed)
        setattr(row, model_field.attname, self.merged.pk)  # its history record says whose it was
        row._history_user, row._change_reason = self.user, self.reason
        row.delete()


def _unique_sets(model: type[models.Model], model_field: models.Field) -> list[tuple[tuple[str, ...], object]]:
    """The field sets, with their condition, that the model holds unique and that include the field."""
    sets = []
    if model_field.unique:
        sets.append(((model_field.name,), None))
    for fields in model._meta.unique_together:
        if model_field.name in fields:
            sets.append((tuple(fields), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and model_field.name in constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    return sets


def _referring_kinds(row: models.Model) -> list[str]:
    """The kinds of rows that refer to `row` (which deleting it would delete or be refused by)."""
    kinds = []
    for relation in row._meta.related_objects:
        if relation.related_model._base_manager.filter(**{relation.field.name: row.pk}).exists():
            kinds.append(str(relation.related_model._meta.verbose_name_plural))
    return kinds


__all__ = [
    "MergeRefused",
    "MergeSummary",
    "Reference",
    "contact_merge",
    "merge_hook_register",
    "merge_references",
    "reference_counts",
]
