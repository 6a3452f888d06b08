"""The template library's services: using, rating, publishing and unpublishing templates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Tier
from apps.prompts import validation
from apps.prompts.models import Prompt
from apps.teams.models import Role
from apps.templates import services
from apps.templates.models import PromptTemplate, TemplateRating
from promptvault.entitlements import LimitReached
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.teams.factories import TeamInviteFactory
from tests.templates.factories import PromptTemplateFactory

pytestmark = pytest.mark.django_db

TYPED_CONTENT = (
    "You are an editor. Rewrite the text between the markers in a {{tone}} tone, "
    "at most {{words}} words.\n<text>\n{{draft}}\n</text>\nAudience: {{reader}}."
)
TYPED_VARIABLES = [
    {
        "name": "tone",
        "label": "Tone",
        "description": "",
        "type": "choice",
        "options": ["plain", "warm", "formal"],
        "default": "plain",
        "required": True,
    },
    {
        "name": "words",
        "label": "Word limit",
        "description": "",
        "type": "number",
        "default": "150",
        "required": True,
    },
    {
        "name": "draft",
        "label": "Draft",
        "description": "",
        "type": "multiline",
        "default": "",
        "required": True,
    },
    {
        "name": "reader",
        "label": "Reader",
        "description": "",
        "type": "text",
        "default": "",
        "required": False,
    },
]


@pytest.fixture
def typed_template():
    return PromptTemplateFactory(
        slug="rewrite-text", content=TYPED_CONTENT, variables=TYPED_VARIABLES
    )


# --- Using a template --------------------------------------------------------------------------


def test_use_creates_version_one_with_the_values_and_counts_everything(alice, typed_template):
    prompt = services.template_use(
        template=typed_template,
        user=alice,
        values={"tone": "warm", "words": "120", "draft": "Line one\nLine two", "reader": "CFOs"},
    )
    assert prompt.user == alice
    assert prompt.name == typed_template.name
    assert "in a warm tone, at most 120 words" in prompt.content
    assert "Line one\nLine two" in prompt.content and "Audience: CFOs." in prompt.content
    assert list(prompt.versions.values_list("version", flat=True)) == [1]
    assert prompt.versions.get().content == prompt.content
    alice.refresh_from_db()
    typed_template.refresh_from_db()
    assert alice.prompt_count == 1
    assert typed_template.usage_count == 1
    assert prompt.metadata == {"template": "rewrite-text", "variables": []}


def test_values_not_given_take_the_defaults(alice, typed_template):
    prompt = services.template_use(template=typed_template, user=alice, values={"draft": "Hi"})
    assert "in a plain tone, at most 150 words" in prompt.content


def test_an_optional_value_left_empty_stays_a_typed_placeholder(alice, typed_template):
    prompt = services.template_use(
        template=typed_template, user=alice, values={"draft": "Hi", "reader": "  "}
    )
    assert "Audience: {{reader}}." in prompt.content
    assert [item["name"] for item in prompt.metadata["variables"]] == ["reader"]
    assert prompt.metadata["variables"][0]["type"] == "text"


def test_substitution_is_literal_and_happens_once(alice, typed_template):
    prompt = services.template_use(
        template=typed_template,
        user=alice,
        values={"draft": "Keep {{tone}} and {{ words }} and \\1 and $1 as typed", "reader": "x"},
    )
    assert "Keep {{tone}} and {{ words }} and \\1 and $1 as typed" in prompt.content
    assert "in a plain tone" in prompt.content


def test_each_placeholder_is_filled_wherever_it_appears(alice):
    template = PromptTemplateFactory(
        content="{{a}} then {{ a }} then {{b}}",
        variables=[
            {"name": "a", "type": "text", "required": True},
            {"name": "b", "type": "text", "required": True},
        ],
    )
    prompt = services.template_use(template=template, user=alice, values={"a": "{{b}}", "b": "B"})
    assert prompt.content == "{{b}} then {{b}} then B"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"draft": ""}, "draft", "Fill in Draft."),
        ({"draft": "x", "tone": "angry"}, "tone", "Choose Tone from the list."),
        ({"draft": "x", "words": "many"}, "words", "Word limit must be a number."),
        ({"draft": "x", "words": "1e999"}, "words", "Word limit must be a number."),
        ({"draft": "x", "words": "NaN"}, "words", "Word limit must be a number."),
        ({"draft": "x", "tone": ""}, "tone", "Fill in Tone."),
        ({"draft": "x", "reader": "two\nlines"}, "reader", "Reader is one line of text."),
        (
            {"draft": "x\x00y"},
            "draft",
            "Draft can't contain NUL characters or unpaired surrogates.",
        ),
        ({"draft": "x" * 50_001}, "draft", "Draft can be at most 50,000 characters."),
    ],
)
def test_values_are_checked_against_their_declarations(
    alice, typed_template, values, field, message
):
    with pytest.raises(ValidationError) as caught:
        services.template_use(template=typed_template, user=alice, values=values)
    assert caught.value.message_dict == {field: [message]}
    assert not Prompt.objects.exists()
    typed_template.refresh_from_db()
    assert typed_template.usage_count == 0


def test_a_result_longer_than_a_prompt_is_refused(alice):
    template = PromptTemplateFactory(
        content="{{a}}" * 40_000, variables=[{"name": "a", "type": "multiline"}]
    )
    with pytest.raises(ValidationError) as caught:
        services.fill_template(template.content, {"a": "y" * 50_000})
    assert "content" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.template_use(template=template, user=alice, values={"a": "y" * 50_000})
    assert not Prompt.objects.exists()
    assert len(services.fill_template("{{a}}", {"a": "y" * validation.CONTENT_MAX})) == (
        validation.CONTENT_MAX
    )


def test_a_free_user_at_the_limit_gets_the_upgrade_message_and_nothing_changes(typed_template):
    user = UserFactory(tier=Tier.FREE)
    for number in range(50):
        PromptFactory(user=user, name=f"p{number}")
    with pytest.raises(LimitReached) as caught:
        services.template_use(template=typed_template, user=user, values={"draft": "x"})
    assert "upgrade-link" in caught.value.as_html()
    user.refresh_from_db()
    typed_template.refresh_from_db()
    assert user.prompt_count == 50 and Prompt.objects.filter(user=user).count() == 50
    assert typed_template.usage_count == 0


def test_use_takes_a_name_folder_and_tags(alice, typed_template):
    prompt = services.template_use(
        template=typed_template,
        user=alice,
        values={"draft": "x"},
        name="My rewrite",
        folder="writing/edits",
        tags=["edit"],
    )
    assert (prompt.name, prompt.folder) == ("My rewrite", "writing/edits")
    assert list(prompt.tags.values_list("name", flat=True)) == ["edit"]


def test_a_template_with_stale_declarations_still_works(alice):
    """Admins may store declarations in the seed's older shape, or none at all."""
    template = PromptTemplateFactory(
        content="Summarise {{topic}} for {{who}}.",
        variables=[{"name": "topic", "description": "What", "default": "", "required": True}, 7],
    )
    prompt = services.template_use(template=template, user=alice, values={"topic": "tides"})
    assert prompt.content == "Summarise tides for {{who}}."


# --- Ratings -----------------------------------------------------------------------------------


def test_ratings_average_exactly_and_a_second_rating_replaces_the_first(alice, charlie):
    template = PromptTemplateFactory()
    services.template_rate(template=template, user=alice, score=5)
    services.template_rate(template=template, user=charlie, score=2)
    template.refresh_from_db()
    assert (template.rating, template.rating_count) == (3.5, 2)
    services.template_rate(template=template, user=charlie, score="4")
    template.refresh_from_db()
    assert (template.rating, template.rating_count) == (4.5, 2)
    assert TemplateRating.objects.filter(template=template).count() == 2


@pytest.mark.parametrize("score", [0, 6, -1, "five", "", None, "3.5", 10**400])
def test_a_score_outside_one_to_five_is_refused(alice, score):
    template = PromptTemplateFactory()
    with pytest.raises(ValidationError):
        services.template_rate(template=template, user=alice, score=score)
    template.refresh_from_db()
    assert (template.rating, template.rating_count) == (None, 0)


# --- Publishing --------------------------------------------------------------------------------


def test_publishing_makes_a_community_template_with_variables_from_the_content(alice):
    prompt = PromptFactory(
        user=alice,
        name="Release notes",
        description="Notes from a changelog",
        content="Write release notes for {{product}} from:\n{{changes}}\nKeep {{product}} bold.",
    )
    template = services.template_publish(prompt=prompt, user=alice, category="engineering")
    assert not template.is_official
    assert template.created_by == alice and template.source_prompt == prompt
    assert template.description == "Notes from a changelog"
    assert [item["name"] for item in template.variables] == ["product", "changes"]
    assert {item["type"] for item in template.variables} == {"text"}
    assert template.slug.startswith("release-notes-")


def test_publishing_keeps_the_types_a_prompt_from_a_template_declares(alice):
    prompt = services.template_use(
        template=PromptTemplateFactory(
            content="Tone: {{tone}}",
            variables=[{"name": "tone", "type": "choice", "options": ["a", "b"]}],
        ),
        user=alice,
        values={},
    )
    template = services.template_publish(prompt=prompt, user=alice, category="writing")
    assert template.variables[0]["type"] == "choice"
    assert template.variables[0]["options"] == ["a", "b"]


def test_slugs_are_unique_and_publishing_again_updates_the_template(alice):
    first = PromptFactory(user=alice, name="Same name", content="One {{x}}")
    second = PromptFactory(user=alice, name="Same name", content="Two")
    one = services.template_publish(prompt=first, user=alice, category="writing")
    two = services.template_publish(prompt=second, user=alice, category="writing")
    assert one.slug != two.slug
    from apps.prompts import services as prompt_services

    prompt_services.prompt_update(prompt=first, author=alice, content="One, edited {{x}}")
    again = services.template_publish(
        prompt=first, user=alice, category="data", description="Now data"
    )
    assert again.pk == one.pk
    assert (again.content, again.category, again.description) == (
        "One, edited {{x}}",
        "data",
        "Now data",
    )
    assert PromptTemplate.objects.filter(created_by=alice).count() == 2


def test_a_team_editor_cannot_publish_the_owners_prompt(alice):
    bob = UserFactory()
    TeamInviteFactory(
        invited_by=alice, invited_email=bob.email, role=Role.EDITOR, accepted=True, accepted_by=bob
    )
    prompt = PromptFactory(user=alice, content="Alice's {{x}}")
    with pytest.raises(PermissionDenied):
        services.template_publish(prompt=prompt, user=bob, category="writing")
    assert not PromptTemplate.objects.filter(created_by__isnull=False).exists()


def test_an_unknown_category_is_refused(alice):
    prompt = PromptFactory(user=alice)
    with pytest.raises(ValidationError) as caught:
        services.template_publish(prompt=prompt, user=alice, category="nonsense")
    assert "category" in caught.value.message_dict


def test_only_the_author_unpublishes_and_never_an_official_template(alice, charlie):
    template = services.template_publish(
        prompt=PromptFactory(user=alice), user=alice, category="writing"
    )
    with pytest.raises(PermissionDenied):
        services.template_unpublish(template=template, user=charlie)
    services.template_unpublish(template=template, user=alice)
    assert not PromptTemplate.objects.filter(pk=template.pk).exists()
    official = PromptTemplateFactory(is_official=True, created_by=alice)
    with pytest.raises(PermissionDenied):
        services.template_unpublish(template=official, user=alice)


def test_templates_mark_changes_only_what_differs(db):
    official = PromptTemplateFactory(is_official=True, is_featured=False)
    community = PromptTemplateFactory(is_official=False, is_featured=False)
    both = PromptTemplate.objects.filter(pk__in=[official.pk, community.pk])
    assert services.templates_mark(templates=both, official=True) == 1
    assert services.templates_mark(templates=both, featured=True) == 2
    assert services.templates_mark(templates=both) == 0
    assert set(both.values_list("is_official", "is_featured")) == {(True, True)}
