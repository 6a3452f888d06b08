"""Lists render every row without naming a variable the row doesn't have: a misspelt or
missing attribute would otherwise print nothing, silently. Django's `string_if_invalid`
setting makes every such variable show up in the page."""

import copy

import pytest
from django.urls import reverse

from tests.prompts.factories import fill_vault

ROWS = 12
MISSING = "MISSING-VARIABLE"


@pytest.fixture
def missing_variables_shown(settings):
    """Pages render a marker in place of every variable they can't resolve."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = f"{MISSING}(%s)"
    settings.TEMPLATES = templates


def _missing(html: str) -> list[str]:
    return sorted({part.split(")")[0] for part in html.split(f"{MISSING}(")[1:]})


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "invoices"}, {"q": "invoices", "sort": "name"}, {"page": 2}],
    ids=["vault", "search", "search-by-name", "page-2"],
)
def test_vault_rows_render_every_variable(alice, alice_client, missing_variables_shown, query):
    fill_vault(alice, 50 + ROWS + 2)  # a second page of more than ROWS

    response = alice_client.get(reverse("prompts:list"), query)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= ROWS
    assert _missing(response.text) == []


@pytest.mark.parametrize("query", [{}, {"q": "invoices"}], ids=["gallery", "gallery-search"])
def test_gallery_cards_render_every_variable(alice, client, missing_variables_shown, query):
    fill_vault(alice, ROWS * 7)  # every seventh prompt is public

    response = client.get(reverse("sharing:explore"), query)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= ROWS
    assert _missing(response.text) == []


def test_the_dashboard_renders_every_variable(alice, alice_client, missing_variables_shown):
    fill_vault(alice, ROWS)

    response = alice_client.get(reverse("home"))

    assert response.status_code == 200
    assert _missing(response.text) == []
