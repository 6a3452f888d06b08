"""One prompt: create, read, edit, duplicate, delete, fill in its variables."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.prompts import selectors, services
from apps.prompts.access import Action, PromptAccess, get_prompt_for, get_vault_owner_for
from apps.prompts.forms import PromptEditForm, PromptForm, metadata_text
from apps.prompts.models import Prompt
from apps.prompts.variables import (
    fill_variables,
    find_variables,
    highlight_variables,
    variable_fields,
)
from apps.prompts.views.analysis import analysis_panel
from promptvault import entitlements, form_errors
from promptvault.entitlements import LimitReached


def _folder_options(owner) -> list[str]:
    return [node.path for node in selectors.folder_tree(owner)]


@login_required
@require_http_methods(["GET", "POST"])
def prompt_create(request: HttpRequest) -> HttpResponse:
    owner = get_vault_owner_for(
        request.user, request.POST.get("vault") or request.GET.get("vault"), action=Action.EDIT
    ).owner
    initial = {"folder": request.GET.get("folder", "")}
    form = PromptForm(request.POST or None, initial=initial)
    room = entitlements.prompt_room(owner)
    limit_error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prompt = services.prompt_create(
                owner=owner,
                author=request.user,
                name=data["name"],
                content=data["content"],
                description=data["description"],
                model=data["model"],
                folder=data["folder"],
                tags=data["tags"],
                is_public=data["is_public"] and owner.pk == request.user.pk,
                metadata=data["metadata"],
            )
        except LimitReached as error:
            limit_error = error
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        else:
            messages.success(request, f"“{prompt.name}” was saved as version 1.")
            return redirect("prompts:detail", pk=prompt.pk)
    return render(
        request,
        "prompts/form.html",
        {
            "form": form,
            "owner": owner,
            "room": room,
            "limit_error": limit_error,
            "upgrade_url": entitlements.upgrade_url(),
            "folder_options": _folder_options(owner),
            "vault_param": "" if owner.pk == request.user.pk else str(owner.pk),
            **_form_analysis(form),
        },
    )


@login_required
@require_GET
def prompt_detail(request: HttpRequest, pk) -> HttpResponse:
    access = get_prompt_for(request.user, pk)
    prompt = access.prompt
    variables = find_variables(prompt.content)
    values = {name: request.GET.get(f"var_{name}", "") for name in variables}
    copy_target = _copy_target(request.user, access)
    context = {
        "access": access,
        "prompt": prompt,
        "copy_room": entitlements.prompt_room(copy_target),
        "copy_target_is_me": copy_target.pk == request.user.pk,
        "upgrade_url": entitlements.upgrade_url(),
        "tags": list(prompt.tags.order_by(Lower("name"), "name")),
        "highlighted": highlight_variables(prompt.content),
        "variables": variable_fields(prompt.content, prompt.metadata, values),
        "filled": fill_variables(prompt.content, values),
        "version_count": prompt.versions.count(),
        "metadata_json": json.dumps(prompt.metadata, indent=2, ensure_ascii=False)
        if prompt.metadata
        else "",
        **analysis_panel(prompt.content, prompt.model, prompt.metadata, editable=False),
    }
    return render(request, "prompts/detail.html", context)


def _form_analysis(form) -> dict:
    """The prompt check of what the editor holds, as first shown (app.js keeps it current)."""
    return analysis_panel(
        form["content"].value(), form["model"].value(), form["metadata"].value(), editable=True
    )


def _copy_target(user, access: PromptAccess):
    """Where "duplicate" puts the copy: this vault for those who may edit it, else their own."""
    return access.owner if access.can_edit else user


@login_required
@require_http_methods(["GET", "POST"])
def prompt_edit(request: HttpRequest, pk) -> HttpResponse:
    access = get_prompt_for(request.user, pk, action=Action.EDIT)
    prompt = access.prompt
    initial = {
        "name": prompt.name,
        "key": prompt.key,
        "description": prompt.description,
        "content": prompt.content,
        "model": prompt.model,
        "folder": prompt.folder,
        "tags": ", ".join(
            prompt.tags.order_by(Lower("name"), "name").values_list("name", flat=True)
        ),
        "is_public": prompt.is_public,
        "metadata": metadata_text(prompt.metadata),
        "seen_at": prompt.updated_at,
    }
    form = PromptEditForm(request.POST or None, initial=initial, current_model=prompt.model)
    if not access.can_share:
        form.fields["is_public"].disabled = True
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            key: data[key]
            for key in ("name", "description", "content", "model", "folder", "tags", "metadata")
        }
        if data["key"]:
            fields["key"] = data["key"]
        if access.can_share:
            fields["is_public"] = data["is_public"]
        content_before = prompt.content
        try:
            services.prompt_update(
                prompt=prompt,
                author=request.user,
                change_message=data["change_message"],
                seen_at=data.get("seen_at"),
                **fields,
            )
        except Prompt.DoesNotExist as error:
            raise Http404("This prompt was deleted while you were editing it.") from error
        except services.PromptConflict as error:
            conflict = error.prompt
            form.add_error(None, str(error))
            # Keep what the user typed; move the form's baseline to the latest state so a
            # second save, after they have looked, goes through.
            form.data = form.data.copy()
            form.data["seen_at"] = conflict.updated_at.isoformat()
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        else:
            messages.success(request, _saved_message(prompt, content_before))
            return redirect("prompts:detail", pk=prompt.pk)
    return render(
        request,
        "prompts/form.html",
        {
            "form": form,
            "access": access,
            "prompt": prompt,
            "conflict": conflict,
            "owner": prompt.user,
            "folder_options": _folder_options(prompt.user),
            **_form_analysis(form),
        },
    )


def _saved_message(prompt: Prompt, content_before: str) -> str:
    """Say which version the save made, or that the content, and so the version, stayed."""
    latest = selectors.latest_version_number(prompt)
    if prompt.content != content_before:
        return f"“{prompt.name}” was saved as version {latest}."
    return f"“{prompt.name}” was saved. The content didn't change, so it is still version {latest}."


@login_required
@require_http_methods(["GET", "POST"])
def prompt_delete(request: HttpRequest, pk) -> HttpResponse:
    access = get_prompt_for(request.user, pk, action=Action.DELETE)
    prompt = access.prompt
    if request.method == "POST":
        name = prompt.name
        services.prompt_delete(prompt=prompt)
        messages.success(request, f"“{name}” and its history were deleted.")
        return redirect("prompts:list")
    return render(
        request,
        "prompts/delete.html",
        {"access": access, "prompt": prompt, "version_count": prompt.versions.count()},
    )


@login_required
@require_POST
def prompt_duplicate(request: HttpRequest, pk) -> HttpResponse:
    """Copy a prompt: within its vault for the owner and editors, into the user's own vault for
    viewers (a fork)."""
    access = get_prompt_for(request.user, pk)
    prompt = access.prompt
    target = _copy_target(request.user, access)
    try:
        copy = services.prompt_duplicate(prompt=prompt, owner=target, author=request.user)
    except LimitReached as error:
        messages.error(request, error.as_html())
        return redirect("prompts:detail", pk=prompt.pk)
    except ValidationError as error:
        # A prompt saved before today's limits may exceed them; a copy is a new prompt.
        messages.error(request, "This prompt can't be copied: " + form_errors.as_text(error))
        return redirect("prompts:detail", pk=prompt.pk)
    messages.success(request, f"Made a copy: “{copy.name}”.")
    return redirect(reverse("prompts:detail", kwargs={"pk": copy.pk}))
