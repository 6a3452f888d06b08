import html
from unittest import mock

import pytest
from django.urls import reverse

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


def _login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_the_login_page_answers(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_login_ignores_the_case_of_the_email(client, alice, password):
    response = _login(client, "  ALICE@Example.COM ", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_password_gets_a_clear_error(client, alice):
    response = _login(client, "alice@example.com", "not-the-password")
    assert response.status_code == 200
    assert "don't match an account" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_login_follows_a_safe_next_only(client, alice, password):
    response = client.post(
        f"{LOGIN}?next=/prompts/",
        {"username": alice.email, "password": password, "next": "/prompts/"},
    )
    assert response["Location"] == "/prompts/"
    client.post(LOGOUT)
    response = client.post(
        LOGIN, {"username": alice.email, "password": password, "next": "https://evil.example/x"}
    )
    assert response["Location"] == reverse("home")


def test_the_session_key_rotates_on_login(client, alice, password):
    client.get(LOGIN)
    session = client.session
    session["before"] = "login"
    session.save()
    before = session.session_key
    _login(client, alice.email, password)
    assert client.session.session_key != before


def test_log_out_is_post_only(alice_client):
    assert alice_client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in alice_client.session
    response = alice_client.post(LOGOUT)
    assert response.status_code == 302
    assert "_auth_user_id" not in alice_client.session
    assert alice_client.get(reverse("accounts:profile")).status_code == 302


def test_pages_behind_login_send_visitors_to_log_in(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- Throttling -------------------------------------------------------------------------------


@pytest.fixture
def attempts(settings) -> int:
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    return 3


def test_too_many_failures_pause_logins_even_with_the_right_password(
    client, alice, password, attempts
):
    for _ in range(attempts):
        assert _login(client, alice.email, "wrong-password").status_code == 200
    response = _login(client, alice.email, password)
    assert response.status_code == 429
    body = html.unescape(response.content.decode())
    assert "Too many failed log-in attempts" in body
    assert "reset your password" in body
    assert "_auth_user_id" not in client.session


def test_the_pause_counts_attempts_against_one_account_from_anywhere(
    client, alice, password, attempts
):
    for n in range(attempts):
        client.post(
            LOGIN,
            {"username": alice.email, "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    response = client.post(
        LOGIN, {"username": alice.email, "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429


def test_the_pause_counts_attempts_from_one_address_against_any_account(
    client, alice, charlie, password, attempts
):
    for n in range(attempts):
        _login(client, f"nobody{n}@example.com", "wrong")
    assert _login(client, charlie.email, password).status_code == 429


def test_a_successful_login_clears_earlier_failures(client, alice, password, attempts):
    for _ in range(attempts - 1):
        _login(client, alice.email, "wrong-password")
    assert _login(client, alice.email, password).status_code == 302
    client.post(LOGOUT)
    for _ in range(attempts - 1):
        _login(client, alice.email, "wrong-password")
    assert _login(client, alice.email, password).status_code == 302


def test_failures_in_another_case_count_against_the_same_account(client, alice, password, attempts):
    for n in range(attempts):
        client.post(
            LOGIN,
            {"username": alice.email.upper(), "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    response = client.post(
        LOGIN, {"username": alice.email, "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429


def test_a_paused_login_checks_no_password(client, alice, password, attempts):
    for _ in range(attempts):
        _login(client, alice.email, "wrong-password")
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        response = _login(client, alice.email, password)
    assert response.status_code == 429
    authenticate.assert_not_called()
    assert response.context["form"]["username"].value() == alice.email
