"""The JSON API under /api/v1/: read prompts by key or id from code, with an API key.

A key acts as its person: the vaults and roles are those of the browser, checked by the same
helpers (apps/prompts/access.py). Errors are always `{"error": {"code", "message"}}`; an object
the person can't see is a 404, never a 403."""

import base64
import binascii
import hashlib
import json
import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from apps.accounts import services as account_services
from apps.accounts.api_keys import forget, remembered_key_for_secret
from apps.accounts.models import ApiKey
from apps.prompts import selectors, validation
from apps.prompts.access import Action, get_prompt_for, get_vault_owner_for
from apps.prompts.api import cached, queries
from apps.prompts.api.json_errors import JsonErrorsAPI, install_handlers
from apps.prompts.forms import SEARCH_MAX
from apps.prompts.keys import KEY_MAX, KEY_RE
from apps.prompts.models import Prompt, PromptLabel, PromptVersion
from apps.prompts.services.labels import LATEST
from apps.prompts.variables import VARIABLE_RE, find_variables
from apps.sharing import ratelimit

PAGE_DEFAULT = 50
PAGE_MAX = 100
# Sent with every prompt read: a client may keep the answer but must ask again (cheaply, with
# If-None-Match) before using it, so a change is never served stale.
CACHE_CONTROL = "private, no-cache"
VERSION_MAX = 2**31 - 1


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__("Too many requests.")
        self.retry_after = retry_after


class BearerKey(HttpBearer):
    """`Authorization: Bearer pv_…`: the key's person becomes `request.user`, within the key's
    rate limit. Cookies never authenticate here, so the API needs no CSRF token.

    The key comes from this process's memory when it was seen in the last half minute
    (apps/accounts/api_keys.py) and is confirmed by one query, which also reads the data
    version of the vault the request names (`?vault=`, else the person's own) for the cached
    answers (`request.api_stamp`, apps/prompts/api/cached.py). The rate limit's count is sent
    to the cache before that query and read after it, so their round trips overlap."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = remembered_key_for_secret(token)
        if key is None:
            return None
        owner_pk = _named_vault(request) or key.user_id
        try:
            with ratelimit.counting(
                f"api:{key.pk}", limit=settings.API_RATE_LIMIT_PER_MINUTE
            ) as counted:
                version = cached.data_version(key=key, owner_pk=owner_pk)
        except cached.KeyNotLive:
            forget(key)
            return None
        if counted.wait:
            raise RateLimited(counted.wait)
        request.user = key.user
        request.api_key = key
        request.api_stamp = cached.Stamp(owner_pk=owner_pk, version=version)
        account_services.api_key_touch(key=key)
        return key


def _named_vault(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.GET.get("vault", ""))
    except ValueError:
        return None


api = JsonErrorsAPI(
    title="PromptVault API",
    version="1",
    description="Fetch your prompts from code. Authenticate with `Authorization: Bearer <key>`; "
    "make keys at /accounts/api-keys/.",
    urls_namespace="api",
    auth=BearerKey(),
)
install_handlers(api)


def error_response(request, status: int, code: str, message: str, **extra) -> HttpResponse:
    response = api.create_response(
        request, {"error": {"code": code, "message": message, **extra}}, status=status
    )
    response["Cache-Control"] = "private, no-store"
    return response


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = error_response(
        request,
        401,
        "unauthorized",
        "Send a valid API key: Authorization: Bearer <key>. Keys that are revoked or expired "
        "no longer work.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = error_response(
        request, 429, "rate_limited", f"Too many requests. Try again in {exc.retry_after} s."
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(request, 403, "forbidden", str(exc) or "Not allowed.")


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    fields = [
        {"field": ".".join(str(part) for part in error.get("loc", ())[1:]), "message": error["msg"]}
        for error in exc.errors[:20]
    ]
    return error_response(request, 422, "invalid", "The request is not valid.", fields=fields)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        422: "invalid",
        429: "rate_limited",
    }
    return error_response(
        request, exc.status_code, codes.get(exc.status_code, "error"), exc.message
    )


# --- Schemas ---------------------------------------------------------------------------------


class PromptSummary(Schema):
    id: uuid.UUID
    key: str
    name: str
    description: str
    folder: str
    tags: list[str]
    model: str
    version: int
    updated_at: datetime


class PromptPage(Schema):
    items: list[PromptSummary]
    next_cursor: str | None


class PromptDetail(PromptSummary):
    content: str
    variables: list[str]
    labels: dict[str, int]
    metadata: dict


class VersionSummary(Schema):
    version: int
    change_message: str
    created_at: datetime
    author: str | None


class VersionPage(Schema):
    items: list[VersionSummary]
    next_cursor: str | None


class RenderIn(Schema):
    variables: dict[str, str] = {}
    version: int | None = None
    label: str | None = None


class RenderOut(Schema):
    text: str
    version: int


class ErrorBody(Schema):
    code: str
    message: str


class Error(Schema):
    error: ErrorBody


class ListFilters(Schema):
    q: str = ""
    folder: str = ""
    tag: list[str] = []
    label: str = ""
    cursor: str = ""
    limit: int = PAGE_DEFAULT
    vault: str | None = None


ERRORS = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


# --- Helpers ---------------------------------------------------------------------------------


def vault_owner(request, vault, *, action: Action = Action.VIEW):
    return get_vault_owner_for(request.user, vault or None, action=action).owner


def find_prompt(request, key_or_id: str, vault, *, action: Action = Action.VIEW) -> Prompt:
    """The prompt by id (any vault the person may read) or by key (in `vault`, else their own),
    if their role there allows `action` (403 otherwise; 404 when they can't see it at all)."""
    try:
        pk = uuid.UUID(key_or_id)
    except ValueError:
        pk = None
    if pk is not None:
        try:
            return get_prompt_for(request.user, pk, action=action).prompt
        except Http404:
            pass  # a key may look like an id
    if len(key_or_id) > KEY_MAX or not KEY_RE.fullmatch(key_or_id):
        raise Http404("No such prompt.")
    owner = vault_owner(request, vault)
    prompt = Prompt.objects.select_related("user").filter(user=owner, key=key_or_id).first()
    if prompt is None:
        raise Http404("No such prompt.")
    return (
        get_prompt_for(request.user, prompt.pk, action=action).prompt
        if action != Action.VIEW
        else prompt
    )


def answer_slot(request, owner) -> tuple | None:
    """Where this read's answer in `owner`'s vault (one the person may read) is kept
    (apps/prompts/api/cached.py); None when it isn't: the request writes (the version read
    before its write is out of date once it has written), the vault has no data version yet,
    or the request named another vault than the one read."""
    stamp = request.api_stamp
    if (
        request.method not in ("GET", "HEAD")
        or stamp.version is None
        or str(stamp.owner_pk) != str(owner.pk)
    ):
        return None
    return cached.answer_key(owner_pk=owner.pk, version=stamp.version, request=request)


def json_answer(answer: cached.Answer) -> HttpResponse:
    return HttpResponse(answer.body, content_type=api.get_content_type())


def served_prompt(
    request, key_or_id: str, vault, *, number: int | None, label: str | None
) -> Prompt:
    """The prompt by id or key (as `find_prompt`) with the version asked for, its tags and
    labels, in one query (queries.served_prompts)."""
    if number is not None and label:
        raise HttpError(422, "Ask for a version or a label, not both.")
    if number is not None and not 1 <= number <= VERSION_MAX:
        raise Http404("No such version.")
    label = label[:50] if label else None

    def rows(**where):
        return queries.served_prompts(number=number, label=label, **where)

    # Only the queries needed are built: building one costs about as much as running it.
    looked_up = []
    try:
        pk = uuid.UUID(key_or_id)
    except ValueError:
        pass
    else:
        # Another vault's prompt comes with the person's role there, read in the same query.
        looked_up.append(lambda: rows(pk=pk, member=request.user))
    if len(key_or_id) <= KEY_MAX and KEY_RE.fullmatch(key_or_id):  # a key may look like an id
        if not vault or str(vault) == str(request.user.pk):
            looked_up.append(lambda: rows(owner_id=request.user.pk, key=key_or_id))
        else:
            try:
                owner_pk = uuid.UUID(str(vault))
            except ValueError:
                pass
            else:
                looked_up.append(
                    lambda: rows(owner_id=owner_pk, key=key_or_id, member=request.user)
                )
    for query in looked_up:
        prompt = next(iter(query()[:1]), None)  # one row at most: no ORDER BY, unlike first()
        if prompt is not None and queries.role_of(prompt, request.user) is not None:
            break
    else:
        raise Http404("No such prompt.")
    if prompt.served_version is None:
        raise Http404(
            f"This prompt has no label {label!r}."
            if label and label != LATEST
            else "No such version."
        )
    return prompt


def _version(prompt: Prompt, number: int | None, label: str | None = None) -> PromptVersion:
    """The version asked for: by number, by label (`latest` is the newest), else the newest."""
    if number is not None and label:
        raise HttpError(422, "Ask for a version or a label, not both.")
    if label and label != LATEST:
        found = (
            PromptVersion.objects.filter(labels__prompt=prompt, labels__name=label[:50])
            .order_by()
            .first()
        )
        if found is None:
            raise Http404(f"This prompt has no label {label[:50]!r}.")
        return found
    if number is not None and not 1 <= number <= VERSION_MAX:
        raise Http404("No such version.")
    versions = prompt.versions.order_by("-version")
    found = versions.filter(version=number).first() if number is not None else versions.first()
    if found is None:
        raise Http404("No such version.")
    return found


def label_versions(prompt: Prompt) -> dict[str, int]:
    """The prompt's labels and the version number each points at."""
    return dict(
        PromptLabel.objects.filter(prompt=prompt)
        .order_by("name")
        .values_list("name", "version__version")
    )


def encode_cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps([str(part) for part in parts]).encode()).decode()


def decode_cursor(cursor: str, size: int) -> list[str]:
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise HttpError(422, "The cursor is not valid; use next_cursor as given.") from error
    if not isinstance(parts, list) or len(parts) != size:
        raise HttpError(422, "The cursor is not valid; use next_cursor as given.")
    return [str(part) for part in parts]


def page_limit(limit: int) -> int:
    if not 1 <= limit <= PAGE_MAX:
        raise HttpError(422, f"limit must be between 1 and {PAGE_MAX}.")
    return limit


# --- Endpoints -------------------------------------------------------------------------------


@api.get("/prompts/", response={200: PromptPage, **ERRORS}, url_name="prompt_list")
def prompt_list(request, filters: Query[ListFilters]):
    """The vault's prompts, most recently updated first, a page at a time."""
    owner = vault_owner(request, filters.vault)
    slot = answer_slot(request, owner)
    answer = cached.answers.get(slot) if slot is not None else None
    if answer is None:
        answer = listed_answer(request, filters, owner)
        if slot is not None:
            cached.answers.put(slot, answer)
    return json_answer(answer)


def listed_answer(request, filters: ListFilters, owner) -> cached.Answer:
    """A page of the list in `owner`'s vault."""
    limit = page_limit(filters.limit)
    try:
        folder = validation.clean_folder(filters.folder)
        tags = [validation.clean_tag_name(name) for name in filters.tag[:10] if name.strip()]
    except DjangoValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    queryset = selectors.vault_prompts(
        owner,
        q=filters.q.replace("\x00", "")[:SEARCH_MAX],
        folder=folder,
        tags=tags,
        sort="-updated",
    ).order_by("-updated_at", "-id")
    if filters.label and filters.label != LATEST:
        queryset = queryset.filter(labels__name=filters.label[:50])
    if filters.cursor:
        updated, last_id = decode_cursor(filters.cursor, 2)
        try:
            updated_at, last_pk = datetime.fromisoformat(updated), uuid.UUID(last_id)
        except ValueError as error:
            raise HttpError(422, "The cursor is not valid; use next_cursor as given.") from error
        if updated_at.tzinfo is None:
            raise HttpError(422, "The cursor is not valid; use next_cursor as given.")
        queryset = queryset.filter(
            Q(updated_at__lt=updated_at) | Q(updated_at=updated_at, id__lt=last_pk)
        )
    latest = (
        PromptVersion.objects.filter(prompt=OuterRef("pk"))
        .order_by("-version")
        .values("version")[:1]
    )
    rows = list(
        queryset.only("id", "key", "name", "description", "folder", "model", "updated_at").annotate(
            latest_version=Subquery(latest),
            # The page's tags come with its rows rather than from a query of their own.
            tag_names=queries.tag_names(),
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "id": row.pk,
            "key": row.key,
            "name": row.name,
            "description": row.description,
            "folder": row.folder,
            "tags": queries.split_tag_names(row.tag_names),
            "model": row.model,
            "version": row.latest_version or 0,
            "updated_at": row.updated_at,
        }
        for row in rows
    ]
    cursor = encode_cursor(rows[-1].updated_at.isoformat(), rows[-1].pk) if more else None
    page = PromptPage.model_validate({"items": items, "next_cursor": cursor})
    return cached.Answer(api.renderer.render(request, page.model_dump(), response_status=200))


@api.get(
    "/prompts/{key_or_id}",
    response={200: PromptDetail, 304: None, **ERRORS},
    url_name="prompt_detail",
)
def prompt_detail(
    request,
    key_or_id: str,
    version: int | None = None,
    vault: str | None = None,
    label: str | None = None,
):
    """One prompt: its newest version, `?version=N` or `?label=production`. Send the ETag back
    as If-None-Match to get a 304 while nothing changed."""
    owner = vault_owner(request, vault)
    slot = answer_slot(request, owner)
    answer = cached.answers.get(slot) if slot is not None else None
    if answer is None:
        prompt = served_prompt(request, key_or_id, vault, number=version, label=label)
        pinned = version is not None or bool(label)
        answer = served_answer(request, prompt, metadata_of_version=pinned)
        # By id, the prompt may be in another vault the person reads, which the slot's
        # version doesn't follow.
        if slot is not None and prompt.user_id == owner.pk:
            cached.answers.put(slot, answer)
    matches = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if answer.etag in matches or f"W/{answer.etag}" in matches or "*" in matches:
        response = HttpResponse(status=304)
    else:
        response = json_answer(answer)
    response["ETag"] = answer.etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def served_answer(request, prompt: Prompt, *, metadata_of_version: bool) -> cached.Answer:
    """The body of a fetch of `prompt` (from `served_prompt`) and its ETag."""
    body = {
        "id": str(prompt.pk),
        "key": prompt.key,
        "name": prompt.name,
        "description": prompt.description,
        "folder": prompt.folder,
        "tags": queries.split_tag_names(prompt.tag_names),
        "model": prompt.model,
        "version": prompt.served_version,
        "content": prompt.served_content,
        "variables": find_variables(prompt.served_content),
        "labels": queries.split_label_pairs(prompt.label_pairs),
        "metadata": prompt.served_metadata if metadata_of_version else prompt.metadata,
        "updated_at": prompt.updated_at.isoformat(),
    }
    # A digest of exactly what is served: any change to the prompt, its tags or the version
    # chosen gives a new tag, so a client holding the old one is never answered 304 wrongly.
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return cached.Answer(
        api.renderer.render(request, body, response_status=200), etag=f'"{digest[:32]}"'
    )


@api.post(
    "/prompts/{key_or_id}/render",
    response={200: RenderOut, **ERRORS},
    url_name="prompt_render",
)
def prompt_render(request, key_or_id: str, payload: RenderIn, vault: str | None = None):
    """The prompt's text with `variables` filled in, inserted exactly as given. Every
    placeholder needs a value; missing ones are named in a 422."""
    prompt = find_prompt(request, key_or_id, vault)
    served = _version(prompt, payload.version, payload.label)
    missing = [name for name in find_variables(served.content) if name not in payload.variables]
    if missing:
        raise HttpError(422, "Missing values for: " + ", ".join(missing) + ".")
    text = VARIABLE_RE.sub(lambda match: payload.variables[match.group(1)], served.content)
    return {"text": text, "version": served.version}


@api.get(
    "/prompts/{key_or_id}/versions",
    response={200: VersionPage, **ERRORS},
    url_name="prompt_versions",
)
def prompt_versions(
    request,
    key_or_id: str,
    cursor: str = "",
    limit: int = PAGE_DEFAULT,
    vault: str | None = None,
):
    """The prompt's versions, newest first, a page at a time (no content: fetch one with
    `GET /prompts/{key_or_id}?version=N`)."""
    limit = page_limit(limit)
    prompt = find_prompt(request, key_or_id, vault)
    queryset = selectors.prompt_versions(prompt)
    if cursor:
        (before,) = decode_cursor(cursor, 1)
        if not before.isdigit() or len(before) > 9:
            raise HttpError(422, "The cursor is not valid; use next_cursor as given.")
        queryset = queryset.filter(version__lt=int(before))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "version": row.version,
            "change_message": row.change_message,
            "created_at": row.created_at,
            "author": row.created_by.display_name if row.created_by else None,
        }
        for row in rows
    ]
    return {"items": items, "next_cursor": encode_cursor(rows[-1].version) if more else None}


# The write endpoints register themselves on `api`.
from apps.prompts.api import writes  # noqa: E402, F401
