"""What the prompt pages say: sentences that read, counts that agree with their nouns, the
version a save made, one name per model and the same breadcrumb on every page of a prompt."""

import html
import re

import pytest
from django.urls import reverse

from tests.prompts.factories import PromptFactory


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _edit_data(prompt, **changes) -> dict:
    return {
        "name": prompt.name,
        "description": prompt.description,
        "content": prompt.content,
        "model": prompt.model,
        "folder": prompt.folder,
        "tags": "",
        "metadata": "",
        "change_message": "",
        **changes,
    }


# --- Export -------------------------------------------------------------------------------------


def test_the_export_page_says_in_a_sentence_what_it_downloads(alice_client, alice):
    PromptFactory(user=alice, folder="work")
    page = _text(alice_client.get(reverse("prompts:export")))
    assert "Download your whole vault, or just one folder of it." in page
    assert "vault, one folder of it" not in page


def test_the_export_page_counts_the_prompts_selected(alice_client, alice):
    ids = [PromptFactory(user=alice).pk for _ in range(2)]
    page = _text(alice_client.get(reverse("prompts:export"), {"ids": ids}))
    assert "Download the 2 prompts you selected." in page
    assert "one folder of it" not in page


# --- Tag deletion -------------------------------------------------------------------------------


@pytest.mark.parametrize("uses", [0, 1, 2])
def test_the_tag_delete_question_agrees_with_its_count(alice_client, alice, uses):
    for _ in range(uses):
        PromptFactory(user=alice, tags=["draft"])
    if not uses:
        alice.tags.create(name="draft")
    page = _text(alice_client.get(reverse("prompts:tags")))
    question = re.search(r"Delete the tag “draft”\?[^\"]*", page).group(0)
    assert "prompt stay." not in question and "prompts stays" not in question
    assert "0 prompt" not in question
    if uses == 1:
        assert "1 prompt" in question and "1 prompts" not in question
    if uses == 2:
        assert "2 prompts" in question


# --- Saving an edit -----------------------------------------------------------------------------


def test_saving_new_content_says_which_version_it_made(alice_client, alice):
    prompt = PromptFactory(user=alice, name="Pitch", content="one")
    url = reverse("prompts:edit", args=[prompt.pk])
    alice_client.post(url, _edit_data(prompt, content="two"))
    prompt.refresh_from_db()
    page = _text(alice_client.post(url, _edit_data(prompt, content="three"), follow=True))
    assert "“Pitch” was saved as version 3." in page


def test_saving_without_a_content_change_says_the_version_stays(alice_client, alice):
    prompt = PromptFactory(user=alice, name="Pitch", content="one")
    url = reverse("prompts:edit", args=[prompt.pk])
    page = _text(alice_client.post(url, _edit_data(prompt, name="Pitch 2"), follow=True))
    assert "“Pitch 2” was saved. The content didn't change, so it is still version 1." in page


# --- Model names ------------------------------------------------------------------------------


def test_a_model_is_shown_by_its_name_and_an_unknown_one_as_written():
    from apps.prompts.models import model_label
    from apps.prompts.templatetags.prompt_extras import model_label as model_label_filter

    assert model_label("claude-sonnet-4") == "Claude Sonnet 4"
    assert model_label("my-local-model") == "my-local-model"
    assert model_label_filter("gpt-4o") == "GPT-4o"
    assert model_label_filter("") == ""


def test_the_gallery_names_models_as_the_vault_does(client, alice):
    prompt = PromptFactory(user=alice, name="Sonnet", model="claude-sonnet-4", is_public=True)
    gallery = _text(client.get(reverse("sharing:explore")))
    assert '<span class="badge">Claude Sonnet 4</span>' in gallery
    assert '<option value="claude-sonnet-4">Claude Sonnet 4</option>' in gallery
    assert ">claude-sonnet-4<" not in gallery
    assert "Claude Sonnet 4" in _text(client.get(reverse("sharing:public_page", args=[prompt.pk])))


def test_the_vault_model_filter_names_models(alice_client, alice):
    PromptFactory(user=alice, model="claude-sonnet-4")
    page = _text(alice_client.get(reverse("prompts:list")))
    assert ">Claude Sonnet 4</option>" in page
    assert ">claude-sonnet-4</option>" not in page


# --- Breadcrumbs ------------------------------------------------------------------------------


def _breadcrumb(response) -> str:
    match = re.search(r'<nav class="breadcrumbs".*?</nav>', response.content.decode(), re.S)
    assert match, "no breadcrumb"
    return match.group(0)


def test_every_page_of_a_prompt_shows_the_same_breadcrumb_with_its_folder(alice_client, alice):
    prompt = PromptFactory(user=alice, folder="work/emails", content="one")
    alice_client.post(reverse("prompts:edit", args=[prompt.pk]), _edit_data(prompt, content="2"))
    detail = _breadcrumb(alice_client.get(reverse("prompts:detail", args=[prompt.pk])))
    assert "?folder=work/emails" in detail and ">emails</a>" in detail
    for url in (
        reverse("prompts:history", args=[prompt.pk]),
        reverse("prompts:diff", args=[prompt.pk]),
        reverse("prompts:version", args=[prompt.pk, 1]),
    ):
        assert _breadcrumb(alice_client.get(url)) == detail, url
