"""Full-text search on a stored tsvector column instead of an expression index.

Ranking reads the vector of every matching row; with an expression index PostgreSQL has to
recompute to_tsvector for each of them, which made common words slow. A generated column keeps
the vector on disk, and the GIN index moves onto it under the same name. PostgreSQL only: the
column is not part of the Django model (SQLite searches by substring)."""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'C')"
)
EXPRESSION_INDEX = (
    "CREATE INDEX IF NOT EXISTS prompt_search_idx ON prompts USING GIN ((" + VECTOR + "))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE prompts ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute("DROP INDEX IF EXISTS prompt_search_idx")
    schema_editor.execute("CREATE INDEX prompt_search_idx ON prompts USING GIN (search_vector)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS prompt_search_idx")
    schema_editor.execute("ALTER TABLE prompts DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(EXPRESSION_INDEX)


class Migration(migrations.Migration):
    dependencies = [("prompts", "0004_tag_name_case_insensitive")]

    operations = [migrations.RunPython(forwards, backwards)]
