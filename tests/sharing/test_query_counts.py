from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.sharing import services
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_share_page_query_count_is_flat(client, share, alice, prompt):
    from apps.prompts import services as prompt_services

    small = _queries(client, reverse("sharing:share_page", args=[share.share_code]))
    for index in range(30):
        prompt_services.prompt_update(prompt=prompt, author=alice, content=f"Version {index}")
        services.share_create(prompt=prompt, shared_by=alice)
    big = _queries(client, reverse("sharing:share_page", args=[share.share_code]))
    assert big == small
    assert small <= 6


def test_the_gallery_query_count_is_flat(client, db):
    authors = [UserFactory() for _ in range(3)]
    for index in range(3):
        PromptFactory(user=authors[index], is_public=True, tags=["a", "b", "c"])
    small = _queries(client, reverse("sharing:explore"))
    for index in range(40):
        PromptFactory(user=authors[index % 3], is_public=True, tags=["a", "b", "c"])
    big = _queries(client, reverse("sharing:explore"))
    assert big == small
    assert small <= 6


def _pinned_links(prompt, alice, count):
    from apps.prompts import selectors as prompt_selectors

    version = prompt_selectors.latest_version(prompt)
    for _ in range(count):
        services.share_create(prompt=prompt, shared_by=alice, version=version)


def test_the_links_page_is_paged_and_its_query_count_flat(alice_client, alice, prompt):
    url = reverse("sharing:manage", args=[prompt.pk])
    _pinned_links(prompt, alice, 3)
    small = _queries(alice_client, url)
    _pinned_links(prompt, alice, 57)
    with CaptureQueriesContext(connection) as captured:
        first = alice_client.get(url)
    assert len(captured) == small
    assert first.content.count(b'data-testid="share-url"') == 50
    assert b"Page 1 of 2" in first.content
    later = alice_client.get(url + "?page=2")
    assert later.content.count(b'data-testid="share-url"') == 10
    # Past the last page: the last page, not an error.
    assert alice_client.get(url + "?page=99").content.count(b'data-testid="share-url"') == 10


def test_lists_of_links_leave_the_pinned_versions_text_in_the_database(alice_client, alice, prompt):
    _pinned_links(prompt, alice, 2)
    for url in (
        reverse("sharing:manage", args=[prompt.pk]),
        reverse("prompts:detail", args=[prompt.pk]),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = alice_client.get(url)
        assert b'data-testid="share-url"' in response.content
        assert b"v1</span>" in response.content
        assert not [
            query["sql"]
            for query in captured
            if '"prompt_versions"."content"' in query["sql"] and '"shares"' in query["sql"]
        ], url
