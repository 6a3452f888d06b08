"""The vault page: results, filters, sorting, pages, sidebar, with and without htmx."""

from django.urls import reverse

from apps.accounts.models import Tier
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def test_the_vault_answers_htmx_with_only_the_results(alice_client, alice):
    PromptFactory(user=alice, name="Findable")
    full = _html(alice_client.get(reverse("prompts:list")))
    assert "<html" in full and 'id="results"' in full and 'data-testid="folder-tree"' in full
    partial = _html(
        alice_client.get(
            reverse("prompts:list"), headers={"HX-Request": "true", "HX-Target": "results"}
        )
    )
    assert partial.lstrip().startswith('<div id="results"')
    assert "<html" not in partial and "folder-tree" not in partial
    assert "Findable" in partial


def test_htmx_requests_for_another_target_get_the_full_page(alice_client, alice):
    page = _html(
        alice_client.get(
            reverse("prompts:list"), headers={"HX-Request": "true", "HX-Target": "main"}
        )
    )
    assert "<html" in page


def test_the_vault_shows_fifty_prompts_a_page(alice_client, alice):
    alice.tier = Tier.PRO
    alice.save()
    for i in range(120):
        PromptFactory(user=alice, name=f"p{i:03}")
    first = alice_client.get(reverse("prompts:list"), {"sort": "name"})
    assert [p.name for p in first.context["page"].object_list] == [f"p{i:03}" for i in range(50)]
    assert "Page 1 of 3" in _html(first)
    third = alice_client.get(reverse("prompts:list"), {"sort": "name", "page": 3})
    assert len(third.context["page"].object_list) == 20
    # Pages past the end show the last one rather than an error.
    assert alice_client.get(reverse("prompts:list"), {"page": 99}).context["page"].number == 3
    assert alice_client.get(reverse("prompts:list"), {"page": "x"}).context["page"].number == 1


def test_pagination_links_keep_the_filters(alice_client, alice):
    alice.tier = Tier.PRO
    alice.save()
    for i in range(55):
        PromptFactory(user=alice, name=f"p{i}", folder="f", tags=["t"])
    page = _html(alice_client.get(reverse("prompts:list"), {"folder": "f", "tag": "t"}))
    assert "folder=f&amp;tag=t&amp;page=2" in page


def _names(response):
    return sorted(p.name for p in response.context["page"].object_list)


def test_the_vault_filters_by_folder_tag_model_and_visibility(alice_client, alice):
    PromptFactory(user=alice, name="a", folder="work", tags=["x"], model="gpt-4o")
    PromptFactory(user=alice, name="b", folder="work/deep", tags=["x", "y"], is_public=True)
    PromptFactory(user=alice, name="c", folder="workshop", tags=["y"])
    url = reverse("prompts:list")
    assert _names(alice_client.get(url, {"folder": "work"})) == ["a", "b"]
    assert _names(alice_client.get(url, {"folder": "/work/"})) == ["a", "b"]
    assert _names(alice_client.get(url, {"tag": "x"})) == ["a", "b"]
    assert _names(alice_client.get(url, {"tag": ["x", "y"]})) == ["b"]
    assert _names(alice_client.get(url, {"model": "gpt-4o"})) == ["a"]
    assert _names(alice_client.get(url, {"visibility": "public"})) == ["b"]
    assert _names(alice_client.get(url, {"visibility": "private"})) == ["a", "c"]


def test_the_filter_form_as_a_browser_sends_it_still_filters(alice_client, alice):
    """The form always sends every field, empty ones included."""
    PromptFactory(user=alice, name="apple pie", content="sweet")
    PromptFactory(user=alice, name="banana", content="yellow")
    response = alice_client.get(
        reverse("prompts:list"),
        {"q": "apple", "folder": "", "tag": "", "model": "", "visibility": "", "sort": "-updated"},
    )
    assert _names(response) == ["apple pie"]


def test_unknown_filter_values_fall_back_instead_of_failing(alice_client, alice):
    PromptFactory(user=alice, name="a", tags=["x"])
    response = alice_client.get(
        reverse("prompts:list"), {"sort": "bogus", "visibility": "weird", "tag": "nope", "q": ""}
    )
    assert response.status_code == 200
    assert _names(response) == []  # an unknown tag matches nothing rather than everything


def test_sorting(alice_client, alice):
    for name in ("b", "a", "c"):
        PromptFactory(user=alice, name=name)
    url = reverse("prompts:list")

    def order(sort):
        return [p.name for p in alice_client.get(url, {"sort": sort}).context["page"].object_list]

    assert order("name") == ["a", "b", "c"]
    assert order("-name") == ["c", "b", "a"]
    assert order("created") == ["b", "a", "c"]
    assert order("-created") == ["c", "a", "b"]
    assert order("-updated") == ["c", "a", "b"]


def test_an_empty_vault_invites_the_first_prompt(alice_client):
    page = _html(alice_client.get(reverse("prompts:list")))
    assert 'data-testid="empty-vault"' in page


def test_a_search_with_no_results_says_so(alice_client, alice):
    PromptFactory(user=alice, name="a")
    page = _html(alice_client.get(reverse("prompts:list"), {"q": "zzzz"}))
    assert 'data-testid="empty-results"' in page


def test_the_folder_tree_counts_are_cumulative(alice_client, alice):
    PromptFactory(user=alice, folder="a")
    PromptFactory(user=alice, folder="a/b")
    PromptFactory(user=alice, folder="a/b/c")
    PromptFactory(user=alice, folder="a/b/c")
    PromptFactory(user=alice, folder="z")
    PromptFactory(user=alice, folder="")
    folders = alice_client.get(reverse("prompts:list")).context["sidebar"].folders
    assert [(n.path, n.depth, n.count, n.own_count) for n in folders] == [
        ("a", 0, 4, 1),
        ("a/b", 1, 3, 1),
        ("a/b/c", 2, 2, 2),
        ("z", 0, 1, 1),
    ]


def test_tag_chips_show_counts(alice_client, alice):
    PromptFactory(user=alice, tags=["x"])
    PromptFactory(user=alice, tags=["x"])
    tags = alice_client.get(reverse("prompts:list")).context["sidebar"].tags
    assert [(t.name, t.prompt_total) for t in tags] == [("x", 2)]


def test_pages_that_answer_htmx_with_fragments_vary_on_its_headers(alice_client, alice):
    prompt = PromptFactory(user=alice)
    for url in (reverse("prompts:list"), reverse("prompts:diff", args=[prompt.pk])):
        vary = alice_client.get(url)["Vary"]
        assert "HX-Request" in vary and "HX-Target" in vary


def test_the_result_count_is_inside_the_htmx_fragment(alice_client, alice):
    PromptFactory(user=alice, name="apple")
    PromptFactory(user=alice, name="pear")
    partial = alice_client.get(
        reverse("prompts:list"),
        {"q": "apple"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    ).content.decode()
    assert "1 prompt matches your filters" in partial


def test_a_very_long_search_is_cut_rather_than_ignored(alice_client, alice):
    PromptFactory(user=alice, name="apple")
    PromptFactory(user=alice, name="pear")
    response = alice_client.get(reverse("prompts:list"), {"q": "apple" + " " * 300 + "x"})
    assert _names(response) == ["apple"]


def test_the_vault_skip_link_lands_on_the_results(alice_client, alice):
    PromptFactory(user=alice)
    html = _html(alice_client.get(reverse("prompts:list")))
    assert '<a class="skip-link" href="#results">Skip to results</a>' in html
    assert '<div id="results" class="results" tabindex="-1">' in html
    assert "Skip to content" not in html
    other = _html(alice_client.get(reverse("prompts:create")))
    assert '<a class="skip-link" href="#main">Skip to content</a>' in other


def test_the_filters_button_counts_the_filters_that_are_on(alice_client, alice):
    PromptFactory(user=alice, folder="a", tags=["x", "y"])
    plain = alice_client.get(reverse("prompts:list"))
    assert plain.context["filter_count"] == 0
    assert 'class="btn filters__toggle">Filters</summary>' in _html(plain)
    filtered = alice_client.get(
        reverse("prompts:list") + "?folder=a&tag=x&tag=y&visibility=private&sort=name&q=z"
    )
    assert filtered.context["filter_count"] == 4
    assert '<span class="badge badge--primary">4<span class="sr-only"> on</span></span>' in (
        _html(filtered)
    )


def test_rows_carry_their_edit_link_for_the_keyboard(alice_client, alice):
    prompt = PromptFactory(user=alice)
    html = _html(alice_client.get(reverse("prompts:list"), headers={"HX-Request": "true"}))
    edit = reverse("prompts:edit", args=[prompt.pk])
    assert f'<li class="prompt-row" data-edit-url="{edit}">' in html
    assert "data-keyboard-list" in html


def test_the_bulk_actions_sit_behind_a_selection_and_enter_never_submits_one(alice_client, alice):
    PromptFactory(user=alice)
    html = _html(alice_client.get(reverse("prompts:list")))
    assert 'class="card card--flush bulk" id="bulk-form" autocomplete="off"' in html
    assert '<div class="bulkbar__actions">' in html
    # The form's first submit button is disabled, so Enter in a field submits no action.
    first_submit = html.index('type="submit"', html.index('id="bulk-form"'))
    assert html[first_submit:].startswith('type="submit" class="bulkbar__default" disabled')
    assert 'type="reset"' in html
