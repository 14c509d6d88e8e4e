"""Admin plumbing that knows no domain: autocomplete widgets that batch their look-ups, a malformed
posted value answered with a form error, many-to-many listings named on the delete page, a refused
save turned into a message, and search through folded names."""

import copy
import functools

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, Field, ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpResponseRedirect, QueryDict
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .form_copies import RowFields
from .protection import many_to_many_referrers


def nothing_saved(model_admin, request, refused: ValidationError) -> HttpResponseRedirect:
    """Say why nothing was saved, and show the same page again."""
    reasons = " ".join(refused.messages)
    model_admin.message_user(request, _("Nothing was saved: %(reasons)s") % {"reasons": reasons}, messages.ERROR)
    return HttpResponseRedirect(request.get_full_path())


def key_or_none(key_field, value):
    """A posted value as a key of `key_field`, or None when it cannot be one: malformed ("abc" for a
    number) or out of the column's range (a number of 20 digits), which the database would not take."""
    try:
        key = key_field.to_python(value)
        if key not in (None, ""):
            key_field.run_validators(key)
    except ValidationError:
        return None
    return key


# Inlines hold dozens of rows (members, itinerary items). A stock autocomplete widget looks up its
# selected value when it renders, and its form field the posted value when it cleans, one query per row
# and field; these look them up once per formset, for the page and for its save alike.


def reversed_once(urls: dict, name: str, *args, **kwargs) -> str:
    """reverse(name, …), kept in `urls`: a dict that a widget and every row's copy of it share (a copy of
    a widget shares its attributes' values), made with the form field, for one request."""
    key = (get_script_prefix(), name, args, tuple(sorted(kwargs.items())))
    if key not in urls:
        urls[key] = reverse(name, args=args, **kwargs)
    return urls[key]


class RelatedLinksWidgetWrapper(RelatedFieldWidgetWrapper):
    """The admin's add, change, delete and view links beside a related field, their URLs reversed once
    for all the rows of an inline, not once for each row's widget."""

    def get_related_url(self, info, action, *args):
        name = "admin:{}_{}_{}".format(*info, action)
        return reversed_once(self.related_urls, name, *args, current_app=self.admin_site.name)


def related_links_once(formfield):
    """The form field, its admin links (if any) drawn by RelatedLinksWidgetWrapper."""
    widget = getattr(formfield, "widget", None)
    if type(widget) is RelatedFieldWidgetWrapper:
        widget.__class__ = RelatedLinksWidgetWrapper
        widget.related_urls = {}
    return formfield


class BatchedAutocompleteMixin:
    formset_labels = None  # set on each row by BatchedAutocompleteFormSetMixin: a callable giving {value: label}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = {}  # shared by every row's copy of the widget

    def get_url(self):
        return reversed_once(self.urls, self.url_name % self.admin_site.name)

    def optgroups(self, name, value, attr=None):
        if self.formset_labels is None:
            # Django's widget looks the posted values up as they are: "abc" for a number would be a
            # server error. Keep the values that can be keys; the form reports the others.
            return super().optgroups(name, [v for v in value if self.is_key(v)], attr)
        labels = self.formset_labels()
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for choice in value:
            if choice in labels:
                options.append(self.create_option(name, choice, labels[choice], True, len(options)))
        return [(None, options, 0)]

    def is_key(self, value) -> bool:
        field = self.field.remote_field
        model = field.model
        key = model._meta.get_field(field.field_name) if getattr(field, "field_name", None) else model._meta.pk
        return key_or_none(key, value) is not None


class BatchedAutocompleteSelect(BatchedAutocompleteMixin, AutocompleteSelect):
    pass


class BatchedAutocompleteSelectMultiple(BatchedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class RowsShareQuerySetMixin:
    """A model choice field whose copies (one for each row of an inline) share its queryset instead of
    cloning it twice each (Django's __deepcopy__, then its queryset setter): a row never evaluates it in
    place, each look-up (a posted value, the autocomplete's chosen labels) filters a clone of its own.
    Each copy's widget still gets its own choices iterator, over its own field (Django's bug #11183)."""

    def __deepcopy__(self, memo):
        result = Field.__deepcopy__(self, memo)
        if self._queryset is not None:
            result.widget.choices = result.choices
        return result


class KnownObjectsChoiceField(RowsShareQuerySetMixin, ModelChoiceField):
    """Django's field, taking a posted value among objects its formset read for all its rows at once
    (`known_objects`: a callable giving {value: object}); any other value is looked up as Django does."""

    known_objects = None

    def to_python(self, value):
        if self.known_objects is not None and isinstance(value, str | int) and str(value) in self.known_objects():
            return self.known_objects()[str(value)]
        return super().to_python(value)


class BatchedAutocompleteFormSetMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._autocomplete_objects = {}
        self._autocomplete_labels = {}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The hidden key of each row is checked against the formset's own rows, read once, not one by one.
        pk_name = self.model._meta.pk.name
        field = form.fields.get(pk_name)
        if type(field) is ModelChoiceField:
            known = KnownObjectsChoiceField(field.queryset, initial=field.initial, required=False, widget=field.widget)
            known.known_objects = self.known_rows
            form.fields[pk_name] = known

    def known_rows(self) -> dict[str, object]:
        self._existing_object(None)  # reads the formset's rows once (Django's cache)
        return {str(pk): row for pk, row in self._object_dict.items()}

    def _construct_form(self, i, **kwargs):
        return self.labelled(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self.labelled(super().empty_form)

    def labelled(self, form):
        """The form, its autocompletes given the labels and objects the formset reads for all its rows."""
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # unwrap the admin's add/change links
            if isinstance(widget, BatchedAutocompleteMixin):
                widget.formset_labels = lambda name=name: self.autocomplete_labels(name)
                if isinstance(field, KnownObjectsChoiceField | KeyCheckedMultipleChoiceField):
                    field.known_objects = lambda name=name: self.autocomplete_objects(name)
        return form

    def form_field(self, name: str):
        """The rows' field `name`, as the first row that has it holds it (a row may leave fields out)."""
        return next((form.fields[name] for form in self.forms if name in form.fields), self.form.base_fields[name])

    def autocomplete_objects(self, name: str) -> dict[str, object]:
        """The objects that the rows of the formset select in the field, by value."""
        if name not in self._autocomplete_objects:
            field = self.form_field(name)
            model = field.queryset.model
            key_field = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
            values = set()
            for form in self.forms:
                if name not in form.fields:
                    continue  # a row drawn without this field (an item's detail left folded)
                value = form[name].value()
                for item in value if isinstance(value, list | tuple) else [value]:
                    values.add(key_or_none(key_field, item))  # None for a malformed value: the form reports it
            self._autocomplete_objects[name] = {
                str(getattr(obj, key_field.attname)): obj
                for obj in field.queryset.filter(**{f"{key_field.attname}__in": values - {None, ""}})
            }
        return self._autocomplete_objects[name]

    def autocomplete_labels(self, name: str) -> dict[str, str]:
        """Labels of the values that the rows of the formset select in the field, written once for all rows."""
        if name not in self._autocomplete_labels:
            field = self.form_field(name)
            objects = self.autocomplete_objects(name)
            self._autocomplete_labels[name] = {value: field.label_from_instance(obj) for value, obj in objects.items()}
        return self._autocomplete_labels[name]


class BatchedAutocompleteFormSet(BatchedAutocompleteFormSetMixin, BaseInlineFormSet):
    pass


class UnchangedRowTrustedFormMixin:
    """An inline row posted back as it was opened is not saved (the formset skips it), so the model's
    own checks that ask the database (that each key still exists, each check constraint, uniqueness)
    are not run on it: the database holds those values already, under those very constraints, and the
    stale-form check (core.concurrency_admin) refuses the save if the row changed meanwhile. The
    model's clean() still runs, so rules across records (an item's day inside the visit's days) hold."""

    def is_trusted_row(self) -> bool:
        return self.instance.pk is not None and not self.instance._state.adding and not self.has_changed()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.is_trusted_row():
            exclude.update(field.name for field in self.instance._meta.fields)
        return exclude

    def _post_clean(self):
        if not self.is_trusted_row():
            return super()._post_clean()
        # Every field excluded, each constraint would be skipped anyway, but only after being built as a query.
        instance = self.instance
        instance.full_clean = functools.partial(type(instance).full_clean, instance, validate_constraints=False)
        try:
            return super()._post_clean()
        finally:
            del instance.full_clean


class KeyCheckedMultipleChoiceField(RowsShareQuerySetMixin, ModelMultipleChoiceField):
    """Django's field, refusing as invalid a posted value no key column holds (a number of 20 digits),
    which Django's own would send to the database: a server error on SQLite. In a formset's row, the
    values are taken among the objects the formset read for all its rows at once (`known_objects`)."""

    known_objects = None

    def _check_values(self, value):
        key_field = self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name else None
        key_field = key_field or self.queryset.model._meta.pk
        for pk in value:
            if key_or_none(key_field, pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        known = self.known_objects() if self.known_objects is not None else {}
        if value and all(isinstance(pk, str | int) and str(pk) in known for pk in value):
            objects = list({str(pk): known[str(pk)] for pk in value}.values())
            chosen = self.queryset.filter(
                **{f"{key_field.attname}__in": [getattr(o, key_field.attname) for o in objects]}
            )
            chosen._result_cache, chosen._prefetch_done = objects, True  # the rows read already, as Django's would be
            return chosen
        return super()._check_values(value)


class SafeAutocompleteMixin:
    """A ModelAdmin whose autocomplete widgets, and many-to-many fields, answer a malformed posted value
    with a form error, and whose related fields' links are reversed once per field, not once per row."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return related_links_once(super().formfield_for_dbfield(db_field, request, **kwargs))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", BatchedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
            kwargs.setdefault("form_class", KnownObjectsChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", BatchedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            )
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BatchedAutocompleteInlineMixin(SafeAutocompleteMixin):
    """An inline whose autocomplete fields cost one query each, however many rows it holds."""

    formset = BatchedAutocompleteFormSet

    def get_formset(self, request, obj=None, **kwargs):
        form = kwargs.get("form", self.form)
        kwargs["form"] = type(form.__name__, (UnchangedRowTrustedFormMixin, form), {})
        formset = super().get_formset(request, obj, **kwargs)
        texts_translated(formset.form)
        formset.form.base_fields = RowFields(formset.form.base_fields)  # copied for each row, cheaply
        return formset


def texts_translated(form_class) -> None:
    """The labels and help texts of `form_class` (made for this request) in the active language, as plain
    strings: every row of an inline shares its fields' lazy ones, which each row translated again for
    each use (its label, its description's id, its help), some 3,000 look-ups on a visit's page."""
    for name, field in form_class.base_fields.items():
        if isinstance(field.label, Promise) or isinstance(field.help_text, Promise):
            field = copy.copy(field)  # a form's declared fields are its class's, shared by every request
            field.label = str(field.label) if isinstance(field.label, Promise) else field.label
            field.help_text = str(field.help_text) if isinstance(field.help_text, Promise) else field.help_text
            form_class.base_fields[name] = field


def posted_copy(data: QueryDict) -> QueryDict:
    """A mutable copy of posted data, as QueryDict.copy() makes it, without deep-copying each string (they
    cannot change): the admin copies a visit's whole form (700 fields) once for each of its inlines."""
    copied = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        dict.__setitem__(copied, key, list(values))
    return copied


class PostedDataCopiedCheaplyMixin:
    """A ModelAdmin whose inlines each get their copy of the posted form without its strings copied."""

    def get_formset_kwargs(self, request, obj, inline, prefix):
        if request.method != "POST":
            return super().get_formset_kwargs(request, obj, inline, prefix)
        # Django's own, but for the copy.
        return {
            "instance": obj,
            "prefix": prefix,
            "queryset": inline.get_queryset(request),
            "data": posted_copy(request.POST),
            "files": request.FILES,
            "save_as_new": "_saveasnew" in request.POST,
        }


class RowsMedia(helpers.InlineAdminFormSet):
    """Django's inline formset of the admin, whose media is each row's form's, gathered over the rows'
    forms of each set of fields once: Django wraps every row in its admin form and adds up the media of
    every widget of every row to find the same few scripts. Rows with the same fields have the same
    media, and adding media already there changes nothing, so the sum is Django's, in the same order
    (tests/core/test_rows_media.py)."""

    @property
    def media(self):
        media = self.opts.media + self.formset.media
        forms = list(self.formset.initial_forms)
        if self.has_add_permission:
            forms += [*self.formset.extra_forms, self.formset.empty_form]
        shapes = set()
        for form in forms:
            shape = tuple(form.fields)
            if shape not in shapes:
                shapes.add(shape)
                media += form.media
        return media


class RowsMediaOnceMixin:
    """A ModelAdmin whose inlines' media are gathered once for each set of fields (RowsMedia)."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            if type(inline_admin_formset) is helpers.InlineAdminFormSet:
                inline_admin_formset.__class__ = RowsMedia
        return inline_admin_formsets


class ListedObjectsProtectedMixin:
    """The delete page names the rows that still list the object in a many-to-many field, and refuses."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            for referrer in many_to_many_referrers(obj):
                opts = referrer._meta
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[referrer.pk])
                protected.append(format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, referrer))
        return to_delete, model_count, perms_needed, protected


class RefusedAtSaveFormMixin:
    """A form shown again after its save was refused: the reason is one of its errors."""

    refused: ValidationError  # set by RefusedAtSaveMixin.get_form

    def _post_clean(self):
        super()._post_clean()
        shown = {message for messages_ in self.errors.values() for message in messages_}
        if not set(self.refused.messages) <= shown:
            reasons = " ".join(self.refused.messages)
            self.add_error(None, _("Nothing was saved: %(reasons)s") % {"reasons": reasons})


class RefusedAtSaveMixin:
    """A rule broken by the save's consequences, which the form could not see (a venue's new time zone
    moving one of its meetings onto a taken slot, a slot booked by a concurrent save), is an error on
    the form, not a server error: the whole save has been rolled back with the admin's transaction,
    and the same form is shown again, bound to what was posted (its inlines too), with the reason."""

    refused_at_save: tuple[type[ValidationError], ...] = (ValidationError,)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refused_at_save as refused:
            if request.method != "POST":
                raise
            request.refused_at_save = refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "refused_at_save", None)
        if refused is None:
            return form
        return type(form.__name__, (RefusedAtSaveFormMixin, form), {"refused": refused})


class FoldedSearchMixin:
    """Search also matches the folded names (SearchQuerySet.search): any case or accents, in any script.

    The admin's own icontains folds only ASCII on SQLite, so "иркутской" would miss "Иркутской" there.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.search(search_term)
        return results, may_have_duplicates


from .batch_admin import BatchAdmin  # noqa: E402, F401  (registers the background batches)
