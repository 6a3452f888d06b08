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
