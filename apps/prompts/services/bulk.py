"""Creating many prompts at once (imports): the same rules as `prompt_create` — validated
fields, version 1 (or the versions brought along), tags, the owner's cached count and plan
limit — applied in batches so thousands of prompts take seconds, not minutes."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.prompts.models import DEFAULT_MODEL, Prompt, PromptTag, PromptVersion, Tag
from apps.prompts.services.prompts import _change_count, _clean_fields
from apps.prompts.services.tags import tags_get_or_create
from apps.prompts.validation import clean_color
from promptvault import entitlements


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
    # content, change_message and metadata. The last one is the current content.
    versions: list[dict] = field(default_factory=list)
    tag_colors: dict[str, str] = field(default_factory=dict)
    is_public: bool = False
    key: object = None  # the caller's handle for this item, echoed back in the result


@dataclass
class BulkResult:
    created: dict = field(default_factory=dict)  # key -> prompt id
    over_limit: list = field(default_factory=list)  # keys refused by the plan limit
    invalid: dict = field(default_factory=dict)  # key -> message


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _versions_for(prompt: Prompt, item: NewPrompt, author: User | None, message: str) -> list:
    history = [v for v in item.versions if isinstance(v, dict) and str(v.get("content") or "")]
    if not history or history[-1].get("content") != prompt.content:
        history.append({"content": prompt.content, "change_message": message})
    return [
        PromptVersion(
            prompt=prompt,
            version=number,
            content=str(entry["content"]),
            metadata=entry.get("metadata") if isinstance(entry.get("metadata"), dict) else {},
            change_message=str(entry.get("change_message") or "")[:2000],
            created_by=author,
        )
        for number, entry in enumerate(history, start=1)
    ]


@transaction.atomic
def prompts_create_many(
    *,
    owner: User,
    author: User | None,
    items: Iterable[NewPrompt],
    change_message: str = "Imported",
    batch_size: int = 500,
) -> BulkResult:
    """Create prompts in `owner`'s vault, in order, until the plan's room runs out. All or
    nothing: the caller's transaction decides."""
    locked = entitlements.lock_owner(owner)
    room = entitlements.prompt_room(locked)
    result = BulkResult()
    total = 0
    for batch in _batches(items, batch_size):
        rows: list[tuple[NewPrompt, Prompt, list[str]]] = []
        for item in batch:
            try:
                fields = _clean_fields(
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
            except ValidationError as error:
                result.invalid[item.key] = " ".join(sum(error.message_dict.values(), []))
                continue
            if room is not None and total + len(rows) >= room:
                result.over_limit.append(item.key)
                continue
            tag_names = fields.pop("tags")
            rows.append((item, Prompt(user=owner, **fields), tag_names))
        if not rows:
            continue
        Prompt.objects.bulk_create([prompt for _item, prompt, _tags in rows])
        PromptVersion.objects.bulk_create(
            [
                version
                for item, prompt, _tags in rows
                for version in _versions_for(prompt, item, author, change_message)
            ]
        )
        _attach_tags(owner, rows)
        for item, prompt, _tags in rows:
            result.created[item.key] = prompt.pk
        total += len(rows)
    if total:
        _change_count(owner.pk, total)
        owner.prompt_count = locked.prompt_count + total
    return result


def _attach_tags(owner: User, rows: list) -> None:
    names = {name for _item, _prompt, tags in rows for name in tags}
    if not names:
        return
    existing = set(Tag.objects.filter(user=owner).values_list("name", flat=True))
    tags = {tag.name.casefold(): tag for tag in tags_get_or_create(owner=owner, names=names)}
    # Colours brought along apply to tags this import created, never to the user's own.
    recolour = {}
    for item, _prompt, _tags in rows:
        for name, colour in (item.tag_colors or {}).items():
            tag = tags.get(str(name).casefold())
            if tag and tag.name not in existing and tag.pk not in recolour:
                try:
                    recolour[tag.pk] = clean_color(str(colour))
                except ValidationError:
                    continue
    for pk, colour in recolour.items():
        Tag.objects.filter(pk=pk).update(color=colour)
    PromptTag.objects.bulk_create(
        [
            PromptTag(prompt=prompt, tag=tags[name.casefold()])
            for _item, prompt, tag_names in rows
            for name in tag_names
        ]
    )
