"""Staff curate the library in admin: feature templates, mark them official, remove them."""

import pytest
from django.urls import reverse

from apps.templates.models import PromptTemplate
from tests.accounts.factories import UserFactory
from tests.templates.factories import PromptTemplateFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:prompt_templates_prompttemplate_changelist"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_feature_templates_and_the_library_shows_them_first(staff_client, client):
    PromptTemplate.objects.all().delete()
    plain = PromptTemplateFactory(name="Plain", usage_count=50)
    chosen = PromptTemplateFactory(name="Chosen", usage_count=1)
    url = reverse(CHANGELIST)
    staff_client.post(url, {"action": "feature", "_selected_action": [chosen.pk]})
    chosen.refresh_from_db()
    assert chosen.is_featured
    page = staff_client.get(reverse("templates:list"))
    assert [t.name for t in page.context["page"].object_list] == ["Chosen", "Plain"]
    assert "Featured" in page.content.decode()
    staff_client.post(url, {"action": "unfeature", "_selected_action": [chosen.pk, plain.pk]})
    assert not PromptTemplate.objects.filter(is_featured=True).exists()


def test_staff_mark_a_community_template_official_and_remove_one(staff_client):
    author = UserFactory()
    community = PromptTemplateFactory(is_official=False, created_by=author)
    spam = PromptTemplateFactory(is_official=False, created_by=author)
    url = reverse(CHANGELIST)
    staff_client.post(url, {"action": "mark_official", "_selected_action": [community.pk]})
    community.refresh_from_db()
    assert community.is_official
    staff_client.post(
        url, {"action": "delete_selected", "_selected_action": [spam.pk], "post": "yes"}
    )
    assert not PromptTemplate.objects.filter(pk=spam.pk).exists()


def test_the_change_form_offers_the_featured_flag(staff_client):
    template = PromptTemplateFactory()
    url = reverse("admin:prompt_templates_prompttemplate_change", args=[template.pk])
    assert 'name="is_featured"' in staff_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ("[]", "Placeholders without a declaration: topic."),
        ('[{"name": "topic"}, {"name": "tone"}]', "Declared but not in the text: tone."),
        ('[{"name": "topic"}, {"name": "topic"}]', "Declared more than once: topic."),
        ('[{"name": "topic", "type": "choice"}]', "topic: a choice needs options."),
        ('[{"name": "topic", "type": "colour"}]', "topic: the type must be one of"),
    ],
)
def test_staff_cannot_save_declarations_that_disagree_with_the_text(
    staff_client, variables, problem
):
    data = {
        "name": "Essay",
        "slug": "essay",
        "category": "writing",
        "description": "",
        "content": "Write an essay about {{topic}}.",
        "variables": variables,
    }
    response = staff_client.post(reverse("admin:prompt_templates_prompttemplate_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["variables"]
    assert any(problem in error for error in errors), errors
    assert not PromptTemplate.objects.filter(slug="essay").exists()
