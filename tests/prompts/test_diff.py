"""Line and word diffs, their bounded cost, and `{{variable}}` handling."""

import random

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apps.prompts import diff as diff_module
from apps.prompts import services
from apps.prompts.diff import diff_texts
from apps.prompts.variables import fill_variables, find_variables, highlight_variables
from bench import inprocess
from tests.prompts.factories import PromptFactory


def _marked(line):
    return [(segment.text, segment.changed) for segment in line.segments]


def test_identical_texts_are_unchanged():
    diff = diff_texts("a\nb", "a\nb")
    assert diff.unchanged
    assert [line.kind for line in diff.lines] == ["equal", "equal"]


def test_added_and_removed_lines_are_counted_and_numbered():
    diff = diff_texts("one\ntwo\nthree", "one\nthree\nfour")
    assert (diff.added, diff.removed) == (1, 1)
    assert [(line.kind, line.old_number, line.new_number) for line in diff.lines] == [
        ("equal", 1, 1),
        ("delete", 2, None),
        ("equal", 3, 2),
        ("insert", None, 3),
    ]


def test_a_changed_line_marks_only_the_changed_words():
    diff = diff_texts("Write a short email to Bob.", "Write a long email to Alice.")
    old, new = diff.lines
    assert (old.kind, new.kind) == ("delete", "insert")
    assert [text for text, changed in _marked(old) if changed] == ["short", "Bob"]
    assert [text for text, changed in _marked(new) if changed] == ["long", "Alice"]
    assert "".join(text for text, _ in _marked(old)) == "Write a short email to Bob."
    assert "".join(text for text, _ in _marked(new)) == "Write a long email to Alice."


def _text(line):
    return "".join(segment.text for segment in line.segments) if line else None


def test_side_by_side_rows_pair_old_and_new_lines():
    diff = diff_texts("a\nb\nc", "a\nB\nc\nd")
    rows = [(_text(row.left), _text(row.right)) for row in diff.rows]
    assert rows == [("a", "a"), ("b", "B"), ("c", "c"), (None, "d")]


def test_a_replacement_of_unequal_length_pairs_what_it_can():
    diff = diff_texts("x\ny\nz", "1\n2")
    assert (diff.added, diff.removed) == (2, 3)
    assert diff.rows[-1].right is None and diff.rows[-1].left is not None


def test_empty_texts_have_no_lines():
    diff = diff_texts("", "")
    assert diff.unchanged and diff.lines == [] and diff.rows == []
    diff = diff_texts("", "new")
    assert (diff.added, diff.removed) == (1, 0)
    assert [(line.kind, _text(line)) for line in diff.lines] == [("insert", "new")]
    diff = diff_texts("old", "")
    assert (diff.added, diff.removed) == (0, 1)
    assert [(row.left.kind, row.right) for row in diff.rows] == [("delete", None)]


def _changed(line):
    return [text for text, changed in _marked(line) if changed]


def _assert_consistent(diff, old, new):
    """Whatever the diff chose to show, it loses nothing and numbers every line once."""
    old_lines = old.split("\n") if old else []
    new_lines = new.split("\n") if new else []
    assert [_text(line) for line in diff.lines if line.kind != "insert"] == old_lines
    assert [_text(line) for line in diff.lines if line.kind != "delete"] == new_lines
    assert [line.old_number for line in diff.lines if line.kind != "insert"] == list(
        range(1, len(old_lines) + 1)
    )
    assert [line.new_number for line in diff.lines if line.kind != "delete"] == list(
        range(1, len(new_lines) + 1)
    )
    assert [_text(row.left) for row in diff.rows if row.left] == old_lines
    assert [_text(row.right) for row in diff.rows if row.right] == new_lines
    assert diff.removed == sum(line.kind == "delete" for line in diff.lines)
    assert diff.added == sum(line.kind == "insert" for line in diff.lines)
    for line in diff.lines:
        if line.kind == "equal":
            assert not any(segment.changed for segment in line.segments)


def test_a_number_change_marks_only_the_number():
    old = "You are a careful editor.\nAnswer in 120 words.\nCite sources."
    new = "You are a careful editor.\nAnswer in 100 words.\nCite sources."
    diff = diff_texts(old, new)
    changed = [line for line in diff.lines if line.kind != "equal"]
    assert [(line.kind, _changed(line)) for line in changed] == [
        ("delete", ["120"]),
        ("insert", ["100"]),
    ]
    assert not diff.approximate and diff.whole_line_pairs == 0


def test_an_inserted_line_does_not_shift_the_pairs_after_it():
    old = "Write a summary of the text.\nUse a formal tone.\nEnd with a question."
    new = (
        "You are an editor.\nWrite a short summary of the text.\nUse a friendly tone.\n"
        "End with one question."
    )
    diff = diff_texts(old, new)
    assert [(_text(row.left), _text(row.right)) for row in diff.rows] == [
        (None, "You are an editor."),
        ("Write a summary of the text.", "Write a short summary of the text."),
        ("Use a formal tone.", "Use a friendly tone."),
        ("End with a question.", "End with one question."),
    ]
    assert [_changed(row.right) for row in diff.rows] == [
        ["You are an editor."],
        ["short "],
        ["friendly"],
        ["one"],
    ]
    assert [_changed(row.left) for row in diff.rows[1:]] == [[], ["formal"], ["a"]]
    _assert_consistent(diff, old, new)


def test_a_removed_line_does_not_shift_the_pairs_after_it():
    old = "Intro line here.\nStep one: read 12 pages.\nStep two: write 3 notes."
    new = "Step one: read 15 pages.\nStep two: write 4 notes."
    diff = diff_texts(old, new)
    assert [(_text(row.left), _text(row.right)) for row in diff.rows] == [
        ("Intro line here.", None),
        ("Step one: read 12 pages.", "Step one: read 15 pages."),
        ("Step two: write 3 notes.", "Step two: write 4 notes."),
    ]
    assert [_changed(row.left) for row in diff.rows] == [["Intro line here."], ["12"], ["3"]]


def test_inline_lines_show_each_pair_together():
    diff = diff_texts("alpha one\nbeta two", "alpha 1\nbeta 2")
    assert [(line.kind, _text(line)) for line in diff.lines] == [
        ("delete", "alpha one"),
        ("insert", "alpha 1"),
        ("delete", "beta two"),
        ("insert", "beta 2"),
    ]


def test_moved_lines_show_as_removed_and_added_and_the_rest_as_equal():
    lines = [f"Rule {n}: be specific about item {n}." for n in range(1, 11)]
    moved = lines[:2] + lines[3:] + [lines[2]]
    diff = diff_texts("\n".join(lines), "\n".join(moved))
    assert (diff.added, diff.removed) == (1, 1)
    assert [
        (line.kind, line.old_number, line.new_number) for line in diff.lines if line.kind != "equal"
    ] == [("delete", 3, None), ("insert", None, 10)]
    _assert_consistent(diff, "\n".join(lines), "\n".join(moved))


def test_unchanged_long_text_is_equal_throughout_for_little_work():
    text = "\n".join(f"line {n}" for n in range(4_000))
    diff = diff_texts(text, text)
    assert diff.unchanged and len(diff.lines) == len(diff.rows) == 4_000
    # One look at each line, and nothing left to compare.
    assert diff.line_work <= 8_000 + diff_module.REGION_COST and diff.word_work == 0


TEXT_LINES = st.sampled_from(
    ["", "a b", "a c", "b", "x y z", "Answer in 120 words.", "Answer in 100 words.", "  "]
)


@given(
    old=st.lists(TEXT_LINES, max_size=12).map("\n".join) | st.text(alphabet="ab .1\n", max_size=40),
    new=st.lists(TEXT_LINES, max_size=12).map("\n".join) | st.text(alphabet="ab .1\n", max_size=40),
)
def test_any_diff_keeps_every_line_of_both_texts(old, new):
    _assert_consistent(diff_texts(old, new), old, new)


# Bounded work. Times are not asserted: the work counters are, against the limits.


def _every_other_line_moved(count=4_000):
    """Even lines stay; the odd ones trade places among themselves."""
    rng = random.Random(7)
    lines = [f"Line {n}: {rng.random():.6f}" for n in range(count)]
    odd = lines[1::2]
    rng.shuffle(odd)
    moved = lines[:]
    moved[1::2] = odd
    return "\n".join(lines), "\n".join(moved)


def _differs_everywhere(size=24_000):
    """Paragraph lines of 400 to 1,600 characters, a quarter of whose words change."""
    rng = random.Random(11)
    words = [f"word{n}" for n in range(300)] + ["the", "a", "and", "of", "to"] * 20
    old_lines, new_lines, total = [], [], 0
    while total < size:
        line = [rng.choice(words) for _ in range(rng.randint(60, 240))]
        changed = [rng.choice(words) if rng.random() < 0.25 else word for word in line]
        old_lines.append(" ".join(line))
        new_lines.append(" ".join(changed))
        total += len(old_lines[-1]) + 1
    return "\n".join(old_lines), "\n".join(new_lines)


def test_lines_moved_around_are_matched_within_the_line_budget():
    old, new = _every_other_line_moved()
    diff = diff_texts(old, new)
    assert diff.line_work <= diff_module.LINE_WORK_LIMIT
    assert diff.word_work <= diff_module.WORD_WORK_LIMIT
    assert not diff.approximate
    # The lines that stayed put are all found again.
    assert sum(line.kind == "equal" for line in diff.lines) >= 2_000
    _assert_consistent(diff, old, new)


def test_text_that_differs_everywhere_is_compared_word_by_word_within_the_budget():
    old, new = _differs_everywhere()
    diff = diff_texts(old, new)
    assert diff.word_work <= diff_module.WORD_WORK_LIMIT
    assert diff.whole_line_pairs == 0 and not diff.approximate
    assert all(
        any(not segment.changed for segment in line.segments)
        for line in diff.lines
        if line.kind != "equal"
    )
    _assert_consistent(diff, old, new)


def test_a_line_over_the_length_limit_is_shown_whole_without_comparing_words():
    words = [f"w{n}" for n in range(diff_module.PAIR_CHAR_LIMIT // 3)]
    old = " ".join(words)
    new = " ".join(["changed", *words[1:]])
    assert len(old) > diff_module.PAIR_CHAR_LIMIT
    diff = diff_texts(old, new)
    assert diff.whole_line_pairs == 1
    assert [_marked(line) for line in diff.lines] == [[(old, True)], [(new, True)]]
    # Only the pairing looked at the words (one set intersection); no token was compared.
    assert diff.word_work <= len(words) + 1


def test_the_word_budget_caps_the_whole_diff(monkeypatch):
    monkeypatch.setattr(diff_module, "WORD_WORK_LIMIT", 2_000)
    old, new = _differs_everywhere(8_000)
    diff = diff_texts(old, new)
    assert diff.word_work <= 2_000
    assert diff.whole_line_pairs or diff.approximate
    _assert_consistent(diff, old, new)


def test_one_pair_cannot_take_more_than_its_share(monkeypatch):
    # Enough for the short pair, not for the long one.
    monkeypatch.setattr(diff_module, "PAIR_WORK_LIMIT", 150)
    old = "short line one\n" + " ".join(f"w{n}" for n in range(100))
    new = "short line 1\n" + " ".join(f"w{n}" for n in range(100) if n % 7)
    diff = diff_texts(old, new)
    assert diff.whole_line_pairs == 1
    assert _changed(diff.lines[0]) == ["one"] and _changed(diff.lines[1]) == ["1"]
    _assert_consistent(diff, old, new)


def test_the_line_budget_caps_line_matching(monkeypatch):
    monkeypatch.setattr(diff_module, "LINE_WORK_LIMIT", 1_000)
    old, new = _every_other_line_moved(1_000)
    diff = diff_texts(old, new)
    assert diff.line_work <= 1_000 and diff.approximate
    _assert_consistent(diff, old, new)


def test_repeated_lines_too_many_for_an_exact_comparison_are_matched_by_occurrence():
    old = "\n".join(["a", "b"] * 2_000)
    new = "\n".join(["b", "a"] * 2_000)
    diff = diff_texts(old, new)
    assert not diff.approximate
    assert diff.line_work <= diff_module.LINE_WORK_LIMIT
    assert diff.word_work <= diff_module.WORD_WORK_LIMIT
    assert sum(line.kind == "equal" for line in diff.lines) >= 3_990
    _assert_consistent(diff, old, new)


def test_a_diff_past_the_shown_limit_builds_only_its_beginning(monkeypatch):
    monkeypatch.setattr(diff_module, "SHOWN_LINES_LIMIT", 50)
    old = (
        "\n".join(f"same {n}" for n in range(30)) + "\n" + "\n".join(f"old {n}" for n in range(100))
    )
    new = (
        "\n".join(f"same {n}" for n in range(30))
        + "\n"
        + "\n".join(f"new line {n}" for n in range(100))
    )
    diff = diff_texts(old, new)
    assert diff.cut and len(diff.lines) <= 50 and len(diff.rows) <= 50
    # Every line still counts.
    assert (diff.added, diff.removed) == (100, 100)
    shown = diff.lines
    assert [_text(line) for line in shown[:30]] == [f"same {n}" for n in range(30)]
    assert [_text(line) for line in shown if line.kind == "delete"] == [
        f"old {n}" for n in range(len([line for line in shown if line.kind == "delete"]))
    ]


def test_a_version_of_many_short_lines_builds_a_bounded_diff():
    old, new = "\n" * 199_999, "x\n" * 99_999
    diff = diff_texts(old, new)
    assert len(diff.lines) <= diff_module.SHOWN_LINES_LIMIT and diff.cut
    assert diff.line_work <= diff_module.LINE_WORK_LIMIT
    assert diff.word_work <= diff_module.WORD_WORK_LIMIT
    # Both end with an empty line, the one line they share.
    assert (diff.added, diff.removed) == (99_999, 199_999)


def test_the_benchmark_texts_are_what_the_report_says_and_diff_in_full():
    rng = random.Random(inprocess.RANDOM_SEED)
    old, new = inprocess.texts_that_differ_everywhere(rng)
    assert 23_000 <= len(old) <= 24_000
    old_lines, new_lines = old.split("\n"), new.split("\n")
    assert len(old_lines) == len(new_lines)
    assert all(before != after for before, after in zip(old_lines, new_lines, strict=True))
    diff = diff_texts(old, new)
    assert diff.whole_line_pairs == 0 and not diff.approximate and not diff.cut

    old, new = inprocess.texts_with_lines_moved(rng)
    assert len(old.split("\n")) == len(new.split("\n")) == inprocess.DIFF_LINES
    assert sorted(old.split("\n")) == sorted(new.split("\n"))
    diff = diff_texts(old, new)
    assert not diff.approximate and not diff.cut

    text = inprocess.gallery_text(rng, 1)
    assert inprocess.GALLERY_PROMPT_CHARS - 300 <= len(text) <= inprocess.GALLERY_PROMPT_CHARS
    assert inprocess.SEARCH_WORD in text[-200:]


# The diff page


@pytest.fixture
def long_line_edit(alice):
    words = " ".join(f"w{n}" for n in range(diff_module.PAIR_CHAR_LIMIT // 3))
    prompt = PromptFactory(user=alice, content="Title\n" + words)
    services.prompt_update(prompt=prompt, author=alice, content="Title\nchanged " + words)
    return prompt


@pytest.mark.parametrize("mode", ["inline", "side"])
def test_the_page_says_when_lines_are_shown_whole(alice_client, long_line_edit, mode):
    response = alice_client.get(
        reverse("prompts:diff", args=[long_line_edit.pk]), {"from": 1, "to": 2, "mode": mode}
    )
    page = response.content.decode()
    assert 'data-testid="diff-note"' in page
    assert "too long" in page


def test_the_page_has_no_note_for_an_ordinary_diff(alice_client, alice):
    prompt = PromptFactory(user=alice, content="Answer in 120 words.")
    services.prompt_update(prompt=prompt, author=alice, content="Answer in 100 words.")
    page = alice_client.get(reverse("prompts:diff", args=[prompt.pk])).content.decode()
    assert "<del>120</del>" in page and "<ins>100</ins>" in page
    assert 'data-testid="diff-note"' not in page


@pytest.mark.parametrize("mode", ["inline", "side"])
def test_large_versions_render_in_both_views(alice_client, alice, mode):
    old, new = _every_other_line_moved()
    prompt = PromptFactory(user=alice, content=old)
    services.prompt_update(prompt=prompt, author=alice, content=new)
    response = alice_client.get(
        reverse("prompts:diff", args=[prompt.pk]), {"from": 1, "to": 2, "mode": mode}
    )
    assert response.status_code == 200
    assert response.context["diff"].line_work <= diff_module.LINE_WORK_LIMIT


def test_variables_are_found_once_each_in_order():
    content = "Hi {{name}}, {{ topic }} and {{name}} again; {{bad name}} {{1x}} {{a.b-c}}"
    assert find_variables(content) == ["name", "topic", "a.b-c"]
    assert find_variables("") == []


def test_highlighting_escapes_everything_but_the_marks():
    html = highlight_variables('<script>x</script> {{who}} & "{{<b>}}"')
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert '<mark class="var" data-var="who">{{who}}</mark>' in html
    assert "&amp; &quot;{{&lt;b&gt;}}&quot;" in html


def test_fill_replaces_given_values_and_keeps_the_rest():
    content = "Dear {{name}}, re {{ topic }}. {{name}}!"
    assert fill_variables(content, {"name": "Ada"}) == "Dear Ada, re {{ topic }}. Ada!"
    assert fill_variables(content, {"name": "", "topic": "x"}) == "Dear {{name}}, re x. {{name}}!"


def test_fill_does_not_expand_placeholders_inside_values():
    assert fill_variables("{{a}} {{b}}", {"a": "{{b}}", "b": "B"}) == "{{b}} B"
