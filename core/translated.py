"""A translated field (django-modeltranslation) read from plain values, as an instance would read it.

Building a model instance for each row of a long list costs more than the page does with it; read as values,
the row holds each language's column (`title_en`, `title_fr`…) and `TranslatedValue` picks the one an instance's
`title` would give in the active language: the same descriptor's rules (its fallback languages, what counts as
undefined, its fallback value, else the field's default), with the languages' order worked out once.
"""

from django.db.models import Model
from modeltranslation.fields import NONE
from modeltranslation.utils import build_localized_fieldname, fallbacks_enabled, get_language, resolution_order


class TranslatedValue:
    """The value of `model`'s translated field `name` from a row of values holding its `columns`."""

    def __init__(self, model: type[Model], name: str):
        descriptor = vars(model)[name]
        self.meaningful = descriptor.meaningful_value
        default = NONE
        self.undefined = descriptor.fallback_undefined
        if self.undefined is NONE:
            default = self.undefined = descriptor.field.get_default()
        self.columns = tuple(
            build_localized_fieldname(name, language)
            for language in resolution_order(get_language(), descriptor.fallback_languages)
        )
        if fallbacks_enabled() and descriptor.fallback_value is not NONE:
            self.fallback = descriptor.fallback_value
        else:
            self.fallback = descriptor.field.get_default() if default is NONE else default

    def __call__(self, row: dict) -> object:
        for column in self.columns:
            value = row[column]
            if self.meaningful(value, self.undefined):
                return value
        return self.fallback
