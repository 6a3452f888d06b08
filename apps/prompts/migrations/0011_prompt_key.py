"""Every prompt gets a key, unique in its vault: the column, then keys for existing prompts
(made from their names, oldest first, in batches so a large table never sits in memory), then
the unique constraint."""

from django.db import migrations, models
from django.utils.text import slugify

BATCH = 2000


def _base(name):
    # The same rule as apps.prompts.keys.key_from_name, frozen here as it stood.
    return slugify(str(name or ""))[:90].strip("-_") or "prompt"


def fill_keys(apps, schema_editor):
    Prompt = apps.get_model("prompts", "Prompt")
    user_ids = (
        Prompt.objects.filter(key="")
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in list(user_ids):
        taken = set(
            Prompt.objects.filter(user_id=user_id).exclude(key="").values_list("key", flat=True)
        )
        last = None
        while True:
            page = Prompt.objects.filter(user_id=user_id, key="").order_by("created_at", "id")
            if last is not None:
                page = page.filter(
                    models.Q(created_at__gt=last[0]) | models.Q(created_at=last[0], id__gt=last[1])
                )
            rows = list(page.only("id", "name", "created_at")[:BATCH])
            if not rows:
                break
            for prompt in rows:
                base = _base(prompt.name)
                key, number = base, 2
                while key in taken:
                    key, number = f"{base}-{number}", number + 1
                taken.add(key)
                prompt.key = key
            Prompt.objects.bulk_update(rows, ["key"], batch_size=500)
            last = (rows[-1].created_at, rows[-1].id)


class Migration(migrations.Migration):
    dependencies = [
        ("prompts", "0010_llm_optimizations"),
    ]

    operations = [
        migrations.AddField(
            model_name="prompt",
            name="key",
            field=models.CharField(default="", max_length=100),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="prompt",
            constraint=models.UniqueConstraint(
                fields=("user", "key"), name="prompt_user_key_unique"
            ),
        ),
    ]
