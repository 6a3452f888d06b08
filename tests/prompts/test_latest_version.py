"""One selector answers "which is the prompt's newest version?"."""

from apps.prompts import selectors, services
from tests.prompts.factories import PromptFactory


def test_the_latest_version_is_the_highest_number(alice):
    prompt = PromptFactory(user=alice, content="one")
    services.prompt_update(prompt=prompt, author=alice, content="two")
    services.prompt_update(prompt=prompt, author=alice, content="three")
    latest = selectors.latest_version(prompt)
    assert (latest.version, latest.content) == (3, "three")
    assert selectors.latest_version_number(prompt) == 3


def test_a_prompt_without_versions_has_none(alice):
    prompt = PromptFactory(user=alice)
    prompt.versions.all().delete()
    assert selectors.latest_version(prompt) is None
    assert selectors.latest_version_number(prompt) is None
