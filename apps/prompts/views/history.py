"""A prompt's history: the versions, one version, a diff of any two, and restore."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from apps.prompts import selectors, services
from apps.prompts.access import Action, get_prompt_for, get_version_for
from apps.prompts.diff import diff_texts
from apps.prompts.models import Prompt
from apps.prompts.variables import highlight_variables

HISTORY_PAGE_SIZE = 100
# Larger numbers can't be stored, so they can't exist; refusing them early keeps them out of SQL.
MAX_VERSION = 2**31 - 1


@login_required
@require_GET
def prompt_history(request: HttpRequest, pk) -> HttpResponse:
    access = get_prompt_for(request.user, pk)
    prompt = access.prompt
    page = Paginator(selectors.prompt_versions(prompt), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_labels(prompt, page.object_list)
    return render(
        request,
        "prompts/history.html",
        {
            "access": access,
            "prompt": prompt,
            "page": page,
            "latest": selectors.latest_version_number(prompt),
            "label_moves": _label_moves(prompt),
        },
    )


PROMOTED_LABELS = ("production", "staging")
LABEL_MOVES_SHOWN = 20


def _with_labels(prompt: Prompt, versions) -> list:
    """The versions, each with `label_names` (the labels on it) and `movable_labels` (the
    promoted labels that point elsewhere, so a button can move them here)."""
    versions = list(versions)
    pointing = dict(prompt.labels.order_by("name").values_list("name", "version__version"))
    for version in versions:
        version.label_names = [
            name for name, number in pointing.items() if number == version.version
        ]
        version.movable_labels = [
            name for name in PROMOTED_LABELS if pointing.get(name) != version.version
        ]
    return versions


def _label_moves(prompt: Prompt) -> list:
    """The latest moves of the prompt's labels, with who made them."""
    return list(
        prompt.label_moves.select_related("moved_by").order_by("-moved_at", "-id")[
            :LABEL_MOVES_SHOWN
        ]
    )


@login_required
@require_POST
def label_move(request: HttpRequest, pk) -> HttpResponse:
    """Point production or staging at a version, from the history page's buttons, or any
    label at one, from its small form (`label` and `version`)."""
    prompt = get_prompt_for(request.user, pk, action=Action.EDIT).prompt
    if "label" in request.POST:
        return _label_set_from_form(request, prompt)
    label, _, number = str(request.POST.get("move", "")).partition(" ")
    if label not in PROMOTED_LABELS:
        messages.error(request, "Choose production or staging.")
        return redirect("prompts:history", pk=prompt.pk)
    try:
        services.label_set(prompt=prompt, label=label, version=number[:12], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{label.capitalize()} now points at version {number}.")
    return redirect("prompts:history", pk=prompt.pk)


def _label_set_from_form(request: HttpRequest, prompt: Prompt) -> HttpResponse:
    label = str(request.POST.get("label", "")).strip()
    number = str(request.POST.get("version", "")).strip()
    # A refused label comes back in the form, so what was typed isn't lost.
    typed = reverse("prompts:history", args=[prompt.pk]) + "?" + urlencode({"label": label[:50]})
    if not number.isdigit() or len(number) > 10:
        messages.error(request, "Choose the version the label should point at.")
        return redirect(typed)
    try:
        services.label_set(prompt=prompt, label=label, version=int(number), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(typed)
    messages.success(request, f"The label “{label}” now points at version {number}.")
    return redirect("prompts:history", pk=prompt.pk)


@login_required
@require_GET
def version_detail(request: HttpRequest, pk, number: int) -> HttpResponse:
    access = get_version_for(request.user, pk, number)
    version, prompt = access.version, access.prompt
    latest = selectors.latest_version_number(prompt)
    return render(
        request,
        "prompts/version.html",
        {
            "access": access,
            "prompt": prompt,
            "version": version,
            "latest": latest,
            "highlighted": highlight_variables(version.content),
        },
    )


def _version_number(value: str | None, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise Http404("Version numbers are whole numbers.") from error
    if not 1 <= number <= MAX_VERSION:
        raise Http404("No such version.")
    return number


@login_required
@require_GET
def prompt_diff(request: HttpRequest, pk) -> HttpResponse:
    access = get_prompt_for(request.user, pk)
    prompt = access.prompt
    latest = selectors.latest_version_number(prompt) or 1
    to_number = _version_number(request.GET.get("to"), latest)
    from_number = _version_number(request.GET.get("from"), max(1, to_number - 1))
    found = {
        version.version: version
        for version in prompt.versions.filter(version__in={from_number, to_number}).select_related(
            "created_by"
        )
    }
    if from_number not in found or to_number not in found:
        raise Http404("No such version.")
    mode = "side" if request.GET.get("mode") == "side" else "inline"
    context = {
        "access": access,
        "prompt": prompt,
        "old": found[from_number],
        "new": found[to_number],
        "diff": diff_texts(found[from_number].content, found[to_number].content),
        "mode": mode,
        "numbers": list(prompt.versions.order_by("-version").values_list("version", flat=True)),
    }
    template = "prompts/diff.html"
    if request.htmx and request.htmx.target == "diff":
        template += "#diff_body"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_POST
def version_restore(request: HttpRequest, pk, number: int) -> HttpResponse:
    version = get_version_for(request.user, pk, number, action=Action.EDIT).version
    try:
        restored = services.prompt_restore(
            prompt=version.prompt, author=request.user, version=version
        )
    except Prompt.DoesNotExist as error:
        raise Http404("No such prompt.") from error
    messages.success(
        request,
        f"Restored version {version.version}. It is now version {restored.version}.",
    )
    return redirect("prompts:detail", pk=version.prompt_id)
