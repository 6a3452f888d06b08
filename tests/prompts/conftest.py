"""Fixtures shared by the vault's page tests."""

import pytest

from apps.prompts import services
from tests.prompts.factories import PromptFactory


@pytest.fixture
def edited(alice):
    """A prompt with three versions: two lines, an edit of the second and a third, then "final"."""
    prompt = PromptFactory(user=alice, content="line one\nline two\n")
    services.prompt_update(
        prompt=prompt, author=alice, content="line one\nline 2\nline three\n", change_message="m2"
    )
    services.prompt_update(prompt=prompt, author=alice, content="final", change_message="m3")
    return prompt
