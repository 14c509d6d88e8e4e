from django.db import models

from .text import fold


class SearchQuerySet(models.QuerySet):
    """For a model that keeps its names folded in a `search_text` column (see core.text.fold)."""

    def search(self, text: str):
        """Rows whose names hold every word of the text, ignoring case and accents, in any script."""
        rows = self
        for word in fold(text).split():
            rows = rows.filter(search_text__contains=word)
        return rows
