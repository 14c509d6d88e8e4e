"""In French and Russian a status agrees with the noun it qualifies: "Partenariat · Proposé", "Invitation ·
Proposée", "Lettre d'intention · Signée"; "Контракт · Подписан", "Письмо о намерениях · Подписано"; headings over
counts agree with the count."""

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
RUSSIAN_FOLLOW_UPS = {
    FollowUp.Kind.INVESTMENT_PROJECT: (
        "Инвестиционный проект",
        ["Предложен", "На стадии переговоров", "Согласован", "В работе", "Реализован", "Прекращён"],
    ),
    FollowUp.Kind.PLANNED_VISIT: (
        "Планируемый визит",
        ["Предложен", "На стадии переговоров", "Согласован", "В работе", "Состоялся", "Отменён"],
    ),
    FollowUp.Kind.INVITATION: (
        "Приглашение",
        ["Предложено", "На стадии переговоров", "Принято", "В работе", "Выполнено", "Отменено"],
    ),
    FollowUp.Kind.PARTNERSHIP: (
        "Партнёрство",
        ["Предложено", "На стадии переговоров", "Согласовано", "В работе", "Реализовано", "Прекращено"],
    ),
    FollowUp.Kind.OTHER: (  # "Другое": neuter, as the statuses of any follow-up
        "Другое",
        ["Предложено", "На стадии переговоров", "Согласовано", "В работе", "Выполнено", "Прекращено"],
    ),
}
MASCULINE = ["Подготовлен", "Подписан", "Действует", "Исполнен", "Расторгнут"]
NEUTER = ["Подготовлено", "Подписано", "Действует", "Исполнено", "Расторгнуто"]
RUSSIAN_AGREEMENTS = {
    Agreement.Kind.MOU: ("Меморандум о взаимопонимании", MASCULINE),
    Agreement.Kind.COOPERATION: ("Соглашение о сотрудничестве", NEUTER),
    Agreement.Kind.TRIPARTITE: ("Трёхстороннее соглашение", NEUTER),
    Agreement.Kind.CONTRACT: ("Контракт", MASCULINE),
    Agreement.Kind.LETTER_OF_INTENT: ("Письмо о намерениях", NEUTER),
}
TABLES = {"fr": (FOLLOW_UPS, AGREEMENTS), "ru": (RUSSIAN_FOLLOW_UPS, RUSSIAN_AGREEMENTS)}
ENGLISH_FOLLOW_UP = ["Proposed", "In negotiation", "Agreed", "In progress", "Done", "Dropped"]
ENGLISH_AGREEMENT = ["Prepared", "Signed", "In force", "Completed", "Terminated"]


def test_tables_cover_every_kind_and_status():
    for follow_ups, agreements in TABLES.values():
        assert set(follow_ups) == set(FollowUp.Kind) and set(agreements) == set(Agreement.Kind)
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


@pytest.mark.parametrize("language", ["fr", "ru", "en"])
def test_outcomes_status_agrees_with_every_kind(client, every_pair, language):
    html = client.get(reverse("public:visit-outcomes", args=["pairs"]), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    follow_ups = kinds_and_statuses(html, "follow-ups")
    agreements = kinds_and_statuses(html, "agreements")
    follow_up_table, agreement_table = TABLES.get(language, (FOLLOW_UPS, AGREEMENTS))
    for kind, (kind_label, labels) in follow_up_table.items():
        for status, label, english_status in zip(FollowUp.Status, labels, ENGLISH_FOLLOW_UP, strict=True):
            expected = f"{kind_label} · {label}" if language != "en" else f"{kind.label} · {english_status}"
            assert follow_ups[f"F {kind} {status}"] == expected
    for kind, (kind_label, labels) in agreement_table.items():
        for status, label, english_status in zip(Agreement.Status, labels, ENGLISH_AGREEMENT, strict=True):
            expected = f"{kind_label} · {label}" if language != "en" else f"{kind.label} · {english_status}"
            assert agreements[f"A {kind} {status}"] == expected


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_admin_lists_pair_kind_and_agreeing_status(staff_client, every_pair, language):
    follow_ups = staff_client.get(reverse("admin:delegations_followup_changelist"), HTTP_ACCEPT_LANGUAGE=language)
    agreements = staff_client.get(reverse("admin:delegations_agreement_changelist"), HTTP_ACCEPT_LANGUAGE=language)
    follow_up_table, agreement_table = TABLES[language]

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
    for kind, (kind_label, labels) in follow_up_table.items():
        for status, label in zip(FollowUp.Status, labels, strict=True):
            cells = follow_up_rows[f"F {kind} {status}"]
            assert kind_label in cells and label in cells
    for kind, (kind_label, labels) in agreement_table.items():
        for status, label in zip(Agreement.Status, labels, strict=True):
            cells = agreement_rows[f"A {kind} {status}"]
            assert kind_label in cells and label in cells


@pytest.mark.parametrize(
    ("language", "agreements", "follow_ups", "headings"),
    [
        ("fr", 1, 1, ("Accord", "Suite")),
        ("fr", 2, 3, ("Accords", "Suites")),
        ("ru", 1, 1, ("Соглашение", "Дальнейший шаг")),
        ("ru", 2, 5, ("Соглашения", "Дальнейшие шаги")),
    ],
)
def test_outcome_headings_agree_with_their_count(client, db, language, agreements, follow_ups, headings):
    visit = DelegationFactory(slug="counted")
    for _ in range(agreements):
        AgreementFactory(delegation=visit)
    for _ in range(follow_ups):
        FollowUpFactory(delegation=visit)

    response = client.get(reverse("public:visit-outcomes", args=["counted"]), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()

    assert f'<h2 id="agreements-title">{headings[0]}</h2>' in html
    assert f'<h2 id="follow-ups-title">{headings[1]}</h2>' in html
