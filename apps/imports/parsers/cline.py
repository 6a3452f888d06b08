"""Cline (formerly Claude Dev), the VS Code agent: task folders from its global storage, the
task index, and the Markdown older versions exported.

    saoudrizwan.claude-dev/state/taskHistory.json           [{id, ts, task, ...}]
    saoudrizwan.claude-dev/tasks/<taskId>/ui_messages.json  what the chat panel showed
                                 api_conversation_history.json   what the model was sent
                                 task_metadata.json              models used, files in context

Only the person's own words become prompts: the task they started with, the feedback and
answers they typed later. The model's replies, its questions, tool output and the editor state
Cline appends to every request are left out.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from apps.imports.parsers.base import (
    NAME_LENGTH,
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    Member,
    UnsafeArchiveError,
    clean_text,
    name_from_text,
    timestamp,
)

SOURCE = "cline"

# `claude_messages.json` is what the chat panel's file was called before the rename to Cline.
UI_FILE = re.compile(r"(?:^|/)(?:ui_messages|claude_messages)\.json$", re.IGNORECASE)
API_FILE = re.compile(r"(?:^|/)api_conversation_history\.json$", re.IGNORECASE)
METADATA_FILE = re.compile(r"(?:^|/)task_metadata\.json$", re.IGNORECASE)
HISTORY_FILE = re.compile(r"(?:^|/)taskHistory\.json$", re.IGNORECASE)
MARKDOWN_FILE = re.compile(r"\.(?:md|markdown)$", re.IGNORECASE)

# What the person typed, as Cline wraps it before sending it to the model.
USER_WRAPPERS = re.compile(
    r"<(task|feedback|answer|user_message)>\s*(.*?)\s*</\1>", re.DOTALL | re.IGNORECASE
)
ENVIRONMENT = re.compile(
    r"<environment_details>.*?(?:</environment_details>|\Z)", re.DOTALL | re.IGNORECASE
)
# Files the person mentioned, pasted whole by Cline: context, not their words.
FILE_CONTENT = re.compile(
    r"<file_content\b[^>]*>.*?(?:</file_content>|\Z)", re.DOTALL | re.IGNORECASE
)
# "[read_file for 'x'] Result:", "[ERROR] …", "[TASK RESUMPTION] …": written by Cline itself.
CLINE_NOTE = re.compile(r"^\s*\[[^\]\n]{1,200}\]")

PEEK = 8192
MARKDOWN_PEEK_FILES = 20


# --- Detection ------------------------------------------------------------------------------


def _peek(bundle: Bundle, name: str, size: int = PEEK) -> str:
    with bundle.open(name) as stream:
        return stream.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")


def _sniff_json(head: str) -> str | None:
    """Which Cline file a JSON document is, from its first bytes (for uploads whose file
    name was lost)."""
    if not head.lstrip().startswith("["):
        return None
    if re.search(r'"type"\s*:\s*"(?:say|ask)"', head) and re.search(r'"ts"\s*:', head):
        return "ui"
    if re.search(r'"role"\s*:\s*"user"', head) and re.search(r"<task>", head):
        return "api"
    if re.search(r'"task"\s*:\s*"', head) and re.search(r'"ts"\s*:\s*\d', head):
        if re.search(r'"id"\s*:', head):
            return "history"
    return None


def _is_markdown_export(head: str) -> bool:
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if not lines:
        return False
    first = lines[0]
    if re.match(r"^#\s+Task\b", first) and any(
        re.match(r"^##\s+Conversation\b", line) or _speaker(line) for line in lines
    ):
        return True
    if _speaker(first) == "user":
        return True
    return bool(
        any(_speaker(line) == "user" for line in lines)
        and re.search(r"<task>", head)
        and any(_speaker(line) == "assistant" for line in lines)
    )


def _kind(bundle: Bundle, member: Member, *, sniff: bool) -> str | None:
    name = member.name
    if UI_FILE.search(name):
        return "ui"
    if API_FILE.search(name):
        return "api"
    if METADATA_FILE.search(name):
        return "metadata"
    if HISTORY_FILE.search(name):
        return "history"
    if not sniff:
        return None
    if MARKDOWN_FILE.search(name):
        return "markdown" if _is_markdown_export(_peek(bundle, name)) else None
    head = _peek(bundle, name)
    return _sniff_json(head) or ("markdown" if _is_markdown_export(head) else None)


def _classify(bundle: Bundle, *, markdown_limit: int | None = None) -> dict[str, list[Member]]:
    """Cline's files in the upload by kind. Looking inside a file costs a read, so only a
    lone file (whose name may have been lost) and Markdown files are opened, at most
    `markdown_limit` of the latter."""
    members = bundle.members()
    single = len(members) == 1
    kinds: dict[str, list[Member]] = {}
    peeked = 0
    for member in members:
        sniff = single
        if not single and MARKDOWN_FILE.search(member.name):
            sniff = markdown_limit is None or peeked < markdown_limit
            peeked += 1
        kind = _kind(bundle, member, sniff=sniff)
        if kind:
            kinds.setdefault(kind, []).append(member)
    return kinds


def _task_folder(name: str) -> str:
    return str(PurePosixPath(name).parent)


def _task_id(folder: str) -> str | None:
    return None if folder in ("", ".") else PurePosixPath(folder).name


def detect(bundle: Bundle) -> Detection | None:
    kinds = _classify(bundle, markdown_limit=MARKDOWN_PEEK_FILES)
    tasks = {_task_folder(m.name) for m in kinds.get("ui", []) + kinds.get("api", [])}
    markdown = len(kinds.get("markdown", []))
    if not tasks and not markdown and not kinds.get("history"):
        return None
    parts = []
    if tasks:
        parts.append(f"{len(tasks):,} task{'s' if len(tasks) != 1 else ''}")
    if markdown:
        parts.append(f"{markdown:,} exported task{'s' if markdown != 1 else ''}")
    if not parts:
        parts.append("task history")
    return Detection(SOURCE, "Cline: " + ", ".join(parts))


# --- Parsing --------------------------------------------------------------------------------


@dataclass
class _HistoryEntry:
    task: str
    ts: object = None
    path: str = ""


@dataclass
class _Task:
    folder: str
    ui: Member | None = None
    api: Member | None = None
    metadata: Member | None = None


def parse(bundle: Bundle) -> Iterator[Candidate]:
    kinds = _classify(bundle)
    history = _read_history(bundle, kinds.get("history", []))

    tasks: dict[str, _Task] = {}
    for kind in ("ui", "api", "metadata"):
        for member in kinds.get(kind, []):
            folder = _task_folder(member.name)
            task = tasks.setdefault(folder, _Task(folder))
            # A folder with two copies of the same file (unusual) reads the first.
            if getattr(task, kind) is None:
                setattr(task, kind, member)

    read_ids = set()
    for folder in sorted(tasks):
        task = tasks[folder]
        if task.ui is None and task.api is None:
            continue
        task_id = _task_id(folder)
        read_ids.add(task_id)
        entry = history.get(task_id) if task_id else None
        default_model = _metadata_model(bundle, task.metadata)
        if task.ui is not None:
            yield from _from_ui(bundle, task.ui, task_id, entry, default_model)
        else:
            yield from _from_api(bundle, task.api, task_id, entry, default_model)

    # Tasks the index knows about but whose folders weren't uploaded: their first prompt.
    for task_id, entry in history.items():
        if task_id in read_ids:
            continue
        content = clean_text(entry.task)
        if content:
            yield Candidate(
                name=name_from_text(content),
                content=content,
                source=SOURCE,
                created_at=timestamp(entry.ts),
                reference=_reference(task_id, entry.path, name_from_text(content), "task"),
            )

    for member in kinds.get("markdown", []):
        yield from _from_markdown(bundle, member)


def _reference(task_id, path: str, title: str, role: str, message: int | None = None) -> dict:
    reference = {"task_id": task_id, "path": path, "title": title, "role": role}
    if message is not None:
        reference["message"] = message
    return reference


def _read_history(bundle: Bundle, members: list[Member]) -> dict[str, _HistoryEntry]:
    history: dict[str, _HistoryEntry] = {}
    for member in members:
        for item in bundle.iter_json_items(member.name):
            if not isinstance(item, dict):
                continue
            task_id = item.get("id")
            task = item.get("task")
            if isinstance(task_id, str | int) and isinstance(task, str):
                entry = _HistoryEntry(task=task, ts=item.get("ts"), path=member.name)
                history.setdefault(str(task_id), entry)
    return history


def _metadata_model(bundle: Bundle, member: Member | None) -> str:
    """The first model the task used, from task_metadata.json's `model_usage`."""
    if member is None:
        return ""
    try:
        document = bundle.load_json(member.name, max_bytes=5 * 1024 * 1024)
    except UnsafeArchiveError:
        raise
    except (ImportFormatError, RecursionError):
        return ""  # the metadata only adds a model name; a damaged copy costs nothing
    usage = document.get("model_usage") if isinstance(document, dict) else None
    for item in usage if isinstance(usage, list) else []:
        if isinstance(item, dict) and isinstance(item.get("model_id"), str):
            return item["model_id"][:100]
    return ""


def _task_started(task_id, entry: _HistoryEntry | None):
    """When the task began: the index says, and Cline names task folders by that moment."""
    if entry and entry.ts is not None:
        return timestamp(entry.ts)
    if task_id and re.fullmatch(r"\d{10,13}", task_id):
        return timestamp(task_id)
    return None


def _task_title(entry: _HistoryEntry | None, content: str) -> str:
    if entry and clean_text(entry.task):
        return name_from_text(entry.task)
    return name_from_text(content)


def _extra_metadata(message: dict) -> dict:
    metadata = {}
    images = message.get("images")
    if isinstance(images, list) and images:
        metadata["images"] = len(images)
    files = message.get("files")
    if isinstance(files, list):
        names = [item for item in files if isinstance(item, str)][:50]
        if names:
            metadata["files"] = names
    return metadata


def _from_ui(
    bundle: Bundle, member: Member, task_id, entry: _HistoryEntry | None, default_model: str
) -> Iterator[Candidate]:
    found: list[Candidate] = []
    waiting: list[Candidate] = []  # prompts whose model is named by a later message
    last_model = ""
    first_say = True
    title = name_from_text(entry.task) if entry and clean_text(entry.task) else None
    for index, message in enumerate(bundle.iter_json_items(member.name)):
        if not isinstance(message, dict):
            continue
        model_info = message.get("modelInfo")
        own_model = model_info.get("modelId") if isinstance(model_info, dict) else None
        own_model = own_model.strip()[:100] if isinstance(own_model, str) else ""
        if own_model:
            last_model = own_model
            for candidate in waiting:
                candidate.model = own_model
            waiting = []
        if message.get("type") != "say":
            continue
        say = message.get("say")
        role = None
        if first_say and say in ("text", "task"):
            role = "task"
        elif say == "user_feedback":
            role = "feedback"
        first_say = False
        text = message.get("text")
        content = clean_text(text) if isinstance(text, str) else ""
        if role is None or not content:
            continue
        if role == "task" and title is None:
            title = name_from_text(content)
        candidate = Candidate(
            name=_task_title(entry, content) if role == "task" else name_from_text(content),
            content=content,
            source=SOURCE,
            model=own_model,
            created_at=timestamp(message.get("ts")),
            reference=_reference(task_id, member.name, title or "", role, index),
            metadata=_extra_metadata(message),
        )
        if not candidate.model:
            waiting.append(candidate)
        found.append(candidate)
    for candidate in waiting:
        candidate.model = last_model or default_model
    for candidate in found:
        candidate.reference["title"] = candidate.reference["title"] or title or ""
    yield from found


def _user_texts(content) -> Iterator[str]:
    """Text blocks of a user turn sent to the model; tool results are Cline's, not the
    person's."""
    if isinstance(content, str):
        yield content
        return
    if not isinstance(content, list):
        return
    for block in content:
        if isinstance(block, dict) and block.get("type") == "text":
            text = block.get("text")
            if isinstance(text, str):
                yield text


def _wrapped(text: str) -> list[tuple[str, str]]:
    """(role, text) for each piece the person typed inside Cline's wrappers."""
    text = FILE_CONTENT.sub("", ENVIRONMENT.sub("", text))
    pieces = []
    for match in USER_WRAPPERS.finditer(text):
        inner = clean_text(match.group(2))
        if inner:
            pieces.append((match.group(1).lower(), inner))
    return pieces


def _from_api(
    bundle: Bundle, member: Member, task_id, entry: _HistoryEntry | None, default_model: str
) -> Iterator[Candidate]:
    """Newer Cline stamps each message (`ts`) and each reply with the model that wrote it
    (`modelInfo`): a prompt takes its own time and the model of the reply it got."""
    title = name_from_text(entry.task) if entry and clean_text(entry.task) else None
    found: list[Candidate] = []
    waiting: list[Candidate] = []  # prompts whose reply, which names the model, is to come
    last_model = ""
    for index, message in enumerate(bundle.iter_json_items(member.name)):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "assistant":
            model_info = message.get("modelInfo")
            model = model_info.get("modelId") if isinstance(model_info, dict) else None
            if isinstance(model, str) and model.strip():
                last_model = model.strip()[:100]
                for candidate in waiting:
                    candidate.model = last_model
                waiting = []
            continue
        if message.get("role") != "user":
            continue
        for text in _user_texts(message.get("content")):
            for role, content in _wrapped(text):
                role = "task" if role == "task" else ("answer" if role == "answer" else "feedback")
                if role == "task" and title is None:
                    title = name_from_text(content)
                created_at = timestamp(message.get("ts"))
                if created_at is None and role == "task":
                    created_at = _task_started(task_id, entry)
                candidate = Candidate(
                    name=_task_title(entry, content) if role == "task" else name_from_text(content),
                    content=content,
                    source=SOURCE,
                    model=default_model,
                    created_at=created_at,
                    reference=_reference(task_id, member.name, title or "", role, index),
                )
                found.append(candidate)
                waiting.append(candidate)
    for candidate in waiting:
        candidate.model = last_model or default_model
    yield from found


# --- The Markdown export of older versions --------------------------------------------------

SPEAKER_HEADING = re.compile(r"^#{2,4}\s*\**(Human|User|Assistant|Cline|Claude)\**\s*:?\s*$", re.I)
SPEAKER_BOLD = re.compile(r"^\*\*(Human|User|Assistant|Cline|Claude):?\*\*:?\s*(.*)$", re.I)
FENCE = re.compile(r"^\s*(```|~~~)")


def _speaker(line: str) -> str | None:
    match = SPEAKER_HEADING.match(line.strip()) or SPEAKER_BOLD.match(line.strip())
    if not match:
        return None
    return "user" if match.group(1).lower() in ("human", "user") else "assistant"


def _markdown_user_pieces(text: str) -> list[tuple[str, str]]:
    text = clean_text(text)
    # The bold style separates turns with a rule.
    text = re.sub(r"\n-{3,}\s*$", "", text).strip()
    pieces = _wrapped(text)
    if pieces:
        return pieces
    text = clean_text(ENVIRONMENT.sub("", text))
    if not text or CLINE_NOTE.match(text):
        return []
    return [("message", text)]


def _from_markdown(bundle: Bundle, member: Member) -> Iterator[Candidate]:
    title = ""
    speaker = None
    lines: list[str] = []
    in_fence = False
    turn = 0
    first_user = True

    def finish():
        nonlocal first_user, title
        if speaker != "user":
            return
        for role, content in _markdown_user_pieces("\n".join(lines)):
            if role == "message":
                role = "task" if first_user else "feedback"
            first_user = False
            if role == "task" and not title:
                title = name_from_text(content)
            yield role, content

    with bundle.open_text(member.name, allow_legacy=True) as text:
        for raw_line in text:
            line = raw_line.rstrip("\n")
            if FENCE.match(line):
                in_fence = not in_fence
            if not in_fence:
                heading = re.match(r"^#\s+Task\b[\s:.\-–—]*(.*)$", line.strip())
                if heading and not title and speaker is None:
                    title = heading.group(1).strip()[:NAME_LENGTH]
                    continue
                who = _speaker(line)
                if who:
                    for role, content in finish():
                        yield _markdown_candidate(member, title, role, content, turn)
                    speaker = who
                    turn += 1
                    lines = []
                    rest = SPEAKER_BOLD.match(line.strip())
                    if rest and rest.group(2):
                        lines.append(rest.group(2))
                    continue
            if speaker is not None:
                lines.append(line)
        for role, content in finish():
            yield _markdown_candidate(member, title, role, content, turn)


def _markdown_candidate(member: Member, title: str, role: str, content: str, turn: int):
    name = title if role == "task" and title else name_from_text(content)
    return Candidate(
        name=name,
        content=content,
        source=SOURCE,
        reference=_reference(None, member.name, title or name_from_text(content), role, turn),
    )
