"""Changing the login address: the current password is asked for, and the change only takes
effect once the new address opens the signed link mailed to it; the old address is told."""

import html
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from apps.accounts.models import User
from tests.accounts.factories import UserFactory

PROFILE = reverse("accounts:profile")
EMAIL = reverse("accounts:email_change")
CHANGE_LINK = re.compile(r"https?://[^/\s]+(/accounts/email/change/[^/\s]+/)")
NEW = "alice.new@example.com"


@pytest.fixture
def ask(alice_client, password, django_capture_on_commit_callbacks):
    """Ask for a change of alice's address, running the mail task."""

    def ask_for(email: str = NEW, secret: str | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return alice_client.post(
                EMAIL, {"email": email, "password": password if secret is None else secret}
            )

    return ask_for


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def confirm_with(link: str, client: Client | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(link)

    return confirm_with


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def _link(message) -> str:
    match = CHANGE_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_an_email_change_needs_the_current_password(ask, alice):
    response = ask(secret="a-guess")
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.com", "")
    assert mail.outbox == []


def test_the_profile_form_no_longer_changes_the_address(alice_client, alice):
    response = alice_client.post(PROFILE, {"name": "Alice L", "email": "charlie@example.com"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.name, alice.email) == ("Alice L", "alice@example.com")


def test_the_change_waits_for_the_new_address_to_confirm(ask, confirm, alice, alice_client):
    response = ask("  Alice.New@Example.COM ")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.com", NEW)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [NEW]
    assert f"A confirmation is pending to {NEW}" in _text(alice_client.get(PROFILE))

    link = _link(mail.outbox[0])
    # Opening the link asks before changing anything (mail scanners open links too).
    page = Client().get(link)
    assert page.status_code == 200 and NEW in _text(page)
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"

    done = confirm(link)
    assert done.status_code == 302
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == (NEW, "")
    assert alice.email_confirmed_at is not None
    assert "pending" not in _text(alice_client.get(PROFILE))


def test_the_old_address_is_told_of_the_change(ask, confirm):
    ask()
    confirm(_link(mail.outbox[0]))
    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.com"]
    assert NEW in notice.body


def test_a_change_link_works_once(ask, confirm, alice):
    ask()
    link = _link(mail.outbox[0])
    assert confirm(link).status_code == 302
    again = confirm(link)
    assert again.status_code == 410
    assert Client().get(link).status_code == 410
    alice.refresh_from_db()
    assert alice.email == NEW


def test_a_newer_request_retires_the_older_link(ask, confirm, alice):
    ask()
    ask("alice.other@example.com")
    older, newer = (_link(message) for message in mail.outbox)
    assert confirm(older).status_code == 410
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert confirm(newer).status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice.other@example.com"


def test_the_link_stops_working_once_the_address_changed_otherwise(ask, confirm, alice):
    ask()
    link = _link(mail.outbox[0])
    User.objects.filter(pk=alice.pk).update(email="alice.admin@example.com")
    assert confirm(link).status_code == 410
    alice.refresh_from_db()
    assert alice.email == "alice.admin@example.com"


def test_an_expired_link_is_refused(ask, confirm, alice, monkeypatch):
    ask()
    link = _link(mail.outbox[0])
    later = time.time() + 8 * 24 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = confirm(link)
    assert response.status_code == 410
    assert "expired" in _text(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


@pytest.mark.parametrize("token", ["garbage", "x" * 3000, "eyJ1c2VyIjoiMSJ9:abc:def"])
def test_a_malformed_link_gets_a_clear_400(client, token, db):
    url = reverse("accounts:email_change_confirm", args=[token])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "not valid" in _text(response)


def test_a_tampered_link_gets_a_clear_400(ask, confirm, alice):
    ask()
    link = _link(mail.outbox[0])
    assert confirm(link[:-4] + "abc/").status_code == 400
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_a_sign_up_confirmation_link_is_no_email_change_link(client, alice):
    from apps.accounts import services

    token = services.email_confirmation_token(alice)
    url = reverse("accounts:email_change_confirm", args=[token])
    assert client.post(url).status_code == 400


def test_an_address_taken_meanwhile_is_refused_at_confirmation(ask, confirm, alice):
    ask()
    link = _link(mail.outbox[0])
    UserFactory(email=NEW)
    response = confirm(link)
    assert response.status_code == 409
    assert "Another account already uses" in _text(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("CHARLIE@example.com", "Another account already uses this email address."),
        ("ALICE@example.com", "That is already your address."),
        ("alice-at-example", "Enter a valid email address."),
        ("", "This field is required."),
        ("a" * 300 + "@example.com", "at most 254 characters"),
    ],
)
def test_bad_new_addresses_are_form_errors(ask, alice, charlie, email, message):
    response = ask(email)
    assert response.status_code == 200
    assert message in _text(response)
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.com", "")
    assert mail.outbox == []


def test_a_pending_change_can_be_cancelled(ask, confirm, alice, alice_client):
    ask()
    link = _link(mail.outbox[0])
    response = alice_client.post(reverse("accounts:email_change_cancel"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.pending_email == ""
    assert confirm(link).status_code == 410
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_change_requests_are_limited_per_account(ask, alice, settings):
    settings.ACCOUNT_MAIL_LIMIT = 2
    statuses = [ask(f"alice{index}@example.com").status_code for index in range(6)]
    assert statuses == [302, 302, 429, 429, 429, 429]
    assert len(mail.outbox) == 2


def test_the_email_page_needs_a_login(client, db):
    response = client.get(EMAIL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
