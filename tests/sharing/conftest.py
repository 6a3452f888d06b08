import pytest

from apps.sharing import services
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


@pytest.fixture
def prompt(alice):
    return PromptFactory(
        user=alice,
        name="Launch email",
        description="Announce a release",
        content="Write a launch email about {{product}} for {{audience}}.",
        folder="marketing/email",
        tags=["email", "launch"],
    )


@pytest.fixture
def share(prompt, alice):
    return services.share_create(prompt=prompt, shared_by=alice, expires_in="1d")


@pytest.fixture
def bob(db, alice):
    """Alice's team member with the editor role."""
    from tests.teams.factories import TeamInviteFactory

    bob = UserFactory(email="bob@example.com", name="Bob")
    alice.tier = "pro"
    alice.save(update_fields=["tier"])
    TeamInviteFactory(
        invited_by=alice, invited_email=bob.email, role="editor", accepted=True, accepted_by=bob
    )
    return bob
