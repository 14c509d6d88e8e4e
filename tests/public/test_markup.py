"""The meeting rows' names written in Python (public.markup) are byte for byte what the partials the other pages
include write: hostile text escaped alike, native names, private people standing for their organization."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from contacts.models import Organization, Person
from contacts.privacy import PublicName
from meetings.models import Meeting
from public import markup

HOSTILE = '<script>alert("x")</script> & Co\'s'


def organization(**fields) -> Organization:
    return Organization(**{"name": HOSTILE, "native_name": "", "slug": "acme-1", **fields})


def person(**fields) -> Person:
    return Person(**{"name": HOSTILE, "native_name": "", "slug": "ann-2", "is_public": True, **fields})


@pytest.mark.parametrize("native_name", ["", "Акме <b>"])
def test_organization_link_as_the_partial(native_name):
    org = organization(native_name=native_name)

    written = markup.organization_link(org, markup.Addresses())

    assert written == render_to_string("public/_organization_link.html", {"organization": org})


@pytest.mark.parametrize(("is_public", "native_name"), [(True, ""), (True, "Анна & <i>"), (False, "Анна")])
def test_person_link_as_the_partial(is_public, native_name):
    someone = person(is_public=is_public, native_name=native_name)

    written = markup.person_link(someone, markup.Addresses())

    assert written == render_to_string("public/_person_name.html", {"person": someone})


NAMES = {
    "people": [PublicName("Ann", person(native_name="Анна")), PublicName("Bob", person(name="Bob", slug="bob-3"))],
    "titled": [PublicName("Ann", person(), title="Governor <of> & co"), PublicName("Bob", person(slug="bob-3"))],
    "stand-ins": [
        PublicName("Ann", person()),
        PublicName("2 representatives of <X>", organization=organization(native_name="Икс")),
        PublicName("a representative", organization=None),
    ],
    "one": [PublicName("a representative of Y", organization=organization(native_name=""))],
}


@pytest.mark.parametrize("names", NAMES.values(), ids=NAMES.keys())
def test_public_names_as_the_partial(names):
    written = markup.public_names(names, markup.Addresses())

    assert written == render_to_string("public/_public_names.html", {"names": names})


def test_meeting_side_names_its_people_below_the_organization():
    org = organization(name="Acme", native_name="")
    names = [PublicName("a representative of Acme", organization=org)]

    assert markup.meeting_side(org, names, markup.Addresses()) == (
        '<a href="/organizations/acme-1/">Acme</a><br><span class="muted">a representative of Acme</span>'
    )
    assert markup.meeting_side(org, [], markup.Addresses()) == '<a href="/organizations/acme-1/">Acme</a>'


@pytest.mark.parametrize("native_names", [("", ""), ("Акме <b>", ""), ("", "Икс & co")])
def test_meeting_names_as_the_outcomes_page_wrote_them(native_names):
    meeting = Meeting(
        delegation_organization=organization(native_name=native_names[0]),
        host_organization=organization(name="Globex", native_name=native_names[1]),
    )
    partials = Template(
        '{% autoescape on %}{{ meeting.delegation_organization.name }}{% include "public/_native_name.html" with '
        "native_name=meeting.delegation_organization.native_name %} / {{ meeting.host_organization.name }}"
        '{% include "public/_native_name.html" with native_name=meeting.host_organization.native_name %}'
        "{% endautoescape %}"
    )

    assert markup.meeting_names(meeting) == partials.render(Context({"meeting": meeting}))
