import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.parsers import ImportFormatError, detect, extract, open_bundle, parser_for
from apps.imports.parsers.base import Bundle
from apps.prompts import export
from apps.prompts.models import Prompt
from apps.prompts.services import prompt_update, tag_update
from apps.prompts.services.bulk import NewPrompt, prompts_create_many
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory

FIXTURES = Path(__file__).parent / "fixtures" / "file"


def parts(found):
    return [
        (c.reference.get("split"), c.reference.get("part"), c.name, c.content, c.kept)
        for c in found
    ]


# --- Markdown and text ----------------------------------------------------------------------


def test_front_matter_names_a_single_prompt_and_sets_its_fields():
    found = list(extract(FIXTURES / "code-review.md"))

    whole = found[0]
    assert whole.name == "Code review checklist"
    assert whole.content == (
        "You are a senior engineer reviewing {{language}} code.\n\n## Look for\n\n"
        "- correctness first\n- then naming\n\n---\n\n"
        "Reply with a list of findings, most important first."
    )
    assert whole.description == "Reviews a pull request the way our team does."
    assert whole.tags == ["review", "engineering"]
    assert whole.folder == "work/engineering"
    assert whole.model == "gpt-4o"
    assert whole.metadata == {}
    # The file would split at the rule, so that reading is offered, but not chosen.
    assert parts(found) == [
        ("whole", None, "Code review checklist", whole.content, True),
        (
            "rule",
            1,
            "You are a senior engineer reviewing {{language}} code.",
            "You are a senior engineer reviewing {{language}} code.\n\n## Look for\n\n"
            "- correctness first\n- then naming",
            False,
        ),
        (
            "rule",
            2,
            "Reply with a list of findings, most important first.",
            "Reply with a list of findings, most important first.",
            False,
        ),
    ]
    assert {c.folder for c in found} == {"work/engineering"}
    assert {tuple(c.tags) for c in found} == {("review", "engineering")}
    assert found[1].description == ""


def test_the_first_heading_names_a_file_without_front_matter():
    found = list(extract(FIXTURES / "meeting-notes.md"))

    assert parts(found) == [
        (
            "whole",
            None,
            "Summarise a meeting",
            "Summarise the transcript below in five bullet points.\n"
            "Name every decision and who owns it.\n\n{{transcript}}",
            True,
        )
    ]
    assert found[0].reference == {"path": "meeting-notes.md", "split": "whole"}


def test_plain_text_is_named_after_its_file_and_loses_its_crlf():
    found = list(extract(FIXTURES / "plain-english.txt"))

    assert parts(found) == [
        (
            "whole",
            None,
            "plain english",
            "Translate the following text into plain English,\n"
            "keeping every number exactly as written.",
            True,
        )
    ]


def test_legacy_windows_text_is_read_as_cp1252():
    found = list(extract(FIXTURES / "legacy-cp1252.txt"))

    assert [c.content for c in found] == [
        "Résumé coach\n\nRewrite my résumé so each line starts with a verb – no “buzzwords”, "
        "please."
    ]


def test_a_collection_split_by_rules_offers_the_parts_first():
    found = list(extract(FIXTURES / "collection-rules.md"))

    whole = (
        "Tighten this paragraph\n======================\n\n"
        "Make the paragraph below shorter without losing any facts.\n\n---\n\n"
        "## Title ideas\n\nGive me ten titles for a post about {{topic}}.\n\n---\n\n"
        "Fix grammar\n---\nCorrect the grammar only; keep my wording.\n\n"
        "```yaml\n---\nnot: a separator inside code\n```"
    )
    # A `---` right under text underlines a heading, and one in a code block is code: neither
    # splits the file.
    assert parts(found) == [
        ("whole", None, "Writing prompts", whole, False),
        (
            "rule",
            1,
            "Tighten this paragraph",
            "Tighten this paragraph\n======================\n\n"
            "Make the paragraph below shorter without losing any facts.",
            True,
        ),
        ("rule", 2, "Title ideas", "Give me ten titles for a post about {{topic}}.", True),
        (
            "rule",
            3,
            "Fix grammar",
            "Fix grammar\n---\nCorrect the grammar only; keep my wording.\n\n"
            "```yaml\n---\nnot: a separator inside code\n```",
            True,
        ),
    ]
    assert found[2].reference == {
        "path": "collection-rules.md",
        "split": "rule",
        "part": 2,
        "parts": 3,
    }


def test_a_collection_split_by_headings_drops_its_introduction_and_empty_sections():
    found = list(extract(FIXTURES / "collection-headings.md"))

    assert parts(found)[1:] == [
        (
            "heading",
            1,
            "Explain like I'm five",
            "Explain {{concept}} as if I were five years old.",
            True,
        ),
        (
            "heading",
            2,
            "Shell one-liner",
            "Write a bash one-liner that does the following:\n\n```bash\n"
            "## this is a comment in the script, not a new prompt\n"
            'echo "{{task}}"\n```',
            True,
        ),
        (
            "heading",
            3,
            "Regex helper",
            "Write a regular expression that matches {{pattern}} and explain each part.",
            True,
        ),
    ]
    whole = found[0]
    assert (whole.reference["split"], whole.name, whole.kept) == (
        "whole",
        "My prompt collection",
        False,
    )
    assert whole.content.startswith("These are the prompts I use every week.\n\n## Explain")


def test_a_file_split_both_ways_offers_both_readings(tmp_path):
    path = tmp_path / "both.md"
    path.write_text("## One\n\nFirst prompt.\n\n---\n\nLoose text.\n\n## Two\n\nSecond prompt.\n")

    found = list(extract(path))

    assert parts(found) == [
        (
            "whole",
            None,
            "both",
            "## One\n\nFirst prompt.\n\n---\n\nLoose text.\n\n## Two\n\nSecond prompt.",
            False,
        ),
        ("rule", 1, "One", "First prompt.", True),
        ("rule", 2, "Loose text.", "Loose text.\n\n## Two\n\nSecond prompt.", True),
        ("heading", 1, "One", "First prompt.\n\n---\n\nLoose text.", False),
        ("heading", 2, "Two", "Second prompt.", False),
    ]


def test_identical_readings_are_offered_once(tmp_path):
    path = tmp_path / "same.md"
    path.write_text("## One\n\nFirst.\n\n---\n\n## Two\n\nSecond.\n")

    found = list(extract(path))

    assert [c.reference["split"] for c in found] == ["whole", "rule", "rule"]


@pytest.mark.parametrize(
    "text",
    [
        "---\n- a list\n- not a mapping\n---\nBody text.\n",
        "---\n: : not yaml [\n---\nBody text.\n",
        "---\n" + "[" * 3000 + "\n---\nBody text.\n",
    ],
)
def test_front_matter_that_is_not_a_mapping_is_left_as_text(tmp_path, text):
    path = tmp_path / "odd.md"
    path.write_text(text)

    found = list(extract(path))

    assert found[0].reference["split"] == "whole"
    assert found[0].content.endswith("Body text.")
    assert found[0].name == "odd"
    assert found[0].tags == []


def test_front_matter_aliases_cannot_blow_up(tmp_path):
    # Ten levels of nine aliases each: a few hundred bytes standing for a billion strings.
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        name, previous = chr(97 + level), chr(96 + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines += ["name: Safe", "tags: *j", "metadata:", "  deep: *j"]
    path = tmp_path / "bomb.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\nBody.\n")

    found = list(extract(path))

    assert [(c.name, c.content, c.tags, c.metadata) for c in found] == [("Safe", "Body.", [], {})]


def test_a_file_with_only_front_matter_gives_nothing(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("---\nname: Nothing\n---\n\n")

    assert list(extract(path)) == []


def test_markdown_is_read_back_from_promptvaults_markdown_export(db, tmp_path):
    owner = UserFactory()
    PromptFactory(
        user=owner,
        name="Weekly report",
        content="Summarise the week:\n\n## Wins\n\n## Risks\n\n---\n\n{{notes}}",
        description="Friday ritual",
        folder="work/reports",
        model="gpt-4o",
        tags=["reports"],
    )
    upload = tmp_path / "vault.zip"
    upload.write_bytes(b"".join(export.stream_markdown_zip(Prompt.objects.filter(user=owner))))

    found = [c for c in extract(upload) if c.kept]

    assert [(c.name, c.content, c.description, c.folder, c.model, c.tags) for c in found] == [
        (
            "Weekly report",
            "Summarise the week:\n\n## Wins\n\n## Risks\n\n---\n\n{{notes}}",
            "Friday ritual",
            "work/reports",
            "gpt-4o",
            ["reports"],
        )
    ]


# --- JSON -----------------------------------------------------------------------------------


def test_a_json_array_of_prompts():
    found = list(extract(FIXTURES / "prompts-array.json"))

    assert [(c.name, c.content, c.description, c.tags, c.folder, c.model) for c in found] == [
        (
            "Email reply",
            "Write a polite reply to this email:\n\n{{email}}\n",
            "For customer mail",
            ["email", "support", "writing"],
            "support",
            "claude-sonnet-4",
        ),
        (
            "SQL explainer",
            "Explain what this SQL query does: {{query}}",
            "",
            ["sql", "databases"],
            "",
            "",
        ),
        (
            "Suggest five names for a {{thing}}.",
            "Suggest five names for a {{thing}}.",
            "",
            [],
            "",
            "",
        ),
    ]
    assert [c.reference for c in found] == [
        {"path": "prompts-array.json", "index": 0},
        {"path": "prompts-array.json", "index": 1},
        {"path": "prompts-array.json", "index": 2},
    ]
    assert all(c.kept and c.versions == [] for c in found)


def test_a_json_object_with_a_prompts_list():
    found = list(extract(FIXTURES / "prompts-object.json"))

    assert [(c.name, c.content, c.folder, c.model, c.created_at) for c in found] == [
        ("Standup update", "Turn these notes into a standup update: {{notes}}", "work", "", None),
        (
            "Haiku",
            "Write a haiku about {{subject}}.",
            "",
            "gpt-4o-mini",
            datetime(2024, 3, 1, 8, 0, tzinfo=UTC),
        ),
    ]


def test_a_single_prompt_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text('{"name": "Solo", "prompt": "Just one prompt."}')

    assert detect(path).source == "file"
    assert [(c.name, c.content) for c in extract(path)] == [("Solo", "Just one prompt.")]


def test_promptvaults_export_carries_versions_tags_and_metadata():
    found = list(extract(FIXTURES / "promptvault-export.json"))

    triage, spaces = found
    assert triage.name == "Bug report triage"
    assert triage.content == "Classify this bug report by severity and component:\n\n{{report}}\n"
    assert triage.description == "Sorts incoming bug reports."
    assert (triage.model, triage.folder) == ("gpt-4o", "work/triage")
    assert triage.tags == ["bugs", "support"]
    assert triage.metadata == {
        "variables": {"report": "the text of the report"},
        "temperature": 0.2,
        "tag_colors": {"bugs": "#EF4444", "support": "#3B82F6"},
    }
    assert triage.created_at == datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    assert triage.reference == {
        "path": "promptvault-export.json",
        "index": 0,
        "format": "promptvault-export",
        "updated_at": "2025-07-01T09:00:00+00:00",
        "is_public": True,
    }
    # Oldest first, whatever order the file lists them in.
    assert triage.versions == [
        {
            "version": 1,
            "content": "Classify this bug report by severity: {{report}}",
            "change_message": "",
            "metadata": {},
            "created_at": "2025-06-01T09:00:00+00:00",
            "author": "Alice",
        },
        {
            "version": 2,
            "content": "Classify this bug report by severity and component:\n\n{{report}}\n",
            "change_message": "Ask for the component too",
            "metadata": {"temperature": 0.2},
            "created_at": "2025-07-01T09:00:00+00:00",
            "author": "Alice",
        },
    ]
    # Text is kept exactly: no trimming of names or content.
    assert spaces.name == "  Spaces kept  "
    assert spaces.content == "  Indented first line\n\ttab and trailing newline\n"
    assert spaces.metadata == {}
    assert spaces.tags == []


@pytest.mark.django_db
def test_promptvaults_json_export_round_trips(tmp_path):
    owner = UserFactory()
    prompt = PromptFactory(
        user=owner,
        name="Release checklist",
        content="Draft the checklist for {{version}}.",
        description="Before every release",
        folder="work/releases",
        model="claude-sonnet-4",
        tags=["releases", "ops"],
        metadata={"variables": {"version": "2.0"}, "nested": {"list": [1, 2.5, None]}},
    )
    prompt_update(
        prompt=prompt,
        author=owner,
        content="Draft the checklist for {{version}}, with owners.\n",
        change_message="Name an owner per step",
    )
    tag_update(tag=owner.tags.get(name="ops"), color="#10B981")
    PromptFactory(user=owner, name="Plain", content="  Leading spaces stay.", model="gpt-4o")
    first = _export(owner)
    upload = tmp_path / "vault.json"
    upload.write_text(first)

    newcomer = UserFactory()
    items = []
    for candidate in extract(upload):
        metadata = dict(candidate.metadata)
        items.append(
            NewPrompt(
                name=candidate.name,
                content=candidate.content,
                description=candidate.description,
                model=candidate.model,
                folder=candidate.folder,
                tags=candidate.tags,
                metadata=metadata,
                versions=candidate.versions,
                tag_colors=metadata.pop("tag_colors", {}),
            )
        )
    prompts_create_many(owner=newcomer, author=newcomer, items=items)
    second = _export(newcomer)

    assert _without_ids_and_times(json.loads(second)) == _without_ids_and_times(json.loads(first))


def _export(owner) -> str:
    queryset = Prompt.objects.filter(user=owner).order_by("name")
    # Exported in name order so both vaults list prompts alike.
    prompts = sorted(
        json.loads("".join(export.stream_json(queryset, owner_name="x")))["prompts"],
        key=lambda record: record["name"],
    )
    return json.dumps({"format": "promptvault-export", "format_version": 1, "prompts": prompts})


def _without_ids_and_times(document: dict) -> dict:
    for record in document["prompts"]:
        for key in ("id", "created_at", "updated_at"):
            record.pop(key, None)
        for version in record["versions"]:
            version.pop("created_at", None)
            version.pop("author", None)
    return document


# --- CSV ------------------------------------------------------------------------------------


def test_the_prompts_chat_csv_becomes_promptvault_variables():
    found = list(extract(FIXTURES / "prompts-chat.csv"))

    assert [(c.name, c.content, c.metadata) for c in found] == [
        (
            "Linux Terminal",
            "I want you to act as a linux terminal. I will type commands and you will reply "
            "with what the terminal should show. My first command is {{Command}}",
            {"variable_defaults": {"Command": "pwd"}},
        ),
        (
            "Travel Guide",
            "I want you to act as a travel guide for {{Place}}.\n"
            "Suggest places near {{Place}} for {{Target_Language}} speakers, in "
            "{{Target_Language}}.",
            {"variable_defaults": {"Target_Language": "English"}},
        ),
    ]
    assert [c.reference for c in found] == [
        {"path": "prompts-chat.csv", "row": 1},
        {"path": "prompts-chat.csv", "row": 2},
    ]


def test_a_name_content_csv_with_quoted_multi_line_cells():
    found = list(extract(FIXTURES / "prompts-table.csv"))

    assert [(c.name, c.content, c.description, c.tags, c.folder, c.model) for c in found] == [
        (
            "Release notes",
            "Write release notes for version {{version}}.\n\n"
            'Group the changes under "Added", "Fixed" and "Removed".',
            "From the changelog",
            ["writing", "releases"],
            "work/docs",
            "gpt-4o",
        ),
        (
            "Commit message",
            "Write a commit message for this diff:\n{{diff}}",
            "",
            ["git", "dev"],
            "",
            "",
        ),
        (
            "Unnamed prompt text that names itself.",
            "Unnamed prompt text that names itself.",
            "",
            [],
            "",
            "",
        ),
    ]


def test_promptvaults_csv_export_is_read_back(db, tmp_path):
    owner = UserFactory()
    PromptFactory(
        user=owner,
        name="Tone check",
        content='Is this "friendly", or, "curt"?\nBe honest.',
        tags=["writing", "tone"],
        metadata={"k": 1},
        folder="a/b",
    )
    upload = tmp_path / "vault.csv"
    upload.write_text("".join(export.stream_csv(Prompt.objects.filter(user=owner))))

    found = list(extract(upload))

    assert [(c.name, c.content, c.tags, c.metadata, c.folder) for c in found] == [
        (
            "Tone check",
            'Is this "friendly", or, "curt"?\nBe honest.',
            ["tone", "writing"],
            {"k": 1},
            "a/b",
        )
    ]


def test_a_semicolon_separated_csv(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("Titel;Prompt\nGrüße;Schreibe einen Gruß\n".encode("cp1252"))

    assert [(c.name, c.content) for c in extract(path)] == [
        ("Schreibe einen Gruß", "Schreibe einen Gruß")
    ]


def test_a_malformed_csv_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,content\nok,fine\n" + "x," + '"' + "y" * 200_000 + '"\n')

    with pytest.raises(ImportFormatError, match=r"bad.csv, line \d+"):
        list(extract(path, "file"))


def test_a_csv_without_a_prompt_column_is_refused_when_chosen():
    with pytest.raises(ImportFormatError, match="'prompt' or 'content' column"):
        list(extract(FIXTURES / "unrelated" / "numbers.csv", "file"))


# --- Prompty and Dotprompt ------------------------------------------------------------------


def test_a_prompty_file():
    found = list(extract(FIXTURES / "summarise.prompty"))

    assert [(c.name, c.content, c.model, c.description, c.tags) for c in found] == [
        (
            "Summarise article",
            "system:\nYou summarise articles for {{audience}}.\n\nuser:\n{{article}}",
            "gpt-4o-mini",
            "Summarises an article for a given audience.",
            ["summaries"],
        )
    ]
    assert found[0].metadata == {
        "format": "prompty",
        "api": "chat",
        "provider": "azure_openai",
        "parameters": {"max_tokens": 400, "temperature": 0.3},
        "sample": {"audience": "engineers", "article": "${file:article.txt}"},
        "authors": ["Alice"],
    }
    assert found[0].reference == {"path": "summarise.prompty", "format": "prompty"}


def test_a_dotprompt_file():
    found = list(extract(FIXTURES / "recipe.prompt"))

    assert [(c.name, c.content, c.model) for c in found] == [
        (
            "recipe",
            '{{role "system"}}\nYou are a chef who writes {{style}} recipes.\n'
            '{{role "user"}}\nCreate a recipe using: {{ingredients}}',
            "gemini-2.0-flash",
        )
    ]
    assert found[0].metadata == {
        "format": "dotprompt",
        "provider": "googleai",
        "config": {"temperature": 0.9},
        "input": {
            "schema": {"ingredients": "string", "style?": "string"},
            "default": {"style": "quick"},
        },
        "output": {"format": "json"},
    }


def test_a_template_whose_front_matter_is_not_a_mapping_is_skipped(tmp_path):
    path = tmp_path / "odd.prompt"
    path.write_text("---\n- just\n- a list\n---\nHello {{name}}\n")

    assert list(extract(path)) == []


def test_a_template_without_front_matter_is_all_body(tmp_path):
    path = tmp_path / "greeting.prompty"
    path.write_text("Hello {{name}}\n")

    assert [(c.name, c.content, c.metadata) for c in extract(path)] == [
        ("greeting", "Hello {{name}}", {"format": "prompty"})
    ]


# --- Zips and detection ---------------------------------------------------------------------


def test_a_zip_of_prompt_files_with_a_top_folder(tmp_path):
    upload = tmp_path / "prompts.zip"
    with zipfile.ZipFile(upload, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("meeting-notes.md", "prompts-object.json", "recipe.prompt"):
            archive.write(FIXTURES / name, f"my-prompts/{name}")
        archive.write(FIXTURES / "unrelated" / "pixel.png", "my-prompts/pixel.png")
        archive.writestr("my-prompts/package.json", '{"name": "tool", "version": "1.0"}')
        archive.writestr("__MACOSX/my-prompts/._meeting-notes.md", b"\x00\x05\x16\x07")
        archive.writestr("my-prompts/.hidden.md", "# Hidden\n\nnot read")
        archive.writestr("my-prompts/empty.md", "")

    detection = detect(upload)
    found = list(extract(upload))

    assert detection.source == "file"
    assert detection.summary == "Prompt files: 5 (2 Markdown, 2 JSON, 1 Dotprompt)"
    assert [(c.reference["path"], c.name) for c in found] == [
        ("my-prompts/meeting-notes.md", "Summarise a meeting"),
        ("my-prompts/prompts-object.json", "Standup update"),
        ("my-prompts/prompts-object.json", "Haiku"),
        ("my-prompts/recipe.prompt", "recipe"),
    ]


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("code-review.md", "Markdown file: code-review.md"),
        ("plain-english.txt", "Text file: plain-english.txt"),
        ("prompts-array.json", "JSON file: prompts-array.json"),
        ("prompts-object.json", "JSON file: prompts-object.json"),
        ("promptvault-export.json", "JSON file: promptvault-export.json"),
        ("prompts-chat.csv", "CSV file: prompts-chat.csv"),
        ("prompts-table.csv", "CSV file: prompts-table.csv"),
        ("legacy-cp1252.txt", "Text file: legacy-cp1252.txt"),
        ("summarise.prompty", "Prompty file: summarise.prompty"),
        ("recipe.prompt", "Dotprompt file: recipe.prompt"),
    ],
)
def test_each_prompt_file_is_detected(name, summary):
    detection = detect(FIXTURES / name)

    assert (detection.source, detection.summary) == ("file", summary)


def test_an_export_is_detected_when_the_upload_lost_its_name(tmp_path):
    renamed = tmp_path / "upload"
    renamed.write_bytes((FIXTURES / "promptvault-export.json").read_bytes())

    assert detect(renamed).source == "file"
    assert len(list(extract(renamed))) == 2


@pytest.mark.parametrize(
    "name",
    ["pixel.png", "empty-object.json", "records.json", "chat-messages.json", "numbers.csv"],
)
def test_unrelated_files_are_not_recognised(name):
    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        detect(FIXTURES / "unrelated" / name)


def test_json_is_never_read_as_cp1252(tmp_path):
    path = tmp_path / "legacy.json"
    path.write_bytes('[{"name": "Café", "content": "Crème brûlée"}]'.encode("cp1252"))

    with pytest.raises(ImportFormatError, match="UTF-8"):
        list(extract(path, "file"))


def test_truncated_json_is_a_format_error(tmp_path):
    path = tmp_path / "cut.json"
    text = (FIXTURES / "prompts-array.json").read_text()
    path.write_text(text[: len(text) // 2])

    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(path, "file"))


def test_json_that_is_not_a_list_or_object_is_refused(tmp_path):
    path = tmp_path / "scalar.json"
    path.write_text('"just a string"')

    with pytest.raises(ImportFormatError, match="not a JSON list of prompts"):
        list(extract(path, "file"))


def test_a_big_array_is_streamed_not_loaded(tmp_path, monkeypatch):
    path = tmp_path / "many.json"
    with path.open("w") as handle:
        handle.write("[")
        handle.write(
            ",".join(json.dumps({"name": f"P{n}", "content": f"Prompt {n}"}) for n in range(5000))
        )
        handle.write("]")

    def refuse(*args, **kwargs):
        raise AssertionError("the whole file was loaded")

    monkeypatch.setattr(json, "loads", refuse)
    monkeypatch.setattr(Bundle, "load_json", refuse)
    found = extract(path, "file")

    assert next(found).name == "P0"
    assert sum(1 for _ in found) == 4999


def test_detection_says_when_a_json_file_is_not_utf8(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('[{"name": "Café", "content": "Naïve"}]'.encode("latin-1"))

    with pytest.raises(ImportFormatError, match="latin.json isn't UTF-8"):
        detect(path)


def test_a_non_utf8_json_file_in_a_zip_is_passed_over(tmp_path):
    upload = tmp_path / "mixed.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("latin.json", '[{"name": "Café", "content": "Naïve"}]'.encode("latin-1"))
        archive.write(FIXTURES / "meeting-notes.md", "meeting-notes.md")

    assert [c.name for c in extract(upload)] == ["Summarise a meeting"]


# --- Detection across sources ---------------------------------------------------------------

ALL_FIXTURES = FIXTURES.parent
OWN_SOURCES = ("cline", "cursor", "file")


def _chat_fixtures() -> list[Path]:
    """The ChatGPT, Claude and Gemini exports: each layout folder and each file in it."""
    found = []
    for source in ("chatgpt", "claude", "gemini"):
        for layout in sorted((ALL_FIXTURES / source).glob("*")):
            if layout.is_dir():
                found.append(layout)
                found.extend(sorted(p for p in layout.rglob("*") if p.is_file()))
    return found


@pytest.mark.parametrize(
    "path",
    _chat_fixtures() or [pytest.param(None, marks=pytest.mark.skip("no chat fixtures"))],
    ids=lambda path: str(path.relative_to(ALL_FIXTURES)) if path else "none",
)
def test_cline_cursor_and_file_leave_chat_exports_alone(path):
    with open_bundle(path) as bundle:
        claimed = [source for source in OWN_SOURCES if parser_for(source).detect(bundle)]

    assert claimed == []


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("cline/storage", "cline"),
        ("cline/export_bold.md", "cline"),
        ("cline/export_headings.md", "cline"),
        ("cline/storage/saoudrizwan.claude-dev/state/taskHistory.json", "cline"),
        ("cursor/globalStorage", "cursor"),
        ("cursor/workspaceStorage", "cursor"),
        ("cursor/unrelated.db", "cursor"),
        ("file/code-review.md", "file"),
        ("file/prompts-chat.csv", "file"),
        ("file/promptvault-export.json", "file"),
        ("file/summarise.prompty", "file"),
    ],
)
def test_detection_picks_the_right_source(relative, source):
    assert detect(ALL_FIXTURES / relative).source == source


# --- Layouts seen in files people published ----------------------------------------------------


def test_a_vs_code_prompt_file_is_one_prompt_named_after_its_file():
    found = list(extract(FIXTURES / "react-form.prompt.md"))

    assert [(c.name, c.content, c.model, c.description, c.kept) for c in found] == [
        (
            "react-form",
            "Create a form component for ${input:formName:the form's name} using the patterns "
            "in #codebase.\n\n## Requirements\n- Use react-hook-form for state.\n- Validate with "
            "zod; show errors under each field.\n\n## Output\nOne file per component, with a "
            "story next to it.",
            "GPT-4o",
            "Generate a new React form component",
            True,
        )
    ]
    assert found[0].metadata == {
        "format": "vscode-prompt",
        "mode": "agent",
        "tools": ["githubRepo", "codebase"],
    }
    assert found[0].reference == {"path": "react-form.prompt.md", "split": "whole"}


def test_the_prompts_chat_csv_with_its_2025_header():
    found = list(extract(FIXTURES / "prompts-chat-2025.csv"))

    assert [(c.name, c.content, c.metadata) for c in found] == [
        (
            "Commit Message Writer",
            "Write a conventional commit message for this diff:\n{{Diff}}",
            {"contributor": "ada-l"},
        ),
        (
            "Packing Assistant",
            "Make a packing list for {{Days}} days in {{City}}.",
            {"variable_defaults": {"Days": "3"}},
        ),
    ]
    assert not any("TRUE" in c.content or "TEXT" in c.content for c in found)


def test_a_prompty_file_in_the_current_layout_names_its_model_at_model_id():
    found = list(extract(FIXTURES / "translate.prompty"))

    assert [(c.name, c.content, c.model, c.description) for c in found] == [
        (
            "Translate",
            "system:\nTranslate the user's text into {{language}}. Keep the formatting.\n\n"
            "user:\n{{text}}",
            "gpt-4.1-mini",
            "Translates text into a target language.",
        )
    ]
    assert found[0].metadata == {
        "format": "prompty",
        "api": "chat",
        "provider": "azure_openai",
        "parameters": {"temperature": 0.2},
        "inputs": {
            "text": {"type": "string"},
            "language": {"type": "string", "default": "French"},
        },
    }
