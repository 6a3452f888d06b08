"""`{{variable}}` placeholders in prompt content: finding, highlighting and filling them."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

VARIABLE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]{0,63})\s*\}\}")


def find_variables(content: str) -> list[str]:
    """Variable names in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for match in VARIABLE_RE.finditer(content or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def highlight_variables(content: str) -> SafeString:
    """The content as escaped HTML with each placeholder wrapped in <mark class="var">."""
    parts = []
    last = 0
    for match in VARIABLE_RE.finditer(content or ""):
        parts.append(escape(content[last : match.start()]))
        parts.append(
            f'<mark class="var" data-var="{escape(match.group(1))}">{escape(match.group(0))}</mark>'
        )
        last = match.end()
    parts.append(escape((content or "")[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def fill_variables(content: str, values: dict[str, str]) -> str:
    """Replace each placeholder that has a non-empty value; leave the others as written."""

    def replace(match: re.Match) -> str:
        value = values.get(match.group(1))
        return value if value else match.group(0)

    return VARIABLE_RE.sub(replace, content or "")


# How a declared variable is typed in (a prompt made from a template keeps its template's
# declarations in metadata["variables"]); anything undeclared is a one-line text.
VARIABLE_TYPES = ("text", "multiline", "choice", "number")
# Metadata is the user's own JSON: read at most this much of a declaration.
_OPTIONS_SHOWN = 100
_LABEL_MAX = 200


def declared_variables(metadata) -> dict[str, dict]:
    """The well-formed declarations in a prompt's metadata, by name; anything else is ignored,
    since metadata can be edited by hand."""
    declared = metadata.get("variables") if isinstance(metadata, dict) else None
    if not isinstance(declared, list):
        return {}
    found: dict[str, dict] = {}
    for item in declared[:_OPTIONS_SHOWN]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        kind = item.get("type") if item.get("type") in VARIABLE_TYPES else "text"
        options = item.get("options") if isinstance(item.get("options"), list) else []
        options = [str(option) for option in options[:_OPTIONS_SHOWN] if _is_scalar(option)]
        if kind == "choice" and not options:
            kind = "text"
        found.setdefault(
            item["name"],
            {
                "type": kind,
                "options": options,
                "label": _text(item.get("label"))[:_LABEL_MAX],
                "description": _text(item.get("description"))[: _LABEL_MAX * 5],
                "required": item.get("required") is True,
            },
        )
    return found


def _is_scalar(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _text(value) -> str:
    return str(value) if _is_scalar(value) else ""


def variable_fields(content: str, metadata, values: dict[str, str]) -> list[dict]:
    """One field per placeholder of `content`, typed by its declaration where there is one,
    for the fill-and-copy panel: name, label, description, type, options, required, value."""
    declared = declared_variables(metadata)
    fields = []
    for name in find_variables(content):
        field = declared.get(name) or {
            "type": "text",
            "options": [],
            "label": "",
            "description": "",
            "required": False,
        }
        fields.append({**field, "name": name, "value": values.get(name, "")})
    return fields
