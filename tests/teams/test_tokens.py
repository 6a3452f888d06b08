from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.teams import services
from apps.teams.models import TeamInvite


def _accept_url(invite) -> str:
    return reverse("teams:accept", args=[services.invite_token(invite)])


def test_a_tampered_token_gets_a_clear_400_page(client, invite):
    token = services.invite_token(invite)
    response = client.get(reverse("teams:accept", args=[token[:-3] + "abc"]))
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert client.get(reverse("teams:accept", args=["garbage"])).status_code == 400


def test_an_expired_invite_gets_410_and_changes_nothing(client, invite, invitee):
    url = _accept_url(invite)
    TeamInvite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(invitee)
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    invite.refresh_from_db()
    assert not invite.accepted


def test_a_used_invite_cannot_be_used_again(client, invite, invitee):
    url = _accept_url(invite)
    client.force_login(invitee)
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 410
    assert b"already been used" in again.content


def test_a_revoked_invite_cannot_be_used(client, invite, invitee):
    url = _accept_url(invite)
    services.invite_revoke(invite=invite)
    client.force_login(invitee)
    assert client.post(url).status_code == 410
    invite.refresh_from_db()
    assert not invite.accepted


def test_someone_signed_in_with_another_email_is_told_and_offered_to_switch(invite, charlie):
    client = Client()
    client.force_login(charlie)
    url = _accept_url(invite)
    page = client.get(url).content.decode()
    assert "this invite is for bob@example.com" in page
    assert "Log out and continue" in page
    assert client.post(url).status_code == 403
    invite.refresh_from_db()
    assert not invite.accepted


def test_an_anonymous_visitor_is_offered_sign_up_with_the_invited_email(client, invite):
    page = client.get(_accept_url(invite)).content.decode()
    assert "email=bob%40example.com" in page
    assert client.post(_accept_url(invite)).status_code == 401
