"""The icon set: one SVG sprite in static files, drawn through the built-in {% icon %} tag."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.templatetags.static import static

SVG = "{http://www.w3.org/2000/svg}"
ICON_TAG = re.compile(r"""{%\s*icon\s+["']([^"']+)["']""")
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _sprite() -> ET.Element:
    path = finders.find("img/icons.svg")
    assert path, "static/img/icons.svg is missing"
    return ET.parse(path).getroot()  # noqa: S314 - our own static file


def _symbols() -> dict[str, ET.Element]:
    return {symbol.get("id"): symbol for symbol in _sprite().iter(f"{SVG}symbol")}


def _names_used() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in TEMPLATES.rglob("*.html"):
        for name in ICON_TAG.findall(path.read_text()):
            used.setdefault(name, []).append(str(path.relative_to(TEMPLATES)))
    return used


def test_every_icon_a_template_names_is_in_the_sprite():
    used = _names_used()
    assert len(used) >= 20, "the templates should use the icon set"
    symbols = _symbols()
    missing = {name: where for name, where in used.items() if f"i-{name}" not in symbols}
    assert not missing, f"icons used but not drawn in static/img/icons.svg: {missing}"


def test_every_icon_is_drawn_in_one_style():
    for symbol_id, symbol in _symbols().items():
        assert symbol_id.startswith("i-"), symbol_id
        assert symbol.get("viewBox") == "0 0 24 24", symbol_id
        assert symbol.get("stroke") == "currentColor", symbol_id
        assert symbol.get("stroke-width") == "2", symbol_id
        assert symbol.get("stroke-linecap") == "round", symbol_id
        assert symbol.get("stroke-linejoin") == "round", symbol_id
        assert symbol.get("fill") == "none", symbol_id


def test_the_tag_draws_a_hidden_symbol_from_the_static_sprite():
    html = Template('{% icon "copy" %}{% icon "sun" "icon--sun" %}').render(Context())
    sprite = static("img/icons.svg")
    assert html == (
        f'<svg class="icon" aria-hidden="true" focusable="false">'
        f'<use href="{sprite}#i-copy"></use></svg>'
        f'<svg class="icon icon--sun" aria-hidden="true" focusable="false">'
        f'<use href="{sprite}#i-sun"></use></svg>'
    )


def test_the_tag_escapes_what_it_is_given():
    html = Template("{% icon name %}").render(Context({"name": '"><script>'}))
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


@pytest.mark.django_db
def test_the_navigation_shows_an_icon_beside_each_label(alice_client):
    page = alice_client.get("/").content.decode()
    for name in ("dashboard", "vault", "inbox", "share", "team", "explore", "templates"):
        assert f'#i-{name}"></use></svg>' in page, name
    # Icons are decoration: every one is hidden from screen readers, the label says it all.
    icons = page.count('<svg class="icon')
    assert icons >= 7
    assert len(re.findall(r'<svg class="icon[^"]*" aria-hidden="true"', page)) == icons
