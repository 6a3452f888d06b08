import html
import re

from django.urls import reverse
from django.utils.html import strip_tags

from apps.accounts.models import User
from tests.prompts.factories import PromptFactory

PROFILE = reverse("accounts:profile")


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def test_profile_shows_a_free_users_tier_and_usage(alice_client, alice):
    for _ in range(3):
        PromptFactory(user=alice)
    response = alice_client.get(PROFILE)
    assert response.status_code == 200
    text = _text(response)
    assert "3 of 50 prompts" in text
    assert "Free plan" in text
    assert 'data-testid="tier">Free<' in response.content.decode()
    assert '<progress class="usage__bar" max="50" value="3"' in response.content.decode()


def test_profile_shows_unlimited_for_pro(alice_client, alice):
    User.objects.filter(pk=alice.pk).update(tier="pro")
    PromptFactory(user=alice)
    response = alice_client.get(PROFILE)
    text = _text(response)
    assert "1 of unlimited prompts" in text
    assert "Pro plan" in text
    assert "<progress" not in response.content.decode()


def test_profile_says_when_the_vault_is_full(alice_client, alice):
    User.objects.filter(pk=alice.pk).update(prompt_count=50)
    text = _text(alice_client.get(PROFILE))
    assert "50 of 50 prompts" in text
    assert "Your vault is full" in text


def test_a_user_edits_their_name(alice_client, alice):
    response = alice_client.post(PROFILE, {"name": "  Alice Liddell "}, follow=True)
    assert "Your profile was saved." in response.content.decode()
    alice.refresh_from_db()
    assert alice.name == "Alice Liddell"


def test_the_profile_leads_to_the_email_change_form(alice_client):
    page = alice_client.get(PROFILE).content.decode()
    assert f'href="{reverse("accounts:email_change")}"' in page


def test_a_too_long_name_is_refused_on_the_profile(alice_client, alice):
    response = alice_client.post(PROFILE, {"name": "x" * 151})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.name == "Alice"
