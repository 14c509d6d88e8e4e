"""The demo visit: the Irkutsk region delegation in Paris and Lyon, 26–29 November 2018.

Every fact comes from the French press release in the project's shared sources
(irkutsk-delegation-france-2018.fr.txt). Where it gives no time, times are empty;
where it gives no exact day or place, the item's description says so.

Translated fields (django-modeltranslation) are written column by column: the English text into
`<field>_en`, the French into `<field>_fr`, the French keeping the source's own wording and quoting
it verbatim. Rows are looked up on the English column (`title_en`), never on `title`, whose meaning
follows the active language.
"""

import datetime
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import translation

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting

M = TypeVar("M", bound=models.Model)

DELEGATION_SLUG = "irkutsk-region-france-2018"
PARIS = "Europe/Paris"
NOV_26, NOV_27, NOV_28, NOV_29 = (datetime.date(2018, 11, day) for day in (26, 27, 28, 29))
DAY_NOT_GIVEN = "The source does not say on which day in Lyon (28 or 29 November) this took place."
DAY_NOT_GIVEN_FR = "La source ne précise pas si c'était le 28 ou le 29 novembre."

# slug: (English name, French name)
SECTORS = {
    "wood-processing": ("Wood processing", "Transformation du bois"),
    "tourism": ("Tourism", "Tourisme"),
    "education": ("Education", "Éducation"),
    "health": ("Health", "Santé"),
    "environment-water": ("Environment and water", "Environnement et eau"),
    "energy": ("Energy", "Énergie"),
    "nanotechnology": ("Nanotechnology", "Nanotechnologies"),
    "biotech": ("Biotech", "Biotechnologies"),
}

GOVERNMENT = "government-irkutsk-region"

# In dependency order: a parent comes before its children.
ORGANIZATIONS: tuple[dict[str, Any], ...] = (
    {
        "slug": GOVERNMENT,
        "name": "Government of the Irkutsk region",
        "native_name": "Правительство Иркутской области",
        "kind": Organization.Kind.GOVERNMENT,
        "country": "RU",
        "city": "Irkutsk",
    },
    {
        "slug": "ministry-economic-development-irkutsk-region",
        "name": "Ministry of Economic Development of the Irkutsk region",
        "native_name": "Министерство экономического развития Иркутской области",
        "kind": Organization.Kind.MINISTRY,
        "country": "RU",
        "city": "Irkutsk",
        "parent": GOVERNMENT,
    },
    {
        "slug": "ministry-health-irkutsk-region",
        "name": "Ministry of Health of the Irkutsk region",
        "native_name": "Министерство здравоохранения Иркутской области",
        "kind": Organization.Kind.MINISTRY,
        "country": "RU",
        "city": "Irkutsk",
        "parent": GOVERNMENT,
        "sectors": ("health",),
    },
    {
        "slug": "agency-tourism-development-irkutsk-region",
        "name": "Agency for Tourism Development of the Irkutsk region",
        "kind": Organization.Kind.AGENCY,
        "country": "RU",
        "city": "Irkutsk",
        "parent": GOVERNMENT,
        "sectors": ("tourism",),
    },
    {
        "slug": "cci-france-russie",
        "name": "CCI France Russie",
        "kind": Organization.Kind.CHAMBER,
        "description": "Franco-Russian Chamber of Commerce and Industry. Supported the organisation of the visit.",
    },
    {
        "slug": "embassy-russia-france",
        "name": "Embassy of Russia in France",
        "kind": Organization.Kind.EMBASSY,
        "country": "FR",
        "city": "Paris",
    },
    {
        "slug": "russian-trade-representation-france",
        "name": "Russian Trade Representation in France",
        "kind": Organization.Kind.EMBASSY,
        "country": "FR",
        "city": "Paris",
    },
    {
        "slug": "french-senate",
        "name": "French Senate",
        "native_name": "Sénat",
        "kind": Organization.Kind.PARLIAMENT,
        "country": "FR",
        "city": "Paris",
    },
    {
        "slug": "thomas-vendome-investment",
        "name": "Thomas Vendôme Investment",
        "kind": Organization.Kind.COMPANY,
        "country": "FR",
    },
    {
        "slug": "dalkia",
        "name": "Dalkia",
        "kind": Organization.Kind.COMPANY,
        "country": "FR",
        "description": "Its representatives (not named in the source) took part in the meeting with Gérard Longuet.",
    },
    {
        "slug": "dark-to-green-partners",
        "name": "Dark to Green Partners",
        "kind": Organization.Kind.COMPANY,
        "country": "FR",
        "description": "Its representatives (not named in the source) took part in the meeting with Gérard Longuet.",
    },
    {
        "slug": "metropole-de-lyon",
        "name": "Lyon Metropolis",
        "native_name": "Métropole de Lyon",
        "kind": Organization.Kind.LOCAL_AUTHORITY,
        "country": "FR",
        "city": "Lyon",
    },
    {
        "slug": "auvergne-rhone-alpes-regional-council",
        "name": "Auvergne-Rhône-Alpes Regional Council",
        "native_name": "Conseil régional Auvergne-Rhône-Alpes",
        "kind": Organization.Kind.LOCAL_AUTHORITY,
        "country": "FR",
        "city": "Lyon",
    },
    {
        "slug": "cci-lyon-metropole",
        "name": "CCI Lyon Métropole",
        "kind": Organization.Kind.CHAMBER,
        "country": "FR",
        "city": "Lyon",
        "description": "Called “CCI de Lyon” in the source.",
    },
    {
        "slug": "cci-auvergne-rhone-alpes",
        "name": "CCI Auvergne-Rhône-Alpes",
        "kind": Organization.Kind.CHAMBER,
        "country": "FR",
        "city": "Lyon",
        "description": "Called “CCI de la région Auvergne-Rhône-Alpes” in the source.",
    },
    {
        "slug": "pollutec",
        "name": "Pollutec",
        "kind": Organization.Kind.EVENT,
        "country": "FR",
        "city": "Lyon",
        "sectors": ("environment-water", "energy"),
        "description": "International trade fair for environmental and energy equipment, technologies and services.",
    },
    {
        "slug": "eurexpo-lyon",
        "name": "Eurexpo Lyon",
        "kind": Organization.Kind.EVENT,
        "country": "FR",
        "city": "Lyon",
        "description": "Exhibition centre at Chassieu, Lyon; venue of Pollutec.",
    },
    {
        "slug": "abiss",
        "name": "Abiss",
        "kind": Organization.Kind.COMPANY,
        "country": "FR",
        "sectors": ("health",),
        "description": "French company negotiating to open a site in the Irkutsk region to produce medical equipment.",
    },
    {
        "slug": "arbiom",
        "name": "Arbiom",
        "kind": Organization.Kind.COMPANY,
        "country": "FR",
        "sectors": ("biotech", "wood-processing"),
        "description": (
            "French company negotiating to open a site in the Irkutsk region for a project transforming "
            "woody biomass into protein."
        ),
    },
    *(
        {
            "slug": slug,
            "name": name,
            "kind": Organization.Kind.COMPANY,
            "country": "FR",
            "sectors": ("health",),
            "description": "Health-sector company; met the delegation in Lyon.",
        }
        for slug, name in (
            ("eastmed", "Eastmed"),
            ("atf-implants", "ATF Implants"),
            ("luxilon", "Luxilon"),
            ("dedienne-sante", "Dedienne Santé"),
            ("symbios", "Symbios"),
        )
    ),
    {
        "slug": "centre-leon-berard",
        "name": "Centre Léon-Bérard",
        "kind": Organization.Kind.HOSPITAL,
        "country": "FR",
        "city": "Lyon",
        "sectors": ("health",),
        "description": "Cancer centre (centre de lutte contre le cancer) in Lyon.",
    },
    {
        "slug": "fund-unesco-nanotechnology-prize-laureates",
        "name": "Fund of UNESCO Nanotechnology Prize Laureates",
        "kind": Organization.Kind.FUND,
        "sectors": ("nanotechnology",),
        "description": "Party to the tripartite agreement signed on 27 November 2018.",
    },
    {
        "slug": "french-pedagogical-institute-unnamed",
        "name": "French pedagogical institute (not named in the source)",
        "kind": Organization.Kind.INSTITUTE,
        "country": "FR",
        "sectors": ("education",),
        "description": (
            "The source calls it only “a French pedagogical institute”, party to the tripartite agreement "
            "signed on 27 November 2018."
        ),
    },
    {
        "slug": "insitilab",
        "name": "Insitilab LLC (International Communication Centre “STEM Baikal”)",
        "kind": Organization.Kind.COMPANY,
        "country": "RU",
        "sectors": ("education",),
        "description": "Party to the tripartite agreement signed on 27 November 2018; its educational products are "
        "to be promoted on the French education market.",
    },
)

# Names as the source transliterates them (French); positions as held during the visit, as
# (organization, English title, French title). A position's title opens its line on a person's page,
# so the French one is capitalised like the English; as a delegation member's title (MEMBERS) it
# follows a name or role, and is written in lower case as in the source.
PEOPLE: tuple[dict[str, Any], ...] = (
    {
        "slug": "serguei-levtchenko",
        "name": "Sergueï Levtchenko",
        "native_name": "Сергей Левченко",
        "other_names": "Sergeï Levtchenko, Sergey Levchenko",
        "positions": ((GOVERNMENT, "Governor of the Irkutsk region", "Gouverneur de la région d'Irkoutsk"),),
    },
    {
        "slug": "evgueni-oratchevski",
        "name": "Evgueni Oratchevski",
        "native_name": "Евгений Орачевский",
        "other_names": "Evgeny Orachevsky",
        "positions": (
            (
                "ministry-economic-development-irkutsk-region",
                "Minister of Economic Development of the Irkutsk region",
                "Ministre du Développement économique",
            ),
        ),
    },
    {
        "slug": "oleg-iarochenko",
        "name": "Oleg Iarochenko",
        "native_name": "Олег Ярошенко",
        "other_names": "Oleg Yaroshenko",
        "positions": (
            ("ministry-health-irkutsk-region", "Minister of Health of the Irkutsk region", "Ministre de la Santé"),
        ),
    },
    {
        "slug": "ekaterina-silvina",
        "name": "Ekaterina Silvina",
        "native_name": "Екатерина Сильвина",
        "positions": (
            (
                "agency-tourism-development-irkutsk-region",
                "Director of the Agency for Tourism Development of the Irkutsk region",
                "Directrice de l'Agence pour le développement touristique",
            ),
        ),
    },
    {
        "slug": "elena-ilina",
        "name": "Elena Ilina",
        "native_name": "Елена Ильина",
        "other_names": "Elena Ilyina",
        "positions": (
            (
                GOVERNMENT,
                "Director of the Department for the Development of International and Trade Cooperation",
                "Directrice du département pour le développement de la coopération internationale et commerciale",
            ),
        ),
    },
    {
        "slug": "alexei-mechkov",
        "name": "Alexeï Mechkov",
        "native_name": "Алексей Мешков",
        "other_names": "Alexey Meshkov",
        "positions": (
            (
                "embassy-russia-france",
                "Ambassador Extraordinary and Plenipotentiary of Russia to France",
                "Ambassadeur extraordinaire et plénipotentiaire de Russie en France",
            ),
        ),
    },
    {
        "slug": "gerard-longuet",
        "name": "Gérard Longuet",
        "positions": (
            ("french-senate", "Senator of the Meuse", "Sénateur de la Meuse"),
            (
                "french-senate",
                "President of the France–Russia friendship group at the Senate",
                "Président du groupe France-Russie au Sénat",
            ),
        ),
    },
    {
        "slug": "jean-pierre-thomas",
        "name": "Jean-Pierre Thomas",
        "positions": (
            (
                "thomas-vendome-investment",
                "President of Thomas Vendôme Investment",
                "Président de Thomas Vendôme Investment",
            ),
        ),
    },
    {
        "slug": "david-kimelfeld",
        "name": "David Kimelfeld",
        "positions": (("metropole-de-lyon", "President of the Lyon Metropolis", "Président de la Métropole de Lyon"),),
    },
)

# (person, role, organization represented, English title, French title during the visit), in the source's order.
MEMBERS = (
    (
        "serguei-levtchenko",
        DelegationMember.Role.HEAD,
        GOVERNMENT,
        "Governor of the Irkutsk region",
        "gouverneur de la région d'Irkoutsk",
    ),
    (
        "evgueni-oratchevski",
        DelegationMember.Role.MINISTER,
        "ministry-economic-development-irkutsk-region",
        "Minister of Economic Development of the Irkutsk region",
        "ministre du Développement économique",
    ),
    (
        "oleg-iarochenko",
        DelegationMember.Role.MINISTER,
        "ministry-health-irkutsk-region",
        "Minister of Health of the Irkutsk region",
        "ministre de la Santé",
    ),
    (
        "ekaterina-silvina",
        DelegationMember.Role.AGENCY_DIRECTOR,
        "agency-tourism-development-irkutsk-region",
        "Director of the Agency for Tourism Development of the Irkutsk region",
        "directrice de l'Agence pour le développement touristique",
    ),
    (
        "elena-ilina",
        DelegationMember.Role.OFFICIAL,
        GOVERNMENT,
        "Director of the Department for the Development of International and Trade Cooperation",
        "directrice du département pour le développement de la coopération internationale et commerciale",
    ),
)
ALL_MEMBERS = tuple(member[0] for member in MEMBERS)

VENUES: dict[str, dict[str, Any]] = {
    "senate": {
        "name": "Palais du Luxembourg (French Senate)",
        "address": "15 rue de Vaugirard, 75006",
        "city": "Paris",
        "organization": "french-senate",
    },
    "trade-representation": {
        "name": "Russian Trade Representation in France",
        "address": "49 rue de la Faisanderie, 75116",
        "city": "Paris",
        "organization": "russian-trade-representation-france",
    },
    # Eurexpo is at Chassieu, on the edge of Lyon: the city stays Lyon so that the programme reads Paris / Lyon.
    "eurexpo": {
        "name": "Eurexpo Lyon",
        "address": "Boulevard de l'Europe, 69680 Chassieu",
        "city": "Lyon",
        "organization": "eurexpo-lyon",
    },
    "leon-berard": {
        "name": "Centre Léon-Bérard",
        "address": "28 rue Laennec, 69008",
        "city": "Lyon",
        "organization": "centre-leon-berard",
    },
}

# In programme order; each item's `order` is its rank within its day. The source gives no times.
# Titles and descriptions in English (`_en`) and French (`_fr`); the French quotes are the source's own words.
ITEMS: dict[str, dict[str, Any]] = {
    "ambassador": {
        "day": NOV_26,
        "kind": ItineraryItem.Kind.OFFICIAL_MEETING,
        "title_en": "Meeting with the Russian Ambassador to France",
        "title_fr": "Rencontre avec l'Ambassadeur de Russie en France",
        "city": "Paris",
        "description_en": (
            "On the first day the delegation met Alexeï Mechkov, Ambassador Extraordinary and Plenipotentiary "
            "of Russia to France. The source does not say where the meeting took place."
        ),
        "description_fr": (
            "Le premier jour, la délégation a rencontré l'Ambassadeur extraordinaire et plénipotentiaire de "
            "Russie en France, Alexeï Mechkov. La source ne précise pas le lieu de la rencontre."
        ),
        "hosts": ("embassy-russia-france",),
        "host_participants": ("alexei-mechkov",),
        "delegation_participants": ALL_MEMBERS,
    },
    "longuet": {
        "day": NOV_26,
        "kind": ItineraryItem.Kind.OFFICIAL_MEETING,
        "title_en": "Investment discussion with Senator Gérard Longuet",
        "title_fr": "Discussion des possibilités d'investissement avec le sénateur Gérard Longuet",
        "venue": "senate",
        "description_en": (
            "After meeting the Ambassador, the delegation discussed investment opportunities with Gérard "
            "Longuet, Senator of the Meuse and President of the France–Russia friendship group at the Senate. "
            "Jean-Pierre Thomas, President of Thomas Vendôme Investment, and representatives of the companies "
            "Dalkia and Dark to Green Partners (not named in the source) also took part. The source does not say "
            "where they met; the meeting is placed at the Senate, where Gérard Longuet sits."
        ),
        "description_fr": (
            "Après avoir rencontré l'Ambassadeur, la délégation a discuté des possibilités d'investissement avec "
            "le sénateur de la Meuse et président du groupe France-Russie au Sénat, Gérard Longuet. Le président "
            "de Thomas Vendôme Investment, Jean-Pierre Thomas, ainsi que les représentants des entreprises Dalkia "
            "et Dark to Green Partners (la source ne les nomme pas) ont également participé à cette rencontre. La "
            "source ne précise pas le lieu de la rencontre ; elle est placée au Sénat, où siège Gérard Longuet."
        ),
        "hosts": ("french-senate", "thomas-vendome-investment", "dalkia", "dark-to-green-partners"),
        "host_participants": ("gerard-longuet", "jean-pierre-thomas"),
        "delegation_participants": ALL_MEMBERS,
    },
    "paris-presentation": {
        "day": NOV_27,
        "kind": ItineraryItem.Kind.CONFERENCE,
        "title_en": "Presentation of the investment potential of the Irkutsk region",
        "title_fr": "Présentation du potentiel d'investissement de la région d'Irkoutsk",
        "venue": "trade-representation",
        "audience_size": 100,
        "audience_approximation": ItineraryItem.Approximation.MORE_THAN,
        "description_en": (
            "Governor Sergueï Levtchenko presented the investment potential of his region to more than 100 "
            "business representatives and reviewed projects in the region's priority sectors. He invited the "
            "French business leaders present to make proposals (quoted in translation): “We are ready to "
            "conclude new partnerships in wood processing. Cooperation in tourism, education and medicine also "
            "offers many prospects.” He cited the French companies Abiss and Arbiom, which are negotiating to "
            "open production sites in the region: one to produce medical equipment, the other for a project "
            "transforming woody biomass into protein. The region, rich in wood and innovation and with unique "
            "tourist assets, drew the interest of investors."
        ),
        "description_fr": (
            "Le gouverneur Sergueï Levtchenko a présenté à plus de 100 représentants du monde des affaires le "
            "potentiel d'investissement de sa région et est revenu sur les projets dans les secteurs prioritaires "
            "pour la région. Il a invité les chefs d'entreprise français présents à faire part de leurs "
            "propositions : « Nous sommes prêts à conclure de nouveaux partenariats dans le secteur de la "
            "transformation du bois. La coopération dans les secteurs du tourisme, de l'éducation et de la "
            "médecine offre elle aussi de nombreuses perspectives. » Il a cité en exemple les entreprises "
            "françaises Abiss et Arbiom, qui sont en train de négocier pour ouvrir des sites de production dans "
            "la région : l'une pour y produire du matériel médical, l'autre pour y réaliser un projet de "
            "transformation de la biomasse ligneuse en protéines. La région, riche en bois, en innovation et "
            "disposant d'atouts uniques sur le plan touristique, a suscité l'intérêt des investisseurs."
        ),
        "delegation_participants": ("serguei-levtchenko",),
    },
    "paris-b2b": {
        "day": NOV_27,
        "kind": ItineraryItem.Kind.B2B_SESSION,
        "title_en": "B2B meetings after the presentation",
        "title_fr": "Rencontres B2B après la présentation",
        "venue": "trade-representation",
        "reported_meetings": 12,
        "description_en": "12 B2B meetings followed the conference. The source does not record them one by one.",
        "description_fr": "12 rencontres B2B ont suivi la conférence. La source ne les détaille pas une à une.",
    },
    "signing": {
        "day": NOV_27,
        "kind": ItineraryItem.Kind.SIGNING,
        "title_en": "Signing of the tripartite agreement",
        "title_fr": "Signature de l'accord tripartite",
        "city": "Paris",
        "description_en": (
            "The same day, the tripartite agreement between the Fund of UNESCO Nanotechnology Prize Laureates, "
            "a French pedagogical institute and the International Communication Centre “STEM Baikal” "
            "(Insitilab LLC) was signed, on academic exchanges and the joint promotion of Insitilab LLC's "
            "educational products on the French education market. The source does not say where it was signed "
            "nor who signed it."
        ),
        "description_fr": (
            "Ce même jour, l'accord tripartite entre le Fonds des lauréats du prix UNESCO dans le domaine des "
            "nanotechnologies, un institut pédagogique français et le Centre de communication internationale "
            "« STEM Baikal » (Insitilab LLC) sur les échanges académiques et la promotion conjointe des produits "
            "éducatifs d'Insitilab LLC sur le marché éducatif français a été signé. La source ne précise ni le "
            "lieu de la signature ni les signataires."
        ),
    },
    "travel": {
        "day": NOV_28,
        "kind": ItineraryItem.Kind.TRAVEL,
        "title_en": "Transfer from Paris to Lyon",
        "title_fr": "Trajet de Paris à Lyon",
        "city": "Lyon",
        "description_en": (
            "The source does not describe the journey from Paris to Lyon: it gives neither the day, the time "
            "nor the means of transport. It is placed on 28 November, after the two days in Paris."
        ),
        "description_fr": (
            "La source ne décrit pas le trajet de Paris à Lyon : elle n'en donne ni le jour, ni l'heure, ni le "
            "moyen de transport. Il est placé le 28 novembre, après les deux journées à Paris."
        ),
    },
    "kimelfeld": {
        "day": NOV_28,
        "kind": ItineraryItem.Kind.OFFICIAL_MEETING,
        "title_en": "Welcome by David Kimelfeld, President of the Lyon Metropolis",
        "title_fr": "Accueil par David Kimelfeld, président de la Métropole de Lyon",
        "city": "Lyon",
        "description_en": (
            "In Lyon the delegation was welcomed by David Kimelfeld, President of the Lyon Metropolis. "
            f"{DAY_NOT_GIVEN} Nor does it say where."
        ),
        "description_fr": (
            "À Lyon, la délégation a été accueillie par le président de la métropole lyonnaise, David Kimelfeld. "
            f"{DAY_NOT_GIVEN_FR} Elle ne précise pas non plus le lieu."
        ),
        "hosts": ("metropole-de-lyon",),
        "host_participants": ("david-kimelfeld",),
        "delegation_participants": ALL_MEMBERS,
    },
    "lyon-presentation": {
        "day": NOV_28,
        "kind": ItineraryItem.Kind.CONFERENCE,
        "title_en": "Second presentation of the investment potential",
        "title_fr": "Deuxième présentation du potentiel d'investissement",
        "city": "Lyon",
        "description_en": (
            "For the second time the Governor presented the investment potential of his region, this time to "
            "the leadership of the Auvergne-Rhône-Alpes Regional Council and to member companies of the CCIs of "
            "Lyon and of the Auvergne-Rhône-Alpes region, who listened with great interest. "
            f"{DAY_NOT_GIVEN} Nor does it say where."
        ),
        "description_fr": (
            "Le gouverneur d'Irkoutsk a pour la deuxième fois présenté le potentiel d'investissement de sa "
            "région, cette fois-ci à la direction du conseil régional Auvergne-Rhône-Alpes et aux entreprises "
            "membres des CCI de Lyon et de la région Auvergne-Rhône-Alpes, qui ont écouté avec beaucoup "
            f"d'intérêt. {DAY_NOT_GIVEN_FR} Elle ne précise pas non plus le lieu."
        ),
        "hosts": ("auvergne-rhone-alpes-regional-council", "cci-lyon-metropole", "cci-auvergne-rhone-alpes"),
        "delegation_participants": ("serguei-levtchenko",),
    },
    "lyon-b2b": {
        "day": NOV_28,
        "kind": ItineraryItem.Kind.B2B_SESSION,
        "title_en": "B2B meetings with the largest companies of the region",
        "title_fr": "Rencontres B2B avec les plus grandes entreprises de la région",
        "city": "Lyon",
        "description_en": (
            "Then the largest companies of the Auvergne-Rhône-Alpes region took part in B2B meetings. The "
            f"source names neither the companies nor the number of meetings. {DAY_NOT_GIVEN} Nor does it say "
            "where."
        ),
        "description_fr": (
            "Puis les plus grandes entreprises de la région Auvergne-Rhône-Alpes ont participé à des rencontres "
            "B2B. La source ne nomme pas les entreprises et ne donne pas le nombre de rencontres. "
            f"{DAY_NOT_GIVEN_FR} Elle ne précise pas non plus le lieu."
        ),
    },
    "pollutec": {
        "day": NOV_28,
        "kind": ItineraryItem.Kind.TRADE_FAIR,
        "title_en": "Pollutec 2018 — plenary session",
        "title_fr": "Pollutec 2018 — session plénière",
        "venue": "eurexpo",
        "description_en": (
            "In Lyon the delegation took part in Pollutec, the international trade fair for environmental and "
            "energy equipment, technologies and services. At the plenary session the Governor spoke about "
            "Lake Baikal (quoted in translation): “It is very interesting and important for our region, which "
            "has considerable water resources on its territory, to take part in such a conference. When we seek "
            "to attract the best technologies, projects and solutions, we must insist that this lake is a unique "
            "resource, the heritage not only of Russia but of humanity.” He invited all participants to the 3rd "
            "Baikal International Ecological Water Forum on 19–20 September 2019. The source adds that in France "
            "many tourists make a detour to Baikal on their trip to Russia after seeing the film by the traveller "
            f"Sylvain Tesson, “6 mois de cabane au Baïkal”. {DAY_NOT_GIVEN} It does not name the venue: "
            "Pollutec 2018 was held at Eurexpo Lyon from 27 to 30 November 2018."
        ),
        "description_fr": (
            "À Lyon, la délégation de la région d'Irkoutsk a participé au salon Pollutec, salon international "
            "des équipements, des technologies et des services de l'environnement et de l'énergie. Lors de la "
            "session plénière, Sergueï Levtchenko a parlé du lac Baïkal : « Il est très intéressant et important "
            "pour notre région, qui possède sur son territoire des ressources en eau considérables, de participer "
            "à une telle conférence. Lorsque nous cherchons à attirer les meilleures technologies, projets et "
            "solutions, nous devons bien insister sur le fait que ce lac est une ressource unique, patrimoine non "
            "seulement de la Russie mais aussi de l'humanité. » Il en a profité pour inviter tous les "
            "participants au 3e Baikal International Ecological Water Forum des 19 et 20 septembre 2019. La "
            "source ajoute qu'en France, beaucoup de touristes décident de faire un détour par le Baïkal lors de "
            "leur voyage en Russie après avoir vu le film du voyageur Sylvain Tesson « 6 mois de cabane au "
            f"Baïkal ». {DAY_NOT_GIVEN_FR} Elle ne nomme pas non plus le lieu : Pollutec 2018 s'est tenu à "
            "Eurexpo Lyon du 27 au 30 novembre 2018."
        ),
        "hosts": ("pollutec",),
        "delegation_participants": ("serguei-levtchenko",),
    },
    "health-companies": {
        "day": NOV_29,
        "kind": ItineraryItem.Kind.B2B_SESSION,
        "title_en": "Meetings with health-sector companies",
        "title_fr": "Rencontres avec les entreprises du secteur de la santé",
        "city": "Lyon",
        "description_en": (
            "Finally, the delegation held talks in Lyon with the health-sector companies Eastmed, ATF Implants, "
            "Luxilon, Dedienne Santé and Symbios, all of which consider the Irkutsk region a possible location "
            f"for their activities. {DAY_NOT_GIVEN} Nor does it say where."
        ),
        "description_fr": (
            "Enfin, la délégation s'est entretenue à Lyon avec les entreprises du secteur de la santé Eastmed, "
            "ATF Implants, Luxilon, Dedienne Santé et Symbios, qui toutes considèrent la région d'Irkoutsk comme "
            f"un lieu de localisation possible pour leurs activités. {DAY_NOT_GIVEN_FR} Elle ne précise pas non "
            "plus le lieu."
        ),
        "hosts": ("eastmed", "atf-implants", "luxilon", "dedienne-sante", "symbios"),
        "delegation_participants": ALL_MEMBERS,
    },
    "leon-berard": {
        "day": NOV_29,
        "kind": ItineraryItem.Kind.SITE_VISIT,
        "title_en": "Visit to the Centre Léon-Bérard",
        "title_fr": "Visite du Centre Léon-Bérard",
        "venue": "leon-berard",
        "description_en": (
            "Later the same day the delegation visited the Centre Léon-Bérard cancer centre, where the Governor "
            "and the Minister of Health agreed with the centre's management on an upcoming visit of a group of "
            "Irkutsk doctors, the first step of a future cooperation. The source does not give the exact day "
            "(28 or 29 November): the same day as the meetings with health-sector companies."
        ),
        "description_fr": (
            "Plus tard dans la journée, la délégation a visité le Centre de lutte contre le cancer Léon-Bérard, "
            "où le gouverneur et le ministre de la Santé ont convenu avec la direction du centre d'une prochaine "
            "visite d'un groupe de médecins d'Irkoutsk, qui constituera la première étape d'une future "
            "coopération. La source ne précise pas le jour exact (le 28 ou le 29 novembre) : le même jour que les "
            "rencontres avec les entreprises du secteur de la santé."
        ),
        "hosts": ("centre-leon-berard",),
        "delegation_participants": ("serguei-levtchenko", "oleg-iarochenko"),
    },
}

HEALTH_COMPANIES = ITEMS["health-companies"]["hosts"]

FOLLOW_UPS: dict[str, dict[str, Any]] = {
    "abiss": {
        "kind": FollowUp.Kind.INVESTMENT_PROJECT,
        "title_en": "Abiss: production of medical equipment in the Irkutsk region",
        "title_fr": "Abiss : production de matériel médical dans la région d'Irkoutsk",
        "description_en": (
            "Abiss is negotiating to open a production site in the region to produce medical equipment, as the "
            "Governor said at the Paris presentation."
        ),
        "description_fr": (
            "Abiss est en train de négocier pour ouvrir un site de production dans la région afin d'y produire "
            "du matériel médical, comme l'a indiqué le gouverneur lors de la présentation à Paris."
        ),
        "organizations": ("abiss",),
        "sector": "health",
        "status": FollowUp.Status.IN_NEGOTIATION,
        "item": "paris-presentation",
    },
    "arbiom": {
        "kind": FollowUp.Kind.INVESTMENT_PROJECT,
        "title_en": "Arbiom: transforming woody biomass into protein in the Irkutsk region",
        "title_fr": "Arbiom : transformation de la biomasse ligneuse en protéines dans la région d'Irkoutsk",
        "description_en": (
            "Arbiom is negotiating to open a production site in the region for a project transforming woody "
            "biomass into protein, as the Governor said at the Paris presentation."
        ),
        "description_fr": (
            "Arbiom est en train de négocier pour ouvrir un site de production dans la région afin d'y réaliser "
            "un projet de transformation de la biomasse ligneuse en protéines, comme l'a indiqué le gouverneur "
            "lors de la présentation à Paris."
        ),
        "organizations": ("arbiom",),
        "sector": "biotech",
        "status": FollowUp.Status.IN_NEGOTIATION,
        "item": "paris-presentation",
    },
    "forum": {
        "kind": FollowUp.Kind.INVITATION,
        "title_en": "3rd Baikal International Ecological Water Forum, 19–20 September 2019",
        "title_fr": "3e Baikal International Ecological Water Forum, 19 et 20 septembre 2019",
        "description_en": (
            "At the Pollutec plenary session the Governor invited all participants to the 3rd Baikal "
            "International Ecological Water Forum, 19–20 September 2019."
        ),
        "description_fr": (
            "Lors de la session plénière de Pollutec, le gouverneur a invité tous les participants au "
            "3e Baikal International Ecological Water Forum des 19 et 20 septembre 2019."
        ),
        "organizations": (GOVERNMENT,),
        "sector": "environment-water",
        "status": FollowUp.Status.PROPOSED,
        "due_date": datetime.date(2019, 9, 19),
        "item": "pollutec",
    },
    "doctors": {
        "kind": FollowUp.Kind.PLANNED_VISIT,
        "title_en": "Visit of a group of Irkutsk doctors to the Centre Léon-Bérard",
        "title_fr": "Visite d'un groupe de médecins d'Irkoutsk au Centre Léon-Bérard",
        "description_en": (
            "Agreed by the Governor and the Minister of Health with the centre's management: the first step of a "
            "future cooperation. The source gives no date."
        ),
        "description_fr": (
            "Convenue par le gouverneur et le ministre de la Santé avec la direction du centre, elle constituera "
            "la première étape d'une future coopération. La source ne donne pas de date."
        ),
        "organizations": ("centre-leon-berard", "ministry-health-irkutsk-region"),
        "sector": "health",
        "status": FollowUp.Status.AGREED,
        "next_step_en": "Organise the doctors' visit",
        "next_step_fr": "Organiser la visite des médecins",
        "item": "leon-berard",
    },
    "health-companies": {
        "kind": FollowUp.Kind.PARTNERSHIP,
        "title_en": "Health companies considering the Irkutsk region",
        "title_fr": "Entreprises de santé qui envisagent la région d'Irkoutsk",
        "description_en": (
            "Eastmed, ATF Implants, Luxilon, Dedienne Santé and Symbios all consider the Irkutsk region as a "
            "possible location for their activities."
        ),
        "description_fr": (
            "Eastmed, ATF Implants, Luxilon, Dedienne Santé et Symbios considèrent toutes la région d'Irkoutsk "
            "comme un lieu de localisation possible pour leurs activités."
        ),
        "organizations": HEALTH_COMPANIES,
        "sector": "health",
        "status": FollowUp.Status.PROPOSED,
        "item": "health-companies",
    },
}


def _upsert(model: type[M], *, lookup: dict[str, Any], values: dict[str, Any] | None = None) -> M:
    """The row matching `lookup`, created or updated to hold `values`; saved only if something changed.

    Saving only on change keeps a second run from touching any row (not even `updated_at`).
    """
    values = values or {}
    try:
        obj = model.objects.get(**lookup)
    except model.DoesNotExist:
        obj = model(**lookup, **values)
        changed = True
    else:
        changed = False
        for field, value in values.items():
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                changed = True
    obj.full_clean()
    if changed:
        obj.save()
    return obj


# modeltranslation saves into a translated model's original column (`title`) the text of the active
# language: the demo is written with English active so that a run from a French page, shell or
# command leaves exactly the same rows as one in English. Lookups name the English column anyway.
@transaction.atomic
@translation.override("en")
def demo_load() -> Delegation:
    """Create or update the Irkutsk region's visit to France (26–29 November 2018) and return it.

    Side effects, all in one transaction, keyed on slugs and natural keys so that a second run
    changes nothing:
    - sectors, organizations (with parents and sectors), people and their positions;
    - the published delegation, its supporting organization, priority sectors and members;
    - venues in Paris and Lyon, twelve itinerary items with hosts and participants;
    - five B2B meetings with health companies, the tripartite agreement and its three parties,
      and five follow-ups.
    Rows of the demo changed by hand are set back to the source's facts; other rows are left alone.
    Translated fields get their English and French texts whatever the active language.
    """
    sectors = {
        slug: _upsert(Sector, lookup={"slug": slug}, values={"name_en": name_en, "name_fr": name_fr})
        for slug, (name_en, name_fr) in SECTORS.items()
    }

    orgs: dict[str, Organization] = {}
    for data in ORGANIZATIONS:
        values = {"native_name": "", "country": "", "city": "", "description": ""}
        values.update((key, value) for key, value in data.items() if key not in ("slug", "parent", "sectors"))
        values["parent"] = orgs[data["parent"]] if "parent" in data else None
        org = _upsert(Organization, lookup={"slug": data["slug"]}, values=values)
        org.sectors.set([sectors[slug] for slug in data.get("sectors", ())])
        orgs[data["slug"]] = org

    people: dict[str, Person] = {}
    for data in PEOPLE:
        values = {"native_name": "", "other_names": "", "is_public": True}
        values.update((key, value) for key, value in data.items() if key not in ("slug", "positions"))
        person = _upsert(Person, lookup={"slug": data["slug"]}, values=values)
        for org_slug, title_en, title_fr in data["positions"]:
            _upsert(
                Position,
                lookup={"person": person, "organization": orgs[org_slug], "title_en": title_en},
                values={"title_fr": title_fr},
            )
        people[data["slug"]] = person

    delegation = _upsert(
        Delegation,
        lookup={"slug": DELEGATION_SLUG},
        values={
            "title_en": "Delegation of the Irkutsk region to France",
            "title_fr": "Délégation de la région d'Irkoutsk en France",
            "origin_country": "RU",
            "origin_region_en": "Irkutsk region",
            "origin_region_fr": "Région d'Irkoutsk",
            "leading_body": orgs[GOVERNMENT],
            "host_countries": ["FR"],
            "organiser": orgs[GOVERNMENT],
            "start_date": NOV_26,
            "end_date": NOV_29,
            "home_time_zone": "Asia/Irkutsk",
            "purpose_en": (
                "Present the investment potential of the Irkutsk region in Paris and Lyon and seek new "
                "partnerships in its priority sectors: wood processing, tourism, education and medicine."
            ),
            "purpose_fr": (
                "Présenter le potentiel d'investissement de la région d'Irkoutsk à Paris et à Lyon et rechercher "
                "de nouveaux partenariats dans ses secteurs prioritaires : transformation du bois, tourisme, "
                "éducation et médecine."
            ),
            "description_en": (
                "Organised by the Government of the Irkutsk region with the support of the Franco-Russian "
                "Chamber of Commerce and Industry (CCI France Russie). Regional business leaders also took part; "
                "the source does not name them, so they are not listed as members."
            ),
            "description_fr": (
                "Le voyage était organisé par le Gouvernement de la région d'Irkoutsk avec le soutien de la "
                "Chambre de commerce et d'industrie franco-russe (CCI France Russie). Des chefs d'entreprise de "
                "la région ont également participé au déplacement ; la source ne les nomme pas, ils ne figurent "
                "donc pas parmi les membres."
            ),
            "status": Delegation.Status.COMPLETED,
            "is_published": True,
        },
    )
    delegation.supporting_organizations.set([orgs["cci-france-russie"]])
    delegation.priority_sectors.set([sectors[slug] for slug in ("wood-processing", "tourism", "education", "health")])

    for order, (person_slug, role, org_slug, title_en, title_fr) in enumerate(MEMBERS, start=1):
        _upsert(
            DelegationMember,
            lookup={"delegation": delegation, "person": people[person_slug]},
            values={
                "role": role,
                "title_en": title_en,
                "title_fr": title_fr,
                "organization": orgs[org_slug],
                "order": order,
            },
        )

    venues = {
        key: _upsert(
            Venue,
            lookup={"name": data["name"], "city": data["city"]},
            values={
                "address": data["address"],
                "country": "FR",
                "time_zone": PARIS,
                "organization": orgs[data["organization"]],
            },
        )
        for key, data in VENUES.items()
    }

    items: dict[str, ItineraryItem] = {}
    rank_in_day: dict[datetime.date, int] = {}
    for key, data in ITEMS.items():
        rank_in_day[data["day"]] = rank_in_day.get(data["day"], 0) + 1
        venue = venues[data["venue"]] if "venue" in data else None
        item = _upsert(
            ItineraryItem,
            lookup={"delegation": delegation, "title_en": data["title_en"]},
            values={
                "title_fr": data["title_fr"],
                "day": data["day"],
                "start_time": None,
                "end_time": None,
                "kind": data["kind"],
                "description_en": data["description_en"],
                "description_fr": data["description_fr"],
                "venue": venue,
                "city": venue.city if venue else data["city"],
                "time_zone": venue.time_zone if venue else PARIS,
                "audience_size": data.get("audience_size"),
                "audience_approximation": data.get("audience_approximation", ItineraryItem.Approximation.EXACT),
                "reported_meetings": data.get("reported_meetings"),
                "order": rank_in_day[data["day"]],
            },
        )
        item.hosts.set([orgs[slug] for slug in data.get("hosts", ())])
        item.host_participants.set([people[slug] for slug in data.get("host_participants", ())])
        item.delegation_participants.set([people[slug] for slug in data.get("delegation_participants", ())])
        items[key] = item

    agreement = _upsert(
        Agreement,
        lookup={
            "delegation": delegation,
            "title_en": "Tripartite agreement on academic exchanges and the joint promotion of Insitilab's "
            "educational products in France",
        },
        values={
            "title_fr": "Accord tripartite sur les échanges académiques et la promotion conjointe des produits "
            "éducatifs d'Insitilab en France",
            "kind": Agreement.Kind.TRIPARTITE,
            "subject_en": (
                "Academic exchanges and the joint promotion of Insitilab LLC's educational products on the "
                "French education market. The source names no signatories."
            ),
            "subject_fr": (
                "Échanges académiques et promotion conjointe des produits éducatifs d'Insitilab LLC sur le marché "
                "éducatif français. La source ne nomme pas les signataires."
            ),
            "signed_on": NOV_27,
            "place": "Paris",
            "signing_item": items["signing"],
            "status": Agreement.Status.SIGNED,
        },
    )
    party_slugs = ("fund-unesco-nanotechnology-prize-laureates", "french-pedagogical-institute-unnamed", "insitilab")
    for order, slug in enumerate(party_slugs, start=1):
        _upsert(
            AgreementParty,
            lookup={"agreement": agreement, "organization": orgs[slug]},
            values={"order": order, "signatory": None, "signatory_title": ""},
        )

    follow_ups: dict[str, FollowUp] = {}
    for key, data in FOLLOW_UPS.items():
        follow_up = _upsert(
            FollowUp,
            lookup={"delegation": delegation, "title_en": data["title_en"]},
            values={
                "title_fr": data["title_fr"],
                "kind": data["kind"],
                "description_en": data["description_en"],
                "description_fr": data["description_fr"],
                "sector": sectors[data["sector"]],
                "status": data["status"],
                "next_step_en": data.get("next_step_en", ""),
                "next_step_fr": data.get("next_step_fr", ""),
                "due_date": data.get("due_date"),
                "itinerary_item": items[data["item"]],
                "agreement": None,
            },
        )
        follow_up.organizations.set([orgs[slug] for slug in data["organizations"]])
        follow_ups[key] = follow_up

    for slug in HEALTH_COMPANIES:
        meeting = _upsert(
            Meeting,
            lookup={"delegation": delegation, "host_organization": orgs[slug]},
            values={
                "session": items["health-companies"],
                "date": NOV_29,
                "start_time": None,
                "end_time": None,
                "venue": None,
                "city": "Lyon",
                "time_zone": PARIS,
                "table": "",
                "delegation_organization": orgs[GOVERNMENT],
                "sector": sectors["health"],
                "status": Meeting.Status.HELD,
                "outcome_en": "Considering the Irkutsk region as a location for its activities.",
                "outcome_fr": "Envisage la région d'Irkoutsk pour l'implantation de ses activités.",
                "follow_up_expected": True,
            },
        )
        meeting.follow_ups.set([follow_ups["health-companies"]])

    return delegation
