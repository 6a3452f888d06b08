"""Saving a shared or public prompt into one's own vault: a duplicate under its own name,
counted once against the original."""

from unittest import mock

from apps.prompts import services as prompt_services
from apps.sharing import services
from tests.prompts.factories import PromptFactory


def test_a_save_is_a_duplicate_kept_under_its_name(alice, charlie):
    prompt = PromptFactory(
        user=alice, name="Haiku writer", folder="poems", tags=["verse"], is_public=True
    )
    with mock.patch.object(
        prompt_services, "prompt_duplicate", wraps=prompt_services.prompt_duplicate
    ) as duplicate:
        copy = services.prompt_fork(
            prompt=prompt, user=charlie, content="Pinned words", via="public"
        )
    duplicate.assert_called_once()
    assert (copy.user, copy.name, copy.content, copy.folder) == (
        charlie,
        "Haiku writer",
        "Pinned words",
        "",
    )
    assert list(copy.tags.values_list("name", flat=True)) == ["verse"]
    assert not copy.is_public
    assert copy.metadata["forked_from"]["via"] == "public"


def test_saving_ones_own_public_prompt_keeps_it_out_of_its_folder_and_uncounted(alice):
    prompt = PromptFactory(user=alice, name="Haiku writer", folder="poems", is_public=True)
    copy = services.prompt_fork(prompt=prompt, user=alice, via="public")
    prompt.refresh_from_db()
    assert (copy.name, copy.folder, prompt.save_count) == ("Haiku writer", "", 0)


def test_a_save_is_counted_in_one_update(alice, django_assert_num_queries):
    prompt = PromptFactory(user=alice)
    with django_assert_num_queries(1):
        services.prompt_record_save(prompt=prompt)
    services.prompt_record_save(prompt=prompt)
    prompt.refresh_from_db()
    assert prompt.save_count == 2
