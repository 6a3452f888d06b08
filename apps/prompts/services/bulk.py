"""Creating many prompts at once (imports): the same rules as `prompt_create` — validated
fields, version 1 (or the versions brought along), tags, the owner's cached count and plan
limit — applied in batches so thousands of prompts take seconds, not minutes."""

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import keys, validation
from apps.prompts.models import (
    DEFAULT_MODEL,
    Prompt,
    PromptLabel,
    PromptLabelMove,
    PromptTag,
    PromptVersion,
    Tag,
)
from apps.prompts.services.labels import LABELS_MAX, clean_label
from apps.prompts.services.prompts import clean_prompt_fields, prompt_count_adjust
from apps.prompts.services.tags import tags_get_or_create
from promptvault import entitlements
from promptvault.db import insert_rows, update_rows


@dataclass
class NewPrompt:
    name: str
    content: str
    description: str = ""
    model: str = DEFAULT_MODEL
    folder: str = ""
    tags: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    # Earlier states brought along (PromptVault's own export), oldest first: dicts with
    # content, change_message, metadata and optionally created_at (an aware datetime, kept as
    # the version's date). The last one is the current content.
    versions: list[dict] = field(default_factory=list)
    tag_colors: dict[str, str] = field(default_factory=dict)
    is_public: bool = False
    key: object = None  # the caller's handle for this item, echoed back in the result
    # The prompt key to keep (PromptVault's own export); when it is empty or not a valid key
    # the name's key is used, and either gets a number when the vault already has it.
    prompt_key: str = ""
    # Labels to set, {name: version number} (PromptVault's own export).
    labels: dict = field(default_factory=dict)
    # The prompt's own dates (PromptVault's own export), aware datetimes. Without them the
    # prompt is created when its first version was, else now, and updated when its newest
    # version was.
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class BulkResult:
    created_count: int = 0
    # key -> prompt id; left empty when the caller takes each batch through `on_created`
    created: dict = field(default_factory=dict)
    over_limit: int = 0  # items refused by the plan limit
    invalid_count: int = 0
    invalid: dict = field(default_factory=dict)  # key -> message, for the first few only


INVALID_KEPT = 50


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _kept_date(value, now: datetime) -> datetime | None:
    """A date brought along, when it is one: never later than now, so a clock ahead on the
    exporting server can't pin a prompt to the top of the list."""
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return None
    return min(value, now)


def _clean_history(versions: list, now: datetime) -> list[dict]:
    """The earlier states brought along, each held to a prompt's own limits. A long change
    message is shortened rather than refused: it is a note on history, not the prompt."""
    history = []
    for entry in versions:
        if not isinstance(entry, dict) or not str(entry.get("content") or "").strip():
            continue
        number = len(history) + 1
        try:
            content = validation.clean_content(str(entry["content"]))
            metadata = entry.get("metadata")
            metadata = validation.clean_metadata(metadata) if isinstance(metadata, dict) else {}
            message = str(entry.get("change_message") or "")[: validation.CHANGE_MESSAGE_MAX]
            message = validation.clean_change_message(message)
        except ValidationError as error:
            raise ValidationError(
                {"versions": [f"Version {number}: {text}" for text in error.messages]}
            ) from error
        history.append(
            {
                "content": content,
                "metadata": metadata,
                "change_message": message,
                "created_at": _kept_date(entry.get("created_at"), now),
            }
        )
    return history


def _version_rows(
    prompt: dict, history: list[dict], author: User | None, message: str, now
) -> list:
    if not history or history[-1]["content"] != prompt["content"]:
        history = [
            *history,
            {"content": prompt["content"], "metadata": {}, "change_message": message},
        ]
    return [
        {
            "id": uuid.uuid4(),
            "prompt_id": prompt["id"],
            "version": number,
            "content": entry["content"],
            "metadata": entry["metadata"],
            "change_message": entry["change_message"],
            "created_at": entry.get("created_at") or now,
            "created_by_id": author.pk if author else None,
        }
        for number, entry in enumerate(history, start=1)
    ]


def _prompt_dates(item: NewPrompt, history: list[dict], ends_with_current: bool, now) -> dict:
    """The prompt's created_at and updated_at: its own when brought along, else the dates of
    its first and newest versions (a version added for the current text is new), else now."""
    first = history[0]["created_at"] if history else None
    newest = history[-1]["created_at"] if ends_with_current else None
    return {
        "created_at": _kept_date(item.created_at, now) or first or now,
        "updated_at": _kept_date(item.updated_at, now) or newest or now,
    }


def _keep_dates(model: type[models.Model], rows: list[dict], names: tuple, now) -> None:
    """Store the dates brought along where inserting dropped them. PostgreSQL's COPY (in
    insert_rows) writes the values given; bulk_create, used elsewhere, replaces every
    auto_now / auto_now_add value with the time of the insert. So on other databases the rows
    with dates of their own get them back, and an import that brought none costs nothing more."""
    if connections[router.db_for_write(model)].vendor == "postgresql":
        return
    dated = [row for row in rows if any(row[name] != now for name in names)]
    update_rows(
        model,
        ([row[model._meta.pk.attname], *(row[name] for name in names)] for row in dated),
        match=(model._meta.pk.name,),
        assign=names,
    )


def _refusal(item: NewPrompt, error: ValidationError) -> str:
    """Why an item was refused, naming it, for the person who asked for the import."""
    name = " ".join(str(item.name or "").split())[:80] or "A prompt without a name"
    return f"“{name}”: " + " ".join(sum(error.message_dict.values(), []))


@transaction.atomic
def prompts_create_many(
    *,
    owner: User,
    author: User | None,
    items: Iterable[NewPrompt],
    change_message: str = "Imported",
    batch_size: int = 500,
    on_created: Callable[[list[tuple[object, uuid.UUID]]], None] | None = None,
) -> BulkResult:
    """Create prompts in `owner`'s vault, in order, until the plan's room runs out. All or
    nothing: the caller's transaction decides. `on_created` receives each batch's (key,
    prompt id) pairs as they are written, so a caller needn't hold them all in memory."""
    locked = entitlements.lock_owner(owner)
    room = entitlements.prompt_room(locked)
    result = BulkResult()
    total = 0
    now = timezone.now()
    # The owner's row is locked, so no other creation adds keys meanwhile.
    free_keys = keys.KeyAllocator(Prompt.objects.filter(user=owner).values_list("key", flat=True))
    for batch in _batches(items, batch_size):
        rows: list[tuple[NewPrompt, dict, list[str], list[dict]]] = []
        labels: dict = {}  # prompt id -> {label: version number}
        for item in batch:
            try:
                history = _clean_history(item.versions or [], now)
                fields = clean_prompt_fields(
                    {
                        "name": item.name,
                        "content": item.content,
                        "description": item.description,
                        "model": item.model,
                        "folder": item.folder,
                        "tags": item.tags,
                        "metadata": item.metadata,
                        "is_public": item.is_public,
                    }
                )
                ends_with_current = bool(history) and history[-1]["content"] == fields["content"]
                wanted_labels = _clean_labels(
                    item.labels, len(history) + (0 if ends_with_current else 1)
                )
            except ValidationError as error:
                result.invalid_count += 1
                if len(result.invalid) < INVALID_KEPT:
                    result.invalid[item.key] = _refusal(item, error)
                continue
            if room is not None and total + len(rows) >= room:
                result.over_limit += 1
                continue
            tag_names = fields.pop("tags")
            key = free_keys.allocate(_wanted_key(item, fields["name"]))
            prompt = {
                "id": uuid.uuid4(),
                "user_id": owner.pk,
                "key": key,
                "save_count": 0,
                **_prompt_dates(item, history, ends_with_current, now),
                **fields,
            }
            rows.append((item, prompt, tag_names, history))
            if wanted_labels:
                labels[prompt["id"]] = wanted_labels
        if not rows:
            continue
        prompts = [prompt for _item, prompt, _tags, _history in rows]
        insert_rows(Prompt, prompts)
        _keep_dates(Prompt, prompts, ("created_at", "updated_at"), now)
        versions = [
            version
            for _item, prompt, _tags, history in rows
            for version in _version_rows(prompt, history, author, change_message, now)
        ]
        insert_rows(PromptVersion, versions)
        _keep_dates(PromptVersion, versions, ("created_at",), now)
        if labels:
            _insert_labels(labels, versions, author, now)
        _attach_tags(owner, rows)
        pairs = [(item.key, prompt["id"]) for item, prompt, _tags, _history in rows]
        if on_created is None:
            result.created.update(pairs)
        else:
            on_created(pairs)
        total += len(rows)
    result.created_count = total
    if total:
        prompt_count_adjust(owner_id=owner.pk, delta=total)
        owner.prompt_count = locked.prompt_count + total
    return result


def _clean_labels(labels: dict, version_count: int) -> dict:
    """{label: version number}, each name checked and each number a version the prompt will
    have; raises ValidationError naming the first that isn't."""
    if not labels:
        return {}
    if not isinstance(labels, dict):
        raise ValidationError({"labels": ["Labels must name a version each."]})
    if len(labels) > LABELS_MAX:
        raise ValidationError({"labels": [f"A prompt has at most {LABELS_MAX} labels."]})
    cleaned = {}
    for name, number in labels.items():
        label = clean_label(name)
        if (
            not isinstance(number, int)
            or isinstance(number, bool)
            or not 0 < number <= version_count
        ):
            raise ValidationError(
                {"labels": [f"The label {label} points at version {number}, which isn't there."]}
            )
        cleaned[label] = number
    return cleaned


def _insert_labels(labels: dict, versions: list[dict], author: User | None, now) -> None:
    """Set the labels brought along, each recorded as a move like one set by hand."""
    version_ids = {(row["prompt_id"], row["version"]): row["id"] for row in versions}
    author_id = author.pk if author else None
    label_rows, move_rows = [], []
    for prompt_id, wanted in labels.items():
        for name, number in wanted.items():
            label_rows.append(
                {
                    "id": uuid.uuid4(),
                    "prompt_id": prompt_id,
                    "name": name,
                    "version_id": version_ids[(prompt_id, number)],
                    "updated_at": now,
                    "updated_by_id": author_id,
                }
            )
            move_rows.append(
                {
                    "id": uuid.uuid4(),
                    "prompt_id": prompt_id,
                    "label": name,
                    "from_version": None,
                    "to_version": number,
                    "moved_by_id": author_id,
                    "moved_at": now,
                }
            )
    insert_rows(PromptLabel, label_rows)
    insert_rows(PromptLabelMove, move_rows)


def _wanted_key(item: NewPrompt, name: str) -> str:
    if item.prompt_key:
        try:
            return keys.clean_key(item.prompt_key)
        except ValidationError:
            pass
    return keys.key_from_name(name)


def _attach_tags(owner: User, rows: list) -> None:
    names = {name for _item, _prompt, tags, _history in rows for name in tags}
    if not names:
        return
    existing = set(Tag.objects.filter(user=owner).values_list("name", flat=True))
    tags = {tag.name.casefold(): tag for tag in tags_get_or_create(owner=owner, names=names)}
    # Colours brought along apply to tags this import created, never to the user's own.
    recolour = {}
    for item, _prompt, _tags, _history in rows:
        for name, colour in (item.tag_colors or {}).items():
            tag = tags.get(str(name).casefold())
            if tag and tag.name not in existing and tag.pk not in recolour:
                try:
                    recolour[tag.pk] = validation.clean_color(str(colour))
                except ValidationError:
                    continue
    for pk, colour in recolour.items():
        Tag.objects.filter(pk=pk).update(color=colour)
    insert_rows(
        PromptTag,
        [
            {"id": uuid.uuid4(), "prompt_id": prompt["id"], "tag_id": tags[name.casefold()].pk}
            for _item, prompt, tag_names, _history in rows
            for name in tag_names
        ],
    )
