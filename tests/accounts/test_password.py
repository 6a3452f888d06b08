import re

import pytest
from django.core import mail
from django.db import connection
from django.tasks.signals import task_enqueued
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import tasks
from apps.accounts.models import User
from tests.accounts.factories import UserFactory

CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "amber-lantern-meadow-93"


def _can_log_in(client, email: str, password: str) -> bool:
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    return response.status_code == 302


# --- Change -----------------------------------------------------------------------------------


def test_a_signed_in_user_changes_their_password(alice_client, alice, password):
    response = alice_client.post(
        CHANGE,
        {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Your password was changed." in response.content.decode()
    # Still signed in after the change.
    assert alice_client.get(reverse("accounts:profile")).status_code == 200
    assert _can_log_in(alice_client, alice.email, NEW_PASSWORD)
    assert not _can_log_in(alice_client, alice.email, password)


def test_a_password_change_needs_the_current_password(alice_client, alice, password):
    response = alice_client.post(
        CHANGE,
        {"old_password": "a-guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_a_password_change_refuses_a_weak_password(alice_client, alice, password):
    response = alice_client.post(
        CHANGE,
        {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(password)


# --- Reset by email ---------------------------------------------------------------------------


@pytest.fixture
def reset(client, django_capture_on_commit_callbacks):
    """Ask for a reset. The mail is sent by a task enqueued once the request commits: run it."""

    def ask(email: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, **extra)

    return ask


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_reset_email_lets_the_user_choose_a_new_password(reset, client, alice, password):
    response = reset("Alice@Example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "Reset your PromptVault password" in message.subject

    link = _reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "Your password was changed" in client.get(response["Location"]).content.decode()

    assert _can_log_in(client, alice.email, NEW_PASSWORD)
    assert not _can_log_in(client, alice.email, password)


def test_a_reset_link_works_once(reset, client, alice):
    reset(alice.email)
    link = _reset_link(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_email_shows_the_same_page_and_sends_nothing(reset, client, alice):
    response = reset("nobody@example.com", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_tampered_token_shows_the_invalid_link_page(reset, client, alice, password):
    reset(alice.email)
    link = _reset_link(mail.outbox[0])
    uid, token = link.rstrip("/").split("/")[-2:]
    forged = reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token[:-3] + "abc"}
    )
    response = client.get(forged, follow=True)
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "This link no longer works" in response.content.decode()
    assert "new_password1" not in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_an_account_without_a_usable_password_gets_no_reset_email(reset, client, alice):
    User.objects.filter(pk=alice.pk).update(password="!unusable")
    reset(alice.email)
    assert mail.outbox == []


def test_a_reset_lifts_a_paused_login(reset, client, alice, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    login = reverse("accounts:login")
    # From elsewhere: a reset lifts the account's pause, not the pause of an address that
    # failed too often.
    for n in range(2):
        client.post(
            login, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}"
        )
    assert client.post(login, {"username": alice.email, "password": "x"}).status_code == 429
    reset(alice.email)
    set_password_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _can_log_in(client, alice.email, NEW_PASSWORD)


# --- Limits and one path for every address ----------------------------------------------------


def test_twenty_requests_for_one_address_send_at_most_the_limit(reset, client, alice, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 100
    spellings = ["alice@example.com", "ALICE@example.com", " Alice@Example.com "]
    statuses = [reset(spellings[n % 3]).status_code for n in range(20)]
    assert statuses == [302] * 3 + [429] * 17
    assert len(mail.outbox) == 3
    refused = reset(alice.email)
    assert "Too many password reset requests" in refused.content.decode()
    assert refused.context["form"]["email"].value() == alice.email


def test_one_client_is_limited_across_addresses(reset, client, db, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 100
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 5
    people = [UserFactory(email=f"p{index}@example.com") for index in range(20)]
    statuses = [reset(person.email, REMOTE_ADDR="203.0.113.9").status_code for person in people]
    assert statuses == [302] * 5 + [429] * 15
    assert len(mail.outbox) == 5
    elsewhere = reset(people[-1].email, REMOTE_ADDR="198.51.100.4")
    assert elsewhere.status_code == 302
    assert len(mail.outbox) == 6


def test_unknown_addresses_count_against_the_limit_like_known_ones(reset, client, alice, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    unknown = [reset("nobody@example.com").status_code for _ in range(3)]
    known = [reset(alice.email).status_code for _ in range(3)]
    assert unknown == known == [302, 302, 429]


def test_known_and_unknown_addresses_take_the_same_path_in_the_request(
    client, alice, django_capture_on_commit_callbacks
):
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append((task_result.task.name, task_result.args, task_result.kwargs))

    task_enqueued.connect(record)
    try:
        runs = {}
        for email in ("Alice@Example.com", "nobody@example.com"):
            sent = len(mail.outbox)
            with (
                CaptureQueriesContext(connection) as queries,
                django_capture_on_commit_callbacks() as callbacks,
            ):
                response = client.post(RESET, {"email": email})
            runs[email] = (response.status_code, [q["sql"] for q in queries], len(callbacks))
            # Nothing was sent or looked up yet: the mail waits for the commit.
            assert len(mail.outbox) == sent
            for callback in callbacks:
                callback()
    finally:
        task_enqueued.disconnect(record)
    known, unknown = runs.values()
    assert known[0] == unknown[0] == 302
    assert len(known[1]) == len(unknown[1])
    assert not [sql for sql in known[1] + unknown[1] if '"users"' in sql]
    assert known[2] == unknown[2] == 1
    name = tasks.send_password_reset.name
    assert [(n, kwargs["email"]) for n, _, kwargs in enqueued] == [
        (name, "alice@example.com"),
        (name, "nobody@example.com"),
    ]
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]


def test_hostile_reset_input_gets_a_form_error(client, db):
    for data in ({}, {"email": "x" * 5000}, {"email": "not-an-address"}, {"email": "a@b\x00.c"}):
        response = client.post(RESET, data)
        assert response.status_code == 200
        assert "email" in response.context["form"].errors
    assert mail.outbox == []
