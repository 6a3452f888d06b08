"""Load the official template catalogue (apps/templates/catalogue.py), so every install has it.

A later change to the catalogue's texts ships as a new migration running the same sync: it
updates the templates by slug and adds new ones, and changes nothing when run again."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from apps.templates.services import catalogue_sync

    catalogue_sync(model=apps.get_model("prompt_templates", "PromptTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("prompt_templates", "0002_featured_and_source"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop, elidable=False),
    ]
