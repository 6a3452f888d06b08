"""Rules for the values a prompt, tag, folder or template may hold. Services call these before
saving, so every path (editor, import, admin, API) refuses the same bad input with the same
message.

Sizes are capped so one prompt can't cost seconds to save or megabytes to render, and text is
checked for what the databases refuse (PostgreSQL stores neither NUL nor unpaired surrogates)
so such input is a message, never a failed query."""

import json
import math
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError

NAME_MAX = 255
DESCRIPTION_MAX = 5_000
# A setting, because the request size limit is sized for it and the 413 page names it.
CONTENT_MAX = settings.PROMPT_CONTENT_MAX
CHANGE_MESSAGE_MAX = 500
MODEL_MAX = 100
TAG_NAME_MAX = 50
TAGS_MAX = 100
FOLDER_MAX = 500
FOLDER_SEGMENT_MAX = 100
# Metadata is measured as compact JSON. The text typed into the editor may be indented, so it
# is allowed more before it is even parsed; that cap only bounds the work of parsing.
METADATA_MAX = 20_000
METADATA_TEXT_MAX = 100_000
METADATA_DEPTH_MAX = 20
# Larger integers lose precision in JavaScript and other readers; they belong in a string.
METADATA_INTEGER_MAX = 10**20
TEMPLATE_CATEGORY_MAX = 100
TEMPLATE_VARIABLES_MAX = 50
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Control and format characters, line separators, and unpaired surrogates.
_CONTROL = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def _storable(value: str) -> bool:
    """False for text a database can't hold: NUL, or a lone surrogate (not valid UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(field: str, label: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValidationError(
            {field: f"{label} can be at most {limit:,} characters (this one has {len(value):,})."}
        )
    if not _storable(value):
        raise ValidationError(
            {field: f"{label} can't contain NUL characters or unpaired surrogate escapes."}
        )
    return value


def clean_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"name": "Give the prompt a name."})
    return _check_text("name", "Names", value, NAME_MAX)


def clean_description(value: str) -> str:
    return _check_text("description", "Descriptions", (value or "").strip(), DESCRIPTION_MAX)


def clean_content(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if not value.strip():
        raise ValidationError({"content": "The prompt's content can't be empty."})
    return _check_text("content", "A prompt's content", value, CONTENT_MAX)


def clean_change_message(value: str) -> str:
    return _check_text(
        "change_message", "Change messages", (value or "").strip(), CHANGE_MESSAGE_MAX
    )


def clean_model(value: str, default: str) -> str:
    value = (value or "").strip() or default
    return _check_text("model", "Model names", value, MODEL_MAX)


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
    """Accept a dict, or JSON text of an object; anything else is refused. Parsed defensively:
    depth and size are bounded before anything recurses, and values JSON or the database can't
    hold (NaN, Infinity, NUL, lone surrogates) are refused."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        value = _parse_json("metadata", "Metadata", value)
    if not isinstance(value, dict):
        raise ValidationError(
            {"metadata": 'Metadata must be a JSON object, like {"key": "value"}.'}
        )
    return check_json_value("metadata", "Metadata", value, METADATA_MAX)


def _nesting_depth(text: str, stop_after: int) -> int:
    """How deeply brackets nest in JSON text, counting only brackets outside strings; gives up
    once past `stop_after`. Only quotes, backslashes and brackets are looked at."""
    depth = deepest = 0
    in_string = False
    skip_to = -1
    for match in re.finditer(r'[\\"\[\]{}]', text):
        position, char = match.start(), match.group()
        if position < skip_to:
            continue
        if in_string:
            if char == "\\":
                skip_to = position + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_after:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def _parse_json(field: str, label: str, text: str):
    if len(text) > METADATA_TEXT_MAX:
        raise ValidationError(
            {field: f"{label} can be at most {METADATA_MAX:,} characters of JSON."}
        )
    if _nesting_depth(text, METADATA_DEPTH_MAX) > METADATA_DEPTH_MAX:
        raise ValidationError(
            {field: f"{label} is nested too deeply (at most {METADATA_DEPTH_MAX} levels)."}
        )

    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > len(str(METADATA_INTEGER_MAX)):
            raise ValidationError({field: _integer_message(label)})
        return int(digits)

    def parse_constant(name: str):
        raise ValidationError({field: f"{label} numbers must be finite: {name} is not allowed."})

    def parse_float(text: str) -> float:
        number = float(text)
        if not math.isfinite(number):
            raise ValidationError({field: f"{label} numbers must be finite: {text} is too large."})
        return number

    try:
        return json.loads(
            text,
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=parse_constant,
        )
    except json.JSONDecodeError as error:
        raise ValidationError(
            {field: f"{label} is not valid JSON ({error.msg} at line {error.lineno})."}
        ) from error
    except (RecursionError, ValueError) as error:
        # The depth check above should make these impossible; refuse rather than fail.
        raise ValidationError({field: f"{label} is not valid JSON."}) from error


def _integer_message(label: str) -> str:
    return (
        f"{label} numbers can have at most {len(str(METADATA_INTEGER_MAX)) - 1} digits; "
        "write longer ones as text."
    )


def check_json_value(field: str, label: str, value, limit: int):
    """Check a parsed JSON value without recursion: plain JSON types only, text keys,
    storable strings, finite and bounded numbers, bounded depth, and at most `limit`
    characters once written as compact JSON."""
    too_deep = f"{label} is nested too deeply (at most {METADATA_DEPTH_MAX} levels)."
    # What is counted is never more than the compact JSON's length, so running out of budget
    # proves the value too large before anything big is walked or written out.
    budget = limit
    pending = [(value, 1)]
    while pending and budget >= 0:
        item, depth = pending.pop()
        if isinstance(item, dict):
            budget -= 2 * len(item) + 1
            if depth > METADATA_DEPTH_MAX:
                raise ValidationError({field: too_deep})
            if budget >= 0:
                for key, inner in item.items():
                    if not isinstance(key, str):
                        raise ValidationError({field: f"{label} keys must be text."})
                    pending.append((key, depth))
                    pending.append((inner, depth + 1))
        elif isinstance(item, list | tuple):
            budget -= len(item) + 1
            if depth > METADATA_DEPTH_MAX:
                raise ValidationError({field: too_deep})
            if budget >= 0:
                pending.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            budget -= len(item) + 2
            if budget >= 0 and not _storable(item):
                raise ValidationError(
                    {field: f"{label} can't contain NUL characters or unpaired surrogate escapes."}
                )
        elif item is None or isinstance(item, bool):
            budget -= 4
        elif isinstance(item, int):
            if abs(item) >= METADATA_INTEGER_MAX:
                raise ValidationError({field: _integer_message(label)})
            budget -= 1
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ValidationError(
                    {field: f"{label} numbers must be finite: NaN and Infinity are not allowed."}
                )
            budget -= 3
        else:
            raise ValidationError(
                {field: f"{label} can hold only text, numbers, true, false, null, lists, objects."}
            )
    if budget < 0 or len(_compact_json(value)) > limit:
        raise ValidationError({field: f"{label} can be at most {limit:,} characters of JSON."})
    return value


def _compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def clean_template(fields: dict) -> dict:
    """The texts of a library template (any of name, category, description, content,
    variables), under the same limits as a prompt's. Every problem is reported on its field."""
    checks = {
        "name": lambda value: _check_text("name", "Names", (value or "").strip(), NAME_MAX),
        "category": lambda value: _check_text(
            "category", "Categories", (value or "").strip(), TEMPLATE_CATEGORY_MAX
        ),
        "description": clean_description,
        "content": clean_content,
        "variables": _clean_variables,
    }
    cleaned, errors = {}, {}
    for field, value in fields.items():
        try:
            cleaned[field] = checks[field](value)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_variables(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = _parse_json("variables", "Variables", value)
    if not isinstance(value, list):
        raise ValidationError({"variables": "Variables must be a JSON list."})
    if len(value) > TEMPLATE_VARIABLES_MAX:
        raise ValidationError(
            {"variables": f"A template can declare at most {TEMPLATE_VARIABLES_MAX} variables."}
        )
    return check_json_value("variables", "Variables", value, METADATA_MAX)


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
        if len(seen) > TAGS_MAX:
            raise ValidationError({"tags": f"A prompt can have at most {TAGS_MAX} tags."})
    return list(seen.values())


def well_formed_ids(values: list[str]) -> list[str]:
    """The well-formed UUIDs among submitted ids, as strings; anything else names nothing."""
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except (ValueError, AttributeError):
            continue
    return valid
