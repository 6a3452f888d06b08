"""A prompt's page: variables, the fill panel and what it offers."""

from django.urls import reverse

from apps.prompts import services
from tests.prompts.factories import PromptFactory


def _html(response):
    return response.content.decode()


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
