"""The stored search vector joins the Prompt model.

On PostgreSQL the column has existed since migration 0005 (a generated, weighted tsvector), and
the GIN index prompt_search_idx over (user_id, search_vector) since 0009, both outside Django's
state. This records the column in the state, so that search is written with the ORM, and leaves
the column, its expression and its index as they are.

SQLite has no text search: it gets the column as a constant NULL, so that every query naming it
runs, and searches by substring. The column is virtual there: SQLite adds one in place, where a
stored one would mean rebuilding the table, which would drop its triggers (migration 0013)."""

import django.contrib.postgres.search
from django.db import migrations

import apps.prompts.search
import promptvault.db


def add_column_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "ALTER TABLE prompts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (NULL) VIRTUAL"
    )


def remove_column_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("ALTER TABLE prompts DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("prompts", "0013_vault_states")]

    operations = [
        migrations.AlterModelOptions(
            name="prompt",
            options={"base_manager_name": "objects", "ordering": ["-updated_at"]},
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="prompt",
                    name="search_vector",
                    field=promptvault.db.StoredGeneratedField(
                        db_persist=True,
                        expression=apps.prompts.search.PostgreSQLOnly(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        "name", config="english", weight="A"
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        "description", config="english", weight="B"
                                    ),
                                    django.contrib.postgres.search.SearchConfig("english"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    "content", config="english", weight="C"
                                ),
                                django.contrib.postgres.search.SearchConfig("english"),
                            )
                        ),
                        null=True,
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(add_column_on_sqlite, remove_column_on_sqlite),
            ],
        ),
    ]
