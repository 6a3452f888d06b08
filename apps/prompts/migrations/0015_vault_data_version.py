"""A second number per vault, `data_version`, kept by the database like `version` (migration
0013) but moved by every change to what the vault's prompts hold: any insert, update or delete
of a prompt, of one of its versions, labels or tags, or of a tag. The API keys its cached
answers on it (apps/prompts/api/cached.py), so no write, however it is made, can leave an
answer stale. `version` still moves only when the sidebar changes.

The trigger functions of 0013 are replaced by ones that bump either number or both; the
triggers on prompts, tags and prompt_tags stay, and prompt_versions and prompt_labels get
their own. On SQLite every trigger is made again (one more on prompts: any update bumps
`data_version`, the one that existed bumps `version` when the sidebar changes).

The column is added with plain ALTER TABLE, on SQLite too: a table rebuild there could lose
triggers."""

from importlib import import_module

from django.db import migrations, models

# --- PostgreSQL ------------------------------------------------------------------------------

BUMP = """
CREATE FUNCTION vault_states_bump(owners uuid[], sidebar boolean) RETURNS void LANGUAGE sql AS $$
    INSERT INTO vault_states (owner_id, version, data_version)
    SELECT owner_id, clock.now_us, clock.now_us
    FROM (SELECT DISTINCT unnest(owners) AS owner_id) AS changed,
         (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us) AS clock
    WHERE owner_id IS NOT NULL AND EXISTS (SELECT 1 FROM users WHERE users.id = owner_id)
    ORDER BY owner_id
    ON CONFLICT (owner_id) DO UPDATE SET
        version = vault_states.version + CASE WHEN sidebar THEN 1 ELSE 0 END,
        data_version = vault_states.data_version + 1
$$
"""

PROMPTS_CHANGED = """
CREATE OR REPLACE FUNCTION vault_states_prompts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vault_states_bump(ARRAY(SELECT user_id FROM new_rows), true);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vault_states_bump(ARRAY(SELECT user_id FROM old_rows), true);
    ELSE
        PERFORM vault_states_bump(ARRAY(
            SELECT unnest(ARRAY[o.user_id, n.user_id])
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.folder, o.model, o.user_id) IS DISTINCT FROM (n.folder, n.model, n.user_id)
        ), true);
        PERFORM vault_states_bump(ARRAY(
            SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows
        ), false);
    END IF;
    RETURN NULL;
END $$
"""

TAGS_CHANGED = """
CREATE OR REPLACE FUNCTION vault_states_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vault_states_bump(ARRAY(SELECT user_id FROM new_rows), true);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vault_states_bump(ARRAY(SELECT user_id FROM old_rows), true);
    ELSE
        PERFORM vault_states_bump(ARRAY(
            SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows
        ), true);
    END IF;
    RETURN NULL;
END $$
"""


def _through_parent(function: str, parent: str, column: str, *, sidebar: bool) -> str:
    """A trigger function for a table whose rows belong to the vault of their `parent` row."""
    flag = "true" if sidebar else "false"
    # SQL from this module's constants only, no outside input.
    new = f"SELECT p.user_id FROM new_rows r JOIN {parent} p ON p.id = r.{column}"  # noqa: S608
    old = f"SELECT p.user_id FROM old_rows r JOIN {parent} p ON p.id = r.{column}"  # noqa: S608
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM vault_states_bump(ARRAY({new}), {flag});
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM vault_states_bump(ARRAY({old}), {flag});
    ELSE
        PERFORM vault_states_bump(ARRAY({old} UNION {new}), {flag});
    END IF;
    RETURN NULL;
END $$
"""


# A row deleted with its parent finds no parent here; the parent's own trigger bumps the vault.
PROMPT_TAGS_CHANGED = _through_parent(
    "vault_states_prompt_tags_changed", "tags", "tag_id", sidebar=True
)
NEW_TABLES = ("prompt_versions", "prompt_labels")
PROMPT_CHILDREN_CHANGED = [
    _through_parent(f"vault_states_{table}_changed", "prompts", "prompt_id", sidebar=False)
    for table in NEW_TABLES
]
TRANSITIONS = (
    ("INSERT", "NEW TABLE AS new_rows"),
    ("DELETE", "OLD TABLE AS old_rows"),
    ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
)

POSTGRESQL = [
    BUMP,
    PROMPTS_CHANGED,
    TAGS_CHANGED,
    PROMPT_TAGS_CHANGED,
    *PROMPT_CHILDREN_CHANGED,
    "DROP FUNCTION vault_states_bump(uuid[])",
    *(
        f"CREATE TRIGGER vault_states_{table}_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {transition} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION vault_states_{table}_changed()"
        for table in NEW_TABLES
        for event, transition in TRANSITIONS
    ),
]

# Back to 0013's functions: its bump takes the owners only, and only the sidebar moves.
POSTGRESQL_REVERSE = [
    *(
        f"DROP TRIGGER vault_states_{table}_{event} ON {table}"
        for table in NEW_TABLES
        for event in ("insert", "delete", "update")
    ),
    *(f"DROP FUNCTION vault_states_{table}_changed()" for table in NEW_TABLES),
]


# --- SQLite ----------------------------------------------------------------------------------

# Microseconds since 1970 (julianday counts days since 4714 BC).
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _bump(owner: str, *, sidebar: bool, unless_same_as: str = "NULL") -> str:
    """One more to the data version of the vault `owner` (a scalar expression) names, and to
    its sidebar version with `sidebar`; none when it is the vault `unless_same_as` names, which
    the same trigger has just bumped, nor for an owner already deleted in the same transaction
    (emptying every table in any order)."""
    # SQL from this module's constants only, no outside input.
    return (
        "INSERT INTO vault_states (owner_id, version, data_version) "  # noqa: S608
        f"SELECT {owner}, {SQLITE_NOW}, {SQLITE_NOW} "
        f"WHERE {owner} IS NOT NULL AND {owner} IS NOT {unless_same_as} "
        f"AND EXISTS (SELECT 1 FROM users WHERE users.id = {owner}) "
        "ON CONFLICT (owner_id) DO UPDATE SET "
        f"version = version + {1 if sidebar else 0}, data_version = data_version + 1;"
    )


def _moved(old: str, new: str, *, sidebar: bool) -> list[str]:
    return [_bump(old, sidebar=sidebar), _bump(new, sidebar=sidebar, unless_same_as=old)]


def _owner_of(table: str, column: str, row: str) -> str:
    return f"(SELECT user_id FROM {table} WHERE id = {row}.{column})"  # noqa: S608 - constants


SIDEBAR_COLUMNS_CHANGED = (
    "OLD.folder IS NOT NEW.folder OR OLD.model IS NOT NEW.model OR OLD.user_id IS NOT NEW.user_id"
)

SQLITE_TRIGGERS = {
    "prompts_insert": ("AFTER INSERT ON prompts", [_bump("NEW.user_id", sidebar=True)]),
    "prompts_delete": ("AFTER DELETE ON prompts", [_bump("OLD.user_id", sidebar=True)]),
    "prompts_update": (
        f"AFTER UPDATE OF folder, model, user_id ON prompts WHEN {SIDEBAR_COLUMNS_CHANGED}",
        _moved("OLD.user_id", "NEW.user_id", sidebar=True),
    ),
    # Any other update: the sidebar stays as it was.
    "prompts_update_data": (
        f"AFTER UPDATE ON prompts WHEN NOT ({SIDEBAR_COLUMNS_CHANGED})",
        [_bump("NEW.user_id", sidebar=False)],
    ),
    "tags_insert": ("AFTER INSERT ON tags", [_bump("NEW.user_id", sidebar=True)]),
    "tags_delete": ("AFTER DELETE ON tags", [_bump("OLD.user_id", sidebar=True)]),
    "tags_update": ("AFTER UPDATE ON tags", _moved("OLD.user_id", "NEW.user_id", sidebar=True)),
}
for _table, _parent, _column, _sidebar in (
    ("prompt_tags", "tags", "tag_id", True),
    ("prompt_versions", "prompts", "prompt_id", False),
    ("prompt_labels", "prompts", "prompt_id", False),
):
    _new, _old = _owner_of(_parent, _column, "NEW"), _owner_of(_parent, _column, "OLD")
    SQLITE_TRIGGERS |= {
        f"{_table}_insert": (f"AFTER INSERT ON {_table}", [_bump(_new, sidebar=_sidebar)]),
        f"{_table}_delete": (f"AFTER DELETE ON {_table}", [_bump(_old, sidebar=_sidebar)]),
        f"{_table}_update": (f"AFTER UPDATE ON {_table}", _moved(_old, _new, sidebar=_sidebar)),
    }

# 0013's triggers, dropped before these are made and made again when going back.
SQLITE_EARLIER = [
    f"vault_states_{table}_{event}"
    for table in ("prompts", "tags", "prompt_tags")
    for event in ("insert", "delete", "update")
]


def sqlite_create_statements() -> list[str]:
    """The statements that make every SQLite trigger, for a later migration that rebuilds one
    of these tables and so must make its triggers again."""
    return [
        f"CREATE TRIGGER vault_states_{name} {when} BEGIN {' '.join(body)} END"
        for name, (when, body) in SQLITE_TRIGGERS.items()
    ]


def forwards(apps, schema_editor):
    schema_editor.execute(
        "ALTER TABLE vault_states ADD COLUMN data_version bigint NOT NULL DEFAULT 0"
    )
    # Each vault starts from its sidebar number, which already counts from the clock.
    schema_editor.execute("UPDATE vault_states SET data_version = version")
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL
    else:
        statements = [f"DROP TRIGGER {name}" for name in SQLITE_EARLIER]
        statements += sqlite_create_statements()
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    earlier = import_module("apps.prompts.migrations.0013_vault_states")
    if schema_editor.connection.vendor == "postgresql":
        bump, *functions = earlier.POSTGRESQL[:4]
        statements = [
            *POSTGRESQL_REVERSE,
            bump,
            *(sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION") for sql in functions),
            "DROP FUNCTION vault_states_bump(uuid[], boolean)",
        ]
        for statement in statements:
            schema_editor.execute(statement)
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER vault_states_{name}")
        for name, (when, body) in earlier.SQLITE_TRIGGERS.items():
            schema_editor.execute(
                f"CREATE TRIGGER vault_states_{name} {when} BEGIN {' '.join(body)} END"
            )
    schema_editor.execute("ALTER TABLE vault_states DROP COLUMN data_version")


class Migration(migrations.Migration):
    dependencies = [("prompts", "0014_prompt_search_vector")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="vaultstate",
                    name="data_version",
                    field=models.BigIntegerField(default=0),
                )
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
