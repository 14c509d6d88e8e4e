"""Rows still listed in a many-to-many field are not deleted: the links would otherwise vanish with them.

Foreign keys say so with on_delete=PROTECT; many-to-many links cannot. A model opts in with
`ListedProtectedModel` and a queryset built on `ListedProtectedQuerySet`: both refuse, naming the
rows that still list it, whether one row or a queryset is deleted.
"""

from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext as _


def many_to_many_referrers(obj: models.Model) -> list[models.Model]:
    """The rows that list `obj` in one of their many-to-many fields."""
    referrers = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            referrers.extend(getattr(obj, relation.get_accessor_name()).all())
    return referrers


def refuse_deleting_listed(obj: models.Model) -> None:
    """Raise ProtectedError, naming them, when rows still list `obj`."""
    if referrers := many_to_many_referrers(obj):
        raise ProtectedError(
            _("“%(object)s” is still listed in: %(referrers)s.")
            % {"object": obj, "referrers": "; ".join(str(referrer) for referrer in referrers)},
            set(referrers),
        )


class ListedProtectedQuerySet(models.QuerySet):
    def delete(self):
        for obj in self:
            refuse_deleting_listed(obj)
        return super().delete()


class ListedProtectedModel(models.Model):
    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        refuse_deleting_listed(self)
        return super().delete(*args, **kwargs)
