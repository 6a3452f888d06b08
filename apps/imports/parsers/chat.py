"""Reading helpers shared by the chat exports' readers (ChatGPT, Claude, Gemini): peeking at
and counting JSON members without reading them through, streaming conversations, and the
tolerant field readers their messy data needs."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import ijson

from apps.imports.parsers.base import (
    JSON_MAX_DEPTH,
    Bundle,
    Candidate,
    ImportFormatError,
    name_from_text,
    timestamp,
)

# Conversation titles that say nothing, lower-cased.
UNTITLED = {"", "new chat"}
# Counting the conversations for the summary means reading the files through; past this size
# the summary describes the files instead.
COUNT_LIMIT_BYTES = 25 * 1024 * 1024
TITLE_LENGTH = 200


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


def count_items(
    bundle: Bundle, names: list[str], *, max_bytes: int = COUNT_LIMIT_BYTES
) -> int | None:
    """The number of objects in the top-level arrays of `names`, when that is cheap to learn:
    None past `max_bytes` of them."""
    if sum(member.size for member in bundle.members() if member.name in names) > max_bytes:
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
