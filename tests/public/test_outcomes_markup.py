"""A visit's agreements and follow-ups written in Python (public.outcomes) are byte for byte what the loops of the
outcomes template wrote, kept here as the reference: every fact present or missing, hostile text, three languages."""

import pytest
from django.db.models import Prefetch, prefetch_related_objects
from django.template import Context, Template
from django.utils import translation

from delegations.models import Delegation, ItineraryItem
from public.outcomes import agreement_article, follow_up_article
from public.sharing import VisitLinks
from public.views.visits import REPORTING, outcome_prefetches, with_outcome_names

HOSTILE = '<script>alert("x")</script> & Co\'s'

AGREEMENT = Template(
    "{% load i18n %}{% for agreement in agreements %}"
    + """
        <article class="outcome" id="agreement-{{ agreement.pk }}">
          <p class="outcome__kind">{{ agreement.get_kind_display }} · {{ agreement.status_label }}</p>
          <h3>{{ agreement.title }}</h3>
          {% if agreement.subject %}<p>{{ agreement.subject }}</p>{% endif %}
          <dl class="facts">
            <div><dt>{% translate "Parties" %}</dt>
              <dd><ul class="plain">{% for party in agreement.party_list %}<li>{{ party.organization_link }}{% if party.signatory.is_public %} — {% translate "signed by" %} {{ party.signatory_link }}{% if party.signatory_title %}, {{ party.signatory_title }}{% endif %}{% endif %}</li>{% endfor %}</ul></dd></div>
            {% if agreement.signed_on %}<div><dt>{% translate "Signed on" %}</dt><dd><time datetime="{{ agreement.signed_on|date:'Y-m-d' }}">{{ agreement.signed_on|date }}</time></dd></div>{% endif %}
            {% if agreement.place %}<div><dt>{% translate "Place" %}</dt><dd>{{ agreement.place }}</dd></div>{% endif %}
            {% if agreement.visit_signing_item %}<div><dt>{% translate "During" %}</dt><dd><a href="{{ links.itinerary }}#item-{{ agreement.visit_signing_item.pk }}">{{ agreement.visit_signing_item.title }}</a></dd></div>{% endif %}
          </dl>
        </article>
      """  # noqa: E501
    + "{% endfor %}"
)
FOLLOW_UP = Template(
    "{% load i18n visits %}{% for follow_up in follow_ups %}"
    + """
        <article class="outcome" id="follow-up-{{ follow_up.pk }}">
          <p class="outcome__kind">{{ follow_up.get_kind_display }} · <span class="status status--{{ follow_up.status }}">{{ follow_up.status_label }}</span></p>
          <h3>{{ follow_up.title }}</h3>
          {% if follow_up.description %}<p>{{ follow_up.description }}</p>{% endif %}
          <dl class="facts">
            {% with organizations=follow_up.organization_list %}{% if organizations %}
              <div><dt>{% translate "With" %}</dt><dd>{% for organization in organizations %}{{ organization.link }}{% if not forloop.last %}, {% endif %}{% endfor %}</dd></div>
            {% endif %}{% endwith %}
            {% if follow_up.sector %}<div><dt>{% translate "Sector" %}</dt><dd>{{ follow_up.sector }}</dd></div>{% endif %}
            {% if follow_up.next_step %}<div><dt>{% translate "Next step" %}</dt><dd>{{ follow_up.next_step }}</dd></div>{% endif %}
            {% if follow_up.due_date %}<div><dt>{% translate "Due" %}</dt><dd><time datetime="{{ follow_up.due_date|date:'Y-m-d' }}">{{ follow_up.due_date|date }}</time></dd></div>{% endif %}
            {% if follow_up.visit_itinerary_item %}<div><dt>{% translate "Came from" %}</dt><dd><a href="{{ links.itinerary }}#item-{{ follow_up.visit_itinerary_item.pk }}">{{ follow_up.visit_itinerary_item.title }}</a></dd></div>{% endif %}
            {% if follow_up.visit_agreement %}<div><dt>{% translate "Agreement" %}</dt><dd><a href="#agreement-{{ follow_up.visit_agreement.pk }}">{{ follow_up.visit_agreement.title }}</a></dd></div>{% endif %}
            {% with meetings=follow_up.meeting_list %}{% if meetings %}
              <div><dt>{% translate "Meetings" %}</dt><dd>{% for meeting in meetings %}<a href="{% visit_meetings_url links %}#meeting-{{ meeting.pk }}">{{ meeting.names }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</dd></div>
            {% endif %}{% endwith %}
          </dl>
        </article>
      """  # noqa: E501
    + "{% endfor %}"
)


def outcomes(visit: Delegation) -> Delegation:
    """The visit as its outcomes page reads it."""
    visit = Delegation.objects.get(pk=visit.pk)
    reporting = Prefetch("itinerary_items", queryset=ItineraryItem.objects.filter(REPORTING))
    prefetch_related_objects([visit], *outcome_prefetches(visit), reporting)
    with_outcome_names(visit)
    return visit


def assert_as_the_template(visit: Delegation, token=None):
    links = VisitLinks(visit, token=token)
    agreements, follow_ups = list(visit.agreements.all()), list(visit.follow_ups.all())
    assert agreements and follow_ups
    context = Context({"agreements": agreements, "follow_ups": follow_ups, "links": links})

    assert "".join(agreement_article(agreement, links) for agreement in agreements) == AGREEMENT.render(context)
    assert "".join(follow_up_article(follow_up, links) for follow_up in follow_ups) == FOLLOW_UP.render(context)


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_outcomes_as_the_template(demo, language):
    with translation.override(language):
        assert_as_the_template(outcomes(demo))
        assert_as_the_template(outcomes(demo), token="a-token")


def test_outcomes_missing_facts_and_hostile_text_as_the_template(demo):
    agreement = demo.agreements.first()
    agreement.title = agreement.subject = agreement.place = HOSTILE
    agreement.signed_on = None
    agreement.signing_item = None
    agreement.save()
    agreement.parties.update(signatory_title=HOSTILE)
    demo.follow_ups.update(title=HOSTILE, description="", next_step=HOSTILE, due_date=None, sector=None)
    visit = outcomes(demo)
    bare = visit.follow_ups.all()[0]
    bare.organization_list, bare.meeting_list = [], []

    assert_as_the_template(visit)
