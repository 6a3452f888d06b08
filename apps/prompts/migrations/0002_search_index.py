"""The GIN index behind full-text search. PostgreSQL only: SQLite searches by substring."""

from django.db import migrations

# Frozen copy of the expression in apps/prompts/search.py; queries must repeat it exactly.
INDEX_SQL = "CREATE INDEX IF NOT EXISTS prompt_search_idx ON prompts USING GIN ((setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'C')))"
DROP_INDEX_SQL = "DROP INDEX IF EXISTS prompt_search_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [("prompts", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
