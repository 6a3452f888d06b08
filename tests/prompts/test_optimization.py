"""AI rewrites through the real `openai` SDK against a fake OpenAI-compatible server
(tests/prompts/fake_openai.py): what is sent, what is kept, what is refused and why."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Tier
from apps.prompts import services
from apps.prompts.models import PromptOptimization
from apps.teams import services as team_services
from promptvault import entitlements
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.prompts.fake_openai import Completion, Delay, Status, rewrite

Status_ = PromptOptimization.Status
CONTENT = "Write something good about {{product}} for {{audience}}, maybe with some examples etc."
BETTER = (
    "You are a product marketer. Write three bullet points about {{product}} for "
    "{{audience}}, each under 20 words, in a friendly tone."
)


@pytest.fixture
def pro(db):
    return UserFactory(email="pro@example.com", tier=Tier.PRO)


@pytest.fixture
def prompt(pro):
    return PromptFactory(user=pro, content=CONTENT, model="claude-sonnet-4")


def _optimize(prompt, user=None):
    return services.prompt_optimize(prompt=prompt, user=user or prompt.user)


def test_it_sends_the_prompt_its_model_and_the_findings_and_keeps_the_scored_rewrite(
    fake_openai, prompt
):
    fake_openai.reply(rewrite(BETTER, ["Named a role", "Bounded the length"]))

    optimization = _optimize(prompt)

    assert optimization.status == Status_.READY
    assert optimization.optimized_content == BETTER
    assert optimization.improvements == ["Named a role", "Bounded the length"]
    assert optimization.score_after > optimization.score_before
    assert {c["key"] for c in optimization.criteria_before} >= {"format", "variables"}
    assert optimization.base_version == prompt.versions.get(version=1)
    [request] = fake_openai.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "fake-rewriter"
    assert request.body["response_format"] == {"type": "json_object"}
    assert request.headers["authorization"] == "Bearer sk-test-promptvault"
    sent = request.sent
    assert sent["prompt"] == CONTENT
    assert sent["target_model"] == "claude-sonnet-4"
    assert any(f["criterion"] == "specificity" for f in sent["findings"])
    prompt.refresh_from_db()
    assert prompt.content == CONTENT
    assert prompt.versions.count() == 1


def test_a_fenced_json_reply_is_accepted(fake_openai, prompt):
    body = json.dumps({"prompt": BETTER, "improvements": ["Clearer"]})
    fake_openai.reply(Completion(f"```json\n{body}\n```"))

    assert _optimize(prompt).optimized_content == BETTER


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (rewrite("Write about {{product}}."), "dropped the variable “audience”"),
        (rewrite(BETTER + " {{extra}}"), "added the variable “extra”"),
        (Completion("Sure! Here is a better prompt: " + BETTER), "not the JSON asked for"),
        (Completion(json.dumps({"text": BETTER})), "shape asked for"),
        (Completion(json.dumps(["a list"])), "shape asked for"),
        (rewrite("   "), "can't be empty"),
        (rewrite("x" * 200_001 + "{{product}}{{audience}}"), "not kept"),
        (rewrite(CONTENT), "no changes"),
        (Completion(None), "answered with nothing"),
        (Status(500), "answered with an error (500)"),
        (Status(401), "refused this server's API key"),
        (Status(404), "answered with an error (404)"),
    ],
)
def test_a_reply_that_cant_be_trusted_keeps_nothing_and_says_why(
    fake_openai, prompt, reply, message
):
    fake_openai.reply(reply)

    optimization = _optimize(prompt)

    assert optimization.status == Status_.FAILED
    assert message in optimization.error
    assert optimization.optimized_content == ""
    assert optimization.improvements == []
    assert optimization.score_after is None
    prompt.refresh_from_db()
    assert prompt.content == CONTENT
    assert prompt.versions.count() == 1


def test_a_429_is_reported_with_its_retry_after_and_honoured(fake_openai, prompt, pro):
    fake_openai.reply(Status(429, headers={"Retry-After": "42"}))

    optimization = _optimize(prompt)

    assert optimization.status == Status_.FAILED
    assert "Try again in 42 seconds" in optimization.error
    other = PromptFactory(user=pro, content="Summarise {{text}}.")
    with pytest.raises(services.OptimizationRefused) as refused:
        _optimize(other)
    assert 40 <= refused.value.retry_after <= 42
    assert len(fake_openai.requests) == 1, "nothing is sent before Retry-After has passed"


def test_a_server_slower_than_the_timeout_fails_cleanly(fake_openai, prompt, settings):
    settings.OPENAI_TIMEOUT = 0.3
    fake_openai.reply(Delay(5, rewrite(BETTER)))

    optimization = _optimize(prompt)

    assert optimization.status == Status_.FAILED
    assert "did not answer within 0.3 seconds" in optimization.error
    prompt.refresh_from_db()
    assert prompt.content == CONTENT


def test_an_unreachable_server_fails_cleanly(fake_openai, prompt, settings):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: nothing listens

    optimization = _optimize(prompt)

    assert optimization.status == Status_.FAILED
    assert "could not be reached" in optimization.error


def test_a_free_user_is_refused_and_the_server_is_never_called(fake_openai, db):
    free = UserFactory(tier=Tier.FREE)
    prompt = PromptFactory(user=free, content=CONTENT)

    with pytest.raises(services.OptimizationRefused) as refused:
        _optimize(prompt)

    assert refused.value.upgrade
    assert "Pro and Enterprise" in str(refused.value)
    assert fake_openai.requests == []
    assert not PromptOptimization.objects.exists()


def test_without_a_key_or_base_url_the_server_has_no_model(fake_openai, prompt, settings):
    settings.OPENAI_BASE_URL = ""
    settings.OPENAI_API_KEY = ""

    with pytest.raises(services.OptimizationRefused, match="no language model configured"):
        _optimize(prompt)
    assert fake_openai.requests == []


def test_the_owners_plan_governs_editors_and_viewers_cant(fake_openai, pro, prompt):
    editor = UserFactory(email="ed@example.com", tier=Tier.FREE)
    viewer = UserFactory(email="vi@example.com", tier=Tier.ENTERPRISE)
    for person, role in ((editor, "editor"), (viewer, "viewer")):
        invite = team_services.invite_create(owner=pro, email=person.email, role=role)
        team_services.invite_accept(invite=invite, user=person)

    # The plan that counts is the vault owner's, not the editor's or the viewer's own.
    assert entitlements.can_use_llm_optimization(pro)
    assert not entitlements.can_use_llm_optimization(editor)
    assert entitlements.can_use_llm_optimization(viewer)
    assert _optimize(prompt, editor).status == Status_.READY
    with pytest.raises(services.OptimizationRefused, match="role"):
        _optimize(prompt, viewer)
    pro.tier = Tier.FREE
    pro.save()
    prompt.user.refresh_from_db()
    with pytest.raises(services.OptimizationRefused):
        _optimize(prompt, editor)
    assert len(fake_openai.requests) == 1


def test_a_second_request_while_one_runs_is_refused(fake_openai, prompt, pro):
    running = PromptOptimization.objects.create(
        prompt=prompt,
        provider=PromptOptimization.Provider.LLM,
        status=Status_.RUNNING,
        requested_by=pro,
        original_content=prompt.content,
        optimized_content="",
    )

    with pytest.raises(services.OptimizationRefused, match="already being optimized"):
        _optimize(prompt)
    assert fake_openai.requests == []
    running.refresh_from_db()
    assert running.status == Status_.RUNNING


def test_a_run_that_lost_its_worker_no_longer_blocks(fake_openai, prompt, pro):
    from datetime import timedelta

    from django.utils import timezone

    stale = PromptOptimization.objects.create(
        prompt=prompt,
        provider=PromptOptimization.Provider.LLM,
        status=Status_.RUNNING,
        requested_by=pro,
        original_content=prompt.content,
        optimized_content="",
    )
    PromptOptimization.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )

    assert _optimize(prompt).status == Status_.READY
    stale.refresh_from_db()
    assert stale.status == Status_.FAILED


def test_each_person_is_limited_per_hour_by_the_plan(fake_openai, prompt, settings):
    settings.LLM_OPTIMIZATIONS_PER_HOUR_PRO = 2
    for _ in range(2):
        _optimize(prompt)

    with pytest.raises(services.OptimizationRefused, match="2 AI rewrites in the last hour") as e:
        _optimize(prompt)
    assert 3500 <= e.value.retry_after <= 3600
    assert len(fake_openai.requests) == 2
    settings.LLM_OPTIMIZATIONS_PER_HOUR_PRO = 3
    assert _optimize(prompt).status == Status_.READY


def test_an_enterprise_vault_has_its_own_hourly_limit(fake_openai, prompt, pro, settings):
    pro.tier = Tier.ENTERPRISE
    pro.save(update_fields=["tier"])
    settings.LLM_OPTIMIZATIONS_PER_HOUR_PRO = 1
    settings.LLM_OPTIMIZATIONS_PER_HOUR_ENTERPRISE = 2
    for _ in range(2):
        assert _optimize(prompt).status == Status_.READY

    with pytest.raises(services.OptimizationRefused, match="2 AI rewrites in the last hour"):
        _optimize(prompt)
    assert len(fake_openai.requests) == 2


def test_accept_makes_the_next_version_with_the_scores_in_its_message(fake_openai, prompt, pro):
    fake_openai.reply(rewrite(BETTER))
    optimization = _optimize(prompt)

    version = services.optimization_accept(optimization=optimization, user=pro)

    assert version.version == 2
    assert version.content == BETTER
    before, after = round(optimization.score_before), round(optimization.score_after)
    assert version.change_message == f"Optimized with AI (score {before} → {after})"
    assert version.created_by == pro
    prompt.refresh_from_db()
    assert prompt.content == BETTER
    optimization.refresh_from_db()
    assert optimization.status == Status_.ACCEPTED
    assert optimization.result_version == version
    with pytest.raises(ValidationError):
        services.optimization_accept(optimization=optimization, user=pro)
    assert prompt.versions.count() == 2


def test_accept_after_the_prompt_changed_is_refused_with_the_conflict(fake_openai, prompt, pro):
    fake_openai.reply(rewrite(BETTER))
    optimization = _optimize(prompt)
    services.prompt_update(prompt=prompt, author=pro, content=CONTENT + " Be brief.")

    with pytest.raises(services.OptimizationConflict) as conflict:
        services.optimization_accept(optimization=optimization, user=pro)

    assert conflict.value.current.version == 2
    assert "now version 2" in str(conflict.value)
    prompt.refresh_from_db()
    assert prompt.content == CONTENT + " Be brief."
    assert prompt.versions.count() == 2
    optimization.refresh_from_db()
    assert optimization.status == Status_.READY


def test_accept_after_a_restore_to_the_same_text_is_still_a_conflict(fake_openai, prompt, pro):
    # The text matches again, but the versions in between may hold what the person wanted.
    optimization = _optimize(prompt)
    services.prompt_update(prompt=prompt, author=pro, content="Something else {{product}}")
    services.prompt_restore(prompt=prompt, author=pro, version=prompt.versions.get(version=1))

    with pytest.raises(services.OptimizationConflict):
        services.optimization_accept(optimization=optimization, user=pro)


def test_discard_sets_it_aside_and_leaves_the_prompt(fake_openai, prompt, pro):
    optimization = _optimize(prompt)

    services.optimization_discard(optimization=optimization, user=pro)

    optimization.refresh_from_db()
    assert optimization.status == Status_.DISCARDED
    prompt.refresh_from_db()
    assert prompt.content == CONTENT
    with pytest.raises(ValidationError):
        services.optimization_accept(optimization=optimization, user=pro)


def test_a_viewer_cannot_accept_or_discard(fake_openai, prompt, pro):
    viewer = UserFactory(email="vi@example.com")
    invite = team_services.invite_create(owner=pro, email=viewer.email, role="viewer")
    team_services.invite_accept(invite=invite, user=viewer)
    optimization = _optimize(prompt)

    with pytest.raises(PermissionDenied):
        services.optimization_accept(optimization=optimization, user=viewer)
    with pytest.raises(PermissionDenied):
        services.optimization_discard(optimization=optimization, user=viewer)


def test_the_background_start_runs_the_task_on_commit(
    fake_openai, prompt, pro, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        optimization = services.optimization_start(prompt=prompt, user=pro)
    assert optimization.status == Status_.RUNNING

    optimization.refresh_from_db()
    assert optimization.status == Status_.READY
    assert len(fake_openai.requests) == 1
