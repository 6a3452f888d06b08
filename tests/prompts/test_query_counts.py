"""Every list and detail page runs a fixed number of queries, however much data it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts import services
from tests.prompts.factories import PromptFactory, fill_vault


def _add_versions(prompt, total):
    for number in range(2, total + 1):
        services.prompt_update(
            prompt=prompt,
            author=prompt.user,
            content=f"line a\nline {number}\n",
            change_message=f"edit {number}",
        )


def _count(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(queries)


def _small_and_large(django_user_model, client, small, large, url_for):
    """Query counts of the same page for a vault of `small` and one of `large` prompts."""
    counts = []
    for size in (small, large):
        owner = django_user_model.objects.create_user(f"owner{size}@example.com", "pw")
        prompts = fill_vault(owner, size)
        client.force_login(owner)
        counts.append(_count(client, url_for(prompts)))
    return counts


VAULT_PAGES = {
    "vault": lambda prompts: reverse("prompts:list"),
    "vault, later page": lambda prompts: reverse("prompts:list") + "?page=2",
    "vault, filtered": lambda prompts: (
        reverse("prompts:list")
        + "?folder=sales&tag=alpha&tag=beta&model=gpt-4&visibility=private&sort=name"
    ),
    "search": lambda prompts: reverse("prompts:list") + "?q=invoices",
    "search with filters": lambda prompts: (
        reverse("prompts:list") + "?q=invoices+-nothing&folder=marketing&tag=gamma"
    ),
    "dashboard": lambda prompts: reverse("home"),
    "folders": lambda prompts: reverse("prompts:folders"),
    "tags": lambda prompts: reverse("prompts:tags"),
    "export page": lambda prompts: reverse("prompts:export"),
    "new prompt": lambda prompts: reverse("prompts:create"),
}


@pytest.mark.parametrize("page", VAULT_PAGES)
def test_vault_wide_pages_run_the_same_queries_for_20_and_200_prompts(
    django_user_model, client, page
):
    small, large = _small_and_large(django_user_model, client, 20, 200, VAULT_PAGES[page])
    assert small == large, f"{page}: {small} queries for 20 prompts, {large} for 200"
    assert large <= 12, f"{page}: {large} queries"


def test_the_vault_page_query_budget(django_user_model, client, django_assert_max_num_queries):
    owner = django_user_model.objects.create_user("owner@example.com", "pw")
    fill_vault(owner, 60)
    client.force_login(owner)
    # session, user, tags with counts, folder tree, models, count, page, tags of the page
    with django_assert_max_num_queries(9):
        client.get(reverse("prompts:list"))


PROMPT_PAGES = {
    "prompt": lambda prompt: reverse("prompts:detail", args=[prompt.pk]),
    "prompt with values": lambda prompt: (
        reverse("prompts:detail", args=[prompt.pk]) + "?var_customer=Ada"
    ),
    "edit": lambda prompt: reverse("prompts:edit", args=[prompt.pk]),
    "history": lambda prompt: reverse("prompts:history", args=[prompt.pk]),
    "version": lambda prompt: reverse("prompts:version", args=[prompt.pk, 2]),
    "diff": lambda prompt: reverse("prompts:diff", args=[prompt.pk]) + "?from=1&to=3",
    "diff side by side": lambda prompt: (
        reverse("prompts:diff", args=[prompt.pk]) + "?from=2&to=4&mode=side"
    ),
    "delete": lambda prompt: reverse("prompts:delete", args=[prompt.pk]),
}


@pytest.mark.parametrize("page", PROMPT_PAGES)
def test_prompt_pages_run_the_same_queries_for_5_and_50_versions(alice, alice_client, page):
    counts = []
    for versions in (5, 50):
        prompt = PromptFactory(user=alice, tags=["a", "b", "c"], folder="x/y")
        _add_versions(prompt, versions)
        counts.append(_count(alice_client, PROMPT_PAGES[page](prompt)))
    assert counts[0] == counts[1], f"{page}: {counts}"
    assert counts[1] <= 10, f"{page}: {counts[1]} queries"


def test_the_history_page_query_budget(alice, alice_client, django_assert_max_num_queries):
    prompt = PromptFactory(user=alice)
    _add_versions(prompt, 50)
    for number, label in enumerate(["production", "staging", "canary", "production"], start=2):
        services.label_set(prompt=prompt, label=label, version=number, user=alice)
    # Two of these read the labels beside the versions and the label history, whatever their size.
    with django_assert_max_num_queries(9):
        alice_client.get(reverse("prompts:history", args=[prompt.pk]))


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_exports_read_prompts_in_chunks_never_one_query_per_prompt(alice, client, fmt):
    from apps.prompts import export
    from apps.prompts.models import Prompt, PromptTag, PromptVersion, Tag

    alice.tier = Tier.PRO
    alice.save()
    # Rows made in bulk: the services would take minutes for this many.
    tags = Tag.objects.bulk_create(Tag(user=alice, name=f"t{i}") for i in range(3))
    prompts = Prompt.objects.bulk_create(
        Prompt(user=alice, name=f"p{i}", key=f"p{i}", content=f"c{i}", folder=f"f{i % 4}")
        for i in range(1200)
    )
    PromptVersion.objects.bulk_create(
        PromptVersion(prompt=p, version=n, content=f"{p.content} v{n}", created_by=alice)
        for p in prompts
        for n in (1, 2)
    )
    PromptTag.objects.bulk_create(PromptTag(prompt=p, tag=t) for p in prompts for t in tags)
    client.force_login(alice)
    queries = _count(client, reverse("prompts:export") + f"?format={fmt}")
    chunks = -(-1200 // export.CHUNK) + 1  # three chunks, then the empty read that ends it
    per_chunk = 3 if fmt == "json" else 2
    assert queries <= 2 + chunks * per_chunk, queries
