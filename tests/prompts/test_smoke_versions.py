from apps.prompts import services
from tests.prompts.factories import PromptFactory


def test_it_creates_version_one_and_counts_the_prompt(alice):
    prompt = PromptFactory(user=alice, content="Hello {{name}}")
    alice.refresh_from_db()
    assert alice.prompt_count == 1
    versions = list(prompt.versions.values_list("version", "change_message"))
    assert versions == [(1, "Initial version")]


def test_a_name_only_edit_makes_no_version(alice):
    prompt = PromptFactory(user=alice)
    services.prompt_update(prompt=prompt, author=alice, name="Renamed")
    assert prompt.versions.count() == 1
