"""The prompt check's endpoint and panels: live in the editor, read-only on the prompt page."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.prompts.validation import CONTENT_MAX
from apps.teams.models import Role
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.teams.factories import TeamInviteFactory

HTMX = {"HX-Request": "true", "HX-Target": "analysis"}
URL = "/prompts/analyze/"


def check(client, content, **extra):
    return client.post(reverse("prompts:analyze"), {"content": content, **extra}, headers=HTMX)


def test_the_url_is_the_one_the_panel_posts_to():
    assert reverse("prompts:analyze") == URL


def test_it_answers_the_panel_with_the_score_and_the_findings(alice_client):
    response = check(alice_client, "Maybe write a summary of {{question}}.")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card stack analysis" id="analysis"')
    assert "<html" not in html
    assert 'data-testid="analysis-score"' in html
    assert "“Maybe” hedges" in html
    assert 'data-apply-fix data-finding-start="0" data-finding-end="7" data-fix="W"' in html
    # It keeps asking as the person types.
    assert f'hx-post="{URL}"' in html and "delay:400ms" in html


def test_a_plain_post_gets_a_page(alice_client):
    response = alice_client.post(URL, {"content": "Summarize the notes."})
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "Prompt check" in response.content.decode()


def test_empty_content_asks_to_start_typing(alice_client):
    response = check(alice_client, "  ")
    assert response.status_code == 200
    assert "Start typing" in response.content.decode()


def test_content_over_the_limit_is_a_message_not_an_analysis(alice_client):
    response = check(alice_client, "x" * (CONTENT_MAX + 1))
    assert response.status_code == 400
    assert "more than the 200,000" in response.content.decode()
    assert 'data-testid="analysis-score"' not in response.content.decode()


# Lone surrogates can't travel in a request's UTF-8; tests/prompts/test_analyzer.py has them.
@pytest.mark.parametrize("content", ["\x00\x00", "😀 maybe", "{{" * 5000, "<" * 10_000])
def test_hostile_content_gets_a_panel(alice_client, content):
    assert check(alice_client, content).status_code == 200


def test_the_model_and_declared_variables_are_taken_into_account(alice_client):
    html = check(
        alice_client,
        "Solve it. Think step by step. Use {{x}}.",
        model="o3-mini",
        metadata='{"variables": [{"name": "y"}]}',
    ).content.decode()
    assert "reasons on its own" in html
    assert "declared in the metadata but the prompt never uses it" in html
    # Metadata that doesn't parse is the editor's own error; the check goes on without it.
    assert check(alice_client, "Use {{x}}.", metadata="{not json").status_code == 200


def test_line_ends_are_counted_as_the_textarea_has_them(alice_client):
    html = check(alice_client, "Summarize it.\r\nMaybe add a title.").content.decode()
    assert 'data-finding-start="14"' in html


def test_checks_are_rate_limited_per_account(alice_client, settings):
    settings.ANALYZER_RATE_LIMIT_PER_MINUTE = 2
    assert check(alice_client, "Summarize it.").status_code == 200
    assert check(alice_client, "Summarize it.").status_code == 200
    refused = check(alice_client, "Summarize it.")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Checking paused" in refused.content.decode()


def test_it_needs_a_post_and_a_person(alice_client):
    anonymous = Client().post(URL, {"content": "x"})
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert alice_client.get(URL).status_code == 405


def test_it_checks_csrf(alice):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(URL, {"content": "Summarize it."}, headers=HTMX).status_code == 403


def test_the_editor_shows_the_live_panel_for_the_saved_content(alice_client, alice):
    prompt = PromptFactory(user=alice, content="Maybe summarize the notes.")
    html = alice_client.get(reverse("prompts:edit", args=[prompt.pk])).content.decode()
    assert f'hx-post="{URL}"' in html
    assert 'data-testid="apply-fix"' in html


def test_a_new_prompt_gets_the_live_panel_too(alice_client):
    html = alice_client.get(reverse("prompts:create")).content.decode()
    assert f'hx-post="{URL}"' in html
    assert "Start typing" in html


def test_the_prompt_page_shows_a_read_only_panel(alice_client, alice):
    prompt = PromptFactory(user=alice, content="Maybe summarize the notes.")
    html = alice_client.get(reverse("prompts:detail", args=[prompt.pk])).content.decode()
    panel = html[html.index('id="analysis"') :]
    panel = panel[: panel.index("</section>")]
    assert 'data-testid="analysis-score"' in panel
    assert "hedges" in panel
    assert "hx-post" not in panel
    assert "data-apply-fix" not in panel and "data-finding-start" not in panel


def test_a_viewer_sees_the_check_on_the_prompt_page(client, alice):
    alice.tier = "pro"
    alice.save()
    dana = UserFactory()
    TeamInviteFactory(
        invited_by=alice,
        invited_email=dana.email,
        role=Role.VIEWER,
        accepted=True,
        accepted_by=dana,
    )
    prompt = PromptFactory(user=alice, content="Summarize the notes.")
    client.force_login(dana)
    html = client.get(reverse("prompts:detail", args=[prompt.pk])).content.decode()
    assert 'data-testid="analysis-score"' in html


def test_a_text_the_check_stopped_counting_says_so(alice_client):
    capped = check(alice_client, "{{é}} " * 2_000).content.decode()
    assert 'data-testid="analysis-capped"' in capped
    plain = check(alice_client, "Summarize the notes in three bullet points.").content.decode()
    assert 'data-testid="analysis-capped"' not in plain
