"""Folders and tags: rename, move, recolour, merge, delete.

Each row of the two pages opens for editing on demand: the row's "Rename" link asks for the row
again in edit mode, as an htmx fragment in place or, without JavaScript, as the whole page with
that row open. Saving posts the row's form like any other; a refusal shows the page again with
the row still open and what was typed kept. Deleting or merging tags asks first: a styled
dialog adds `confirmed=1` to the form, and without JavaScript the view asks on a page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.prompts import selectors, services
from apps.prompts.access import Action, VaultAccess, get_tag_for, get_vault_owner_for
from apps.prompts.forms import FolderRenameForm, TagForm, TagMergeForm
from apps.prompts.models import PromptTag, Tag
from promptvault import form_errors

TAG_EDITS = ("name", "color")


def _page_url(url_name: str, owner, user) -> str:
    """The folders or tags page of the vault being organised."""
    url = reverse(url_name)
    if owner.pk != user.pk:
        url += "?" + urlencode({"vault": str(owner.pk)})
    return url


def _back_to(url_name: str, owner, user) -> HttpResponse:
    return redirect(_page_url(url_name, owner, user))


def _fragment_or_page(request: HttpRequest, page: str, partial: str, context: dict):
    """The row alone for htmx, the whole page otherwise; the same URL answers both."""
    template = f"{page}#{partial}" if request.htmx else page
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# Folders


def _folders_page(
    request: HttpRequest, vault: VaultAccess, *, folders=None, **context
) -> HttpResponse:
    owner = vault.owner
    if not vault.can_edit:
        context.pop("editing", None)
    return render(
        request,
        "prompts/folders.html",
        {
            "access": vault,
            "owner": owner,
            "folders": selectors.folder_tree(owner) if folders is None else folders,
            "page_url": _page_url("prompts:folders", owner, request.user),
            **context,
        },
    )


@login_required
@require_GET
def folder_list(request: HttpRequest) -> HttpResponse:
    """The folder tree. `edit=<path>` opens that folder's row; htmx asks for the row alone, in
    edit mode or (`row=<path>`, after Cancel) as it shows normally."""
    vault = get_vault_owner_for(request.user, request.GET.get("vault"))
    owner = vault.owner
    editing = request.GET.get("edit") or ""
    if not request.htmx:
        return _folders_page(request, vault, editing=editing)
    path = editing or request.GET.get("row") or ""
    node = next((node for node in selectors.folder_tree(owner) if node.path == path), None)
    if node is None or not vault.can_edit:
        # The folder went away meanwhile (or was never there): show the tree as it is now.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {
        "access": vault,
        "owner": owner,
        "node": node,
        "editing": editing,
        "focus_rename": not editing,
        "page_url": _page_url("prompts:folders", owner, request.user),
    }
    return _fragment_or_page(request, "prompts/folders.html", "folder_row", context)


def _rename_refused(
    request: HttpRequest, vault: VaultAccess, form: FolderRenameForm
) -> HttpResponse:
    """The folders page with the row still open, what was typed and why it was refused; for a
    folder that isn't there (any more), the reasons as messages over the tree as it is now."""
    old_path = form["old_path"].value()
    folders = selectors.folder_tree(vault.owner)
    if any(node.path == old_path for node in folders):
        return _folders_page(request, vault, folders=folders, editing=old_path, rename_form=form)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return _back_to("prompts:folders", vault.owner, request.user)


@login_required
@require_POST
def folder_rename(request: HttpRequest) -> HttpResponse:
    vault = get_vault_owner_for(request.user, request.POST.get("vault"), action=Action.EDIT)
    owner = vault.owner
    form = FolderRenameForm(request.POST)
    if not form.is_valid():
        return _rename_refused(request, vault, form)
    old, new = form.cleaned_data["old_path"], form.cleaned_data["new_path"]
    merge = request.POST.get("merge") == "1"
    try:
        moved = services.folder_rename(owner=owner, old_path=old, new_path=new, merge=merge)
    except services.FolderMergeNeeded as question:
        merge_question = {
            "old": old,
            "new": new,
            "text": str(question),
            "several": len(question.folders) > 1,
        }
        return _folders_page(request, vault, merge_question=merge_question)
    except ValidationError as error:
        form.add_error("new_path", form_errors.as_text(error))
        return _rename_refused(request, vault, form)
    where = f"“{new}”" if new else "the top level"
    count = f"{moved} prompt{'s' * (moved != 1)}"
    if new == old:
        messages.info(request, f"“{old}” already has that name.")
    elif merge:
        messages.success(request, f"Merged “{old}” into {where} ({count}).")
    else:
        messages.success(request, f"Moved “{old}” to {where} ({count}).")
    return _back_to("prompts:folders", owner, request.user)


# Tags


def _tags_page(request: HttpRequest, vault: VaultAccess, **context) -> HttpResponse:
    owner = vault.owner
    tags = selectors.vault_tags(owner)
    if not vault.can_edit:
        context.pop("editing", None)
    return render(
        request,
        "prompts/tags.html",
        {
            "access": vault,
            "owner": owner,
            "tags": tags,
            "form": context.pop("form", None) or TagForm(),
            "merge_form": context.pop("merge_form", None) or TagMergeForm(tags=tags),
            "page_url": _page_url("prompts:tags", owner, request.user),
            **context,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tag_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _tags_page(request, get_vault_owner_for(request.user, request.GET.get("vault")))
    vault = get_vault_owner_for(request.user, request.POST.get("vault"), action=Action.EDIT)
    owner = vault.owner
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            tag = services.tag_create(owner=owner, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", form_errors.as_text(error))
        else:
            messages.success(request, f"Created the tag “{tag.name}”.")
            return _back_to("prompts:tags", owner, request.user)
    return _tags_page(request, vault, form=form)


def _with_total(tag: Tag) -> Tag:
    tag.prompt_total = PromptTag.objects.filter(tag=tag).count()
    return tag


@login_required
@require_http_methods(["GET", "POST"])
def tag_update(request: HttpRequest, pk) -> HttpResponse:
    """GET opens the tag's row for renaming (`edit=name`) or recolouring (`edit=color`); htmx
    gets the row alone, and without `edit` the row as it shows normally, its action focused.
    POST saves the fields it carries: a field left out keeps its value."""
    access = get_tag_for(request.user, pk, action=Action.EDIT)
    tag = access.tag
    if request.method == "GET":
        editing = request.GET.get("edit")
        editing = editing if editing in TAG_EDITS else ""
        if not request.htmx:
            opened = {"pk": tag.pk, "field": editing} if editing else None
            return _tags_page(request, access.vault, editing=opened)
        focus = request.GET.get("focus")
        context = {
            "access": access,
            "owner": tag.user,
            "tag": _with_total(tag),
            "editing": {"pk": tag.pk, "field": editing} if editing else None,
            "focus": focus if focus in TAG_EDITS else "",
            "page_url": _page_url("prompts:tags", tag.user, request.user),
        }
        return _fragment_or_page(request, "prompts/tags.html", "tag_row", context)
    editing = "name" if "name" in request.POST else "color"
    form = TagForm(
        {
            "name": request.POST.get("name", tag.name),
            "color": request.POST.get("color", tag.color),
        }
    )
    if form.is_valid():
        try:
            services.tag_update(tag=tag, **form.cleaned_data)
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        else:
            messages.success(request, f"Saved the tag “{tag.name}”.")
            return _back_to("prompts:tags", tag.user, request.user)
    tag.refresh_from_db()
    return _tags_page(
        request, access.vault, editing={"pk": tag.pk, "field": editing}, edit_form=form
    )


def _tags_confirm(request: HttpRequest, owner, context: dict) -> HttpResponse:
    """Ask on a page before a delete or merge, for browsers without the confirmation dialog."""
    if owner.pk != request.user.pk:
        context["fields"] = [("vault", owner.pk), *context["fields"]]
    return render(
        request,
        "confirm.html",
        {"cancel_url": _page_url("prompts:tags", owner, request.user), **context},
    )


@login_required
@require_POST
def tag_delete(request: HttpRequest, pk) -> HttpResponse:
    tag = get_tag_for(request.user, pk, action=Action.EDIT).tag
    if request.POST.get("confirmed") != "1":
        total = _with_total(tag).prompt_total
        return _tags_confirm(
            request,
            tag.user,
            {
                "question": f"Delete the tag “{tag.name}”?",
                "detail": (
                    f"It comes off {total} prompt{'s' * (total != 1)}; the prompts stay."
                    if total
                    else "No prompt carries it."
                ),
                "action": reverse("prompts:tag_delete", args=[tag.pk]),
                "button": "Delete tag",
                "fields": [],
            },
        )
    name = tag.name
    services.tag_delete(tag=tag)
    messages.success(request, f"Deleted the tag “{name}”. Its prompts were kept.")
    return _back_to("prompts:tags", tag.user, request.user)


@login_required
@require_POST
def tag_merge(request: HttpRequest) -> HttpResponse:
    vault = get_vault_owner_for(request.user, request.POST.get("vault"), action=Action.EDIT)
    owner = vault.owner
    form = TagMergeForm(request.POST, tags=selectors.vault_tags(owner))
    if not form.is_valid():
        return _tags_page(request, vault, merge_form=form)
    source = get_tag_for(request.user, form.cleaned_data["source"], action=Action.EDIT).tag
    target = get_tag_for(request.user, form.cleaned_data["target"], action=Action.EDIT).tag
    if request.POST.get("confirmed") != "1":
        total = _with_total(source).prompt_total
        return _tags_confirm(
            request,
            owner,
            {
                "question": f"Merge “{source.name}” into “{target.name}”?",
                "detail": (
                    f"Its {total} prompt{'s' * (total != 1)} get “{target.name}”, "
                    f"and “{source.name}” is deleted."
                ),
                "action": reverse("prompts:tag_merge"),
                "button": "Merge tags",
                "fields": [("source", source.pk), ("target", target.pk)],
            },
        )
    try:
        services.tag_merge(source=source, target=target)
    except ValidationError as error:
        form.add_error(None, form_errors.as_text(error))
        return _tags_page(request, vault, merge_form=form)
    messages.success(request, f"Merged “{source.name}” into “{target.name}”.")
    return _back_to("prompts:tags", owner, request.user)
