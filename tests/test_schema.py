"""The database itself honours the schema: names, defaults, constraints and cascades hold even
for writes that skip the application."""

import re

import pytest
from django.db import IntegrityError, connection, transaction

from apps.accounts.models import User
from apps.imports.models import ImportSession
from apps.prompts import services
from apps.prompts.models import Prompt, PromptTag, PromptVersion, Tag
from apps.sharing.models import Share
from apps.teams.models import TeamInvite
from apps.templates.models import TemplateRating
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory, TagFactory
from tests.sharing.factories import ShareFactory
from tests.teams.factories import TeamInviteFactory
from tests.templates.factories import PromptTemplateFactory, TemplateRatingFactory

TABLES = [
    "users",
    "prompts",
    "prompt_versions",
    "tags",
    "prompt_tags",
    "shares",
    "team_invites",
    "import_sessions",
    "prompt_optimizations",
    "prompt_templates",
    "stripe_events",
    "template_ratings",
]

# Index or constraint name → the table it belongs to.
NAMES = {
    "user_email_idx": "users",
    "prompt_user_id_idx": "prompts",
    "prompt_folder_idx": "prompts",
    "prompt_public_idx": "prompts",
    "prompt_search_idx": "prompts",
    "version_prompt_id_idx": "prompt_versions",
    "prompt_version_unique": "prompt_versions",
    "user_tag_unique": "tags",
    "prompt_tag_primary": "prompt_tags",
    "share_code_idx": "shares",
    "invite_email_idx": "team_invites",
    "import_sessions_user_id_idx": "import_sessions",
    "import_sessions_source_idx": "import_sessions",
    "prompt_optimizations_prompt_id_idx": "prompt_optimizations",
    "prompt_templates_category_idx": "prompt_templates",
    "prompt_templates_official_idx": "prompt_templates",
}

UNIQUE_NAMES = ["prompt_version_unique", "user_tag_unique", "prompt_tag_primary", "share_code_idx"]

# (table, column) → the default the database applies when an insert leaves the column out.
DEFAULTS = {
    ("users", "tier"): "free",
    ("users", "prompt_count"): "0",
    ("prompts", "model"): "gpt-4",
    ("prompts", "is_public"): "false",
    ("tags", "color"): "#3B82F6",
    ("shares", "view_count"): "0",
    ("team_invites", "role"): "viewer",
    ("team_invites", "accepted"): "false",
    ("prompt_templates", "usage_count"): "0",
    ("prompt_templates", "is_official"): "false",
    ("import_sessions", "imported_count"): "0",
    ("import_sessions", "skipped_count"): "0",
}


def _pg_names() -> dict[str, str]:
    """Every index and constraint in the schema, by name, with its table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()
            UNION
            SELECT con.conname, rel.relname
              FROM pg_constraint con
              JOIN pg_class rel ON rel.oid = con.conrelid
              JOIN pg_namespace ns ON ns.oid = rel.relnamespace
             WHERE ns.nspname = current_schema()
            """
        )
        return dict(cursor.fetchall())


def _literal(default: str | None) -> str | None:
    """`'free'::character varying` → `free`; `0` → `0`."""
    if default is None:
        return None
    match = re.fullmatch(r"'(.*)'(::[\w ]+)?", default)
    return match.group(1) if match else default


# --- PostgreSQL: the schema after migrate -----------------------------------------------------


@pytest.mark.postgres
def test_every_table_exists(db):
    tables = set(connection.introspection.table_names())
    assert set(TABLES) <= tables


@pytest.mark.postgres
def test_every_index_and_constraint_name_exists_on_its_table(db):
    existing = _pg_names()
    missing = {name for name in NAMES if name not in existing}
    assert not missing
    assert {name: existing[name] for name in NAMES} == NAMES


@pytest.mark.postgres
def test_unique_names_are_enforced_as_unique(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname FROM pg_indexes
             WHERE schemaname = current_schema() AND indexdef LIKE %s
            """,
            ["CREATE UNIQUE INDEX %"],
        )
        unique = {row[0] for row in cursor.fetchall()}
    assert set(UNIQUE_NAMES) <= unique


@pytest.mark.postgres
def test_full_text_search_index_is_gin(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'prompt_search_idx'"
            " AND schemaname = current_schema()"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (user_id, search_vector)" in definition
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns "
            "WHERE table_name = 'prompts' AND column_name = 'search_vector'"
        )
        (expression,) = cursor.fetchone()
    assert "to_tsvector" in expression


@pytest.mark.postgres
def test_the_database_holds_the_column_defaults(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, column_default FROM information_schema.columns
             WHERE table_schema = current_schema()
            """
        )
        defaults = {(table, column): default for table, column, default in cursor.fetchall()}
    found = {key: _literal(defaults.get(key)) for key in DEFAULTS}
    assert found == DEFAULTS


@pytest.mark.postgres
def test_rows_inserted_without_the_application_get_the_defaults(db):
    """A raw insert that names only the required columns gets the schema's defaults."""
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO users (id, email, password, name, is_active, is_staff, is_superuser)
            VALUES (gen_random_uuid(), 'raw@example.com', '!', '', true, false, false)
            RETURNING tier, prompt_count, created_at IS NOT NULL
            """
        )
        assert cursor.fetchone() == ("free", 0, True)
        cursor.execute(
            """
            INSERT INTO prompts (id, user_id, name, key, description, content, folder, metadata)
            VALUES (gen_random_uuid(), %s, 'Raw', 'raw', '', 'Body', '', '{}')
            RETURNING model, is_public
            """,
            [user.pk],
        )
        assert cursor.fetchone() == ("gpt-4", False)
        cursor.execute(
            "INSERT INTO tags (id, user_id, name) VALUES (gen_random_uuid(), %s, 'raw')"
            " RETURNING color",
            [user.pk],
        )
        assert cursor.fetchone() == ("#3B82F6",)


# --- Both databases: constraints hold at the database -----------------------------------------


def _raises_integrity_error(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_a_version_number_is_unique_per_prompt(alice):
    prompt = PromptFactory(user=alice)
    assert _raises_integrity_error(
        lambda: PromptVersion.objects.create(prompt=prompt, version=1, content="Again")
    )
    other = PromptFactory(user=alice)
    PromptVersion.objects.create(prompt=other, version=2, content="Fine elsewhere")


def test_a_tag_name_is_unique_per_user(alice, charlie):
    Tag.objects.create(user=alice, name="email")
    assert _raises_integrity_error(lambda: Tag.objects.create(user=alice, name="email"))
    Tag.objects.create(user=charlie, name="email")


def test_a_share_code_is_unique(alice):
    share = ShareFactory(prompt=PromptFactory(user=alice))
    assert _raises_integrity_error(
        lambda: Share.objects.create(
            prompt=share.prompt, shared_by=alice, share_code=share.share_code
        )
    )


def test_a_prompt_has_a_tag_once(alice):
    prompt = PromptFactory(user=alice)
    tag = TagFactory(user=alice)
    PromptTag.objects.create(prompt=prompt, tag=tag)
    assert _raises_integrity_error(lambda: PromptTag.objects.create(prompt=prompt, tag=tag))


@pytest.mark.parametrize("score", [0, 6, 100])
def test_a_template_rating_is_between_one_and_five(alice, score):
    template = PromptTemplateFactory()
    assert _raises_integrity_error(
        lambda: TemplateRating.objects.create(template=template, user=alice, score=score)
    )


def test_a_user_rates_a_template_once(alice):
    rating = TemplateRatingFactory(user=alice)
    assert _raises_integrity_error(
        lambda: TemplateRating.objects.create(template=rating.template, user=alice, score=2)
    )


def test_emails_are_unique(alice):
    assert _raises_integrity_error(
        lambda: User.objects.create(email=alice.email, password="!")  # noqa: S106
    )


# --- Both databases: deleting a user ----------------------------------------------------------


def test_deleting_a_user_removes_what_they_own_and_keeps_what_they_wrote_for_others(alice, charlie):
    own = PromptFactory(user=alice, tags=["mine"])
    services.prompt_update(prompt=own, author=alice, content="Second version")
    ShareFactory(prompt=own)
    TeamInviteFactory(invited_by=alice)
    ImportSessionFactory(user=alice)
    TemplateRatingFactory(user=alice)
    # alice edits a prompt in charlie's vault and publishes a template.
    theirs = PromptFactory(user=charlie)
    services.prompt_update(prompt=theirs, author=alice, content="Improved by Alice")
    template = PromptTemplateFactory(created_by=alice, is_official=False)

    alice.delete()

    assert not Prompt.objects.filter(user_id=alice.pk).exists()
    assert not PromptVersion.objects.filter(prompt_id=own.pk).exists()
    assert not Tag.objects.filter(user_id=alice.pk).exists()
    assert not PromptTag.objects.filter(prompt_id=own.pk).exists()
    assert not Share.objects.filter(shared_by_id=alice.pk).exists()
    assert not TeamInvite.objects.filter(invited_by_id=alice.pk).exists()
    assert not ImportSession.objects.filter(user_id=alice.pk).exists()
    assert not TemplateRating.objects.filter(user_id=alice.pk).exists()

    kept = theirs.versions.get(version=2)
    assert kept.created_by is None
    assert kept.content == "Improved by Alice"
    template.refresh_from_db()
    assert template.created_by is None
    assert Prompt.objects.filter(pk=theirs.pk).exists()
