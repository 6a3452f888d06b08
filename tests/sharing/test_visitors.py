import html
import json
import re

import yaml
from django.urls import reverse

from apps.accounts.models import User
from apps.prompts.models import Prompt
from apps.sharing import services
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


def test_downloads_come_as_txt_md_and_json(client, share, prompt):
    base = {"code": share.share_code}
    txt = client.get(reverse("sharing:share_download", kwargs={**base, "fmt": "txt"}))
    assert txt.content.decode() == prompt.content
    assert 'filename="launch-email.txt"' in txt["Content-Disposition"]
    md = client.get(reverse("sharing:share_download", kwargs={**base, "fmt": "md"})).content
    front = yaml.safe_load(md.decode().split("---")[1])
    assert front["name"] == "Launch email"
    assert front["tags"] == ["email", "launch"]
    record = json.loads(
        client.get(reverse("sharing:share_download", kwargs={**base, "fmt": "json"})).content
    )
    assert record["content"] == prompt.content
    assert record["author"] == "Alice"
    assert "id" not in record
    assert client.get(f"/s/{share.share_code}/download.exe").status_code == 404


def test_downloads_of_a_revoked_link_answer_410(client, share):
    services.share_revoke(share=share)
    assert (
        client.get(
            reverse("sharing:share_download", kwargs={"code": share.share_code, "fmt": "md"})
        ).status_code
        == 410
    )


def test_downloads_do_not_count_as_views(client, share):
    client.get(reverse("sharing:share_download", kwargs={"code": share.share_code, "fmt": "txt"}))
    share.refresh_from_db()
    assert share.view_count == 0


def test_saving_a_shared_prompt_forks_it_into_the_visitors_vault(client, share, prompt):
    charlie = UserFactory(email="charlie@example.com")
    client.force_login(charlie)
    response = client.post(reverse("sharing:share_save", args=[share.share_code]))
    fork = Prompt.objects.get(user=charlie)
    assert response["Location"] == reverse("prompts:detail", args=[fork.pk])
    assert fork.content == prompt.content
    assert list(fork.versions.values_list("version", flat=True)) == [1]
    assert fork.metadata["forked_from"]["prompt_id"] == str(prompt.pk)
    assert fork.metadata["forked_from"]["via"] == "share"
    assert sorted(fork.tags.values_list("name", flat=True)) == ["email", "launch"]
    charlie.refresh_from_db()
    prompt.refresh_from_db()
    assert charlie.prompt_count == 1
    assert prompt.save_count == 1


def test_a_free_user_at_the_limit_cannot_save(client, share):
    charlie = UserFactory(email="charlie@example.com")
    for index in range(50):
        PromptFactory(user=charlie, name=f"Mine {index}")
    client.force_login(charlie)
    response = client.post(reverse("sharing:share_save", args=[share.share_code]), follow=True)
    assert "holds 50 prompts" in response.content.decode()
    assert Prompt.objects.filter(user=charlie).count() == 50
    assert User.objects.get(pk=charlie.pk).prompt_count == 50


def test_anonymous_visitors_must_log_in_to_save(client, share):
    response = client.post(reverse("sharing:share_save", args=[share.share_code]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Prompt.objects.count() == 1


def test_the_fill_panel_fills_variables_without_javascript(client, share):
    url = reverse("sharing:share_page", args=[share.share_code])
    body = client.get(url, {"var_product": "Vault 2", "var_audience": "admins"}).content.decode()
    assert "Write a launch email about Vault 2 for admins." in body


def test_a_pinned_link_shows_its_versions_metadata_not_the_current_one(client, alice, charlie):
    from apps.prompts import services as prompt_services

    prompt = PromptFactory(
        user=alice, name="Tuned", content="Write about {{topic}}.", metadata={"temperature": 0.2}
    )
    first = prompt.versions.get()
    pinned = services.share_create(prompt=prompt, shared_by=alice, version=first)
    prompt_services.prompt_update(
        prompt=prompt,
        author=alice,
        content="Rewrite {{subject}} for {{reader}}.",
        metadata={"temperature": 0.9},
    )
    code = {"code": pinned.share_code}

    page = client.get(reverse("sharing:share_page", kwargs=code))
    shown = page.context["prompt"]
    assert shown.metadata == {"temperature": 0.2}
    assert shown.updated_at == first.created_at
    assert [variable["name"] for variable in page.context["variables"]] == ["topic"]
    assert "Rewrite" not in page.content.decode()

    record = json.loads(
        client.get(reverse("sharing:share_download", kwargs={**code, "fmt": "json"})).content
    )
    assert record["content"] == "Write about {{topic}}."
    assert record["metadata"] == {"temperature": 0.2}
    assert record["updated_at"] == first.created_at.isoformat()
    md = client.get(reverse("sharing:share_download", kwargs={**code, "fmt": "md"})).content
    front = yaml.safe_load(md.decode().split("---")[1])
    assert front["metadata"] == {"temperature": 0.2}

    client.force_login(charlie)
    client.post(reverse("sharing:share_save", kwargs=code))
    fork = Prompt.objects.get(user=charlie)
    assert fork.content == "Write about {{topic}}."
    assert fork.metadata["temperature"] == 0.2
    assert fork.metadata["forked_from"]["version"] == 1

    # Showing the old version changed nothing of the prompt itself.
    prompt.refresh_from_db()
    assert prompt.metadata == {"temperature": 0.9}
    assert prompt.content == "Rewrite {{subject}} for {{reader}}."


def test_the_header_log_in_link_comes_back_to_the_share_page(client, share, charlie, password):
    page = reverse("sharing:share_page", kwargs={"code": share.share_code})
    body = client.get(page).content.decode()
    login = html.unescape(
        re.search(r'href="(/accounts/login/[^"]*)"[^>]*>.*?Log in', body).group(1)
    )
    signup = html.unescape(re.search(r'href="(/accounts/signup/[^"]*)"', body).group(1))
    assert signup.endswith(login.split("?", 1)[1])

    form = client.get(login).content.decode()
    assert f'value="{page}"' in form
    response = client.post(login, {"username": charlie.email, "password": password, "next": page})
    assert response["Location"] == page


def test_share_and_public_pages_fill_declared_variables_with_their_types(client, alice):
    prompt = PromptFactory(
        user=alice,
        content="Reply in a {{tone}} tone in {{words}} words: {{message}}",
        is_public=True,
        metadata={
            "variables": [
                {"name": "tone", "type": "choice", "options": ["warm", "formal"]},
                {"name": "words", "type": "number"},
                {"name": "message", "type": "multiline"},
            ]
        },
    )
    share = services.share_create(prompt=prompt, shared_by=alice, expires_in="never")
    for url in (
        reverse("sharing:share_page", kwargs={"code": share.share_code}),
        reverse("sharing:public_page", kwargs={"pk": prompt.pk}),
    ):
        page = client.get(url).content.decode()
        assert '<select id="var-tone" name="var_tone" data-fill-input="tone">' in page, url
        assert '<option value="formal">formal</option>' in page, url
        assert 'type="number" step="any" id="var-words" name="var_words"' in page, url
        assert '<textarea id="var-message" name="var_message" rows="4"' in page, url
