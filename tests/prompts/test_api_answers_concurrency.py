"""The API's kept answers are never stale, with requests and writes running at once: a fetch that
starts after a write has committed serves that write or a later one, on every thread of the
process sharing the answers (as gthread workers do)."""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services as account_services
from apps.prompts import services
from apps.prompts.models import Prompt
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10**9


MOVES = 25
READERS = 4


def _race(write, read_version):
    """Run `write(n)` for n = 1..MOVES on one thread while READERS threads fetch in a loop; each
    fetch must serve at least the n whose write had committed before the fetch began."""
    committed = [0]
    done = threading.Event()
    stale = []

    def writer():
        try:
            for n in range(1, MOVES + 1):
                write(n)
                committed[0] = n
        finally:
            done.set()

    def reader():
        served = 0
        while not done.is_set():
            floor = committed[0]
            served = read_version()
            if served < floor:
                stale.append((served, floor))
        return served

    results, errors = run_together([writer] + [reader] * READERS)
    assert errors == [None] * (READERS + 1)
    assert stale == []
    assert read_version() == MOVES
    return results


def test_a_label_moved_while_others_fetch_it_is_never_served_stale():
    alice = UserFactory()
    prompt = PromptFactory(user=alice, name="Refund reply", content="v1")
    for n in range(2, MOVES + 1):
        services.prompt_update(prompt=prompt, author=alice, content=f"v{n}")
    services.label_set(prompt=prompt, label="production", version=1, user=alice)
    _key, secret = account_services.api_key_create(user=alice, name="app")
    url = reverse("api:prompt_detail", kwargs={"key_or_id": "refund-reply"}) + "?label=production"
    local = threading.local()

    def read_version():
        if not hasattr(local, "client"):
            local.client = Client(headers={"Authorization": f"Bearer {secret}"})
        response = local.client.get(url)
        assert response.status_code == 200, response.content
        return response.json()["version"]

    def move(n):
        fresh = Prompt.objects.get(pk=prompt.pk)
        services.label_set(prompt=fresh, label="production", version=n, user=alice)

    _race(move, read_version)


def test_an_edit_while_others_fetch_the_newest_is_never_served_stale():
    alice = UserFactory()
    PromptFactory(user=alice, name="Refund reply", content="edit 0")
    _key, secret = account_services.api_key_create(user=alice, name="app")
    url = reverse("api:prompt_detail", kwargs={"key_or_id": "refund-reply"})
    listed = reverse("api:prompt_list")
    local = threading.local()

    def read_version():
        if not hasattr(local, "client"):
            local.client = Client(headers={"Authorization": f"Bearer {secret}"})
        # The list is kept too: the page and the prompt must agree with what was committed.
        page = local.client.get(listed).json()["items"]
        content = local.client.get(url).json()["content"]
        return min(page[0]["version"] - 1, int(content.removeprefix("edit ")))

    def edit(n):
        fresh = Prompt.objects.get(user=alice, key="refund-reply")
        services.prompt_update(prompt=fresh, author=alice, content=f"edit {n}")

    _race(edit, read_version)
