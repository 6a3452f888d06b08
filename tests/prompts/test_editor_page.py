"""The new-prompt and edit forms, conflicts included."""

from django.urls import reverse

from apps.prompts import services
from apps.prompts.models import Prompt
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
