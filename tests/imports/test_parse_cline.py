import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.parsers import ImportFormatError, detect, extract

FIXTURES = Path(__file__).parent / "fixtures" / "cline"
STORAGE = FIXTURES / "storage" / "saoudrizwan.claude-dev"
TASK_UI = STORAGE / "tasks" / "1718000000000"
TASK_API = STORAGE / "tasks" / "1718100000000"


def zip_folder(folder: Path, target: Path, *, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def summary(candidates):
    return [(c.reference["role"], c.name, c.content, c.model) for c in candidates]


UI_TASK_PROMPTS = [
    (
        "task",
        "Fix the failing date parser test",
        "Fix the failing date parser test\nIt breaks on leap years.",
        "claude-sonnet-4-20250514",
    ),
    (
        "feedback",
        "No, raise a ValueError instead.",
        "No, raise a ValueError instead.",
        "claude-opus-4-20250514",
    ),
    (
        "feedback",
        "Also add a test for the year 2000, please.",
        "Also add a test for the year 2000, please.",
        "claude-opus-4-20250514",
    ),
]

API_TASK_PROMPTS = [
    (
        "task",
        "Add pagination to the /api/orders endpoint",
        "Add pagination to the /api/orders endpoint\n\nUse cursor-based pagination, not offsets.",
        "deepseek-chat",
    ),
    ("answer", "50 per page, maximum 200.", "50 per page, maximum 200.", "deepseek-chat"),
    (
        "feedback",
        "Include a next_cursor field in the response.",
        "Include a next_cursor field in the response.",
        "deepseek-chat",
    ),
    (
        "feedback",
        "Also document the parameter in the README.",
        "Also document the parameter in the README.",
        "deepseek-chat",
    ),
]

HISTORY_ONLY = (
    "task",
    "Write a changelog entry for the 2.3 release",
    "Write a changelog entry for the 2.3 release",
    "",
)


def test_it_reads_zipped_global_storage_task_by_task(tmp_path):
    upload = zip_folder(STORAGE, tmp_path / "cline.zip", prefix="saoudrizwan.claude-dev/")

    found = list(extract(upload, "cline"))

    assert summary(found) == [*UI_TASK_PROMPTS, *API_TASK_PROMPTS, HISTORY_ONLY]
    assert {c.source for c in found} == {"cline"}


def test_it_detects_a_zip_of_task_folders(tmp_path):
    upload = zip_folder(STORAGE / "tasks", tmp_path / "tasks.zip")

    detection = detect(upload)

    assert detection.source == "cline"
    assert detection.summary == "Cline: 2 tasks"


def test_ui_messages_keep_only_the_task_and_the_users_feedback(tmp_path):
    upload = zip_folder(TASK_UI, tmp_path / "task.zip", prefix="1718000000000/")

    found = list(extract(upload))

    # Assistant text, the model's follow-up question, tool requests, the completion and an
    # image-only feedback with blank text are all left out.
    assert summary(found) == UI_TASK_PROMPTS
    task, first_feedback, second_feedback = found
    assert task.reference == {
        "task_id": "1718000000000",
        "path": "1718000000000/ui_messages.json",
        "title": "Fix the failing date parser test",
        "role": "task",
        "message": 0,
    }
    assert task.created_at == datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)
    assert task.metadata == {"files": ["src/dates.py"]}
    assert first_feedback.reference["message"] == 5
    assert second_feedback.metadata == {"images": 1}
    assert second_feedback.created_at == datetime(2024, 6, 10, 6, 13, 29, tzinfo=UTC)


def test_ui_messages_win_over_the_api_history_of_the_same_task():
    found = list(extract(TASK_UI, "cline"))

    assert all("must not be read" not in c.content for c in found)
    assert len(found) == 3


def test_a_task_without_ui_messages_falls_back_to_the_api_history(tmp_path):
    upload = zip_folder(TASK_API, tmp_path / "task.zip", prefix="tasks/1718100000000/")

    found = list(extract(upload))

    # Environment details, tool results (even one quoting a <feedback> tag), Cline's own
    # notes, images and empty wrappers are dropped.
    assert summary(found) == API_TASK_PROMPTS
    assert [c.reference["message"] for c in found] == [0, 4, 6, 8]
    # Cline names a task's folder by the moment it started.
    assert found[0].created_at == datetime(2024, 6, 11, 10, 0, tzinfo=UTC)
    assert [c.created_at for c in found[1:]] == [None, None, None]


def test_a_single_api_history_file_is_read_without_its_folder():
    found = list(extract(TASK_API / "api_conversation_history.json"))

    assert [(role, name, content) for role, name, content, _ in summary(found)] == [
        (role, name, content) for role, name, content, _ in API_TASK_PROMPTS
    ]
    assert {c.reference["task_id"] for c in found} == {None}
    assert {c.model for c in found} == {""}


def test_a_single_ui_messages_file_is_detected_by_its_shape_when_renamed(tmp_path):
    renamed = tmp_path / "upload.json"
    renamed.write_bytes((TASK_UI / "ui_messages.json").read_bytes())

    assert detect(renamed).source == "cline"
    assert [c.content for c in extract(renamed)] == [p[2] for p in UI_TASK_PROMPTS]


def test_task_history_alone_gives_each_tasks_first_prompt():
    found = list(extract(STORAGE / "state" / "taskHistory.json"))

    assert [(c.name, c.content, c.reference["task_id"]) for c in found] == [
        (
            "Write a changelog entry for the 2.3 release",
            "Write a changelog entry for the 2.3 release",
            "1718200000000",
        ),
        (
            "Add pagination to the /api/orders endpoint",
            "Add pagination to the /api/orders endpoint",
            "1718100000000",
        ),
        (
            "Fix the failing date parser test",
            "Fix the failing date parser test\nIt breaks on leap years.",
            "1718000000000",
        ),
    ]
    assert found[0].created_at == datetime(2024, 6, 12, 13, 46, 40, tzinfo=UTC)


def test_task_history_names_the_task_it_indexes(tmp_path):
    folder = tmp_path / "storage"
    (folder / "state").mkdir(parents=True)
    (folder / "tasks" / "42").mkdir(parents=True)
    (folder / "state" / "taskHistory.json").write_text(
        json.dumps([{"id": "42", "ts": 1, "task": "Short title\nand a long body"}])
    )
    (folder / "tasks" / "42" / "ui_messages.json").write_text(
        json.dumps(
            [
                {"ts": 1718000000000, "type": "say", "say": "text", "text": "Long body first"},
                {"ts": 1718000000001, "type": "say", "say": "text", "text": "assistant reply"},
            ]
        )
    )

    found = list(extract(folder, "cline"))

    assert [(c.name, c.content, c.reference["title"]) for c in found] == [
        ("Short title", "Long body first", "Short title")
    ]


def test_the_old_markdown_export_with_headings():
    found = list(extract(FIXTURES / "export_headings.md"))

    assert [(c.reference["role"], c.name, c.content) for c in found] == [
        (
            "task",
            "Rename the config module",
            "Rename `config.py` to `settings.py` and update every import.",
        ),
        (
            "feedback",
            "Keep a `config.py` shim that re-exports everything, for old plugins.",
            "Keep a `config.py` shim that re-exports everything, for old plugins.",
        ),
    ]
    assert {c.reference["title"] for c in found} == {"Rename the config module"}
    assert {c.reference["path"] for c in found} == {"export_headings.md"}


def test_the_old_markdown_export_with_bold_speakers():
    found = list(extract(FIXTURES / "export_bold.md"))

    # The tool result the user "sent" is Cline's, not theirs.
    assert [(c.reference["role"], c.name, c.content) for c in found] == [
        (
            "task",
            "Write unit tests for the invoice totals",
            "Write unit tests for the invoice totals",
        ),
        (
            "feedback",
            "Round half to even, like the bank does.",
            "Round half to even, like the bank does.",
        ),
    ]
    assert {c.reference["title"] for c in found} == {"Write unit tests for the invoice totals"}


def test_a_zip_of_markdown_exports_is_cline(tmp_path):
    upload = tmp_path / "exports.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.write(FIXTURES / "export_bold.md", "cline_task_jun-1-2024.md")
        archive.write(FIXTURES / "export_headings.md", "nested/cline_task_mar-2-2024.md")
        archive.writestr("README.md", "# Notes\n\nNot an export.\n")

    detection = detect(upload)
    found = list(extract(upload))

    assert detection.source == "cline"
    assert detection.summary == "Cline: 2 exported tasks"
    assert [c.content for c in found] == [
        "Write unit tests for the invoice totals",
        "Round half to even, like the bank does.",
        "Rename `config.py` to `settings.py` and update every import.",
        "Keep a `config.py` shim that re-exports everything, for old plugins.",
    ]


def test_ordinary_markdown_is_not_taken_for_a_cline_export(tmp_path):
    prompt = tmp_path / "prompt.md"
    prompt.write_text("# Task list\n\nTurn these notes into a task list.\n")

    assert detect(prompt).source == "file"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"ts": 1, "type": "say", "say": "task", "text": "ok"}, 3, null, "x"]', [("ok", {})]),
        ('[{"ts": 1, "type": "say", "say": "task", "text": 17}, {"type": "say"}]', []),
        (
            '[{"ts": "soon", "type": "say", "say": "user_feedback", "text": "more",'
            ' "modelInfo": "not an object", "images": "nope", "files": [1, "a.py"]}]',
            [("more", {"files": ["a.py"]})],
        ),
        ('{"not": "a list"}', []),
    ],
)
def test_odd_shapes_in_ui_messages_are_skipped(tmp_path, content, expected):
    folder = tmp_path / "tasks" / "1"
    folder.mkdir(parents=True)
    (folder / "ui_messages.json").write_text(content)

    found = list(extract(tmp_path, "cline"))

    assert [(c.content, c.metadata) for c in found] == expected
    assert all(c.model == "" for c in found)


def test_truncated_ui_messages_are_a_format_error(tmp_path):
    folder = tmp_path / "tasks" / "1"
    folder.mkdir(parents=True)
    (folder / "ui_messages.json").write_text('[{"ts": 1, "type": "say", "say": "task", "text": "a')

    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(tmp_path, "cline"))


def test_an_unrelated_upload_is_not_cline(tmp_path):
    other = tmp_path / "notes.json"
    other.write_text('[{"role": "user", "content": "hello"}]')

    assert not list(extract(other, "cline"))
    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        detect(other)


@pytest.mark.parametrize("metadata", ["{not json", "[" * 5000 + "]" * 5000, '{"model_usage": 3}'])
def test_damaged_task_metadata_only_costs_the_model_name(tmp_path, metadata):
    folder = tmp_path / "tasks" / "7"
    folder.mkdir(parents=True)
    (folder / "task_metadata.json").write_text(metadata)
    (folder / "api_conversation_history.json").write_bytes(
        (TASK_API / "api_conversation_history.json").read_bytes()
    )

    found = list(extract(tmp_path, "cline"))

    assert [c.content for c in found] == [p[2] for p in API_TASK_PROMPTS]
    assert {c.model for c in found} == {""}


API_ONLY = FIXTURES / "api_only"


def test_the_api_history_alone_gives_each_prompt_its_time_and_the_model_that_answered():
    found = list(extract(API_ONLY, "cline"))

    assert [
        (c.reference["role"], c.content, c.created_at, c.model, c.reference["message"])
        for c in found
    ] == [
        (
            "task",
            "Write a migration that adds a slug column to articles.",
            datetime(2025, 7, 8, 18, 40, tzinfo=UTC),
            "claude-sonnet-4-20250514",
            0,
        ),
        (
            "feedback",
            "Backfill slugs from the titles in the same migration, see 'articles/models.py' "
            "(see below for file content)",
            datetime(2025, 7, 8, 18, 41, 40, tzinfo=UTC),
            "gpt-4.1",
            4,
        ),
        # Nothing answered the last one: the model last seen in the task.
        (
            "feedback",
            "Make the slug unique per author.",
            datetime(2025, 7, 8, 18, 43, 20, tzinfo=UTC),
            "gpt-4.1",
            6,
        ),
    ]
    assert {c.reference["task_id"] for c in found} == {"1752000000000"}
    # Attached files, environment details, tool output and replies are not the person's words.
    for candidate in found:
        assert "CONTEXT" not in candidate.content
        assert "ASSISTANT" not in candidate.content
        assert "file_content" not in candidate.content
