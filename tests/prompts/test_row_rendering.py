"""Lists render every row without looking up attributes a row doesn't have: each such
lookup raises and catches three exceptions, which fifty rows turn into most of a millisecond."""

import collections
from unittest import mock

import pytest
from django.template import base
from django.urls import reverse

from tests.prompts.factories import fill_vault

ROWS = 12


@pytest.fixture
def missing_variables():
    """Counts, per variable, the lookups that found nothing while a page rendered."""
    counts = collections.Counter()
    resolve = base.Variable._resolve_lookup

    def counting(variable, context):
        try:
            return resolve(variable, context)
        except base.VariableDoesNotExist:
            counts[variable.var] += 1
            raise

    with mock.patch.object(base.Variable, "_resolve_lookup", counting):
        yield counts


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "invoices"}, {"q": "invoices", "sort": "name"}, {"page": 2}],
    ids=["vault", "search", "search-by-name", "page-2"],
)
def test_vault_rows_render_without_missing_lookups(alice, alice_client, missing_variables, query):
    fill_vault(alice, 50 + ROWS + 2)  # a second page of more than ROWS

    response = alice_client.get(reverse("prompts:list"), query)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= ROWS
    per_row = {name: n for name, n in missing_variables.items() if n >= ROWS}
    assert per_row == {}


@pytest.mark.parametrize("query", [{}, {"q": "invoices"}], ids=["gallery", "gallery-search"])
def test_gallery_cards_render_without_missing_lookups(alice, client, missing_variables, query):
    fill_vault(alice, ROWS * 7)  # every seventh prompt is public

    response = client.get(reverse("sharing:explore"), query)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= ROWS
    per_row = {name: n for name, n in missing_variables.items() if n >= ROWS}
    assert per_row == {}


def test_the_dashboard_renders_without_missing_lookups(alice, alice_client, missing_variables):
    fill_vault(alice, ROWS)

    response = alice_client.get(reverse("home"))

    assert response.status_code == 200
    assert {name: n for name, n in missing_variables.items() if n > 1} == {}
