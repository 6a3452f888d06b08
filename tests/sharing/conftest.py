import pytest

from apps.sharing import services
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
