"""Folders and tags: rename, move, recolour, merge, delete."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.prompts import selectors, services
from apps.prompts.access import Action, get_tag_for, get_vault_owner_for
from apps.prompts.forms import FolderRenameForm, TagForm, TagMergeForm


def _back_to(url_name: str, owner, user) -> HttpResponse:
    """Back to the folders or tags page of the vault that was changed."""
    url = reverse(url_name)
    if owner.pk != user.pk:
        url += "?" + urlencode({"vault": str(owner.pk)})
    return redirect(url)


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(sum(error.message_dict.values(), []))
    return " ".join(error.messages)


@login_required
@require_GET
def folder_list(request: HttpRequest) -> HttpResponse:
    owner = get_vault_owner_for(request.user, request.GET.get("vault"))
    return render(
        request,
        "prompts/folders.html",
        {"owner": owner, "folders": selectors.folder_tree(owner)},
    )


@login_required
@require_POST
def folder_rename(request: HttpRequest) -> HttpResponse:
    owner = get_vault_owner_for(request.user, request.POST.get("vault"), action=Action.EDIT)
    form = FolderRenameForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back_to("prompts:folders", owner, request.user)
    old, new = form.cleaned_data["old_path"], form.cleaned_data["new_path"]
    try:
        moved = services.folder_rename(owner=owner, old_path=old, new_path=new)
    except ValidationError as error:
        messages.error(request, _first_message(error))
    else:
        where = new or "the top level"
        messages.success(request, f"Moved “{old}” to {where} ({moved} prompt{'s' * (moved != 1)}).")
    return _back_to("prompts:folders", owner, request.user)


@login_required
@require_http_methods(["GET", "POST"])
def tag_list(request: HttpRequest) -> HttpResponse:
    owner = get_vault_owner_for(request.user, request.GET.get("vault"))
    form = TagForm(request.POST or None)
    if request.method == "POST":
        owner = get_vault_owner_for(request.user, request.POST.get("vault"), action=Action.EDIT)
        if form.is_valid():
            try:
                tag = services.tag_create(owner=owner, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", _first_message(error))
            else:
                messages.success(request, f"Created the tag “{tag.name}”.")
                return _back_to("prompts:tags", owner, request.user)
    tags = selectors.vault_tags(owner)
    return render(
        request,
        "prompts/tags.html",
        {"owner": owner, "tags": tags, "form": form, "merge_form": TagMergeForm(tags=tags)},
    )


@login_required
@require_POST
def tag_update(request: HttpRequest, pk) -> HttpResponse:
    tag = get_tag_for(request.user, pk, action=Action.EDIT)
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            services.tag_update(tag=tag, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(request, f"Saved the tag “{tag.name}”.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return _back_to("prompts:tags", tag.user, request.user)


@login_required
@require_POST
def tag_delete(request: HttpRequest, pk) -> HttpResponse:
    tag = get_tag_for(request.user, pk, action=Action.EDIT)
    name = tag.name
    services.tag_delete(tag=tag)
    messages.success(request, f"Deleted the tag “{name}”. Its prompts were kept.")
    return _back_to("prompts:tags", tag.user, request.user)


@login_required
@require_POST
def tag_merge(request: HttpRequest) -> HttpResponse:
    owner = get_vault_owner_for(request.user, request.POST.get("vault"), action=Action.EDIT)
    form = TagMergeForm(request.POST, tags=selectors.vault_tags(owner))
    if not form.is_valid():
        for error in form.non_field_errors() or ["Choose the two tags to merge."]:
            messages.error(request, error)
        return _back_to("prompts:tags", owner, request.user)
    source = get_tag_for(request.user, form.cleaned_data["source"], action=Action.EDIT)
    target = get_tag_for(request.user, form.cleaned_data["target"], action=Action.EDIT)
    try:
        services.tag_merge(source=source, target=target)
    except ValidationError as error:
        messages.error(request, _first_message(error))
    else:
        messages.success(request, f"Merged “{source.name}” into “{target.name}”.")
    return _back_to("prompts:tags", owner, request.user)
