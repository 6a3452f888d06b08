"""Comparing two versions of a prompt."""

import pytest
from django.urls import reverse

from apps.prompts import services
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


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
