"""Versions, duplicates, tags and folders through the services every path uses."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.prompts import services
from apps.prompts.models import Prompt, PromptTag, Tag
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


def _versions(prompt):
    return list(
        prompt.versions.order_by("version").values_list("version", "change_message", "content")
    )


def _assert_content_is_newest(prompt):
    prompt.refresh_from_db()
    newest = prompt.versions.order_by("-version").first()
    assert prompt.content == newest.content


def test_it_creates_version_one_called_initial_version(alice):
    prompt = services.prompt_create(owner=alice, author=alice, name="Greeting", content="Hi")
    assert _versions(prompt) == [(1, "Initial version", "Hi")]
    assert prompt.versions.get().created_by == alice
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_three_content_edits_make_versions_two_to_four_with_their_messages(alice):
    prompt = PromptFactory(user=alice, content="one")
    for number, text in enumerate(["two", "three", "four"], start=2):
        services.prompt_update(
            prompt=prompt, author=alice, content=text, change_message=f"Edit {number}"
        )
        _assert_content_is_newest(prompt)
    assert _versions(prompt)[1:] == [
        (2, "Edit 2", "two"),
        (3, "Edit 3", "three"),
        (4, "Edit 4", "four"),
    ]


def test_an_edit_without_a_message_gets_a_default_one(alice):
    prompt = PromptFactory(user=alice, content="one")
    services.prompt_update(prompt=prompt, author=alice, content="two", change_message="  ")
    assert _versions(prompt)[-1][1] == "Edited content"


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "Renamed"},
        {"folder": "marketing/social"},
        {"tags": ["email", "sales"]},
        {"model": "claude-opus-4"},
        {"description": "Now described"},
        {"is_public": True},
        {"metadata": {"temperature": 0.2}},
    ],
    ids=lambda fields: next(iter(fields)),
)
def test_edits_that_leave_content_alone_make_no_version(alice, fields):
    prompt = PromptFactory(user=alice, content="same")
    services.prompt_update(prompt=prompt, author=alice, **fields)
    assert prompt.versions.count() == 1
    prompt.refresh_from_db()
    key, value = next(iter(fields.items()))
    if key == "tags":
        assert sorted(prompt.tags.values_list("name", flat=True)) == value
    else:
        assert getattr(prompt, key) == value


def test_saving_identical_content_makes_no_version(alice):
    prompt = PromptFactory(user=alice, content="same")
    services.prompt_update(prompt=prompt, author=alice, content="same", change_message="noop")
    assert prompt.versions.count() == 1


def test_windows_line_endings_are_not_a_change(alice):
    prompt = PromptFactory(user=alice, content="a\nb")
    services.prompt_update(prompt=prompt, author=alice, content="a\r\nb")
    assert prompt.versions.count() == 1


def test_restoring_version_two_appends_version_five_with_its_content(alice):
    prompt = PromptFactory(user=alice, content="one")
    for text in ("two", "three", "four"):
        services.prompt_update(prompt=prompt, author=alice, content=text, change_message=text)
    v2 = prompt.versions.get(version=2)
    restored = services.prompt_restore(prompt=prompt, author=alice, version=v2)
    assert restored.version == 5
    assert restored.change_message == "Restored from version 2"
    assert restored.content == "two"
    assert prompt.content == "two"
    _assert_content_is_newest(prompt)
    assert [number for number, *_ in _versions(prompt)] == [1, 2, 3, 4, 5]


def test_restore_refuses_a_version_of_another_prompt(alice):
    first = PromptFactory(user=alice)
    other = PromptFactory(user=alice)
    with pytest.raises(ValidationError):
        services.prompt_restore(prompt=first, author=alice, version=other.versions.get())
    assert first.versions.count() == 1


def test_the_version_records_its_author_and_metadata(alice):
    bob = UserFactory()
    prompt = PromptFactory(user=alice, content="one", metadata={"a": 1})
    services.prompt_update(
        prompt=prompt, author=bob, content="two", metadata={"a": 2}, change_message="m"
    )
    newest = prompt.versions.order_by("-version").first()
    assert newest.created_by == bob
    assert newest.metadata == {"a": 2}


def test_duplicate_makes_a_new_prompt_with_version_one(alice):
    prompt = PromptFactory(
        user=alice,
        name="Cold email",
        content="one",
        folder="sales",
        tags=["email"],
        metadata={"k": "v"},
        description="d",
    )
    services.prompt_update(prompt=prompt, author=alice, content="two", change_message="m")
    copy = services.prompt_duplicate(prompt=prompt, owner=alice, author=alice)
    assert copy.pk != prompt.pk
    assert copy.name == "Cold email (copy)"
    assert copy.content == "two"
    assert copy.folder == "sales"
    assert copy.metadata == {"k": "v"}
    assert copy.description == "d"
    assert list(copy.tags.values_list("name", flat=True)) == ["email"]
    assert [v for v, *_ in _versions(copy)] == [1]
    alice.refresh_from_db()
    assert alice.prompt_count == 2
    # The tag is shared, not copied.
    assert Tag.objects.filter(user=alice).count() == 1


def test_duplicating_into_another_vault_matches_tags_by_name_there(alice, charlie):
    prompt = PromptFactory(user=alice, folder="private/stuff", tags=["email"], is_public=True)
    copy = services.prompt_duplicate(prompt=prompt, owner=charlie, author=charlie)
    assert copy.user == charlie
    assert copy.folder == ""
    assert copy.is_public is False
    assert copy.tags.get().user == charlie


def test_a_long_name_still_fits_after_copy_is_appended(alice):
    prompt = PromptFactory(user=alice, name="x" * 255)
    copy = services.prompt_duplicate(prompt=prompt, owner=alice, author=alice)
    assert len(copy.name) == 255
    assert copy.name.endswith(" (copy)")


def test_delete_removes_versions_and_tag_links_and_uncounts(alice):
    prompt = PromptFactory(user=alice, tags=["a"])
    services.prompt_delete(prompt=prompt)
    alice.refresh_from_db()
    assert alice.prompt_count == 0
    assert not Prompt.objects.exists()
    assert not PromptTag.objects.exists()
    assert Tag.objects.filter(user=alice).count() == 1


def test_deleting_twice_counts_once(alice):
    prompt = PromptFactory(user=alice)
    PromptFactory(user=alice)
    services.prompt_delete(prompt=prompt)
    services.prompt_delete(prompt=prompt)
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_update_refuses_unknown_fields(alice):
    prompt = PromptFactory(user=alice)
    with pytest.raises(ValidationError):
        services.prompt_update(prompt=prompt, author=alice, user=alice)


def test_tags_are_unique_per_user_ignoring_case(alice):
    services.tag_create(owner=alice, name="Email")
    with pytest.raises(ValidationError):
        services.tag_create(owner=alice, name="email")
    prompt = PromptFactory(user=alice, tags=["EMAIL", "email", "sales"])
    assert sorted(prompt.tags.values_list("name", flat=True)) == ["Email", "sales"]
    assert Tag.objects.filter(user=alice).count() == 2


def test_other_users_may_use_the_same_tag_name(alice, charlie):
    services.tag_create(owner=alice, name="email")
    services.tag_create(owner=charlie, name="email")
    assert Tag.objects.filter(name="email").count() == 2


def test_tag_rename_and_recolour(alice):
    tag = services.tag_create(owner=alice, name="old", color="#112233")
    services.tag_update(tag=tag, name="new", color="#aabbcc")
    tag.refresh_from_db()
    assert (tag.name, tag.color) == ("new", "#AABBCC")


def test_tag_rename_onto_an_existing_name_is_refused(alice):
    services.tag_create(owner=alice, name="one")
    two = services.tag_create(owner=alice, name="two")
    with pytest.raises(ValidationError):
        services.tag_update(tag=two, name="ONE")


def test_merge_leaves_prompts_carrying_both_with_one_tag(alice):
    both = PromptFactory(user=alice, tags=["draft", "wip"])
    only_source = PromptFactory(user=alice, tags=["wip"])
    only_target = PromptFactory(user=alice, tags=["draft"])
    source = Tag.objects.get(user=alice, name="wip")
    target = Tag.objects.get(user=alice, name="draft")
    services.tag_merge(source=source, target=target)
    assert not Tag.objects.filter(pk=source.pk).exists()
    for prompt in (both, only_source, only_target):
        assert list(prompt.tags.values_list("name", flat=True)) == ["draft"]


def test_merge_refuses_tags_of_two_vaults_and_the_same_tag(alice, charlie):
    mine = services.tag_create(owner=alice, name="a")
    theirs = services.tag_create(owner=charlie, name="a")
    with pytest.raises(ValidationError):
        services.tag_merge(source=mine, target=theirs)
    with pytest.raises(ValidationError):
        services.tag_merge(source=mine, target=mine)


def test_deleting_a_tag_keeps_its_prompts(alice):
    prompt = PromptFactory(user=alice, tags=["gone"])
    services.tag_delete(tag=Tag.objects.get(name="gone"))
    prompt.refresh_from_db()
    assert prompt.tags.count() == 0
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_linking_a_tag_tags_the_prompt_once_and_marks_it_updated(alice):
    prompt = PromptFactory(user=alice)
    tag = services.tag_create(owner=alice, name="later")
    before = Prompt.objects.get(pk=prompt.pk).updated_at

    link = services.prompt_tag_link(prompt=prompt, tag=tag)
    again = services.prompt_tag_link(prompt=prompt, tag=tag)

    assert again.pk == link.pk
    assert list(prompt.tags.values_list("name", flat=True)) == ["later"]
    assert Prompt.objects.get(pk=prompt.pk).updated_at > before
    assert prompt.versions.count() == 1  # tags alone make no version


def test_a_tag_from_another_vault_is_never_linked(alice, charlie):
    prompt = PromptFactory(user=alice)
    theirs = services.tag_create(owner=charlie, name="theirs")

    with pytest.raises(ValidationError):
        services.prompt_tag_link(prompt=prompt, tag=theirs)
    assert not PromptTag.objects.exists()


def test_unlinking_takes_tags_off_and_keeps_tags_and_prompts(alice):
    first = PromptFactory(user=alice, tags=["red", "blue"])
    second = PromptFactory(user=alice, tags=["red"])
    before = Prompt.objects.get(pk=second.pk).updated_at

    removed = services.prompt_tags_unlink(links=PromptTag.objects.filter(tag__name="red"))

    assert removed == 2
    assert Prompt.objects.get(pk=second.pk).updated_at > before
    assert list(first.tags.values_list("name", flat=True)) == ["blue"]
    assert not second.tags.exists()
    assert Tag.objects.filter(user=alice).count() == 2
    assert services.prompt_tags_unlink(links=PromptTag.objects.none()) == 0


def _folders(user):
    return dict(Prompt.objects.filter(user=user).values_list("name", "folder"))


def test_folder_rename_moves_everything_under_the_path_but_not_siblings(alice):
    for name, folder in [
        ("top", "marketing"),
        ("deep", "marketing/social/x"),
        ("sibling", "marketing2"),
        ("sibling-deep", "marketing2/social"),
        ("elsewhere", "sales/marketing"),
    ]:
        PromptFactory(user=alice, name=name, folder=folder)
    moved = services.folder_rename(owner=alice, old_path="marketing", new_path="clients/acme")
    assert moved == 2
    assert _folders(alice) == {
        "top": "clients/acme",
        "deep": "clients/acme/social/x",
        "sibling": "marketing2",
        "sibling-deep": "marketing2/social",
        "elsewhere": "sales/marketing",
    }


def test_folder_move_to_the_top_level_lifts_contents(alice):
    PromptFactory(user=alice, name="a", folder="old")
    PromptFactory(user=alice, name="b", folder="old/inner")
    services.folder_rename(owner=alice, old_path="old", new_path="")
    assert _folders(alice) == {"a": "", "b": "inner"}


def test_folder_move_up_a_level(alice):
    PromptFactory(user=alice, name="a", folder="a/b")
    PromptFactory(user=alice, name="b", folder="a/b/c")
    services.folder_rename(owner=alice, old_path="a/b", new_path="a")
    assert _folders(alice) == {"a": "a", "b": "a/c"}


def test_a_folder_cannot_move_inside_itself(alice):
    PromptFactory(user=alice, name="a", folder="a")
    with pytest.raises(ValidationError):
        services.folder_rename(owner=alice, old_path="a", new_path="a/b")
    assert _folders(alice) == {"a": "a"}


def test_folder_rename_only_touches_the_owners_prompts(alice, charlie):
    PromptFactory(user=alice, name="mine", folder="shared")
    PromptFactory(user=charlie, name="theirs", folder="shared")
    services.folder_rename(owner=alice, old_path="shared", new_path="moved")
    assert _folders(charlie) == {"theirs": "shared"}


def test_folder_rename_normalises_both_paths(alice):
    PromptFactory(user=alice, name="a", folder="x/y")
    services.folder_rename(owner=alice, old_path="/x//y/", new_path=" z / w ")
    assert _folders(alice) == {"a": "z/w"}


def test_bulk_move_tag_untag_and_delete(alice):
    prompts = [PromptFactory(user=alice) for _ in range(3)]
    ids = [p.pk for p in prompts[:2]]
    assert services.prompts_bulk_move(owner=alice, prompt_ids=ids, folder="/a//b/") == 2
    assert services.prompts_bulk_tag(owner=alice, prompt_ids=ids, tag_name="x") == 2
    assert services.prompts_bulk_tag(owner=alice, prompt_ids=ids, tag_name="X") == 0
    assert sorted(Prompt.objects.filter(folder="a/b").values_list("pk", flat=True)) == sorted(ids)
    assert PromptTag.objects.count() == 2
    assert services.prompts_bulk_tag(owner=alice, prompt_ids=ids, tag_name="x", remove=True) == 2
    assert PromptTag.objects.count() == 0
    assert services.prompts_bulk_delete(owner=alice, prompt_ids=ids) == 2
    alice.refresh_from_db()
    assert alice.prompt_count == 1 == Prompt.objects.count()


def test_bulk_actions_ignore_other_users_prompts(alice, charlie):
    theirs = PromptFactory(user=alice, folder="keep")
    ids = [theirs.pk]
    assert services.prompts_bulk_move(owner=charlie, prompt_ids=ids, folder="stolen") == 0
    assert services.prompts_bulk_tag(owner=charlie, prompt_ids=ids, tag_name="x") == 0
    assert services.prompts_bulk_delete(owner=charlie, prompt_ids=ids) == 0
    theirs.refresh_from_db()
    assert theirs.folder == "keep"
    assert theirs.tags.count() == 0
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_recount_repairs_a_wrong_cached_count(alice, charlie):
    PromptFactory(user=alice)
    type(alice).objects.filter(pk=alice.pk).update(prompt_count=7)
    assert services.prompts_recount() == 1
    alice.refresh_from_db()
    charlie.refresh_from_db()
    assert (alice.prompt_count, charlie.prompt_count) == (1, 0)


def test_the_database_refuses_a_tag_differing_only_in_case(alice):
    from django.db import IntegrityError, transaction

    Tag.objects.create(user=alice, name="Email")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(user=alice, name="EMAIL")


@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("edit"), st.sampled_from(["a", "b", "c", "a\nb"])),
            st.tuples(st.just("rename"), st.sampled_from(["n1", "n2"])),
            st.tuples(st.just("restore"), st.integers(min_value=1, max_value=8)),
        ),
        max_size=8,
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_sequence_of_changes_keeps_versions_contiguous_and_content_current(alice, steps):
    alice.tier = "pro"
    alice.save()
    prompt = PromptFactory(user=alice, content="a")
    for action, value in steps:
        if action == "edit":
            services.prompt_update(prompt=prompt, author=alice, content=value)
        elif action == "rename":
            services.prompt_update(prompt=prompt, author=alice, name=value)
        else:
            version = prompt.versions.filter(version=value).first()
            if version is not None:
                services.prompt_restore(prompt=prompt, author=alice, version=version)
    numbers = list(prompt.versions.order_by("version").values_list("version", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    _assert_content_is_newest(prompt)


def test_saving_without_any_change_leaves_updated_at_alone(alice):
    prompt = PromptFactory(user=alice, name="n", content="c", folder="f", tags=["a", "b"])
    before = Prompt.objects.get(pk=prompt.pk).updated_at
    services.prompt_update(
        prompt=prompt, author=alice, name="n", content="c", folder="f", tags=["B", "a"]
    )
    assert Prompt.objects.get(pk=prompt.pk).updated_at == before
    services.prompt_update(prompt=prompt, author=alice, tags=["a"])
    assert Prompt.objects.get(pk=prompt.pk).updated_at > before
