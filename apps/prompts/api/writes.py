"""The API's writes: create, change and delete prompts through the prompt services, so
versions, plan limits, counts and the sidebar stay exactly as the pages keep them. Each needs
a key with the write scope and a role that allows the change."""

import json
import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from ninja import Schema
from ninja.errors import HttpError

from apps.accounts.models import ApiKey
from apps.prompts import services
from apps.prompts.access import Action
from apps.prompts.api import (
    ERRORS,
    PAGE_DEFAULT,
    Error,
    PromptDetail,
    api,
    decode_cursor,
    encode_cursor,
    error_response,
    find_prompt,
    label_versions,
    page_limit,
    prompt_detail,
    vault_owner,
)
from apps.prompts.models import DEFAULT_MODEL, Prompt, PromptLabelMove
from promptvault.entitlements import LimitReached


class PromptIn(Schema):
    name: str
    content: str
    key: str | None = None
    description: str = ""
    model: str = DEFAULT_MODEL
    folder: str = ""
    tags: list[str] = []
    metadata: dict = {}
    change_message: str = "Initial version"


class PromptPatch(Schema):
    name: str | None = None
    key: str | None = None
    content: str | None = None
    change_message: str = ""
    description: str | None = None
    model: str | None = None
    folder: str | None = None
    tags: list[str] | None = None
    metadata: dict | None = None
    is_public: bool | None = None
    # The newest version number the change was made against: if the prompt has moved on
    # since, the change is refused (409) rather than overwriting someone else's.
    base_version: int | None = None


class WriteRefused(Exception):
    """A service refused the change: its messages by field, or a plan limit."""

    def __init__(self, status: int, code: str, message: str, fields: list | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.fields, self.extra = status, code, fields or [], extra


@api.exception_handler(WriteRefused)
def _refused(request, exc):
    return error_response(request, exc.status, exc.code, str(exc), fields=exc.fields, **exc.extra)


def _require_write(request) -> None:
    # Checked before any look-up, so a read key learns nothing about what exists.
    if not request.auth.has_scope(ApiKey.WRITE):
        raise PermissionDenied("This API key may only read. Make a key with write access.")


def _refusal(error: DjangoValidationError) -> WriteRefused:
    if hasattr(error, "error_dict"):
        fields = [
            {"field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        fields = [{"field": "", "message": message} for message in error.messages]
    message = " ".join(item["message"] for item in fields) or "The prompt is not valid."
    return WriteRefused(422, "invalid", message, fields)


def _limit(error: LimitReached) -> WriteRefused:
    return WriteRefused(403, "limit_reached", str(error))


@api.post("/prompts/", response={201: PromptDetail, **ERRORS}, url_name="prompt_create")
def prompt_create(request, payload: PromptIn, vault: str | None = None):
    """Make a prompt (version 1) in your vault, or with `?vault=` in one you edit."""
    _require_write(request)
    owner = vault_owner(request, vault, action=Action.EDIT)
    try:
        prompt = services.prompt_create(
            owner=owner,
            author=request.user,
            name=payload.name,
            content=payload.content,
            key=payload.key,
            description=payload.description,
            model=payload.model,
            folder=payload.folder,
            tags=payload.tags,
            metadata=payload.metadata,
            change_message=payload.change_message,
        )
    except DjangoValidationError as error:
        raise _refusal(error) from error
    except LimitReached as error:
        raise _limit(error) from error
    response = prompt_detail(request, str(prompt.pk))
    response.status_code = 201
    response["Location"] = f"/api/v1/prompts/{prompt.pk}"
    return response


def _check_unchanged(request, prompt: Prompt, base_version: int | None) -> None:
    """Refuse the change when the prompt moved on since the client read it: `If-Match` names
    the ETag of `GET /prompts/{id}` (412 when it no longer matches), `base_version` the newest
    version (409). Run under the prompt's row lock, so the check holds until the write."""
    if_match = request.headers.get("If-Match")
    if if_match is None and base_version is None:
        return
    current = prompt_detail(request, str(prompt.pk))
    version = json.loads(current.content)["version"]
    if if_match is not None:
        wanted = [tag.strip() for tag in if_match.split(",")]
        if "*" not in wanted and current["ETag"] not in wanted:
            raise WriteRefused(
                412,
                "precondition_failed",
                f"The prompt changed since you read it; it is at version {version} now. Fetch "
                "it again (its ETag is given) and make your change to that.",
                current_version=version,
                etag=current["ETag"],
            )
    if base_version is not None and base_version != version:
        raise WriteRefused(
            409,
            "conflict",
            f"Your change is based on version {base_version}, but the prompt is at version "
            f"{version} now. Fetch it again and make your change to that.",
            current_version=version,
            etag=current["ETag"],
        )


@api.patch(
    "/prompts/{key_or_id}",
    response={200: PromptDetail, **ERRORS, 409: Error, 412: Error},
    url_name="prompt_detail",
)
def prompt_update(request, key_or_id: str, payload: PromptPatch, vault: str | None = None):
    """Change a prompt; a new `content` makes a version, with `change_message`. Send
    `If-Match: <ETag>` (or `base_version`) to have it refused if the prompt changed since you
    read it, instead of overwriting that change."""
    _require_write(request)
    fields = payload.model_dump(exclude_unset=True)
    change_message = fields.pop("change_message", "")
    base_version = fields.pop("base_version", None)
    action = Action.SHARE if "is_public" in fields else Action.EDIT
    prompt = find_prompt(request, key_or_id, vault, action=action)
    if any(value is None for value in fields.values()):
        raise WriteRefused(422, "invalid", "Leave a field out rather than sending null.")
    try:
        with transaction.atomic():
            Prompt.objects.select_for_update().filter(pk=prompt.pk).first()
            _check_unchanged(request, prompt, base_version)
            services.prompt_update(
                prompt=prompt, author=request.user, change_message=change_message, **fields
            )
    except DjangoValidationError as error:
        raise _refusal(error) from error
    return prompt_detail(request, str(prompt.pk))


@api.delete("/prompts/{key_or_id}", response={204: None, **ERRORS}, url_name="prompt_detail")
def prompt_delete(request, key_or_id: str, vault: str | None = None):
    """Delete a prompt with its history (the vault's owner only)."""
    _require_write(request)
    prompt = find_prompt(request, key_or_id, vault, action=Action.DELETE)
    services.prompt_delete(prompt=prompt)
    return HttpResponse(status=204)


class LabelIn(Schema):
    label: str
    # The version to point the label at; null takes the label off.
    version: int | None


class LabelsOut(Schema):
    labels: dict[str, int]


class LabelMove(Schema):
    label: str
    from_version: int | None
    to_version: int | None
    moved_by: str | None
    moved_at: datetime


class LabelMovePage(Schema):
    items: list[LabelMove]
    next_cursor: str | None


@api.post(
    "/prompts/{key_or_id}/labels", response={200: LabelsOut, **ERRORS}, url_name="prompt_labels"
)
def prompt_label_set(request, key_or_id: str, payload: LabelIn, vault: str | None = None):
    """Point a label (`production`, `staging`, custom) at a version, or take it off with
    `"version": null`. Every move is kept in the label history."""
    _require_write(request)
    prompt = find_prompt(request, key_or_id, vault, action=Action.EDIT)
    try:
        if payload.version is None:
            services.label_remove(prompt=prompt, label=payload.label, user=request.user)
        else:
            services.label_set(
                prompt=prompt, label=payload.label, version=payload.version, user=request.user
            )
    except DjangoValidationError as error:
        raise _refusal(error) from error
    return {"labels": label_versions(prompt)}


@api.get(
    "/prompts/{key_or_id}/labels/history",
    response={200: LabelMovePage, **ERRORS},
    url_name="prompt_label_history",
)
def prompt_label_history(
    request, key_or_id: str, cursor: str = "", limit: int = PAGE_DEFAULT, vault: str | None = None
):
    """Every move of the prompt's labels, newest first, a page at a time."""
    limit = page_limit(limit)
    prompt = find_prompt(request, key_or_id, vault)
    moves = PromptLabelMove.objects.filter(prompt=prompt).select_related("moved_by")
    if cursor:
        moved, last_id = decode_cursor(cursor, 2)
        try:
            moved_at, last_pk = datetime.fromisoformat(moved), uuid.UUID(last_id)
        except ValueError as error:
            raise HttpError(422, "The cursor is not valid; use next_cursor as given.") from error
        if moved_at.tzinfo is None:
            raise HttpError(422, "The cursor is not valid; use next_cursor as given.")
        moves = moves.filter(Q(moved_at__lt=moved_at) | Q(moved_at=moved_at, id__lt=last_pk))
    rows = list(moves.order_by("-moved_at", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "label": row.label,
            "from_version": row.from_version,
            "to_version": row.to_version,
            "moved_by": row.moved_by.display_name if row.moved_by else None,
            "moved_at": row.moved_at,
        }
        for row in rows
    ]
    next_cursor = encode_cursor(rows[-1].moved_at.isoformat(), rows[-1].pk) if more else None
    return {"items": items, "next_cursor": next_cursor}
