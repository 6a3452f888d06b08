import pytest
from django.test import Client
from django.urls import reverse

from apps.sharing import services
from tests.prompts.factories import PromptFactory


def test_a_private_prompt_is_404_for_everyone_but_its_owner(alice_client, prompt, charlie):
    url = reverse("sharing:public_page", args=[prompt.pk])
    assert Client().get(url).status_code == 404
    assert alice_client.get(url).status_code == 200
    stranger = Client()
    stranger.force_login(charlie)
    assert stranger.get(url).status_code == 404


def test_making_a_prompt_public_and_private_again_takes_effect_at_once(
    alice_client, client, prompt, alice
):
    public_url = reverse("sharing:public_page", args=[prompt.pk])
    alice_client.post(reverse("sharing:visibility", args=[prompt.pk]), {"is_public": "true"})
    visitor = Client()
    assert visitor.get(public_url).status_code == 200
    assert prompt.name.encode() in visitor.get(reverse("sharing:explore")).content
    alice_client.post(reverse("sharing:visibility", args=[prompt.pk]), {"is_public": "false"})
    assert visitor.get(public_url).status_code == 404
    assert prompt.name.encode() not in visitor.get(reverse("sharing:explore")).content


def test_the_gallery_searches_filters_and_sorts(client, alice, charlie):
    popular = PromptFactory(
        user=alice,
        name="Popular summariser",
        content="Summarise the meeting notes",
        is_public=True,
        model="gpt-4o",
    )
    PromptFactory(
        user=charlie, name="Haiku writer", content="Write a haiku", is_public=True, tags=["poetry"]
    )
    PromptFactory(user=alice, name="Secret", content="Summarise privately", is_public=False)
    for _ in range(3):
        services.prompt_fork(prompt=popular, user=charlie, via="public")
    page = client.get(reverse("sharing:explore")).content.decode()
    assert "Popular summariser" in page and "Haiku writer" in page and "Secret" not in page
    assert "Alice" in page and "alice@example.com" not in page
    found = client.get(reverse("sharing:explore"), {"q": "summarise"}).content.decode()
    assert "Popular summariser" in found and "Haiku writer" not in found and "Secret" not in found
    by_tag = client.get(reverse("sharing:explore"), {"tag": "poetry"}).content.decode()
    assert "Haiku writer" in by_tag and "Popular summariser" not in by_tag
    by_model = client.get(reverse("sharing:explore"), {"model": "gpt-4o"}).content.decode()
    assert "Popular summariser" in by_model and "Haiku writer" not in by_model
    saved = client.get(reverse("sharing:explore"), {"sort": "saved"}).content.decode()
    assert saved.index("Popular summariser") < saved.index("Haiku writer")


def test_the_gallery_answers_htmx_with_the_results_fragment(client, db):
    response = client.get(
        reverse("sharing:explore"), headers={"HX-Request": "true", "HX-Target": "gallery"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="gallery">')
    assert "<html" not in body


def test_saving_a_public_prompt_counts_a_save(client, alice, charlie):
    prompt = PromptFactory(user=alice, is_public=True)
    client.force_login(charlie)
    client.post(reverse("sharing:public_save", args=[prompt.pk]))
    prompt.refresh_from_db()
    assert prompt.save_count == 1
    assert charlie.prompts.get().metadata["forked_from"]["via"] == "public"


def test_public_downloads_and_private_ones_404(client, alice):
    public = PromptFactory(user=alice, is_public=True, content="Public words")
    private = PromptFactory(user=alice, is_public=False)
    assert (
        client.get(
            reverse("sharing:public_download", kwargs={"pk": public.pk, "fmt": "txt"})
        ).content
        == b"Public words"
    )
    assert (
        client.get(
            reverse("sharing:public_download", kwargs={"pk": private.pk, "fmt": "txt"})
        ).status_code
        == 404
    )


def _long_public_prompts(owner):
    """Two public prompts longer than HEADLINE_CHARS: one mentions a zebra first, one only
    at the end."""
    from apps.prompts.search import HEADLINE_CHARS

    filler = "plain words " * (HEADLINE_CHARS // 12 + 50)
    PromptFactory(user=owner, name="Early", content="A zebra first. " + filler, is_public=True)
    PromptFactory(user=owner, name="Late", content=filler + "and a zebra at last", is_public=True)


@pytest.mark.postgres
def test_gallery_snippets_are_cut_from_the_start_of_a_long_prompt_only(client, alice):
    _long_public_prompts(alice)

    response = client.get(reverse("sharing:explore"), {"q": "zebra"})

    cards = {prompt.name: prompt for prompt in response.context["page"].object_list}
    assert set(cards) == {"Early", "Late"}
    assert "<mark>zebra</mark> first" in response.text
    assert "zebra" not in cards["Late"].snippet
    assert "zebra at last" not in response.text


@pytest.mark.parametrize("query", [{}, {"q": "zebra"}], ids=["browse", "search"])
def test_gallery_cards_read_only_the_start_of_each_prompt(client, alice, query):
    """A card shows the start of a prompt: the rest of it, however long, is never loaded."""
    from apps.prompts.selectors import EXCERPT_CHARS

    _long_public_prompts(alice)

    response = client.get(reverse("sharing:explore"), query)

    cards = response.context["page"].object_list
    assert sorted(prompt.name for prompt in cards) == ["Early", "Late"]
    for prompt in cards:
        assert "content" in prompt.get_deferred_fields()
        assert len(prompt.content_start) <= EXCERPT_CHARS
    assert "zebra at last" not in response.text
