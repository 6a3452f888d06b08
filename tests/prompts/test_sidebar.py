"""The vault sidebar's cache: read once per vault version, which the database bumps on every
write that can change it (every service is walked in tests/test_sidebar_every_service.py)."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import services as accounts
from apps.accounts.models import Tier
from apps.prompts import services, sidebar
from apps.prompts.models import Prompt, VaultState
from tests.prompts.factories import PromptFactory
from tests.threads import run_together

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
def test_the_cached_sidebar_html_follows_the_filters_and_every_change(vault, alice_client):
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


@cached
def test_a_content_edit_keeps_the_cached_sidebar(vault):
    alice, first, _second = vault
    _snapshot(alice)
    version = sidebar.vault_version(alice.pk)
    services.prompt_update(prompt=first, author=alice, content="reworded", name="Renamed")
    assert sidebar.vault_version(alice.pk) == version
    assert _queries(lambda: _snapshot(alice)) == 1  # the version only


@cached
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_is_seen_by_other_connections_once_it_commits(alice):
    """The version changes in the write's own transaction: until it commits, other requests
    keep reading the committed version and the lists cached for it; from then on, the new."""
    alice.tier = Tier.PRO
    alice.save(update_fields=["tier"])
    prompt = services.prompt_create(owner=alice, author=alice, name="One", content="a")
    before = _snapshot(alice)

    with transaction.atomic():
        services.prompt_update(prompt=prompt, author=alice, folder="later")
        [seen_meanwhile], errors = run_together([lambda: _snapshot(alice)])
        assert errors == [None]
    [seen_after], errors = run_together([lambda: _snapshot(alice)])

    assert seen_meanwhile == before
    assert seen_after == _fresh(alice) != before


@cached
def test_each_vault_has_its_own_sidebar(vault, charlie):
    alice, _first, _second = vault
    PromptFactory(user=charlie, folder="private-stuff")
    mine, theirs = _snapshot(alice), _snapshot(charlie)
    assert "private-stuff" not in str(mine)
    assert theirs[0] == [("private-stuff", 1, 1)]
    services.prompt_create(owner=charlie, author=charlie, name="X", content="y")
    assert _queries(lambda: _snapshot(alice)) == 1  # the version only


@cached
def test_writes_made_outside_the_services_are_seen_too(vault):
    """The database counts every write, not only those the services make."""
    alice, first, second = vault
    _snapshot(alice)
    Prompt.objects.filter(pk=first.pk).update(folder="moved-by-hand")
    assert _snapshot(alice) == _fresh(alice)
    assert ("moved-by-hand", 1, 1) in _snapshot(alice)[0]
    second_id = Prompt._meta.pk.get_db_prep_value(second.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE prompts SET model = %s WHERE id = %s", ["typed-in-a-shell", second_id]
        )
        cursor.execute("DELETE FROM prompt_tags WHERE prompt_id = %s", [second_id])
    assert _snapshot(alice) == _fresh(alice)
    assert "typed-in-a-shell" in _snapshot(alice)[2]


@cached
def test_only_what_the_sidebar_shows_bumps_the_version(vault):
    alice, first, _second = vault
    version = sidebar.vault_version(alice.pk)
    Prompt.objects.filter(pk=first.pk).update(name="Renamed", content="new", is_public=True)
    assert sidebar.vault_version(alice.pk) == version
    Prompt.objects.filter(pk=first.pk).update(folder="elsewhere")
    assert sidebar.vault_version(alice.pk) == version + 1


@cached
def test_two_vaults_at_the_same_version_show_their_own_sidebars(vault, charlie, client):
    alice, _first, _second = vault
    PromptFactory(user=charlie, folder="charlies-folder")
    VaultState.objects.filter(owner__in=[alice, charlie]).update(version=5)
    url = reverse("prompts:list")
    for person, theirs, not_theirs in (
        (alice, "sales/email", "charlies-folder"),
        (charlie, "charlies-folder", "sales/email"),
    ):
        client.force_login(person)
        page = client.get(url).text
        assert theirs in page and not_theirs not in page


def test_a_deleted_accounts_version_goes_with_it(vault):
    alice, _first, _second = vault
    assert VaultState.objects.filter(owner=alice).exists()
    accounts.user_delete(user=alice)
    assert not VaultState.objects.exists()


def test_every_trigger_that_keeps_the_version_is_in_place(db):
    """A migration that makes SQLite rebuild prompts, tags, prompt_tags, prompt_versions or
    prompt_labels drops their triggers; this notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
        cursor.execute(query, ["vault_states_%"])
        names = {name for (name,) in cursor.fetchall()}
    expected = {
        f"vault_states_{table}_{event}"
        for table in ("prompts", "tags", "prompt_tags", "prompt_versions", "prompt_labels")
        for event in ("insert", "update", "delete")
    }
    if connection.vendor == "sqlite":  # row triggers: any other update of a prompt has its own
        expected.add("vault_states_prompts_update_data")
    assert names == expected


@cached
def test_a_vault_whose_version_was_lost_is_never_shown_an_old_copy(vault):
    """Without a row the vault isn't cached; the row made again by the next change starts
    above every number it had before."""
    alice, first, _second = vault
    old_version = sidebar.vault_version(alice.pk)
    _snapshot(alice)
    VaultState.objects.filter(owner=alice).delete()
    assert sidebar.vault_sidebar(alice).version is None
    # Not a sidebar change, but a change of the vault's data: the row is made again.
    Prompt.objects.filter(pk=first.pk).update(is_public=True)
    assert sidebar.vault_version(alice.pk) > old_version
    services.tag_create(owner=alice, name="after")
    assert sidebar.vault_version(alice.pk) > old_version
    assert _snapshot(alice) == _fresh(alice)


@pytest.mark.django_db(transaction=True)
def test_emptying_every_table_owners_first_leaves_no_version_behind(alice):
    """Tables emptied in any order (as a test run's flush does on SQLite, whose foreign keys are
    checked at commit): deleting prompts and tags after their owner bumps no version for the
    owner who is gone, so the transaction commits."""
    PromptFactory(user=alice, name="Letter", folder="drafts", tags=["keep"])
    tables = connection.introspection.django_table_names(only_existing=True)
    owners_first = sorted(tables, key=lambda table: table not in {"users", "vault_states"})
    with transaction.atomic(), connection.cursor() as cursor:
        for table in owners_first:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
    assert not VaultState.objects.exists()
