"""Small talk and near-copies in chat exports: shown in the preview, unselected, with why."""

import json
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.imports import likely
from apps.imports.models import ImportCandidate, ImportSession


@pytest.mark.parametrize(
    "text",
    ["hi", "Thanks!", "thank you", "continue", "Go on.", "yes", "try again", "ok, thanks!", "👍"],
)
def test_small_talk_is_a_conversational_reply(text):
    assert likely.unlikely_reason(text) == likely.CONVERSATIONAL


@pytest.mark.parametrize("text", ["fix", "v2?", "refactor"])
def test_a_turn_of_a_word_or_two_is_very_short(text):
    assert likely.unlikely_reason(text) == likely.VERY_SHORT


@pytest.mark.parametrize(
    "text",
    ["Explain CORS", "Write a haiku", "Thanks for the help. Now write the tests for the parser."],
)
def test_a_real_request_is_likely(text):
    assert likely.unlikely_reason(text) == ""


def test_near_copies_are_grouped_and_different_prompts_are_not():
    texts = {
        1: "Write a product description for a stainless steel water bottle, 100 words.",
        2: "Write a product description for a bamboo toothbrush, 100 words.",
        3: "Write a product description for a stainless steel water bottle, 80 words, playful.",
        4: "Summarise this article in three bullet points.",
        5: "short",
    }

    groups = likely.near_duplicate_groups(texts.items())

    assert [sorted(group) for group in groups] == [[1, 3]]


def test_grouping_does_bounded_work_however_many_texts_look_alike(monkeypatch):
    calls = []
    real = likely.resemblance
    monkeypatch.setattr(likely, "resemblance", lambda a, b: calls.append(1) or real(a, b))
    count = 300
    likely.near_duplicate_groups(
        (number, f"Rewrite the onboarding email for customer segment {number} please.")
        for number in range(count)
    )

    assert len(calls) <= count * likely.BUCKET_KEYS * likely.BUCKET_SIZE
    assert len(calls) <= count * likely.BUCKET_SIZE * 2  # far below count² / 2 = 45,000


def _distinct_text(number: int) -> str:
    """A text of its own: twelve made-up words drawn for `number`."""
    rng = random.Random(number)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join("".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(12))


def test_what_the_grouping_holds_stays_bounded_and_groups_are_handed_over_as_they_close(
    monkeypatch,
):
    monkeypatch.setattr(likely, "WINDOW", 50)
    completed = []
    groups = likely.NearDuplicates(completed.append)
    first = "Write a cover letter for a junior data analyst role, mention SQL and Tableau."
    groups.add("first", first, "data of first")
    groups.add("edit", first + " Keep it short.", "data of edit")
    for number in range(400):
        groups.add(number, _distinct_text(number))
        assert len(groups._leaders) <= 50
        assert sum(len(bucket) for bucket in groups._buckets.values()) <= 50 * likely.BUCKET_KEYS

    # The group left the window long before the end, and was handed over then, with its data.
    assert completed == [[("first", "data of first"), ("edit", "data of edit")]]
    groups.finish()
    assert len(completed) == 1 and not groups._leaders and not groups._buckets


def test_a_re_ask_is_grouped_across_the_whole_window():
    prompt = "Translate the release notes for version 4.2 into French and German, keep the tone."
    items = [("early", prompt)]
    items += [(number, _distinct_text(number)) for number in range(likely.WINDOW - 1)]
    items += [("late", prompt + " Thanks.")]

    assert likely.near_duplicate_groups(items) == [["early", "late"]]


# --- Through the import ---------------------------------------------------------------------


def gemini_entry(text: str, time: str) -> dict:
    return {"header": "Gemini Apps", "title": f"Prompted {text}", "time": time}


ACTIVITY = [
    # Newest first, as Takeout writes it.
    gemini_entry("thanks!", "2026-03-05T10:00:00Z"),
    gemini_entry(
        "Write a cover letter for a junior data analyst role, mention SQL and Tableau.",
        "2026-03-04T10:00:00Z",
    ),
    gemini_entry("try again", "2026-03-03T10:00:00Z"),
    gemini_entry(
        "Write a cover letter for a junior data analyst role, mention SQL.",
        "2026-03-02T10:00:00Z",
    ),
    gemini_entry("Plan a week of vegetarian dinners for two.", "2026-03-01T10:00:00Z"),
    gemini_entry("hi", "2026-02-28T10:00:00Z"),
]


@pytest.fixture
def session(alice_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("MyActivity.json", json.dumps(ACTIVITY).encode())
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("imports:list"), {"files": [upload]})
    session = ImportSession.objects.get()
    assert session.status == ImportSession.Status.READY, session.error
    return session


def rows(session):
    return [
        (c.content[:24], c.unlikely_reason, c.near_duplicate_of, c.selected)
        for c in ImportCandidate.objects.filter(session=session).order_by("position")
    ]


def test_small_talk_and_older_near_copies_start_unselected_with_their_reason(session):
    assert rows(session) == [
        ("thanks!", likely.CONVERSATIONAL, None, False),
        ("Write a cover letter for", "", None, True),
        ("try again", likely.CONVERSATIONAL, None, False),
        # The older wording points at the newest, which stays selected.
        ("Write a cover letter for", "", 1, False),
        ("Plan a week of vegetaria", "", None, True),
        ("hi", likely.CONVERSATIONAL, None, False),
    ]
    assert session.metadata["extracted"]["unlikely"] == 3
    assert session.metadata["extracted"]["near_duplicates"] == 1


def test_the_preview_shows_the_reasons_and_can_show_likely_prompts_only(alice_client, session):
    url = reverse("imports:detail", args=[session.pk])
    page = alice_client.get(url).content.decode()
    assert page.count('data-testid="unlikely"') == 3
    assert page.count('data-testid="near-duplicate"') == 1
    assert "unlikely: a conversational reply" in page

    likely_page = alice_client.get(url, {"show": "likely"}).content.decode()
    assert "try again" not in likely_page and "thanks!" not in likely_page
    assert "vegetarian dinners" in likely_page
    assert likely_page.count('name="on_page"') == 2
    assert 'data-testid="near-duplicate"' not in likely_page
    assert 'name="show" value="likely"' in likely_page


def test_select_all_then_only_likely_restores_the_first_choice(alice_client, session):
    url = reverse("imports:select", args=[session.pk])
    alice_client.post(url, {"mode": "all"})
    assert session.candidates.filter(selected=True).count() == 6

    alice_client.post(url, {"mode": "likely"})

    assert [selected for *_, selected in rows(session)] == [
        False,
        True,
        False,
        False,
        True,
        False,
    ]


def test_saving_a_page_of_likely_prompts_returns_to_that_view(alice_client, session):
    candidate = session.candidates.get(position=4)
    response = alice_client.post(
        reverse("imports:select", args=[session.pk]),
        {"on_page": [candidate.pk], "page": "1", "show": "likely"},
    )
    assert response["Location"].endswith("?page=1&show=likely")


def test_prompt_files_are_never_marked_as_small_talk(
    alice_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "prompts.json", json.dumps([{"name": "Greeting", "content": "hi"}]).encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("imports:list"), {"files": [upload]})
    candidate = ImportCandidate.objects.get()
    assert candidate.unlikely_reason == "" and candidate.selected


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(max_size=200), max_size=30))
def test_any_texts_are_judged_and_grouped_without_error(texts):
    for text in texts:
        assert likely.unlikely_reason(text) in ("", likely.VERY_SHORT, likely.CONVERSATIONAL)
    groups = likely.near_duplicate_groups(enumerate(texts))
    grouped = [number for group in groups for number in group]
    assert len(grouped) == len(set(grouped))


def test_small_edits_do_not_chain_loosely_related_prompts_into_one_group():
    first = "Write a launch email for our new running shoe in a friendly tone, under 150 words."
    second = (
        "Write a launch email for our new running shoe in a playful tone, under 150 words, "
        "with a discount code."
    )
    third = (
        "Write a launch email for our new trail shoe in a playful tone, with a discount code "
        "and a photo caption."
    )
    assert likely.resemblance(likely.sketch(second), likely.sketch(third)) >= likely.SIMILAR
    assert likely.resemblance(likely.sketch(first), likely.sketch(third)) < likely.SIMILAR
    groups = likely.near_duplicate_groups(enumerate((first, second, third)))

    # Everything in a group is like the group's first prompt.
    assert groups == [[0, 1]]
