"""Fixtures shared by the whole suite.

Access tests use the same cast everywhere: alice owns the vault, bob is her team member
(editor), dana her viewer, charlie has no access at all.
"""

import pytest
from django.db import connection

from tests.accounts.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` only make sense on PostgreSQL: skip them elsewhere."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Log-in throttling and rate limits count in the cache: start every test from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", name="Alice", password=PASSWORD)


@pytest.fixture
def charlie(db):
    return UserFactory(email="charlie@example.com", name="Charlie", password=PASSWORD)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client
