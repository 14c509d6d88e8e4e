"""A bound field's widget written straight from its value: what `str(bound_field)` writes through
core.widgets.PythonWidgetRenderer, without Django's pass through `BoundField.as_widget`, the widget's
`get_context` and the renderer's dispatch on template names.

A visit's admin page draws some 800 widgets, most of them plain inputs, and the autocompletes of its
rows (a member's person and organization, an item's venue) with their admin links. Only widgets whose
class draws them as Django's own do (the same `get_context`, `render` and template) are written here;
any other, and any form drawn by another renderer, goes through Django as before. The HTML is the same
byte for byte (tests/core/test_bound_widgets.py renders a visit's page both ways).
"""

from django import forms
from django.contrib.admin.views.main import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.forms.widgets import Input
from django.utils.safestring import mark_safe

from .admin import BatchedAutocompleteMixin, RelatedLinksWidgetWrapper
from .widgets import (
    ADMIN_DATE_TIME,
    INPUT_TEMPLATES,
    WIDGETS,
    LongSelect,
    PythonWidgetRenderer,
    attributes,
    escaped,
    related_wrapper,
    shown_text,
)


def _input_html(widget, name, value, attrs, extra: dict | None = None) -> str:
    """What Django's input.html (and the templates that only include it) writes, not stripped."""
    final = widget.build_attrs(widget.attrs, {**attrs, **extra} if extra else attrs)
    shown = widget.format_value(value)
    shown = "" if shown is None else f' value="{escaped(str(shown))}"'
    return f'<input type="{escaped(widget.input_type)}" name="{escaped(name)}"{shown}{attributes(final)}>\n'


def _input(widget, name, value, attrs) -> str | None:
    template = widget.template_name
    if template in INPUT_TEMPLATES:
        return _input_html(widget, name, value, attrs).strip()
    if template in ADMIN_DATE_TIME:
        return f'<p class="{ADMIN_DATE_TIME[template]}">\n  {_input_html(widget, name, value, attrs)}\n\n</p>'
    return None


def _checkbox(widget, name, value, attrs) -> str | None:
    if widget.template_name not in INPUT_TEMPLATES:
        return None
    return _input_html(widget, name, value, attrs, {"checked": True} if widget.check_test(value) else None).strip()


def _textarea(widget, name, value, attrs) -> str | None:
    if widget.template_name != f"{WIDGETS}textarea.html":
        return None
    shown = widget.format_value(value)
    final = widget.build_attrs(widget.attrs, attrs)
    return f'<textarea name="{escaped(name)}"{attributes(final)}>\n{shown_text(shown) if shown else ""}</textarea>'


def _autocomplete(widget, name, value, attrs) -> str | None:
    """An admin autocomplete whose formset read the labels of its rows' values (core.admin), as
    select.html writes it: the blank option of an optional single choice, then the chosen ones. One whose
    labels no formset read (the visit's own form) looks its values up itself (Django's optgroups)."""
    if widget.formset_labels is None:
        return _select(widget, name, value, attrs)
    if widget.template_name != f"{WIDGETS}select.html" or widget.option_template_name != f"{WIDGETS}select_option.html":
        return None
    final = widget.build_attrs(widget.attrs, attrs)
    multiple = widget.allow_multiple_selected
    if multiple:
        final["multiple"] = True
    parts = [f'<select name="{escaped(name)}"{attributes(final)}>']
    if not widget.is_required and not multiple:
        parts.append('\n  <option value=""></option>\n')
    labels = widget.formset_labels()
    for choice in widget.format_value(value):
        if choice in labels:
            parts.append(f'\n  <option value="{escaped(choice)}" selected>{shown_text(labels[choice])}</option>\n')
    parts.append("\n</select>")
    return "".join(parts)


def _long_select(widget, name, value, attrs) -> str:
    """A select that writes itself in Python (core.widgets.LongSelect and its kinds), as as_widget calls it."""
    return widget.render(name, value, attrs)


def _select(widget, name, value, attrs) -> str | None:
    """Django's select.html over the widget's own context (its options, its attributes), written in Python."""
    if widget.template_name != f"{WIDGETS}select.html" or widget.option_template_name != f"{WIDGETS}select_option.html":
        return None
    return PythonWidgetRenderer.select(widget.get_context(name, value, attrs)["widget"]).strip()


def _related(wrapper, name, value, attrs) -> str | None:
    """The admin's related_widget_wrapper.html around a widget written here (RelatedFieldWidgetWrapper)."""
    inner = written(wrapper.widget, name, value, attrs)
    if inner is None:
        return None
    rel_opts = wrapper.rel.model._meta
    info = (rel_opts.app_label, rel_opts.model_name)
    related_field_name = wrapper.rel.get_related_field().name
    context = {
        "rendered_widget": mark_safe(inner),
        "is_hidden": wrapper.is_hidden,
        "name": name,
        "url_params": f"{TO_FIELD_VAR}={related_field_name}&{IS_POPUP_VAR}=1",
        "model": rel_opts.verbose_name,
        "model_name": rel_opts.model_name,
        "can_add_related": wrapper.can_add_related,
        "can_change_related": wrapper.can_change_related,
        "can_delete_related": wrapper.can_delete_related,
        "can_view_related": wrapper.can_view_related,
        "model_has_limit_choices_to": wrapper.rel.limit_choices_to,
    }
    if wrapper.can_add_related:
        context["add_related_url"] = wrapper.get_related_url(info, "add")
    if wrapper.can_delete_related:
        context["delete_related_template_url"] = wrapper.get_related_url(info, "delete", "__fk__")
    if wrapper.can_view_related or wrapper.can_change_related:
        context["view_related_url_params"] = f"{TO_FIELD_VAR}={related_field_name}"
        context["change_related_template_url"] = wrapper.get_related_url(info, "change", "__fk__")
    return related_wrapper(context)


# The widget classes written here, with the methods that make them draw as Django's own do: a subclass
# that overrides one of them (its own context, options or rendering) is left to Django.
WRITERS = (
    (forms.CheckboxInput, ("get_context", "render"), _checkbox),
    (Input, ("get_context", "render"), _input),
    (forms.Textarea, ("get_context", "render"), _textarea),
    (BatchedAutocompleteMixin, ("get_context", "render", "optgroups", "create_option"), _autocomplete),
    (LongSelect, (), _long_select),
    (forms.Select, ("render", "_render", "create_option"), _select),
    (RelatedFieldWidgetWrapper, ("get_context", "render"), _related),
)
_writers: dict = {}  # a widget class -> its writer, or None


def _writer_of(widget_class):
    for base, methods, writer in WRITERS:
        if issubclass(widget_class, base) and all(
            getattr(widget_class, method) is getattr(_stock(base), method) for method in methods
        ):
            return writer
    return None


def _stock(base):
    """The class whose methods a widget must keep: Django's for Django's widgets, the autocompletes'
    (core.admin's batched ones over Django's autocomplete select) and the admin's links' wrapper."""
    if base is BatchedAutocompleteMixin:
        return _StockAutocomplete
    if base is RelatedFieldWidgetWrapper:
        return RelatedLinksWidgetWrapper
    return base


class _StockAutocomplete(BatchedAutocompleteMixin, AutocompleteMixin, forms.Select):
    pass


def written(widget, name, value, attrs) -> str | None:
    """widget.render(name, value, attrs) through PythonWidgetRenderer, or None for a widget not known here."""
    widget_class = type(widget)
    if widget_class not in _writers:
        _writers[widget_class] = _writer_of(widget_class)
    writer = _writers[widget_class]
    if writer is None:
        return None
    return writer(widget, name, value, attrs)


def widget_attrs(bound, widget) -> dict:
    """What BoundField.as_widget gives the widget as attributes (build_widget_attrs, then the id), each
    of the bound field's properties read once: they make an empty error list and the id afresh."""
    field, form = bound.field, bound.form
    auto_id = bound.auto_id
    attrs = {}
    if field.required and form.use_required_attribute and widget.use_required_attribute(bound.initial):
        attrs["required"] = True
    if field.disabled:
        attrs["disabled"] = True
    errors = form.is_bound and form.errors.get(bound.name)
    hidden = widget.is_hidden
    if not hidden and errors:
        attrs["aria-invalid"] = "true"
    if auto_id and not hidden and not widget.use_fieldset and not field.widget.attrs.get("aria-describedby"):
        described = [f"{auto_id}_helptext"] if bound.help_text else []
        if errors:
            described.append(f"{auto_id}_error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
    if auto_id and "id" not in widget.attrs:
        attrs["id"] = auto_id
    return attrs


def bound_field_html(bound) -> str:
    """str(bound): what BoundField.as_widget writes, written here when its widget is known."""
    field, form = bound.field, bound.form
    if (
        field.show_hidden_initial
        or field.localize
        or hasattr(field, "require_all_fields")  # a MultiValueField, whose parts may be required one by one
        or not isinstance(form.renderer, PythonWidgetRenderer)
    ):
        return escaped(bound)
    widget = field.widget
    html = written(widget, bound.html_name, bound.value(), widget_attrs(bound, widget))
    return escaped(bound) if html is None else html
