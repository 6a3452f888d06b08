"""The search index leads with the owner.

A vault search asks for one owner's prompts that match. With the GIN index on the vector
alone, PostgreSQL read the posting list of the word across every user's prompts (a common
word: tens of thousands of entries) and intersected it with the owner's rows; a multicolumn
GIN index over (user_id, search_vector) answers the pair itself and returns only the owner's
matches, so ranking a broad search reads about half as much. The same index still serves
searches on the vector alone (the public gallery). The btree_gin extension, shipped with
PostgreSQL and trusted since version 13, gives GIN its operator class for uuid. The index
keeps its name. PostgreSQL only."""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS prompt_search_idx")
    schema_editor.execute(
        "CREATE INDEX prompt_search_idx ON prompts USING GIN (user_id, search_vector)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS prompt_search_idx")
    schema_editor.execute("CREATE INDEX prompt_search_idx ON prompts USING GIN (search_vector)")


class Migration(migrations.Migration):
    dependencies = [("prompts", "0008_public_model_index")]

    operations = [
        BtreeGinExtension(),
        migrations.RunPython(forwards, backwards),
    ]
