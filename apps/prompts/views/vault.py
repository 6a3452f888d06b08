"""The vault: browsing, searching and acting on many prompts at once."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.prompts import selectors, services
from apps.prompts.access import Action, can, get_vault_owner_for
from apps.prompts.forms import BulkActionForm, VaultFilterForm
from apps.prompts.models import Prompt
from apps.prompts.search import SNIPPET_START, SNIPPET_STOP
from apps.prompts.sidebar import vault_sidebar

PAGE_SIZE = 50


def _query_string(filters: dict, **overrides) -> str:
    merged = {**filters, **overrides}
    pairs = [
        (key, value)
        for key, value in (
            ("q", merged["q"]),
            ("folder", merged["folder"]),
            ("model", merged["model"]),
            ("visibility", merged["visibility"]),
            ("sort", merged["sort"]),
            ("vault", merged.get("vault", "")),
        )
        if value
    ]
    pairs += [("tag", name) for name in merged["tags"]]
    return urlencode(pairs)


@login_required
@require_GET
def prompt_list(request: HttpRequest) -> HttpResponse:
    owner = get_vault_owner_for(request.user, request.GET.get("vault"))
    # A fragment request (search as you type, paging) redraws the results only: the sidebar,
    # read on first use, isn't read for it.
    fragment = bool(request.htmx and request.htmx.target == "results")
    form = VaultFilterForm(request.GET)
    filters = form.filters()
    page = selectors.vault_page(owner, filters, request.GET.get("page"), PAGE_SIZE)
    vault_param = "" if owner.pk == request.user.pk else str(owner.pk)
    can_edit = can(request.user, owner.pk, Action.EDIT)
    filtered = any(filters[key] for key in ("q", "folder", "tags", "model", "visibility"))
    context = {
        "owner": owner,
        "is_own_vault": owner.pk == request.user.pk,
        "can_edit": can_edit,
        "can_delete": can(request.user, owner.pk, Action.DELETE),
        "form": form,
        "filters": filters,
        "page": page,
        "sidebar": vault_sidebar(owner),
        # Everything besides the vault itself that the cached sidebar and menus show.
        "sidebar_state": [
            vault_param,
            can_edit,
            filtered,
            filters["folder"],
            filters["model"],
            filters["visibility"],
            filters["sort"],
            sorted(filters["tags"]),
        ],
        "selected_tags": set(filters["tags"]),
        "query_string": _query_string(filters, vault=vault_param),
        "filtered": filtered,
        "vault_param": vault_param,
        "snippet_start": SNIPPET_START,
        "snippet_stop": SNIPPET_STOP,
        "bulk_form": BulkActionForm(),
    }
    template = "prompts/list.html#results" if fragment else "prompts/list.html"
    response = render(request, template, context)
    # The same URL answers with a fragment or a page: keep browser caches from mixing them up
    # (the back button would otherwise show a bare fragment).
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_POST
def prompt_bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the selected prompts of the user's own vault."""
    owner = request.user
    selected = request.POST.getlist("ids")
    allowed = Prompt.objects.filter(user=owner, pk__in=_valid_uuids(selected)).values_list(
        "pk", flat=True
    )
    form = BulkActionForm(request.POST, allowed_ids=allowed)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("prompts:list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ids = form.cleaned_data["ids"]
    action = form.cleaned_data["action"]
    if action == "move":
        moved = services.prompts_bulk_move(
            owner=owner, prompt_ids=ids, folder=form.cleaned_data["folder"]
        )
        where = form.cleaned_data["folder"] or "the top level"
        messages.success(request, f"Moved {moved} prompt{'s' * (moved != 1)} to {where}.")
    elif action in {"tag", "untag"}:
        tag = form.cleaned_data["tag"]
        changed = services.prompts_bulk_tag(
            owner=owner, prompt_ids=ids, tag_name=tag, remove=action == "untag"
        )
        verb = "Removed" if action == "untag" else "Added"
        messages.success(request, f"{verb} “{tag}” on {changed} prompt{'s' * (changed != 1)}.")
    elif not request.POST.get("confirmed"):
        prompts = Prompt.objects.filter(pk__in=ids).only("pk", "name", "folder").order_by("name")
        return render(
            request, "prompts/bulk_delete_confirm.html", {"prompts": prompts, "next": back}
        )
    else:
        deleted = services.prompts_bulk_delete(owner=owner, prompt_ids=ids)
        messages.success(request, f"Deleted {deleted} prompt{'s' * (deleted != 1)}.")
    return redirect(back)


def _valid_uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except (ValueError, AttributeError):
            continue
    return valid
