"""Rules for the values a prompt, tag or folder may hold. Services call these before saving, so
every path (editor, import, admin, API) refuses the same bad input with the same message."""

import json
import re
import unicodedata

from django.core.exceptions import ValidationError

NAME_MAX = 255
TAG_NAME_MAX = 50
FOLDER_MAX = 500
FOLDER_SEGMENT_MAX = 100
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_CONTROL = {"Cc", "Cf", "Zl", "Zp"}


def clean_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"name": "Give the prompt a name."})
    if len(value) > NAME_MAX:
        raise ValidationError(
            {"name": f"Names can be at most {NAME_MAX} characters (this one has {len(value)})."}
        )
    return value


def clean_content(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if not value.strip():
        raise ValidationError({"content": "The prompt's content can't be empty."})
    return value


def clean_folder(value: str) -> str:
    """Normalise a folder path to `a/b/c`: trims spaces and slashes, collapses repeated
    slashes; refuses `.` or `..` segments and control characters."""
    value = (value or "").strip().replace("\\", "/")
    if any(unicodedata.category(ch) in _CONTROL for ch in value):
        raise ValidationError({"folder": "Folder names can't contain control characters."})
    segments = [segment.strip() for segment in value.split("/")]
    segments = [segment for segment in segments if segment]
    for segment in segments:
        if segment in {".", ".."}:
            raise ValidationError(
                {"folder": "Folder paths can't contain '.' or '..'; write the full path instead."}
            )
        if len(segment) > FOLDER_SEGMENT_MAX:
            raise ValidationError(
                {"folder": f"Each folder name can be at most {FOLDER_SEGMENT_MAX} characters."}
            )
    path = "/".join(segments)
    if len(path) > FOLDER_MAX:
        raise ValidationError({"folder": f"Folder paths can be at most {FOLDER_MAX} characters."})
    return path


def clean_tag_name(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({"name": "Tag names can't be empty."})
    if len(value) > TAG_NAME_MAX:
        raise ValidationError({"name": f"Tag names can be at most {TAG_NAME_MAX} characters."})
    if any(unicodedata.category(ch) in _CONTROL for ch in value) or "," in value:
        raise ValidationError({"name": "Tag names can't contain commas or control characters."})
    return value


def clean_color(value: str) -> str:
    value = (value or "").strip()
    if not COLOR_RE.match(value):
        raise ValidationError({"color": "Colours are written #RRGGBB, for example #3B82F6."})
    return value.upper()


def clean_metadata(value) -> dict:
    """Accept a dict, or JSON text of an object; anything else is refused."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(
                {"metadata": f"Metadata is not valid JSON ({error.msg} at line {error.lineno})."}
            ) from error
    if not isinstance(value, dict):
        raise ValidationError(
            {"metadata": 'Metadata must be a JSON object, like {"key": "value"}.'}
        )
    return value


def parse_tag_names(value) -> list[str]:
    """Tag names from a comma-separated string or an iterable, cleaned and de-duplicated
    (case-insensitively, first spelling wins)."""
    if isinstance(value, str):
        value = value.split(",")
    seen: dict[str, str] = {}
    for raw in value or ():
        if not str(raw).strip():
            continue
        name = clean_tag_name(str(raw))
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
