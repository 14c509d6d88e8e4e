"""Names that recur on every row of a long list (a meeting's two sides), written in one Python pass instead of
partials included several times a row.

Byte for byte what the partials write (templates/public/_organization_link.html, _person_name.html,
_native_name.html and _public_names.html), which the other pages still include: tests/public/test_markup.py holds
the two to the same output.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from contacts.models import Organization, Person
from contacts.privacy import PublicName
from core.widgets import escaped

# Stands for the slug in an address reversed once: a slug of ASCII letters, digits, "-" and "_" stands in the
# address as it is; any other is reversed on its own.
SLUG = "0slug0"


class Addresses:
    """The public pages of organizations and people, by slug, reversed once for a whole list."""

    def __init__(self):
        self._organization = reverse("public:organization-detail", kwargs={"slug": SLUG})
        self._person = reverse("public:person-detail", kwargs={"slug": SLUG})
        self._visit = reverse("public:visit-detail", kwargs={"slug": SLUG})

    @staticmethod
    def _address(prefix: str, name: str, slug: str) -> str:
        return prefix.replace(SLUG, slug) if slug.isascii() else reverse(name, kwargs={"slug": slug})

    def organization(self, slug: str) -> str:
        return self._address(self._organization, "public:organization-detail", slug)

    def person(self, slug: str) -> str:
        return self._address(self._person, "public:person-detail", slug)

    def visit(self, slug: str) -> str:
        return self._address(self._visit, "public:visit-detail", slug)


def native(native_name: str) -> str:
    return f' <span class="native">({escaped(native_name)})</span>' if native_name else ""


def organization_link(organization: Organization, addresses: Addresses) -> SafeString:
    url = escaped(addresses.organization(organization.slug))
    return mark_safe(f'<a href="{url}">{escaped(organization.name)}</a>{native(organization.native_name)}')


def person_link(person: Person, addresses: Addresses) -> SafeString:
    if not person.is_public:
        return mark_safe("")
    url = escaped(addresses.person(person.slug))
    return mark_safe(f'<a href="{url}">{escaped(person.name)}</a>{native(person.native_name)}')


def public_names(names: Iterable[PublicName], addresses: Addresses) -> SafeString:
    names = list(names)
    separator = "; " if any(name.title for name in names) else ", "
    parts = []
    for name in names:
        if name.person:
            part = person_link(name.person, addresses)
            if name.title:
                part += f', <span class="title">{escaped(name.title)}</span>'
        else:
            part = escaped(name.label) + native(name.organization.native_name if name.organization else "")
        parts.append(part)
    return mark_safe(separator.join(parts))


def meeting_side(organization: Organization, names: Iterable[PublicName], addresses: Addresses) -> SafeString:
    """One side of a meeting's row: its organization, then its public people (see _meeting_table.html)."""
    side = organization_link(organization, addresses)
    names = list(names)
    if names:
        side += f'<br><span class="muted">{public_names(names, addresses)}</span>'
    return mark_safe(side)


def meeting_names(meeting) -> SafeString:
    """A meeting's two organizations, as a link to it names them ("Acme (Акме) / Globex")."""
    sides = meeting.delegation_organization, meeting.host_organization
    return mark_safe(" / ".join(f"{escaped(side.name)}{native(side.native_name)}" for side in sides))
