"""The vault: browsing, searching and acting on many prompts at once."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.prompts import selectors, services, validation
from apps.prompts.access import get_vault_owner_for
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
    access = get_vault_owner_for(request.user, request.GET.get("vault"))
    owner = access.owner
    # A fragment request (search as you type, paging) redraws the results only: the sidebar,
    # read on first use, isn't read for it.
    fragment = bool(request.htmx and request.htmx.target == "results")
    form = VaultFilterForm(request.GET)
    filters = form.filters()
    page = selectors.vault_page(owner, filters, request.GET.get("page"), PAGE_SIZE)
    vault_param = "" if owner.pk == request.user.pk else str(owner.pk)
    can_edit = access.can_edit
    filtered = any(filters[key] for key in ("q", "folder", "tags", "model", "visibility"))
    context = {
        "access": access,
        "owner": owner,
        "is_own_vault": owner.pk == request.user.pk,
        "can_edit": can_edit,
        "can_delete": access.can_delete,
        "form": form,
        "filters": filters,
        "page": page,
        "sidebar": vault_sidebar(owner, version=access.sidebar_version),
        # Everything besides the vault itself that the cached sidebar and menus show.
        "sidebar_state": [
            owner.prompt_count,
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
        # How many menu filters are on, shown on the "Filters" button that folds them on a phone.
        "filter_count": len(filters["tags"])
        + sum(bool(filters[key]) for key in ("folder", "model", "visibility")),
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
    allowed = Prompt.objects.filter(
        user=owner, pk__in=validation.well_formed_ids(selected)
    ).values_list("pk", flat=True)
    form = BulkActionForm(request.POST, allowed_ids=allowed)
    back = request.POST.get("next", "")
    # Only a path: redirect() would take a bare word for a URL name and fail to reverse it.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
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
        messages.success(request, f"Moved {_prompts(moved)} to {where}.")
    elif action in {"tag", "untag"}:
        tag = form.cleaned_data["tag"]
        remove = action == "untag"
        changed = services.prompts_bulk_tag(
            owner=owner, prompt_ids=ids, tag_name=tag, remove=remove
        )
        level, text = _tagging_message(tag, remove=remove, changed=changed, selected=len(set(ids)))
        messages.add_message(request, level, text)
    elif not request.POST.get("confirmed"):
        prompts = Prompt.objects.filter(pk__in=ids).only("pk", "name", "folder").order_by("name")
        return render(
            request, "prompts/bulk_delete_confirm.html", {"prompts": prompts, "next": back}
        )
    else:
        deleted = services.prompts_bulk_delete(owner=owner, prompt_ids=ids)
        messages.success(request, f"Deleted {_prompts(deleted)}.")
    return redirect(back)


def _prompts(count: int) -> str:
    return f"{count} prompt{'s' * (count != 1)}"


def _tagging_message(tag: str, *, remove: bool, changed: int, selected: int) -> tuple[int, str]:
    """What a bulk tag or untag did, in words: the prompts it changed, and those it left as
    they were because they already had (or never had) the tag."""
    unchanged = selected - changed
    if changed and remove:
        text = f"Removed the tag “{tag}” from {_prompts(changed)}"
        return messages.SUCCESS, text + (f"; {unchanged} didn't have it." if unchanged else ".")
    if changed:
        text = f"Added the tag “{tag}” to {_prompts(changed)}"
        return messages.SUCCESS, text + (f"; {unchanged} already had it." if unchanged else ".")
    if remove:
        if selected == 1:
            return messages.INFO, f"The selected prompt doesn't have the tag “{tag}”."
        return messages.INFO, f"None of the {selected} selected prompts has the tag “{tag}”."
    if selected == 1:
        return messages.INFO, f"The selected prompt already has the tag “{tag}”."
    every = "Both" if selected == 2 else f"All {selected}"
    return messages.INFO, f"{every} selected prompts already have the tag “{tag}”."
