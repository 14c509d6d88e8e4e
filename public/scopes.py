"""Which cached public pages a change of content empties: the scopes of the page cache (see core.cache).

A page of one visit (itinerary, outcomes, its calendar, its share-link pages) keys on that visit's scope;
an organization's pages (profile, meetings, calendar) and a person's page key on their own scope and on
the scopes of every visit they appear in (`visits_of`), since they show what those visits hold. Pages
across visits (home, lists, search, results) key on the content version, which every change replaces.

So a change names:
- the visit of every row it belongs to (a member, an item, a meeting, a party of an agreement...);
- the organizations and people a row points to, so that their list of visits is read again;
- for an organization, a person, a position or a venue themselves, every visit that shows them, and the
  pages of the organizations and people that name them (a person's positions, an organization's people,
  its parent and children);
- nothing it can tell (a sector, shown everywhere, or a model it does not know): everything.
"""

from django.core.cache import cache
from django.db.models import Q

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, Delegation, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting

VISIT, ORGANIZATION, PERSON = "visit", "organization", "person"
# Rows whose visit is their parent's: (model, the field of the parent's visit).
PARENT_VISIT = {
    ItineraryItem: "delegation_id",
    Meeting: "delegation_id",
    Agreement: "delegation_id",
    FollowUp: "delegation_id",
}
# Ways an organization or a person appears in a visit, as lookups from Delegation.
ORGANIZATION_IN_VISIT = (
    "leading_body",
    "organiser",
    "supporting_organizations",
    "members__organization",
    "itinerary_items__hosts",
    "agreements__parties__organization",
    "follow_ups__organizations",
    "meetings__delegation_organization",
    "meetings__host_organization",
)
PERSON_IN_VISIT = (
    "members__person",
    "itinerary_items__delegation_participants",
    "itinerary_items__host_participants",
    "meetings__participants__person",
    "agreements__parties__signatory",
)


def visits_of(kind: str, pk: int) -> list[int]:
    """The visits, drafts included, in which this organization or person appears: one query."""
    lookups = ORGANIZATION_IN_VISIT if kind == ORGANIZATION else PERSON_IN_VISIT
    appears = Q()
    for lookup in lookups:
        appears |= Q(pk__in=Delegation.objects.filter(**{lookup: pk}).values("pk"))
    return sorted(Delegation.objects.filter(appears).values_list("pk", flat=True))


def _referenced(model, pks) -> set[tuple[str, int]]:
    """The scopes of rows a changed row points to (by a foreign key or a many-to-many link)."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return set()
    if model is Delegation:
        return {(VISIT, pk) for pk in pks}
    if model is Organization:
        return {(ORGANIZATION, pk) for pk in pks}
    if model is Person:
        return {(PERSON, pk) for pk in pks}
    if model in PARENT_VISIT:
        return {(VISIT, pk) for pk in model.objects.filter(pk__in=pks).values_list(PARENT_VISIT[model], flat=True)}
    return set()


def _instance(instance) -> set[tuple[str, int]]:
    """The scopes of a row on one side of a many-to-many link."""
    if type(instance) in PARENT_VISIT:
        return {(VISIT, getattr(instance, PARENT_VISIT[type(instance)]))}
    return _referenced(type(instance), [instance.pk])


def _foreign_keys(instance) -> set[tuple[str, int]]:
    """What a row points to. A row with a visit of its own is not also looked up through its parents."""
    fields = [field for field in instance._meta.concrete_fields if field.many_to_one or field.one_to_one]
    own_visit = any(field.related_model is Delegation for field in fields)
    scopes = set()
    for field in fields:
        model = field.related_model
        if model in PARENT_VISIT and own_visit:
            continue  # the parent's visit is the row's own
        if model in PARENT_VISIT and field.is_cached(instance):
            # The parent the row was made or read with: its visit, without a query.
            parent = getattr(instance, field.name)
            scopes |= _referenced(Delegation, [getattr(parent, PARENT_VISIT[model])] if parent else [])
            continue
        scopes |= _referenced(model, [getattr(instance, field.attname)])
    return scopes


def _is_placed(model) -> bool:
    """Whether what a row of this model shows is found from its own fields: a model the pages name by its
    fields, or one that points to a visit, an organization, a person or a part of a visit. A row of another
    kind empties everything, as nothing says which pages show it."""
    if model in (Organization, Person, Position, Venue, Delegation):
        return True
    targets = {Delegation, Organization, Person, *PARENT_VISIT}
    return any(field.related_model in targets for field in model._meta.concrete_fields if field.is_relation)


def _appearing(kind: str, pk: int) -> set[tuple[str, int]]:
    return {(kind, pk)} | {(VISIT, visit) for visit in visits_of(kind, pk)}


def _row_itself(instance) -> set[tuple[str, int]] | None:
    """What shows this row, for the models that pages name by their own fields."""
    if isinstance(instance, Organization):
        people = Position.objects.filter(organization=instance.pk).values_list("person_id", flat=True)
        children = Organization.objects.filter(parent=instance.pk).values_list("pk", flat=True)
        return (
            _appearing(ORGANIZATION, instance.pk)
            | {(PERSON, pk) for pk in people}
            | {(ORGANIZATION, pk) for pk in children}
        )
    if isinstance(instance, Person):
        organizations = Position.objects.filter(person=instance.pk).values_list("organization_id", flat=True)
        return _appearing(PERSON, instance.pk) | {(ORGANIZATION, pk) for pk in organizations}
    if isinstance(instance, Position):
        # The title a person held on a day is shown beside their name in the visits of that time.
        return _appearing(PERSON, instance.person_id)
    if isinstance(instance, Venue):
        items = ItineraryItem.objects.filter(venue=instance.pk).values_list("delegation_id", flat=True)
        meetings = Meeting.objects.filter(venue=instance.pk).values_list("delegation_id", flat=True)
        return {(VISIT, pk) for pk in {*items, *meetings}}
    if isinstance(instance, Sector):
        return None
    if isinstance(instance, Delegation):
        return {(VISIT, instance.pk)}
    return set()


def slug_key(kind: str, slug: str) -> str:
    """Where the page cache remembers which record a page's slug names (see public.cache.pk_of)."""
    return f"page-slug:{kind}:{slug}"


def _forget_slug(instance) -> None:
    """A visit, organization or person saved or deleted: the page cache looks its slug up again, in case it
    now names another record."""
    for kind, model in ((VISIT, Delegation), (ORGANIZATION, Organization), (PERSON, Person)):
        if isinstance(instance, model):
            cache.delete(slug_key(kind, instance.slug))


def scopes_of(sender, instance=None, action=None, model=None, pk_set=None, **kwargs):
    """The scopes a saved, deleted or linked row empties (the receiver of core.cache.watch_content)."""
    if action is not None:  # m2m_changed: `instance` on one side, `pk_set` of `model` on the other
        if action.startswith("pre_"):
            return set()
        if pk_set is None:  # cleared: what was on the other side is no longer known
            return None
        return _instance(instance) | _referenced(model, pk_set) or None
    _forget_slug(instance)
    scopes = _row_itself(instance)
    if scopes is None:
        return None
    scopes |= _foreign_keys(instance)
    return scopes if scopes or _is_placed(type(instance)) else None
