import json
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.parsers import ImportFormatError, cursor, detect, extract

FIXTURES = Path(__file__).parent / "fixtures" / "cursor"
GLOBAL = FIXTURES / "globalStorage" / "state.vscdb"
WORKSPACE = FIXTURES / "workspaceStorage" / "5f1e0c7a" / "state.vscdb"

COMPOSER_PROMPTS = [
    # The older composer, with its conversation inline, started first.
    ("c-0000", "i-1", "Why is this query doing a full scan?", ""),
    ("c-0000", "i-4", "Write the migration for that index.", ""),
    # Then the newer one in header order: the NULL and non-JSON bubbles and the one whose key
    # is missing are skipped; a bubble with only rich text is read from its nodes.
    (
        "c-0001",
        "b-1",
        "Split the auth middleware into token parsing and permission checks.",
        "claude-3.5-sonnet",
    ),
    ("c-0001", "b-3", "Now add tests for expired tokens.\nUse freezegun.", "claude-3.5-sonnet"),
    ("c-0001", "b-7", "Rename verify() to check_permissions().", "claude-3.5-sonnet"),
]

LEGACY_PROMPTS = [
    ("Docker build", "Why is my Docker image 2 GB?"),
    ("Docker build", "Show a multi-stage build."),
    ("", "Explain this regex: ^\\d{3}-\\d{4}$"),
    # From aiService.prompts: the Docker question was already in a chat, so only this is new.
    ("", "Convert this callback to async/await"),
]


def composer_summary(found):
    return [
        (c.reference["composer_id"], c.reference["bubble_id"], c.content, c.model) for c in found
    ]


def test_it_reads_composer_chats_bubble_by_bubble():
    found = list(extract(GLOBAL, "cursor"))

    assert composer_summary(found) == COMPOSER_PROMPTS
    assert [c.reference["title"] for c in found] == ["SQL help"] * 2 + [
        "Refactor auth middleware"
    ] * 3
    assert [c.name for c in found] == [
        "Why is this query doing a full scan?",
        "Write the migration for that index.",
        "Split the auth middleware into token parsing and permission checks.",
        "Now add tests for expired tokens.",
        "Rename verify() to check_permissions().",
    ]
    # A bubble's own time when it has one, else its chat's.
    assert [c.created_at for c in found] == [
        datetime(2024, 7, 3, 9, 46, 40, tzinfo=UTC),
        datetime(2024, 7, 3, 9, 46, 40, tzinfo=UTC),
        datetime(2024, 10, 27, 3, 33, 30, tzinfo=UTC),
        datetime(2024, 10, 27, 3, 33, 20, tzinfo=UTC),
        datetime(2024, 10, 27, 3, 33, 20, tzinfo=UTC),
    ]
    assert found[0].reference == {
        "path": "state.vscdb",
        "composer_id": "c-0000",
        "bubble_id": "i-1",
        "title": "SQL help",
    }


def test_it_reads_the_old_chat_panel_and_the_prompt_history():
    found = list(extract(WORKSPACE, "cursor"))

    assert [(c.reference["title"], c.content) for c in found] == LEGACY_PROMPTS
    assert found[0].reference == {
        "path": "state.vscdb",
        "tab_id": "t-1",
        "bubble_id": "u-1",
        "title": "Docker build",
    }
    assert found[0].created_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert found[-1].reference == {
        "path": "state.vscdb",
        "key": "aiService.prompts",
        "index": 1,
        "title": "",
    }
    assert found[-1].metadata == {"command_type": 1}


def test_it_reads_a_zip_of_global_and_workspace_storage(tmp_path):
    upload = tmp_path / "cursor.zip"
    with zipfile.ZipFile(upload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(GLOBAL, "User/globalStorage/state.vscdb")
        archive.write(WORKSPACE, "User/workspaceStorage/5f1e0c7a/state.vscdb")
        archive.writestr("User/workspaceStorage/5f1e0c7a/workspace.json", '{"folder": "x"}')
        archive.writestr("__MACOSX/User/globalStorage/._state.vscdb", b"\x00\x05\x16\x07")

    detection = detect(upload)
    found = list(extract(upload))

    assert detection.source == "cursor"
    assert detection.summary == "Cursor: 2 databases"
    assert [c.content for c in found] == [p[2] for p in COMPOSER_PROMPTS] + [
        p[1] for p in LEGACY_PROMPTS
    ]
    assert {c.reference["path"] for c in found} == {
        "User/globalStorage/state.vscdb",
        "User/workspaceStorage/5f1e0c7a/state.vscdb",
    }


def test_a_renamed_database_is_detected_by_its_header(tmp_path):
    renamed = tmp_path / "upload"
    renamed.write_bytes(GLOBAL.read_bytes())

    assert detect(renamed).source == "cursor"
    assert len(list(extract(renamed))) == len(COMPOSER_PROMPTS)


def test_null_and_non_json_values_are_skipped():
    assert list(extract(FIXTURES / "broken_values.vscdb", "cursor")) == []


def test_a_corrupt_database_is_reported_as_damaged():
    with pytest.raises(ImportFormatError, match="corrupt.vscdb is damaged"):
        list(extract(FIXTURES / "corrupt.vscdb"))


def test_a_sqlite_file_without_cursors_tables_is_refused():
    with pytest.raises(ImportFormatError, match="not a Cursor database"):
        list(extract(FIXTURES / "unrelated.db"))


def test_a_table_with_the_right_name_but_other_columns_is_not_cursors(tmp_path):
    path = tmp_path / "state.vscdb"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE ItemTable (id INTEGER, payload TEXT)")
    connection.commit()
    connection.close()

    with pytest.raises(ImportFormatError, match="not a Cursor database"):
        list(extract(path))


def test_a_view_named_like_cursors_table_is_not_trusted(tmp_path):
    path = tmp_path / "state.vscdb"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE real (key TEXT, value BLOB)")
    connection.execute("CREATE VIEW ItemTable AS SELECT key, value FROM real")
    connection.commit()
    connection.close()

    with pytest.raises(ImportFormatError, match="not a Cursor database"):
        list(extract(path))


def test_a_truncated_database_is_damaged(tmp_path):
    path = tmp_path / "state.vscdb"
    path.write_bytes(GLOBAL.read_bytes()[:1500])

    with pytest.raises(ImportFormatError, match="damaged"):
        list(extract(path, "cursor"))


def test_a_database_in_wal_mode_is_read(tmp_path):
    path = tmp_path / "state.vscdb"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE ItemTable (key TEXT UNIQUE, value BLOB)")
    connection.execute(
        "INSERT INTO ItemTable VALUES (?, ?)",
        ("aiService.prompts", json.dumps([{"text": "From a WAL database", "commandType": 1}])),
    )
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()

    assert [c.content for c in extract(path)] == ["From a WAL database"]


def test_the_upload_is_opened_read_only_and_left_as_it_was(tmp_path):
    path = tmp_path / "state.vscdb"
    path.write_bytes(GLOBAL.read_bytes())
    before = path.read_bytes()

    list(extract(path))

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.vscdb"]


def test_the_temporary_copy_is_removed_even_when_reading_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(cursor.tempfile, "tempdir", str(tmp_path))
    list(extract(GLOBAL))
    with pytest.raises(ImportFormatError):
        list(extract(FIXTURES / "corrupt.vscdb"))
    # Stopping half way through the prompts also cleans up.
    stream = extract(GLOBAL)
    next(stream)
    stream.close()

    assert list(tmp_path.iterdir()) == []


def test_keys_are_never_read_as_sql(tmp_path):
    path = tmp_path / "state.vscdb"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE cursorDiskKV (key TEXT UNIQUE, value BLOB)")
    hostile = "x'; DROP TABLE cursorDiskKV; --"
    composer = {"fullConversationHeadersOnly": [{"bubbleId": hostile, "type": 1}]}
    connection.execute(
        "INSERT INTO cursorDiskKV VALUES (?, ?)", (f"composerData:{hostile}", json.dumps(composer))
    )
    connection.execute(
        "INSERT INTO cursorDiskKV VALUES (?, ?)",
        (f"bubbleId:{hostile}:{hostile}", json.dumps({"type": 1, "text": "Still here"})),
    )
    connection.commit()
    connection.close()

    assert [c.content for c in extract(path)] == ["Still here"]


@pytest.mark.parametrize(
    "value",
    [
        "[]",
        '"a string"',
        '{"fullConversationHeadersOnly": "nope", "conversation": {"a": 1}}',
        '{"fullConversationHeadersOnly": [{"bubbleId": 7, "type": 1}, "x", null]}',
        '{"conversation": [{"type": 1, "text": ["not", "text"]}], "createdAt": "yesterday"}',
        '{"conversation": [{"type": 1, "richText": "{\\"root\\": [1, 2]}"}]}',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_composer_values_of_the_wrong_shape_are_skipped(tmp_path, value):
    path = tmp_path / "state.vscdb"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE cursorDiskKV (key TEXT UNIQUE, value BLOB)")
    connection.execute("INSERT INTO cursorDiskKV VALUES ('composerData:c', ?)", (value,))
    connection.commit()
    connection.close()

    assert list(extract(path)) == []


def test_a_sqlite_member_among_other_files_is_found_by_extension(tmp_path):
    upload = tmp_path / "backup.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.write(WORKSPACE, "Cursor/state.vscdb")
        archive.writestr("Cursor/notes.txt", "not a database")

    assert detect(upload).source == "cursor"
    assert len(list(extract(upload))) == len(LEGACY_PROMPTS)


def test_an_upload_without_any_database_is_refused_when_cursor_is_chosen(tmp_path):
    other = tmp_path / "notes.md"
    other.write_text("# Hello\n")

    with pytest.raises(ImportFormatError, match="No SQLite database"):
        list(extract(other, "cursor"))


def test_a_read_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(cursor, "TIME_LIMIT_SECONDS", -1)
    monkeypatch.setattr(cursor, "CHECK_EVERY", 1)

    with pytest.raises(ImportFormatError, match="took too long"):
        list(extract(GLOBAL, "cursor"))


def test_the_copy_goes_to_the_upload_temp_dir(tmp_path, settings, monkeypatch):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    seen = []
    real = cursor._connect

    def spy(path, name):
        seen.append(path)
        return real(path, name)

    monkeypatch.setattr(cursor, "_connect", spy)
    list(extract(GLOBAL))

    assert seen and seen[0].is_relative_to(tmp_path)
    assert list(tmp_path.iterdir()) == []


WORKSPACE_2024 = FIXTURES / "workspaceStorage" / "a1b2c3d4" / "state.vscdb"


def test_it_reads_2024_composer_chats_kept_in_the_item_table():
    found = list(extract(WORKSPACE_2024, "cursor"))

    assert [
        (c.content, c.created_at, c.model, c.reference["title"], c.reference.get("composer_id"))
        for c in found
    ] == [
        # Composer chats, oldest first, each prompt dated by its chat and, where its reply
        # names one, given that reply's model.
        (
            "The list page shows page 2 twice when I click next.",
            datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC),
            "gpt-4o",
            "Pagination bug",
            "wc-1",
        ),
        (
            "Make the page size configurable.",
            datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC),
            "",
            "Pagination bug",
            "wc-1",
        ),
        (
            "Add a dark mode toggle to settings.",
            datetime(2024, 5, 18, 2, 40, tzinfo=UTC),
            "",
            "",
            "wc-2",
        ),
        # The chat panel: each prompt takes the model of the reply it got.
        (
            "How do I debounce a search input in React?",
            datetime(2024, 4, 24, 23, 6, 40, tzinfo=UTC),
            "gpt-4o",
            "Debounce",
            None,
        ),
        (
            "Now as a custom hook.",
            datetime(2024, 4, 24, 23, 6, 40, tzinfo=UTC),
            "claude-3.5-sonnet",
            "Debounce",
            None,
        ),
        (
            "Add a cancel function to the hook.",
            datetime(2024, 4, 24, 23, 6, 40, tzinfo=UTC),
            "",
            "Debounce",
            None,
        ),
        # The prompt history adds only what no chat holds.
        ("Summarise the open TODOs in this file.", None, "", "", None),
    ]
    assert found[0].reference == {
        "path": "state.vscdb",
        "key": "composer.composerData",
        "composer_id": "wc-1",
        "bubble_id": "w1-1",
        "title": "Pagination bug",
    }
    assert not any("ASSISTANT" in c.content or "CONTEXT" in c.content for c in found)


def test_2025_composers_take_their_chats_date_and_skip_null_values_and_other_keys():
    found = list(extract(FIXTURES / "global_2025.vscdb", "cursor"))

    assert [(c.content, c.created_at, c.model, c.reference["title"]) for c in found] == [
        (
            "Verify the Stripe signature before parsing the body.",
            datetime(2025, 4, 18, 18, 13, 20, tzinfo=UTC),
            "",
            "Billing webhook",
        ),
        ("Log the event id.", datetime(2025, 4, 18, 18, 13, 20, tzinfo=UTC), "", "Billing webhook"),
    ]


def test_a_chat_found_in_two_databases_of_one_upload_is_offered_once(tmp_path):
    upload = tmp_path / "cursor.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.write(WORKSPACE_2024, "User/workspaceStorage/a1b2c3d4/state.vscdb")
        archive.write(WORKSPACE_2024, "User/workspaceStorage/ffff0000/state.vscdb")

    contents = [c.content for c in extract(upload)]

    assert len(contents) == len(set(contents)) == 7
