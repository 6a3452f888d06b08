"""The vault sidebar's cache: read once per vault, refreshed by every write that changes it."""

from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts import services, sidebar
from apps.prompts.services.bulk import NewPrompt, prompts_create_many
from tests.prompts.factories import PromptFactory

cached = override_settings(VAULT_SIDEBAR_CACHE=True)


def _snapshot(owner) -> tuple:
    """What the sidebar shows, in plain values."""
    data = sidebar.vault_sidebar(owner)
    return (
        [(node.path, node.count, node.own_count) for node in data.folders],
        [(tag.name, tag.color, tag.prompt_total) for tag in data.tags],
        list(data.models),
    )


def _fresh(owner) -> tuple:
    with override_settings(VAULT_SIDEBAR_CACHE=False):
        return _snapshot(owner)


@pytest.fixture
def vault(alice):
    alice.tier = Tier.PRO
    alice.save()
    first = services.prompt_create(
        owner=alice, author=alice, name="One", content="a", folder="sales", tags=["red"]
    )
    second = services.prompt_create(
        owner=alice,
        author=alice,
        name="Two",
        content="b",
        folder="sales/email",
        model="claude-3-opus",
        tags=["red", "blue"],
    )
    return alice, first, second


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


@cached
def test_the_second_page_reads_the_sidebar_from_the_cache(vault, alice_client):
    url = reverse("prompts:list")
    with CaptureQueriesContext(connection) as first:
        response = alice_client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as second:
        again = alice_client.get(url)
    assert len(second) == len(first) - 3
    assert "sales/email" in again.text and "blue" in again.text and "claude-3-opus" in again.text


@cached
def test_the_cached_sidebar_html_follows_the_filters_and_every_change(
    vault, alice_client, django_capture_on_commit_callbacks
):
    alice, first, _second = vault
    url = reverse("prompts:list")
    plain = alice_client.get(url).text
    assert 'tree__link is-active" href="?"' in plain
    in_folder = alice_client.get(url, {"folder": "sales"}).text
    assert 'is-active" href="?folder=sales"' in in_folder
    assert '<option value="sales" selected>' in in_folder
    assert 'is-active" href="?folder=sales"' not in alice_client.get(url).text
    tagged = alice_client.get(url, {"tag": "red"}).text
    assert 'class="tag is-active"' in tagged and '<option value="red" selected>' in tagged
    with django_capture_on_commit_callbacks(execute=True):
        services.tag_update(tag=first.tags.get(), name="scarlet")
    for response in (alice_client.get(url), alice_client.get(url, {"folder": "sales"})):
        assert ">scarlet <" in response.text and 'value="scarlet"' in response.text
        assert ">red <" not in response.text


@cached
def test_a_cached_page_reads_neither_the_lists_nor_the_html_again(vault, alice_client):
    url = reverse("prompts:list")
    first = alice_client.get(url).text
    with CaptureQueriesContext(connection) as queries:
        second = alice_client.get(url).text
    assert not [query for query in queries if '"tags"' in query["sql"] and "COUNT" in query["sql"]]

    def cached_parts(html: str) -> tuple[str, str]:
        aside = html[html.index("<aside") : html.index("</aside>")]
        start = html.index('<div class="filters__row">')
        menus = html[start : html.index("</form>", start)]
        return aside, menus

    assert cached_parts(first) == cached_parts(second)
    assert "sales/email" in cached_parts(second)[0] and "claude-3-opus" in cached_parts(second)[1]


@cached
def test_a_release_with_other_sidebar_markup_renders_it_afresh(vault, alice_client, monkeypatch):
    from django.core.cache import cache

    url = reverse("prompts:list")
    alice_client.get(url)
    with mock.patch.object(cache, "set", wraps=cache.set) as writes:
        alice_client.get(url)
        assert writes.call_count == 0
        monkeypatch.setattr(sidebar, "markup_version", lambda: "another-release")
        alice_client.get(url)
        assert writes.call_count == 2  # the sidebar and the filter menus; the lists are kept


@override_settings(VAULT_SIDEBAR_CACHE=False)
def test_without_a_shared_cache_every_page_reads_the_sidebar(vault, alice_client):
    url = reverse("prompts:list")
    alice_client.get(url)
    with CaptureQueriesContext(connection) as first:
        alice_client.get(url)
    with CaptureQueriesContext(connection) as second:
        alice_client.get(url)
    assert len(second) == len(first)


def _create(alice, first, second):
    services.prompt_create(owner=alice, author=alice, name="New", content="c", folder="ops")


def _move(alice, first, second):
    services.prompt_update(prompt=first, author=alice, folder="archive")


def _retag(alice, first, second):
    services.prompt_update(prompt=first, author=alice, tags=["green"])


def _remodel(alice, first, second):
    services.prompt_update(prompt=first, author=alice, model="gemini-1.5-pro")


def _delete(alice, first, second):
    services.prompt_delete(prompt=second)


def _duplicate(alice, first, second):
    services.prompt_duplicate(prompt=second, owner=alice, author=alice)


def _bulk_move(alice, first, second):
    services.prompts_bulk_move(owner=alice, prompt_ids=[first.pk, second.pk], folder="done")


def _bulk_tag(alice, first, second):
    services.prompts_bulk_tag(owner=alice, prompt_ids=[first.pk], tag_name="blue")


def _bulk_untag(alice, first, second):
    services.prompts_bulk_tag(owner=alice, prompt_ids=[second.pk], tag_name="red", remove=True)


def _bulk_delete(alice, first, second):
    services.prompts_bulk_delete(owner=alice, prompt_ids=[first.pk])


def _tag_create(alice, first, second):
    services.tag_create(owner=alice, name="unused")


def _tag_rename(alice, first, second):
    services.tag_update(tag=first.tags.get(), name="crimson")


def _tag_recolour(alice, first, second):
    services.tag_update(tag=first.tags.get(), color="#112233")


def _tag_merge(alice, first, second):
    red, blue = (second.tags.get(name=name) for name in ("red", "blue"))
    services.tag_merge(source=blue, target=red)


def _tag_delete(alice, first, second):
    services.tag_delete(tag=first.tags.get())


def _link(alice, first, second):
    services.prompt_tag_link(prompt=first, tag=second.tags.get(name="blue"))


def _unlink(alice, first, second):
    services.prompt_tags_unlink(links=second.prompt_tags.filter(tag__name="red"))


def _folder_rename(alice, first, second):
    services.folder_rename(owner=alice, old_path="sales", new_path="revenue")


def _import(alice, first, second):
    prompts_create_many(
        owner=alice,
        author=alice,
        items=[NewPrompt(key=1, name="Imported", content="d", folder="inbox", tags=("new",))],
    )


@cached
@pytest.mark.parametrize(
    "change",
    [
        _create,
        _move,
        _retag,
        _remodel,
        _delete,
        _duplicate,
        _bulk_move,
        _bulk_tag,
        _bulk_untag,
        _bulk_delete,
        _tag_create,
        _tag_rename,
        _tag_recolour,
        _tag_merge,
        _tag_delete,
        _link,
        _unlink,
        _folder_rename,
        _import,
    ],
)
def test_every_change_to_folders_tags_or_models_refreshes_the_sidebar(
    vault, change, django_capture_on_commit_callbacks
):
    alice, first, second = vault
    before = _snapshot(alice)
    assert before == _fresh(alice)
    with django_capture_on_commit_callbacks(execute=True):
        change(alice, first, second)
    after = _fresh(alice)
    assert after != before
    assert _snapshot(alice) == after


@cached
def test_fixing_a_wrong_prompt_count_refreshes_the_sidebar(
    vault, django_capture_on_commit_callbacks
):
    """The sidebar shows the vault's prompt count next to "All prompts"."""
    alice, _first, _second = vault
    token = sidebar.vault_sidebar(alice).token
    type(alice).objects.filter(pk=alice.pk).update(prompt_count=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.prompts_recount(users=[alice])
    assert sidebar.vault_sidebar(alice).token != token


@cached
def test_a_content_edit_keeps_the_cached_sidebar(vault, django_capture_on_commit_callbacks):
    alice, first, _second = vault
    _snapshot(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.prompt_update(prompt=first, author=alice, content="reworded", name="Renamed")
    assert _queries(lambda: _snapshot(alice)) == 0


@cached
def test_a_write_is_seen_only_once_it_commits(vault, django_capture_on_commit_callbacks):
    """Until the write commits, pages keep showing the committed sidebar; a page that read
    the database before the commit can't leave its copy where later pages look."""
    alice, first, _second = vault
    before = _snapshot(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.prompt_update(prompt=first, author=alice, folder="later")
        assert _snapshot(alice) == before
    assert callbacks
    for callback in callbacks:
        callback()
    assert _snapshot(alice) == _fresh(alice) != before


@cached
def test_each_vault_has_its_own_sidebar(vault, charlie, django_capture_on_commit_callbacks):
    alice, _first, _second = vault
    PromptFactory(user=charlie, folder="private-stuff")
    mine, theirs = _snapshot(alice), _snapshot(charlie)
    assert "private-stuff" not in str(mine)
    assert theirs[0] == [("private-stuff", 1, 1)]
    with django_capture_on_commit_callbacks(execute=True):
        services.prompt_create(owner=charlie, author=charlie, name="X", content="y")
    assert _queries(lambda: _snapshot(alice)) == 0
