import html
from unittest import mock

import pytest
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.accounts.factories import UserFactory
from tests.conftest import PASSWORD

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


def test_a_failure_with_an_invalid_address_checks_no_password_and_counts_nothing(
    client, alice, password, attempts
):
    for _ in range(attempts + 2):
        assert _login(client, "not an address", "wrong").status_code == 200
    assert _login(client, alice.email, password).status_code == 302


# --- One counter per address, whatever logs in from it ----------------------------------------


@pytest.fixture
def failed_checks():
    """Every password check that failed, as Django's own signal reports them."""
    failures = []

    def count(sender, credentials, **kwargs):
        failures.append(credentials.get("username"))

    user_login_failed.connect(count)
    yield failures
    user_login_failed.disconnect(count)


@pytest.mark.parametrize("targets", ["one account", "a new account each round"])
def test_logging_into_your_own_account_does_not_reset_your_addresss_failures(
    client, alice, charlie, password, attempts, failed_checks, targets
):
    """The attacker guesses one short of the limit, logs into their own account (charlie),
    logs out, and does it again: their address is still paused after `attempts` failures."""
    victims = [alice] if targets == "one account" else UserFactory.create_batch(6)
    own_logins = []
    for round_ in range(6):
        victim = victims[round_ % len(victims)]
        for _ in range(attempts - 1):
            _login(client, victim.email, "a-guess")
        own_logins.append(_login(client, charlie.email, password).status_code)
        client.post(LOGOUT)
    assert own_logins[0] == 302
    assert set(own_logins[1:]) == {429}
    assert len(failed_checks) == attempts


def test_a_successful_login_still_clears_its_own_accounts_failures(
    client, alice, password, attempts
):
    for n in range(attempts - 1):
        client.post(
            LOGIN, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}"
        )
    assert _login(client, alice.email, password).status_code == 302
    client.post(LOGOUT)
    for n in range(attempts - 1):
        client.post(
            LOGIN, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
    assert _login(client, alice.email, password).status_code == 302


def test_resetting_your_own_password_does_not_reset_your_addresss_failures(
    client, alice, charlie, password, attempts
):
    for _ in range(attempts - 1):
        _login(client, alice.email, "a-guess")
    uid = urlsafe_base64_encode(force_bytes(charlie.pk))
    token = default_token_generator.make_token(charlie)
    link = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "amber-lantern-meadow-93"
    response = client.post(
        set_password_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    _login(client, alice.email, "a-guess")
    assert _login(client, charlie.email, new_password).status_code == 429


# --- Spellings of one address share its counter -----------------------------------------------


@pytest.fixture
def mallory(db):
    return UserFactory(email="mallory@probe.test", name="Mallory", password=PASSWORD)


LONG_S = "mallory@probe.te\u017ft"  # U+017F LATIN SMALL LETTER LONG S


def test_failures_spelled_with_a_long_s_pause_the_account(client, mallory, password, attempts):
    for n in range(attempts):
        client.post(LOGIN, {"username": LONG_S, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}")
    response = client.post(
        LOGIN, {"username": mallory.email, "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_long_s_spelling_gets_no_fresh_counter(client, mallory, password, attempts):
    for n in range(attempts):
        client.post(
            LOGIN, {"username": mallory.email, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}"
        )
    response = client.post(
        LOGIN, {"username": LONG_S, "password": password}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_long_s_spelling_is_the_same_address(client, mallory, password):
    assert _login(client, LONG_S, password).status_code == 302
    assert client.session["_auth_user_id"] == str(mallory.pk)


@pytest.mark.parametrize(
    "look_alike",
    [
        "al\u0131ce@example.com",  # dotless i: PostgreSQL's UPPER() makes it an I
        "alice@ex\u0430mple.com",  # Cyrillic a
    ],
)
def test_a_look_alike_unicode_does_not_fold_reaches_no_account(client, alice, password, look_alike):
    response = _login(client, look_alike, password)
    assert response.status_code == 200
    assert "don't match an account" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_an_address_that_grows_when_normalised_is_refused_cleanly(client, alice, password):
    grows = "a@" + ".".join(["\ufb03" * 20] * 10) + ".test"  # each ligature becomes "ffi"
    assert len(grows) <= 254
    response = _login(client, grows, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- The admin's log-in -----------------------------------------------------------------------

ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def staff(db):
    return UserFactory(
        email="staff@example.com", name="Sam Staff", password=PASSWORD, is_staff=True
    )


def _admin_login(client, email, password, **extra):
    return client.post(
        ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"}, **extra
    )


def test_the_admin_login_works_for_staff(client, staff, password):
    response = _admin_login(client, "  Staff@Example.COM ", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_the_admin_login_still_refuses_people_who_are_not_staff(client, alice, password):
    response = _admin_login(client, alice.email, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_twelve_wrong_admin_passwords_pause_the_admin_login(client, staff, password):
    for _ in range(12):
        _admin_login(client, staff.email, "wrong-password")
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        response = _admin_login(client, staff.email, password)
    authenticate.assert_not_called()
    assert "_auth_user_id" not in client.session
    assert "Too many failed log-in attempts" in html.unescape(response.content.decode())


def test_the_admin_and_the_app_count_failures_together(client, staff, password, attempts):
    for n in range(attempts - 1):
        _admin_login(client, staff.email, "wrong", REMOTE_ADDR=f"203.0.113.{n}")
    client.post(LOGIN, {"username": staff.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.200")
    for login in (
        lambda: _admin_login(client, staff.email, password, REMOTE_ADDR="198.51.100.7"),
        lambda: client.post(
            LOGIN, {"username": staff.email, "password": password}, REMOTE_ADDR="198.51.100.8"
        ),
    ):
        response = login()
        assert "Too many failed log-in attempts" in html.unescape(response.content.decode())
        assert "_auth_user_id" not in client.session


def test_the_admin_login_counts_the_same_addresses_as_the_app(
    client, alice, staff, password, attempts
):
    for n in range(attempts):
        _login(client, f"nobody{n}@example.com", "wrong")
    response = _admin_login(client, staff.email, password)
    assert "Too many failed log-in attempts" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session
