import copy
import functools
from html import escape as html_escape

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.renderers import DjangoTemplates
from django.templatetags.static import static
from django.utils import formats
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

_lazy_texts: dict = {}  # (id of a lazy string, language) -> (the lazy string, kept so that its id stays its own, text)


def lazy_text(value: Promise) -> str:
    """str(value) of a lazy string (a label, a help text), translated once per language and string: the
    rows of an inline share their fields' lazy labels, and a page translated each 30 times or more."""
    key = (id(value), get_language())
    known = _lazy_texts.get(key)
    if known is not None and known[0] is value:
        return known[1]
    if len(_lazy_texts) >= 4096:
        _lazy_texts.clear()
    text = str(value)
    _lazy_texts[key] = (value, text)
    return text


def escaped(value) -> str:
    """What conditional_escape(value) writes, as a plain string: Django's escape() goes through a wrapper
    that looks for lazy strings among its arguments, about half its time, and a page of 700 fields
    escapes some 20,000 values."""
    if isinstance(value, Promise):
        value = lazy_text(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


_attribute_names: dict = {}  # an attribute's name -> escaped: the same few dozen names on every widget


def attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: True alone, False left out."""
    parts = []
    for name, value in attrs.items():
        written = _attribute_names.get(name) if type(name) is str else None
        if written is None:
            written = escaped(name)
            if type(name) is str and len(_attribute_names) < 1024:
                _attribute_names[name] = written
        if value is True:
            parts.append(f" {written}")
        elif value is not False:
            parts.append(f' {written}="{escaped(value if isinstance(value, str) else str(value))}"')
    return "".join(parts)


class KnownChoices(BaseChoiceIterator):
    """Choices already as Django normalizes them (a list of pairs), which a choice field and its widget
    take as they are. Given the list itself, each of them normalizes it again when made: every time zone,
    for each form class made for a visit's admin page."""

    def __init__(self, choices: list[tuple[str, str]]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class LongSelect(forms.Select):
    """A select of hundreds of options (every published visit, every country), written in Python.

    Django renders one template per option, which was half the meeting list's time with a thousand
    visits. The HTML is the same as Django's select.html and select_option.html write.

    A fixed list of plain choices (the time zones: 597 in every itinerary row) is written once per
    language and process; each select then only marks its selected option.
    """

    _written: dict = {}  # (choices, language) -> [(value, option, selected option)]

    def render(self, name, value, attrs=None, renderer=None):
        if self.has_plain_choices():
            return self.render_plain(name, value, attrs)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escaped(widget["name"])}"', attributes(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(attributes(option["attrs"])),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def has_plain_choices(self) -> bool:
        """Whether the choices are a fixed list without groups, whose options can be written once."""
        return isinstance(self.choices, list | tuple | KnownChoices) and not any(
            isinstance(label, list | tuple) for _, label in self.choices
        )

    def write_options(self) -> list[tuple[str, str, str]]:
        """Each choice's value, its option, and its option selected."""
        option = '\n  <option value="{}"{}>{}</option>\n'
        return [
            (
                str(choice),
                format_html(option, str(choice), "", label),
                format_html(option, str(choice), mark_safe(" selected"), label),
            )
            for choice, label in self.choices
        ]

    def written_options(self) -> list[tuple[str, str, str]]:
        key = (tuple(self.choices), get_language())
        written = self._written.get(key)
        if written is None:
            written = self._written[key] = self.write_options()
        return written

    def render_plain(self, name, value, attrs=None):
        written = self.written_options()
        chosen = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts = [f'<select name="{escaped(name)}"', attributes(final_attrs), ">"]
        for choice, plain, selected in written:
            if choice in chosen:
                parts.append(selected)
                if not self.allow_multiple_selected:
                    chosen = set()
            else:
                parts.append(plain)
        parts.append("\n</select>")
        return mark_safe("".join(parts))


WIDGETS = "django/forms/widgets/"
# Django's input.html, and the templates that only include it.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in [
        "input",
        "text",
        "number",
        "hidden",
        "date",
        "time",
        "datetime",
        "checkbox",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "color",
    ]
)

# The admin's date and time inputs: Django's input in a paragraph.
ADMIN_DATE_TIME = {"admin/widgets/date.html": "date", "admin/widgets/time.html": "time"}
EMPTY_WHEN_NO_ERRORS = frozenset(("django/forms/errors/list/ul.html", "django/forms/errors/list/default.html"))


class SharedChoicesMixin:
    """A choice field whose copies (one for each form: each row of an inline) share its list of choices,
    which Django's copy field by field and pair by pair, for every row. The list is never changed in place,
    only replaced."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class RowTypedChoiceField(SharedChoicesMixin, forms.TypedChoiceField):
    """The choice field of a model field with choices, on the rows of an inline (an item's kind)."""


class RowSelect(LongSelect):
    """A select of a few fixed choices on every row of an inline (an item's kind, a member's role): every
    row's copy of the widget shares its choices, and their options written once per language."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.written_by_language = {}  # shared by the copies: (id of the choices, language) -> (choices, options)

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied

    def written_options(self) -> list[tuple[str, str, str]]:
        key = (id(self.choices), get_language())
        choices, written = self.written_by_language.get(key, (None, None))
        if choices is not self.choices:  # a row given choices of its own writes its own
            written = self.write_options()
            self.written_by_language[key] = (self.choices, written)
        return written


def shown_text(value) -> str:
    """A value as {{ value }} writes it: localized, escaped."""
    return escaped(str(formats.localize(value)))


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{escaped(str(widget["value"]))}"'
    return (
        f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
        f"{value}{attributes(widget['attrs'])}>\n"
    )


LABEL = "django/forms/label.html"


def _label(context: dict) -> str:
    """What django/forms/label.html writes, stripped."""
    label = escaped(context["label"])
    if not context.get("use_tag"):
        return label.strip()
    tag = escaped(context["tag"])
    return f"<{tag}{attributes(context.get('attrs') or {})}>{label}</{tag}>"


def _option(option: dict) -> str:
    value = escaped(str(option["value"]))
    return f'<option value="{value}"{attributes(option["attrs"])}>{shown_text(option["label"])}</option>\n'


RELATED_WRAPPER = "admin/widgets/related_widget_wrapper.html"
# The admin's links beside a related field's widget, as its related_widget_wrapper.html writes them.
RELATED_LINKS = (
    (
        "can_change_related",
        "change",
        '<a class="related-widget-wrapper-link change-related" id="change_id_{name}"\n'
        '            data-href-template="{change_related_template_url}?{url_params}"\n'
        '            data-popup="yes"\n'
        '            title="{title}">',
        "Change selected %(model)s",
        "admin/img/icon-changelink.svg",
    ),
    (
        "can_add_related",
        "add",
        '<a class="related-widget-wrapper-link add-related" id="add_id_{name}"\n'
        '            data-popup="yes"\n'
        '            href="{add_related_url}?{url_params}"\n'
        '            title="{title}">',
        "Add another %(model)s",
        "admin/img/icon-addlink.svg",
    ),
    (
        "can_delete_related",
        "delete",
        '<a class="related-widget-wrapper-link delete-related" id="delete_id_{name}"\n'
        '            data-href-template="{delete_related_template_url}?{url_params}"\n'
        '            data-popup="yes"\n'
        '            title="{title}">',
        "Delete selected %(model)s",
        "admin/img/icon-deletelink.svg",
    ),
    (
        "can_view_related",
        "view",
        '<a class="related-widget-wrapper-link view-related" id="view_id_{name}"\n'
        '             data-href-template="{change_related_template_url}?{view_related_url_params}"\n'
        '             title="{title}">',
        "View selected %(model)s",
        "admin/img/icon-viewlink.svg",
    ),
)


@functools.lru_cache(maxsize=256)
def _link_title(title: str, model: str, language: str | None) -> str:
    """A link's title for `model` (escaped) in `language`, which is the active one: the same for each row."""
    return gettext(title) % {"model": model}


@functools.lru_cache(maxsize=16)
def _icon(icon: str) -> str:
    return format_html('<img src="{}" alt="" width="24" height="24"></a>', static(icon))


@receiver(setting_changed)
def _forget_static_urls(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT"}:
        _icon.cache_clear()
        _related_links.cache_clear()


RELATED_URLS = (
    "url_params",
    "add_related_url",
    "change_related_template_url",
    "delete_related_template_url",
    "view_related_url_params",
)
NAME_PLACE = "\x00"  # where a row's field name goes in links written once for all rows


def _write_links(model: str, urls: tuple[str, ...], flags: tuple[bool, ...], language: str | None, name: str) -> str:
    """The links beside the related field `name` (`flags`: which of RELATED_LINKS to write)."""
    values = {"name": name, **{key: escaped(url) for key, url in zip(RELATED_URLS, urls, strict=True)}}
    model = escaped(model)
    return "".join(
        anchor.format(**values, title=_link_title(title, model, language)) + _icon(icon)
        for (_flag, _kind, anchor, title, icon), wanted in zip(RELATED_LINKS, flags, strict=True)
        if wanted
    )


@functools.lru_cache(maxsize=512)
def _related_links(model: str, urls: tuple[str, ...], flags: tuple[bool, ...], language: str | None) -> str:
    """The links, with NAME_PLACE where the field's name goes: the same for every row of an inline."""
    return _write_links(model, urls, flags, language, NAME_PLACE)


def related_wrapper(context: dict) -> str:
    """What the admin's related_widget_wrapper.html writes: the widget, then its add, change, delete and
    view links (about a hundred on a visit's page)."""
    model_ref = (
        "" if context.get("model_has_limit_choices_to") else f' data-model-ref="{escaped(context["model_name"])}"'
    )
    links = ""
    if not context.get("is_hidden"):
        urls = tuple(str(context.get(key, "")) for key in RELATED_URLS)
        flags = tuple(bool(context.get(flag)) for flag, *_link in RELATED_LINKS)
        model = lazy_text(context["model"]) if isinstance(context["model"], Promise) else str(context["model"])
        if any(NAME_PLACE in value for value in (model, *urls)):
            links = _write_links(model, urls, flags, get_language(), escaped(context["name"]))
        else:
            links = _related_links(model, urls, flags, get_language()).replace(NAME_PLACE, escaped(context["name"]))
    return (
        f'<div class="related-widget-wrapper" {model_ref.strip()}>\n    {context["rendered_widget"]}\n    \n'
        f"        {links}\n    \n</div>"
    )


class PythonWidgetRenderer(DjangoTemplates):
    """Django's form renderer, writing the plainest widgets in Python (inputs, selects and their options),
    labels and empty error lists.

    A visit's admin page has about 650 widgets (30 itinerary items, 20 members), and rendering each
    through its templates (a select: one template per option) was most of the page's time. The HTML is
    byte for byte what Django's templates write (tests/core/test_widget_renderer.py); any other
    template, and any widget with a template of its own, is rendered by the templates as before.
    """

    def render(self, template_name, context, request=None):
        if template_name in EMPTY_WHEN_NO_ERRORS and isinstance(context, dict) and not context.get("errors"):
            return mark_safe("")  # every field's error list is written, most of them empty
        if template_name == LABEL and isinstance(context, dict):
            return mark_safe(_label(context))  # a thousand labels on a visit's page
        if template_name == RELATED_WRAPPER and isinstance(context, dict):
            return mark_safe(related_wrapper(context))
        # Django's renderer strips what a template writes; the templates' own includes are not stripped.
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return mark_safe(_input(widget).strip())
            if template_name in ADMIN_DATE_TIME:
                inner = _input(widget) + "\n"
                return mark_safe(f'<p class="{ADMIN_DATE_TIME[template_name]}">\n  {inner}\n</p>')
            if template_name == f"{WIDGETS}select_option.html":
                return mark_safe(_option(widget).strip())
            if template_name == f"{WIDGETS}select.html" and all(
                option["template_name"] == f"{WIDGETS}select_option.html"
                for _group, options, _index in widget["optgroups"]
                for option in options
            ):
                return mark_safe(self.select(widget).strip())
        return super().render(template_name, context, request)

    @staticmethod
    def select(widget: dict) -> str:
        parts = [f'<select name="{escaped(widget["name"])}"', attributes(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append("\n  " + _option(option))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts)
