"""One check answers "is this address taken?" for sign-up, email change and the admin."""

from apps.accounts.models import User
from tests.accounts.factories import UserFactory


def test_an_address_is_taken_whatever_its_case(alice):
    assert User.objects.email_taken("ALICE@Example.com")
    assert not User.objects.email_taken("nobody@example.com")


def test_ones_own_address_is_not_taken_by_another(alice):
    assert not User.objects.email_taken("alice@example.com", excluding=alice)
    other = UserFactory(email="other@example.com")
    assert User.objects.email_taken("Other@example.com", excluding=alice)
    assert not User.objects.email_taken("other@example.com", excluding=other)
