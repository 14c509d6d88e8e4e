import datetime
import json
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import capfirst
from pytest_django.asserts import assertContains, assertNotContains

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, Delegation, DelegationMember, FollowUp, ItineraryItem
from meetings.models import Meeting
from sampledata.demo import DEMO_FILE, demo_load

NOV = {day: datetime.date(2018, 11, day) for day in (26, 27, 28, 29)}
HEALTH_COMPANIES = ["ATF Implants", "Dedienne Santé", "Eastmed", "Luxilon", "Symbios"]

EXPECTED_COUNTS = {
    "contacts.Sector": 8,
    "contacts.Organization": 28,
    "contacts.Organization_sectors": 16,
    "contacts.Person": 9,
    "contacts.Position": 10,
    "delegations.Venue": 4,
    "delegations.Delegation": 1,
    "delegations.Delegation_supporting_organizations": 1,
    "delegations.Delegation_priority_sectors": 4,
    "delegations.DelegationMember": 5,
    "delegations.ItineraryItem": 12,
    "delegations.ItineraryItem_hosts": 16,
    "delegations.ItineraryItem_delegation_participants": 25,
    "delegations.ItineraryItem_host_participants": 4,
    "delegations.Agreement": 1,
    "delegations.AgreementParty": 3,
    "delegations.FollowUp": 5,
    "delegations.FollowUp_organizations": 10,
    "delegations.ShareLink": 0,
    "meetings.Meeting": 5,
    "meetings.Meeting_follow_ups": 5,
    "meetings.MeetingParticipant": 0,
    "meetings.Booking": 0,
}


def rows(model) -> list[dict]:
    """Every column of every row as stored: for a translated model, `raw_values()` gives `title`, `title_en`
    and `title_fr`, where modeltranslation's `values()` would give `title` in the active language only."""
    queryset = model.objects.order_by("pk")
    return list(queryset.raw_values() if hasattr(queryset, "raw_values") else queryset.values())


def domain_models(*, historical: bool = False):
    return [
        model
        for app in ("contacts", "delegations", "meetings")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if model._meta.model_name.startswith("historical") == historical
    ]


def snapshot() -> dict[str, list[dict]]:
    """Every row of the domain apps, M2M through tables included, by model label; not their history,
    whose dates differ from one load to another."""
    return {model._meta.label: rows(model) for model in domain_models()}


def history_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in domain_models(historical=True)}


def counts(rows: dict[str, list[dict]]) -> dict[str, int]:
    return {label: len(table) for label, table in rows.items()}


def item(delegation: Delegation, title: str) -> ItineraryItem:
    return delegation.itinerary_items.get(title_en=title)


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))


def test_demo_load_twice_leaves_same_rows(db):
    demo_load()
    first, first_history = snapshot(), history_counts()
    demo_load()
    assert snapshot() == first
    assert history_counts() == first_history
    assert counts(first) == EXPECTED_COUNTS


def test_load_demo_command_twice_leaves_same_rows(db):
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    assert counts(first) == EXPECTED_COUNTS


def test_snapshot_holds_both_languages_and_the_original_column(demo):
    (row,) = snapshot()["delegations.Delegation"]
    assert (row["title"], row["title_en"], row["title_fr"]) == (
        "Delegation of the Irkutsk region to France",
        "Delegation of the Irkutsk region to France",
        "Délégation de la région d'Irkoutsk en France",
    )


def test_demo_load_in_french_leaves_the_same_rows_as_in_english(transactional_db, monkeypatch):
    """The active language changes neither the lookups nor any column, the original `title` included
    (modeltranslation would save the active language's text there)."""
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)  # the same created_at / updated_at in both runs
    # Primary keys start from 1 in both runs (earlier tests may have moved PostgreSQL's sequences on).
    call_command("flush", interactive=False, verbosity=0)
    with translation.override("en"):
        demo_load()
    english = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    with translation.override("fr"):
        demo_load()
    assert snapshot() == english
    assert counts(english) == EXPECTED_COUNTS


def test_demo_load_in_french_over_english_rows_changes_nothing(demo):
    first = snapshot()
    with translation.override("fr"):
        demo_load()
        call_command("load_demo", stdout=StringIO())
    assert snapshot() == first


def test_load_demo_command_prints_one_line_summary(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue() == (
        "Loaded “Delegation of the Irkutsk region to France”: members 5, itinerary items 12, meetings 5, "
        "agreements 1, follow-ups 5.\n"
    )


def test_load_demo_command_silent_at_verbosity_0(db):
    out = StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_demo_restores_a_fact_changed_by_hand(demo):
    Delegation.objects.filter(pk=demo.pk).update(end_date=NOV[28], is_published=False)
    demo_load()
    demo.refresh_from_db()
    assert (demo.end_date, demo.is_published) == (NOV[29], True)


def test_demo_rows_pass_model_validation(demo):
    for model in domain_models():
        if not model._meta.auto_created:
            for obj in model.objects.all():
                obj.full_clean()


def test_demo_delegation_holds_the_visit(demo):
    assert demo.title == "Delegation of the Irkutsk region to France"
    assert (demo.start_date, demo.end_date) == (NOV[26], NOV[29])
    assert (demo.origin_country.code, demo.origin_region) == ("RU", "Irkutsk region")
    assert [country.code for country in demo.host_countries] == ["FR"]
    assert demo.home_time_zone == "Asia/Irkutsk"
    assert demo.is_published is True
    assert demo.status == Delegation.Status.COMPLETED
    assert demo.organiser.name == "Government of the Irkutsk region"
    assert demo.leading_body == demo.organiser
    assert names(demo.supporting_organizations) == ["CCI France Russie"]
    assert sorted(demo.priority_sectors.values_list("slug", flat=True)) == [
        "education",
        "health",
        "tourism",
        "wood-processing",
    ]
    assert "the source does not name them" in demo.description


def test_demo_government_is_russian_with_native_name(demo):
    government = demo.organiser
    assert (government.native_name, government.kind) == ("Правительство Иркутской области", "government")
    assert (government.country.code, government.city) == ("RU", "Irkutsk")
    assert sorted(government.children.values_list("name", flat=True)) == [
        "Agency for Tourism Development of the Irkutsk region",
        "Ministry of Economic Development of the Irkutsk region",
        "Ministry of Health of the Irkutsk region",
    ]


def test_demo_members_have_names_roles_and_titles(demo):
    members = [
        (m.person.name, m.person.native_name, m.role, m.title, m.organization.name, m.person.is_public)
        for m in demo.members.select_related("person", "organization")
    ]
    government = "Government of the Irkutsk region"
    assert members == [
        ("Sergueï Levtchenko", "Сергей Левченко", "head", "Governor of the Irkutsk region", government, True),
        (
            "Evgueni Oratchevski",
            "Евгений Орачевский",
            "minister",
            "Minister of Economic Development of the Irkutsk region",
            "Ministry of Economic Development of the Irkutsk region",
            True,
        ),
        (
            "Oleg Iarochenko",
            "Олег Ярошенко",
            "minister",
            "Minister of Health of the Irkutsk region",
            "Ministry of Health of the Irkutsk region",
            True,
        ),
        (
            "Ekaterina Silvina",
            "Екатерина Сильвина",
            "agency_director",
            "Director of the Agency for Tourism Development of the Irkutsk region",
            "Agency for Tourism Development of the Irkutsk region",
            True,
        ),
        (
            "Elena Ilina",
            "Елена Ильина",
            "official",
            "Director of the Department for the Development of International and Trade Cooperation",
            government,
            True,
        ),
    ]


def test_demo_members_hold_their_title_as_position(demo):
    for member in demo.members.select_related("person", "organization"):
        assert member.person.positions.filter(organization=member.organization, title=member.title).count() == 1


def test_demo_head_is_levtchenko_under_one_spelling(demo):
    head = demo.head
    assert head.role == DelegationMember.Role.HEAD
    assert head.person.name == "Sergueï Levtchenko"
    assert head.person.other_names == "Sergeï Levtchenko, Sergey Levchenko"
    assert Person.objects.filter(name__icontains="Levtchenko").count() == 1
    assert Person.objects.filter(name="Sergeï Levtchenko").exists() is False
    assert list(Person.objects.search("Sergeï Levtchenko")) == [head.person]


def test_demo_host_people_are_public_with_positions(demo):
    positions = {
        person.name: sorted(f"{p.title} @ {p.organization.name}" for p in person.positions.all())
        for person in Person.objects.filter(
            slug__in=("alexei-mechkov", "gerard-longuet", "jean-pierre-thomas", "david-kimelfeld")
        ).prefetch_related("positions__organization")
        if person.is_public
    }
    assert positions == {
        "Alexeï Mechkov": [
            "Ambassador Extraordinary and Plenipotentiary of Russia to France @ Embassy of Russia in France"
        ],
        "Gérard Longuet": [
            "President of the France–Russia friendship group at the Senate @ French Senate",
            "Senator of the Meuse @ French Senate",
        ],
        "Jean-Pierre Thomas": ["President of Thomas Vendôme Investment @ Thomas Vendôme Investment"],
        "David Kimelfeld": ["President of the Lyon Metropolis @ Lyon Metropolis"],
    }


def test_demo_items_per_day_and_city(demo):
    programme = [(i.day, i.city, i.kind, i.title) for i in demo.itinerary_items.all()]
    assert programme == [
        (NOV[26], "Paris", "official_meeting", "Meeting with the Russian Ambassador to France"),
        (NOV[26], "Paris", "official_meeting", "Investment discussion with Senator Gérard Longuet"),
        (NOV[27], "Paris", "conference", "Presentation of the investment potential of the Irkutsk region"),
        (NOV[27], "Paris", "b2b_session", "B2B meetings after the presentation"),
        (NOV[27], "Paris", "signing", "Signing of the tripartite agreement"),
        (NOV[28], "Lyon", "travel", "Transfer from Paris to Lyon"),
        (NOV[28], "Lyon", "official_meeting", "Welcome by David Kimelfeld, President of the Lyon Metropolis"),
        (NOV[28], "Lyon", "conference", "Second presentation of the investment potential"),
        (NOV[28], "Lyon", "b2b_session", "B2B meetings with the largest companies of the region"),
        (NOV[28], "Lyon", "trade_fair", "Pollutec 2018 — plenary session"),
        (NOV[29], "Lyon", "b2b_session", "Meetings with health-sector companies"),
        (NOV[29], "Lyon", "site_visit", "Visit to the Centre Léon-Bérard"),
    ]


def test_demo_items_have_no_times(demo):
    times = set(demo.itinerary_items.values_list("start_time", "end_time", "starts_at", "ends_at"))
    assert times == {(None, None, None, None)}
    assert set(demo.itinerary_items.values_list("time_zone", flat=True)) == {"Europe/Paris"}


def test_demo_items_without_place_say_so(demo):
    without_venue = demo.itinerary_items.filter(venue=None).exclude(kind=ItineraryItem.Kind.TRAVEL)
    assert without_venue.count() == 6
    for without in without_venue:
        assert "does not say where" in without.description or "Nor does it say where" in without.description


def test_demo_lyon_items_say_the_day_is_not_given(demo):
    for lyon in demo.itinerary_items.filter(city="Lyon"):
        assert "28 or 29 November" in lyon.description or "neither the day" in lyon.description


def test_demo_ambassador_meeting_hosts_mechkov(demo):
    meeting = item(demo, "Meeting with the Russian Ambassador to France")
    assert meeting.venue is None
    assert names(meeting.hosts) == ["Embassy of Russia in France"]
    assert names(meeting.host_participants) == ["Alexeï Mechkov"]
    assert meeting.delegation_participants.count() == 5


def test_demo_longuet_meeting_at_the_senate(demo):
    meeting = item(demo, "Investment discussion with Senator Gérard Longuet")
    assert str(meeting.venue) == "Palais du Luxembourg (French Senate), Paris"
    assert meeting.venue.organization.name == "French Senate"
    assert names(meeting.hosts) == ["Dalkia", "Dark to Green Partners", "French Senate", "Thomas Vendôme Investment"]
    assert names(meeting.host_participants) == ["Gérard Longuet", "Jean-Pierre Thomas"]


def test_demo_paris_presentation_more_than_100(demo):
    presentation = item(demo, "Presentation of the investment potential of the Irkutsk region")
    assert presentation.audience_display == "more than 100"
    assert presentation.venue.name == "Russian Trade Representation in France"
    assert presentation.venue.address == "49 rue de la Faisanderie, 75116"
    assert names(presentation.delegation_participants) == ["Sergueï Levtchenko"]
    assert "Abiss and Arbiom" in presentation.description


def test_demo_paris_b2b_reports_12_meetings(demo):
    session = item(demo, "B2B meetings after the presentation")
    assert session.reported_meetings == 12
    assert session.venue.name == "Russian Trade Representation in France"
    assert session.meetings.count() == 0


def test_demo_lyon_b2b_reports_no_count(demo):
    assert item(demo, "B2B meetings with the largest companies of the region").reported_meetings is None


def test_demo_lyon_presentation_hosts(demo):
    presentation = item(demo, "Second presentation of the investment potential")
    assert names(presentation.hosts) == [
        "Auvergne-Rhône-Alpes Regional Council",
        "CCI Auvergne-Rhône-Alpes",
        "CCI Lyon Métropole",
    ]


def test_demo_pollutec_at_eurexpo_lyon(demo):
    pollutec = item(demo, "Pollutec 2018 — plenary session")
    assert pollutec.kind == ItineraryItem.Kind.TRADE_FAIR
    assert (pollutec.venue.name, pollutec.venue.city, pollutec.venue.address) == (
        "Eurexpo Lyon",
        "Lyon",
        "Boulevard de l'Europe, 69680 Chassieu",
    )
    assert names(pollutec.hosts) == ["Pollutec"]
    assert "3rd Baikal International Ecological Water Forum" in pollutec.description


def test_demo_travel_item_present(demo):
    travel = demo.itinerary_items.get(kind=ItineraryItem.Kind.TRAVEL)
    assert (travel.title, travel.day, travel.city, travel.venue) == (
        "Transfer from Paris to Lyon",
        NOV[28],
        "Lyon",
        None,
    )
    assert "neither the day, the time nor the means of transport" in travel.description


def test_demo_leon_berard_visit(demo):
    visit = item(demo, "Visit to the Centre Léon-Bérard")
    assert (visit.kind, visit.day, visit.venue.address) == ("site_visit", NOV[29], "28 rue Laennec, 69008")
    assert names(visit.hosts) == ["Centre Léon-Bérard"]
    assert names(visit.delegation_participants) == ["Oleg Iarochenko", "Sergueï Levtchenko"]


def test_demo_venues_are_in_paris_time(demo):
    venues = {
        (i.venue.name, i.venue.city, i.venue.country.code, i.venue.time_zone)
        for i in demo.itinerary_items.exclude(venue=None).select_related("venue")
    }
    assert venues == {
        ("Palais du Luxembourg (French Senate)", "Paris", "FR", "Europe/Paris"),
        ("Russian Trade Representation in France", "Paris", "FR", "Europe/Paris"),
        ("Eurexpo Lyon", "Lyon", "FR", "Europe/Paris"),
        ("Centre Léon-Bérard", "Lyon", "FR", "Europe/Paris"),
    }


def test_demo_tripartite_agreement(demo):
    agreement = demo.agreements.get()
    assert agreement.kind == Agreement.Kind.TRIPARTITE
    assert agreement.status == Agreement.Status.SIGNED
    assert (agreement.signed_on, agreement.place) == (NOV[27], "Paris")
    assert agreement.signing_item == item(demo, "Signing of the tripartite agreement")
    assert [(p.organization.name, p.signatory) for p in agreement.parties.select_related("organization")] == [
        ("Fund of UNESCO Nanotechnology Prize Laureates", None),
        ("French pedagogical institute (not named in the source)", None),
        ("Insitilab LLC (International Communication Centre “STEM Baikal”)", None),
    ]
    assert agreement.signing_item.venue is None


def test_demo_follow_ups(demo):
    follow_ups = {
        f.title: (f.kind, f.status, f.sector.slug, names(f.organizations), f.itinerary_item.title, f.due_date)
        for f in demo.follow_ups.select_related("sector", "itinerary_item")
    }
    presentation = "Presentation of the investment potential of the Irkutsk region"
    assert follow_ups == {
        "Abiss: production of medical equipment in the Irkutsk region": (
            "investment_project",
            "in_negotiation",
            "health",
            ["Abiss"],
            presentation,
            None,
        ),
        "Arbiom: transforming woody biomass into protein in the Irkutsk region": (
            "investment_project",
            "in_negotiation",
            "biotech",
            ["Arbiom"],
            presentation,
            None,
        ),
        "3rd Baikal International Ecological Water Forum, 19–20 September 2019": (
            "invitation",
            "proposed",
            "environment-water",
            ["Government of the Irkutsk region"],
            "Pollutec 2018 — plenary session",
            datetime.date(2019, 9, 19),
        ),
        "Visit of a group of Irkutsk doctors to the Centre Léon-Bérard": (
            "planned_visit",
            "agreed",
            "health",
            ["Centre Léon-Bérard", "Ministry of Health of the Irkutsk region"],
            "Visit to the Centre Léon-Bérard",
            None,
        ),
        "Health companies considering the Irkutsk region": (
            "partnership",
            "proposed",
            "health",
            HEALTH_COMPANIES,
            "Meetings with health-sector companies",
            None,
        ),
    }
    assert demo.follow_ups.get(kind=FollowUp.Kind.PLANNED_VISIT).next_step == "Organise the doctors' visit"


def test_demo_health_meetings(demo):
    session = item(demo, "Meetings with health-sector companies")
    meetings = demo.meetings.select_related("host_organization", "delegation_organization", "sector", "session")
    assert sorted(m.host_organization.name for m in meetings) == HEALTH_COMPANIES
    partnership = demo.follow_ups.get(kind=FollowUp.Kind.PARTNERSHIP)
    for meeting in meetings:
        assert meeting.session == session
        assert (meeting.date, meeting.start_time, meeting.end_time, meeting.starts_at) == (NOV[29], None, None, None)
        assert (meeting.venue, meeting.city, meeting.time_zone) == (None, "Lyon", "Europe/Paris")
        assert meeting.delegation_organization.name == "Government of the Irkutsk region"
        assert (meeting.sector.slug, meeting.status) == ("health", Meeting.Status.HELD)
        assert meeting.outcome == "Considering the Irkutsk region as a location for its activities."
        assert meeting.follow_up_expected is True
        assert list(meeting.follow_ups.all()) == [partnership]


def test_demo_organization_slugs_and_countries(demo):
    assert Organization.objects.count() == len(set(Organization.objects.values_list("slug", flat=True)))
    assert Organization.objects.get(slug="insitilab").country.code == "RU"
    assert Organization.objects.get(slug="centre-leon-berard").country.code == "FR"


# English and French content


FRENCH_PROGRAMME = [
    "Rencontre avec l'Ambassadeur de Russie en France",
    "Discussion des possibilités d'investissement avec le sénateur Gérard Longuet",
    "Présentation du potentiel d'investissement de la région d'Irkoutsk",
    "Rencontres B2B après la présentation",
    "Signature de l'accord tripartite",
    "Trajet de Paris à Lyon",
    "Accueil par David Kimelfeld, président de la Métropole de Lyon",
    "Deuxième présentation du potentiel d'investissement",
    "Rencontres B2B avec les plus grandes entreprises de la région",
    "Pollutec 2018 — session plénière",
    "Rencontres avec les entreprises du secteur de la santé",
    "Visite du Centre Léon-Bérard",
]
FRENCH_MEMBER_TITLES = [
    "gouverneur de la région d'Irkoutsk",
    "ministre du Développement économique",
    "ministre de la Santé",
    "directrice de l'Agence pour le développement touristique",
    "directrice du département pour le développement de la coopération internationale et commerciale",
]
FRENCH_SECTORS = {
    "wood-processing": "Transformation du bois",
    "tourism": "Tourisme",
    "education": "Éducation",
    "health": "Santé",
    "environment-water": "Environnement et eau",
    "energy": "Énergie",
    "nanotechnology": "Nanotechnologies",
    "biotech": "Biotechnologies",
}
FRENCH_FOLLOW_UPS = [
    "Abiss : production de matériel médical dans la région d'Irkoutsk",
    "Arbiom : transformation de la biomasse ligneuse en protéines dans la région d'Irkoutsk",
    "3e Baikal International Ecological Water Forum, 19 et 20 septembre 2019",
    "Visite d'un groupe de médecins d'Irkoutsk au Centre Léon-Bérard",
    "Entreprises de santé qui envisagent la région d'Irkoutsk",
]


def test_demo_reads_in_french(demo):
    with translation.override("fr"):
        demo = Delegation.objects.get(pk=demo.pk)
        assert (demo.title, demo.origin_region) == ("Délégation de la région d'Irkoutsk en France", "Région d'Irkoutsk")
        assert demo.purpose.startswith("Présenter le potentiel d'investissement de la région d'Irkoutsk")
        assert [i.title for i in demo.itinerary_items.all()] == FRENCH_PROGRAMME
        assert [m.title for m in demo.members.all()] == FRENCH_MEMBER_TITLES
        assert {s.slug: s.name for s in Sector.objects.all()} == FRENCH_SECTORS
        agreement = demo.agreements.get()
        assert agreement.title == (
            "Accord tripartite sur les échanges académiques et la promotion conjointe des produits éducatifs "
            "d'Insitilab en France"
        )
        assert agreement.subject.endswith("La source ne nomme pas les signataires.")
        assert [f.title for f in demo.follow_ups.order_by("pk")] == FRENCH_FOLLOW_UPS
        assert demo.follow_ups.get(kind=FollowUp.Kind.PLANNED_VISIT).next_step == "Organiser la visite des médecins"
        assert set(demo.meetings.values_list("outcome", flat=True)) == {
            "Envisage la région d'Irkoutsk pour l'implantation de ses activités."
        }


def test_demo_item_descriptions_in_french(demo):
    with translation.override("fr"):
        ambassador = item(demo, "Meeting with the Russian Ambassador to France")
        assert ambassador.description == (
            "Le premier jour, la délégation a rencontré l'Ambassadeur extraordinaire et plénipotentiaire de "
            "Russie en France, Alexeï Mechkov. La source ne précise pas le lieu de la rencontre."
        )
        assert item(demo, "B2B meetings after the presentation").description == (
            "12 rencontres B2B ont suivi la conférence. La source ne les détaille pas une à une."
        )
        presentation = item(demo, "Presentation of the investment potential of the Irkutsk region").description
        assert (
            "« Nous sommes prêts à conclure de nouveaux partenariats dans le secteur de la transformation du bois. "
            "La coopération dans les secteurs du tourisme, de l'éducation et de la médecine offre elle aussi de "
            "nombreuses perspectives. »"
        ) in presentation
        pollutec = item(demo, "Pollutec 2018 — plenary session").description
        assert "ce lac est une ressource unique, patrimoine non seulement de la Russie mais aussi de l'humanité. »" in (
            pollutec
        )
        assert "3e Baikal International Ecological Water Forum des 19 et 20 septembre 2019" in pollutec
        assert item(demo, "Transfer from Paris to Lyon").description.startswith(
            "La source ne décrit pas le trajet de Paris à Lyon : elle n'en donne ni le jour, ni l'heure, ni le "
            "moyen de transport."
        )


def test_demo_french_items_keep_the_notes_on_what_the_source_does_not_say(demo):
    with translation.override("fr"):
        without_venue = demo.itinerary_items.filter(venue=None).exclude(kind=ItineraryItem.Kind.TRAVEL)
        assert without_venue.count() == 6
        for without in without_venue:
            assert "ne précise pas le lieu" in without.description or (
                "ne précise ni le lieu" in without.description
                or "Elle ne précise pas non plus le lieu." in without.description
            )
        for lyon in demo.itinerary_items.filter(city="Lyon"):
            assert "le 28 ou le 29 novembre" in lyon.description or "ni le jour" in lyon.description
        assert item(demo, "Investment discussion with Senator Gérard Longuet").description.endswith(
            "La source ne précise pas le lieu de la rencontre ; elle est placée au Sénat, où siège Gérard Longuet."
        )
        assert item(demo, "Signing of the tripartite agreement").description.endswith(
            "La source ne précise ni le lieu de la signature ni les signataires."
        )
        assert item(demo, "Welcome by David Kimelfeld, President of the Lyon Metropolis").description.endswith(
            "La source ne précise pas si c'était le 28 ou le 29 novembre. Elle ne précise pas non plus le lieu."
        )


def test_demo_french_positions_open_with_a_capital(demo):
    with translation.override("fr"):
        titles = sorted(Position.objects.values_list("title", flat=True))
        assert titles == [
            "Ambassadeur extraordinaire et plénipotentiaire de Russie en France",
            "Directrice de l'Agence pour le développement touristique",
            "Directrice du département pour le développement de la coopération internationale et commerciale",
            "Gouverneur de la région d'Irkoutsk",
            "Ministre de la Santé",
            "Ministre du Développement économique",
            "Président de Thomas Vendôme Investment",
            "Président de la Métropole de Lyon",
            "Président du groupe France-Russie au Sénat",
            "Sénateur de la Meuse",
        ]
        for member in demo.members.all():
            position = member.person.positions.get(organization=member.organization)
            assert (position.title_en, position.title_fr) == (member.title_en, capfirst(member.title_fr))


def test_demo_reads_in_english(demo):
    with translation.override("en"):
        demo = Delegation.objects.get(pk=demo.pk)
        assert (demo.title, demo.origin_region) == ("Delegation of the Irkutsk region to France", "Irkutsk region")
        titles = [i.title for i in demo.itinerary_items.all()]
        assert titles[0] == "Meeting with the Russian Ambassador to France"
        assert titles[-1] == "Visit to the Centre Léon-Bérard"
        assert item(demo, "Meeting with the Russian Ambassador to France").description.endswith(
            "The source does not say where the meeting took place."
        )
        assert [m.title for m in demo.members.all()][:2] == [
            "Governor of the Irkutsk region",
            "Minister of Economic Development of the Irkutsk region",
        ]
        assert {s.slug: s.name for s in Sector.objects.all()}["wood-processing"] == "Wood processing"
        assert {s.slug: s.name for s in Sector.objects.all()}["biotech"] == "Biotech"
        assert demo.agreements.get().title.startswith("Tripartite agreement on academic exchanges")
        assert demo.follow_ups.order_by("pk").first().title == (
            "Abiss: production of medical equipment in the Irkutsk region"
        )
        assert demo.meetings.first().outcome == "Considering the Irkutsk region as a location for its activities."


def get(client, url: str, language: str):
    """The page as a browser asking for `language` gets it. LocaleMiddleware leaves the request's language
    active in the test's thread: the override puts the previous one back. It starts from English so that
    the Accept-Language header is what picks French."""
    with translation.override("en"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_itinerary_page_in_french_shows_french_content(client, demo):
    response = get(client, reverse("public:visit-detail", args=[demo.slug]), "fr")
    assertContains(response, '<html lang="fr">')
    assertContains(response, escape("Délégation de la région d'Irkoutsk en France"))
    assertContains(response, escape("Rencontre avec l'Ambassadeur de Russie en France"))
    assertContains(response, "Pollutec 2018 — session plénière")
    assertContains(response, escape(", gouverneur de la région d'Irkoutsk") + "</dd>")  # head of delegation
    assertContains(response, escape("Chef de délégation · gouverneur de la région d'Irkoutsk"))
    assertContains(response, '<span class="member-role">ministre du Développement économique</span>', html=True)
    assertContains(response, "La source ne précise pas")
    assertNotContains(response, "Meeting with the Russian Ambassador to France")
    assertNotContains(response, "Governor of the Irkutsk region")


def test_itinerary_page_in_english_shows_english_content(client, demo):
    response = get(client, reverse("public:visit-detail", args=[demo.slug]), "en")
    assertContains(response, "Meeting with the Russian Ambassador to France")
    assertContains(response, "Governor of the Irkutsk region")
    assertNotContains(response, escape("Rencontre avec l'Ambassadeur de Russie en France"))


def test_outcomes_page_in_french_shows_french_agreement_and_follow_ups(client, demo):
    response = get(client, reverse("public:visit-outcomes", args=[demo.slug]), "fr")
    assertContains(response, escape("Accord tripartite sur les échanges académiques"))
    for title in FRENCH_FOLLOW_UPS:
        assertContains(response, escape(title))


def translated_texts(node) -> list[dict]:
    """Every translated text of the demo file ({"en": …, "fr": …, …}), in file order."""
    if isinstance(node, dict):
        if "en" in node:
            return [node]
        return [text for value in node.values() for text in translated_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in translated_texts(value)]
    return []


def test_demo_file_gives_every_translated_text_in_each_language_of_the_site():
    texts = translated_texts(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
    assert len(texts) == 69
    languages = {code for code, _name in settings.LANGUAGES}
    assert [text["en"] for text in texts if set(text) != languages or not all(text.values())] == []


def test_demo_reads_in_russian(demo):
    with translation.override("ru"):
        demo = Delegation.objects.get(pk=demo.pk)
        assert (demo.title, demo.origin_region) == ("Делегация Иркутской области во Франции", "Иркутская область")
        assert demo.purpose.startswith("Представить инвестиционный потенциал Иркутской области в Париже и Лионе")
        titles = [i.title for i in demo.itinerary_items.all()]
        assert (titles[0], titles[-1]) == ("Встреча с Послом России во Франции", "Посещение Центра Леона Берара")
        assert [m.title for m in demo.members.all()] == [
            "губернатор Иркутской области",
            "министр экономического развития Иркутской области",
            "министр здравоохранения Иркутской области",
            "руководитель агентства по развитию туризма Иркутской области",
            "директор департамента по развитию международного и торгового сотрудничества",
        ]
        assert Sector.objects.get(slug="wood-processing").name == "Деревообработка"
        assert demo.agreements.get().subject.endswith("Источник не называет подписантов.")
        assert demo.follow_ups.get(kind=FollowUp.Kind.PLANNED_VISIT).next_step == "Организовать визит врачей"
        assert set(demo.meetings.values_list("outcome", flat=True)) == {
            "Рассматривает Иркутскую область как место для своей деятельности."
        }
        for member in demo.members.all():  # a position opens a line, a member's title follows a name
            position = member.person.positions.get(organization=member.organization)
            assert position.title_ru == capfirst(member.title_ru)


def test_demo_russian_quotes_say_they_are_translated_back_from_french(demo):
    with translation.override("ru"):
        quoted = [
            i for i in demo.itinerary_items.all() if "«Мы готовы" in i.description or "«Для нашего" in i.description
        ]
        assert len(quoted) == 2
        assert all("(цитата в обратном переводе с французского)" in i.description for i in quoted)


def test_itinerary_page_in_russian_shows_russian_content(client, demo):
    response = get(client, reverse("public:visit-detail", args=[demo.slug]), "ru")
    assertContains(response, '<html lang="ru">')
    assertContains(response, "<h1>Делегация Иркутской области во Франции</h1>", html=True)
    assertContains(response, "Руководитель делегации · губернатор Иркутской области")
    assertContains(response, "Pollutec 2018 — пленарное заседание")
    assertContains(response, "(Сергей Левченко)")  # the native name beside the Latin one, as in every language
    assertNotContains(response, "Meeting with the Russian Ambassador to France")
    assertNotContains(response, "Governor of the Irkutsk region")
