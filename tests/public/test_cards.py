"""A visit's card written in Python (public.cards.card_item) is byte for byte what the list's template wrote, kept
here as the reference: hostile title and region, with and without sectors, in three languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from delegations.models import Delegation
from public.cards import with_cards

HOSTILE = '<script>alert("x")</script> & Co\'s'

REFERENCE = Template(
    """{% load i18n %}
{% if delegations %}
  <ul class="card-list">
    {% for delegation in delegations %}{% with card=delegation.card %}
      <li class="card">
        <h3 class="card__title"><a href="{{ card.url }}">{{ delegation.title }}</a></h3>
        <p class="card__meta">
          <span>{{ card.origin }}</span>
          <span aria-hidden="true">→</span>
          <span>{{ card.hosts }}</span>
        </p>
        <p class="card__dates">{{ card.start }} – {{ card.end }}</p>
        {% if card.sectors %}<p class="tags">{% for sector in card.sectors %}<span class="tag">{{ sector }}</span>{% endfor %}</p>{% endif %}
      </li>
    {% endwith %}{% endfor %}
  </ul>
{% else %}
  <p class="empty">{{ empty_text }}</p>
{% endif %}
"""  # noqa: E501
)


def assert_as_the_template(delegations):
    cards = with_cards(delegations)
    new = Template('{% include "public/_delegation_list.html" %}').render(Context({"delegations": cards}))

    assert new == REFERENCE.render(Context({"delegations": cards}))


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_cards_as_the_template(demo, language):
    with translation.override(language):
        assert_as_the_template(Delegation.objects.all())


def test_cards_hostile_text_and_no_sector_as_the_template(demo):
    Delegation.objects.filter(pk=demo.pk).update(title=HOSTILE, origin_region=HOSTILE)
    demo.priority_sectors.clear()

    assert_as_the_template(Delegation.objects.all())
