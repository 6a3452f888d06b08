import pytest

from apps.teams import services
from tests.accounts.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(email="alice@example.com", name="Alice", tier="pro")


@pytest.fixture
def invite(owner):
    return services.invite_create(owner=owner, email="bob@example.com", role="editor")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", name="Bob")
