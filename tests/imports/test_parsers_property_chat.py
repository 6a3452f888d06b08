"""Random and damaged chat exports: the ChatGPT, Claude and Gemini readers either read them or
say why with ImportFormatError. Any other exception, or a read that never ends, fails."""

import contextlib
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.imports.parsers import ImportFormatError, extract, gemini, open_bundle, parser_for
from apps.imports.parsers.base import clean_text
from tests.imports.timing import time_limit

FIXTURES = Path(__file__).parent / "fixtures"
CHAT_SOURCES = ("chatgpt", "claude", "gemini")
# A read of these tiny files takes milliseconds; this long means it would never end.
HANG_SECONDS = 5

FIXTURE_FILES = [
    ("chatgpt", FIXTURES / "chatgpt" / "single" / "conversations.json", "conversations.json"),
    (
        "chatgpt",
        FIXTURES / "chatgpt" / "sharded" / "conversations-000.json",
        "conversations-000.json",
    ),
    ("claude", FIXTURES / "claude" / "export" / "conversations.json", "conversations.json"),
    ("claude", FIXTURES / "claude" / "export" / "projects.json", "projects.json"),
    ("chatgpt", FIXTURES / "chatgpt" / "quirks" / "conversations.json", "conversations.json"),
    (
        "claude",
        FIXTURES / "claude" / "batch" / "data-2026-01-05-batch-0000" / "conversations.json",
        "conversations.json",
    ),
    (
        "gemini",
        FIXTURES / "gemini" / "en" / "Takeout" / "My Activity" / "Gemini Apps" / "MyActivity.json",
        "MyActivity.json",
    ),
    *(
        ("gemini", path, path.name)
        for path in sorted((FIXTURES / "gemini").rglob("*.json"))
        if path.relative_to(FIXTURES / "gemini").parts[0].endswith("_json")
    ),
    (
        "gemini",
        FIXTURES
        / "gemini"
        / "html"
        / "Takeout"
        / "My Activity"
        / "Gemini Apps"
        / "MyActivity.html",
        "MyActivity.html",
    ),
    *(
        ("gemini", path, path.name)
        for path in sorted((FIXTURES / "gemini").rglob("*.html"))
        if path.relative_to(FIXTURES / "gemini").parts[0] != "html"
    ),
]

SETTINGS = settings(
    max_examples=60,
    deadline=None,  # the alarm below catches a hang; timing on a shared machine varies
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextlib.contextmanager
def upload(files: dict[str, bytes]):
    """A folder holding `files` (relative path → bytes), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="pv-chat-"))
    try:
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_all(path: Path, source: str | None) -> None:
    """Extract everything; only ImportFormatError may come out."""
    with time_limit(HANG_SECONDS):
        try:
            for candidate in extract(path, source):
                assert isinstance(candidate.content, str) and candidate.content.strip()
                assert isinstance(candidate.name, str) and candidate.name
                assert candidate.source in CHAT_SOURCES
                json.dumps(candidate.reference)
                json.dumps(candidate.metadata)
        except ImportFormatError as error:
            assert str(error)


def detect_each(path: Path) -> None:
    """Each chat detector either recognises the upload, passes, or refuses it."""
    with time_limit(HANG_SECONDS):
        for source in CHAT_SOURCES:
            try:
                with open_bundle(path) as bundle:
                    found = parser_for(source).detect(bundle)
            except ImportFormatError as error:
                assert str(error)
            else:
                assert found is None or found.source == source


def read_each_way(files: dict[str, bytes], sources=CHAT_SOURCES) -> None:
    with upload(files) as folder:
        detect_each(folder)
        for source in sources:
            read_all(folder, source)


# --- Random JSON in the right file names ------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


def encoded(value) -> bytes:
    return json.dumps(value).encode()


@SETTINGS
@given(
    value=json_values,
    name=st.sampled_from(
        [
            "conversations.json",
            "conversations-000.json",
            "projects.json",
            "projects/1.json",
            "MyActivity.json",
        ]
    ),
)
def test_any_json_value_is_read_or_refused(value, name):
    read_each_way({name: encoded(value)})


# Shapes close to real exports, so the readers get past their first checks.
node_ids = st.sampled_from(["root", "a", "b", "c", "d"])
chatgpt_messages = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=5) | st.integers(),
        "author": st.fixed_dictionaries(
            {"role": st.sampled_from(["user", "assistant", "tool"])},
            optional={"name": st.sampled_from(["gmail.search_email_ids", None]) | json_values},
        )
        | json_values,
        "create_time": st.floats(allow_nan=False) | st.none() | st.text(max_size=5),
        "content": st.fixed_dictionaries(
            {
                "content_type": st.sampled_from(["text", "multimodal_text", "code"]),
                "parts": st.lists(
                    st.text(max_size=10)
                    | st.none()
                    | st.fixed_dictionaries(
                        {
                            "content_type": st.sampled_from(
                                ["audio_transcription", "image_asset_pointer"]
                            ),
                            "text": json_values,
                        }
                    ),
                    max_size=3,
                )
                | json_values,
            }
        )
        | json_values,
        "metadata": st.fixed_dictionaries(
            {},
            optional={
                "model_slug": json_values,
                "is_user_system_message": st.booleans(),
                "attachments": json_values,
            },
        )
        | json_values,
    },
)
chatgpt_nodes = st.fixed_dictionaries(
    {},
    optional={
        "parent": node_ids | st.none() | json_values,
        "children": st.lists(node_ids, max_size=3) | json_values,
        "message": chatgpt_messages | st.none(),
    },
)
chatgpt_conversations = st.fixed_dictionaries(
    {"mapping": st.dictionaries(node_ids, chatgpt_nodes | json_values, max_size=5) | json_values},
    optional={
        "title": st.text(max_size=10) | json_values,
        "current_node": node_ids | json_values,
        "default_model_slug": json_values,
        "create_time": json_values,
        "id": json_values,
    },
)


@SETTINGS
@given(conversations=st.lists(chatgpt_conversations | json_values, max_size=4))
def test_chatgpt_shaped_data_is_read_or_refused(conversations):
    read_each_way({"conversations.json": encoded(conversations)}, sources=("chatgpt",))


claude_messages = st.fixed_dictionaries(
    {"sender": st.sampled_from(["human", "assistant"]) | json_values},
    optional={
        "uuid": json_values,
        "text": st.text(max_size=10) | json_values,
        "content": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["text", "voice_note", "thinking", "tool_use"]),
                    "text": st.text(max_size=10) | json_values,
                },
                optional={
                    "start_timestamp": st.sampled_from(["2025-09-01T08:00:01Z", "x"]) | json_values,
                    "flags": json_values,
                    "citations": json_values,
                },
            )
            | json_values,
            max_size=3,
        )
        | json_values,
        "attachments": st.lists(
            st.fixed_dictionaries(
                {}, optional={"file_name": json_values, "extracted_content": json_values}
            )
            | json_values,
            max_size=2,
        )
        | json_values,
        "files": json_values,
        "created_at": json_values,
        "model": json_values,
    },
)
claude_conversations = st.fixed_dictionaries(
    {"chat_messages": st.lists(claude_messages | json_values, max_size=4) | json_values},
    optional={"uuid": json_values, "name": json_values, "created_at": json_values},
)
claude_projects = st.fixed_dictionaries(
    {"prompt_template": st.text(max_size=10) | json_values},
    optional={
        "uuid": json_values,
        "name": json_values,
        "description": json_values,
        "is_starter_project": st.booleans() | json_values,
        "docs": json_values,
        "creator": json_values,
    },
)


@SETTINGS
@given(
    conversations=st.lists(claude_conversations | json_values, max_size=4),
    projects=st.lists(claude_projects | json_values, max_size=3),
    project=claude_projects | json_values,
)
def test_claude_shaped_data_is_read_or_refused(conversations, projects, project):
    read_each_way(
        {
            "conversations.json": encoded(conversations),
            "projects.json": encoded(projects),
            "projects/p.json": encoded(project),
        },
        sources=("claude",),
    )


gemini_entries = st.fixed_dictionaries(
    {"header": st.sampled_from(["Gemini Apps", "Gemini-Apps", "Search", "AI Mode"]) | json_values},
    optional={
        "title": st.builds(
            lambda word, text: word + text,
            st.sampled_from(["Prompted ", "Pokyn ", "Pokyn\xa0", "Created "]),
            st.text(max_size=15),
        )
        | st.sampled_from(["Prompted ", "Created Gemini Canvas titled x", "Answered survey"])
        | json_values,
        "safeHtmlItem": st.just([{"html": "<p>REPLY</p>"}]) | json_values,
        "subtitles": json_values,
        "time": st.text(max_size=25) | json_values,
        "attachedFiles": json_values,
        "imageFile": json_values,
    },
)
html_pieces = st.sampled_from(
    [
        '<div class="outer-cell">',
        '<div class="header-cell">',
        '<div class="content-cell">',
        "</div>",
        "<br>",
        "Gemini Apps",
        "Prompted&nbsp;",
        "Mar 14, 2025, 9:21:33 AM CET",
        "Jul 16, 2026, 10:09:25\u202fAM GMT+07:00",
        "16 Jul 2026, 10:09:25 am IST",
        "2026年6月20日 00:28:51 CST",
        "2026年99月99日 99:99:99 GMT+99:99",
        "Pokyn&nbsp;",
        "Created Gemini Canvas titled&nbsp;",
        "AI Mode",
        "<p>",
        "&amp;",
        "&#x",
        "<!--",
        "-->",
        "<![",
        "<script>",
        "<p",
        ">",
    ]
) | st.text(max_size=8)


@SETTINGS
@given(entries=st.lists(gemini_entries | json_values, max_size=5))
def test_gemini_shaped_json_is_read_or_refused(entries):
    read_each_way({"Takeout/Activity/Gemini/MyActivity.json": encoded(entries)}, ("gemini",))


# Localised JSON: whatever the prompt word, exactly the prompts come out, in order, and none
# of the other actions (which carry no reply).
other_actions = st.sampled_from(
    [
        "Zpětná vazba: Dobrá odpověď",
        "Vybrán preferovaný koncept",
        "Použita funkce Asistenta",
        "Vytvořeno plátno Gemini s názvem Plán",
        "Selected preferred draft",
        "Gave feedback: Good response",
    ]
)
prompt_words = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=10).filter(
    lambda word: (
        not gemini.NOT_PROMPTS.match(word)
        and word not in {"Prompted", "Zpětná", "Vybrán", "Použita", "Vytvořeno"}
    )
)
localised_items = st.lists(
    st.tuples(st.just("prompt"), st.text(max_size=20), st.booleans())
    | st.tuples(st.just("other"), other_actions, st.just(False)),
    max_size=8,
)


@SETTINGS
@given(word=prompt_words, space=st.sampled_from([" ", "\xa0"]), items=localised_items)
def test_localised_gemini_json_gives_exactly_its_prompts(word, space, items):
    # At least one prompt carries its reply, as in every real file with prompts.
    items = [("prompt", "first", True), *items]
    entries = [
        {
            "header": "Aplikace Gemini",
            "title": word + space + text if kind == "prompt" else text,
            "time": "2026-06-19T22:28:51Z",
            **({"safeHtmlItem": [{"html": "<p>REPLY</p>"}]} if replied else {}),
        }
        for kind, text, replied in items
    ]
    expected = [clean_text(text) for kind, text, _ in items if kind == "prompt"]
    with upload({"Takeout/Aktivita/Gemini/MojeAktivita.json": encoded(entries)}) as folder:
        with time_limit(HANG_SECONDS):
            assert [c.content for c in extract(folder)] == [text for text in expected if text]


@SETTINGS
@given(pieces=st.lists(html_pieces, max_size=40))
def test_gemini_shaped_html_is_read_or_refused(pieces):
    page = '<div class="outer-cell"><div class="header-cell">Gemini Apps</div>' + "".join(pieces)
    read_each_way({"MyActivity.html": page.encode()}, ("gemini",))


# --- Real fixtures, damaged -------------------------------------------------------------------


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """Bytes flipped, cut, inserted or removed at random places."""
    data = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not data:
            break
        position = draw(st.integers(min_value=0, max_value=len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "remove"]))
        if action == "flip":
            data[position] ^= draw(st.integers(min_value=1, max_value=255))
        elif action == "cut":
            del data[position:]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=4))
        else:
            del data[position : position + draw(st.integers(min_value=1, max_value=50))]
    return bytes(data)


@pytest.mark.parametrize(
    "source, fixture, name", FIXTURE_FILES, ids=[f"{s}-{n}" for s, _p, n in FIXTURE_FILES]
)
def test_damaged_fixtures_are_read_or_refused(source, fixture, name):
    @SETTINGS
    @given(data=damaged(fixture.read_bytes()))
    def check(data):
        read_each_way({name: data}, sources=(source,))

    check()


@SETTINGS
@given(data=st.data())
def test_a_damaged_zip_is_read_or_refused(data):
    with tempfile.TemporaryDirectory(prefix="pv-chat-zip-") as folder:
        original = Path(folder) / "export.zip"
        with zipfile.ZipFile(original, "w", zipfile.ZIP_DEFLATED) as archive:
            for source, fixture, name in FIXTURE_FILES[:3]:
                archive.write(fixture, f"export/{source}/{name}")
        mutated = data.draw(damaged(original.read_bytes()))
        path = Path(folder) / "upload.zip"
        path.write_bytes(mutated)
        detect_each(path)
        for source in CHAT_SOURCES:
            read_all(path, source)
