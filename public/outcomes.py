"""A visit's agreements and follow-ups, as its outcomes page lists them, each written in one Python pass instead
of some thirty template lookups, tags and filters an article.

Byte for byte what the loops of templates/public/delegation_outcomes.html wrote (kept, for reference, in
tests/public/test_outcomes_markup.py, which holds the two to the same output), including the blank lines left
where a fact is missing. Each article comes with the line breaks and indentation around it in the page.
"""

import functools

from django.template.defaultfilters import date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core.widgets import escaped
from delegations.models import Agreement, FollowUp

from .sharing import VisitLinks

ARTICLE_START = "\n        "
ARTICLE_END = "\n      "
LINE = "\n          "
FACT = "\n            "


@functools.cache
def _labels(language: str | None) -> dict[str, str]:
    # Called outside the f-strings, where makemessages finds the messages.
    return {
        "during": escaped(gettext("During")),
        "signed_by": escaped(gettext("signed by")),
        "signed_on": escaped(gettext("Signed on")),
        "place": escaped(gettext("Place")),
        "parties": escaped(gettext("Parties")),
        "with": escaped(gettext("With")),
        "sector": escaped(gettext("Sector")),
        "next_step": escaped(gettext("Next step")),
        "due": escaped(gettext("Due")),
        "came_from": escaped(gettext("Came from")),
        "agreement": escaped(gettext("Agreement")),
        "meetings": escaped(gettext("Meetings")),
    }


def labels() -> dict[str, str]:
    """The facts' labels in the active language, escaped."""
    return _labels(get_language())


def _time(day) -> str:
    return f'<time datetime="{escaped(date(day, "Y-m-d"))}">{escaped(date(day))}</time>'


def _during(links: VisitLinks, item) -> str:
    label = labels()
    return (
        f"<div><dt>{label['during']}</dt><dd>"
        f'<a href="{escaped(links.itinerary)}#item-{item.pk}">{escaped(item.title)}</a></dd></div>'
    )


def agreement_article(agreement: Agreement, links: VisitLinks) -> SafeString:
    """An agreement: its kind and status, title, subject, parties and who signed for them, date, place and the
    item of the programme it was signed at (read by outcome_prefetches, names by with_outcome_names)."""
    label = labels()
    parties = []
    for party in agreement.party_list:
        part = f"<li>{party.organization_link}"
        if party.signatory is not None and party.signatory.is_public:
            part += f" — {label['signed_by']} {party.signatory_link}"
            if party.signatory_title:
                part += f", {escaped(party.signatory_title)}"
        parties.append(part + "</li>")
    subject = f"<p>{escaped(agreement.subject)}</p>" if agreement.subject else ""
    signed = (
        f"<div><dt>{label['signed_on']}</dt><dd>{_time(agreement.signed_on)}</dd></div>" if agreement.signed_on else ""
    )
    place = f"<div><dt>{label['place']}</dt><dd>{escaped(agreement.place)}</dd></div>" if agreement.place else ""
    during = _during(links, agreement.visit_signing_item) if getattr(agreement, "visit_signing_item", None) else ""
    return mark_safe(
        f'{ARTICLE_START}<article class="outcome" id="agreement-{agreement.pk}">'
        f'{LINE}<p class="outcome__kind">{escaped(agreement.get_kind_display())} · '
        f"{escaped(agreement.status_label)}</p>"
        f"{LINE}<h3>{escaped(agreement.title)}</h3>"
        f"{LINE}{subject}"
        f'{LINE}<dl class="facts">'
        f"{FACT}<div><dt>{label['parties']}</dt>"
        f'{FACT}  <dd><ul class="plain">{"".join(parties)}</ul></dd></div>'
        f"{FACT}{signed}{FACT}{place}{FACT}{during}"
        f"{LINE}</dl>"
        f"{ARTICLE_START}</article>{ARTICLE_END}"
    )


def follow_up_article(follow_up: FollowUp, links: VisitLinks) -> SafeString:
    """A follow-up: its kind and status, title, description, the organizations it is with, sector, next step,
    due date, and the item, agreement and meetings it came from (read by outcome_prefetches)."""
    label = labels()
    organizations = follow_up.organization_list
    with_ = (
        f"{FACT}  <div><dt>{label['with']}</dt><dd>"
        f"{', '.join(organization.link for organization in organizations)}</dd></div>{FACT}"
        if organizations
        else ""
    )
    sector = follow_up.sector
    sector = f"<div><dt>{label['sector']}</dt><dd>{escaped(sector)}</dd></div>" if sector else ""
    next_step = (
        f"<div><dt>{label['next_step']}</dt><dd>{escaped(follow_up.next_step)}</dd></div>"
        if follow_up.next_step
        else ""
    )
    due = f"<div><dt>{label['due']}</dt><dd>{_time(follow_up.due_date)}</dd></div>" if follow_up.due_date else ""
    item = getattr(follow_up, "visit_itinerary_item", None)
    came_from = (
        f"<div><dt>{label['came_from']}</dt><dd>"
        f'<a href="{escaped(links.itinerary)}#item-{item.pk}">{escaped(item.title)}</a></dd></div>'
        if item
        else ""
    )
    agreement = getattr(follow_up, "visit_agreement", None)
    from_agreement = (
        f"<div><dt>{label['agreement']}</dt><dd>"
        f'<a href="#agreement-{agreement.pk}">{escaped(agreement.title)}</a></dd></div>'
        if agreement
        else ""
    )
    meetings = ""
    if follow_up.meeting_list:
        url = escaped(links.meetings())
        names = ", ".join(
            f'<a href="{url}#meeting-{meeting.pk}">{meeting.names}</a>' for meeting in follow_up.meeting_list
        )
        meetings = f"{FACT}  <div><dt>{label['meetings']}</dt><dd>{names}</dd></div>{FACT}"
    facts = FACT.join(("", with_, sector, next_step, due, came_from, from_agreement, meetings))
    description = f"<p>{escaped(follow_up.description)}</p>" if follow_up.description else ""
    return mark_safe(
        f'{ARTICLE_START}<article class="outcome" id="follow-up-{follow_up.pk}">'
        f'{LINE}<p class="outcome__kind">{escaped(follow_up.get_kind_display())} · '
        f'<span class="status status--{escaped(follow_up.status)}">{escaped(follow_up.status_label)}</span></p>'
        f"{LINE}<h3>{escaped(follow_up.title)}</h3>"
        f"{LINE}{description}"
        f'{LINE}<dl class="facts">'
        f"{facts}"
        f"{LINE}</dl>"
        f"{ARTICLE_START}</article>{ARTICLE_END}"
    )
