"""In French a status agrees with the noun it qualifies: "Partenariat · Proposé", "Invitation · Proposée",
"Lettre d'intention · Signée"; headings over counts agree with the count."""

import re

import pytest
from django.urls import reverse

from delegations.models import Agreement, FollowUp
from tests.factories import AgreementFactory, DelegationFactory, FollowUpFactory

# Every kind a status can qualify, with every status, as French shows them side by side.
FOLLOW_UPS = {
    FollowUp.Kind.INVESTMENT_PROJECT: (
        "Projet d'investissement",
        ["Proposé", "En négociation", "Convenu", "En cours", "Réalisé", "Abandonné"],
    ),
    FollowUp.Kind.PLANNED_VISIT: (
        "Visite prévue",
        ["Proposée", "En négociation", "Convenue", "En cours", "Réalisée", "Abandonnée"],
    ),
    FollowUp.Kind.INVITATION: (
        "Invitation",
        ["Proposée", "En négociation", "Acceptée", "En cours", "Réalisée", "Abandonnée"],
    ),
    FollowUp.Kind.PARTNERSHIP: (
        "Partenariat",
        ["Proposé", "En négociation", "Convenu", "En cours", "Réalisé", "Abandonné"],
    ),
    FollowUp.Kind.OTHER: (  # any follow-up: "une suite donnée"
        "Autre",
        ["Proposée", "En négociation", "Convenue", "En cours", "Réalisée", "Abandonnée"],
    ),
}
AGREEMENTS = {
    Agreement.Kind.MOU: (
        "Protocole d'accord",
        ["Prêt à la signature", "Signé", "En vigueur", "Exécuté", "Résilié"],
    ),
    Agreement.Kind.COOPERATION: (
        "Accord de coopération",
        ["Prêt à la signature", "Signé", "En vigueur", "Exécuté", "Résilié"],
    ),
    Agreement.Kind.TRIPARTITE: (
        "Accord tripartite",
        ["Prêt à la signature", "Signé", "En vigueur", "Exécuté", "Résilié"],
    ),
    Agreement.Kind.CONTRACT: ("Contrat", ["Prêt à la signature", "Signé", "En vigueur", "Exécuté", "Résilié"]),
    Agreement.Kind.LETTER_OF_INTENT: (
        "Lettre d'intention",
        ["Prête à la signature", "Signée", "En vigueur", "Exécutée", "Résiliée"],
    ),
}
ENGLISH_FOLLOW_UP = ["Proposed", "In negotiation", "Agreed", "In progress", "Done", "Dropped"]
ENGLISH_AGREEMENT = ["Prepared", "Signed", "In force", "Completed", "Terminated"]


def test_tables_cover_every_kind_and_status():
    assert set(FOLLOW_UPS) == set(FollowUp.Kind) and set(AGREEMENTS) == set(Agreement.Kind)
    assert [label for _value, label in FollowUp.Status.choices] == ENGLISH_FOLLOW_UP
    assert [label for _value, label in Agreement.Status.choices] == ENGLISH_AGREEMENT


@pytest.fixture
def every_pair(db):
    visit = DelegationFactory(slug="pairs")
    for kind in FollowUp.Kind:
        for status in FollowUp.Status:
            FollowUpFactory(delegation=visit, kind=kind, status=status, title=f"F {kind} {status}")
    for kind in Agreement.Kind:
        for status in Agreement.Status:
            AgreementFactory(delegation=visit, kind=kind, status=status, title=f"A {kind} {status}")
    return visit


def kinds_and_statuses(html: str, section: str) -> dict[str, str]:
    """What each outcome's kind line reads, by the outcome's title, in one section of the outcomes page."""
    part = html[html.index(f'class="outcomes__{section}"') :]
    articles = re.findall(r'<p class="outcome__kind">(.*?)</p>\s*<h3>(.*?)</h3>', part, re.S)
    return {title: re.sub(r"<[^>]+>", "", line).replace("&#x27;", "'") for line, title in articles}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_outcomes_status_agrees_with_every_kind(client, every_pair, language):
    html = client.get(reverse("public:visit-outcomes", args=["pairs"]), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    follow_ups = kinds_and_statuses(html, "follow-ups")
    agreements = kinds_and_statuses(html, "agreements")
    for kind, (french_kind, french) in FOLLOW_UPS.items():
        for status, french_status, english_status in zip(FollowUp.Status, french, ENGLISH_FOLLOW_UP, strict=True):
            expected = f"{french_kind} · {french_status}" if language == "fr" else f"{kind.label} · {english_status}"
            assert follow_ups[f"F {kind} {status}"] == expected
    for kind, (french_kind, french) in AGREEMENTS.items():
        for status, french_status, english_status in zip(Agreement.Status, french, ENGLISH_AGREEMENT, strict=True):
            expected = f"{french_kind} · {french_status}" if language == "fr" else f"{kind.label} · {english_status}"
            assert agreements[f"A {kind} {status}"] == expected


def test_admin_lists_pair_kind_and_agreeing_status_in_french(staff_client, every_pair):
    follow_ups = staff_client.get(reverse("admin:delegations_followup_changelist"), HTTP_ACCEPT_LANGUAGE="fr")
    agreements = staff_client.get(reverse("admin:delegations_agreement_changelist"), HTTP_ACCEPT_LANGUAGE="fr")

    def rows(response, model):
        html = response.content.decode().replace("&#x27;", "'")
        found = {}
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
            cells = [
                re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            titles = [cell for cell in cells if cell.startswith(model)]
            if titles:
                found[titles[0]] = cells
        return found

    follow_up_rows, agreement_rows = rows(follow_ups, "F "), rows(agreements, "A ")
    for kind, (french_kind, french) in FOLLOW_UPS.items():
        for status, french_status in zip(FollowUp.Status, french, strict=True):
            cells = follow_up_rows[f"F {kind} {status}"]
            assert french_kind in cells and french_status in cells
    for kind, (french_kind, french) in AGREEMENTS.items():
        for status, french_status in zip(Agreement.Status, french, strict=True):
            cells = agreement_rows[f"A {kind} {status}"]
            assert french_kind in cells and french_status in cells


@pytest.mark.parametrize(
    ("agreements", "follow_ups", "headings"),
    [(1, 1, ("Accord", "Suite")), (2, 3, ("Accords", "Suites"))],
)
def test_outcome_headings_agree_with_their_count_in_french(client, db, agreements, follow_ups, headings):
    visit = DelegationFactory(slug="counted")
    for _ in range(agreements):
        AgreementFactory(delegation=visit)
    for _ in range(follow_ups):
        FollowUpFactory(delegation=visit)

    html = client.get(reverse("public:visit-outcomes", args=["counted"]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert f'<h2 id="agreements-title">{headings[0]}</h2>' in html
    assert f'<h2 id="follow-ups-title">{headings[1]}</h2>' in html
