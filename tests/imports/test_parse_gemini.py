import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.imports.parsers import Detection, ImportFormatError, detect, extract
from apps.imports.parsers import gemini as parser
from apps.imports.parsers.base import FolderBundle

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH = FIXTURES / "gemini" / "en"
GERMAN = FIXTURES / "gemini" / "de"
HTML = FIXTURES / "gemini" / "html"
ENGLISH_JSON = ENGLISH / "Takeout" / "My Activity" / "Gemini Apps" / "MyActivity.json"
HTML_FILE = HTML / "Takeout" / "My Activity" / "Gemini Apps" / "MyActivity.html"
OTHER_SOURCES = [
    FIXTURES / "chatgpt" / "single",
    FIXTURES / "chatgpt" / "sharded",
    FIXTURES / "claude" / "export",
    FIXTURES / "claude" / "newer",
]


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def rows(candidates):
    return [(c.name, c.content, c.model, c.created_at, c.reference, c.metadata) for c in candidates]


ENGLISH_PROMPTS = [
    (
        "Give me three names for a bakery that sells only sourdough.",
        "Give me three names for a bakery that sells only sourdough.",
        "gemini",
        at(2025, 3, 14, 9, 21, 33, 512000),
        {
            "title": "Prompted Give me three names for a bakery that sells only sourdough.",
            "time": "2025-03-14T09:21:33.512Z",
        },
        {},
    ),
    (
        "Summarise this PDF in five bullet points",
        "Summarise this PDF in five bullet points",
        "gemini",
        at(2025, 3, 11, 20, 45, 10, 1000),
        {
            "title": "Prompted Summarise this PDF in five bullet points",
            "time": "2025-03-11T20:45:10.001Z",
        },
        {"files": ["quarterly-report.pdf"]},
    ),
    (
        "Translate into French:",
        "Translate into French:\nThe meeting moved to Thursday.",
        "gemini",
        at(2025, 3, 10, 7, 30),
        {"title": "Prompted Translate into French:", "time": "2025-03-10T07:30:00Z"},
        {},
    ),
]

GERMAN_PROMPTS = [
    (
        "Schreib ein Gedicht über den Rhein.",
        "Schreib ein Gedicht über den Rhein.",
        "gemini",
        at(2025, 5, 2, 16, 4, 5),
        {
            "title": "Prompted Schreib ein Gedicht über den Rhein.",
            "time": "2025-05-02T16:04:05.000Z",
        },
        {},
    ),
    (
        "Was kostet ein Deutschlandticket?",
        "Was kostet ein Deutschlandticket?",
        "gemini",
        at(2025, 5, 1, 11),
        {"title": "Prompted Was kostet ein Deutschlandticket?", "time": "2025-05-01T11:00:00.000Z"},
        {},
    ),
]

HTML_PROMPTS = [
    (
        "Explain the difference between <div> and <span> & when to use each",
        "Explain the difference between <div> and <span> & when to use each",
        "gemini",
        at(2025, 3, 14, 8, 21, 33),  # 9:21:33 AM CET
        {
            "title": "Prompted Explain the difference between <div> and <span> & when to use each",
            "time": "Mar 14, 2025, 9:21:33 AM CET",
        },
        {},
    ),
    (
        "Write a packing list for a weekend hike.",
        "Write a packing list for a weekend hike.\nKeep it short & practical.",
        "gemini",
        at(2025, 3, 12, 7, 15, 2),
        {
            "title": "Prompted Write a packing list for a weekend hike.",
            "time": "Mar 12, 2025, 8:15:02 AM CET",
        },
        {},
    ),
    (
        'What\'s the "rule of thirds"?',
        'What\'s the "rule of thirds"?',
        "gemini",
        at(2025, 3, 10, 21),
        {
            "title": 'Prompted What\'s the "rule of thirds"?',
            "time": "Mar 10, 2025, 10:00:00 PM CET",
        },
        {},
    ),
]


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
        archive.writestr("Takeout/archive_browser.html", "<html><body>Archive</body></html>")
    return target


def entry(title, time="2025-01-01T00:00:00Z", header="Gemini Apps"):
    return {"header": header, "title": title, "time": time, "products": [header]}


def write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


# --- What comes out --------------------------------------------------------------------------


def test_it_finds_each_prompted_entry_in_the_json_activity():
    with FolderBundle(ENGLISH) as bundle:
        assert rows(parser.parse(bundle)) == ENGLISH_PROMPTS


def test_it_reads_a_takeout_with_localised_folder_names():
    with FolderBundle(GERMAN) as bundle:
        assert rows(parser.parse(bundle)) == GERMAN_PROMPTS


def test_it_reads_the_html_activity_page():
    with FolderBundle(HTML) as bundle:
        assert rows(parser.parse(bundle)) == HTML_PROMPTS


def test_it_reads_the_same_prompts_through_the_entry_point(tmp_path):
    assert rows(extract(ENGLISH)) == ENGLISH_PROMPTS
    assert rows(extract(GERMAN)) == GERMAN_PROMPTS
    assert rows(extract(HTML)) == HTML_PROMPTS
    assert rows(extract(zip_folder(GERMAN, tmp_path / "takeout.zip"))) == GERMAN_PROMPTS
    assert rows(extract(zip_folder(HTML, tmp_path / "takeout-html.zip"))) == HTML_PROMPTS
    assert rows(extract(ENGLISH_JSON)) == ENGLISH_PROMPTS
    assert rows(extract(HTML_FILE)) == HTML_PROMPTS


def test_every_candidate_is_marked_as_gemini():
    assert {c.source for folder in (ENGLISH, GERMAN, HTML) for c in extract(folder)} == {"gemini"}


def test_html_split_into_tiny_chunks_reads_the_same(monkeypatch):
    monkeypatch.setattr(parser, "HTML_CHUNK", 7)
    assert rows(extract(HTML)) == HTML_PROMPTS


def test_json_wins_when_both_formats_were_exported(tmp_path):
    write(
        tmp_path, "Takeout/My Activity/Gemini Apps/MyActivity.json", [entry("Prompted From JSON")]
    )
    write(tmp_path, "Takeout/My Activity/Gemini Apps/MyActivity.html", HTML_FILE.read_text())
    assert [c.content for c in extract(tmp_path)] == ["From JSON"]


def test_an_entry_without_a_date_line_keeps_its_first_line(tmp_path):
    page = (
        '<div class="outer-cell"><div class="header-cell">Gemini Apps</div>'
        '<div class="content-cell">Prompted&nbsp;Only a prompt<br>not a date</div></div>'
    )
    write(tmp_path, "MyActivity.html", page)
    assert [(c.content, c.created_at) for c in extract(tmp_path)] == [("Only a prompt", None)]


def test_a_date_in_another_language_is_kept_as_text(tmp_path):
    page = (
        '<div class="outer-cell"><div class="header-cell">Gemini-Apps</div>'
        '<div class="content-cell">Prompted&nbsp;Hallo<br>14.03.2025, 09:21:33 MEZ<br></div></div>'
    )
    write(tmp_path, "MeineAktivitäten.html", page)
    assert [(c.content, c.created_at, c.reference["time"]) for c in extract(tmp_path)] == [
        ("Hallo", None, "14.03.2025, 09:21:33 MEZ")
    ]


# --- Detection -------------------------------------------------------------------------------


def test_it_detects_gemini_activity_and_counts_prompts(tmp_path):
    assert detect(ENGLISH) == Detection("gemini", "Gemini activity: 3 prompts")
    assert detect(GERMAN) == Detection("gemini", "Gemini activity: 2 prompts")
    assert detect(HTML) == Detection("gemini", "Gemini activity (Google Takeout, HTML)")
    assert detect(zip_folder(GERMAN, tmp_path / "takeout.zip")).source == "gemini"
    assert detect(ENGLISH_JSON).source == "gemini"


def test_a_large_activity_file_is_described_rather_than_counted(monkeypatch):
    monkeypatch.setattr(parser, "COUNT_LIMIT_BYTES", 10)
    assert detect(ENGLISH) == Detection("gemini", "Gemini activity (Google Takeout, JSON)")


def test_other_products_activity_is_not_gemini(tmp_path):
    search = GERMAN / "Takeout" / "Meine Aktivitäten" / "Suche" / "MeineAktivitäten.json"
    write(tmp_path, "MeineAktivitäten.json", search.read_bytes())
    with FolderBundle(tmp_path) as bundle:
        assert parser.detect(bundle) is None


@pytest.mark.parametrize("folder", OTHER_SOURCES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_other_sources_are_not_taken_for_gemini(folder):
    with FolderBundle(folder) as bundle:
        assert parser.detect(bundle) is None


def test_an_html_page_of_something_else_is_not_gemini(tmp_path):
    write(tmp_path, "page.html", "<html><body><div class='outer-cell'>Hello</div></body></html>")
    with FolderBundle(tmp_path) as bundle:
        assert parser.detect(bundle) is None


# --- Damaged and unusual data ----------------------------------------------------------------


def test_entries_of_the_wrong_shape_are_skipped(tmp_path):
    write(
        tmp_path,
        "MyActivity.json",
        [
            entry("Prompted First"),
            None,
            "text",
            {"header": "Gemini Apps", "title": 3},
            {"header": "Gemini Apps", "title": "Prompted Second", "time": ["x"]},
            {"title": "Prompted Third", "attachedFiles": "x", "imageFile": 5},
        ],
    )
    assert [(c.content, c.created_at, c.reference["time"]) for c in extract(tmp_path)] == [
        ("First", at(2025, 1, 1), "2025-01-01T00:00:00Z"),
        ("Second", None, ""),
        ("Third", None, ""),
    ]


def after_first_entry(markup: str) -> str:
    page = HTML_FILE.read_text()
    second = page.index('<div class="outer-cell', page.index('<div class="outer-cell') + 1)
    return page[:second] + markup + page[second:]


def test_damaged_markup_that_holds_back_the_page_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(parser, "HTML_PENDING_LIMIT", 1000)
    monkeypatch.setattr(parser, "HTML_CHUNK", 100)
    page = after_first_entry("<!-- never closed ") + "x" * 5000
    write(tmp_path, "MyActivity.html", page)
    with pytest.raises(ImportFormatError, match="markup is damaged"):
        list(extract(tmp_path))


def test_a_malformed_declaration_never_escapes_as_another_error(tmp_path):
    # Python's HTML parser asserts on unknown marked sections (newer versions may not).
    write(tmp_path, "MyActivity.html", after_first_entry("<![bogus[ x ]]>"))
    try:
        found = list(extract(tmp_path))
    except ImportFormatError as error:
        assert "markup is damaged" in str(error)
    else:
        assert found[0].content == HTML_PROMPTS[0][1]


# --- Bad input -------------------------------------------------------------------------------


def test_a_truncated_file_is_a_clear_error(tmp_path):
    data = ENGLISH_JSON.read_bytes()
    write(tmp_path, "MyActivity.json", data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match="truncated"):
        list(extract(tmp_path))


def test_json_of_the_wrong_shape_is_a_clear_error(tmp_path):
    write(tmp_path, "MyActivity.json", {"header": "Gemini Apps", "title": "Prompted x"})
    with pytest.raises(ImportFormatError, match="No Gemini activity found"):
        list(extract(tmp_path, "gemini"))
    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        list(extract(tmp_path))


def test_another_sources_export_given_as_gemini_is_a_clear_error():
    with pytest.raises(ImportFormatError, match="No Gemini activity found"):
        list(extract(FIXTURES / "chatgpt" / "single", "gemini"))


def test_non_utf8_bytes_are_a_clear_error(tmp_path):
    write(tmp_path, "MyActivity.json", ENGLISH_JSON.read_bytes().replace(b"bakery", b"b\xe4kery"))
    with pytest.raises(ImportFormatError, match="isn't UTF-8"):
        list(extract(tmp_path))
    (tmp_path / "MyActivity.json").unlink()
    write(tmp_path, "MyActivity.html", HTML_FILE.read_bytes().replace(b"hike", b"h\xefke"))
    with pytest.raises(ImportFormatError, match="isn't UTF-8"):
        list(extract(tmp_path))


# --- What real Takeouts also contain ---------------------------------------------------------


def read(folder: str):
    return [(c.content, c.created_at, c.metadata) for c in extract(FIXTURES / "gemini" / folder)]


def leaks(folder: str) -> list[str]:
    words = ("REPLY", "CANVAS", "SURVEY", "Assistant", "Asistenta")
    return [
        c.content
        for c in extract(FIXTURES / "gemini" / folder)
        if any(w in c.content for w in words)
    ]


def test_html_dates_with_a_numeric_offset_and_other_entry_kinds():
    assert read("offsets") == [
        ("Draft a polite reminder about the unpaid invoice.", at(2026, 7, 16, 3, 9, 25), {}),
        # A line of the prompt with a clock time in it is still the prompt's.
        (
            "Turn these notes into an agenda:\n09:30 standup\n11:00 design review",
            at(2026, 7, 15, 13, 0),
            {},
        ),
    ]
    assert leaks("offsets") == []


def test_indian_pages_put_the_day_first_and_ist_is_five_and_a_half_hours_ahead():
    assert read("india") == [
        (
            "Plan a three-day trip to Jaipur.\nKeep travel under four hours a day.",
            at(2026, 7, 16, 4, 39, 25),
            {},
        ),
        ("Suggest a vegetarian thali menu.", at(2026, 1, 3, 15, 45), {}),
    ]


def test_a_page_in_another_language_is_read_by_its_structure():
    # The Czech date isn't read, but it doesn't cut the prompt short either.
    assert read("cs") == [("Napiš krátkou báseň o podzimu.\nAť se rýmuje.", None, {})]
    assert [c.reference["time"] for c in extract(FIXTURES / "gemini" / "cs")] == [
        "20. 6. 2026 0:28:51 SELČ"
    ]
    assert leaks("cs") == []


def test_a_chinese_page_reads_its_date_in_china_standard_time():
    assert read("zh") == [
        ("写一封感谢信给我的老师。\n语气要正式。", at(2026, 6, 19, 16, 28, 51), {})
    ]
    assert detect(FIXTURES / "gemini" / "zh").source == "gemini"


def test_json_entry_kinds_seen_in_2026_takeouts():
    assert read("json_2026") == [
        (
            "What should I name a grey kitten?",
            at(2026, 7, 16, 3, 9, 25, 100000),
            {"files": ["kitten.jpg"]},
        ),
        (
            "Compare two lenses for street photography.",
            at(2026, 7, 14, 20),
            {"files": ["lens-a.pdf", "lens-b.pdf"]},
        ),
    ]
    assert leaks("json_2026") == []


def test_google_search_ai_mode_activity_is_refused_clearly():
    folder = FIXTURES / "gemini" / "ai_mode"
    with pytest.raises(ImportFormatError, match="AI Mode"):
        detect(folder)
    with pytest.raises(ImportFormatError, match="AI Mode"):
        list(extract(folder, "gemini"))


# --- JSON in other languages -----------------------------------------------------------------


def test_a_json_takeout_in_another_language_is_read_by_its_structure():
    folder = FIXTURES / "gemini" / "cs_json"
    assert [(c.content, c.created_at, c.metadata, c.reference) for c in extract(folder)] == [
        (
            "Napiš krátkou báseň o podzimu.\nAť se rýmuje.",
            at(2026, 6, 19, 22, 28, 51),
            {},
            {
                "title": "Pokyn Napiš krátkou báseň o podzimu.",
                "time": "2026-06-19T22:28:51.000Z",
            },
        ),
        (
            "Přelož do angličtiny: Dobrý den, jak se máte?",
            at(2026, 6, 17, 8, 15, 2, 250000),
            {"files": ["dopis.pdf"]},
            {
                "title": "Pokyn Přelož do angličtiny: Dobrý den, jak se máte?",
                "time": "2026-06-17T08:15:02.250Z",
            },
        ),
        # A prompt whose reply is missing is still a prompt: the word marks it.
        (
            "Kolik je hodin v Tokiu?",
            at(2026, 6, 16, 7),
            {},
            {"title": "Pokyn Kolik je hodin v Tokiu?", "time": "2026-06-16T07:00:00Z"},
        ),
    ]
    # Feedback, a chosen draft, a feature used, a canvas and a survey answer: none leaks.
    assert leaks("cs_json") == []
    assert detect(folder) == Detection("gemini", "Gemini activity: 3 prompts")


# Stand-ins for the word other languages use: the reader knows none of them in advance.
@pytest.mark.parametrize("word", ["Pokyn", "Eingabe", "Requête", "提示"])
def test_the_prompt_word_is_learned_from_the_entries_with_a_reply(tmp_path, word):
    replied = [{"html": "<p>REPLY</p>"}]
    write(
        tmp_path,
        "Takeout/Activity/Gemini/MyActivity.json",
        [
            entry("Feedback gegeben: Gute Antwort", "2026-01-05T00:00:00Z"),
            {**entry(f"{word} First prompt", "2026-01-04T00:00:00Z"), "safeHtmlItem": replied},
            entry("Ausgewählt bevorzugter Entwurf", "2026-01-03T00:00:00Z"),
            entry(f"{word}\xa0Second\nline two", "2026-01-02T00:00:00Z"),
            {**entry("Erstellt Canvas Plan", "2026-01-01T00:00:00Z"), "subtitles": [{"n": 1}]},
        ],
    )
    assert [(c.content, c.created_at) for c in extract(tmp_path)] == [
        ("First prompt", at(2026, 1, 4)),
        ("Second\nline two", at(2026, 1, 2)),
    ]


def test_english_action_words_are_never_the_prompt_word(tmp_path):
    replied = [{"html": "<p>REPLY</p>"}]
    write(
        tmp_path,
        "MyActivity.json",
        [
            {**entry("Created Gemini Canvas titled Plan"), "safeHtmlItem": replied},
            {**entry("Created Gemini Canvas titled Budget"), "safeHtmlItem": replied},
            {**entry("Prompted Only this"), "safeHtmlItem": replied},
            entry("Used an Assistant feature"),
        ],
    )
    assert [c.content for c in extract(tmp_path)] == ["Only this"]


def test_a_file_whose_entries_have_no_reply_reads_only_english_prompts(tmp_path):
    write(
        tmp_path,
        "MyActivity.json",
        [entry("Prompted Kept"), entry("Pokyn Unknown word"), entry("Selected preferred draft")],
    )
    assert [c.content for c in extract(tmp_path)] == ["Kept"]


def test_google_search_ai_mode_json_activity_is_refused_clearly():
    folder = FIXTURES / "gemini" / "ai_mode_json"
    with pytest.raises(ImportFormatError, match="Google Search “AI Mode” activity"):
        detect(folder)
    with pytest.raises(ImportFormatError, match="Google Search “AI Mode” activity"):
        list(extract(folder, "gemini"))


def test_ai_mode_activity_beside_gemini_activity_leaves_gemini_to_be_read(tmp_path):
    ai_mode = FIXTURES / "gemini" / "ai_mode_json" / "Takeout" / "My Activity" / "AI Mode"
    write(
        tmp_path,
        "Takeout/My Activity/AI Mode/MyActivity.json",
        (ai_mode / "MyActivity.json").read_bytes(),
    )
    write(tmp_path, "Takeout/My Activity/Gemini Apps/MyActivity.json", ENGLISH_JSON.read_bytes())
    assert rows(extract(tmp_path)) == ENGLISH_PROMPTS
