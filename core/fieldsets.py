"""The admin's fieldsets written in Python: what admin/includes/fieldset.html writes, without a template
pass per line, per field, per label and per help text.

A visit's change page has about 150 fieldsets and 1,200 fields; through the template, their loops were
most of what was left of its time once the widgets were written in Python (core.widgets). The markup
is Django's (tests/core/test_fieldsets.py compares both on every admin page of the demo), so that the
admin's styles and scripts work as before; templates/admin/includes/fieldset.html calls this.
"""

import functools

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from .bound_widgets import bound_field_html
from .widgets import LABEL, PythonWidgetRenderer, attributes, escaped


def _field_name(field) -> str:
    """{{ field.field.name }}: a bound field's name, or a read-only field's (a dict)."""
    bound = field.field
    return bound["name"] if isinstance(bound, dict) else bound.name


def _bound(field, key: str, default=""):
    bound = field.field
    return bound.get(key, default) if isinstance(bound, dict) else getattr(bound, key, default)


@functools.lru_cache(maxsize=16)
def _end_marks(language: str | None) -> str:
    """The marks after which a label takes no suffix, in `language` (the active one)."""
    return gettext(":?.!")


def _label_tag(field) -> str:
    """What an admin field's label_tag() writes (AdminField, then BoundField.label_tag with the site's
    renderer's label), without its lazy strings and dictionaries: a visit's page has 700 labels."""
    if field.is_readonly:
        return field.label_tag()
    bound = field.field
    form = bound.form
    if form.template_name_label != LABEL or not isinstance(form.renderer, PythonWidgetRenderer):
        return field.label_tag()
    form_field = bound.field
    contents = escaped(bound.label)
    classes = []
    if field.is_checkbox:
        classes.append("vCheckboxLabel")
    if form_field.required:
        classes.append("required")
    if not field.is_first:
        classes.append("inline")
    suffix = "" if field.is_checkbox else form_field.label_suffix
    suffix = form.label_suffix if suffix is None else suffix
    if suffix and contents and contents[-1] not in _end_marks(get_language()):
        contents = contents + escaped(suffix)
    widget = form_field.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if not id_:
        return contents.strip()
    attrs = {"class": " ".join(classes)} if classes else {}
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if form_field.required and hasattr(form, "required_css_class"):
        attrs["class"] = f"{attrs['class']} {form.required_css_class}" if "class" in attrs else form.required_css_class
    return f"<label{attributes(attrs)}>{contents}</label>"


def _errors(field) -> str:
    """field.errors() of a field that is not read-only: an empty list writes nothing, and most have none."""
    return field.errors() if field.field.errors else ""


def _line_errors(line) -> str:
    """line.errors(), for a line whose fields have none written without a pass through the renderer."""
    if any(line.form[name].errors for name in line.fields if name not in line.readonly_fields):
        return line.errors()
    return ""


def _field(field, multiline: bool) -> str:
    name = _field_name(field)
    hidden = _bound(field, "is_hidden", False)
    parts = ["<div>"]
    errors = _errors(field) if multiline and not field.is_readonly else ""
    if multiline and not field.is_readonly:
        parts.append(errors)
    classes = "flex-container"
    if multiline:
        classes += " fieldBox"
        if name:
            classes += f" field-{escaped(name)}"
        if errors:
            classes += " errors"
        if hidden:
            classes += " hidden"
    if field.is_checkbox:
        classes += " checkbox-row"
    parts.append(f'<div class="{classes}">')
    if field.is_checkbox:
        parts += [bound_field_html(field.field), _label_tag(field)]
    else:
        parts.append(_label_tag(field))
        if field.is_readonly:
            parts.append(f'<div class="readonly">{escaped(field.contents())}</div>')
        else:
            parts.append(bound_field_html(field.field))
    parts.append("</div>")
    help_text = _bound(field, "help_text")
    if help_text:
        id_for_label = _bound(field, "id_for_label")
        described = f' id="{escaped(id_for_label)}_helptext"' if id_for_label else ""
        parts.append(f'<div class="help{" hidden" if hidden else ""}"{described}><div>{help_text}</div></div>')
    parts.append("</div>")
    return "".join(parts)


def render_line(line) -> str:
    """One line of a fieldset: its fields side by side."""
    fields = list(line)
    single = len(line.fields) == 1
    errors = _line_errors(line) if single else ""
    classes = "form-row"
    if single and errors:
        classes += " errors"
    if not line.has_visible_field:
        classes += " hidden"
    classes += "".join(f" field-{escaped(name)}" for field in fields if (name := _field_name(field)))
    parts = [f'<div class="{classes}">', errors if single else '<div class="flex-container form-multiline">']
    parts += [_field(field, not single) for field in fields]
    if not single:
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def render_fieldset(fieldset, heading_level=2, prefix="", id_prefix="", id_suffix="") -> SafeString:
    """What admin/includes/fieldset.html writes for `fieldset`, with the include's parameters."""
    heading_id = f"{escaped(prefix)}-{escaped(id_prefix)}-{escaped(id_suffix)}-heading"
    level = escaped(heading_level or 2)
    labelled = f' aria-labelledby="{heading_id}"' if fieldset.name else ""
    parts = [f'<fieldset class="module aligned {escaped(fieldset.classes)}"', labelled, ">"]
    collapsible = bool(fieldset.name) and fieldset.is_collapsible
    if fieldset.name:
        parts.append("<details><summary>" if collapsible else "")
        level = escaped(level)  # escaped twice, as format_html did: a number either way
        parts.append(f'<h{level} id="{heading_id}" class="fieldset-heading">{escaped(fieldset.name)}</h{level}>')
        parts.append("</summary>" if collapsible else "")
    if fieldset.description:
        parts.append(f'<div class="description">{fieldset.description}</div>')
    parts += [render_line(line) for line in fieldset]
    if collapsible:
        parts.append("</details>")
    parts.append("</fieldset>")
    return mark_safe("".join(parts))
