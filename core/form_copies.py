"""A form class's fields, copied for each form more cheaply than by `copy.deepcopy`.

Every Django form starts by deep-copying its class's fields (`BaseForm.__init__`), and each field copies
its widget: hundreds of fields on a visit's admin page, opened and again when saved. Each copy goes
through `copy.deepcopy`'s dispatch and `copy.copy`'s reduce protocol, some twenty Python calls. A
`RowFields` dict copies the fields and widgets whose classes copy themselves as Django's own do (a shallow
copy, fresh attributes, error messages and validators, a widget's choices copied shallowly) in a few
calls, with the same result; any other field or widget is deep-copied as before.
"""

import copy

from django import forms
from django.forms.widgets import ChoiceWidget

from .widgets import SharedChoicesMixin

# The __deepcopy__ methods whose result is copied here: Django's Field's, and the mixin's that calls it.
_FIELD_COPIES = (forms.Field.__deepcopy__, SharedChoicesMixin.__deepcopy__)
_plain_classes: dict[type, bool] = {}  # a class -> whether copy.copy of its instances is a copy of __dict__


def _is_plain(cls: type) -> bool:
    """Whether copy.copy(an instance of cls) is a new instance with the same __dict__: no slots, and no
    copy or pickling hooks of its own."""
    if cls not in _plain_classes:
        _plain_classes[cls] = (
            not hasattr(cls, "__slots__")
            and not hasattr(cls, "__copy__")
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and cls.__getstate__ is object.__getstate__
            and cls.__new__ is object.__new__
        )
    return _plain_classes[cls]


def _shallow(obj):
    cls = type(obj)
    if not _is_plain(cls):
        return copy.copy(obj)
    copied = object.__new__(cls)
    copied.__dict__.update(obj.__dict__)
    return copied


def widget_copy(widget, memo: dict):
    """copy.deepcopy(widget, memo), as Widget.__deepcopy__ or ChoiceWidget.__deepcopy__ make it."""
    if id(widget) in memo:
        return memo[id(widget)]
    method = type(widget).__deepcopy__
    if method is not forms.Widget.__deepcopy__ and method is not ChoiceWidget.__deepcopy__:
        return copy.deepcopy(widget, memo)
    copied = _shallow(widget)
    copied.attrs = widget.attrs.copy()
    if method is ChoiceWidget.__deepcopy__:
        copied.choices = copy.copy(widget.choices)
    memo[id(widget)] = copied
    return copied


def field_copy(field, memo: dict):
    """copy.deepcopy(field, memo), as Field.__deepcopy__ makes it."""
    if id(field) in memo:
        return memo[id(field)]
    if type(field).__deepcopy__ not in _FIELD_COPIES:
        return copy.deepcopy(field, memo)
    copied = _shallow(field)
    memo[id(field)] = copied
    copied.widget = widget_copy(field.widget, memo)
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


class RowFields(dict):
    """A form class's `base_fields`, which each form of the class copies with `field_copy`."""

    def __deepcopy__(self, memo):
        return {name: field_copy(field, memo) for name, field in self.items()}
