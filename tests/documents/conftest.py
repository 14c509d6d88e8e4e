"""The documents rendered once per module (PDF rendering is slow): the demo visit, with a B2B meeting of a
Chinese company at table A, a private person in it, an office among the members, and contact e-mails on
everyone; each PDF's bytes and its pages' text as pypdf reads it back."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from contacts.models import Organization, Person
from delegations.models import Delegation, DelegationMember, ItineraryItem
from meetings.models import MeetingParticipant
from tests.factories import MeetingFactory, OrganizationFactory, PersonFactory, PositionFactory

CHINESE_NAME = "上海电气集团股份有限公司"
PRIVATE_EMAIL = "private.person@example.org"


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    from documents.agendas import organization_agenda_pdf, render_agendas
    from documents.programme import programme_pdf
    from documents.sheets import badges_pdf, table_cards_pdf

    with django_db_blocker.unblock(), transaction.atomic(), translation.override("en"):
        call_command("load_demo", verbosity=0)
        visit = Delegation.objects.select_related("leading_body", "organiser").get(slug="irkutsk-region-france-2018")
        Person.objects.update(email=PRIVATE_EMAIL)
        Organization.objects.update(contact_email="office@example.org")
        DelegationMember.objects.create(
            delegation=visit,
            person=None,
            role=DelegationMember.Role.OFFICIAL,
            title="Head of the Regional Executive Committee",
            organization=visit.leading_body,
            order=99,
        )
        # The demo announces no time; one item gets one, to show its zone and the delegation's home time.
        timed = ItineraryItem.objects.filter(delegation=visit, day=visit.start_date).order_by("pk").first()
        timed.start_time, timed.end_time = datetime.time(15, 0), datetime.time(16, 30)
        timed.save()
        session = ItineraryItem.objects.get(delegation=visit, title="B2B meetings after the presentation")
        session.b2b_tables = "A, B"
        session.save()
        chinese = OrganizationFactory(name="Shanghai Electric", native_name=CHINESE_NAME, country="CN", city="Shanghai")
        engineer = PersonFactory(name="Li Wei", native_name="李伟", is_public=True)
        hidden = PersonFactory(name="Hidden Person", is_public=False)
        for person in (engineer, hidden):
            PositionFactory(person=person, organization=chinese, title="Engineer")
        levchenko = Person.objects.get(native_name="Сергей Левченко")
        meeting = MeetingFactory(
            delegation=visit,
            session=session,
            date=session.day,
            start_time=datetime.time(16, 0),
            end_time=datetime.time(16, 30),
            venue=session.venue,
            table="A",
            delegation_organization=visit.leading_body,
            host_organization=chinese,
        )
        for person, side in ((levchenko, "delegation"), (engineer, "host"), (hidden, "host")):
            MeetingParticipant.objects.create(meeting=meeting, person=person, side=side)
        visit.refresh_from_db()
        programme = programme_pdf(visit)
        agenda = organization_agenda_pdf(visit, chinese, public=True)
        cards = table_cards_pdf(session)
        badges = badges_pdf(visit)
        batch = [(o, pdf_pages(content)) for o, content in render_agendas(visit, [chinese, visit.leading_body])]
        yield SimpleNamespace(
            visit=visit,
            session=session,
            meeting=meeting,
            chinese=chinese,
            levchenko=levchenko,
            timed=timed,
            programme=programme,
            programme_text=pdf_pages(programme),
            agenda=agenda,
            agenda_text=pdf_pages(agenda),
            cards=cards,
            cards_text=pdf_pages(cards),
            badges=badges,
            badges_text=pdf_pages(badges),
            batch=batch,
        )
        transaction.set_rollback(True)
