import logging
import unicodedata
from collections import defaultdict

from django.db import migrations

logger = logging.getLogger(__name__)


def _normalise(address):
    # accounts.models.normalize_email as of this migration, frozen here so that a later
    # change to it cannot change what this migration did.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address or "").casefold())
    return folded.strip()


def normalise_emails(apps, schema_editor):
    """Store every address in its normalised form, which is how log-in now looks accounts up.

    Two rows can normalise to the same address (e.g. "Straße@x" and "strasse@x", or
    "Bob@x" and "bob@x" from before addresses were lower-cased). Such rows are not merged or
    renamed: one keeps the address (a row already spelling it that way, else the one that
    logged in last, else the oldest) and the others are left exactly as they were and logged
    by id, for staff to settle. Until then those others cannot log in, as log-in matches the
    normalised address exactly; nothing of theirs is changed or lost."""
    User = apps.get_model("accounts", "User")
    manager = User._base_manager.db_manager(schema_editor.connection.alias)
    groups = defaultdict(list)
    for row in manager.order_by("created_at", "pk").values("pk", "email", "last_login"):
        groups[_normalise(row["email"])].append(row)

    for address, rows in groups.items():
        if len(rows) == 1:
            if rows[0]["email"] != address:
                manager.filter(pk=rows[0]["pk"]).update(email=address)
            continue
        keeper = next((row for row in rows if row["email"] == address), None)
        if keeper is None:
            logged_in = [row for row in rows if row["last_login"] is not None]
            keeper = max(logged_in, key=lambda row: row["last_login"]) if logged_in else rows[0]
            manager.filter(pk=keeper["pk"]).update(email=address)
        left = [str(row["pk"]) for row in rows if row is not keeper]
        logger.warning(
            "Account(s) %s left unchanged: their address normalises to the address of "
            "account %s, which kept it. They can't log in until staff give them another.",
            ", ".join(left),
            keeper["pk"],
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(normalise_emails, migrations.RunPython.noop)]
