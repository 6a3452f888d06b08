import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_normalise_emails")]

    operations = [
        # Accounts that already exist keep accepting invites: their rows get the time of the
        # migration. The default is not kept, so accounts created afterwards start unconfirmed.
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="pending_email",
            field=models.EmailField(blank=True, db_default="", default="", max_length=254),
        ),
    ]
