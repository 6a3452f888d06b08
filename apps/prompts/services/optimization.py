"""AI rewrites of a prompt: asked of any OpenAI-compatible server, validated, scored by the
offline analyzer, then accepted as a new version or discarded.

A rewrite is only kept when it is trustworthy: the reply must be the JSON shape asked for,
keep exactly the prompt's `{{variables}}`, and fit the content limit. Anything else (a bad
reply, a timeout, a refused key, a busy or broken server) ends the attempt as failed with a
message fit to show, no rewrite stored and the prompt untouched.

The model is called outside any transaction: a 30-second answer must not hold row locks.
"""

import json
import math
import re
from datetime import timedelta

import openai
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import selectors, validation
from apps.prompts.access import Action, can
from apps.prompts.models import Prompt, PromptOptimization, PromptVersion
from apps.prompts.services.prompts import prompt_update
from apps.prompts.variables import find_variables
from promptvault import entitlements

Status = PromptOptimization.Status

# A rewrite still "running" this long after it started has lost its worker: it is marked
# failed, so it no longer blocks the next request for the prompt.
STALE_MARGIN = timedelta(minutes=10)
# The improvements kept from a reply, and the length of each.
IMPROVEMENTS_MAX = 20
IMPROVEMENT_MAX = 500
# Findings sent along with the prompt.
FINDINGS_SENT_MAX = 30
# After a 429, no request goes to the model server until its Retry-After has passed; an
# absurd value is capped so the feature can't be switched off for days by one header.
RETRY_AFTER_MAX = 60 * 60
MODEL_BUSY_KEY = "llm-optimization:busy-until"

NOT_CONFIGURED = (
    "This server has no language model configured, so AI optimization is not available. "
    "The analyzer still works."
)

INSTRUCTIONS = """You improve prompts written for large language models.
You receive a JSON object with the prompt, the model it targets, and findings from a linter.
Rewrite the prompt so it is clearer, more specific and better structured, addressing the
findings where they apply. Keep its intent, language and every {{variable}} placeholder exactly
as written: do not add, rename or remove any. Do not make it longer than it needs to be.
Answer with one JSON object and nothing else, exactly of this shape:
{"prompt": "<the rewritten prompt>", "improvements": ["<one change you made>", ...]}"""


class OptimizationRefused(Exception):
    """A rewrite can't be started now; the message is fit to show. `retry_after` is set (in
    seconds) when waiting will help, `upgrade` when a paid plan would."""

    def __init__(self, message: str, *, retry_after: int | None = None, upgrade: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.upgrade = upgrade


class OptimizationConflict(Exception):
    """The prompt changed after the rewrite started from it; accepting would drop that work."""

    def __init__(self, *, prompt: Prompt, current: PromptVersion | None):
        number = current.version if current else "?"
        super().__init__(
            f"This prompt changed after the rewrite started: it is now version {number}. "
            "Accepting would overwrite that change. Optimize the current version instead."
        )
        self.prompt = prompt
        self.current = current


class _Failed(Exception):
    """An attempt ended without a rewrite worth keeping; the message is fit to show."""


def llm_configured() -> bool:
    """Is a model server set up? A local one (Ollama, vLLM) needs only its base URL."""
    return bool(settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL)


def refusal_reason(
    *, prompt: Prompt, user: User, can_edit: bool | None = None
) -> OptimizationRefused | None:
    """Why `user` may not start a rewrite of `prompt` at all (the plan, the role, the server),
    or None. Waiting-type refusals (one running, rate limits) are checked when starting.
    `can_edit` is the user's role's answer when the caller holds it already (a page's access
    object); left out, the role is read here."""
    if can_edit is None:
        can_edit = can(user, prompt.user_id, Action.EDIT)
    if not can_edit:
        return OptimizationRefused("Your role in this vault can't change prompts.")
    # The role allows editing: what is left to ask is whether the vault's plan has the feature,
    # which its owner's own answer says without reading the role again.
    if not entitlements.can_use_llm_optimization(prompt.user):
        if prompt.user_id == user.pk:
            message = "AI optimization comes with the Pro and Enterprise plans."
        else:
            message = "AI optimization needs this vault's owner to be on Pro or Enterprise."
        return OptimizationRefused(message, upgrade=prompt.user_id == user.pk)
    if not llm_configured():
        return OptimizationRefused(NOT_CONFIGURED)
    return None


@transaction.atomic
def optimization_start(*, prompt: Prompt, user: User) -> PromptOptimization:
    """Start a rewrite of `prompt` in the background; the task runs once this commits."""
    optimization = _begin(prompt=prompt, user=user)

    def enqueue():
        from apps.prompts.tasks import run_optimization

        run_optimization.enqueue(str(optimization.pk))

    transaction.on_commit(enqueue)
    return optimization


def prompt_optimize(*, prompt: Prompt, user: User) -> PromptOptimization:
    """Rewrite `prompt` now and return the attempt: READY with the rewrite and both scores, or
    FAILED with the reason in `error`. Not atomic on purpose: see the module's docstring."""
    with transaction.atomic():
        optimization = _begin(prompt=prompt, user=user)
    return optimization_run(optimization=optimization)


def _begin(*, prompt: Prompt, user: User) -> PromptOptimization:
    refusal = refusal_reason(prompt=prompt, user=user)
    if refusal:
        raise refusal
    busy = _model_busy_for()
    if busy:
        raise OptimizationRefused(
            f"The model server asked us to slow down. Try again in {busy} seconds.",
            retry_after=busy,
        )
    # The requester's row, then the prompt's, in the order prompt_delete takes them: their
    # own concurrent requests queue for the rate count, and others' for the one running rewrite.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).exists()
    locked = Prompt.objects.select_for_update().select_related("user").get(pk=prompt.pk)
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.OPENAI_TIMEOUT) - STALE_MARGIN
    locked.optimizations.filter(status=Status.RUNNING, created_at__lt=stale_before).update(
        status=Status.FAILED,
        error="The rewrite did not finish in time. Try again.",
        finished_at=now,
    )
    if locked.optimizations.filter(status=Status.RUNNING).exists():
        raise OptimizationRefused(
            "This prompt is already being optimized. Its result will appear here shortly."
        )
    _check_rate(user=user, owner=locked.user, now=now)
    return PromptOptimization.objects.create(
        prompt=locked,
        provider=PromptOptimization.Provider.LLM,
        status=Status.RUNNING,
        requested_by=user,
        original_content=locked.content,
        optimized_content="",
        base_version=selectors.latest_version(locked),
        llm_model=settings.OPENAI_MODEL,
    )


def _check_rate(*, user: User, owner: User, now) -> None:
    """Refuse past the owner's plan's hourly rate of rewrites for this person. Counted from
    the attempts themselves over the last hour: exact, shared by every process, and kept
    across a cache flush."""
    limit = entitlements.llm_optimizations_per_hour(owner)
    since = now - timedelta(hours=1)
    recent = list(
        PromptOptimization.objects.filter(
            requested_by=user, provider=PromptOptimization.Provider.LLM, created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: max(limit, 1)]
    )
    if len(recent) < limit:
        return
    wait = recent[-1] + timedelta(hours=1) - now if recent else timedelta(hours=1)
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    raise OptimizationRefused(
        f"You have asked for {limit} AI rewrites in the last hour, the most your plan allows. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=max(1, math.ceil(wait.total_seconds())),
    )


def _model_busy_for() -> int:
    until = cache.get(MODEL_BUSY_KEY)
    if not until:
        return 0
    return max(0, math.ceil(until - timezone.now().timestamp()))


def optimization_run(*, optimization: PromptOptimization) -> PromptOptimization:
    """Ask the model for the rewrite of a RUNNING attempt and record the outcome."""
    from apps.prompts.analyzer import analyze

    prompt = optimization.prompt
    before = analyze(optimization.original_content, model=prompt.model)
    try:
        reply = _ask_model(optimization.original_content, model=prompt.model, analysis=before)
        rewritten, improvements = _parse_reply(reply, original=optimization.original_content)
    except _Failed as error:
        return _finish(optimization, error=str(error))
    after = analyze(rewritten, model=prompt.model)
    return _finish(
        optimization,
        optimized_content=rewritten,
        improvements=improvements,
        score_before=before.score,
        score_after=after.score,
        criteria_before=_criteria(before),
        criteria_after=_criteria(after),
    )


@transaction.atomic
def _finish(optimization: PromptOptimization, **outcome) -> PromptOptimization:
    locked = PromptOptimization.objects.select_for_update().get(pk=optimization.pk)
    if locked.status != Status.RUNNING:
        # Marked failed as stale meanwhile: the late answer is not kept.
        return locked
    locked.status = Status.FAILED if "error" in outcome else Status.READY
    for key, value in outcome.items():
        setattr(locked, key, value)
    locked.finished_at = timezone.now()
    locked.save()
    return locked


def _criteria(analysis) -> list[dict]:
    return [
        {"key": criterion.key, "label": criterion.label, "score": criterion.score}
        for criterion in analysis.criteria
    ]


def _request_body(content: str, *, model: str, analysis) -> str:
    findings = [
        {"criterion": str(finding.criterion), "finding": finding.message}
        for finding in analysis.suggestions[:FINDINGS_SENT_MAX]
    ]
    return json.dumps(
        {"target_model": model, "prompt": content, "findings": findings}, ensure_ascii=False
    )


def _ask_model(content: str, *, model: str, analysis) -> str:
    client = openai.OpenAI(
        base_url=settings.OPENAI_BASE_URL or None,
        # Local servers take no key, but the SDK insists on one.
        api_key=settings.OPENAI_API_KEY or "no-key",
        timeout=settings.OPENAI_TIMEOUT,
        max_retries=0,
    )
    try:
        completion = client.chat.completions.create(
            model=settings.OPENAI_MODEL,
            messages=[
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": _request_body(content, model=model, analysis=analysis)},
            ],
            response_format={"type": "json_object"},
        )
    except openai.APITimeoutError as error:
        raise _Failed(
            f"The model did not answer within {settings.OPENAI_TIMEOUT:g} seconds. Try again later."
        ) from error
    except openai.AuthenticationError as error:
        raise _Failed(
            "The model server refused this server's API key. Ask your administrator to check "
            "OPENAI_API_KEY."
        ) from error
    except openai.RateLimitError as error:
        wait = _remember_retry_after(error.response.headers.get("retry-after"))
        later = f"in {wait} seconds" if wait else "in a minute"
        raise _Failed(f"The model server is busy right now. Try again {later}.") from error
    except openai.APIStatusError as error:
        raise _Failed(
            f"The model server answered with an error ({error.status_code}). Try again later."
        ) from error
    except openai.APIConnectionError as error:
        raise _Failed("The model server could not be reached. Try again later.") from error
    except openai.OpenAIError as error:
        raise _Failed("The model server's answer could not be read. Try again.") from error
    choice = completion.choices[0] if completion.choices else None
    text = choice.message.content if choice and choice.message else None
    if not text:
        raise _Failed("The model answered with nothing. Try again.")
    return text


def _remember_retry_after(header: str | None) -> int:
    """Seconds the server asked us to wait, remembered so nobody asks it again before then."""
    try:
        seconds = math.ceil(float(header or ""))
    except ValueError:
        return 0
    if not 0 < seconds < math.inf:
        return 0
    seconds = min(seconds, RETRY_AFTER_MAX)
    cache.set(MODEL_BUSY_KEY, timezone.now().timestamp() + seconds, timeout=seconds)
    return seconds


_FENCED = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)\n?[ \t]*```", re.DOTALL)


def _parse_reply(text: str, *, original: str) -> tuple[str, list[str]]:
    """The rewritten prompt and the improvements from a reply, or _Failed saying what's wrong."""
    text = text.strip()
    fenced = _FENCED.fullmatch(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        reply = json.loads(text)
    except ValueError as error:
        raise _Failed(
            "The model's answer was not the JSON asked for, so nothing was kept."
        ) from error
    if (
        not isinstance(reply, dict)
        or not isinstance(reply.get("prompt"), str)
        or not isinstance(reply.get("improvements", []), list)
    ):
        raise _Failed(
            "The model's answer did not have the shape asked for (a prompt and a list of "
            "improvements), so nothing was kept."
        )
    try:
        rewritten = validation.clean_content(reply["prompt"])
    except ValidationError as error:
        raise _Failed(f"The rewrite was not kept: {' '.join(error.messages)}") from error
    wanted, got = set(find_variables(original)), set(find_variables(rewritten))
    if wanted - got:
        raise _Failed(
            "The rewrite dropped the variable"
            f"{'s' if len(wanted - got) > 1 else ''} {_names(wanted - got)}, so it was not kept."
        )
    if got - wanted:
        raise _Failed(
            f"The rewrite added the variable{'s' if len(got - wanted) > 1 else ''} "
            f"{_names(got - wanted)}, which the prompt doesn't have, so it was not kept."
        )
    if rewritten.strip() == original.replace("\r\n", "\n").strip():
        raise _Failed("The model suggested no changes to this prompt.")
    improvements = [
        item.strip()[:IMPROVEMENT_MAX]
        for item in reply.get("improvements", [])
        if isinstance(item, str) and item.strip()
    ][:IMPROVEMENTS_MAX]
    return rewritten, improvements


def _names(names: set[str]) -> str:
    # Quoted, not in braces: a message is shown in pages that also show prompt text.
    return ", ".join(f"“{name}”" for name in sorted(names))


@transaction.atomic
def optimization_accept(*, optimization: PromptOptimization, user: User) -> PromptVersion:
    """Make a ready rewrite the prompt's next version, "Optimized with AI (score 54 → 81)".
    Refused with OptimizationConflict when the prompt has changed since the rewrite began."""
    prompt = (
        Prompt.objects.select_for_update().select_related("user").get(pk=optimization.prompt_id)
    )
    if not can(user, prompt.user_id, Action.EDIT):
        raise PermissionDenied("Your role in this vault can't change prompts.")
    locked = PromptOptimization.objects.select_for_update().get(pk=optimization.pk)
    if locked.status != Status.READY:
        raise ValidationError(
            f"This rewrite is {locked.get_status_display().lower()}; only one ready for review "
            "can be accepted."
        )
    current = selectors.latest_version(prompt)
    moved_on = locked.base_version_id is not None and (
        current is None or current.pk != locked.base_version_id
    )
    if moved_on or prompt.content != locked.original_content:
        raise OptimizationConflict(prompt=prompt, current=current)
    prompt_update(
        prompt=prompt,
        author=user,
        content=locked.optimized_content,
        change_message=f"Optimized with AI (score {_score(locked.score_before)} → "
        f"{_score(locked.score_after)})",
    )
    version = selectors.latest_version(prompt)
    locked.status = Status.ACCEPTED
    locked.result_version = version
    locked.save(update_fields=["status", "result_version"])
    optimization.status, optimization.result_version = locked.status, version
    return version


@transaction.atomic
def optimization_discard(*, optimization: PromptOptimization, user: User) -> PromptOptimization:
    """Set a ready rewrite aside; the prompt is left as it is."""
    if not can(user, optimization.prompt.user_id, Action.EDIT):
        raise PermissionDenied("Your role in this vault can't change prompts.")
    locked = PromptOptimization.objects.select_for_update().get(pk=optimization.pk)
    if locked.status != Status.READY:
        raise ValidationError(
            f"This rewrite is {locked.get_status_display().lower()}; only one ready for review "
            "can be discarded."
        )
    locked.status = Status.DISCARDED
    locked.save(update_fields=["status"])
    optimization.status = locked.status
    return locked


def _score(value) -> str:
    return "?" if value is None else f"{value:.0f}"
