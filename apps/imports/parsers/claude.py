"""Claude exports: `conversations.json` (one JSON array, often a single line of hundreds of MB)
and the projects, in `projects.json` (older) or one `projects/<uuid>.json` per project (newer).

A human turn's words are in `content` blocks and again in the legacy `text` field; pasted
documents arrive as attachments whose extracted text is context, not the prompt.
"""

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    clean_text,
    name_from_text,
)
from apps.imports.parsers.chat import (
    count_items,
    identifier,
    iter_conversations,
    listed,
    numbered,
    peek_json,
    plural,
    require_array,
    short_title,
    time_of,
)

SOURCE = "claude"

CONVERSATION_FILE = re.compile(r"(^|/)conversations\.json$", re.IGNORECASE)
PROJECTS_FILE = re.compile(r"(^|/)projects\.json$", re.IGNORECASE)
PROJECT_FILE = re.compile(r"(^|/)projects/[^/]+\.json$", re.IGNORECASE)
COMPANION_FILES = {"users.json", "projects.json", "memories.json"}
TEXT_BLOCKS = {"text", "voice_note"}
MODEL_LENGTH = 100


# --- Detection -------------------------------------------------------------------------------


def conversation_files(bundle: Bundle) -> list[str]:
    names = sorted(m.name for m in bundle.members() if CONVERSATION_FILE.search(m.name))
    if names:
        return names
    # A lone JSON upload of any name, unless it is a projects file.
    members = bundle.members()
    if (
        len(members) == 1
        and members[0].name.lower().endswith(".json")
        and not (PROJECTS_FILE.search(members[0].name) or PROJECT_FILE.search(members[0].name))
    ):
        return [members[0].name]
    return []


def project_files(bundle: Bundle) -> list[str]:
    return sorted(
        m.name
        for m in bundle.members()
        if PROJECTS_FILE.search(m.name) or PROJECT_FILE.search(m.name)
    )


def _is_conversation(fields: dict) -> bool:
    return "chat_messages" in fields


def _is_project(fields: dict) -> bool:
    return "prompt_template" in fields or ("docs" in fields and "uuid" in fields)


def detect(bundle: Bundle) -> Detection | None:
    conversations = []
    for name in conversation_files(bundle):
        peek = peek_json(bundle, name)
        if peek.kind != "array":
            continue
        if peek.fields is not None and _is_conversation(peek.fields):
            conversations.append(name)
        elif peek.fields is None and any(
            PurePosixPath(member.name).name.lower() in COMPANION_FILES
            or PROJECT_FILE.search(member.name)
            for member in bundle.members()
        ):
            conversations.append(name)  # an empty export, recognised by what comes with it
    projects = [name for name in project_files(bundle) if _looks_like_projects(bundle, name)]
    if not conversations and not projects:
        return None
    count = count_items(bundle, conversations) if conversations else 0
    if count is None:
        size = sum(m.size for m in bundle.members() if m.name in conversations)
        found = f"conversations.json of {size / (1024 * 1024):,.0f} MB"
    else:
        found = plural(count, "conversation")
    if projects:
        listed = [name for name in projects if PROJECTS_FILE.search(name)]
        listed_count = count_items(bundle, listed) if listed else 0
        if listed_count is None:
            found += " and projects"
        elif listed_count + len(projects) - len(listed):
            found += ", " + plural(listed_count + len(projects) - len(listed), "project")
    return Detection(SOURCE, f"Claude export: {found}")


def _looks_like_projects(bundle: Bundle, name: str) -> bool:
    peek = peek_json(bundle, name)
    if peek.kind == "array" and PROJECTS_FILE.search(name):
        return peek.fields is None or _is_project(peek.fields)
    return peek.kind == "object" and _is_project(peek.fields)


# --- Parsing ---------------------------------------------------------------------------------


def parse(bundle: Bundle) -> Iterator[Candidate]:
    conversation_names = conversation_files(bundle)
    project_names = project_files(bundle)
    if not conversation_names and not project_names:
        raise ImportFormatError(
            "This upload has no conversations.json. A Claude export (Settings → Privacy → "
            "Export data) arrives as a zip holding it: upload that zip."
        )
    conversations = iter_conversations(
        bundle,
        conversation_names,
        accept=lambda item: isinstance(item.get("chat_messages"), list),
        none_found="The file holds no Claude conversations (none has chat messages). Check "
        "that you chose the right source.",
    )
    for conversation in conversations:
        yield from conversation_prompts(conversation)
    for name in project_names:
        yield from project_prompts(bundle, name)


def conversation_prompts(conversation: dict) -> list[Candidate]:
    conversation_id = identifier(conversation.get("uuid"))
    title = short_title(conversation.get("name"))
    created = time_of(conversation.get("created_at"))
    model = conversation.get("model")
    model = model if isinstance(model, str) else ""
    candidates = []
    for message in conversation["chat_messages"]:
        if not isinstance(message, dict) or message.get("sender") != "human":
            continue
        text = message_text(message)
        if not text:
            continue  # a turn that only uploaded files
        message_model = message.get("model")
        candidates.append(
            Candidate(
                name="",
                content=text,
                source=SOURCE,
                model=(message_model if isinstance(message_model, str) else model)[:MODEL_LENGTH],
                created_at=time_of(message.get("created_at"))
                or _first_block_time(message)
                or created,
                reference={
                    "conversation_id": conversation_id,
                    "conversation_title": title,
                    "message_id": identifier(message.get("uuid")),
                },
                metadata=context_of(message),
            )
        )
    numbered(candidates, title)
    return candidates


def _first_block_time(message: dict):
    """When the turn was written, from its first block (2025 exports stamp each block)."""
    for block in listed(message.get("content")):
        if isinstance(block, dict) and block.get("start_timestamp"):
            return time_of(block["start_timestamp"])
    return None


def message_text(message: dict) -> str:
    """The turn's words: its text and voice blocks, or the legacy `text` when there are none
    (the two carry the same words, so they are never joined)."""
    pieces = []
    blocks = message.get("content")
    if isinstance(blocks, list):
        for block in blocks:
            if isinstance(block, dict) and block.get("type") in TEXT_BLOCKS:
                text = block.get("text")
                if isinstance(text, str) and text.strip():
                    pieces.append(text)
    if not pieces:
        text = message.get("text")
        if isinstance(text, str):
            pieces.append(text)
    return clean_text("\n\n".join(pieces))


def context_of(message: dict) -> dict:
    """Attachments (with the text Claude extracted from them) and file names: the context the
    prompt was written against, kept beside it rather than in it."""
    context = {}
    attachments = []
    for attachment in listed(message.get("attachments")):
        if not isinstance(attachment, dict):
            continue
        entry = {}
        for key in ("file_name", "file_type", "file_size", "extracted_content"):
            value = attachment.get(key)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                entry[key] = value
        if entry:
            attachments.append(entry)
    if attachments:
        context["attachments"] = attachments
    files = [
        file["file_name"]
        for file in listed(message.get("files"))
        if isinstance(file, dict) and isinstance(file.get("file_name"), str)
    ]
    if files:
        context["files"] = files
    return context


def project_prompts(bundle: Bundle, name: str) -> Iterator[Candidate]:
    if PROJECTS_FILE.search(name):
        require_array(bundle, name, "projects")
        projects = bundle.iter_json_items(name)
    else:
        loaded = bundle.load_json(name)
        projects = loaded if isinstance(loaded, list) else [loaded]
    for project in projects:
        if not isinstance(project, dict):
            continue
        template = project.get("prompt_template")
        if not isinstance(template, str) or not clean_text(template):
            continue
        if project.get("is_starter_project") is True:
            continue  # Anthropic's example project, not the person's instructions
        project_name = short_title(project.get("name"))
        description = project.get("description")
        yield Candidate(
            name=f"{project_name} — project instructions"
            if project_name
            else name_from_text(template),
            content=clean_text(template),
            source=SOURCE,
            created_at=time_of(project.get("created_at")),
            reference={
                "project_uuid": identifier(project.get("uuid")),
                "project_name": project_name,
            },
            description=clean_text(description) if isinstance(description, str) else "",
        )
