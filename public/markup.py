"""Names that recur on every row of a long list (a meeting's two sides), written in one Python pass instead of
partials included several times a row.

Byte for byte what the partials write (templates/public/_organization_link.html, _person_name.html,
_native_name.html and _public_names.html), which the other pages still include: tests/public/test_markup.py holds
the two to the same output.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from contacts.models import Organization, Person
from contacts.privacy import PublicName

# Stands for the slug in an address reversed once: slugs are ASCII letters, digits, "-" and "_", never quoted.
SLUG = "0slug0"


class Addresses:
    """The public pages of organizations and people, by slug, reversed once for a whole list."""

    def __init__(self):
        self._organization = reverse("public:organization-detail", kwargs={"slug": SLUG})
        self._person = reverse("public:person-detail", kwargs={"slug": SLUG})
        self._visit = reverse("public:visit-detail", kwargs={"slug": SLUG})

    def organization(self, slug: str) -> str:
        return self._organization.replace(SLUG, slug)

    def person(self, slug: str) -> str:
        return self._person.replace(SLUG, slug)

    def visit(self, slug: str) -> str:
        return self._visit.replace(SLUG, slug)


def native(native_name: str) -> str:
    return format_html(' <span class="native">({})</span>', native_name) if native_name else ""


def organization_link(organization: Organization, addresses: Addresses) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>{}',
        addresses.organization(organization.slug),
        organization.name,
        native(organization.native_name),
    )


def person_link(person: Person, addresses: Addresses) -> SafeString:
    if not person.is_public:
        return mark_safe("")
    return format_html('<a href="{}">{}</a>{}', addresses.person(person.slug), person.name, native(person.native_name))


def public_names(names: list[PublicName], addresses: Addresses) -> SafeString:
    separator = "; " if any(name.title for name in names) else ", "
    parts = []
    for name in names:
        if name.person:
            part = person_link(name.person, addresses)
            if name.title:
                part += format_html(', <span class="title">{}</span>', name.title)
        else:
            part = conditional_escape(name.label) + native(name.organization.native_name if name.organization else "")
        parts.append(part)
    return mark_safe(separator.join(parts))


def meeting_side(organization: Organization, names: Iterable[PublicName], addresses: Addresses) -> SafeString:
    """One side of a meeting's row: its organization, then its public people (see _meeting_table.html)."""
    side = organization_link(organization, addresses)
    names = list(names)
    if names:
        side += format_html('<br><span class="muted">{}</span>', public_names(names, addresses))
    return mark_safe(side)
