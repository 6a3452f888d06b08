"""ChatGPT exports: `conversations.json`, or shards `conversations-000.json`… in newer zips.

Each conversation keeps its messages in `mapping`, a tree linked by `parent`: editing a message
starts a sibling branch. The branch the user kept ends at `current_node`; user messages on the
other branches are earlier drafts, offered too but marked as such.
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
)
from apps.imports.parsers.chat import (
    COUNT_LIMIT_BYTES,
    count_items,
    identifier,
    iter_conversations,
    listed,
    numbered,
    peek_json,
    plural,
    short_title,
    time_of,
)

SOURCE = "chatgpt"

CONVERSATION_FILE = re.compile(r"(^|/)conversations(-(\d+))?\.json$", re.IGNORECASE)
# Files that only a ChatGPT export has next to its conversations.
COMPANION_FILES = {
    "export_manifest.json",
    "chat.html",
    "user.json",
    "message_feedback.json",
    "shared_conversations.json",
    "model_comparisons.json",
}
PROMPT_CONTENT_TYPES = {"text", "multimodal_text"}
# How far below a prompt the reply naming the model is looked for (tool calls may come first).
REPLY_SEARCH_DEPTH = 32
MODEL_LENGTH = 100


# --- Detection -------------------------------------------------------------------------------


def conversation_files(bundle: Bundle) -> list[str]:
    """The conversations files, shards in order; a lone JSON upload of any name qualifies."""

    def order(name: str):
        match = CONVERSATION_FILE.search(name)
        return (name[: match.start()], int(match.group(3) or -1))

    names = [member.name for member in bundle.members() if CONVERSATION_FILE.search(member.name)]
    if names:
        return sorted(names, key=order)
    members = bundle.members()
    if len(members) == 1 and members[0].name.lower().endswith(".json"):
        return [members[0].name]
    return []


def _has_companions(bundle: Bundle) -> bool:
    return any(
        PurePosixPath(member.name).name.lower() in COMPANION_FILES for member in bundle.members()
    )


def detect(bundle: Bundle) -> Detection | None:
    names = conversation_files(bundle)
    if not names:
        return None
    peek = peek_json(bundle, names[0])
    if peek.not_utf8 and CONVERSATION_FILE.search(names[0]):
        # Named like a chat export but unreadable: say why rather than "unrecognised".
        raise ImportFormatError(f"{names[0]} isn't UTF-8 text. Download the export again.")
    if peek.kind != "array":
        return None
    if peek.fields is not None:
        if "mapping" not in peek.fields:
            return None
    elif not _has_companions(bundle):
        return None
    count = count_items(bundle, names, max_bytes=COUNT_LIMIT_BYTES)
    if count is not None:
        return Detection(SOURCE, f"ChatGPT export: {plural(count, 'conversation')}")
    size = sum(member.size for member in bundle.members() if member.name in names)
    return Detection(
        SOURCE,
        f"ChatGPT export ({plural(len(names), 'conversations file')}, "
        f"{size / (1024 * 1024):,.0f} MB)",
    )


# --- Parsing ---------------------------------------------------------------------------------


def parse(bundle: Bundle) -> Iterator[Candidate]:
    names = conversation_files(bundle)
    if not names:
        raise ImportFormatError(
            "This upload has no conversations.json. A ChatGPT export (Settings → Data controls "
            "→ Export data) arrives as a zip holding it: upload that zip."
        )
    conversations = iter_conversations(
        bundle,
        names,
        accept=lambda item: isinstance(item.get("mapping"), dict),
        none_found="The file holds no ChatGPT conversations (none has a message tree). Check "
        "that you chose the right source.",
    )
    for conversation in conversations:
        yield from conversation_prompts(conversation)


def conversation_prompts(conversation: dict) -> list[Candidate]:
    nodes = {key: node for key, node in conversation["mapping"].items() if isinstance(node, dict)}
    # `parent` links decide; a node without one (seen in real exports) takes the node whose
    # `children` list names it, since `children` lists can disagree with the links otherwise.
    listed_by: dict[str, str] = {}
    for key, node in nodes.items():
        for child in listed(node.get("children")):
            if isinstance(child, str) and child in nodes and child != key:
                listed_by.setdefault(child, key)
    parent_of: dict[str, str | None] = {}
    children_of: dict[str, list[str]] = {key: [] for key in nodes}
    for key, node in nodes.items():
        parent = node.get("parent")
        if "parent" not in node:
            parent = listed_by.get(key)
        if isinstance(parent, str) and parent in nodes and parent != key:
            parent_of[key] = parent
            children_of[parent].append(key)
        else:
            parent_of[key] = None
    roots = [key for key, parent in parent_of.items() if parent is None]
    kept = kept_branch(conversation.get("current_node"), parent_of, children_of, roots)

    conversation_id = identifier(conversation.get("conversation_id")) or identifier(
        conversation.get("id")
    )
    title = short_title(conversation.get("title"))
    default_model = conversation.get("default_model_slug")
    default_model = default_model if isinstance(default_model, str) else ""
    created = time_of(conversation.get("create_time"))

    candidates = []
    for key in tree_order(roots, children_of):
        message = nodes[key].get("message")
        text = prompt_text(message)
        if not text:
            continue
        branch = "kept" if key in kept else "draft"
        model = reply_model(key, nodes, children_of, kept) or default_model
        candidates.append(
            Candidate(
                name="",
                content=text,
                source=SOURCE,
                model=model[:MODEL_LENGTH],
                created_at=time_of(message.get("create_time")) or created,
                reference={
                    "conversation_id": conversation_id,
                    "conversation_title": title,
                    "message_id": identifier(message.get("id")) or key,
                    "branch": branch,
                },
                metadata=attachments_of(message),
                kept=branch == "kept",
            )
        )
    numbered(candidates, title)
    return candidates


def kept_branch(current, parent_of, children_of, roots) -> set[str]:
    """The nodes from `current_node` up to the root."""
    branch = set()
    if isinstance(current, str) and current in parent_of:
        # Parents can form a cycle in a damaged file: stop at the first repeat.
        while current is not None and current not in branch:
            branch.add(current)
            current = parent_of[current]
        if current is None:
            return branch
    # No usable current_node (missing, unknown, or on a cycle): the latest branch at every
    # fork, which is what ChatGPT shows by default.
    branch = set()
    current = roots[0] if roots else None
    while current is not None and current not in branch:
        branch.add(current)
        children = children_of[current]
        current = children[-1] if children else None
    return branch


def tree_order(roots: list[str], children_of: dict[str, list[str]]) -> Iterator[str]:
    """Nodes depth first in the order they were written, so a draft comes before the message
    that replaced it. Iterative: conversations can be thousands of messages deep."""
    seen = set()
    stack = list(reversed(roots))
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        yield key
        stack.extend(reversed(children_of[key]))


def prompt_text(message) -> str:
    """The text the user wrote in `message`, or "" when it isn't a visible user prompt."""
    if not isinstance(message, dict):
        return ""
    author = message.get("author")
    if not isinstance(author, dict) or author.get("role") != "user":
        return ""
    metadata = message.get("metadata")
    if isinstance(metadata, dict) and (
        metadata.get("is_visually_hidden_from_conversation")
        or metadata.get("is_user_system_message")  # the user's custom instructions
    ):
        return ""
    content = message.get("content")
    if not isinstance(content, dict) or content.get("content_type") not in PROMPT_CONTENT_TYPES:
        return ""
    parts = content.get("parts")
    if not isinstance(parts, list):
        return ""
    pieces = []
    for part in parts:
        if isinstance(part, dict) and part.get("content_type") == "audio_transcription":
            part = part.get("text")
        if isinstance(part, str) and part.strip():
            pieces.append(part)
    return clean_text("\n\n".join(pieces))


def reply_model(key, nodes, children_of, kept) -> str:
    """The model that answered: the first assistant message below the prompt, following the
    kept branch where it forks."""
    current = key
    for _ in range(REPLY_SEARCH_DEPTH):
        children = children_of.get(current) or []
        if not children:
            return ""
        current = next((child for child in children if child in kept), children[-1])
        message = nodes[current].get("message")
        if not isinstance(message, dict):
            continue
        author = message.get("author")
        role = author.get("role") if isinstance(author, dict) else None
        if role == "user":
            return ""
        metadata = message.get("metadata")
        if role == "assistant" and isinstance(metadata, dict):
            slug = metadata.get("model_slug")
            if isinstance(slug, str) and slug:
                return slug
    return ""


def attachments_of(message: dict) -> dict:
    metadata = message.get("metadata")
    files = metadata.get("attachments") if isinstance(metadata, dict) else None
    if not isinstance(files, list):
        return {}
    attachments = [
        {
            key: value
            for key, value in file.items()
            if key in ("name", "mime_type", "size")
            and isinstance(value, str | int | float)
            and not isinstance(value, bool)
        }
        for file in files
        if isinstance(file, dict)
    ]
    return {"attachments": attachments} if attachments else {}
