"""Confirmed addresses: a sign-up is mailed a signed link that confirms its address; signing up
from an invite link confirms it at once; accounts that existed before count as confirmed."""

import html
import re
import time

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from apps.accounts import services
from apps.accounts.models import User
from apps.teams import services as team_services
from tests.accounts.factories import UserFactory

SIGNUP = reverse("accounts:signup")
SEND = reverse("accounts:email_confirmation_send")
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/email/confirm/[^/\s]+/)")
GOOD_PASSWORD = "violet-kettle-orbit-42"


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def _link(message) -> str:
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _signup(client, capture, email="dana@example.com", next_url=""):
    data = {"name": "Dana", "email": email, "password": GOOD_PASSWORD}
    if next_url:
        data["next"] = next_url
    with capture(execute=True):
        return client.post(SIGNUP, data)


def test_a_sign_up_is_unconfirmed_and_mailed_a_link(client, db, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks)
    user = User.objects.get()
    assert user.email_confirmed_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.com"]
    assert "Confirm your" in mail.outbox[0].subject

    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    # Using it again is harmless: the address stays confirmed.
    assert client.post(link).status_code == 302


def test_the_link_works_in_any_browser(client, db, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks)
    assert Client().post(_link(mail.outbox[0])).status_code == 302
    assert User.objects.get().email_confirmed_at is not None


def test_a_confirmation_link_dies_with_the_address_it_named(
    client, db, django_capture_on_commit_callbacks
):
    _signup(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    User.objects.update(email="dana.other@example.com")
    assert client.post(link).status_code == 410
    assert User.objects.get().email_confirmed_at is None


def test_an_expired_confirmation_link_is_refused(
    client, db, django_capture_on_commit_callbacks, monkeypatch
):
    _signup(client, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    later = time.time() + 8 * 24 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(link)
    assert response.status_code == 410
    assert "expired" in _text(response)
    assert User.objects.get().email_confirmed_at is None


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "%00"])
def test_a_malformed_confirmation_link_gets_a_clear_400(client, db, token):
    url = reverse("accounts:email_confirm", args=[token])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "not valid" in _text(response)


def test_signing_up_from_the_invite_link_confirms_the_address(
    client, db, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="olga@example.com", tier="pro")
    invite = team_services.invite_create(owner=owner, email="dana@example.com", role="viewer")
    path = reverse("teams:accept", args=[team_services.invite_token(invite)])
    response = _signup(client, django_capture_on_commit_callbacks, next_url=path)
    assert response["Location"] == path
    assert User.objects.get(email="dana@example.com").email_confirmed_at is not None
    assert not [m for m in mail.outbox if "Confirm your" in m.subject]


@pytest.mark.parametrize("next_kind", ["other address", "forged token", "other page"])
def test_other_next_links_leave_the_address_unconfirmed(
    client, db, django_capture_on_commit_callbacks, next_kind
):
    owner = UserFactory(email="olga@example.com", tier="pro")
    invite = team_services.invite_create(owner=owner, email="erin@example.com", role="viewer")
    token = team_services.invite_token(invite)
    next_url = {
        "other address": reverse("teams:accept", args=[token]),
        "forged token": reverse("teams:accept", args=[token[:-3] + "abc"]),
        "other page": "/prompts/",
    }[next_kind]
    _signup(client, django_capture_on_commit_callbacks, next_url=next_url)
    assert User.objects.get(email="dana@example.com").email_confirmed_at is None


def test_an_unconfirmed_user_can_ask_for_a_new_link(client, db, django_capture_on_commit_callbacks):
    user = UserFactory(email="dana@example.com", email_confirmed_at=None)
    client.force_login(user)
    assert "not confirmed yet" in _text(client.get(reverse("accounts:profile")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:profile")
    assert mail.outbox[-1].to == ["dana@example.com"]
    client.post(_link(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert "not confirmed yet" not in _text(client.get(reverse("accounts:profile")))


def test_confirmation_mails_are_limited_per_account(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_MAIL_LIMIT = 3
    client.force_login(UserFactory(email_confirmed_at=None))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            client.post(SEND)
    assert len(mail.outbox) == 3


def test_the_token_service_refuses_tokens_of_another_kind(alice):
    with pytest.raises(services.EmailLinkError) as caught:
        services.email_confirm(token=services.email_change_token(alice))
    assert caught.value.status == 400


@pytest.mark.django_db(transaction=True)
def test_accounts_that_existed_before_the_migration_count_as_confirmed():
    before = [("accounts", "0002_normalise_emails")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("accounts", "User").objects.create(email="old@example.com", password="!")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.get(email="old@example.com").email_confirmed_at is not None
    assert User.objects.create_user("new@example.com", "x").email_confirmed_at is None
