"""ChatGPT exports: `conversations.json`, or shards `conversations-000.json`… in newer zips.

Each conversation keeps its messages in `mapping`, a tree linked by `parent`: editing a message
starts a sibling branch. The branch the user kept ends at `current_node`; user messages on the
other branches are earlier drafts, offered too but marked as such.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import ijson

from apps.imports.parsers.base import (
    JSON_MAX_DEPTH,
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    clean_text,
    name_from_text,
    timestamp,
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
UNTITLED = {"", "new chat"}
# How far below a prompt the reply naming the model is looked for (tool calls may come first).
REPLY_SEARCH_DEPTH = 32
# Counting the conversations for the summary means reading the files through; past this size
# the summary describes the files instead.
COUNT_LIMIT_BYTES = 25 * 1024 * 1024
TITLE_LENGTH = 200
MODEL_LENGTH = 100


# --- Reading helpers, shared with the Claude and Gemini readers -----------------------------


@dataclass
class JsonPeek:
    """What the first events of a JSON member show: its top-level kind ("array", "object",
    "scalar", or "invalid" when even the start can't be read) and the top-level fields of
    the object, or of an array's first item (scalars with their value, containers as `...`).
    `fields` is None when an array is empty or its first item isn't an object."""

    kind: str
    fields: dict | None = None
    not_utf8: bool = False  # reading stopped at bytes that aren't UTF-8


def open_json(bundle: Bundle, name: str):
    """A member as a binary stream positioned after any UTF-8 byte order mark."""
    stream = bundle.open(name)
    if stream.peek(3)[:3] == b"\xef\xbb\xbf":
        stream.read(3)
    return stream


SCALAR_EVENTS = {"string", "number", "boolean", "null"}


def peek_json(bundle: Bundle, name: str, *, max_events: int = 20_000) -> JsonPeek:
    """Read only as far as the end of the first array item or object (or `max_events`).
    Damage further on doesn't matter here; whatever was read before it counts. Works on
    prefix-free events with its own depth count, so a hostile, deeply nested file costs no
    more than a flat one."""
    peek = JsonPeek("invalid")
    depth = 0
    fields_depth = 0  # where the fields of the first item (or of the object) live
    key = None
    with open_json(bundle, name) as stream:
        try:
            for count, (event, value) in enumerate(ijson.basic_parse(stream, use_float=True)):
                if count == 0:
                    if event == "start_array":
                        peek.kind, depth, fields_depth = "array", 1, 2
                        continue
                    if event == "start_map":
                        peek.kind, depth, fields_depth, peek.fields = "object", 1, 1, {}
                        continue
                    peek.kind = "scalar"
                    break
                if count > max_events or depth > JSON_MAX_DEPTH:
                    break
                if event in ("start_map", "start_array"):
                    depth += 1
                    if peek.kind == "array" and depth == 2:
                        if event != "start_map":
                            break  # the first item isn't an object
                        peek.fields = {}
                    continue
                if event in ("end_map", "end_array"):
                    depth -= 1
                    if depth < fields_depth:
                        break  # the first item (or the object) ended, or the array was empty
                    continue
                if depth == 1 and peek.kind == "array":
                    break  # a scalar item: not an array of objects
                if depth == fields_depth:
                    if event == "map_key":
                        key = value
                        peek.fields[key] = ...
                    elif event in SCALAR_EVENTS:
                        peek.fields[key] = value
        except UnicodeDecodeError:
            peek.not_utf8 = True
        except ijson.JSONError as error:
            peek.not_utf8 = "invalid bytes in UTF8" in str(error)
    return peek


def count_items(bundle: Bundle, names: list[str]) -> int | None:
    """The number of objects in the top-level arrays of `names`, when that is cheap to learn."""
    if sum(member.size for member in bundle.members() if member.name in names) > (
        COUNT_LIMIT_BYTES
    ):
        return None
    total = 0
    for name in names:
        depth = 0
        with open_json(bundle, name) as stream:
            try:
                for event, _value in ijson.basic_parse(stream):
                    if event in ("start_map", "start_array"):
                        depth += 1
                        if depth > JSON_MAX_DEPTH:
                            return None
                        if depth == 2 and event == "start_map":
                            total += 1
                    elif event in ("end_map", "end_array"):
                        depth -= 1
            except (ijson.JSONError, UnicodeDecodeError):
                return None
    return total


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def require_array(bundle: Bundle, name: str, what: str) -> None:
    """Refuse a member whose top level isn't a list, instead of silently finding nothing."""
    kind = peek_json(bundle, name, max_events=1).kind
    if kind in ("object", "scalar"):
        raise ImportFormatError(
            f"{name} should hold a list of {what}, but it holds something else. Check that you "
            "chose the right file."
        )


def numbered(candidates: list[Candidate], title: str) -> None:
    """Name a conversation's prompts after its title, numbered when there are several."""
    for position, candidate in enumerate(candidates, start=1):
        if not title:
            candidate.name = name_from_text(candidate.content)
        elif len(candidates) == 1:
            candidate.name = title
        else:
            candidate.name = f"{title} ({position})"


def short_title(value) -> str:
    if not isinstance(value, str):
        return ""
    title = " ".join(value.split())
    if title.lower() in UNTITLED:
        return ""
    if len(title) > TITLE_LENGTH:
        title = title[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"
    return title


def time_of(value):
    # A boolean is an int to Python, but never a time.
    return None if isinstance(value, bool) else timestamp(value)


def listed(value) -> list:
    """`value` when it is a list, else nothing: fields the data may leave out or mangle."""
    return value if isinstance(value, list) else []


def identifier(value) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


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
    count = count_items(bundle, names)
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


def iter_conversations(
    bundle: Bundle, names: list[str], *, accept: Callable[[dict], bool], none_found: str
) -> Iterator[dict]:
    """The objects of the top-level arrays in `names` that `accept` takes for conversations,
    streamed. Files that hold items but no conversation at all are refused with `none_found`,
    rather than quietly yielding nothing."""
    items = found = 0
    for name in names:
        require_array(bundle, name, "conversations")
        for item in bundle.iter_json_items(name):
            items += 1
            if isinstance(item, dict) and accept(item):
                found += 1
                yield item
    if items and not found:
        raise ImportFormatError(none_found)


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
