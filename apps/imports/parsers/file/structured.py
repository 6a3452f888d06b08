"""Prompts as JSON: an array of prompt objects, `{"prompts": [...]}`, one prompt object, or
PromptVault's own export (`{"format": "promptvault-export", "prompts": [...]}`) whose
versions, tags, folders and metadata come back as they were. Arrays are streamed."""

import io
import json
import re
from collections.abc import Iterator

import ijson

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    ImportFormatError,
    Member,
    json_items,
    name_from_text,
)
from apps.imports.parsers.file.common import (
    SOURCE,
    moment,
    tag_colors,
    tag_names,
    text_value,
)

CONTENT_KEYS = ("content", "prompt", "text", "template", "body")
NAME_KEYS = ("name", "title", "act")
# Keys a list of prompts may carry besides name and content.
PROMPT_KEYS = {
    *CONTENT_KEYS,
    *NAME_KEYS,
    "id",
    "description",
    "tags",
    "folder",
    "category",
    "model",
    "metadata",
    "versions",
    "variables",
    "is_public",
    "created_at",
    "updated_at",
}
EXPORT_FORMAT = re.compile(rb'"format"\s*:\s*"promptvault-export"')
PEEK = 1024 * 1024
SINGLE_OBJECT_LIMIT = 20 * 1024 * 1024


def _content(item: dict) -> str | None:
    for key in CONTENT_KEYS:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def is_prompt_like(item) -> bool:
    """An object with prompt text and either a name or nothing but prompt fields (a chat
    message has text too, but also a role, a sender or a timestamp)."""
    if not isinstance(item, dict) or _content(item) is None:
        return False
    named = any(isinstance(item.get(key), str) and item[key].strip() for key in NAME_KEYS)
    return named or set(item) <= PROMPT_KEYS


def _first_item(head: bytes, prefix: str):
    try:
        for item in json_items(io.BytesIO(head), prefix):
            return item
    except (ijson.JSONError, ValueError):
        # The sample ends mid-document, or isn't JSON: what was read before decides.
        return None
    return None


def sniff_json(head: bytes) -> str | None:
    """Which layout of prompts the first bytes show ("array", "object", "export" or
    "single"), or None when they show no prompts."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    start = head.lstrip()[:1]
    if start == b"[":
        return "array" if is_prompt_like(_first_item(head, "item")) else None
    if start != b"{":
        return None
    if EXPORT_FORMAT.search(head[:8192]):
        return "export"
    if is_prompt_like(_first_item(head, "prompts.item")):
        return "object"
    if len(head) < PEEK:
        try:
            return "single" if is_prompt_like(json.loads(head)) else None
        except (ValueError, RecursionError):
            return None
    return None


def _peek(bundle: Bundle, name: str) -> bytes:
    with bundle.open(name) as stream:
        return stream.read(PEEK)


def parse_json(bundle: Bundle, member: Member) -> Iterator[Candidate]:
    head = _peek(bundle, member.name).removeprefix(b"\xef\xbb\xbf")
    start = head.lstrip()[:1]
    if start == b"[":
        items = bundle.iter_json_items(member.name, "item")
        export = False
    elif start == b"{":
        items = bundle.iter_json_items(member.name, "prompts.item")
        export = bool(EXPORT_FORMAT.search(head[:8192]))
    else:
        raise ImportFormatError(
            f"{member.name} is not a JSON list of prompts: it should start with [ or {{."
        )
    count = 0
    for index, item in enumerate(items):
        count += 1
        candidate = record_candidate(item, member.name, index, export=export)
        if candidate:
            yield candidate
    if start == b"{" and not count and not export and member.size <= SINGLE_OBJECT_LIMIT:
        document = bundle.load_json(member.name, max_bytes=SINGLE_OBJECT_LIMIT)
        if is_prompt_like(document):
            candidate = record_candidate(document, member.name, 0, export=False)
            if candidate:
                yield candidate


def _versions(value) -> list[dict]:
    if not isinstance(value, list):
        return []
    versions = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            continue
        entry = {
            "content": item["content"],
            "change_message": item.get("change_message")
            if isinstance(item.get("change_message"), str)
            else "",
            "metadata": item.get("metadata") if isinstance(item.get("metadata"), dict) else {},
        }
        number = item.get("version")
        if isinstance(number, int) and not isinstance(number, bool):
            entry["version"] = number
        for key in ("created_at", "author"):
            if isinstance(item.get(key), str):
                entry[key] = item[key]
        versions.append(entry)
    if all("version" in entry for entry in versions):
        versions.sort(key=lambda entry: entry["version"])
    return versions


def record_candidate(item, path: str, index: int, *, export: bool) -> Candidate | None:
    """A prompt from one JSON object. Text is kept exactly as written (no trimming), so
    PromptVault's export comes back unchanged."""
    if not isinstance(item, dict):
        return None
    versions = _versions(item.get("versions"))
    content = _content(item)
    if content is None and versions:
        content = versions[-1]["content"]
    if content is None or not content.strip():
        return None
    name = next(
        (item[key] for key in NAME_KEYS if isinstance(item.get(key), str) and item[key].strip()),
        None,
    )
    metadata = dict(item["metadata"]) if isinstance(item.get("metadata"), dict) else {}
    colors = tag_colors(item.get("tags"))
    if colors:
        # Tag colours travel with the prompt so they can be restored with the tags.
        metadata["tag_colors"] = colors
    description = item.get("description")
    folder = item.get("folder") if isinstance(item.get("folder"), str) else item.get("category")
    reference = {"path": path, "index": index}
    if export:
        reference["format"] = "promptvault-export"
        if isinstance(item.get("key"), str) and item["key"].strip():
            reference["prompt_key"] = item["key"].strip()[:100]
        if isinstance(item.get("updated_at"), str):
            # Kept as written, so the import can restore it (the candidate has only a
            # creation date).
            reference["updated_at"] = item["updated_at"][:64]
        labels = item.get("labels")
        if isinstance(labels, dict) and labels:
            # {name: version number}; the import checks both.
            reference["labels"] = {
                str(name)[:60]: number
                for name, number in list(labels.items())[:50]
                if isinstance(number, int) and not isinstance(number, bool)
            }
    if isinstance(item.get("is_public"), bool):
        reference["is_public"] = item["is_public"]
    return Candidate(
        name=name if name is not None else name_from_text(content),
        content=content,
        source=SOURCE,
        model=text_value(item.get("model"), 100) if isinstance(item.get("model"), str) else "",
        created_at=moment(item.get("created_at", item.get("createdAt"))),
        reference=reference,
        description=description if isinstance(description, str) else "",
        tags=tag_names(item.get("tags")),
        folder=folder.strip()[:500] if isinstance(folder, str) else "",
        metadata=metadata,
        versions=versions,
    )
