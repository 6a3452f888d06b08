"""What the file readers share: front matter, tags, names from file names, and turning YAML
values into JSON that can be stored."""

import math
import re
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

import yaml

from apps.imports.parsers.base import Bundle, ImportFormatError, timestamp

SOURCE = "file"

# One text file bigger than this is not a prompt file.
MAX_TEXT_CHARS = 16 * 1024 * 1024
READ_CHUNK_CHARS = 256 * 1024
MAX_FRONT_MATTER_CHARS = 64 * 1024
TAG_LENGTH = 50
MAX_TAGS = 50

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)


def read_text(bundle: Bundle, name: str) -> str:
    """A whole text member, CRLF normalised; cp1252 is accepted for plain files."""
    # Read in chunks: one read of the whole limit would set aside buffers that large for
    # every file, however small.
    parts: list[str] = []
    length = 0
    with bundle.open_text(name, allow_legacy=True) as stream:
        while length <= MAX_TEXT_CHARS and (part := stream.read(READ_CHUNK_CHARS)):
            parts.append(part)
            length += len(part)
    text = "".join(parts)
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFormatError(
            f"{name} is larger than {MAX_TEXT_CHARS // (1024 * 1024)} MB of text, too large "
            "to be a prompt file."
        )
    if "\x00" in text:
        raise ImportFormatError(f"{name} is not a text file.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict | None, str]:
    """(front matter, body). The front matter is None when there is none, or when what sits
    between the `---` lines is not a YAML mapping (then the text is returned whole)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text
    source = match.group("yaml")
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return None, text
    try:
        loaded = yaml.safe_load(source)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return None, text
    if loaded is None and not source.strip():
        loaded = {}
    if not isinstance(loaded, dict):
        return None, text
    return loaded, text[match.end() :]


class _TooLarge(Exception):
    pass


def json_safe(value, *, budget: int = 5000):
    """A copy of a YAML or JSON value that JSON can store, or None when it is too large or
    deep (YAML aliases can make a small document stand for a huge one)."""
    left = [budget]

    def walk(item, depth: int):
        left[0] -= 1
        if left[0] < 0 or depth > 32:
            raise _TooLarge
        if item is None or isinstance(item, bool | int | str):
            return item
        if isinstance(item, float):
            return item if math.isfinite(item) else str(item)
        if isinstance(item, datetime | date):
            return item.isoformat()
        if isinstance(item, dict):
            return {str(key): walk(inner, depth + 1) for key, inner in item.items()}
        if isinstance(item, list | tuple | set):
            return [walk(inner, depth + 1) for inner in item]
        return None

    try:
        return walk(value, 0)
    except _TooLarge:
        return None


def text_value(value, limit: int | None = None) -> str:
    """A scalar as text; anything else (lists, mappings) as empty."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | str):
        text = str(value).strip()
        return text[:limit] if limit else text
    return ""


def tag_names(value) -> list[str]:
    """Tags written as a list, or as one string separated by commas or semicolons."""
    if isinstance(value, str):
        items = re.split(r"[,;]", value)
    elif isinstance(value, list):
        items = []
        for item in value[: MAX_TAGS * 2]:
            if isinstance(item, dict):
                item = item.get("name")
            items.append(text_value(item))
    else:
        return []
    names: list[str] = []
    seen = set()
    for item in items:
        name = " ".join(item.replace(",", " ").split()).lstrip("#").strip()[:TAG_LENGTH]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names[:MAX_TAGS]


def tag_colors(value) -> dict[str, str]:
    """{tag name: colour} from PromptVault's export, where tags are {name, color}."""
    colors = {}
    if isinstance(value, list):
        for item in value[: MAX_TAGS * 2]:
            if isinstance(item, dict):
                name = tag_names([item])
                color = item.get("color")
                if name and isinstance(color, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
                    colors[name[0]] = color
    return colors


def moment(value) -> datetime | None:
    """A creation time from JSON text or numbers, or from a YAML date."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        return timestamp(value)
    return None


def stem_name(path: str) -> str:
    """A prompt name from a file name: `code-review_v2.md` → `code review v2`."""
    stem = PurePosixPath(path).stem
    return " ".join(re.sub(r"[-_]+", " ", stem).split())[:255] or "Imported prompt"
