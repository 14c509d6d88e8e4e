"""Organizations, people and sectors still listed somewhere (hosts of an item, participants,
sectors of an organization) are not deleted: many-to-many links would otherwise vanish with them.

Foreign keys say so with on_delete=PROTECT; many-to-many links cannot, so this module does.
"""

from django.db.models import Model, ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import Organization, Person, Sector


def many_to_many_referrers(obj: Model) -> list[Model]:
    """The rows that list `obj` in one of their many-to-many fields."""
    referrers = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            referrers.extend(getattr(obj, relation.get_accessor_name()).all())
    return referrers


@receiver(pre_delete, sender=Organization, dispatch_uid="protect_listed_organization")
@receiver(pre_delete, sender=Person, dispatch_uid="protect_listed_person")
@receiver(pre_delete, sender=Sector, dispatch_uid="protect_listed_sector")
def refuse_deleting_listed(sender, instance: Model, **kwargs):
    if referrers := many_to_many_referrers(instance):
        raise ProtectedError(
            _("“%(object)s” is still listed in: %(referrers)s.")
            % {"object": instance, "referrers": "; ".join(str(referrer) for referrer in referrers)},
            set(referrers),
        )
