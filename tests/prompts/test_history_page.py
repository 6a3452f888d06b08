"""A prompt's history, single versions and restoring one."""

import pytest
from django.urls import reverse

from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def test_history_lists_every_version_with_its_message_and_author(alice_client, edited):
    page = _html(alice_client.get(reverse("prompts:history", args=[edited.pk])))
    for text in ("v1", "v2", "v3", "Initial version", "m2", "m3", "Alice"):
        assert text in page


def test_a_version_page_shows_that_versions_content(alice_client, edited):
    response = alice_client.get(reverse("prompts:version", args=[edited.pk, 2]))
    assert "line 2" in _html(response)
    assert response.context["version"].version == 2


@pytest.mark.parametrize("number", [0, 4, 99, 99999999999999999999])
def test_a_missing_version_number_is_404(alice_client, edited, number):
    assert alice_client.get(f"/prompts/{edited.pk}/versions/{number}/").status_code == 404
    assert alice_client.post(f"/prompts/{edited.pk}/versions/{number}/restore/").status_code == 404


def test_restore_makes_a_new_version_and_returns_to_the_prompt(alice_client, edited):
    response = alice_client.post(reverse("prompts:restore", args=[edited.pk, 1]))
    assert response["Location"] == reverse("prompts:detail", args=[edited.pk])
    edited.refresh_from_db()
    assert edited.content == "line one\nline two\n"
    newest = edited.versions.order_by("-version").first()
    assert (newest.version, newest.change_message) == (4, "Restored from version 1")


def test_version_urls_that_are_not_numbers_do_not_resolve(alice_client, alice):
    prompt = PromptFactory(user=alice)
    assert alice_client.get(f"/prompts/{prompt.pk}/versions/abc/").status_code == 404
    assert alice_client.get(f"/prompts/{prompt.pk}/versions/-1/").status_code == 404
