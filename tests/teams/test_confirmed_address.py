"""Accepting an invite needs an account whose address is confirmed, so an invite can't be
taken by pointing another account at the invited address for a moment."""

import html
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from apps.teams import services
from apps.teams.models import TeamInvite
from tests.accounts.factories import UserFactory

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/email/confirm/[^/\s]+/)")


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def _accept_url(invite) -> str:
    return reverse("teams:accept", args=[services.invite_token(invite)])


@pytest.fixture
def unconfirmed_bob(db):
    return UserFactory(email="bob@example.com", name="Bob", email_confirmed_at=None)


def test_an_unconfirmed_invitee_is_asked_to_confirm_first(invite, unconfirmed_bob):
    client = Client()
    client.force_login(unconfirmed_bob)
    url = _accept_url(invite)
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm your email address" in _text(page)
    assert 'data-testid="send-confirmation"' in page.content.decode()
    assert 'data-testid="accept-invite"' not in page.content.decode()
    refused = client.post(url)
    assert refused.status_code == 403
    assert "Send me a confirmation link" in _text(refused)
    invite.refresh_from_db()
    assert not invite.accepted
    with pytest.raises(ValidationError, match="Confirm your email address"):
        services.invite_accept(invite=invite, user=unconfirmed_bob)


def test_after_confirming_the_invitee_accepts(
    invite, unconfirmed_bob, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(unconfirmed_bob)
    url = _accept_url(invite)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("accounts:email_confirmation_send"), {"next": url})
    assert sent["Location"] == url
    assert "We sent a confirmation link to bob@example.com" in _text(client.get(url))
    link = CONFIRM_LINK.search(mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["bob@example.com"]
    confirmed = client.post(link)
    assert confirmed["Location"] == url
    assert client.post(url).status_code == 302
    invite.refresh_from_db()
    assert invite.accepted and invite.accepted_by == unconfirmed_bob


def test_pointing_another_account_at_the_invited_address_does_not_open_the_invite(
    invite, charlie, password, django_capture_on_commit_callbacks
):
    attacker = Client()
    attacker.force_login(charlie)
    url = _accept_url(invite)
    with django_capture_on_commit_callbacks(execute=True):
        attacker.post(reverse("accounts:profile"), {"name": "C", "email": "bob@example.com"})
        attacker.post(
            reverse("accounts:email_change"), {"email": "bob@example.com", "password": password}
        )
    charlie.refresh_from_db()
    assert charlie.email == "charlie@example.com"
    assert attacker.post(url).status_code == 403
    assert not TeamInvite.objects.filter(accepted=True).exists()
    # The confirmation went to the invitee's inbox, not to the attacker.
    changes = [m.to for m in mail.outbox if "new PromptVault email address" in m.subject]
    assert changes == [["bob@example.com"]]
