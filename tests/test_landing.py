"""The landing page sells only what this server offers: the analyzer, AI optimization and the
template library as features, and paid plans bought online only when billing is set up."""

import re

import pytest
from django.urls import reverse

from promptvault import entitlements

pytestmark = pytest.mark.django_db


def landing_text(client) -> str:
    html = client.get(reverse("home")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.split())


def test_nothing_on_the_landing_page_is_still_announced_as_coming(client):
    text = landing_text(client)

    assert "Coming soon" not in text
    for feature in ("Prompt analyzer", "AI optimization", "Template library"):
        assert feature in text


def test_every_plan_lists_the_analyzer_and_only_paid_plans_list_ai_optimization(client):
    html = client.get(reverse("home")).content.decode()

    cards = re.findall(r'data-testid="plan">(.*?)</div>\s*</div>', html, re.S)
    assert len(cards) == len(entitlements.PLANS)
    for card, plan in zip(cards, entitlements.PLANS.values(), strict=True):
        assert "Built-in prompt analyzer" in card
        assert ("AI optimization" in card) == plan.llm_optimization


def test_without_billing_paid_plans_are_set_up_by_the_administrator(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    html = client.get(reverse("home")).content.decode()

    paid = [plan for plan in entitlements.PLANS.values() if plan.price_per_month]
    notes = re.findall(r'data-testid="plan-note">([^<]+)<', html)
    assert len(notes) == len(paid) >= 2
    assert all("administrator" in note for note in notes)
    assert 'data-testid="plan-link"' not in html
    assert "its administrator sets up paid plans" in html


def test_with_billing_paid_plans_link_to_the_pricing_page(client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_landing"
    html = client.get(reverse("home")).content.decode()

    links = re.findall(r'href="([^"]+)" data-testid="plan-link"', html)
    paid = [plan for plan in entitlements.PLANS.values() if plan.price_per_month]
    assert links == [reverse("billing:pricing")] * len(paid)
    assert 'data-testid="plan-note"' not in html
    assert "Upgrade with a card" in html
