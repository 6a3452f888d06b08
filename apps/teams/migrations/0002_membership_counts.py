"""Fill in each person's count of teams (`users.membership_count`, added empty by the accounts
app) from the memberships that exist. Running it again changes nothing."""

from django.db import migrations
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_memberships(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    TeamInvite = apps.get_model("teams", "TeamInvite")
    real = Coalesce(
        Subquery(
            TeamInvite.objects.filter(
                accepted_by=OuterRef("pk"), accepted=True, revoked_at__isnull=True
            )
            .order_by()
            .values("accepted_by")
            .annotate(teams=Count("pk"))
            .values("teams")
        ),
        0,
    )
    User.objects.alias(real=real).filter(~Q(membership_count=F("real"))).update(
        membership_count=real
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_membership_count"),
        ("teams", "0001_initial"),
    ]

    operations = [migrations.RunPython(count_memberships, migrations.RunPython.noop)]
