"""The `{% icon "name" %}` template tag, built into every template (settings.TEMPLATES).

Icons are symbols of one sprite, static/img/icons.svg, so a page costs one cached request
however many it shows. They are decoration beside a text label, hidden from screen readers.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

SPRITE = "img/icons.svg"

register = template.Library()


@register.simple_tag
def icon(name: str, extra_class: str = "") -> str:
    """An inline <svg> that draws the sprite's symbol `i-<name>`."""
    css_class = f"icon {extra_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#i-{}"></use></svg>',
        css_class,
        static(SPRITE),
        name,
    )
