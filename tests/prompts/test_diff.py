"""Line and word diffs, and `{{variable}}` handling."""

from apps.prompts.diff import diff_texts
from apps.prompts.variables import fill_variables, find_variables, highlight_variables


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


def test_empty_texts():
    assert diff_texts("", "").unchanged
    diff = diff_texts("", "new")
    assert diff.added == 1


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
