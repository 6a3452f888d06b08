"""How installs receive the official catalogue and its updates, and that every official template
passes the checks the library applies to declarations (tests/templates/test_catalogue.py checks
the texts themselves)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.prompts.variables import find_variables
from apps.templates import services
from apps.templates.catalogue import OFFICIAL_TEMPLATES
from apps.templates.declarations import check_declarations
from apps.templates.models import PromptTemplate
from tests.accounts.factories import UserFactory
from tests.templates.factories import PromptTemplateFactory


@pytest.mark.parametrize("entry", OFFICIAL_TEMPLATES, ids=lambda entry: entry["slug"])
def test_each_official_template_passes_the_librarys_declaration_checks(entry):
    declared = check_declarations(entry["content"], entry["variables"])
    assert [item["name"] for item in declared] == [item["name"] for item in entry["variables"]]
    assert set(find_variables(entry["content"])) == {item["name"] for item in declared}
    assert len(entry["content"]) >= 200
    assert entry["name"] and entry["description"]
    for item in entry["variables"]:
        assert {"name", "label", "description", "type", "default", "required"} <= set(item)
        if item["type"] == "choice":
            assert item["options"] and (not item["default"] or item["default"] in item["options"])


def _historical_apps(migration: str):
    """The models as the library's migration `migration` sees them."""
    loader = MigrationLoader(connection)
    state = loader.project_state(("prompt_templates", migration))
    return state.apps


@pytest.mark.django_db
def test_the_data_migration_loads_the_catalogue_and_running_it_again_changes_nothing():
    """Run with the migration's historical model, as `migrate` runs it. (Tests on transactional
    databases empty the tables, so the rows `migrate` put there can't be relied on here.)"""
    migration = importlib.import_module("apps.templates.migrations.0003_official_catalogue")
    PromptTemplate.objects.all().delete()
    historical = _historical_apps("0003_official_catalogue")
    migration.load_catalogue(historical, None)
    official = PromptTemplate.objects.filter(is_official=True)
    assert set(official.values_list("slug", flat=True)) == {e["slug"] for e in OFFICIAL_TEMPLATES}
    before = {row.slug: row.updated_at for row in official}
    migration.load_catalogue(historical, None)
    assert services.catalogue_sync() == 0
    assert {row.slug: row.updated_at for row in official} == before
    assert PromptTemplate.objects.count() == len(OFFICIAL_TEMPLATES)


STAND_IN = (
    {
        "slug": "stand-in-summary",
        "category": "writing",
        "name": "Summary",
        "description": "Summarise a text",
        "content": "Summarise <text>{{text}}</text>.",
        "variables": [
            {
                "name": "text",
                "label": "Text",
                "description": "",
                "type": "multiline",
                "default": "",
                "required": True,
            }
        ],
    },
)


@pytest.mark.django_db
def test_an_updated_text_ships_by_slug_without_a_duplicate():
    assert services.catalogue_sync(entries=STAND_IN) == 1
    changed = ({**STAND_IN[0], "content": "Summarise briefly <text>{{text}}</text>."},)
    assert services.catalogue_sync(entries=changed) == 1
    assert services.catalogue_sync(entries=changed) == 0
    row = PromptTemplate.objects.get(slug="stand-in-summary")
    assert row.is_official and row.content == "Summarise briefly <text>{{text}}</text>."
    assert PromptTemplate.objects.filter(name="Summary").count() == 1


@pytest.mark.django_db
def test_a_community_template_on_an_official_slug_moves_aside():
    author = UserFactory()
    mine = PromptTemplateFactory(slug="stand-in-summary", is_official=False, created_by=author)
    services.catalogue_sync(entries=STAND_IN)
    mine.refresh_from_db()
    assert mine.slug != "stand-in-summary" and not mine.is_official
    assert PromptTemplate.objects.get(slug="stand-in-summary").created_by is None
