"""A prompt's pages run the same queries for its owner and for the team members who open them.

The role is read in the same query as the prompt, and the page and its template tags use the
access object that query made: a member's page asks nothing more about the role. The prompt
page's sharing card reads the links in one query for everyone: the owner's list of them, or,
for the team, how many are open."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.prompts import selectors, services
from apps.prompts.models import PromptOptimization
from tests.prompts.factories import PromptFactory, PromptOptimizationFactory

ROLES = ["alice", "bob", "dana"]  # owner, editor, viewer

# Session, user, the prompt with the role, and then what each page shows.
PAGES = {
    # tags, version count, the sharing card's links, the AI rewrites card's history
    "prompt": (lambda prompt: reverse("prompts:detail", args=[prompt.pk]), 7),
    # the latest version number, the page's count and versions, labels, label moves
    "history": (lambda prompt: reverse("prompts:history", args=[prompt.pk]), 8),
    # the version, the latest version number
    "version": (lambda prompt: reverse("prompts:version", args=[prompt.pk, 2]), 5),
    # the latest version number, the two versions, the list of numbers
    "diff": (lambda prompt: reverse("prompts:diff", args=[prompt.pk]) + "?from=1&to=3", 6),
    "diff, side by side": (
        lambda prompt: reverse("prompts:diff", args=[prompt.pk]) + "?from=2&to=4&mode=side",
        6,
    ),
    # the rewrite, the latest version
    "AI rewrite": (
        lambda prompt: reverse(
            "prompts:optimization", args=[prompt.pk, prompt.optimizations.get().pk]
        ),
        5,
    ),
}


@pytest.fixture
def prompt(alice, bob, dana):
    """A prompt of alice's with tags, five versions, labels and a rewrite waiting for review,
    in a vault that bob edits and dana reads."""
    prompt = PromptFactory(
        user=alice, tags=["alpha", "beta"], folder="sales/email", content="Hi {{customer}}"
    )
    for number in range(2, 6):
        services.prompt_update(
            prompt=prompt,
            author=alice,
            content=f"Hi {{{{customer}}}}\nline {number}",
            change_message=f"edit {number}",
        )
    services.label_set(prompt=prompt, label="production", version=3, user=alice)
    services.label_set(prompt=prompt, label="staging", version=5, user=alice)
    PromptOptimizationFactory(
        prompt=prompt,
        requested_by=alice,
        base_version=selectors.latest_version(prompt),
        status=PromptOptimization.Status.READY,
    )
    return prompt


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_a_prompt_page_runs_the_same_queries_for_every_role(
    request, client, prompt, django_assert_num_queries, page, who
):
    url_for, expected = PAGES[page]
    client.force_login(request.getfixturevalue(who))
    url = url_for(prompt)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_edit_page_runs_the_same_queries_for_the_owner_and_an_editor(
    request, client, prompt, django_assert_num_queries, who
):
    client.force_login(request.getfixturevalue(who))
    # session, user, the prompt with the role, its tag names, the folder tree
    with django_assert_num_queries(5):
        response = client.get(reverse("prompts:edit", args=[prompt.pk]))
    assert response.status_code == 200


def test_a_viewer_is_refused_the_edit_page_after_the_one_query_that_reads_the_role(
    client, prompt, dana, django_assert_num_queries
):
    client.force_login(dana)
    with django_assert_num_queries(3):
        response = client.get(reverse("prompts:edit", args=[prompt.pk]))
    assert response.status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("member", ["bob", "dana"])
@override_settings(VAULT_SIDEBAR_CACHE=True)
def test_with_the_sidebar_cached_a_shared_vault_costs_a_member_what_the_owner_pays(
    request, client, prompt, alice, member
):
    """The sidebar's version is read with the owner and the role: the member's query that the
    owner doesn't make stands in for the version's own, which the owner makes."""
    for who, url in ((alice, ""), (request.getfixturevalue(member), f"?vault={alice.pk}")):
        client.force_login(who)
        _queries(client, reverse("prompts:list") + url)  # the sidebar is cached
    client.force_login(alice)
    own = _queries(client, reverse("prompts:list"))
    client.force_login(request.getfixturevalue(member))
    shared = _queries(client, reverse("prompts:list") + f"?vault={alice.pk}")
    assert shared == own


@pytest.mark.parametrize("member", ["bob", "dana"])
def test_a_shared_vault_costs_a_member_one_query_more_than_the_owner_pays(
    request, client, prompt, alice, member
):
    """Without the sidebar cache: the owner browses their vault as themself; a member's page
    reads the owner, with the role, in one query, and then the same as the owner's."""
    client.force_login(alice)
    own = _queries(client, reverse("prompts:list"))
    client.force_login(request.getfixturevalue(member))
    shared = _queries(client, reverse("prompts:list") + f"?vault={alice.pk}")
    assert shared == own + 1


@pytest.mark.parametrize("who", ROLES)
def test_each_role_sees_the_controls_its_access_allows_on_the_prompt_page(
    request, client, prompt, who
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("prompts:detail", args=[prompt.pk])).content.decode()
    edit_url = reverse("prompts:edit", args=[prompt.pk])
    assert (f'href="{edit_url}"' in page) is (who in {"alice", "bob"})
    assert (reverse("prompts:delete", args=[prompt.pk]) in page) is (who == "alice")
    assert ('data-testid="share-panel"' in page) is (who == "alice")
    assert ('data-testid="share-summary"' in page) is (who != "alice")
    assert ('data-testid="publish-template"' in page) is (who == "alice")
    # The AI rewrites card: the button, or why it isn't offered, only for those who may edit.
    assert ('data-testid="optimize' in page) is (who in {"alice", "bob"})
    assert 'data-testid="optimization-history"' in page
    assert ("Save a copy to my vault" in page) is (who == "dana")


@pytest.mark.parametrize("who", ROLES)
def test_the_history_diff_and_version_pages_offer_changes_only_to_those_who_may_edit(
    request, client, prompt, who
):
    client.force_login(request.getfixturevalue(who))
    may_edit = who in {"alice", "bob"}
    history = client.get(reverse("prompts:history", args=[prompt.pk])).content.decode()
    assert (reverse("prompts:label_move", args=[prompt.pk]) in history) is may_edit
    version = client.get(reverse("prompts:version", args=[prompt.pk, 2])).content.decode()
    assert (reverse("prompts:restore", args=[prompt.pk, 2]) in version) is may_edit
    diff = client.get(reverse("prompts:diff", args=[prompt.pk]) + "?from=2&to=4").content
    assert (reverse("prompts:restore", args=[prompt.pk, 2]) in diff.decode()) is may_edit
