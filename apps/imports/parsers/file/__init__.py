"""Prompts people keep in files: Markdown and text (with or without front matter, one prompt
or many), JSON (lists of prompts and PromptVault's own export), CSV, Prompty and Dotprompt;
one file or a zip of many.

Detection is strict where the others are shapes too: a file only counts when it holds
something prompt-like (readable text, a JSON list of prompt objects, a CSV with a prompt
column), so an unrelated upload gets the "not recognised" answer instead of an empty import.
"""

from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath

from apps.imports.parsers.base import Bundle, Candidate, Detection, ImportFormatError, Member
from apps.imports.parsers.file.common import SOURCE
from apps.imports.parsers.file.markdown import parse_markdown
from apps.imports.parsers.file.structured import parse_json, sniff_json
from apps.imports.parsers.file.table import parse_csv, read_header
from apps.imports.parsers.file.templates import parse_template

__all__ = ["SOURCE", "detect", "parse"]

KINDS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".prompty": "prompty",
    ".prompt": "dotprompt",
}
LABELS = {
    "markdown": "Markdown",
    "text": "Text",
    "json": "JSON",
    "csv": "CSV",
    "prompty": "Prompty",
    "dotprompt": "Dotprompt",
}
TEXT_PEEK = 64 * 1024
JSON_PEEK = 1024 * 1024
# Detection looks inside at most this many files of a zip before giving up.
DETECT_PEEKS = 50


def _kind(member: Member) -> str | None:
    path = PurePosixPath(member.name)
    if path.name.startswith("."):
        return None
    return KINDS.get(path.suffix.lower())


def _peek(bundle: Bundle, name: str, size: int) -> bytes:
    with bundle.open(name) as stream:
        return stream.read(size)


def _decodes(head: bytes) -> str | None:
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut at the end of the sample
            return head[: error.start].decode("utf-8-sig")
        return head.decode("cp1252", errors="replace")


def _readable(bundle: Bundle, member: Member, kind: str) -> bool:
    """Whether a member is worth reading as `kind`: a cheap look at its first bytes."""
    if member.size == 0:
        return False
    if kind == "json":
        return sniff_json(_peek(bundle, member.name, JSON_PEEK)) is not None
    head = _peek(bundle, member.name, TEXT_PEEK)
    if b"\x00" in head:
        return False
    text = _decodes(head)
    if kind == "csv":
        return read_header(text.partition("\n")[0]) is not None
    return bool(text and text.strip())


def _files(bundle: Bundle, *, limit: int | None = None) -> Iterator[tuple[Member, str]]:
    """(member, kind) for each member that holds prompts, in path order. A lone file whose
    name has no known extension is looked at as JSON."""
    members = sorted(bundle.members(), key=lambda member: member.name)
    peeks = 0
    for member in members:
        kind = _kind(member)
        if kind is None and len(members) == 1:
            kind = "json"
        if kind is None:
            continue
        if limit is not None and peeks >= limit:
            return
        peeks += 1
        if _readable(bundle, member, kind):
            yield member, kind


def _utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def detect(bundle: Bundle) -> Detection | None:
    members = bundle.members()
    first = next(_files(bundle, limit=DETECT_PEEKS), None)
    if first is None:
        lone = members[0] if len(members) == 1 else None
        if lone and _kind(lone) == "json" and not _utf8(_peek(bundle, lone.name, JSON_PEEK)):
            # Say what is wrong rather than "not recognised": JSON must be UTF-8.
            raise ImportFormatError(
                f"{lone.name} isn't UTF-8 text. Save it as UTF-8 and upload it again."
            )
        return None
    if len(members) == 1:
        member, kind = first
        return Detection(SOURCE, f"{LABELS[kind]} file: {PurePosixPath(member.name).name}")
    counts = Counter(kind for kind in map(_kind, members) if kind)
    total = sum(counts.values())
    detail = ", ".join(f"{count:,} {LABELS[kind]}" for kind, count in counts.most_common())
    return Detection(SOURCE, f"Prompt files: {total:,} ({detail})")


def parse(bundle: Bundle) -> Iterator[Candidate]:
    members = bundle.members()
    if len(members) == 1:
        # One file: read it even if it looks odd, so a problem is reported, not hidden.
        member = members[0]
        kind = _kind(member) or "json"
        yield from _parse_one(bundle, member, kind)
        return
    for member, kind in _files(bundle):
        yield from _parse_one(bundle, member, kind)


def _parse_one(bundle: Bundle, member: Member, kind: str) -> Iterator[Candidate]:
    if kind in ("markdown", "text"):
        yield from parse_markdown(bundle, member)
    elif kind == "json":
        yield from parse_json(bundle, member)
    elif kind == "csv":
        yield from parse_csv(bundle, member)
    else:
        yield from parse_template(bundle, member, kind)
