from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: True alone, False left out."""
    return "".join(
        format_html(' {}="{}"', name, str(value)) if value is not True else f" {conditional_escape(name)}"
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A select of hundreds of options (every published visit, every country), written in Python.

    Django renders one template per option, which was half the meeting list's time with a thousand
    visits. The HTML is the same as Django's select.html and select_option.html write.

    A fixed list of plain choices (the time zones: 597 in every itinerary row) is written once per
    language and process; each select then only marks its selected option.
    """

    _written: dict = {}  # (choices, language) -> [(value, option, selected option)]

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(self.choices, list | tuple) and not any(
            isinstance(label, list | tuple) for _, label in self.choices
        ):
            return self.render_plain(name, value, attrs)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), mark_safe(attributes(widget["attrs"])), ">"]
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

    def render_plain(self, name, value, attrs=None):
        key = (tuple(self.choices), get_language())
        written = self._written.get(key)
        if written is None:
            option = '\n  <option value="{}"{}>{}</option>\n'
            written = [
                (
                    str(choice),
                    format_html(option, str(choice), "", label),
                    format_html(option, str(choice), mark_safe(" selected"), label),
                )
                for choice, label in self.choices
            ]
            self._written[key] = written
        chosen = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts = [format_html('<select name="{}"', name), mark_safe(attributes(final_attrs)), ">"]
        for choice, plain, selected in written:
            if choice in chosen:
                parts.append(selected)
                if not self.allow_multiple_selected:
                    chosen = set()
            else:
                parts.append(plain)
        parts.append("\n</select>")
        return mark_safe("".join(parts))
