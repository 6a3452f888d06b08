"""Values no database or parser should be handed: each is refused with a message, or ignored
where it is only a filter, and nothing is half-saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.prompts import services, validation
from apps.prompts.models import Prompt, PromptVersion
from tests.prompts.factories import PromptFactory

DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_METADATA = [
    pytest.param('{"a": "\\u0000"}', id="nul-value"),
    pytest.param('{"\\u0000": 1}', id="nul-key"),
    pytest.param('{"a": NaN}', id="nan"),
    pytest.param('{"a": Infinity}', id="infinity"),
    pytest.param('{"a": -Infinity}', id="minus-infinity"),
    pytest.param('{"a": 1e999}', id="float-overflow"),
    pytest.param('{"a": -1e999}', id="float-overflow-negative"),
    pytest.param('{"a": "\\ud800"}', id="lone-surrogate"),
    pytest.param('{"\\udfff": 1}', id="lone-surrogate-key"),
    pytest.param('{"a": ' + "9" * 5000 + "}", id="huge-integer"),
    pytest.param('{"a": ' + DEEP + "}", id="deep-nesting"),
    pytest.param('{"a": ' + "[" * 500 + "]" * 500 + "}", id="moderately-deep"),
    pytest.param('{"a": ' + '{"b": ' * 3000 + "1" + "}" * 3000 + "}", id="deep-objects"),
]


@pytest.mark.parametrize("metadata", HOSTILE_METADATA)
def test_hostile_metadata_text_is_refused_by_the_validator(metadata):
    with pytest.raises(ValidationError) as caught:
        validation.clean_metadata(metadata)
    assert caught.value.message_dict["metadata"][0]


@pytest.mark.parametrize(
    "metadata",
    [
        {"a": "\x00"},
        {"\x00": 1},
        {"a": float("nan")},
        {"a": float("inf")},
        {"a": "\ud800"},
        {1: "not a string key"},
        {"a": object()},
        {"a": 10**400},
    ],
)
def test_hostile_metadata_objects_are_refused_by_the_services(alice, metadata):
    with pytest.raises(ValidationError) as caught:
        services.prompt_create(owner=alice, author=alice, name="n", content="c", metadata=metadata)
    assert "metadata" in caught.value.message_dict
    assert not Prompt.objects.exists()


def test_deeply_nested_metadata_objects_are_refused_without_recursing(alice):
    nested: dict = {}
    inner = nested
    for _ in range(100_000):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(ValidationError) as caught:
        services.prompt_create(owner=alice, author=alice, name="n", content="c", metadata=nested)
    assert "deep" in caught.value.message_dict["metadata"][0]


def test_ordinary_metadata_still_round_trips():
    value = '{"temperature": 0.2, "stop": ["\\n"], "n": 12345678901234567890, "x": null}'
    assert validation.clean_metadata(value) == {
        "temperature": 0.2,
        "stop": ["\n"],
        "n": 12345678901234567890,
        "x": None,
    }


def _form(**overrides):
    data = {"name": "A prompt", "content": "Some content", "model": "gpt-4", "metadata": ""}
    return {**data, **overrides}


@pytest.mark.parametrize("metadata", HOSTILE_METADATA)
def test_the_editor_refuses_hostile_metadata_with_a_message(alice_client, alice, metadata):
    response = alice_client.post(
        reverse("prompts:create"), _form(metadata=metadata, description="Typed")
    )
    assert response.status_code == 200
    assert "Metadata" in response.content.decode()
    assert "Typed" in response.content.decode()
    assert not Prompt.objects.exists()


@pytest.mark.parametrize("metadata", HOSTILE_METADATA)
def test_an_edit_with_hostile_metadata_changes_nothing(alice_client, alice, metadata):
    prompt = PromptFactory(user=alice, content="before", metadata={"a": 1})
    response = alice_client.post(
        reverse("prompts:edit", args=[prompt.pk]), _form(content="after", metadata=metadata)
    )
    assert response.status_code == 200
    prompt.refresh_from_db()
    assert (prompt.content, prompt.metadata) == ("before", {"a": 1})
    assert PromptVersion.objects.filter(prompt=prompt).count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "tag=%00",
        "tag=a%00b",
        "tag=ok&tag=%00",
        "q=%00",
        "folder=%00",
        "model=%00",
        "sort=%00",
        "visibility=%00",
        "page=%00",
        "vault=%00",
        "tag=" + "x" * 100_000,
        "model=" + "x" * 100_000,
    ],
)
def test_the_vault_ignores_hostile_filters(alice_client, alice, query):
    PromptFactory(user=alice, name="Kept", tags=["ok"])
    response = alice_client.get(reverse("prompts:list") + "?" + query)
    assert response.status_code in (200, 404)


def test_a_nul_in_a_tag_filter_matches_nothing_rather_than_failing(alice_client, alice):
    PromptFactory(user=alice, name="Tagged", tags=["ok"])
    response = alice_client.get(reverse("prompts:list") + "?tag=%00")
    assert response.status_code == 200
