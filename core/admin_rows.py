"""A changelist's rows written in one pass: the markup of Django's `items_for_result`, for a fraction
of its time. Django works out, for every cell, what the column is (`lookup_field`), how to show it and
which classes it takes, then formats the cell, the row's link and its preserved filters afresh; here
each column is worked out once a page, and a row is its cells joined."""

import contextlib
import datetime
import functools
import html
import re

from django.contrib.admin.templatetags.admin_list import ResultList, items_for_result
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

# An id no real row has, reversed in its place: digits, as an `<int:…>` converter takes them.
_ID_MARK = "90817263540918273645"


@functools.lru_cache(maxsize=256)
def _id_url_parts(viewname: str, current_app: str | None, prefix: str, urlconf, language) -> tuple[str, str] | None:
    url = reverse(viewname, args=[_ID_MARK], current_app=current_app)
    if url.count(_ID_MARK) != 1:
        return None
    before, after = url.split(_ID_MARK)
    return before, after


def id_url(viewname: str, pk, *, current_app: str | None = None) -> str:
    """`reverse(viewname, args=[pk])` for a row's integer id, the pattern reversed once (for each script
    prefix, URL configuration and language) rather than for each row of a page."""
    if type(pk) is int and pk >= 0:
        parts = _id_url_parts(viewname, current_app, get_script_prefix(), get_urlconf(), get_language())
        if parts is not None:
            return f"{parts[0]}{pk}{parts[1]}"
    return reverse(viewname, args=[pk], current_app=current_app)


def result_urls(changelist):
    """A function giving `changelist.url_for_result(obj)` for each row of a page: the change view's pattern
    reversed once for the page (see `id_url`), unless the changelist writes its own addresses."""
    if type(changelist).url_for_result is not ChangeList.url_for_result:
        return changelist.url_for_result
    opts, pk_attname = changelist.opts, changelist.pk_attname
    viewname = f"admin:{opts.app_label}_{opts.model_name}_change"
    current_app = changelist.model_admin.admin_site.name
    parts = _id_url_parts(viewname, current_app, get_script_prefix(), get_urlconf(), get_language())

    def url(obj) -> str:
        pk = getattr(obj, pk_attname)
        if parts is None or type(pk) is not int or pk < 0:
            return changelist.url_for_result(obj)
        return f"{parts[0]}{pk}{parts[1]}"

    return url


def escaped(value) -> str:
    """`conditional_escape(value)`, without its lazy-text wrapper (a list's hundreds of cells)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class Column:
    """How a column of the list is read and shown; None from `of()` for what only Django's own code knows.
    A column lives for one page: the choices and related rows it has shown are kept, escaped, for the
    page's other rows."""

    def __init__(self, name: str, *, field=None, method=None, link: bool, empty: str, classes: list[str]):
        self.name, self.field, self.method, self.link, self.empty = name, field, method, link, empty
        self.boolean = getattr(method, "boolean", False)
        self.classes = " ".join(classes)
        self.choices, self.shown_choices, self.shown_related = None, {}, {}
        if field is not None and getattr(field, "flatchoices", None):
            # List-like choices are made hashable by Django's display_for_field, which shows them.
            with contextlib.suppress(TypeError):
                self.choices = dict(field.flatchoices)

    @classmethod
    def of(cls, changelist, name: str, link: bool):
        model_admin, opts = changelist.model_admin, changelist.lookup_opts
        empty = model_admin.get_empty_value_display()
        if not isinstance(name, str) or name == "__str__":
            return None
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None:
            if field.auto_created or (field.is_relation and not isinstance(field, models.ForeignKey)):
                return None
            classes = [f"field-{name}"]
            if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                classes.append("nowrap")
            return cls(name, field=field, link=link, empty=empty, classes=classes)
        if hasattr(model_admin, name) and callable(method := getattr(model_admin, name)):
            classes = ["action-checkbox"] if name == "action_checkbox" else [f"field-{name}"]
            empty = getattr(method, "empty_value_display", empty)
            return cls(name, method=method, link=link, empty=empty, classes=classes)
        return None

    def cell(self, obj) -> tuple[str, str]:
        """The cell's classes and its content, escaped."""
        try:
            return self.shown(obj)
        except ObjectDoesNotExist:
            return self.classes, escaped(self.empty)

    def shown(self, obj) -> tuple[str, str]:
        classes = self.classes
        if self.method is not None:
            value = self.method(obj)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            shown = display_for_value(value, self.empty, self.boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                classes = f"{classes} nowrap"
        elif isinstance(self.field, models.ForeignKey):
            key = getattr(obj, self.field.attname)
            if key is None:
                return classes, escaped(self.empty)
            try:
                return classes, self.shown_related[key]
            except KeyError:
                shown = self.shown_related[key] = escaped(getattr(obj, self.name))
                return classes, shown
        else:
            value = getattr(obj, self.name)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if self.choices is not None:
                try:
                    return classes, self.shown_choices[value]
                except KeyError:
                    shown = self.shown_choices[value] = escaped(self.choices.get(value, self.empty))
                    return classes, shown
                except TypeError:  # a value that cannot be a key
                    pass
            shown = display_for_field(value, self.field, self.empty, avoid_link=self.link)
        return classes, escaped(shown)


def result_rows(changelist):
    """Each row of the page as Django's `results()` gives it: a list of its cells' markup (here one
    item, the whole row). Falls back to Django's own for editable lists, pop-ups and what `Column`
    does not know."""
    if changelist.formset or changelist.is_popup or changelist.to_field or changelist.list_display_links is None:
        return None
    links, columns = changelist.list_display_links, []
    first = True
    for name in changelist.list_display:
        link = (first and not links) or name in links
        column = Column.of(changelist, name, link)
        if column is None:
            return None
        if link:
            first = False
        columns.append(column)
    if not changelist.result_list:
        return []
    linked = next((column for column in columns if column.link), None)
    suffix = ""
    if linked is not None:
        # The preserved filters are the same for every row: worked out once, on the first row's address.
        try:
            url = changelist.url_for_result(changelist.result_list[0])
        except NoReverseMatch:
            return None
        context = {"preserved_filters": changelist.preserved_filters, "opts": changelist.opts}
        preserved = add_preserved_filters(context, url)
        if not preserved.startswith(url):
            return None
        suffix = preserved[len(url) :]
    rows, result_url = [], result_urls(changelist)
    for obj in changelist.result_list:
        cells = []
        for column in columns:
            classes, shown = column.cell(obj)
            if column.link:
                tag = "th" if column is linked else "td"
                url = escaped(result_url(obj) + suffix)
                cells.append(f'<{tag} class="{classes}"><a href="{url}">{shown}</a></{tag}>')
            else:
                cells.append(f'<td class="{classes}">{shown}</td>')
        rows.append(ResultList(None, [SafeString("".join(cells))]))
    return rows


def djangos_rows(changelist):
    """The rows as Django's own `items_for_result` writes them (what `result_rows` must equal)."""
    return [ResultList(None, items_for_result(changelist, obj, None)) for obj in changelist.result_list]


# What iri_to_uri leaves as it is: the characters quote() never encodes and those it is told are safe.
URI_AS_IT_IS = re.compile(r"[A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@'-]*")


def uri(iri: str) -> str:
    """`iri_to_uri(iri)`: a filter's choices' addresses, already encoded, are mostly left as they are,
    which is seen here without quote()'s passes."""
    return iri if type(iri) is str and URI_AS_IT_IS.fullmatch(iri) else iri_to_uri(iri)


# Django's admin/filter.html, the template of its list filters, written directly (see filter_html).
FILTER_TEMPLATE = "admin/filter.html"


def filter_html(changelist, spec) -> str | None:
    """A list filter as Django's `{% admin_list_filter %}` writes it with admin/filter.html, each choice one
    f-string rather than a pass through the template's loop (a changelist's filters offer over a hundred);
    None for a filter of another template."""
    if spec.template != FILTER_TEMPLATE:
        return None
    title = escaped(spec.title)
    summary = gettext(" By %(filter_title)s ") % {"filter_title": title}
    items = []
    for choice in spec.choices(changelist):
        selected = ' class="selected"' if choice["selected"] else ""
        link = escaped(uri(choice["query_string"]))
        items.append(f'\n    <li{selected}>\n    <a href="{link}">{escaped(choice["display"])}</a></li>\n  ')
    return (
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {summary}\n  </summary>\n  <ul>\n  '
        f"{''.join(items)}\n  </ul>\n</details>\n"
    )
