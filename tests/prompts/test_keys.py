"""Prompt keys: a stable identifier per vault, made from the name, kept on rename and move,
editable and unique."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from apps.prompts import services
from apps.prompts.keys import key_from_name
from apps.prompts.models import Prompt
from apps.prompts.services.bulk import NewPrompt, prompts_create_many
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Refund reply", "refund-reply"),
        ("  Café: résumé / CV!  ", "cafe-resume-cv"),
        ("__Hidden__", "hidden"),
        ("你好", "prompt"),
        ("", "prompt"),
        ("x" * 300, "x" * 90),
        ("v1.2 notes_draft", "v12-notes_draft"),
    ],
)
def test_key_from_name(name, key):
    assert key_from_name(name) == key


def test_it_makes_the_key_from_the_name_with_a_number_on_a_clash(alice):
    first = PromptFactory(user=alice, name="Refund reply")
    second = PromptFactory(user=alice, name="Refund  reply!")
    third = PromptFactory(user=alice, name="refund reply")
    assert [first.key, second.key, third.key] == [
        "refund-reply",
        "refund-reply-2",
        "refund-reply-3",
    ]


def test_keys_are_unique_per_vault_not_across_vaults(alice, charlie):
    assert PromptFactory(user=alice, name="Summary").key == "summary"
    assert PromptFactory(user=charlie, name="Summary").key == "summary"


def test_the_database_refuses_a_duplicate_key_in_a_vault(alice):
    prompt = PromptFactory(user=alice, name="One")
    other = PromptFactory(user=alice, name="Two")
    with pytest.raises(IntegrityError), transaction.atomic():
        Prompt.objects.filter(pk=other.pk).update(key=prompt.key)


def test_rename_and_move_keep_the_key(alice):
    prompt = PromptFactory(user=alice, name="Refund reply")
    services.prompt_update(prompt=prompt, author=alice, name="Refunds: the reply", folder="ops")
    prompt.refresh_from_db()
    assert prompt.key == "refund-reply"
    services.prompts_bulk_move(owner=alice, prompt_ids=[prompt.pk], folder="support")
    prompt.refresh_from_db()
    assert prompt.key == "refund-reply"


def test_the_key_can_be_changed_and_is_validated(alice):
    prompt = PromptFactory(user=alice, name="One")
    PromptFactory(user=alice, name="Two")
    services.prompt_update(prompt=prompt, author=alice, key="support.refund_v2")
    prompt.refresh_from_db()
    assert prompt.key == "support.refund_v2"
    for bad in ["", "Upper", "-lead", "has space", "a/b", "x" * 101, "two"]:
        with pytest.raises(ValidationError) as error:
            services.prompt_update(prompt=prompt, author=alice, key=bad)
        assert "key" in error.value.message_dict
    prompt.refresh_from_db()
    assert prompt.key == "support.refund_v2"


def test_create_takes_a_chosen_key_and_refuses_a_taken_one(alice):
    prompt = services.prompt_create(owner=alice, author=alice, name="A", content="x", key="my-key")
    assert prompt.key == "my-key"
    with pytest.raises(ValidationError) as error:
        services.prompt_create(owner=alice, author=alice, name="B", content="y", key="my-key")
    assert "key" in error.value.message_dict


def test_duplicates_and_forks_get_keys_of_their_own(alice, charlie):
    prompt = PromptFactory(user=alice, name="Refund reply")
    copy = services.prompt_duplicate(prompt=prompt, owner=alice, author=alice)
    assert copy.key == "refund-reply-copy"
    fork = services.prompt_duplicate(
        prompt=prompt, owner=charlie, author=charlie, name="Refund reply"
    )
    assert fork.key == "refund-reply"


def test_imports_get_unique_keys_among_themselves_and_the_vault(alice):
    PromptFactory(user=alice, name="Welcome")
    items = [NewPrompt(name="Welcome", content="a"), NewPrompt(name="welcome", content="b")]
    items += [NewPrompt(name=f"Item {n}", content="c") for n in range(3)]
    prompts_create_many(owner=alice, author=alice, items=items, batch_size=2)
    keys = list(Prompt.objects.filter(user=alice).values_list("key", flat=True))
    assert sorted(keys) == ["item-0", "item-1", "item-2", "welcome", "welcome-2", "welcome-3"]


def test_the_edit_form_changes_the_key_and_shows_a_clash(alice, alice_client):
    prompt = PromptFactory(user=alice, name="One", content="Hello")
    PromptFactory(user=alice, name="Two")
    url = reverse("prompts:edit", args=[prompt.pk])
    data = {"name": "One", "content": "Hello", "model": "gpt-4", "key": "two"}
    response = alice_client.post(url, data)
    assert response.status_code == 200
    assert "already" in response.content.decode()
    response = alice_client.post(url, {**data, "key": "Bad Key"})
    assert response.status_code == 200
    response = alice_client.post(url, {**data, "key": "one-renamed"})
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.key == "one-renamed"


def test_the_prompt_page_shows_the_key_with_a_copy_button(alice, alice_client):
    prompt = PromptFactory(user=alice, name="Refund reply")
    page = alice_client.get(reverse("prompts:detail", args=[prompt.pk])).content.decode()
    assert 'data-testid="prompt-key"' in page
    assert "refund-reply" in page
    assert 'data-copy-text="refund-reply"' in page


def test_a_vault_member_cannot_take_a_key_of_another_vault_owner():
    owner, other = UserFactory(), UserFactory()
    PromptFactory(user=other, name="Shared")
    assert PromptFactory(user=owner, name="Shared").key == "shared"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_prompts_keys_in_batches(monkeypatch):
    import importlib

    migration = importlib.import_module("apps.prompts.migrations.0011_prompt_key")
    monkeypatch.setattr(migration, "BATCH", 2)
    before = [("prompts", "0010_llm_optimizations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldUser = old_apps.get_model("accounts", "User")
    OldPrompt = old_apps.get_model("prompts", "Prompt")
    owner = OldUser.objects.create(email="old@example.com", password="!")
    other = OldUser.objects.create(email="other@example.com", password="!")
    for name in ["Refund reply", "Refund reply", "refund  REPLY", "你好", "Notes"]:
        OldPrompt.objects.create(user=owner, name=name, content="x")
    OldPrompt.objects.create(user=other, name="Refund reply", content="x")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(Prompt.objects.filter(user_id=owner.pk).values_list("key", flat=True)) == [
        "notes",
        "prompt",
        "refund-reply",
        "refund-reply-2",
        "refund-reply-3",
    ]
    assert Prompt.objects.get(user_id=other.pk).key == "refund-reply"


def test_an_edit_without_a_key_keeps_it(alice, alice_client):
    prompt = PromptFactory(user=alice, name="One", content="Hello")
    url = reverse("prompts:edit", args=[prompt.pk])
    response = alice_client.post(url, {"name": "Renamed", "content": "Hi", "model": "gpt-4"})
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert (prompt.name, prompt.key) == ("Renamed", "one")


def test_a_made_key_taken_meanwhile_is_made_again(alice, monkeypatch):
    """Two creations racing for the same name: the constraint refuses the loser's insert and
    the service makes its key again instead of failing."""
    from apps.prompts import keys

    PromptFactory(user=alice, name="Refund reply")
    real = keys.free_key_for
    stale = iter(["refund-reply"])  # what a look-up made before the other insert would say
    monkeypatch.setattr(
        keys, "free_key_for", lambda owner_id, name: next(stale, None) or real(owner_id, name)
    )
    prompt = services.prompt_create(owner=alice, author=alice, name="Refund reply", content="x")
    assert prompt.key == "refund-reply-2"


class CountingSet(set):
    """A set that counts how often it is asked whether it holds something."""

    asked = 0

    def __contains__(self, item):
        CountingSet.asked += 1
        return super().__contains__(item)


def test_many_prompts_of_one_name_get_their_keys_in_linear_work():
    from apps.prompts.keys import KeyAllocator

    allocator = KeyAllocator(["new-chat", "new-chat-3"])
    allocator.taken = CountingSet(allocator.taken)
    CountingSet.asked = 0
    made = [allocator.allocate("new-chat") for _ in range(2000)]

    assert made[:3] == ["new-chat-2", "new-chat-4", "new-chat-5"]
    assert len(set(made)) == 2000 and "new-chat" not in made
    assert CountingSet.asked < 3 * 2000  # asking first_free_key each time: about 2,000,000
