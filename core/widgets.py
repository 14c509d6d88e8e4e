from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


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
    """

    def render(self, name, value, attrs=None, renderer=None):
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
