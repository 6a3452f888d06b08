"""API keys: made with a secret shown once, stored only as a hash, revoked at once."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services
from apps.accounts.api_keys import key_for_secret
from apps.accounts.models import ApiKey
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:api_keys")


def test_the_secret_is_stored_only_as_its_hash(alice):
    key, secret = services.api_key_create(user=alice, name="Checkout app")
    assert secret.startswith("pv_") and len(secret) >= 3 + 43
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert secret not in str(stored)
    assert stored["hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["prefix"] == secret[:11]
    assert stored["scopes"] == ["read"]
    assert key_for_secret(secret) == key


def test_revoked_expired_and_wrong_keys_fail_at_once(alice):
    key, secret = services.api_key_create(user=alice, name="a", scopes=["write", "read"])
    assert key.scopes == ["read", "write"]
    services.api_key_revoke(key=key)
    assert key_for_secret(secret) is None
    soon = timezone.now() + timedelta(seconds=30)
    expiring, expiring_secret = services.api_key_create(user=alice, name="b", expires_at=soon)
    assert key_for_secret(expiring_secret) == expiring
    ApiKey.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert key_for_secret(expiring_secret) is None
    for wrong in ["", "pv_", "pv_" + "x" * 43, "nope", "pv_" + "x" * 10_000, "pv_\udcff"]:
        assert key_for_secret(wrong) is None


def test_a_deactivated_persons_keys_fail(alice):
    _key, secret = services.api_key_create(user=alice, name="a")
    alice.is_active = False
    alice.save()
    assert key_for_secret(secret) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "a", "scopes": ["write"]}, "scopes"),
        ({"name": "a", "scopes": ["read", "admin"]}, "scopes"),
        ({"name": "a", "scopes": []}, "scopes"),
        ({"name": "a", "expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
    ],
)
def test_bad_keys_are_refused(alice, fields, field):
    with pytest.raises(ValidationError) as error:
        services.api_key_create(user=alice, **fields)
    assert field in error.value.message_dict


def test_last_used_is_written_at_most_once_a_minute(alice, django_assert_num_queries):
    key, _secret = services.api_key_create(user=alice, name="a")
    with django_assert_num_queries(1):
        services.api_key_touch(key=key)
    first = key.last_used_at
    with django_assert_num_queries(0):
        services.api_key_touch(key=key)
    stale = ApiKey.objects.get(pk=key.pk)
    stale.last_used_at = None  # another process's copy, read before the touch
    services.api_key_touch(key=stale)
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first


def test_a_person_has_a_bounded_number_of_keys(alice):
    for n in range(services.API_KEYS_MAX):
        services.api_key_create(user=alice, name=f"k{n}")
    with pytest.raises(ValidationError):
        services.api_key_create(user=alice, name="one too many")


def test_the_page_shows_the_secret_once_and_lists_keys(alice, alice_client):
    made = alice_client.post(PAGE, {"name": "Checkout app", "scopes": "read write"})
    assert made.status_code == 302 and made["Location"] == PAGE
    response = alice_client.get(PAGE)
    key = ApiKey.objects.get(user=alice)
    page = response.content.decode()
    secret = response.context["secret"]
    assert secret.startswith("pv_") and secret in page and key.scopes == ["read", "write"]
    assert key_for_secret(secret) == key
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    again = alice_client.get(PAGE).content.decode()
    assert secret not in again
    assert "Checkout app" in again and key.prefix in again
    assert 'data-confirm="Revoke the key' in again


def test_the_page_refuses_bad_input_without_a_500(alice_client):
    for data in [
        {},
        {"name": "a", "scopes": "admin"},
        {"name": "a", "scopes": "read", "expires_in": "7"},
    ]:
        assert alice_client.post(PAGE, data).status_code == 200
    assert not ApiKey.objects.exists()


def test_expiry_choice_sets_the_date(alice, alice_client):
    alice_client.post(PAGE, {"name": "a", "scopes": "read", "expires_in": "30"})
    key = ApiKey.objects.get(user=alice)
    assert timedelta(days=29) < key.expires_at - timezone.now() <= timedelta(days=30)


def test_revoke_is_for_the_owner_only(alice, alice_client):
    other_key, _ = services.api_key_create(user=UserFactory(), name="theirs")
    response = alice_client.post(reverse("accounts:api_key_revoke", args=[other_key.pk]))
    assert response.status_code == 404
    other_key.refresh_from_db()
    assert other_key.revoked_at is None
    mine, _ = services.api_key_create(user=alice, name="mine")
    response = alice_client.post(reverse("accounts:api_key_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None


def test_the_page_needs_a_log_in(client):
    assert client.get(PAGE).status_code == 302


def test_staff_revoke_keys_from_the_admin_without_seeing_hashes(client, alice):
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    key, secret = services.api_key_create(user=alice, name="Leaked app")
    client.force_login(staff)
    change = client.get(reverse("admin:accounts_apikey_change", args=[key.pk])).content.decode()
    assert key.prefix in change and key.hash not in change and secret not in change
    response = client.post(
        reverse("admin:accounts_apikey_changelist"),
        {"action": "revoke", "_selected_action": [str(key.pk)]},
    )
    assert response.status_code == 302
    assert key_for_secret(secret) is None


def test_reloading_after_making_a_key_makes_no_second_key_and_hides_the_secret(alice_client):
    alice_client.post(PAGE, {"name": "Checkout app", "scopes": "read"})
    first = alice_client.get(PAGE)
    assert first.context["secret"]
    reloaded = alice_client.get(PAGE)
    assert reloaded.context["secret"] is None
    assert first.context["secret"] not in reloaded.content.decode()
    assert ApiKey.objects.count() == 1
