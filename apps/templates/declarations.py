"""A template's declared variables: checking the declarations against its text, and checking the
values someone fills in against the declarations.

A declaration is {"name", "label", "description", "type", "options", "default", "required"};
`type` is one of apps.prompts.variables.VARIABLE_TYPES and `options` lists a choice's values.
"""

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from apps.prompts.variables import VARIABLE_RE, VARIABLE_TYPES, find_variables

# What one filled-in value may hold: a line of text is short, a multiline one a document.
VALUE_MAX = {"text": 2_000, "multiline": 50_000, "choice": 500, "number": 40}
OPTIONS_MAX = 50
LABEL_MAX = 200
DESCRIPTION_MAX = 1_000


def check_declarations(content: str, variables) -> list[dict]:
    """The declarations, complete and normalised; ValidationError on "variables" unless they
    declare exactly the placeholders of `content`, each once, with a known type."""
    if not isinstance(variables, list | tuple):
        raise ValidationError({"variables": "Variables must be a list of declarations."})
    problems: list[str] = []
    declared: list[dict] = []
    for item in variables:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            problems.append("Each variable needs a name.")
            continue
        declared.append(_normalise(item, problems))
    names = [item["name"] for item in declared]
    placeholders = find_variables(content)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        problems.append(f"Declared more than once: {', '.join(duplicates)}.")
    undeclared = [name for name in placeholders if name not in names]
    if undeclared:
        problems.append(f"Placeholders without a declaration: {', '.join(undeclared)}.")
    unused = [name for name in names if name not in placeholders]
    if unused:
        problems.append(f"Declared but not in the text: {', '.join(unused)}.")
    if problems:
        raise ValidationError({"variables": problems})
    return declared


def _normalise(item: Mapping, problems: list[str]) -> dict:
    name = item["name"]
    if not VARIABLE_RE.fullmatch("{{" + name + "}}"):
        problems.append(f"“{name[:80]}” can't be a variable name.")
    kind = item.get("type", "text")
    if kind not in VARIABLE_TYPES:
        problems.append(f"{name}: the type must be one of {', '.join(VARIABLE_TYPES)}.")
    raw_options = item.get("options")
    options = [str(option) for option in raw_options] if isinstance(raw_options, list) else []
    if kind == "choice" and not options:
        problems.append(f"{name}: a choice needs options.")
    if len(options) > OPTIONS_MAX or any(len(option) > VALUE_MAX["choice"] for option in options):
        problems.append(
            f"{name}: at most {OPTIONS_MAX} options of {VALUE_MAX['choice']} characters."
        )
    default = item.get("default")
    default = "" if default is None else str(default)
    if kind == "choice" and default and default not in options:
        problems.append(f"{name}: the default must be one of the options.")
    label = str(item.get("label") or "")
    description = str(item.get("description") or "")
    if len(label) > LABEL_MAX or len(description) > DESCRIPTION_MAX:
        problems.append(f"{name}: the label or description is too long.")
    return {
        "name": name,
        "label": label,
        "description": description,
        "type": kind,
        "options": options if kind == "choice" else [],
        "default": default,
        "required": bool(item.get("required", False)),
    }


def read_declarations(content: str, variables) -> list[dict]:
    """A stored template's declarations for filling it in, one per placeholder in order: what
    an admin typed may be incomplete or stale, so undeclared placeholders become optional text
    and declarations of nothing in the text are dropped."""
    by_name: dict[str, dict] = {}
    for item in variables if isinstance(variables, list) else ():
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            by_name.setdefault(item["name"], _normalise(item, []))
    declared = []
    for name in find_variables(content):
        declaration = by_name.get(name) or _normalise({"name": name}, [])
        if declaration["type"] not in VARIABLE_TYPES or (
            declaration["type"] == "choice" and not declaration["options"]
        ):
            declaration = {**declaration, "type": "text", "options": []}
        if declaration["type"] == "choice" and declaration["default"] not in declaration["options"]:
            declaration = {**declaration, "default": ""}
        declared.append(declaration)
    return declared


def clean_values(declarations: list[dict], values: Mapping[str, str]) -> dict[str, str]:
    """Each declared variable's value, checked against its type and required flag: a value not
    given at all takes the default; an empty optional one stays a placeholder. Errors are
    keyed by variable name."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for declaration in declarations:
        name = declaration["name"]
        raw = values.get(name)
        value = declaration.get("default", "") if raw is None else raw
        try:
            cleaned[name] = _clean_value(declaration, value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(declaration: dict, value) -> str:
    kind = declaration.get("type", "text")
    label = declaration.get("label") or declaration["name"]
    value = "" if value is None else str(value)
    if kind == "multiline":
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if not value.strip():
            value = ""
    else:
        value = value.strip()
    if len(value) > VALUE_MAX.get(kind, VALUE_MAX["text"]):
        raise ValidationError(
            f"{label} can be at most {VALUE_MAX.get(kind, VALUE_MAX['text']):,} characters."
        )
    if "\x00" in value or not _encodable(value):
        raise ValidationError(f"{label} can't contain NUL characters or unpaired surrogates.")
    if not value:
        if declaration.get("required"):
            raise ValidationError(f"Fill in {label}.")
        return ""
    if kind == "text" and ("\n" in value or "\r" in value):
        raise ValidationError(f"{label} is one line of text.")
    if kind == "choice" and value not in declaration.get("options", ()):
        raise ValidationError(f"Choose {label} from the list.")
    if kind == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not math.isfinite(float(number)):
            raise ValidationError(f"{label} must be a number.")
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
