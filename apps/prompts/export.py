"""Streamed exports of a vault: JSON with every version (the format the importer reads back),
a zip of Markdown files with YAML front matter, and CSV. Prompts are read in chunks, so a vault
of any size exports in constant memory. The JSON format is described in docs/EXPORT_FORMAT.md.
"""

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

import yaml
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from apps.prompts.models import Prompt, PromptLabel, PromptTag, PromptVersion

EXPORT_FORMAT = "promptvault-export"
EXPORT_FORMAT_VERSION = 1
CHUNK = 500


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _chunks(queryset: QuerySet[Prompt]) -> Iterator[list[Prompt]]:
    """Prompts in primary-key order, CHUNK at a time, by keyset so no OFFSET scan grows."""
    last = None
    base = queryset.order_by("pk")
    while True:
        page = list(base.filter(pk__gt=last)[:CHUNK] if last else base[:CHUNK])
        if not page:
            return
        yield page
        last = page[-1].pk


def _tags_for(prompt_ids: list) -> dict:
    tags = defaultdict(list)
    rows = (
        PromptTag.objects.filter(prompt_id__in=prompt_ids)
        .select_related("tag")
        .order_by(Lower("tag__name"), "tag__name")
    )
    for row in rows:
        tags[row.prompt_id].append({"name": row.tag.name, "color": row.tag.color})
    return tags


def _versions_for(prompt_ids: list) -> dict:
    versions = defaultdict(list)
    rows = (
        PromptVersion.objects.filter(prompt_id__in=prompt_ids)
        .select_related("created_by")
        .order_by("prompt_id", "version")
    )
    for row in rows:
        versions[row.prompt_id].append(
            {
                "version": row.version,
                "content": row.content,
                "metadata": row.metadata or {},
                "change_message": row.change_message,
                "created_at": _iso(row.created_at),
                "author": row.created_by.display_name if row.created_by else None,
            }
        )
    return versions


def _labels_for(prompt_ids: list) -> dict:
    """Each prompt's labels as {name: version number}."""
    labels = defaultdict(dict)
    rows = (
        PromptLabel.objects.filter(prompt_id__in=prompt_ids)
        .order_by("prompt_id", "name")
        .values_list("prompt_id", "name", "version__version")
    )
    for prompt_id, name, number in rows:
        labels[prompt_id][name] = number
    return labels


def prompt_record(
    prompt: Prompt,
    tags: list[dict],
    versions: list[dict] | None = None,
    labels: dict | None = None,
) -> dict:
    record = {
        "id": str(prompt.pk),
        "key": prompt.key,
        "name": prompt.name,
        "description": prompt.description,
        "content": prompt.content,
        "model": prompt.model,
        "folder": prompt.folder,
        "tags": tags,
        "is_public": prompt.is_public,
        "metadata": prompt.metadata or {},
        "created_at": _iso(prompt.created_at),
        "updated_at": _iso(prompt.updated_at),
    }
    if versions is not None:
        record["versions"] = versions
    if labels is not None:
        record["labels"] = labels
    return record


def stream_json(queryset: QuerySet[Prompt], *, owner_name: str) -> Iterator[str]:
    header = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "owner": owner_name,
    }
    yield json.dumps(header, ensure_ascii=False, indent=2)[:-2] + ',\n  "prompts": [\n'
    first = True
    for chunk in _chunks(queryset):
        ids = [prompt.pk for prompt in chunk]
        tags = _tags_for(ids)
        versions = _versions_for(ids)
        labels = _labels_for(ids)
        for prompt in chunk:
            record = prompt_record(
                prompt,
                tags.get(prompt.pk, []),
                versions.get(prompt.pk, []),
                labels.get(prompt.pk, {}),
            )
            text = json.dumps(record, ensure_ascii=False, indent=2)
            yield ("" if first else ",\n") + _indent(text, 4)
            first = False
    yield "\n  ]\n}\n"


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))


CSV_COLUMNS = [
    "id",
    "name",
    "description",
    "content",
    "model",
    "folder",
    "tags",
    "is_public",
    "metadata",
    "created_at",
    "updated_at",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


# A spreadsheet runs a cell starting with one of these as a formula. Such cells get a leading
# apostrophe; so do cells that already start with one, which keeps the rule reversible: a reader
# drops one leading apostrophe from any text cell that has it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def stream_csv(queryset: QuerySet[Prompt]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: spreadsheets then read UTF-8
    for chunk in _chunks(queryset):
        tags = _tags_for([prompt.pk for prompt in chunk])
        for prompt in chunk:
            yield writer.writerow(
                [
                    prompt.pk,
                    csv_text(prompt.name),
                    csv_text(prompt.description),
                    csv_text(prompt.content),
                    csv_text(prompt.model),
                    csv_text(prompt.folder),
                    csv_text(", ".join(tag["name"] for tag in tags.get(prompt.pk, []))),
                    "true" if prompt.is_public else "false",
                    json.dumps(prompt.metadata or {}, ensure_ascii=False),
                    _iso(prompt.created_at),
                    _iso(prompt.updated_at),
                ]
            )


_UNSAFE = re.compile(r"[^\w\- ]+", re.UNICODE)


def markdown_filename(prompt: Prompt, used: set[str]) -> str:
    """A safe, unique path inside the zip: the folder path, then a slug of the name."""
    stem = _UNSAFE.sub("", prompt.name).strip().replace(" ", "-")[:80] or "prompt"
    folder_parts = [
        _UNSAFE.sub("", part).strip() or "folder" for part in prompt.folder.split("/") if part
    ]
    base = "/".join([*folder_parts, stem])
    candidate = f"{base}.md"
    counter = 2
    while candidate.casefold() in used:
        candidate = f"{base}-{counter}.md"
        counter += 1
    used.add(candidate.casefold())
    return candidate


def markdown_document(prompt: Prompt, tags: list[dict]) -> str:
    front = {
        "name": prompt.name,
        "description": prompt.description or None,
        "model": prompt.model,
        "folder": prompt.folder or None,
        "tags": [tag["name"] for tag in tags] or None,
        "public": prompt.is_public,
        "created_at": _iso(prompt.created_at),
        "updated_at": _iso(prompt.updated_at),
        "metadata": prompt.metadata or None,
    }
    front = {key: value for key, value in front.items() if value is not None}
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{prompt.content}\n"


class _ZipSink(io.RawIOBase):
    """A write-only stream that hands back whatever zipfile wrote since the last drain."""

    def __init__(self):
        self._parts: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def stream_markdown_zip(queryset: QuerySet[Prompt]) -> Iterable[bytes]:
    sink = _ZipSink()
    used: set[str] = set()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for chunk in _chunks(queryset):
            tags = _tags_for([prompt.pk for prompt in chunk])
            for prompt in chunk:
                name = markdown_filename(prompt, used)
                stamp = timezone.localtime(prompt.updated_at).timetuple()[:6]
                info = zipfile.ZipInfo(f"promptvault/{name}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, markdown_document(prompt, tags.get(prompt.pk, [])))
                yield sink.drain()
    yield sink.drain()
