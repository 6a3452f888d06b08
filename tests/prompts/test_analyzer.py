"""The offline analyzer: each rule on text that should and shouldn't trigger it, the score's
shape, the mechanical fixes, and that any string at all gets an answer."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.prompts.analyzer import (
    ANALYSED_MAX,
    FINDINGS_SHOWN,
    LONG_DOCUMENT_CHARS,
    MATCHES_EXAMINED,
    Analysis,
    analyze,
)
from apps.prompts.variables import find_variables

PRECISE = (
    "You are a support lead. Summarize the customer email below in 3 bullet points for the "
    "on-call engineer, so they can triage it fast. Use a neutral tone. Output a Markdown list."
    "\n\n<email>\n{{email}}\n</email>"
)
RAMBLING = (
    "So basically I kind of want you to maybe write something good about our stuff, etc. "
    "It should be short but also really detailed and thorough, and formal but casual too. "
    "Some things are nice and some are better, I guess, and various people might like it. "
)


def findings(text: str, key: str, **kwargs) -> list:
    return list(analyze(text, **kwargs).criterion(key).findings)


def messages(text: str, key: str, **kwargs) -> str:
    return " | ".join(finding.message for finding in findings(text, key, **kwargs))


def apply(text: str, finding) -> str:
    start, end = finding.span
    return text[:start] + finding.fix + text[end:]


# --- The whole -------------------------------------------------------------------------------


def test_it_has_the_required_criteria_with_weights_and_scores():
    analysis = analyze(PRECISE)
    keys = [criterion.key for criterion in analysis.criteria]
    assert set(keys) >= {
        "format",
        "variables",
        "specificity",
        "structure",
        "task",
        "context",
        "constraints",
        "examples",
        "consistency",
        "safety",
    }
    for criterion in analysis.criteria:
        assert criterion.label
        assert 0 <= criterion.score <= 100
        assert criterion.weight > 0
        assert all(finding.criterion == criterion.key for finding in criterion.findings)


def test_a_short_precise_prompt_scores_high():
    assert analyze(PRECISE).score >= 90


def test_length_alone_does_not_raise_the_score():
    long_rambling = RAMBLING * 60
    assert len(long_rambling) > 10 * len(PRECISE)
    assert analyze(long_rambling).score < analyze(PRECISE).score - 30


def test_padding_a_prompt_never_raises_its_score():
    padded = RAMBLING + "\n" + RAMBLING.replace("So basically", "Also") * 20
    assert analyze(padded).score <= analyze(RAMBLING).score


def test_the_score_is_the_weighted_mean_of_the_criteria():
    analysis = analyze(RAMBLING)
    total = sum(c.weight for c in analysis.criteria)
    assert analysis.score == round(sum(c.score * c.weight for c in analysis.criteria) / total)


def test_suggestions_are_every_finding_most_valuable_first():
    analysis = analyze(RAMBLING)
    assert analysis.suggestions
    assert analysis.suggestions[0].criterion in {"task", "format"}
    every = {f for c in analysis.criteria for f in c.findings}
    assert set(analysis.suggestions) <= every


def test_as_dict_is_json_and_stable():
    first = json.dumps(analyze(RAMBLING).as_dict(), sort_keys=True)
    assert first == json.dumps(analyze(RAMBLING).as_dict(), sort_keys=True)
    data = json.loads(first)
    assert data["score"] == analyze(RAMBLING).score
    assert {"key", "label", "score", "weight", "findings"} <= set(data["criteria"][0])


def test_an_unknown_criterion_is_a_key_error():
    with pytest.raises(KeyError):
        analyze(PRECISE).criterion("nonsense")


def test_empty_text_scores_zero():
    assert analyze("").score == 0
    assert analyze("   \n").score == 0


# --- Task ------------------------------------------------------------------------------------


def test_a_prompt_without_an_instruction_has_no_task():
    assert "No task found" in messages("The quarterly numbers for the Berlin office.", "task")


@pytest.mark.parametrize(
    "text",
    [
        "Summarize the report.",
        "Context first. Then write a haiku.",
        "- Translate this into French",
        "1. Extract the dates",
        "Please list the risks.",
        "Your task is to rank these.",
    ],
)
def test_an_imperative_sentence_is_a_task(text):
    assert analyze(text).criterion("task").score == 100


def test_an_indirect_request_is_flagged():
    assert "indirectly" in messages("Can you have a look at the report?", "task")


def test_asking_a_reasoning_model_to_think_step_by_step_is_flagged():
    text = "Solve the puzzle. Think step by step."
    assert "reasons on its own" in messages(text, "task", model="o3-mini")
    assert "reasons on its own" not in messages(text, "task", model="gpt-4o")


# --- Context ---------------------------------------------------------------------------------


def test_role_audience_and_purpose_each_count():
    bare = analyze("Summarize the report.").criterion("context")
    full = analyze(
        "You are an analyst. Summarize the report for executives so that they can decide."
    ).criterion("context")
    assert bare.score == 25 and len(bare.findings) == 3
    assert full.score == 100 and not full.findings


# --- Format ----------------------------------------------------------------------------------


def test_a_missing_output_format_is_flagged():
    assert "shape isn't stated" in messages("Summarize the report.", "format")
    assert not findings("Summarize the report as a JSON object.", "format")
    assert not findings("Summarize the report in a table.", "format")


# --- Constraints -----------------------------------------------------------------------------


def test_length_and_tone_are_constraints():
    assert (
        analyze("Summarize it in under 100 words, in a formal tone.").criterion("constraints").score
        == 100
    )
    text = messages("Summarize it.", "constraints")
    assert "No length" in text and "No tone" in text


def test_negative_instructions_ask_for_the_positive():
    found = findings("Summarize it briefly and formally. Don't use jargon.", "constraints")
    assert [f.span for f in found] == [(35, 40)]
    assert not findings("Summarize it briefly and formally. Use plain words.", "constraints")


# --- Specificity -----------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["good", "some", "something", "maybe", "etc."])
def test_vague_words_and_hedges_are_flagged(word):
    text = f"Write {word} tips for new staff."
    found = findings(text, "specificity")
    assert len(found) == 1
    assert text[found[0].span[0] : found[0].span[1]].strip(" ,").lower().startswith(word[:3])


def test_precise_words_are_not_flagged():
    assert not findings("Write three tips for new staff, each under 20 words.", "specificity")
    # "goods" and "something"-like substrings of other words are not the vague words.
    assert not findings("List the goods sold and the handsome fees.", "specificity")


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Maybe add a summary.", "Add a summary."),
        ("Keep it short, if possible.", "Keep it short."),
        ("I just want a title.", "I want a title."),
        ("Try to be brief.", "Be brief."),
        ("List apples, pears, etc.", "List apples, pears."),
        ("List apples, pears, etc., in order.", "List apples, pears, in order."),
    ],
)
def test_hedges_and_open_lists_have_a_mechanical_fix(text, fixed):
    found = [f for f in findings(text, "specificity") if f.fix is not None]
    assert len(found) == 1
    assert apply(text, found[0]) == fixed


def test_more_vague_words_score_lower():
    one = analyze("Write good tips.").criterion("specificity").score
    five = analyze("Write good, nice, great tips about some stuff.").criterion("specificity")
    assert five.score < one < 100


# --- Structure -------------------------------------------------------------------------------


def test_a_long_prompt_without_sections_is_flagged():
    long = "Write the release notes from the changes. " * 50
    assert "no sections" in messages(long, "structure")
    sectioned = "## Task\n" + long + "\n\n## Changes\n<changes>\n{{changes}}\n</changes>"
    assert "no sections" not in messages(sectioned, "structure")
    assert "no sections" not in messages("Write the release notes.", "structure")


def test_material_before_the_task_is_flagged():
    assert "opens with inserted material" in messages(
        "{{article}}\n\nSummarize the article above.", "structure"
    )
    assert "opens with inserted material" not in messages(
        "Summarize the article below.\n\n{{article}}", "structure"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Here is the article: {{article}}\n\nSummarize it in three bullet points.",
        "Context:\n{{context}}\n\nAnswer the question from the context.",
        "The report follows.\n<document>\n{{doc}}\n</document>\n\nSummarize the document above.",
        "The code:\n```\n"
        + "".join(f"total_{n} = total_{n - 1} + price * quantity\n" for n in range(9))
        + "```\n\nExplain this code.",
        "<notes>{{notes}}</notes> Then list the open questions.",
    ],
)
def test_material_inserted_before_the_task_is_flagged(text):
    found = [
        f
        for f in findings(text, "structure")
        if "before the task" in f.message or "opens with inserted material" in f.message
    ]
    assert len(found) == 1
    assert "state the task first" in found[0].message
    start, end = found[0].span
    assert text[start:end].startswith(("{{", "<", "```"))


@pytest.mark.parametrize(
    "text",
    [
        # Instructions first (OpenAI), repeated after the material or not.
        "Summarize the article below.\n\nHere is the article: {{article}}",
        "Summarize the article below.\n\n<article>\n{{article}}\n</article>\n\n"
        "Again: summarize it in three bullet points.",
        # Settings, names and examples are not material.
        "Topic: {{topic}}\nWrite a poem about it.",
        "You are helping {{user}}. Summarize their email.",
        "<example>\n" + "Input: It crashes on start. Output: bug\n" * 8 + "</example>\n"
        "Classify the ticket.",
        # A very long document first and the question at the end (Anthropic).
        "<document>\n"
        + "The river rose overnight and closed the bridge. " * (LONG_DOCUMENT_CHARS // 40)
        + "\n</document>\n\nSummarize the document above.",
    ],
)
def test_instructions_first_or_a_long_document_first_are_not_flagged(text):
    assert "before the task" not in messages(text, "structure")
    assert "opens with inserted material" not in messages(text, "structure")


def test_a_repeated_line_can_be_removed():
    line = "Always answer in British English spelling."
    text = f"{line}\nWrite a memo.\n{line}\nSign it."
    found = [f for f in findings(text, "structure") if "repeats" in f.message]
    assert len(found) == 1
    assert apply(text, found[0]) == f"{line}\nWrite a memo.\nSign it."
    assert not [f for f in findings("Write a memo.\nSign it.", "structure") if f.span]


def test_a_wall_of_text_is_flagged():
    wall = "Write the summary and keep each claim tied to a source. " * 30
    assert "paragraph" in messages(wall, "structure")
    assert "paragraph" not in messages(wall.replace(". ", ".\n"), "structure")


# --- Examples --------------------------------------------------------------------------------


def test_a_classification_without_examples_asks_for_them():
    assert "no example" in messages("Classify the ticket as bug or feature.", "examples")
    with_examples = (
        "Classify the ticket as bug or feature.\n<example>\nInput: It crashes\n"
        "Output: bug\n</example>"
    )
    assert not findings(with_examples, "examples")
    assert not findings("Write a poem about autumn.", "examples")


# --- Consistency -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Be concise. Give a detailed answer.", "detailed"),
        ("Keep it short and thorough.", "thorough"),
        ("Write a formal, casual note.", "casual"),
        ("Use at most 50 words and at least 200 words.", "at least 200 words"),
    ],
)
def test_contradictions_are_flagged_at_the_second_term(text, second):
    found = findings(text, "consistency")
    assert len(found) == 1
    assert text[found[0].span[0] : found[0].span[1]] == second


def test_compatible_terms_are_not_contradictions():
    assert not findings("Be concise. Use a formal tone.", "consistency")
    assert not findings("Read the brief and write a detailed plan.", "consistency")
    assert not findings("Use at most 200 words and at least 50 words.", "consistency")


# --- Variables -------------------------------------------------------------------------------


def test_variables_agree_with_the_editor():
    text = "Write to {{ name }} about {{topic}} and {{name}}."
    assert find_variables(text) == ["name", "topic"]
    assert not findings(text, "variables")


def test_an_empty_placeholder_is_flagged_and_removable():
    text = "Write to {{ }} today."
    found = findings(text, "variables")
    assert len(found) == 1
    assert apply(text, found[0]) == "Write to  today."


def test_a_placeholder_with_an_invalid_name_gets_a_fixed_name():
    text = "Write to {{first name}}."
    (found,) = findings(text, "variables")
    assert apply(text, found) == "Write to {{first_name}}."
    assert find_variables(apply(text, found)) == ["first_name"]


@pytest.mark.parametrize("other", ["{topic}", "${topic}", "<topic>"])
def test_mixed_syntaxes_are_flagged_beside_double_braces(other):
    text = f"Write to {{{{name}}}} about {other}."
    (found,) = findings(text, "variables")
    assert apply(text, found) == "Write to {{name}} about {{topic}}."
    # Alone, or as a tag pair, they are not placeholders beside double braces.
    assert not findings(f"Write about {other}.", "variables")
    assert not findings("Read {{doc}} inside <topic>x</topic>.", "variables")


def test_declared_variables_must_match_the_used_ones():
    text = "Write to {{name}} about {{topik}}."
    found = messages(text, "variables", declared=["name", "topic"])
    assert "{{topik}}" in found and "isn't among the variables declared" in found
    assert "“topic” is declared" in found
    assert not findings(text, "variables", declared=["name", "topik"])
    assert not findings(text, "variables", declared=None)
    assert not findings(text, "variables", declared=[])


# --- Safety ----------------------------------------------------------------------------------


def test_pasted_user_input_is_an_injection_risk_with_a_wrapping_fix():
    text = "Answer the customer's question politely: {{question}}"
    (found,) = findings(text, "safety")
    fixed = apply(text, found)
    assert fixed.endswith("<question>\n{{question}}\n</question>")
    assert not findings(fixed, "safety")


@pytest.mark.parametrize(
    "text",
    [
        "Answer the question:\n<question>\n{{question}}\n</question>",
        'Answer the question: """{{question}}"""',
        "Answer the question:\n```\n{{question}}\n```",
        'Answer the question: "{{question}}"',
        "Write in a {{tone}} tone for {{audience}}.",
    ],
)
def test_delimited_input_and_settings_are_safe(text):
    assert not findings(text, "safety")


# --- Bounds ----------------------------------------------------------------------------------


def test_findings_per_criterion_are_capped_but_all_counted():
    text = "Write some good stuff. " * 500
    criterion = analyze(text).criterion("specificity")
    assert len(criterion.findings) <= FINDINGS_SHOWN + 1
    assert "more" in criterion.findings[-1].message
    assert criterion.score == 0


def test_text_past_the_limit_is_cut_and_said_so():
    analysis = analyze("Summarize the report. " * (ANALYSED_MAX // 10))
    assert analysis.truncated
    assert analysis.analysed_chars == ANALYSED_MAX
    assert not analyze(PRECISE).truncated


@pytest.mark.parametrize(
    "text",
    [
        "\x00" * 1000,
        "\ud800 Write {{\udc00}} \udfff",
        "{{" * 10_000,
        "<a" * 10_000,
        "İ" * 1000 + " maybe etc.",
        ("a" * 5000 + "\n") * 200,
        "Summarize " + "{{x}} " * 20_000,
    ],
)
def test_hostile_text_gets_an_analysis(text):
    analysis = analyze(text)
    assert isinstance(analysis, Analysis)
    assert 0 <= analysis.score <= 100
    for finding in analysis.suggestions:
        if finding.span:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)


DEGENERATE = {
    "random printable": "".join(chr(32 + (n * 7919) % 95) for n in range(100_000)),
    "line breaks": "\n" * 100_000,
    "placeholders": "{{x}} " * 16_667,
    "numbered stems": "1) " * 33_334,
    "tags": "<a>" * 33_334,
    "bad placeholders": "é😀{{ä}}" * 14_286,
    "digits": "1 " * 50_000,
    "task verbs": "a write " * 12_500,
    "negatives": "Summarize it. " + "never " * 16_000,
}


@pytest.mark.parametrize("kind", DEGENERATE)
def test_degenerate_text_gets_a_full_analysis_with_bounded_findings(kind):
    text = DEGENERATE[kind]
    analysis = analyze(text)
    assert [c.key for c in analysis.criteria] == [c.key for c in analyze(PRECISE).criteria]
    assert 0 <= analysis.score <= 100
    for criterion in analysis.criteria:
        assert 0 <= criterion.score <= 100
        # Each rule lists at most FINDINGS_SHOWN (and a line for the rest); a criterion's
        # other checks add at most a few.
        assert len(criterion.findings) <= FINDINGS_SHOWN + 5
        for finding in criterion.findings:
            assert finding.span is None or 0 <= finding.span[0] <= finding.span[1] <= len(text)
    assert len(analysis.suggestions) <= 60
    json.dumps(analysis.as_dict())


def test_a_rule_stops_counting_past_its_limit_and_says_so():
    many = "{{ä}} " * (MATCHES_EXAMINED + 500)
    analysis = analyze("Summarize the notes. " + many)
    variables = analysis.criterion("variables")
    assert analysis.capped and analysis.as_dict()["capped"]
    assert variables.score == 0
    assert len(variables.findings) == FINDINGS_SHOWN + 1
    assert variables.findings[-1].message == (
        f"…and more than {MATCHES_EXAMINED - FINDINGS_SHOWN} more placeholder problems."
    )
    # Under the limit every problem is counted, and nothing is said to be capped.
    few = analyze("Summarize the notes. " + "{{ä}} " * 50)
    assert not few.capped
    assert few.criterion("variables").findings[-1].message.startswith("…and 30 more")
    assert not analyze(PRECISE).capped


def test_a_megabyte_gets_an_analysis():
    analysis = analyze(RAMBLING * (1_000_000 // len(RAMBLING)))
    assert analysis.truncated and 0 <= analysis.score <= 100


@given(st.text(max_size=2_000), st.one_of(st.none(), st.text(max_size=20)))
def test_any_string_is_analysed_the_same_way_twice(text, model):
    first = analyze(text, model=model)
    assert 0 <= first.score <= 100
    assert first == analyze(text, model=model)
    for finding in first.suggestions:
        if finding.span:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)
    json.dumps(first.as_dict())


@given(
    st.lists(
        st.sampled_from(
            [
                "Summarize",
                "{{x}}",
                "{{ }}",
                "{y}",
                "<z>",
                "</z>",
                "etc.",
                "maybe",
                ",",
                " ",
                "\n",
                "short",
                "detailed",
                "{{question}}",
                '"""',
                "at most 5 words",
                "at least 9 words",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_every_fix_applies_to_its_span(text):
    for finding in analyze(text, declared=["x"]).suggestions:
        if finding.fix is not None:
            assert finding.span is not None
            assert isinstance(apply(text, finding), str)
