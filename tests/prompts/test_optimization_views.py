"""The AI rewrite from a prompt's page: the button, the progress polled by htmx, the review
with its diff and scores, accept (and its conflict), discard."""

import html
import re

import pytest
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts import services
from apps.prompts.analyzer import analyze
from apps.prompts.models import PromptOptimization
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.prompts.fake_openai import Status, rewrite

CONTENT = "Write something good about {{product}}, maybe with some examples etc."
BETTER = "You are a copywriter. Write three bullet points about {{product}}, each under 20 words."


@pytest.fixture
def pro(db):
    return UserFactory(email="pro@example.com", tier=Tier.PRO)


@pytest.fixture
def prompt(pro):
    return PromptFactory(user=pro, content=CONTENT)


@pytest.fixture
def pro_client(client, pro):
    client.force_login(pro)
    return client


def _review_url(optimization):
    return reverse("prompts:optimization", args=[optimization.prompt_id, optimization.pk])


def test_the_prompt_page_offers_the_button_and_lists_the_history(
    fake_openai, pro_client, prompt, django_capture_on_commit_callbacks
):
    html = pro_client.get(prompt.get_absolute_url()).content.decode()
    assert 'data-testid="optimize"' in html
    assert "Optimize with AI" in html

    fake_openai.reply(rewrite(BETTER))
    with django_capture_on_commit_callbacks(execute=True):
        response = pro_client.post(reverse("prompts:optimize", args=[prompt.pk]))
    response = pro_client.get(response["Location"])

    optimization = prompt.optimizations.get()
    assert response.request["PATH_INFO"] == _review_url(optimization)
    html = response.content.decode()
    assert 'data-status="ready"' in html
    assert "<ins>" in html and "<del>" in html, "the diff markup is shown"
    assert "Stated the output format" in html
    assert 'data-testid="optimization-accept"' in html
    html = pro_client.get(prompt.get_absolute_url()).content.decode()
    assert _review_url(optimization) in html
    assert "Ready for review" in html


def test_without_a_model_the_page_says_so_and_the_analyzer_still_works(
    pro_client, prompt, settings
):
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = ""

    html = pro_client.get(prompt.get_absolute_url()).content.decode()

    assert "no language model configured" in html
    assert 'data-testid="optimize"' not in html
    response = pro_client.post(reverse("prompts:optimize", args=[prompt.pk]), follow=True)
    assert "no language model configured" in response.content.decode()
    assert not PromptOptimization.objects.exists()


def test_a_free_owner_sees_the_plans_and_posting_sends_nothing(fake_openai, client, db):
    free = UserFactory(tier=Tier.FREE)
    prompt = PromptFactory(user=free, content=CONTENT)
    client.force_login(free)

    html = client.get(prompt.get_absolute_url()).content.decode()
    assert "Pro and Enterprise" in html and reverse("billing:pricing") in html

    response = client.post(reverse("prompts:optimize", args=[prompt.pk]), follow=True)
    assert "Pro and Enterprise" in response.content.decode()
    assert fake_openai.requests == []


def test_a_running_rewrite_is_polled_and_a_second_one_refused(fake_openai, pro_client, prompt, pro):
    running = PromptOptimization.objects.create(
        prompt=prompt,
        provider=PromptOptimization.Provider.LLM,
        status=PromptOptimization.Status.RUNNING,
        requested_by=pro,
        original_content=prompt.content,
        optimized_content="",
    )
    html = pro_client.get(_review_url(running)).content.decode()
    assert 'hx-trigger="every 1s"' in html

    partial = pro_client.get(
        _review_url(running), headers={"HX-Request": "true", "HX-Target": "optimization"}
    ).content.decode()
    assert partial.lstrip().startswith('<section id="optimization"')
    assert 'hx-trigger="every 1s"' in partial

    response = pro_client.post(reverse("prompts:optimize", args=[prompt.pk]), follow=True)
    assert "already being optimized" in response.content.decode()
    assert fake_openai.requests == []

    services.optimization_run(optimization=running)
    partial = pro_client.get(
        _review_url(running), headers={"HX-Request": "true", "HX-Target": "optimization"}
    ).content.decode()
    assert "every 1s" not in partial, "polling stops once it has finished"
    assert 'data-status="ready"' in partial


def test_a_failed_rewrite_says_why(
    fake_openai, pro_client, prompt, django_capture_on_commit_callbacks
):
    fake_openai.reply(Status(500))
    with django_capture_on_commit_callbacks(execute=True):
        response = pro_client.post(reverse("prompts:optimize", args=[prompt.pk]))
    response = pro_client.get(response["Location"])
    html = response.content.decode()
    assert "answered with an error (500)" in html
    assert "The prompt is unchanged" in html


def test_accept_makes_version_two_and_discard_leaves_the_prompt(fake_openai, pro_client, prompt):
    fake_openai.reply(rewrite(BETTER), rewrite(BETTER + " Be kind."))
    first = services.prompt_optimize(prompt=prompt, user=prompt.user)

    response = pro_client.post(
        reverse("prompts:optimization_accept", args=[prompt.pk, first.pk]), follow=True
    )
    assert "The rewrite is now version 2." in response.content.decode()
    prompt.refresh_from_db()
    assert prompt.content == BETTER
    assert prompt.versions.get(version=2).change_message.startswith("Optimized with AI (score ")

    second = services.prompt_optimize(prompt=prompt, user=prompt.user)
    response = pro_client.post(
        reverse("prompts:optimization_discard", args=[prompt.pk, second.pk]), follow=True
    )
    assert "discarded" in response.content.decode()
    second.refresh_from_db()
    assert second.status == PromptOptimization.Status.DISCARDED
    prompt.refresh_from_db()
    assert prompt.content == BETTER


def test_accept_after_the_prompt_changed_shows_the_conflict(fake_openai, pro_client, prompt, pro):
    optimization = services.prompt_optimize(prompt=prompt, user=pro)
    services.prompt_update(prompt=prompt, author=pro, content=CONTENT + " Be brief.")

    html = pro_client.get(_review_url(optimization)).content.decode()
    assert 'data-testid="optimization-moved-on"' in html
    assert 'data-testid="optimization-accept"' not in html

    response = pro_client.post(
        reverse("prompts:optimization_accept", args=[prompt.pk, optimization.pk])
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "now version 2" in html
    assert "?from=1&amp;to=2" in html
    prompt.refresh_from_db()
    assert prompt.versions.count() == 2


def test_accepting_twice_is_a_message_not_an_error(fake_openai, pro_client, prompt):
    optimization = services.prompt_optimize(prompt=prompt, user=prompt.user)
    url = reverse("prompts:optimization_accept", args=[prompt.pk, optimization.pk])
    pro_client.post(url)

    response = pro_client.post(url, follow=True)

    assert response.status_code == 200
    assert "only one ready for review can be accepted" in response.content.decode()
    assert prompt.versions.count() == 2


def test_an_optimization_of_another_prompt_is_not_found(fake_openai, pro_client, prompt, pro):
    other = PromptFactory(user=pro, content="Summarise {{text}} please.")
    optimization = services.prompt_optimize(prompt=other, user=pro)

    url = reverse("prompts:optimization", args=[prompt.pk, optimization.pk])
    assert pro_client.get(url).status_code == 404
    url = reverse("prompts:optimization_accept", args=[prompt.pk, optimization.pk])
    assert pro_client.post(url).status_code == 404


def test_the_review_page_reads_a_bounded_number_of_rows(
    fake_openai, pro_client, prompt, django_assert_max_num_queries
):
    optimization = services.prompt_optimize(prompt=prompt, user=prompt.user)
    with django_assert_max_num_queries(12):
        assert pro_client.get(_review_url(optimization)).status_code == 200


def test_the_review_shows_each_criterions_score_before_and_after(fake_openai, pro_client, prompt):
    fake_openai.reply(rewrite(BETTER))
    optimization = services.prompt_optimize(prompt=prompt, user=prompt.user)
    page = html.unescape(pro_client.get(_review_url(optimization)).content.decode())

    before, after = analyze(CONTENT), analyze(BETTER)
    rows = dict(
        (label, (int(was), int(now)))
        for label, was, now in re.findall(
            r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>', page
        )
    )
    assert rows == {
        criterion.label: (criterion.score, after.criterion(criterion.key).score)
        for criterion in before.criteria
    }
    # The vague words of the original ("good", "maybe", "some", "etc.") are gone.
    specificity = before.criterion("specificity").label
    assert rows[specificity][1] > rows[specificity][0]


def test_the_prompt_pages_history_of_rewrites_leaves_their_texts_in_the_database(
    pro_client, prompt, pro
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base = prompt.versions.get()
    for index in range(3):
        PromptOptimization.objects.create(
            prompt=prompt,
            requested_by=pro,
            base_version=base,
            result_version=base if index == 0 else None,
            original_content=CONTENT,
            optimized_content=BETTER * 100,
            status=PromptOptimization.Status.ACCEPTED
            if index == 0
            else PromptOptimization.Status.READY,
            score_before=40,
            score_after=70,
        )
    with CaptureQueriesContext(connection) as captured:
        html = pro_client.get(prompt.get_absolute_url()).content.decode()
    assert html.count("score 40 → 70") == 3
    assert "· version 1" in html
    reads = [query["sql"] for query in captured if '"prompt_optimizations"' in query["sql"]]
    assert reads and not [sql for sql in reads if "optimized_content" in sql]
