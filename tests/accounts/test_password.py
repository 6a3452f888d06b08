import re

from django.core import mail
from django.urls import reverse

from apps.accounts.models import User

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


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_reset_email_lets_the_user_choose_a_new_password(client, alice, password):
    response = client.post(RESET, {"email": "Alice@Example.com"})
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


def test_a_reset_link_works_once(client, alice):
    client.post(RESET, {"email": alice.email})
    link = _reset_link(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_email_shows_the_same_page_and_sends_nothing(client, alice):
    response = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_tampered_token_shows_the_invalid_link_page(client, alice, password):
    client.post(RESET, {"email": alice.email})
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


def test_an_account_without_a_usable_password_gets_no_reset_email(client, alice):
    User.objects.filter(pk=alice.pk).update(password="!unusable")
    client.post(RESET, {"email": alice.email})
    assert mail.outbox == []


def test_a_reset_lifts_a_paused_login(client, alice, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    login = reverse("accounts:login")
    # From elsewhere: a reset lifts the account's pause, not the pause of an address that
    # failed too often.
    for n in range(2):
        client.post(
            login, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}"
        )
    assert client.post(login, {"username": alice.email, "password": "x"}).status_code == 429
    client.post(RESET, {"email": alice.email})
    set_password_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _can_log_in(client, alice.email, NEW_PASSWORD)
