"""Fixtures shared by the whole suite.

Access tests use the same cast everywhere: alice owns the vault, bob is her team member
(editor), dana her viewer, charlie has no access at all.
"""

import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tests.accounts.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"

# Property tests replay the same examples on every run, so that whether the suite passes never
# depends on which inputs a run happened to draw. HYPOTHESIS_PROFILE=explore draws new ones
# each time, to hunt for inputs nobody has tried yet.
hypothesis_settings.register_profile("suite", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


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
    """Log-in throttling and rate limits count in the cache, and the API remembers keys and
    answers in memory: start every test from nothing."""
    from django.core.cache import cache

    from apps.accounts import api_keys
    from apps.prompts.api.cached import answers

    def forget_all():
        cache.clear()
        answers.clear()
        api_keys.memory.clear()
        api_keys.touch_memory.clear()

    forget_all()
    yield
    forget_all()


@pytest.fixture(scope="session")
def _fake_stripe_server():
    from tests.accounts import fake_stripe

    fake = fake_stripe.start()
    yield fake
    fake.server.shutdown()


@pytest.fixture
def fake_stripe(_fake_stripe_server, settings):
    """Billing configured against the fake Stripe API (tests/accounts/fake_stripe.py), emptied
    for each test: the real SDK makes real HTTP requests to it."""
    from tests.accounts import fake_stripe

    fake = _fake_stripe_server
    with fake.lock:
        fake.requests.clear()
        fake.customers.clear()
        fake.subscriptions.clear()
    fake.reset_checkout_sessions()
    settings.STRIPE_SECRET_KEY = "sk_test_promptvault"
    settings.STRIPE_WEBHOOK_SECRET = fake_stripe.WEBHOOK_SECRET
    settings.STRIPE_PRICE_PRO = fake_stripe.PRICE_PRO
    settings.STRIPE_PRICE_ENTERPRISE = fake_stripe.PRICE_ENTERPRISE
    settings.STRIPE_API_BASE = fake.base_url
    return fake


@pytest.fixture(scope="session")
def _fake_openai_server():
    from tests.prompts import fake_openai

    fake = fake_openai.start()
    yield fake
    fake.released.set()
    fake.server.shutdown()


@pytest.fixture
def fake_openai(_fake_openai_server, settings):
    """A model server configured against the fake OpenAI-compatible API
    (tests/prompts/fake_openai.py), emptied for each test: the real SDK makes real HTTP
    requests to it."""
    fake = _fake_openai_server
    fake.reset()
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_API_KEY = "sk-test-promptvault"
    settings.OPENAI_MODEL = "fake-rewriter"
    settings.OPENAI_TIMEOUT = 5
    yield fake
    fake.released.set()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", name="Alice", password=PASSWORD)


def _join_alices_team(alice, person, role: str):
    """Put `person` on alice's team through the teams service; a team needs a paid plan."""
    from apps.teams import services as team_services

    if alice.tier == "free":
        alice.tier = "pro"
        alice.save(update_fields=["tier"])
    team_services.member_add(owner=alice, user=person, role=role)
    person.refresh_from_db(fields=["membership_count"])
    return person


@pytest.fixture
def bob(alice):
    """Alice's team member with the editor role (alice is moved to Pro to have a team)."""
    bob = UserFactory(email="bob@example.com", name="Bob", password=PASSWORD)
    return _join_alices_team(alice, bob, "editor")


@pytest.fixture
def dana(alice):
    """Alice's team member with the viewer role (alice is moved to Pro to have a team)."""
    dana = UserFactory(email="dana@example.com", name="Dana", password=PASSWORD)
    return _join_alices_team(alice, dana, "viewer")


@pytest.fixture
def charlie(db):
    """A stranger to alice's vault."""
    return UserFactory(email="charlie@example.com", name="Charlie", password=PASSWORD)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client
