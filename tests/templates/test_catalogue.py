"""The official catalogue: every template is well formed and declares exactly what it uses."""

import re
from collections import Counter
from itertools import combinations

import pytest

from apps.prompts.validation import (
    DESCRIPTION_MAX,
    NAME_MAX,
    TEMPLATE_CATEGORY_MAX,
    TEMPLATE_VARIABLES_MAX,
)
from apps.prompts.variables import find_variables
from apps.templates.catalogue import CATEGORIES, OFFICIAL_TEMPLATES

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VARIABLE_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
EXACT_PLACEHOLDER_RE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
TEMPLATE_KEYS = {"slug", "category", "name", "description", "content", "variables"}
VARIABLE_KEYS = {"name", "label", "description", "type", "default", "required"}
TYPES = {"text", "multiline", "choice", "number"}

templates = pytest.mark.parametrize(
    "template", OFFICIAL_TEMPLATES, ids=[t.get("slug", "?") for t in OFFICIAL_TEMPLATES]
)


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_the_catalogue_has_at_least_40_templates():
    assert len(OFFICIAL_TEMPLATES) >= 40


def test_at_least_8_categories_each_with_at_least_3_templates():
    counts = Counter(t["category"] for t in OFFICIAL_TEMPLATES)
    assert len(CATEGORIES) >= 8
    assert {category: counts[category] for category in CATEGORIES if counts[category] < 3} == {}


def test_category_slugs_and_labels_are_well_formed():
    for slug, label in CATEGORIES.items():
        assert SLUG_RE.fullmatch(slug) and len(slug) <= TEMPLATE_CATEGORY_MAX
        assert label.strip() == label and label


def test_slugs_and_names_are_unique():
    slugs = Counter(t["slug"] for t in OFFICIAL_TEMPLATES)
    names = Counter(t["name"] for t in OFFICIAL_TEMPLATES)
    assert [slug for slug, n in slugs.items() if n > 1] == []
    assert [name for name, n in names.items() if n > 1] == []


def test_no_two_templates_have_near_identical_content():
    shingled = [(t["slug"], _shingles(t["content"])) for t in OFFICIAL_TEMPLATES]
    too_similar = [
        (a, b)
        for (a, sa), (b, sb) in combinations(shingled, 2)
        if len(sa & sb) / len(sa | sb) >= 0.3
    ]
    assert too_similar == []


@templates
def test_template_fields_are_well_formed(template):
    assert set(template) == TEMPLATE_KEYS
    assert SLUG_RE.fullmatch(template["slug"]) and len(template["slug"]) <= 255
    assert template["category"] in CATEGORIES
    assert 0 < len(template["name"]) <= NAME_MAX and template["name"].strip() == template["name"]
    assert 40 <= len(template["description"]) <= DESCRIPTION_MAX


@templates
def test_content_is_substantial(template):
    assert len(template["content"]) >= 400
    assert template["content"] == template["content"].strip()


@templates
def test_declared_variables_match_the_placeholders_exactly(template):
    declared = [variable["name"] for variable in template["variables"]]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(find_variables(template["content"]))
    assert len(declared) <= TEMPLATE_VARIABLES_MAX


@templates
def test_every_placeholder_is_written_exactly(template):
    # `{{ name }}`, `{{Name}}` or a stray `{{` would still be found or shown differently.
    content = template["content"]
    assert content.count("{{") == len(EXACT_PLACEHOLDER_RE.findall(content))
    assert content.count("}}") == content.count("{{")


@templates
def test_variables_have_valid_types_options_and_defaults(template):
    for variable in template["variables"]:
        name = variable["name"]
        expected_keys = VARIABLE_KEYS | ({"options"} if variable["type"] == "choice" else set())
        assert set(variable) == expected_keys, name
        assert VARIABLE_NAME_RE.fullmatch(name), name
        assert variable["type"] in TYPES, name
        assert variable["label"].strip() and variable["description"].strip(), name
        assert isinstance(variable["required"], bool), name
        assert isinstance(variable["default"], str), name
        if variable["type"] == "choice":
            options = variable["options"]
            assert len(options) >= 2 and len(options) == len(set(options)), name
            assert all(isinstance(option, str) and option.strip() for option in options), name
            assert variable["default"] in ("", *options), name
        if variable["type"] == "number":
            assert variable["default"] == "" or variable["default"].isdigit(), name


@templates
def test_optional_inputs_are_few_enough_to_keep_templates_usable(template):
    assert any(variable["required"] for variable in template["variables"])


@templates
def test_every_multiline_input_sits_inside_delimiters(template):
    """Pasted material (a document, code, notes) is fenced off from the instructions, so the
    model can tell the two apart: inside an open <tag> block or a ``` fence."""
    content = template["content"]
    for variable in template["variables"]:
        if variable["type"] != "multiline":
            continue
        before = content[: content.index("{{" + variable["name"] + "}}")]
        open_tags = Counter(re.findall(r"<([a-z_]+)>", before))
        open_tags.subtract(re.findall(r"</([a-z_]+)>", before))
        in_tag = any(count > 0 for count in open_tags.values())
        in_fence = before.count("```") % 2 == 1
        assert in_tag or in_fence, f"{template['slug']}: {{{{{variable['name']}}}}} is bare"
