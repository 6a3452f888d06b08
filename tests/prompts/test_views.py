"""The vault's pages, with and without htmx."""

import pytest
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts import services
from apps.prompts.models import Prompt, Tag
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


def _form_data(prompt, **overrides):
    data = {
        "name": prompt.name,
        "description": prompt.description,
        "content": prompt.content,
        "model": prompt.model,
        "folder": prompt.folder,
        "tags": ", ".join(prompt.tags.values_list("name", flat=True)),
        "metadata": "",
        "change_message": "",
    }
    return {**data, **overrides}


def _edit_form_seen_at(client, prompt):
    """The hidden `seen_at` value the edit form was rendered with."""
    response = client.get(reverse("prompts:edit", args=[prompt.pk]))
    form = response.context["form"]
    return form["seen_at"].value()


# Create, view, edit


def test_creating_a_prompt_saves_version_one_and_opens_it(alice_client, alice):
    response = alice_client.post(
        reverse("prompts:create"),
        {
            "name": "Welcome",
            "content": "Hello {{name}}",
            "model": "claude-sonnet-4",
            "folder": "onboarding",
            "tags": "email, Welcome",
            "metadata": '{"temperature": 0.3}',
        },
    )
    prompt = Prompt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("prompts:detail", args=[prompt.pk])
    assert prompt.metadata == {"temperature": 0.3}
    assert sorted(prompt.tags.values_list("name", flat=True)) == ["Welcome", "email"]
    page = _html(alice_client.get(response["Location"]))
    assert "Welcome" in page
    assert "version 1" in page
    assert 'href="/prompts/?folder=onboarding"' in page


def test_new_prompt_form_takes_the_folder_from_the_query(alice_client):
    response = alice_client.get(reverse("prompts:create") + "?folder=a/b")
    assert response.context["form"]["folder"].value() == "a/b"


def test_editing_content_with_a_message_makes_a_version(alice_client, alice):
    prompt = PromptFactory(user=alice, content="one")
    seen_at = _edit_form_seen_at(alice_client, prompt)
    response = alice_client.post(
        reverse("prompts:edit", args=[prompt.pk]),
        _form_data(prompt, content="two", change_message="Sharper", seen_at=seen_at),
    )
    assert response.status_code == 302
    newest = prompt.versions.order_by("-version").first()
    assert (newest.version, newest.content, newest.change_message) == (2, "two", "Sharper")


def test_the_edit_form_shows_current_values(alice_client, alice):
    prompt = PromptFactory(user=alice, content="body", tags=["b", "a"], metadata={"k": 1})
    form = alice_client.get(reverse("prompts:edit", args=[prompt.pk])).context["form"]
    assert form["tags"].value() == "a, b"
    assert '"k": 1' in form["metadata"].value()


def test_two_edits_in_a_row_from_fresh_forms_both_save(alice_client, alice):
    prompt = PromptFactory(user=alice, content="one")
    for text in ("two", "three"):
        seen_at = _edit_form_seen_at(alice_client, prompt)
        prompt.refresh_from_db()
        response = alice_client.post(
            reverse("prompts:edit", args=[prompt.pk]),
            _form_data(prompt, content=text, seen_at=seen_at),
        )
        assert response.status_code == 302, response.context["form"].errors
    assert prompt.versions.count() == 3


def test_a_stale_edit_shows_the_conflict_keeps_the_text_and_overwrites_nothing(alice_client, alice):
    prompt = PromptFactory(user=alice, content="original")
    seen_at = _edit_form_seen_at(alice_client, prompt)
    # Someone else saves while the form is open.
    services.prompt_update(
        prompt=Prompt.objects.get(pk=prompt.pk),
        author=alice,
        content="their change",
        change_message="elsewhere",
    )
    data = _form_data(prompt, content="my typed text", change_message="mine", seen_at=seen_at)
    response = alice_client.post(reverse("prompts:edit", args=[prompt.pk]), data)
    assert response.status_code == 200
    page = _html(response)
    assert 'data-testid="conflict"' in page
    assert "their change" in page
    assert "my typed text" in page
    prompt.refresh_from_db()
    assert prompt.content == "their change"
    assert prompt.versions.count() == 2

    # Submitting again, having seen the conflict, saves.
    data["seen_at"] = response.context["form"]["seen_at"].value()
    response = alice_client.post(reverse("prompts:edit", args=[prompt.pk]), data)
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.content == "my typed text"
    assert prompt.versions.order_by("-version").first().change_message == "mine"


def test_an_edit_without_seen_at_still_saves(alice_client, alice):
    prompt = PromptFactory(user=alice, content="one")
    response = alice_client.post(
        reverse("prompts:edit", args=[prompt.pk]), _form_data(prompt, content="two")
    )
    assert response.status_code == 302


def test_delete_asks_first_then_deletes(alice_client, alice):
    prompt = PromptFactory(user=alice)
    page = alice_client.get(reverse("prompts:delete", args=[prompt.pk]))
    assert 'data-testid="confirm-delete"' in _html(page)
    assert Prompt.objects.exists()
    response = alice_client.post(reverse("prompts:delete", args=[prompt.pk]))
    assert response["Location"] == reverse("prompts:list")
    assert not Prompt.objects.exists()


def test_duplicate_opens_the_copy(alice_client, alice):
    prompt = PromptFactory(user=alice, name="Original")
    response = alice_client.post(reverse("prompts:duplicate", args=[prompt.pk]))
    copy = Prompt.objects.exclude(pk=prompt.pk).get()
    assert response["Location"] == reverse("prompts:detail", args=[copy.pk])
    assert copy.name == "Original (copy)"


def test_get_on_post_only_urls_is_refused(alice_client, alice):
    prompt = PromptFactory(user=alice)
    assert alice_client.get(reverse("prompts:duplicate", args=[prompt.pk])).status_code == 405
    assert alice_client.get(reverse("prompts:restore", args=[prompt.pk, 1])).status_code == 405
    assert alice_client.get(reverse("prompts:bulk")).status_code == 405


# Variables


def test_the_prompt_page_highlights_variables_and_escapes_html(alice_client, alice):
    prompt = PromptFactory(
        user=alice, content="<script>alert(1)</script> Dear {{ name }}, about {{topic}}"
    )
    page = _html(alice_client.get(reverse("prompts:detail", args=[prompt.pk])))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<mark class="var" data-var="name">{{ name }}</mark>' in page
    assert '<mark class="var" data-var="topic">{{topic}}</mark>' in page
    assert 'name="var_name"' in page and 'name="var_topic"' in page


def test_fill_works_without_javascript(alice_client, alice):
    prompt = PromptFactory(user=alice, content="Dear {{name}}, about {{topic}}.")
    url = reverse("prompts:detail", args=[prompt.pk])
    response = alice_client.get(url, {"var_name": "Ada", "var_topic": "<b>engines</b>"})
    assert response.context["filled"] == "Dear Ada, about <b>engines</b>."
    page = _html(response)
    assert "Dear Ada, about &lt;b&gt;engines&lt;/b&gt;." in page
    assert 'value="Ada"' in page


def test_a_partial_fill_leaves_the_other_placeholders(alice_client, alice):
    prompt = PromptFactory(user=alice, content="{{a}} and {{b}}")
    response = alice_client.get(reverse("prompts:detail", args=[prompt.pk]), {"var_a": "1"})
    assert response.context["filled"] == "1 and {{b}}"


def test_a_prompt_without_variables_has_no_fill_panel(alice_client, alice):
    prompt = PromptFactory(user=alice, content="Plain text")
    page = _html(alice_client.get(reverse("prompts:detail", args=[prompt.pk])))
    assert 'data-testid="fill-form"' not in page


# History, versions, diff, restore


@pytest.fixture
def edited(alice):
    prompt = PromptFactory(user=alice, content="line one\nline two\n")
    services.prompt_update(
        prompt=prompt, author=alice, content="line one\nline 2\nline three\n", change_message="m2"
    )
    services.prompt_update(prompt=prompt, author=alice, content="final", change_message="m3")
    return prompt


def test_history_lists_every_version_with_its_message_and_author(alice_client, edited):
    page = _html(alice_client.get(reverse("prompts:history", args=[edited.pk])))
    for text in ("v1", "v2", "v3", "Initial version", "m2", "m3", "Alice"):
        assert text in page


def test_a_version_page_shows_that_versions_content(alice_client, edited):
    response = alice_client.get(reverse("prompts:version", args=[edited.pk, 2]))
    assert "line 2" in _html(response)
    assert response.context["version"].version == 2


@pytest.mark.parametrize("number", [0, 4, 99, 99999999999999999999])
def test_a_missing_version_number_is_404(alice_client, edited, number):
    assert alice_client.get(f"/prompts/{edited.pk}/versions/{number}/").status_code == 404
    assert alice_client.post(f"/prompts/{edited.pk}/versions/{number}/restore/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "from=1&to=9",
        "from=9&to=1",
        "from=a&to=2",
        "from=1&to=x",
        "from=0&to=1",
        "from=-1&to=2",
        "from=1.5&to=2",
        "from=99999999999999999999&to=1",
    ],
)
def test_a_diff_of_missing_or_malformed_versions_is_404(alice_client, edited, query):
    response = alice_client.get(reverse("prompts:diff", args=[edited.pk]) + "?" + query)
    assert response.status_code == 404


def test_the_diff_defaults_to_the_last_change(alice_client, edited):
    response = alice_client.get(reverse("prompts:diff", args=[edited.pk]))
    assert (response.context["old"].version, response.context["new"].version) == (2, 3)


def test_the_diff_renders_inline_and_side_by_side(alice_client, edited):
    url = reverse("prompts:diff", args=[edited.pk])
    inline = _html(alice_client.get(url, {"from": 1, "to": 2}))
    assert "<del>two</del>" in inline
    assert "<ins>2</ins>" in inline
    assert "<ins>line three</ins>" in inline
    side = _html(alice_client.get(url, {"from": 1, "to": 2, "mode": "side"}))
    assert "diff--side" in side
    assert "<del>two</del>" in side and "<ins>2</ins>" in side


def test_identical_versions_say_same_content(alice_client, alice):
    prompt = PromptFactory(user=alice, content="same")
    services.prompt_update(prompt=prompt, author=alice, content="other")
    services.prompt_restore(prompt=prompt, author=alice, version=prompt.versions.get(version=1))
    page = _html(alice_client.get(reverse("prompts:diff", args=[prompt.pk]), {"from": 1, "to": 3}))
    assert "same content" in page
    page = _html(alice_client.get(reverse("prompts:diff", args=[prompt.pk]), {"from": 2, "to": 2}))
    assert "same content" in page


def test_the_diff_escapes_html(alice_client, alice):
    prompt = PromptFactory(user=alice, content="<b>old</b>")
    services.prompt_update(prompt=prompt, author=alice, content="<i>new</i>")
    page = _html(alice_client.get(reverse("prompts:diff", args=[prompt.pk])))
    assert "<i>new</i>" not in page and "<b>old</b>" not in page
    assert "&lt;" in page and "&gt;" in page


def test_the_diff_answers_htmx_with_just_the_diff(alice_client, edited):
    response = alice_client.get(
        reverse("prompts:diff", args=[edited.pk]),
        {"from": 1, "to": 3},
        headers={"HX-Request": "true", "HX-Target": "diff"},
    )
    page = _html(response)
    assert page.lstrip().startswith('<section id="diff"')
    assert "<html" not in page


def test_restore_makes_a_new_version_and_returns_to_the_prompt(alice_client, edited):
    response = alice_client.post(reverse("prompts:restore", args=[edited.pk, 1]))
    assert response["Location"] == reverse("prompts:detail", args=[edited.pk])
    edited.refresh_from_db()
    assert edited.content == "line one\nline two\n"
    newest = edited.versions.order_by("-version").first()
    assert (newest.version, newest.change_message) == (4, "Restored from version 1")


# The vault page


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


# The vault list on a phone and from the keyboard


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


# Bulk actions


def test_bulk_move_and_tag_from_the_vault(alice_client, alice):
    a = PromptFactory(user=alice, name="a")
    b = PromptFactory(user=alice, name="b")
    c = PromptFactory(user=alice, name="c")
    ids = [str(a.pk), str(b.pk)]
    response = alice_client.post(
        reverse("prompts:bulk"),
        {"action": "move", "ids": ids, "folder": "done/", "next": "/prompts/?q=x"},
    )
    assert response["Location"] == "/prompts/?q=x"
    assert set(Prompt.objects.filter(folder="done").values_list("name", flat=True)) == {"a", "b"}
    alice_client.post(reverse("prompts:bulk"), {"action": "tag", "ids": ids, "tag": "Hot"})
    assert set(Tag.objects.get(name="Hot").prompts.values_list("name", flat=True)) == {"a", "b"}
    alice_client.post(reverse("prompts:bulk"), {"action": "untag", "ids": ids[:1], "tag": "hot"})
    assert set(Tag.objects.get(name="Hot").prompts.values_list("name", flat=True)) == {"b"}
    c.refresh_from_db()
    assert c.folder == "" and c.tags.count() == 0


def _bulk_message(client, **data):
    response = client.post(reverse("prompts:bulk"), data, follow=True)
    return [str(message) for message in response.context["messages"]]


def test_bulk_messages_name_the_action_and_count_right(alice_client, alice):
    a = PromptFactory(user=alice, name="a")
    b = PromptFactory(user=alice, name="b")
    c = PromptFactory(user=alice, name="c")
    ids = [str(a.pk), str(b.pk), str(c.pk)]
    assert _bulk_message(alice_client, action="move", ids=ids, folder="marketing/social") == [
        "Moved 3 prompts to marketing/social."
    ]
    assert _bulk_message(alice_client, action="move", ids=ids[:1], folder="") == [
        "Moved 1 prompt to the top level."
    ]
    assert _bulk_message(alice_client, action="tag", ids=ids[:1], tag="archived") == [
        "Added the tag “archived” to 1 prompt."
    ]
    assert _bulk_message(alice_client, action="tag", ids=ids, tag="archived") == [
        "Added the tag “archived” to 2 prompts; 1 already had it."
    ]
    assert _bulk_message(alice_client, action="tag", ids=ids[:2], tag="archived") == [
        "Both selected prompts already have the tag “archived”."
    ]
    assert _bulk_message(alice_client, action="untag", ids=ids[:1], tag="archived") == [
        "Removed the tag “archived” from 1 prompt."
    ]
    assert _bulk_message(alice_client, action="untag", ids=ids[:1], tag="archived") == [
        "The selected prompt doesn't have the tag “archived”."
    ]
    assert _bulk_message(alice_client, action="untag", ids=ids, tag="nowhere") == [
        "None of the 3 selected prompts has the tag “nowhere”."
    ]
    assert _bulk_message(alice_client, action="delete", ids=ids[:2], confirmed="1") == [
        "Deleted 2 prompts."
    ]


def test_bulk_delete_asks_for_confirmation_first(alice_client, alice):
    a = PromptFactory(user=alice, name="Doomed")
    PromptFactory(user=alice, name="Kept")
    response = alice_client.post(reverse("prompts:bulk"), {"action": "delete", "ids": [a.pk]})
    assert response.status_code == 200
    assert 'data-testid="confirm-bulk-delete"' in _html(response)
    assert "Doomed" in _html(response)
    assert Prompt.objects.count() == 2
    alice_client.post(
        reverse("prompts:bulk"), {"action": "delete", "ids": [a.pk], "confirmed": "1"}
    )
    assert list(Prompt.objects.values_list("name", flat=True)) == ["Kept"]
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_bulk_without_a_selection_explains(alice_client, alice):
    PromptFactory(user=alice)
    response = alice_client.post(reverse("prompts:bulk"), {"action": "move"}, follow=True)
    assert "Select at least one prompt first." in _html(response)


def test_bulk_refuses_an_offsite_next_url(alice_client, alice):
    a = PromptFactory(user=alice)
    response = alice_client.post(
        reverse("prompts:bulk"),
        {"action": "move", "ids": [a.pk], "folder": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("prompts:list")


def test_bulk_move_with_a_bad_folder_changes_nothing(alice_client, alice):
    a = PromptFactory(user=alice, folder="keep")
    response = alice_client.post(
        reverse("prompts:bulk"), {"action": "move", "ids": [a.pk], "folder": "../x"}, follow=True
    )
    assert "can&#x27;t contain" in _html(response)
    a.refresh_from_db()
    assert a.folder == "keep"


# Folders and tags pages


def test_folder_rename_page_moves_the_folder(alice_client, alice):
    PromptFactory(user=alice, name="x", folder="marketing/social")
    PromptFactory(user=alice, name="y", folder="marketing2")
    response = alice_client.post(
        reverse("prompts:folder_rename"),
        {"old_path": "marketing", "new_path": "clients/acme"},
        follow=True,
    )
    assert "1 prompt" in _html(response)
    assert dict(Prompt.objects.values_list("name", "folder")) == {
        "x": "clients/acme/social",
        "y": "marketing2",
    }


def test_folder_move_into_itself_is_refused_on_the_page(alice_client, alice):
    PromptFactory(user=alice, name="x", folder="a")
    response = alice_client.post(
        reverse("prompts:folder_rename"), {"old_path": "a", "new_path": "a/b"}, follow=True
    )
    assert "inside itself" in _html(response)
    assert Prompt.objects.get().folder == "a"


def test_tags_page_create_rename_recolour_merge_delete(alice_client, alice):
    url = reverse("prompts:tags")
    alice_client.post(url, {"name": "Draft", "color": "#112233"})
    alice_client.post(url, {"name": "wip", "color": "#445566"})
    response = alice_client.post(url, {"name": "draft", "color": "#000000"})
    assert "already have a tag" in _html(response)
    draft = Tag.objects.get(name="Draft")
    wip = Tag.objects.get(name="wip")
    alice_client.post(
        reverse("prompts:tag_update", args=[draft.pk]), {"name": "Drafts", "color": "#abcdef"}
    )
    draft.refresh_from_db()
    assert (draft.name, draft.color) == ("Drafts", "#ABCDEF")
    prompt = PromptFactory(user=alice, tags=["Drafts", "wip"])
    alice_client.post(
        reverse("prompts:tag_merge"),
        {"source": str(wip.pk), "target": str(draft.pk), "confirmed": "1"},
    )
    assert list(prompt.tags.values_list("name", flat=True)) == ["Drafts"]
    alice_client.post(reverse("prompts:tag_delete", args=[draft.pk]), {"confirmed": "1"})
    assert not Tag.objects.exists()
    assert Prompt.objects.filter(pk=prompt.pk).exists()


def test_tag_chips_show_counts(alice_client, alice):
    PromptFactory(user=alice, tags=["x"])
    PromptFactory(user=alice, tags=["x"])
    tags = alice_client.get(reverse("prompts:list")).context["sidebar"].tags
    assert [(t.name, t.prompt_total) for t in tags] == [("x", 2)]


# Dashboard


def test_the_dashboard_shows_usage_counts_recent_prompts_and_folders(alice_client, alice):
    PromptFactory(user=alice, name="Recent one", folder="work", tags=["x"], is_public=True)
    PromptFactory(user=alice, name="Another", folder="work/deep")
    page = _html(alice_client.get(reverse("home")))
    assert 'data-testid="usage"' in page
    assert "2</strong> of 50" in page
    assert "Recent one" in page and "Another" in page
    assert "work" in page


def test_the_dashboard_of_an_empty_vault_invites_a_first_prompt(alice_client):
    page = _html(alice_client.get(reverse("home")))
    assert "Your vault is empty" in page


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


def test_the_dashboard_counts_folders_as_the_tree_shows_them(alice_client, alice):
    PromptFactory(user=alice, folder="a/b/c")
    PromptFactory(user=alice, folder="a")
    PromptFactory(user=alice, folder="")
    response = alice_client.get(reverse("home"))
    assert [(n.path, n.count) for n in response.context["folders"]] == [
        ("a", 2),
        ("a/b", 1),
        ("a/b/c", 1),
    ]
    assert response.context["unfiled_count"] == 1
    page = _html(response)
    assert 'data-testid="folder-count">3<' in page
    assert "Not in a folder" in page
    assert "Room for 47 more prompts" in page


def test_the_prompt_page_says_when_a_copy_would_not_fit(alice_client, alice):
    prompt = PromptFactory(user=alice)
    page = _html(alice_client.get(reverse("prompts:detail", args=[prompt.pk])))
    assert 'data-testid="duplicate-limit"' not in page
    type(alice).objects.filter(pk=alice.pk).update(prompt_count=50)
    page = _html(alice_client.get(reverse("prompts:detail", args=[prompt.pk])))
    assert 'data-testid="duplicate-limit"' in page
    assert "/pricing/" in page


def test_compare_versions_appears_once_there_are_two(alice_client, alice):
    prompt = PromptFactory(user=alice, content="one")
    url = reverse("prompts:detail", args=[prompt.pk])
    assert "Compare versions" not in _html(alice_client.get(url))
    services.prompt_update(prompt=prompt, author=alice, content="two")
    assert "Compare versions" in _html(alice_client.get(url))


def test_a_very_long_search_is_cut_rather_than_ignored(alice_client, alice):
    PromptFactory(user=alice, name="apple")
    PromptFactory(user=alice, name="pear")
    response = alice_client.get(reverse("prompts:list"), {"q": "apple" + " " * 300 + "x"})
    assert _names(response) == ["apple"]


def test_version_urls_that_are_not_numbers_do_not_resolve(alice_client, alice):
    prompt = PromptFactory(user=alice)
    assert alice_client.get(f"/prompts/{prompt.pk}/versions/abc/").status_code == 404
    assert alice_client.get(f"/prompts/{prompt.pk}/versions/-1/").status_code == 404
