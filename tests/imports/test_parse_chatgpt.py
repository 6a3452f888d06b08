import json
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.parsers import Detection, ImportFormatError, detect, extract
from apps.imports.parsers import chatgpt as parser
from apps.imports.parsers.base import FolderBundle, open_bundle
from bench.import_data import bench_chatgpt_export

FIXTURES = Path(__file__).parent / "fixtures"
SINGLE = FIXTURES / "chatgpt" / "single"
SHARDED = FIXTURES / "chatgpt" / "sharded"
OTHER_SOURCES = [
    FIXTURES / "claude" / "export",
    FIXTURES / "claude" / "newer",
    FIXTURES / "gemini" / "en",
    FIXTURES / "gemini" / "de",
    FIXTURES / "gemini" / "html",
]

TRIP = "6632a1f0-0000-4000-8000-000000000001"
PHOTO = "6632a1f0-0000-4000-8000-000000000002"
VOICE = "6632a1f0-0000-4000-8000-000000000003"
EMPTY = "6632a1f0-0000-4000-8000-000000000004"


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def ref(conversation_id, title, message_id, branch="kept"):
    return {
        "conversation_id": conversation_id,
        "conversation_title": title,
        "message_id": message_id,
        "branch": branch,
    }


def rows(candidates):
    return [
        (c.name, c.content, c.kept, c.model, c.created_at, c.reference, c.metadata)
        for c in candidates
    ]


SINGLE_PROMPTS = [
    (
        "Trip planning (1)",
        "Plan a three-day trip to Lisbon in May.",
        True,
        "gpt-4o",
        at(2024, 5, 1, 8, 0, 10),
        ref(TRIP, "Trip planning", "u1"),
        {},
    ),
    (
        "Trip planning (2)",
        "Make it cheaper.",
        False,
        "gpt-4o",
        at(2024, 5, 1, 8, 0, 30),
        ref(TRIP, "Trip planning", "u2-draft", "draft"),
        {},
    ),
    (
        "Trip planning (3)",
        "Make it cheaper: under 500 euros in total.",
        True,
        "gpt-4o",
        at(2024, 5, 1, 8, 0, 50),
        ref(TRIP, "Trip planning", "u2"),
        {},
    ),
    (
        "Trip planning (4)",
        "Add a day trip to Sintra.",
        True,
        "gpt-4o-mini",  # the reply's model, below a tool call, beats the conversation's
        at(2024, 5, 1, 8, 1, 10),
        ref(TRIP, "Trip planning", "u3"),
        {},
    ),
    (
        "Describe this photo (1)",
        "What plant is this?",
        True,
        "gpt-4o",
        at(2024, 6, 1, 0, 0, 5),
        ref(PHOTO, "Describe this photo", "p1"),
        {"attachments": [{"name": "plant.jpg", "size": 183004, "mime_type": "image/jpeg"}]},
    ),
    (
        "Describe this photo (2)",
        "Is it safe for cats?",
        True,
        "gpt-4o",
        at(2024, 6, 1, 0, 0, 15),
        ref(PHOTO, "Describe this photo", "p2"),
        {},
    ),
    (
        "What's a good name for a grey cat?",
        "What's a good name for a grey cat?",
        True,
        "gpt-4o",  # no model on the reply: the conversation's default
        at(2024, 7, 1),  # no time on the message: the conversation's
        ref(VOICE, "", "v1"),
        {},
    ),
    (
        "Summarise the text above",
        "Summarise the text above\nin one sentence.",
        True,
        "o3",
        at(2024, 8, 1, 0, 0, 4),
        ref(EMPTY, "", "e4"),
        {},
    ),
]

SHARDED_PROMPTS = [
    (
        "Regex help",
        "Write a regex that matches ISO dates like 2025-01-31.",
        True,
        "gpt-4.1",
        at(2025, 1, 1, 0, 0, 1),
        ref("6775c100-0000-4000-8000-00000000000a", "Regex help", "r1"),
        {},
    ),
    (
        "Email to landlord",
        "Draft a polite email asking my landlord to fix the heating.",
        True,
        "gpt-4o",
        at(2025, 1, 2, 0, 0, 1),
        ref("6775c100-0000-4000-8000-00000000000b", "Email to landlord", "l1"),
        {},
    ),
    (
        "Haiku (1)",
        "Write a haiku about autumn rain.",
        True,
        "gpt-4o",
        at(2025, 1, 3, 0, 0, 1),
        ref("6775c100-0000-4000-8000-00000000000c", "Haiku", "h1"),
        {},
    ),
    (
        "Haiku (2)",
        "Now one about snow.",
        True,
        "gpt-4o",
        at(2025, 1, 3, 0, 0, 3),
        ref("6775c100-0000-4000-8000-00000000000c", "Haiku", "h3"),
        {},
    ),
]


def zip_folder(folder: Path, target: Path, top: str = "") -> Path:
    """Zip `folder` the way exports arrive: under a top folder, with macOS litter."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                name = f"{top}/{file.relative_to(folder).as_posix()}" if top else file.name
                archive.write(file, name)
                archive.writestr(f"__MACOSX/{Path(name).parent}/._{file.name}", b"\x00\x05\x16\x07")
        archive.writestr(f"{top}/.DS_Store" if top else ".DS_Store", b"\x00\x00\x00\x01Bud1")
    return target


def write_conversations(tmp_path: Path, conversations, name="conversations.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(conversations), encoding="utf-8")
    return path


# --- What comes out --------------------------------------------------------------------------


def test_it_finds_each_user_prompt_of_a_single_conversations_file():
    with FolderBundle(SINGLE) as bundle:
        assert rows(parser.parse(bundle)) == SINGLE_PROMPTS


def test_it_reads_the_same_prompts_through_the_entry_point():
    assert rows(extract(SINGLE)) == SINGLE_PROMPTS
    assert rows(extract(SINGLE / "conversations.json")) == SINGLE_PROMPTS


def test_every_candidate_is_marked_as_chatgpt():
    assert {c.source for c in extract(SINGLE)} == {"chatgpt"}


def test_it_reads_shards_in_order_from_a_zip_with_a_top_folder_and_macos_litter(tmp_path):
    archive = zip_folder(SHARDED, tmp_path / "chatgpt.zip", top="chatgpt-export-2025-01-05")
    assert rows(extract(archive)) == SHARDED_PROMPTS
    assert rows(extract(archive, "chatgpt")) == SHARDED_PROMPTS


def test_it_reads_a_zip_without_a_top_folder(tmp_path):
    archive = zip_folder(SINGLE, tmp_path / "export.zip")
    assert rows(extract(archive)) == SINGLE_PROMPTS


def test_it_skips_custom_instructions_hidden_messages_and_assistant_text():
    contents = " ".join(c.content for c in extract(SINGLE))
    assert "Porto" not in contents
    assert "[context the app added]" not in contents
    assert "Alfama" not in contents
    assert "Ash" not in contents


def test_a_conversation_file_of_any_name_is_read_by_its_shape(tmp_path):
    upload = tmp_path / "my-chatgpt-history.json"
    upload.write_bytes((SINGLE / "conversations.json").read_bytes())
    assert detect(upload).source == "chatgpt"
    assert rows(extract(upload)) == SINGLE_PROMPTS


def test_a_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "conversations.json"
    path.write_bytes(b"\xef\xbb\xbf" + (SINGLE / "conversations.json").read_bytes())
    assert rows(extract(path)) == SINGLE_PROMPTS


def test_the_benchmark_export_reads_back_with_the_counts_it_promises(tmp_path):
    counts = bench_chatgpt_export(tmp_path / "chatgpt.zip", conversations=40)
    found = list(extract(tmp_path / "chatgpt.zip"))
    assert len(found) == counts["prompts"]
    assert sum(not c.kept for c in found) == counts["drafts"]
    assert len({c.content for c in found}) == counts["prompts"]
    assert counts["json_bytes"] / 40 > 8000  # about 10 KB a conversation, like real exports
    assert detect(tmp_path / "chatgpt.zip") == Detection(
        "chatgpt", "ChatGPT export: 40 conversations"
    )


# --- Detection -------------------------------------------------------------------------------


def test_it_detects_a_chatgpt_export_and_counts_its_conversations(tmp_path):
    assert detect(SINGLE) == Detection("chatgpt", "ChatGPT export: 4 conversations")
    archive = zip_folder(SHARDED, tmp_path / "chatgpt.zip", top="export")
    assert detect(archive) == Detection("chatgpt", "ChatGPT export: 3 conversations")


def test_a_large_export_is_described_rather_than_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(parser, "COUNT_LIMIT_BYTES", 100)
    with FolderBundle(SHARDED) as bundle:
        found = parser.detect(bundle)
    assert found.source == "chatgpt"
    assert found.summary.startswith("ChatGPT export (2 conversations files, ")


def test_an_empty_export_is_recognised_by_its_companion_files(tmp_path):
    (tmp_path / "conversations.json").write_text("[]")
    (tmp_path / "export_manifest.json").write_text("{}")
    assert detect(tmp_path) == Detection("chatgpt", "ChatGPT export: 0 conversations")
    assert list(extract(tmp_path)) == []


def test_an_empty_list_alone_is_not_taken_for_chatgpt(tmp_path):
    path = write_conversations(tmp_path, [])
    with open_bundle(path) as bundle:
        assert parser.detect(bundle) is None


@pytest.mark.parametrize("folder", OTHER_SOURCES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_other_sources_are_not_taken_for_chatgpt(folder):
    with FolderBundle(folder) as bundle:
        assert parser.detect(bundle) is None


# --- Damaged and unusual data ----------------------------------------------------------------


def user(node_id, parent, text, children=()):
    return {
        "id": node_id,
        "parent": parent,
        "children": list(children),
        "message": {
            "id": node_id,
            "author": {"role": "user"},
            "content": {"content_type": "text", "parts": [text]},
            "metadata": {},
        },
    }


def test_a_cycle_of_parents_neither_loops_nor_loses_the_rest(tmp_path):
    mapping = {
        "root": {"id": "root", "parent": None, "children": ["u1"], "message": None},
        "u1": user("u1", "root", "First question", ["x"]),
        "x": user("x", "y", "Caught in a loop"),
        "y": user("y", "x", "Also caught"),
        "self": user("self", "self", "Its own parent"),
    }
    path = write_conversations(
        tmp_path, [{"id": "c1", "title": "Loops", "current_node": "x", "mapping": mapping}]
    )
    started = time.monotonic()
    found = list(extract(path))
    assert time.monotonic() - started < 2
    # Nodes on a cycle can't be placed in the conversation; the unusable current_node falls
    # back to the latest branch; a node that is its own parent starts a branch of its own.
    assert [(c.content, c.kept) for c in found] == [
        ("First question", True),
        ("Its own parent", False),
    ]


def test_a_missing_current_node_keeps_the_latest_branch(tmp_path):
    mapping = {
        "root": {"id": "root", "parent": None, "children": ["a", "b"], "message": None},
        "a": user("a", "root", "Old wording"),
        "b": user("b", "root", "New wording"),
    }
    path = write_conversations(tmp_path, [{"id": "c1", "title": "Edits", "mapping": mapping}])
    assert [(c.content, c.kept, c.reference["branch"]) for c in extract(path)] == [
        ("Old wording", False, "draft"),
        ("New wording", True, "kept"),
    ]


def test_a_very_deep_conversation_is_read_without_recursion(tmp_path):
    mapping = {"root": {"id": "root", "parent": None, "children": ["n0"], "message": None}}
    parent = "root"
    for index in range(3000):
        mapping[f"n{index}"] = user(f"n{index}", parent, f"Question {index}")
        parent = f"n{index}"
    path = write_conversations(
        tmp_path, [{"id": "deep", "title": "Long", "current_node": parent, "mapping": mapping}]
    )
    found = list(extract(path))
    assert len(found) == 3000
    assert found[-1].name == "Long (3000)"
    assert all(c.kept for c in found)


def test_parts_of_the_wrong_shape_are_skipped(tmp_path):
    good = {
        "id": "good",
        "title": "Fine",
        "current_node": "u",
        "mapping": {"u": user("u", None, "A real question")},
    }
    odd_nodes = {
        "id": "odd",
        "title": "Odd",
        "mapping": {
            "a": "not a node",
            "b": {"parent": 7, "message": "not a message"},
            "c": {"parent": None, "message": {"author": "user", "content": {}}},
            "d": {"parent": None, "message": {"author": {"role": "user"}, "content": []}},
            "e": {
                "parent": None,
                "message": {
                    "author": {"role": "user"},
                    "content": {"content_type": "text", "parts": "a string, not a list"},
                },
            },
            "f": {
                "parent": ["x"],
                "message": {
                    "id": 12,
                    "author": {"role": "user"},
                    "create_time": True,
                    "metadata": {"attachments": "none"},
                    "content": {"content_type": "text", "parts": [{"x": 1}, 3, "Still read"]},
                },
            },
        },
        "current_node": ["not", "a", "string"],
        "create_time": "yesterday",
    }
    path = write_conversations(
        tmp_path, [1, "two", None, {"mapping": []}, {"mapping": {}}, odd_nodes, good]
    )
    assert [(c.name, c.content, c.created_at) for c in extract(path, "chatgpt")] == [
        ("Odd", "Still read", None),
        ("Fine", "A real question", None),
    ]


def test_a_long_title_is_shortened_for_the_name(tmp_path):
    title = "word " * 100
    path = write_conversations(
        tmp_path,
        [{"id": "c", "title": title, "current_node": "u", "mapping": {"u": user("u", None, "Q")}}],
    )
    (found,) = extract(path)
    assert len(found.name) <= 201
    assert found.name.endswith("…")


# --- Bad input -------------------------------------------------------------------------------


def test_a_truncated_file_is_a_clear_error(tmp_path):
    data = (SINGLE / "conversations.json").read_bytes()
    path = tmp_path / "conversations.json"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(path))
    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(path, "chatgpt"))


def test_a_truncated_shard_in_a_zip_is_a_clear_error(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for file in SHARDED.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    shard = folder / "conversations-001.json"
    shard.write_bytes(shard.read_bytes()[:500])
    archive = zip_folder(folder, tmp_path / "chatgpt.zip", top="export")
    with pytest.raises(ImportFormatError, match="conversations-001.json ends before"):
        list(extract(archive))


def test_json_of_the_wrong_shape_is_a_clear_error(tmp_path):
    path = write_conversations(tmp_path, {"conversations": [{"mapping": {}}]})
    with pytest.raises(ImportFormatError, match="should hold a list of conversations"):
        list(extract(path, "chatgpt"))
    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        list(extract(path))


def test_a_list_without_conversations_is_a_clear_error(tmp_path):
    path = write_conversations(tmp_path, [{"title": "No tree"}, 4])
    with pytest.raises(ImportFormatError, match="no ChatGPT conversations"):
        list(extract(path, "chatgpt"))


def test_another_sources_export_given_as_chatgpt_is_a_clear_error():
    with pytest.raises(ImportFormatError, match="no ChatGPT conversations"):
        list(extract(FIXTURES / "claude" / "export", "chatgpt"))
    with pytest.raises(ImportFormatError, match="no conversations.json"):
        list(extract(FIXTURES / "gemini" / "html", "chatgpt"))


def test_non_utf8_bytes_at_the_start_are_a_clear_error(tmp_path):
    data = (SINGLE / "conversations.json").read_bytes().replace(b"Trip planning", b"Tr\xefp")
    path = tmp_path / "conversations.json"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match="conversations.json isn't UTF-8"):
        detect(path)
    with pytest.raises(ImportFormatError, match="isn't UTF-8"):
        list(extract(path))


def test_non_utf8_bytes_are_a_clear_error(tmp_path):
    data = (SINGLE / "conversations.json").read_bytes().replace(b"Sintra", b"S\xefntra")
    path = tmp_path / "conversations.json"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match="isn't UTF-8"):
        list(extract(path))


def test_layouts_seen_in_published_exports():
    # A root that isn't client-created-root, nodes without a message or a parent link,
    # children lists that disagree with the parents, voice replies and a named tool author.
    found = list(extract(FIXTURES / "chatgpt" / "quirks", "chatgpt"))

    assert [(c.content, c.created_at, c.model, c.kept) for c in found] == [
        (
            "Plan a 5k training schedule for a beginner.",
            datetime.fromtimestamp(1751000001, tz=UTC),
            "gpt-4o",
            True,
        ),
        (
            "Make week three a bit easier.",
            datetime.fromtimestamp(1751000100, tz=UTC),
            "gpt-4o-mini",
            True,
        ),
        (
            "Add a rest day after each long run.",
            datetime.fromtimestamp(1751000200, tz=UTC),
            "gpt-4o",
            True,
        ),
    ]
    assert not any("ASSISTANT" in c.content or "TOOL" in c.content for c in found)
