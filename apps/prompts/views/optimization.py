"""AI rewrites from a prompt's page: start one, watch it run, review the diff, accept or discard."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from apps.prompts import selectors, services
from apps.prompts.access import Action, OptimizationAccess, get_optimization_for, get_prompt_for
from apps.prompts.diff import diff_texts
from apps.prompts.models import PromptOptimization
from apps.prompts.services.optimization import STALE_MARGIN
from promptvault import entitlements, form_errors

Status = PromptOptimization.Status


@login_required
@require_POST
def optimization_start(request: HttpRequest, pk) -> HttpResponse:
    prompt = get_prompt_for(request.user, pk, action=Action.EDIT).prompt
    try:
        optimization = services.optimization_start(prompt=prompt, user=request.user)
    except services.OptimizationRefused as error:
        if error.upgrade:
            messages.error(
                request,
                format_html(
                    '{} <a href="{}">See plans</a>', str(error), entitlements.upgrade_url()
                ),
            )
        else:
            messages.error(request, str(error))
        return redirect("prompts:detail", pk=prompt.pk)
    return redirect("prompts:optimization", pk=prompt.pk, optimization_pk=optimization.pk)


def _criteria_rows(optimization: PromptOptimization) -> list[dict]:
    after = {row.get("key"): row for row in optimization.criteria_after or []}
    rows = []
    for before in optimization.criteria_before or []:
        later = after.get(before.get("key"), {})
        score_after = later.get("score")
        change = None if score_after is None else score_after - before.get("score", 0)
        rows.append(
            {
                "label": before.get("label") or before.get("key"),
                "before": before.get("score"),
                "after": score_after,
                "change": change,
            }
        )
    return rows


def _review(request: HttpRequest, access: OptimizationAccess, *, conflict=None, status=200):
    optimization, prompt = access.optimization, access.prompt
    current = selectors.latest_version(prompt)
    moved_on = (
        optimization.status == Status.READY
        and optimization.base_version_id is not None
        and (current is None or current.pk != optimization.base_version_id)
    )
    running = optimization.status == Status.RUNNING
    overdue = (
        running
        and optimization.created_at
        < timezone.now() - timedelta(seconds=settings.OPENAI_TIMEOUT) - STALE_MARGIN / 2
    )
    context = {
        "access": access,
        "prompt": prompt,
        "optimization": optimization,
        "running": running,
        "overdue": overdue,
        "diff": diff_texts(optimization.original_content, optimization.optimized_content)
        if optimization.optimized_content
        else None,
        "mode": "side" if request.GET.get("mode") == "side" else "inline",
        "criteria": _criteria_rows(optimization),
        "score_change": (
            optimization.score_after - optimization.score_before
            if optimization.score_after is not None and optimization.score_before is not None
            else None
        ),
        "current": current,
        "moved_on": moved_on,
        "conflict": conflict,
    }
    template = "prompts/optimization.html"
    if request.htmx and request.htmx.target == "optimization":
        template += "#optimization_body"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def optimization_detail(request: HttpRequest, pk, optimization_pk) -> HttpResponse:
    return _review(request, get_optimization_for(request.user, pk, optimization_pk))


@login_required
@require_POST
def optimization_accept(request: HttpRequest, pk, optimization_pk) -> HttpResponse:
    access = get_optimization_for(request.user, pk, optimization_pk, action=Action.EDIT)
    optimization = access.optimization
    try:
        version = services.optimization_accept(optimization=optimization, user=request.user)
    except services.OptimizationConflict as conflict:
        return _review(request, access, conflict=conflict, status=409)
    except ValidationError as error:
        messages.error(request, form_errors.as_text(error))
        return redirect("prompts:optimization", pk=pk, optimization_pk=optimization.pk)
    messages.success(request, f"The rewrite is now version {version.version}.")
    return redirect("prompts:detail", pk=optimization.prompt_id)


@login_required
@require_POST
def optimization_discard(request: HttpRequest, pk, optimization_pk) -> HttpResponse:
    optimization = get_optimization_for(
        request.user, pk, optimization_pk, action=Action.EDIT
    ).optimization
    try:
        services.optimization_discard(optimization=optimization, user=request.user)
    except ValidationError as error:
        messages.error(request, form_errors.as_text(error))
        return redirect("prompts:optimization", pk=pk, optimization_pk=optimization.pk)
    messages.success(request, "The rewrite was discarded; the prompt is unchanged.")
    return redirect("prompts:detail", pk=optimization.prompt_id)
