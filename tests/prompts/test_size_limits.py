"""Size limits on every path a prompt's texts arrive by: the editor, the services (which the
API calls), imports (refused per prompt, with the reason), the admin and the template admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.imports.models import ImportCandidate
from apps.imports.services import session_import
from apps.prompts import services, validation
from apps.prompts.models import Prompt, PromptVersion
from apps.prompts.services.bulk import NewPrompt, prompts_create_many
from apps.templates.models import PromptTemplate
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory

OVER = {
    "name": "n" * (validation.NAME_MAX + 1),
    "description": "d" * (validation.DESCRIPTION_MAX + 1),
    "content": "c" * (validation.CONTENT_MAX + 1),
    "metadata": {"a": "m" * validation.METADATA_MAX},
    "change_message": "x" * (validation.CHANGE_MESSAGE_MAX + 1),
    "tags": [f"t{n}" for n in range(validation.TAGS_MAX + 1)],
    "model": "m" * (validation.MODEL_MAX + 1),
}


@pytest.mark.parametrize("field", sorted(OVER))
def test_create_refuses_each_over_long_field_and_saves_nothing(alice, field):
    fields = {"name": "Name", "content": "Content", field: OVER[field]}
    with pytest.raises(ValidationError) as caught:
        services.prompt_create(owner=alice, author=alice, **fields)
    message = " ".join(sum(caught.value.message_dict.values(), []))
    assert "at most" in message
    assert not Prompt.objects.exists()


@pytest.mark.parametrize("field", sorted(set(OVER) - {"change_message"}))
def test_update_refuses_each_over_long_field_and_changes_nothing(alice, field):
    prompt = PromptFactory(user=alice, name="Keep", content="keep")
    with pytest.raises(ValidationError):
        services.prompt_update(prompt=prompt, author=alice, **{field: OVER[field]})
    prompt.refresh_from_db()
    assert (prompt.name, prompt.content) == ("Keep", "keep")
    assert prompt.versions.count() == 1


def test_update_refuses_an_over_long_change_message(alice):
    prompt = PromptFactory(user=alice, content="keep")
    with pytest.raises(ValidationError) as caught:
        services.prompt_update(
            prompt=prompt, author=alice, content="new", change_message=OVER["change_message"]
        )
    assert "change_message" in caught.value.message_dict
    prompt.refresh_from_db()
    assert prompt.content == "keep"


def test_content_at_the_limit_is_fine(alice):
    prompt = services.prompt_create(
        owner=alice, author=alice, name="Long", content="c" * validation.CONTENT_MAX
    )
    assert len(prompt.content) == validation.CONTENT_MAX


def test_the_editor_says_how_long_the_content_is(alice_client, alice):
    response = alice_client.post(
        reverse("prompts:create"),
        {"name": "Long", "content": OVER["content"], "model": "gpt-4", "description": "Mine"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"at most {validation.CONTENT_MAX:,} characters" in body
    assert f"{validation.CONTENT_MAX + 1:,}" in body
    assert not Prompt.objects.exists()


def test_the_editor_refuses_an_over_long_description(alice_client, alice):
    response = alice_client.post(
        reverse("prompts:create"),
        {"name": "n", "content": "c", "model": "gpt-4", "description": OVER["description"]},
    )
    assert response.status_code == 200
    assert f"at most {validation.DESCRIPTION_MAX:,} characters" in response.content.decode()
    assert not Prompt.objects.exists()


def test_copying_a_prompt_saved_before_the_limits_explains_why_not(alice_client, alice):
    prompt = PromptFactory(user=alice, content="short")
    Prompt.objects.filter(pk=prompt.pk).update(content=OVER["content"])
    response = alice_client.post(reverse("prompts:duplicate", args=[prompt.pk]), follow=True)
    assert response.status_code == 200
    assert "can&#x27;t be copied" in response.content.decode()
    assert Prompt.objects.count() == 1


# --- Imports: one over-long prompt is refused, with its name and why; the rest import -------


def test_bulk_creation_refuses_over_long_items_one_by_one(alice):
    items = [
        NewPrompt(name="Fine", content="ok", key="fine"),
        NewPrompt(name="Too long", content=OVER["content"], key="long"),
        NewPrompt(
            name="Long history",
            content="now",
            versions=[{"content": OVER["content"]}, {"content": "now"}],
            key="history",
        ),
        NewPrompt(name="Bad metadata", content="x", metadata={"a": "\x00"}, key="meta"),
    ]
    result = prompts_create_many(owner=alice, author=alice, items=items)
    assert result.created_count == 1
    assert set(result.created) == {"fine"}
    assert result.invalid_count == 3
    assert "“Too long”" in result.invalid["long"]
    assert f"at most {validation.CONTENT_MAX:,} characters" in result.invalid["long"]
    assert "Version 1" in result.invalid["history"]
    assert "NUL" in result.invalid["meta"]
    assert list(Prompt.objects.values_list("name", flat=True)) == ["Fine"]
    alice.refresh_from_db()
    assert alice.prompt_count == 1


def test_imported_history_change_messages_are_shortened_not_refused(alice):
    items = [
        NewPrompt(
            name="Old",
            content="v2",
            versions=[{"content": "v1", "change_message": "m" * 5000}, {"content": "v2"}],
        )
    ]
    assert prompts_create_many(owner=alice, author=alice, items=items).created_count == 1
    first = PromptVersion.objects.get(version=1)
    assert len(first.change_message) == validation.CHANGE_MESSAGE_MAX


def test_an_import_names_the_prompts_it_refused(alice, alice_client):
    session = ImportSessionFactory(user=alice, status="importing", source="file")
    for position, (name, content) in enumerate(
        [("Fine", "A fine prompt"), ("Enormous", OVER["content"])]
    ):
        ImportCandidate.objects.create(
            session=session,
            position=position,
            name=name,
            content=content,
            content_key=str(position),
            selected=True,
        )
    session_import(session=session)
    session.refresh_from_db()
    assert session.status == "done"
    assert session.imported_count == 1
    assert session.metadata["skipped"]["invalid"] == 1
    page = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert 'data-testid="refused-prompts"' in page
    assert "Enormous" in page
    assert f"at most {validation.CONTENT_MAX:,} characters" in page


# --- Admin -----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, db):
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def _prompt_admin_data(owner: User, **overrides) -> dict:
    return {
        "user": str(owner.pk),
        "name": "Admin prompt",
        "description": "",
        "content": "Text",
        "model": "gpt-4",
        "folder": "",
        "tag_names": "",
        "metadata": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "shares-TOTAL_FORMS": "0",
        "shares-INITIAL_FORMS": "0",
        **overrides,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content", OVER["content"]),
        ("description", OVER["description"]),
        ("metadata", '{"a": "' + "m" * validation.METADATA_MAX + '"}'),
        ("metadata", "[" * 100_000 + "]" * 100_000),
        ("metadata", '{"a": NaN}'),
        ("metadata", '{"a": "\\u0000"}'),
    ],
)
def test_the_prompt_admin_refuses_what_the_services_refuse(staff_client, alice, field, value):
    response = staff_client.post(
        reverse("admin:prompts_prompt_add"), _prompt_admin_data(alice, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Prompt.objects.exists()


def _template_admin_data(**overrides) -> dict:
    return {
        "name": "Template",
        "slug": "walked-template",
        "category": "writing",
        "description": "",
        "content": "Write about {{topic}}.",
        "variables": '[{"name": "topic", "required": true}]',
        **overrides,
    }


def test_the_template_admin_saves_a_template(staff_client):
    response = staff_client.post(
        reverse("admin:prompt_templates_prompttemplate_add"), _template_admin_data()
    )
    assert response.status_code == 302
    template = PromptTemplate.objects.get(slug="walked-template")
    assert template.variables == [
        {
            "name": "topic",
            "label": "",
            "description": "",
            "type": "text",
            "options": [],
            "default": "",
            "required": True,
        }
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content", OVER["content"]),
        ("description", OVER["description"]),
        ("variables", "[" * 100_000 + "]" * 100_000),
        ("variables", '[{"name": "\\u0000"}]'),
        ("variables", "[" + ",".join(["{}"] * (validation.TEMPLATE_VARIABLES_MAX + 1)) + "]"),
        ("variables", '{"not": "a list"}'),
    ],
)
def test_the_template_admin_holds_templates_to_the_same_limits(staff_client, field, value):
    response = staff_client.post(
        reverse("admin:prompt_templates_prompttemplate_add"),
        _template_admin_data(**{field: value}),
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not PromptTemplate.objects.filter(slug="walked-template").exists()
