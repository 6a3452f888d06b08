"""Row links built from a reversed placeholder match what `reverse` gives."""

import uuid

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from promptvault.reversing import reverse_with_id


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


def test_it_gives_what_reverse_gives_for_every_id():
    for _ in range(20):
        pk = uuid.uuid4()
        assert reverse_with_id("prompts:detail", pk) == reverse("prompts:detail", args=[pk])
        assert reverse_with_id("prompts:history", str(pk)) == reverse("prompts:history", args=[pk])


def test_a_site_mounted_under_a_path_keeps_its_prefix(script_prefix):
    pk = uuid.uuid4()
    assert reverse_with_id("prompts:detail", pk) == f"/prompts/{pk}/"
    script_prefix("/vault/")
    assert reverse_with_id("prompts:detail", pk) == f"/vault/prompts/{pk}/"
    assert reverse("prompts:detail", args=[pk]) == f"/vault/prompts/{pk}/"


def test_a_bad_id_or_a_url_without_one_is_refused():
    with pytest.raises(ValueError):
        reverse_with_id("prompts:detail", "not-a-uuid")
    with pytest.raises(NoReverseMatch):
        reverse_with_id("prompts:list", uuid.uuid4())


def test_a_prompt_links_to_its_page(db):
    from tests.prompts.factories import PromptFactory

    prompt = PromptFactory()
    assert prompt.get_absolute_url() == reverse("prompts:detail", args=[prompt.pk])
