"""A made-up visit for the screenshots: its officials are named by their office only, its agreements and
meetings reported as counts. take.sh runs it through `manage.py shell`."""

import datetime

from contacts.models import Organization
from delegations.models import Delegation, DelegationMember, ItineraryItem

committee = Organization.objects.create(
    slug="gomel-regional-executive-committee",
    name="Gomel Regional Executive Committee",
    native_name="Гомельский областной исполнительный комитет",
    kind="government",
    country="BY",
)
chamber = Organization.objects.create(
    slug="gomel-chamber",
    name="Gomel branch of the Belarusian Chamber of Commerce",
    native_name="Гомельское отделение БелТПП",
    kind="chamber",
    country="BY",
)
host = Organization.objects.create(
    slug="ihk-munchen", name="IHK für München und Oberbayern", kind="chamber", country="DE"
)
visit = Delegation.objects.create(
    slug="gomel-region-bavaria-2019",
    title_en="Gomel region delegation to Bavaria",
    title_fr="Délégation de la région de Gomel en Bavière",
    origin_country="BY",
    origin_region_en="Gomel region",
    origin_region_fr="région de Gomel",
    leading_body=committee,
    host_countries=["DE", "AT"],
    organiser=host,
    start_date=datetime.date(2019, 5, 14),
    end_date=datetime.date(2019, 5, 16),
    home_time_zone="Europe/Minsk",
    status="completed",
    is_published=True,
    reported_meetings=15,
    agreements_without_detail=4,
    agreements_without_detail_summary_en="several contracts between companies of the two regions",
    agreements_without_detail_summary_fr="plusieurs contrats entre entreprises des deux régions",
)
offices = [
    ("head", "Chairman of the Regional Executive Committee", committee),
    ("deputy_head", "Deputy Chairman of the Regional Executive Committee", committee),
    ("business", "Director of the regional chamber branch", chamber),
    ("adviser", "Head of the Foreign Economic Relations Department", committee),
]
for order, (role, title, organization) in enumerate(offices):
    DelegationMember.objects.create(delegation=visit, order=order, role=role, title_en=title, organization=organization)
forum = ItineraryItem.objects.create(
    delegation=visit,
    title_en="Business forum at the IHK",
    day=datetime.date(2019, 5, 15),
    start_time=datetime.time(9),
    end_time=datetime.time(13),
    kind="conference",
    city="Munich",
    time_zone="Europe/Berlin",
)
forum.hosts.add(host)
