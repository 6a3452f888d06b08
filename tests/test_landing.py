"""The landing page says plainly what is not built yet and that paid plans can't be bought
online: nothing it sells is missing without a "Coming soon" beside it."""

import re

import pytest
from django.urls import reverse

from promptvault import entitlements

pytestmark = pytest.mark.django_db


def landing_text(client) -> str:
    html = client.get(reverse("home")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.split())


def test_the_analyzer_and_ai_optimization_are_marked_coming_soon_wherever_they_appear(client):
    text = landing_text(client)

    for feature in ("Built-in prompt analyzer", "AI optimization", "Prompt analyzer"):
        mentions = [m.end() for m in re.finditer(re.escape(feature), text)]
        assert mentions, feature
        for end in mentions:
            assert text[end : end + len(" Coming soon")] == " Coming soon", feature


def test_each_paid_plan_says_upgrades_are_set_up_by_the_administrator(client):
    html = client.get(reverse("home")).content.decode()

    paid = [plan for plan in entitlements.PLANS.values() if plan.price_per_month]
    notes = re.findall(r'data-testid="plan-note">([^<]+)<', html)
    assert len(notes) == len(paid) >= 2
    assert all("administrator" in note and "online" in note for note in notes)
    assert "until billing arrives, upgrades are set up by the administrator" in html


def test_online_billing_is_announced_as_coming_not_offered(client):
    text = landing_text(client)

    assert "Online billing Coming soon" in text
    assert "Upgrade now" not in text and "Buy" not in text
