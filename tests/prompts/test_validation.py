"""Bad input: each refused with a clear message, nothing half-saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.prompts import services, validation
from apps.prompts.models import Prompt, Tag
from tests.prompts.factories import PromptFactory


def _create(alice, **overrides):
    fields = {"owner": alice, "author": alice, "name": "Name", "content": "Content"}
    return services.prompt_create(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"content": ""}, "content"),
        ({"content": " \n\t "}, "content"),
        ({"metadata": [1, 2]}, "metadata"),
        ({"metadata": "[1, 2]"}, "metadata"),
        ({"metadata": '"x"'}, "metadata"),
        ({"metadata": "{not json"}, "metadata"),
        ({"metadata": 3}, "metadata"),
        ({"folder": "a/../b"}, "folder"),
        ({"folder": "./a"}, "folder"),
        ({"folder": "a/\x00b"}, "folder"),
        ({"folder": "a\nb"}, "folder"),
        ({"folder": "a/\u202eb"}, "folder"),
        ({"tags": ["ok", "x" * 51]}, "name"),
    ],
)
def test_create_refuses_bad_values_and_saves_nothing(alice, overrides, field):
    with pytest.raises(ValidationError) as caught:
        _create(alice, **overrides)
    assert field in caught.value.message_dict
    assert caught.value.message_dict[field][0]
    assert not Prompt.objects.exists()
    assert not Tag.objects.exists()
    alice.refresh_from_db()
    assert alice.prompt_count == 0


def test_a_name_of_exactly_255_characters_is_fine(alice):
    assert len(_create(alice, name="x" * 255).name) == 255


def test_several_bad_fields_are_reported_together(alice):
    with pytest.raises(ValidationError) as caught:
        _create(alice, name="", content="", metadata="[]")
    assert set(caught.value.message_dict) == {"name", "content", "metadata"}


def test_an_update_with_bad_values_changes_nothing(alice):
    prompt = PromptFactory(user=alice, name="Keep", content="keep", folder="f")
    with pytest.raises(ValidationError):
        services.prompt_update(
            prompt=prompt, author=alice, name="New", content="new", folder="../x"
        )
    prompt.refresh_from_db()
    assert (prompt.name, prompt.content, prompt.folder) == ("Keep", "keep", "f")
    assert prompt.versions.count() == 1


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("/marketing/social/", "marketing/social"),
        ("marketing//social", "marketing/social"),
        (" marketing / social ", "marketing/social"),
        ("marketing\\social", "marketing/social"),
        ("///", ""),
        ("", ""),
        (None, ""),
        ("Clients/Ünïcode", "Clients/Ünïcode"),
    ],
)
def test_folder_paths_are_normalised(raw, clean):
    assert validation.clean_folder(raw) == clean


def test_metadata_accepts_objects_and_blank():
    assert validation.clean_metadata('{"a": [1]}') == {"a": [1]}
    assert validation.clean_metadata({"a": 1}) == {"a": 1}
    assert validation.clean_metadata("") == {}
    assert validation.clean_metadata(None) == {}


@pytest.mark.parametrize("color", ["blue", "#FFF", "#GGGGGG", "3B82F6", "#3B82F6 ", "#3B82F6AA"])
def test_colours_must_be_hex_rrggbb(alice, color):
    if color == "#3B82F6 ":
        # Surrounding spaces are trimmed, not refused.
        assert services.tag_create(owner=alice, name="t", color=color).color == "#3B82F6"
        return
    with pytest.raises(ValidationError) as caught:
        services.tag_create(owner=alice, name="t", color=color)
    assert "#RRGGBB" in caught.value.message_dict["color"][0]
    assert not Tag.objects.exists()


def test_tag_update_refuses_a_bad_colour(alice):
    tag = services.tag_create(owner=alice, name="t")
    with pytest.raises(ValidationError):
        services.tag_update(tag=tag, color="red")
    tag.refresh_from_db()
    assert tag.color == "#3B82F6"


@pytest.mark.parametrize("name", ["", "   ", "a,b", "x" * 51, "tab\there"])
def test_tag_names_are_checked(alice, name):
    if name == "tab\there":
        # Whitespace runs collapse to one space.
        assert services.tag_create(owner=alice, name=name).name == "tab here"
        return
    with pytest.raises(ValidationError):
        services.tag_create(owner=alice, name=name)


# The same rules through the editor: the form shows the message and keeps the input.


def _form_data(**overrides):
    data = {
        "name": "A prompt",
        "description": "",
        "content": "Some content",
        "model": "gpt-4",
        "folder": "",
        "tags": "",
        "metadata": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 256}, "at most 255 characters"),
        ({"content": "   "}, "can&#x27;t be empty"),
        ({"metadata": "[1,2]"}, "must be a JSON object"),
        ({"metadata": '"x"'}, "must be a JSON object"),
        ({"metadata": "{oops"}, "not valid JSON"),
        ({"folder": "a/../b"}, "can&#x27;t contain"),
        ({"folder": "a\x07b"}, "control characters"),
        ({"tags": "fine, " + "x" * 51}, "at most 50 characters"),
    ],
)
def test_the_new_prompt_form_shows_the_error_and_keeps_the_input(
    alice_client, alice, overrides, message
):
    data = _form_data(description="Typed description", **overrides)
    response = alice_client.post(reverse("prompts:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Typed description" in html
    assert not Prompt.objects.exists()


def test_the_new_prompt_form_normalises_the_folder(alice_client, alice):
    response = alice_client.post(reverse("prompts:create"), _form_data(folder="/a//b/"))
    assert response.status_code == 302
    assert Prompt.objects.get().folder == "a/b"


def test_the_edit_form_refuses_bad_metadata_and_keeps_the_prompt(alice_client, alice):
    prompt = PromptFactory(user=alice, content="before", metadata={"a": 1})
    data = _form_data(content="after", metadata="[1,2]", change_message="m")
    response = alice_client.post(reverse("prompts:edit", args=[prompt.pk]), data)
    assert response.status_code == 200
    assert "must be a JSON object" in response.content.decode()
    prompt.refresh_from_db()
    assert prompt.content == "before"
    assert prompt.metadata == {"a": 1}
    assert prompt.versions.count() == 1


def test_the_tag_page_refuses_a_bad_colour(alice_client, alice):
    response = alice_client.post(reverse("prompts:tags"), {"name": "x", "color": "red"})
    assert response.status_code == 200
    assert "#RRGGBB" in response.content.decode()
    assert not Tag.objects.exists()


def test_folder_rename_with_dotdot_is_refused_with_a_message(alice_client, alice):
    PromptFactory(user=alice, name="a", folder="a")
    response = alice_client.post(
        reverse("prompts:folder_rename"), {"old_path": "a", "new_path": "../b"}, follow=True
    )
    assert "can&#x27;t contain" in response.content.decode()
    assert Prompt.objects.get().folder == "a"
