"""Ship the catalogue's latest texts to existing installs (updates by slug; a no-op when run
again, and on installs whose 0003 already loaded them)."""

from django.db import migrations


def sync_catalogue(apps, schema_editor):
    from apps.templates.services import catalogue_sync

    catalogue_sync(model=apps.get_model("prompt_templates", "PromptTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("prompt_templates", "0003_official_catalogue"),
    ]

    operations = [
        migrations.RunPython(sync_catalogue, migrations.RunPython.noop, elidable=False),
    ]
