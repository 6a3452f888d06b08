from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.prompts.search import SNIPPET_START, SNIPPET_STOP

register = template.Library()


@register.filter
def search_snippet(value: str | None) -> str:
    """A ts_headline snippet as HTML: escaped text with matched words in <mark>."""
    if not value:
        return ""
    html = escape(value).replace(SNIPPET_START, "<mark>").replace(SNIPPET_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags


@register.filter
def excerpt(value: str | None, length: int = 180) -> str:
    """The first `length` characters of the text on one line."""
    text = " ".join((value or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (empty values removed)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
