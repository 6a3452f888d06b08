import pytest

from apps.teams import services
from tests.accounts.factories import UserFactory


@pytest.fixture
def owner(alice):
    """Alice on the Pro plan, with no team yet."""
    alice.tier = "pro"
    alice.save(update_fields=["tier"])
    return alice


@pytest.fixture
def invite(owner):
    return services.invite_create(owner=owner, email="bob@example.com", role="editor")


@pytest.fixture
def invitee(db):
    """Bob before he joins: the person `invite` is addressed to, not yet on any team."""
    return UserFactory(email="bob@example.com", name="Bob")
