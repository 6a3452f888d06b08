"""A version per vault, kept by the database: triggers on prompts, tags and prompt_tags add one
to the owner's row in the same transaction as every write that can change the vault's sidebar
(its folders, tags, tag counts and models), whatever made it: a service, a bulk `.update()`,
an import, a cascade or a hand-written statement. apps/prompts/sidebar.py keys its cache on it.

PostgreSQL runs one trigger per statement, over the rows it changed (a bulk update of 10,000
prompts bumps the version once); SQLite has row triggers only. A prompt's update counts only
when its folder, model or owner changes: edits to its text leave the sidebar as it was.

A vault's first version is the moment of its first change, in microseconds since 1970, and
each change adds one: a vault whose row is deleted and made again starts above every number it
used before (unless it changed more times than microseconds passed), so no copy cached under an
old number can be shown again. Existing vaults get their row here.

SQLite drops a table's triggers when a migration rebuilds the table (as it does to alter a
column): such a migration must create them again. tests/prompts/test_sidebar.py checks that
every one is in place."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION vault_states_bump(owners uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO vault_states (owner_id, version)
        SELECT owner_id, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
        FROM (SELECT DISTINCT unnest(owners) AS owner_id) AS changed
        WHERE owner_id IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE users.id = owner_id)
        ORDER BY owner_id
        ON CONFLICT (owner_id) DO UPDATE SET version = vault_states.version + 1
    $$
    """,
    """
    CREATE FUNCTION vault_states_prompts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM vault_states_bump(ARRAY(SELECT user_id FROM new_rows));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM vault_states_bump(ARRAY(SELECT user_id FROM old_rows));
        ELSE
            PERFORM vault_states_bump(ARRAY(
                SELECT unnest(ARRAY[o.user_id, n.user_id])
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.folder, o.model, o.user_id) IS DISTINCT FROM (n.folder, n.model, n.user_id)
            ));
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION vault_states_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM vault_states_bump(ARRAY(SELECT user_id FROM new_rows));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM vault_states_bump(ARRAY(SELECT user_id FROM old_rows));
        ELSE
            PERFORM vault_states_bump(ARRAY(
                SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows
            ));
        END IF;
        RETURN NULL;
    END $$
    """,
    # A prompt tag belongs to its tag's owner. When a tag's deletion takes its links with it,
    # the tag is gone by then, and the tag's own trigger bumps the vault.
    """
    CREATE FUNCTION vault_states_prompt_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM vault_states_bump(ARRAY(
                SELECT t.user_id FROM new_rows r JOIN tags t ON t.id = r.tag_id
            ));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM vault_states_bump(ARRAY(
                SELECT t.user_id FROM old_rows r JOIN tags t ON t.id = r.tag_id
            ));
        ELSE
            PERFORM vault_states_bump(ARRAY(
                SELECT t.user_id FROM old_rows r JOIN tags t ON t.id = r.tag_id
                UNION SELECT t.user_id FROM new_rows r JOIN tags t ON t.id = r.tag_id
            ));
        END IF;
        RETURN NULL;
    END $$
    """,
] + [
    f"CREATE TRIGGER vault_states_{table}_{event.lower()} AFTER {event} ON {table} "
    f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION vault_states_{table}_changed()"
    for table in ("prompts", "tags", "prompt_tags")
    for event, transition in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    )
]

POSTGRESQL_REVERSE = [
    f"DROP TRIGGER vault_states_{table}_{event} ON {table}"
    for table in ("prompts", "tags", "prompt_tags")
    for event in ("insert", "delete", "update")
] + [
    "DROP FUNCTION vault_states_prompts_changed()",
    "DROP FUNCTION vault_states_tags_changed()",
    "DROP FUNCTION vault_states_prompt_tags_changed()",
    "DROP FUNCTION vault_states_bump(uuid[])",
]


# Microseconds since 1970 (julianday counts days since 4714 BC).
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _bump(owner: str, *, unless_same_as: str = "NULL") -> str:
    """SQLite: one more to the version of the vault `owner` (a scalar expression) names; none
    when it is the vault `unless_same_as` names, which the same trigger has just bumped, nor
    for an owner already deleted in the same transaction (emptying every table in any order)."""
    # SQL from this module's constants only, no outside input.
    return (
        f"INSERT INTO vault_states (owner_id, version) SELECT {owner}, {SQLITE_NOW} "  # noqa: S608
        f"WHERE {owner} IS NOT NULL AND {owner} IS NOT {unless_same_as} "
        f"AND EXISTS (SELECT 1 FROM users WHERE users.id = {owner}) "
        "ON CONFLICT (owner_id) DO UPDATE SET version = version + 1;"
    )


# The owner of a prompt tag is its tag's.
NEW_TAG_OWNER = "(SELECT user_id FROM tags WHERE id = NEW.tag_id)"
OLD_TAG_OWNER = "(SELECT user_id FROM tags WHERE id = OLD.tag_id)"


SQLITE_TRIGGERS = {
    "prompts_insert": ("AFTER INSERT ON prompts", [_bump("NEW.user_id")]),
    "prompts_delete": ("AFTER DELETE ON prompts", [_bump("OLD.user_id")]),
    "prompts_update": (
        "AFTER UPDATE OF folder, model, user_id ON prompts WHEN OLD.folder IS NOT NEW.folder "
        "OR OLD.model IS NOT NEW.model OR OLD.user_id IS NOT NEW.user_id",
        [_bump("OLD.user_id"), _bump("NEW.user_id", unless_same_as="OLD.user_id")],
    ),
    "tags_insert": ("AFTER INSERT ON tags", [_bump("NEW.user_id")]),
    "tags_delete": ("AFTER DELETE ON tags", [_bump("OLD.user_id")]),
    "tags_update": (
        "AFTER UPDATE ON tags",
        [_bump("OLD.user_id"), _bump("NEW.user_id", unless_same_as="OLD.user_id")],
    ),
    "prompt_tags_insert": ("AFTER INSERT ON prompt_tags", [_bump(NEW_TAG_OWNER)]),
    "prompt_tags_delete": ("AFTER DELETE ON prompt_tags", [_bump(OLD_TAG_OWNER)]),
    "prompt_tags_update": (
        "AFTER UPDATE ON prompt_tags",
        [_bump(OLD_TAG_OWNER), _bump(NEW_TAG_OWNER, unless_same_as=OLD_TAG_OWNER)],
    ),
}


SEED_POSTGRESQL = (
    "INSERT INTO vault_states (owner_id, version) "
    "SELECT id, (extract(epoch FROM now()) * 1000000)::bigint FROM users"
)
SEED_SQLITE = (
    "INSERT INTO vault_states (owner_id, version) "
    "SELECT id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) FROM users"
)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL
    else:
        statements = [
            f"CREATE TRIGGER vault_states_{name} {when} BEGIN {' '.join(body)} END"
            for name, (when, body) in SQLITE_TRIGGERS.items()
        ]
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(
        SEED_POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SEED_SQLITE
    )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL_REVERSE
    else:
        statements = [f"DROP TRIGGER vault_states_{name}" for name in SQLITE_TRIGGERS]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_keys"),
        ("prompts", "0012_prompt_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="VaultState",
            fields=[
                (
                    "owner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DB_CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "vault_states"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
