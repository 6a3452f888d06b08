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
