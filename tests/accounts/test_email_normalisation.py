"""Addresses are normalised once (NFKC, then case folding) and that one form is what is stored,
looked up and throttled, so no spelling of an address reaches an account another spelling
can't, or arrives with a counter of its own."""

import importlib
import io
import logging
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User, normalize_email
from apps.teams import services as team_services
from apps.teams.models import TeamInvite
from tests.accounts.factories import UserFactory
from tests.teams.factories import TeamInviteFactory

SIGNUP = reverse("accounts:signup")
GOOD_PASSWORD = "violet-kettle-orbit-42"
# Each ligature becomes "ffi": 215 characters as typed, 615 once normalised.
GROWS = "a@" + ".".join(["\ufb03" * 20] * 10) + ".test"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Alice@Example.COM ", "alice@example.com"),
        ("mallory@probe.te\u017ft", "mallory@probe.test"),  # long s
        ("STRA\u00dfE@probe.test", "strasse@probe.test"),  # sharp s folds to "ss"
        ("\u212aate@probe.test", "kate@probe.test"),  # Kelvin sign
        ("\uff41lice@\uff45xample.com", "alice@example.com"),  # full-width letters
        ("al\u0131ce@example.com", "al\u0131ce@example.com"),  # dotless i is another letter
        ("", ""),
        (None, ""),
    ],
)
def test_an_address_is_normalised_to_one_spelling(typed, stored):
    assert normalize_email(typed) == stored
    assert User.objects.normalize_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["E\u0301lise@probe.test", "\u1e9e@probe.test", "x@\ufdfa.test", "\u0345@probe.test", GROWS],
)
def test_normalising_twice_changes_nothing(typed):
    once = normalize_email(typed)
    assert normalize_email(once) == once


# --- Storage ----------------------------------------------------------------------------------


def _signup(client, email):
    return client.post(SIGNUP, {"name": "", "email": email, "password": GOOD_PASSWORD})


def test_sign_up_stores_the_normalised_address(client, db):
    assert _signup(client, "Alice@Stra\u00dfe.test").status_code == 302
    assert User.objects.get().email == "alice@strasse.test"


def test_sign_up_refuses_another_spelling_of_a_taken_address(client, db):
    UserFactory(email="mallory@probe.test")
    response = _signup(client, "Mallory@Probe.te\u017ft")
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def test_sign_up_refuses_an_address_too_long_once_normalised(client, db):
    response = _signup(client, GROWS)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.exists()


def test_a_model_form_stores_the_normalised_address(db):
    user = User(email="Mallory@Probe.te\u017ft")
    user.set_unusable_password()
    user.full_clean()
    assert user.email == "mallory@probe.test"


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(email="staff@example.com", is_staff=True, is_superuser=True))
    return client


def test_the_admin_stores_the_normalised_address(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": " \u212aate@Probe.test ",
            "tier": "free",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="kate@probe.test").exists()


def test_the_admin_refuses_another_spelling_of_a_taken_address(staff_client):
    UserFactory(email="mallory@probe.test")
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "mallory@probe.te\u017ft",
            "tier": "free",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__startswith="mallory@").count() == 1


def test_the_admin_refuses_an_address_too_long_once_normalised(staff_client):
    alice = UserFactory(email="alice@example.com")
    response = staff_client.post(
        reverse("admin:accounts_user_change", args=[alice.pk]),
        {"email": GROWS, "name": "", "tier": "free", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_createsuperuser_stores_the_normalised_address(db):
    call_command(
        "createsuperuser", interactive=False, email="Root@Stra\u00dfe.test", stdout=io.StringIO()
    )
    assert User.objects.get(is_superuser=True).email == "root@strasse.test"


def test_createsuperuser_refuses_another_spelling_of_a_taken_address(db):
    UserFactory(email="mallory@probe.test")
    with pytest.raises(CommandError, match="already taken"):
        call_command(
            "createsuperuser",
            interactive=False,
            email="Mallory@probe.te\u017ft",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert User.objects.count() == 1


# --- Existing rows ----------------------------------------------------------------------------

migration = importlib.import_module("apps.accounts.migrations.0002_normalise_emails")


def _legacy(email: str, **fields) -> User:
    """A row as older code could have stored it: its address written as typed."""
    user = UserFactory(**fields)
    User.objects.filter(pk=user.pk).update(email=email)
    return user


def _migrate() -> None:
    migration.normalise_emails(apps, SimpleNamespace(connection=connection))


def _email(user: User) -> str:
    return User.objects.values_list("email", flat=True).get(pk=user.pk)


def test_the_migration_normalises_existing_addresses(db):
    shouty = _legacy("Shouty@Example.COM")
    long_s = _legacy("mallory@probe.te\u017ft")
    plain = UserFactory(email="plain@example.com")
    _migrate()
    assert _email(shouty) == "shouty@example.com"
    assert _email(long_s) == "mallory@probe.test"
    assert _email(plain) == "plain@example.com"


def test_the_migration_leaves_and_reports_rows_that_would_collide(db, caplog):
    already = UserFactory(email="strasse@probe.test")
    sharp = _legacy("stra\u00dfe@probe.test")
    recent = _legacy("Dup@Probe.test", last_login=timezone.now())
    never = _legacy("DUP@probe.test", last_login=None)
    with caplog.at_level(logging.WARNING):
        _migrate()
    # A row already holding the normalised address keeps it; otherwise the most recently used.
    assert _email(already) == "strasse@probe.test"
    assert _email(recent) == "dup@probe.test"
    # The others are left as they were, for staff to sort out, and named by id.
    assert _email(sharp) == "stra\u00dfe@probe.test"
    assert _email(never) == "DUP@probe.test"
    assert str(sharp.pk) in caplog.text
    assert str(never.pk) in caplog.text


def test_the_migration_can_run_twice(db):
    _legacy("Shouty@Example.COM")
    _legacy("Dup@Probe.test")
    _legacy("DUP@probe.test")
    _migrate()
    before = sorted(User.objects.values_list("email", flat=True))
    _migrate()
    assert sorted(User.objects.values_list("email", flat=True)) == before


# --- Invites ----------------------------------------------------------------------------------


def test_an_invite_is_accepted_by_any_spelling_of_its_address(db):
    invite = TeamInviteFactory()
    # As an invite written before addresses were normalised could hold it.
    TeamInvite.objects.filter(pk=invite.pk).update(invited_email="Stra\u00dfe@Probe.test")
    invite.refresh_from_db()
    person = UserFactory(email="strasse@probe.test")
    team_services.invite_accept(invite=invite, user=person)
    invite.refresh_from_db()
    assert invite.accepted_by == person


def test_an_invite_is_not_accepted_by_a_look_alike_address(db):
    invite = TeamInviteFactory(invited_email="alice@example.com")
    person = UserFactory(email="al\u0131ce@example.com")
    with pytest.raises(ValidationError, match="sent to"):
        team_services.invite_accept(invite=invite, user=person)
