import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.parsers import Detection, ImportFormatError, detect, extract
from apps.imports.parsers import claude as parser
from apps.imports.parsers.base import FolderBundle, open_bundle
from bench.import_data import bench_claude_export

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "claude" / "export"
NEWER = FIXTURES / "claude" / "newer"
OTHER_SOURCES = [
    FIXTURES / "chatgpt" / "single",
    FIXTURES / "chatgpt" / "sharded",
    FIXTURES / "gemini" / "en",
    FIXTURES / "gemini" / "de",
    FIXTURES / "gemini" / "html",
]

REFACTOR = "c1a0e7d2-0000-4000-8000-000000000001"
LEGACY = "c1a0e7d2-0000-4000-8000-000000000002"
VOICE = "c1a0e7d2-0000-4000-8000-000000000003"
LETTER = "c1a0e7d2-0000-4000-8000-000000000004"


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def ref(conversation_id, title, message_id):
    return {
        "conversation_id": conversation_id,
        "conversation_title": title,
        "message_id": message_id,
    }


def rows(candidates):
    return [
        (c.name, c.content, c.model, c.created_at, c.reference, c.metadata, c.description)
        for c in candidates
    ]


EXPORT_PROMPTS = [
    (
        "Refactor a Django view (1)",
        "Refactor this view so the form handling is easier to test.",
        "",
        at(2025, 2, 10, 9, 0, 5, 123456),
        ref(REFACTOR, "Refactor a Django view", "m-1"),
        {
            "attachments": [
                {
                    "file_name": "views.py",
                    "file_type": "text/x-python",
                    "file_size": 412,
                    "extracted_content": (
                        "def signup(request):\n    form = SignupForm(request.POST)\n    ..."
                    ),
                }
            ]
        },
        "",
    ),
    # m-3 only uploaded a screenshot: no prompt.
    (
        "Refactor a Django view (2)",
        "Now write pytest tests for it.",
        "",
        at(2025, 2, 10, 9, 6),
        ref(REFACTOR, "Refactor a Django view", "m-5"),
        {},
        "",
    ),
    (
        "Write a limerick about a lighthouse keeper",
        "Write a limerick about a lighthouse keeper\nwho collects teapots.",
        "",
        at(2024, 3, 1, 12),
        ref(LEGACY, "", "m-7"),
        {},
        "",
    ),
    (
        "Packing list",
        "Remind me what to pack for a beach holiday with a toddler.",
        "",
        at(2025, 6, 20, 18),  # the message has no time: the conversation's
        ref(VOICE, "Packing list", "m-9"),
        {},
        "",
    ),
    (
        "Cover letter (1)",
        "Help me write a cover letter for a junior data analyst role.",
        "",
        at(2025, 7, 1, 8),
        ref(LETTER, "Cover letter", "m-11"),
        {},
        "",
    ),
    (
        "Cover letter (2)",
        "Make it shorter.",
        "",
        at(2025, 7, 1, 8, 5),
        ref(LETTER, "Cover letter", "m-13"),
        {
            "attachments": [
                {
                    "file_name": "cv.pdf",
                    "file_type": "pdf",
                    "file_size": 88211,
                    "extracted_content": "Jane Doe — Data analyst\nSQL, Python, dashboards",
                }
            ]
        },
        "",
    ),
    (
        "Support replies — project instructions",
        "You answer customer emails for a bike shop.\n"
        "Be warm and brief; never promise delivery dates.",
        "",
        at(2024, 9, 2, 14, 30),
        {"project_uuid": "p0000000-0000-4000-8000-000000000002", "project_name": "Support replies"},
        {},
        "Answers for the help desk",
    ),
]

NEWER_PROMPTS = [
    (
        "Release notes for 2.3",
        "Turn these commits into release notes: fix login, add dark mode.",
        "",
        at(2025, 11, 3, 10),
        ref("c1a0e7d2-0000-4000-8000-000000000005", "Release notes for 2.3", "m-15"),
        {},
        "",
    ),
    (
        "Release notes — project instructions",
        "Write release notes for end users: group changes under Added, Fixed and Changed.",
        "",
        at(2025, 10, 1, 8),
        {"project_uuid": "9b1f6a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "project_name": "Release notes"},
        {},
        "",
    ),
]


def zip_folder(folder: Path, target: Path, top: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                archive.write(file, f"{top}/{relative}" if top else relative)
        archive.writestr("__MACOSX/._conversations.json", b"\x00\x05\x16\x07")
    return target


def one_line_copy(folder: Path, target: Path) -> Path:
    """The export as Claude writes it: each JSON file on a single line."""
    for file in folder.rglob("*.json"):
        copy = target / file.relative_to(folder)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(json.dumps(json.loads(file.read_text()), separators=(",", ":")))
    return target


def write_json(tmp_path: Path, value, name="conversations.json") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# --- What comes out --------------------------------------------------------------------------


def test_it_finds_each_human_prompt_and_the_project_instructions():
    with FolderBundle(EXPORT) as bundle:
        assert rows(parser.parse(bundle)) == EXPORT_PROMPTS


def test_it_reads_a_newer_export_with_one_file_per_project():
    with FolderBundle(NEWER) as bundle:
        assert rows(parser.parse(bundle)) == NEWER_PROMPTS


def test_it_reads_the_same_prompts_through_the_entry_point(tmp_path):
    assert rows(extract(EXPORT)) == EXPORT_PROMPTS
    assert rows(extract(zip_folder(EXPORT, tmp_path / "claude.zip", top="data-2025"))) == (
        EXPORT_PROMPTS
    )
    assert rows(extract(zip_folder(NEWER, tmp_path / "newer.zip"))) == NEWER_PROMPTS
    assert rows(extract(EXPORT / "conversations.json")) == EXPORT_PROMPTS[:-1]


def test_a_single_line_export_reads_the_same(tmp_path):
    assert rows(extract(one_line_copy(EXPORT, tmp_path / "export"))) == EXPORT_PROMPTS


def test_every_candidate_is_marked_as_claude():
    assert {c.source for c in extract(EXPORT)} | {c.source for c in extract(NEWER)} == {"claude"}


def test_assistant_text_thinking_and_tool_results_never_become_prompts():
    contents = " ".join(c.content for c in extract(EXPORT))
    for reply in ("Here is a version", "testability", "ok", "Dear hiring manager", "keeper…"):
        assert reply not in contents


def test_attachment_text_is_context_not_prompt():
    first = next(iter(extract(EXPORT)))
    assert "SignupForm" not in first.content
    assert "SignupForm" in first.metadata["attachments"][0]["extracted_content"]


def test_content_blocks_win_over_the_legacy_text_without_doubling(tmp_path):
    path = write_json(
        tmp_path,
        [
            {
                "uuid": "c",
                "name": "Both",
                "chat_messages": [
                    {
                        "uuid": "m",
                        "sender": "human",
                        "text": "Old words",
                        "content": [
                            {"type": "text", "text": "First part"},
                            {"type": "thinking", "thinking": "not the user's"},
                            {"type": "voice_note", "text": "Second part"},
                        ],
                    }
                ],
            }
        ],
    )
    assert [c.content for c in extract(path)] == ["First part\n\nSecond part"]


def test_a_model_is_kept_when_the_export_names_one(tmp_path):
    path = write_json(
        tmp_path,
        [
            {
                "uuid": "c",
                "name": "Models",
                "model": "claude-sonnet-4-5",
                "chat_messages": [
                    {"uuid": "m1", "sender": "human", "text": "One"},
                    {"uuid": "m2", "sender": "human", "text": "Two", "model": "claude-opus-4-1"},
                ],
            }
        ],
    )
    assert [c.model for c in extract(path)] == ["claude-sonnet-4-5", "claude-opus-4-1"]


def test_the_benchmark_export_reads_back_with_the_counts_it_promises(tmp_path):
    counts = bench_claude_export(tmp_path / "claude.zip", conversations=40)
    found = list(extract(tmp_path / "claude.zip"))
    assert len(found) == counts["prompts"]
    assert len({c.content for c in found}) == counts["prompts"]
    assert detect(tmp_path / "claude.zip") == Detection("claude", "Claude export: 40 conversations")


# --- Detection -------------------------------------------------------------------------------


def test_it_detects_a_claude_export_with_its_counts(tmp_path):
    assert detect(EXPORT) == Detection("claude", "Claude export: 4 conversations, 2 projects")
    assert detect(NEWER) == Detection("claude", "Claude export: 1 conversation, 1 project")
    assert detect(zip_folder(EXPORT, tmp_path / "claude.zip", top="x")).source == "claude"


def test_a_large_export_is_described_rather_than_counted(monkeypatch):
    monkeypatch.setattr(parser, "count_items", lambda bundle, names: None)
    with FolderBundle(EXPORT) as bundle:
        found = parser.detect(bundle)
    assert found.source == "claude"
    assert found.summary.startswith("Claude export: conversations.json of ")
    assert found.summary.endswith(" and projects")


def test_projects_alone_are_a_claude_export(tmp_path):
    write_json(tmp_path, json.loads((EXPORT / "projects.json").read_text()), "projects.json")
    assert detect(tmp_path) == Detection("claude", "Claude export: 0 conversations, 2 projects")
    assert [c.name for c in extract(tmp_path)] == ["Support replies — project instructions"]


def test_an_empty_export_is_recognised_by_its_companion_files(tmp_path):
    write_json(tmp_path, [])
    write_json(tmp_path, [], "users.json")
    write_json(tmp_path, [], "projects.json")
    assert detect(tmp_path) == Detection("claude", "Claude export: 0 conversations")
    assert list(extract(tmp_path)) == []


def test_an_empty_list_alone_is_not_taken_for_claude(tmp_path):
    with open_bundle(write_json(tmp_path, [])) as bundle:
        assert parser.detect(bundle) is None


@pytest.mark.parametrize("folder", OTHER_SOURCES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_other_sources_are_not_taken_for_claude(folder):
    with FolderBundle(folder) as bundle:
        assert parser.detect(bundle) is None


# --- Damaged and unusual data ----------------------------------------------------------------


def test_parts_of_the_wrong_shape_are_skipped(tmp_path):
    path = write_json(
        tmp_path,
        [
            "not a conversation",
            {"uuid": "x", "chat_messages": "not a list"},
            {
                "uuid": 5,
                "name": ["odd"],
                "created_at": "not a date",
                "chat_messages": [
                    None,
                    {"sender": "human"},
                    {"sender": "human", "text": 42, "content": "blocks?"},
                    {"sender": "human", "content": [None, {"type": "text", "text": 3}]},
                    {"sender": "assistant", "text": "Not the user"},
                    {
                        "sender": "human",
                        "text": "Kept despite odd neighbours",
                        "attachments": [None, {"file_name": ["x"]}, "a"],
                        "files": "none",
                        "created_at": 1700000000,
                    },
                ],
            },
        ],
    )
    assert rows(extract(path, "claude")) == [
        (
            "Kept despite odd neighbours",
            "Kept despite odd neighbours",
            "",
            at(2023, 11, 14, 22, 13, 20),
            ref("5", "", ""),
            {},
            "",
        )
    ]


def test_projects_of_the_wrong_shape_are_skipped(tmp_path):
    write_json(tmp_path, [], "users.json")
    write_json(
        tmp_path,
        [None, {"prompt_template": 7}, {"name": "X", "prompt_template": " "}],
        "projects.json",
    )
    write_json(tmp_path, ["a list"], "projects/one.json")
    write_json(tmp_path, {"uuid": "u", "prompt_template": "Be brief."}, "projects/two.json")
    assert [(c.name, c.content, c.reference) for c in extract(tmp_path, "claude")] == [
        ("Be brief.", "Be brief.", {"project_uuid": "u", "project_name": ""})
    ]


# --- Bad input -------------------------------------------------------------------------------


def test_a_truncated_file_is_a_clear_error(tmp_path):
    data = (EXPORT / "conversations.json").read_bytes()
    path = tmp_path / "conversations.json"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(path))
    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(path, "claude"))


def test_a_single_line_file_cut_short_is_a_clear_error(tmp_path):
    folder = one_line_copy(EXPORT, tmp_path / "export")
    conversations = folder / "conversations.json"
    conversations.write_bytes(conversations.read_bytes()[:-40])
    with pytest.raises(ImportFormatError, match="conversations.json ends before"):
        list(extract(zip_folder(folder, tmp_path / "claude.zip")))


def test_json_of_the_wrong_shape_is_a_clear_error(tmp_path):
    path = write_json(tmp_path, {"chat_messages": []})
    with pytest.raises(ImportFormatError, match="should hold a list of conversations"):
        list(extract(path, "claude"))
    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        list(extract(path))


def test_another_sources_export_given_as_claude_is_a_clear_error():
    with pytest.raises(ImportFormatError, match="no Claude conversations"):
        list(extract(FIXTURES / "chatgpt" / "single", "claude"))
    with pytest.raises(ImportFormatError, match="no conversations.json"):
        list(extract(FIXTURES / "gemini" / "html", "claude"))


def test_non_utf8_bytes_are_a_clear_error(tmp_path):
    data = (EXPORT / "conversations.json").read_bytes().replace(b"toddler", b"t\xf6ddler")
    path = tmp_path / "conversations.json"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match="isn't UTF-8"):
        list(extract(path))


def test_a_batch_zip_with_2024_and_2025_layouts_and_projects(tmp_path):
    folder = FIXTURES / "claude" / "batch"
    upload = tmp_path / "data-2026-01-05-batch-0000.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())

    assert detect(upload).source == "claude"
    found = list(extract(upload))

    assert [(c.content, c.created_at, c.metadata) for c in found] == [
        # 2024: no content blocks, account or summary.
        (
            "Summarise this contract clause in plain English.",
            datetime(2024, 5, 1, 10, 0, 5, tzinfo=UTC),
            {
                "attachments": [
                    {
                        "file_name": "clause.txt",
                        "file_type": "txt",
                        "file_size": 38,
                        "extracted_content": "CONTEXT: The lessee shall keep the premises...",
                    }
                ]
            },
        ),
        # 2025: blocks with timestamps, flags and citations.
        (
            "Draft a cover letter for a junior data analyst role.",
            datetime(2025, 9, 1, 8, 0, 1, tzinfo=UTC),
            {},
        ),
        (
            "Shorter, and mention SQL.",
            datetime(2025, 9, 1, 8, 3, tzinfo=UTC),
            {"files": ["cv.pdf"]},
        ),
        # The person's own project; Anthropic's starter project is not theirs.
        (
            "You help me write job applications. Keep every letter under 250 words.",
            datetime(2025, 8, 30, 12, 0, tzinfo=UTC),
            {},
        ),
    ]
    assert not any(word in c.content for c in found for word in ("ASSISTANT", "CONTEXT", "STARTER"))


def test_a_turn_without_its_own_time_takes_its_first_blocks(tmp_path):
    conversation = {
        "uuid": "c-1",
        "name": "Blocks only",
        "created_at": "2025-09-01T07:00:00Z",
        "chat_messages": [
            {
                "uuid": "m-1",
                "sender": "human",
                "text": "Name three sorting algorithms.",
                "content": [
                    {
                        "type": "text",
                        "text": "Name three sorting algorithms.",
                        "start_timestamp": "2025-09-01T08:30:00Z",
                        "stop_timestamp": "2025-09-01T08:30:00Z",
                        "flags": None,
                        "citations": [],
                    }
                ],
            }
        ],
    }
    (tmp_path / "conversations.json").write_text(json.dumps([conversation]))

    found = list(extract(tmp_path, "claude"))

    assert [(c.content, c.created_at) for c in found] == [
        ("Name three sorting algorithms.", datetime(2025, 9, 1, 8, 30, tzinfo=UTC))
    ]
