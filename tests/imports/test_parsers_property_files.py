"""Random and damaged inputs for the Cline, Cursor and file readers: each either reads them or
says why with ImportFormatError. Any other exception, or a read that doesn't end, fails.
Each input is also given to detection, which must answer the same way."""

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import ijson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from apps.imports.parsers import ImportFormatError, extract
from apps.imports.parsers.base import json_items
from tests.imports.timing import time_limit

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = ("cline", "cursor", "file", None)
# Reading these tiny inputs takes milliseconds: this long means it would never end.
HANG_SECONDS = 5

FIXTURE_FILES = sorted(
    path
    for folder in ("cline", "cursor", "file")
    for path in (FIXTURES / folder).rglob("*")
    if path.is_file() and path.suffix != ".py"
)
NAMES = [
    "ui_messages.json",
    "api_conversation_history.json",
    "taskHistory.json",
    "claude_messages.json",
    "cline_task.md",
    "state.vscdb",
    "prompts.json",
    "prompts.csv",
    "prompts.md",
    "notes.txt",
    "template.prompty",
    "template.prompt",
    "upload",
]
ZIP_NAMES = [
    "tasks/1718000000000/ui_messages.json",
    "tasks/1718000000000/api_conversation_history.json",
    "tasks/1718000000000/task_metadata.json",
    "state/taskHistory.json",
    "User/globalStorage/state.vscdb",
    "top/prompts.md",
    "top/prompts.json",
    "top/prompts.csv",
    "top/a.prompty",
    "top/b.prompt",
    "__MACOSX/top/._prompts.md",
]

SETTINGS = settings(
    max_examples=40,
    deadline=None,  # the alarm below catches a hang; timings on a shared machine vary
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def read_every_way(path: Path) -> None:
    for source in SOURCES:
        with time_limit(HANG_SECONDS):
            try:
                for candidate in extract(path, source):
                    assert isinstance(candidate.content, str) and candidate.content.strip()
                    assert isinstance(candidate.name, str)
                    json.dumps(candidate.reference)
                    json.dumps(candidate.metadata)
            except ImportFormatError as error:
                assert str(error)


def check(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="pv-files-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        read_every_way(path)


# --- Inputs ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    # The JSON reader refuses integers beyond 64 bits (see the last test), so none here.
    | st.integers(min_value=1 - 2**63, max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["say", "ask", "task", "user_feedback", "text", "user", "<task>x</task>"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ts",
                    "type",
                    "say",
                    "ask",
                    "text",
                    "role",
                    "content",
                    "id",
                    "task",
                    "name",
                    "title",
                    "prompt",
                    "prompts",
                    "tags",
                    "versions",
                    "metadata",
                    "format",
                    "modelInfo",
                    "images",
                    "files",
                    "folder",
                    "model",
                    "created_at",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@st.composite
def mutated(draw, content: bytes) -> bytes:
    data = bytearray(content)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        action = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "repeat"]))
        position = draw(st.integers(min_value=0, max_value=max(len(data), 0)))
        if action == "truncate":
            del data[position:]
        elif action == "flip" and data:
            index = min(position, len(data) - 1)
            data[index] ^= draw(st.integers(min_value=1, max_value=255))
        elif action == "insert":
            data[position:position] = draw(
                st.binary(max_size=16)
                | st.sampled_from(
                    [b"---\n", b"\n## x\n", b'"', b"[", b"{", b"\x00", b"\xff", b"\r\n", b"${"]
                )
            )
        elif action == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=64))]
        elif action == "repeat":
            data[position:position] = data[position : position + 64] * 3
    return bytes(data)


@st.composite
def damaged_fixture(draw) -> tuple[str, bytes]:
    path = draw(st.sampled_from(FIXTURE_FILES))
    name = draw(st.sampled_from([path.name, path.name, "upload"]))
    return name, draw(mutated(path.read_bytes()))


def sqlite_file(rows: list[tuple[str, str, object]], *, tables: tuple[str, ...]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="pv-db-") as folder:
        path = Path(folder) / "state.vscdb"
        connection = sqlite3.connect(path)
        for table in tables:
            connection.execute(f"CREATE TABLE {table} (key TEXT UNIQUE, value BLOB)")
        for table, key, value in rows:
            if table in tables:
                connection.execute(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",  # noqa: S608 - fixed names
                    (key, value),
                )
        connection.commit()
        connection.close()
        return path.read_bytes()


cursor_keys = st.sampled_from(
    [
        "composerData:c1",
        "composerData:c2",
        "bubbleId:c1:b1",
        "bubbleId:c1:b2",
        "bubbleId:c2:b1",
        "workbench.panel.aichat.view.aichat.chatdata",
        "aiService.prompts",
        "composer.composerData",
    ]
) | st.text(max_size=20)
cursor_bubbles = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from([1, 2, "user", "ai", None]), "text": st.text(max_size=20)},
        optional={
            "bubbleId": st.sampled_from(["b1", "b2", 7]),
            "modelType": st.sampled_from(["gpt-4o", "default", None, 3]),
            "createdAt": st.sampled_from([1716000000000, "soon", None]),
        },
    )
    | json_values,
    max_size=5,
)
cursor_values = (
    st.none()
    | st.binary(max_size=64)
    | json_values.map(json.dumps)
    | st.builds(
        lambda headers: json.dumps(
            {"fullConversationHeadersOnly": [{"bubbleId": b, "type": t} for b, t in headers]}
        ),
        st.lists(st.tuples(st.sampled_from(["b1", "b2", "x"]), st.sampled_from([1, 2, "1"]))),
    )
    | st.builds(
        lambda text, kind: json.dumps({"type": kind, "text": text, "richText": text}),
        st.text(max_size=30),
        st.sampled_from([1, 2, None, "user"]),
    )
    # 2024 composers kept whole in ItemTable, and chat-panel tabs whose replies name models.
    | st.builds(
        lambda composers: json.dumps({"allComposers": composers}),
        st.lists(
            st.fixed_dictionaries(
                {"conversation": cursor_bubbles},
                optional={
                    "composerId": st.sampled_from(["c1", "c2", 5]),
                    "createdAt": st.sampled_from([1716000000000, "x", -1e30]),
                    "name": st.text(max_size=10) | st.none(),
                },
            )
            | json_values,
            max_size=3,
        ),
    )
    | st.builds(lambda bubbles: json.dumps({"tabs": [{"bubbles": bubbles}]}), cursor_bubbles)
)


@st.composite
def cursor_database(draw) -> bytes:
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(["ItemTable", "cursorDiskKV"]), cursor_keys, cursor_values),
            max_size=8,
        )
    )
    tables = draw(
        st.sampled_from([("ItemTable",), ("cursorDiskKV",), ("ItemTable", "cursorDiskKV")])
    )
    return sqlite_file(rows, tables=tables)


markdown_pieces = st.sampled_from(
    [
        "---\n",
        "---\nname: x\n---\n",
        "---\ntags: [a, b\n---\n",
        "# Title\n",
        "## Part\n",
        "```\n",
        "~~~\n",
        "\n",
        "text line\n",
        "**User:**\n",
        "### Human\n",
        "<task>\n",
        "</task>\n",
        "<environment_details>\n",
        "${Name:default}",
        '"quoted, cell"',
        "act,prompt\n",
        "act,prompt,for_devs,type,contributor\n",
        "---\nmode: agent\ntools: [a, 1]\nmodel: {id: x}\n---\n",
        "name,content\n",
        "\ufeff",
        "\r\n",
    ]
) | st.text(max_size=20)


@st.composite
def zip_upload(draw) -> bytes:
    members = draw(
        st.dictionaries(
            st.sampled_from(ZIP_NAMES),
            st.one_of(
                st.binary(max_size=200),
                json_values.map(lambda value: json.dumps(value).encode()),
                st.lists(markdown_pieces, max_size=12).map(lambda parts: "".join(parts).encode()),
            ),
            max_size=6,
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    data = buffer.getvalue()
    return draw(st.just(data) | mutated(data))


# --- Properties -----------------------------------------------------------------------------


@SETTINGS
@given(name=st.sampled_from(NAMES), content=st.binary(min_size=1, max_size=2048))
def test_random_bytes_are_read_or_refused(name, content):
    check(name, content)


@SETTINGS
@given(upload=damaged_fixture())
def test_damaged_fixtures_are_read_or_refused(upload):
    check(*upload)


@SETTINGS
@given(name=st.sampled_from(NAMES), value=json_values)
def test_json_of_any_shape_is_read_or_refused(name, value):
    check(name, json.dumps(value).encode())


@SETTINGS
@given(
    name=st.sampled_from(
        ["prompts.md", "notes.txt", "a.prompty", "b.prompt", "c.csv", "cline.md", "d.prompt.md"]
    ),
    text=st.lists(markdown_pieces, min_size=1, max_size=20).map("".join),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_text_of_any_shape_is_read_or_refused(name, text, encoding):
    check(name, text.encode(encoding, errors="replace"))


@settings(SETTINGS, max_examples=25)
@given(content=cursor_database(), name=st.sampled_from(["state.vscdb", "upload", "x.db"]))
def test_cursor_databases_of_any_content_are_read_or_refused(content, name):
    check(name, content)


@settings(SETTINGS, max_examples=25)
@given(content=cursor_database().flatmap(mutated))
def test_damaged_cursor_databases_are_read_or_refused(content):
    check("state.vscdb", content)


cline_api_messages = st.lists(
    st.fixed_dictionaries(
        {
            "role": st.sampled_from(["user", "assistant", None]),
            "content": st.text(max_size=10)
            | st.sampled_from(
                [
                    "<task>Do it</task>",
                    "<user_message>More</user_message><file_content path='a'>x",
                    "<feedback>a<file_content path=x>b</file_content></feedback>",
                ]
            )
            | json_values,
        },
        optional={
            "ts": st.sampled_from(["1752000000000", 1752000000000, "soon", -1e300, None]),
            "modelInfo": st.fixed_dictionaries({"modelId": st.text(max_size=5) | json_values})
            | json_values,
        },
    )
    | json_values,
    max_size=6,
)


@SETTINGS
@given(messages=cline_api_messages)
def test_cline_api_histories_of_any_shape_are_read_or_refused(messages):
    check("api_conversation_history.json", json.dumps(messages).encode())


@SETTINGS
@given(content=zip_upload())
def test_zips_of_any_content_are_read_or_refused(content):
    check("upload.zip", content)


@SETTINGS
@given(value=json_values, prefix=st.sampled_from(["item", "prompts.item", "", "item.item", "a"]))
def test_json_items_agrees_with_ijson(value, prefix):
    # ijson joins keys with dots, so an empty key or one with a dot is ambiguous there.
    assume(_plain_keys(value))
    data = json.dumps(value).encode()

    assert list(json_items(io.BytesIO(data), prefix)) == list(
        ijson.items(io.BytesIO(data), prefix, use_float=True)
    )


def test_a_zip_needing_a_newer_format_than_python_reads_is_refused_not_a_crash(tmp_path):
    """Found by the zip property above: an entry whose header asks for version 8.4 of the zip
    format makes Python's zipfile raise NotImplementedError while listing the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("User/globalStorage/state.vscdb", b"")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 84  # "version needed to extract" in the central directory: 8.4
    path = tmp_path / "upload.zip"
    path.write_bytes(bytes(data))
    for source in SOURCES:
        with pytest.raises(ImportFormatError, match="format PromptVault can't read"):
            list(extract(path, source))


def test_numbers_beyond_64_bits_are_refused_as_json_not_as_a_crash(tmp_path):
    path = tmp_path / "prompts.json"
    path.write_text('[{"name": "a", "content": "b", "metadata": {"id": 18446744073709551616}}]')

    for source in ("file", None):
        try:
            list(extract(path, source))
        except ImportFormatError as error:
            assert "JSON" in str(error) or "recognise" in str(error)


def _plain_keys(value) -> bool:
    if isinstance(value, dict):
        return all(key and "." not in key and _plain_keys(v) for key, v in value.items())
    if isinstance(value, list):
        return all(_plain_keys(item) for item in value)
    return True
