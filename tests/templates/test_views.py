"""The library's pages: browsing, a template's page with its form and preview, using, rating,
publishing from a prompt's page, and the typed fill-and-copy panel of a prompt made from one."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts.models import Prompt
from apps.teams.models import Role
from apps.templates import services
from apps.templates.models import PromptTemplate, TemplateRating
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.teams.factories import TeamInviteFactory
from tests.templates.factories import PromptTemplateFactory, TemplateRatingFactory

pytestmark = pytest.mark.django_db

TYPED = {
    "content": "Reply to <message>{{message}}</message> in a {{tone}} tone, {{words}} words.",
    "variables": [
        {"name": "message", "label": "Message", "type": "multiline", "required": True},
        {
            "name": "tone",
            "label": "Tone",
            "type": "choice",
            "options": ["warm", "formal"],
            "default": "warm",
            "required": True,
        },
        {"name": "words", "label": "Length", "type": "number", "default": "80"},
    ],
}


@pytest.fixture
def template():
    return PromptTemplateFactory(
        slug="reply", name="Reply to a customer", category="support", **TYPED
    )


def _detail(template):
    return reverse("templates:detail", kwargs={"slug": template.slug})


# --- Browsing ----------------------------------------------------------------------------------


def test_signed_out_visitors_browse_the_official_catalogue(client):
    services.catalogue_sync()  # transactional tests elsewhere may have emptied the table
    response = client.get(reverse("templates:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Template library" in page and "Customer support" in page
    assert page.count('data-testid="template-card"') == 24


def test_category_filter_and_search_over_name_description_and_content(client):
    PromptTemplate.objects.all().delete()
    PromptTemplateFactory(name="Cold email", category="sales", description="Outreach")
    PromptTemplateFactory(name="Bug report", category="engineering", content="Triage {{topic}}")
    PromptTemplateFactory(name="Other", category="engineering", description="nothing")
    url = reverse("templates:list")
    names = lambda response: [t.name for t in response.context["page"].object_list]  # noqa: E731
    assert names(client.get(url, {"category": "sales"})) == ["Cold email"]
    assert names(client.get(url, {"q": "outreach"})) == ["Cold email"]
    assert names(client.get(url, {"q": "triage"})) == ["Bug report"]
    assert names(client.get(url, {"q": "triage", "category": "sales"})) == []


def test_official_first_then_the_chosen_order(client):
    PromptTemplate.objects.all().delete()
    PromptTemplateFactory(name="Community hit", is_official=False, usage_count=99, rating=5.0)
    PromptTemplateFactory(name="Used", usage_count=10, rating=3.0, rating_count=1)
    PromptTemplateFactory(name="Liked", usage_count=1, rating=4.5, rating_count=2)
    PromptTemplateFactory(name="Unrated", usage_count=5)
    url = reverse("templates:list")

    def names(sort):
        return [t.name for t in client.get(url, {"sort": sort}).context["page"].object_list]

    assert names("popular") == ["Used", "Unrated", "Liked", "Community hit"]
    assert names("rated") == ["Liked", "Used", "Unrated", "Community hit"]
    assert names("newest") == ["Unrated", "Liked", "Used", "Community hit"]


def test_the_htmx_request_gets_only_the_results(client):
    response = client.get(
        reverse("templates:list"),
        {"q": "email"},
        headers={"HX-Request": "true", "HX-Target": "library"},
    )
    page = response.content.decode()
    assert page.startswith('<div id="library">') or page.lstrip().startswith('<div id="library">')
    assert "<html" not in page


@pytest.mark.parametrize("query", ["", "?sort=rated&category=engineering", "?q=plan+the"])
def test_the_list_runs_the_same_queries_with_forty_and_eighty_templates(client, query):
    PromptTemplate.objects.all().delete()
    author = UserFactory()
    counts = []
    for size in (40, 80):
        for number in range(40):
            PromptTemplateFactory(
                name=f"Plan the thing {size}-{number}",
                category="engineering" if number % 2 else "writing",
                is_official=number % 3 == 0,
                created_by=None if number % 3 == 0 else author,
                rating=4.0,
                rating_count=3,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("templates:list") + query)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 3


# --- A template's page -------------------------------------------------------------------------


def test_the_page_builds_a_typed_form_with_defaults_and_a_preview(client, template):
    page = client.get(_detail(template)).content.decode()
    assert '<textarea id="var-message" name="var_message" rows="4" required>' in page
    assert '<select id="var-tone" name="var_tone" required>' in page
    assert '<option value="warm" selected>warm</option>' in page
    assert 'type="number" step="any" id="var-words" name="var_words" value="80"' in page
    assert "in a warm tone, 80 words." in page  # the preview, with the defaults
    assert '<mark class="var" data-var="message">' in page


def test_values_in_the_address_fill_the_form_and_the_preview(client, template):
    page = client.get(_detail(template), {"var_tone": "formal", "var_message": "Hi <b>"}).content
    page = page.decode()
    assert '<option value="formal" selected>formal</option>' in page
    assert "Reply to &lt;message&gt;Hi &lt;b&gt;&lt;/message&gt; in a formal tone" in page


def test_the_preview_is_a_partial_for_htmx_and_a_whole_page_without_javascript(client, template):
    url = reverse("templates:preview", kwargs={"slug": template.slug})
    data = {"var_message": "Where is my order?", "var_tone": "formal", "var_words": "50"}
    partial = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert partial.strip().startswith('<section id="preview"')
    assert "Where is my order?&lt;/message&gt; in a formal tone, 50 words." in partial
    page = client.post(url, data).content.decode()
    assert "<html" in page and "in a formal tone, 50 words." in page
    assert "Where is my order?</textarea>" in page  # the form keeps what was typed


def test_an_unknown_template_is_a_404(client):
    assert client.get("/templates/no-such-template/").status_code == 404
    assert client.post("/templates/no-such-template/use/").status_code == 404


# --- Using one ---------------------------------------------------------------------------------


def test_use_creates_the_prompt_and_opens_it(alice_client, alice, template):
    response = alice_client.post(
        reverse("templates:use", kwargs={"slug": template.slug}),
        {"var_message": "Late parcel", "var_tone": "formal", "var_words": "60"},
    )
    prompt = Prompt.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("prompts:detail", kwargs={"pk": prompt.pk})
    assert prompt.content == ("Reply to <message>Late parcel</message> in a formal tone, 60 words.")
    template.refresh_from_db()
    assert template.usage_count == 1


def test_signed_out_use_goes_to_log_in_and_comes_back_with_the_values(client, template):
    response = client.post(
        reverse("templates:use", kwargs={"slug": template.slug}),
        {"var_message": "Late parcel", "var_tone": "formal", "var_words": "60"},
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:login")
    back = urlsplit(parse_qs(location.query)["next"][0])
    assert back.path == _detail(template)
    assert parse_qs(back.query) == {
        "var_message": ["Late parcel"],
        "var_tone": ["formal"],
        "var_words": ["60"],
    }
    assert not Prompt.objects.exists()


def test_values_too_long_for_an_address_are_left_out_of_it(client, template):
    response = client.post(
        reverse("templates:use", kwargs={"slug": template.slug}),
        {"var_message": "x" * 5_000, "var_tone": "formal"},
    )
    back = urlsplit(parse_qs(urlsplit(response["Location"]).query)["next"][0])
    assert parse_qs(back.query) == {"var_tone": ["formal"], "left_out": ["message"]}

    # Back on the page after logging in, the person is asked for what was left out.
    page = client.get(f"{back.path}?{back.query}").content.decode()
    assert "Message was too long to keep while you logged in: please fill it in again." in page


def test_bad_values_come_back_with_their_messages_and_nothing_is_created(
    alice_client, alice, template
):
    response = alice_client.post(
        reverse("templates:use", kwargs={"slug": template.slug}),
        {"var_message": "", "var_tone": "shouty", "var_words": "lots"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fill in Message." in page and "Choose Tone from the list." in page
    assert "Length must be a number." in page
    assert not Prompt.objects.exists()


def test_a_free_user_at_fifty_sees_the_limit_with_the_upgrade_link(client, template):
    user = UserFactory(tier=Tier.FREE)
    for number in range(50):
        PromptFactory(user=user, name=f"p{number}")
    client.force_login(user)
    response = client.post(
        reverse("templates:use", kwargs={"slug": template.slug}), {"var_message": "Hi"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="limit-reached"' in page and 'data-testid="upgrade-link"' in page
    assert Prompt.objects.filter(user=user).count() == 50
    template.refresh_from_db()
    assert template.usage_count == 0


def test_the_new_prompts_fill_panel_uses_the_declared_types(alice_client, alice, template):
    alice_client.post(
        reverse("templates:use", kwargs={"slug": template.slug}),
        {"var_message": "Late parcel", "var_tone": "", "var_words": ""},
    )
    # tone is required: an empty value is refused
    assert not Prompt.objects.exists()
    optional = PromptTemplateFactory(
        content="Tone {{tone}}, {{words}} words, {{notes}}",
        variables=[
            {"name": "tone", "type": "choice", "options": ["warm", "formal"]},
            {"name": "words", "type": "number"},
            {"name": "notes", "type": "multiline"},
        ],
    )
    alice_client.post(reverse("templates:use", kwargs={"slug": optional.slug}), {})
    prompt = Prompt.objects.get(user=alice)
    page = alice_client.get(reverse("prompts:detail", kwargs={"pk": prompt.pk})).content.decode()
    assert '<select id="var-tone" name="var_tone" data-fill-input="tone">' in page
    assert '<option value="formal">formal</option>' in page
    assert 'type="number" step="any" id="var-words" name="var_words"' in page
    assert '<textarea id="var-notes" name="var_notes" rows="4" data-fill-input="notes">' in page


def test_hand_edited_declarations_in_metadata_never_break_the_prompt_page(alice_client, alice):
    prompt = PromptFactory(
        user=alice,
        content="A {{a}} {{b}} {{c}}",
        metadata={
            "variables": [
                {"name": "a", "type": "choice", "options": "not a list"},
                {"name": "b", "type": "rocket", "options": [{"x": 1}, 2, None]},
                "junk",
                {"name": 5},
            ]
        },
    )
    response = alice_client.get(reverse("prompts:detail", kwargs={"pk": prompt.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('type="text"') >= 3


# --- Ratings -----------------------------------------------------------------------------------


def test_rating_from_the_page_and_rating_again_replaces_it(alice_client, alice, template):
    url = reverse("templates:rate", kwargs={"slug": template.slug})
    assert alice_client.post(url, {"score": "4"}).status_code == 302
    alice_client.post(url, {"score": "2"})
    template.refresh_from_db()
    assert (template.rating, template.rating_count) == (2.0, 1)
    page = alice_client.get(_detail(template)).content.decode()
    assert "You rated it 2 out of 5." in page
    assert 'aria-pressed="true" data-testid="star-2"' in page


def test_a_bad_score_is_a_message_not_an_error(alice_client, template):
    url = reverse("templates:rate", kwargs={"slug": template.slug})
    response = alice_client.post(url, {"score": "11"}, follow=True)
    assert response.status_code == 200
    assert "Rate from 1 to 5 stars." in response.content.decode()
    assert not TemplateRating.objects.exists()


def test_signed_out_rating_goes_to_log_in(client, template):
    response = client.post(reverse("templates:rate", kwargs={"slug": template.slug}), {"score": 5})
    assert urlsplit(response["Location"]).path == reverse("accounts:login")
    assert not TemplateRating.objects.exists()


def test_cards_and_page_show_usage_and_rating(client, template):
    TemplateRatingFactory(template=template, score=4)
    PromptTemplate.objects.filter(pk=template.pk).update(
        rating=4.0, rating_count=1, usage_count=1234
    )
    page = client.get(_detail(template)).content.decode()
    assert "1,234 uses" in page and "★ 4.0 from 1 rating" in page


# --- Publishing --------------------------------------------------------------------------------


def test_the_owner_publishes_from_the_prompt_page(alice_client, alice):
    prompt = PromptFactory(user=alice, name="Standup notes", content="Summarise {{notes}}")
    detail = alice_client.get(reverse("prompts:detail", kwargs={"pk": prompt.pk})).content
    assert b'data-testid="publish-template"' in detail
    url = reverse("templates:publish", kwargs={"pk": prompt.pk})
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, {"category": "productivity", "description": "Daily"})
    template = PromptTemplate.objects.get(created_by=alice)
    assert response["Location"] == _detail(template)
    assert (template.category, template.description, template.is_official) == (
        "productivity",
        "Daily",
        False,
    )
    page = alice_client.get(_detail(template)).content.decode()
    assert "Community template by Alice" in page and 'data-testid="unpublish"' in page


def test_team_members_cannot_publish_the_owners_prompt(client, alice):
    alice.tier = Tier.PRO
    alice.save()
    prompt = PromptFactory(user=alice, content="Alice's {{x}}")
    for role in (Role.EDITOR, Role.VIEWER):
        member = UserFactory()
        TeamInviteFactory(
            invited_by=alice,
            invited_email=member.email,
            role=role,
            accepted=True,
            accepted_by=member,
        )
        client.force_login(member)
        detail = client.get(reverse("prompts:detail", kwargs={"pk": prompt.pk})).content
        assert b'data-testid="publish-template"' not in detail
        url = reverse("templates:publish", kwargs={"pk": prompt.pk})
        assert client.post(url, {"category": "writing"}).status_code == 403
    assert not PromptTemplate.objects.filter(source_prompt=prompt).exists()


def test_an_unknown_category_is_a_form_error(alice_client, alice):
    prompt = PromptFactory(user=alice)
    url = reverse("templates:publish", kwargs={"pk": prompt.pk})
    response = alice_client.post(url, {"category": "nonsense"})
    assert response.status_code == 200
    assert not PromptTemplate.objects.filter(created_by=alice).exists()


def test_the_author_unpublishes_and_others_get_403(alice_client, alice, charlie):
    template = PromptTemplateFactory(is_official=False, created_by=alice)
    url = reverse("templates:unpublish", kwargs={"slug": template.slug})
    other = PromptTemplateFactory(is_official=False, created_by=charlie)
    other_url = reverse("templates:unpublish", kwargs={"slug": other.slug})
    assert alice_client.post(other_url).status_code == 403
    assert alice_client.post(url).status_code == 302
    assert not PromptTemplate.objects.filter(pk=template.pk).exists()
    assert PromptTemplate.objects.filter(pk=other.pk).exists()


def test_an_author_is_named_without_any_part_of_their_address(client):
    author = UserFactory(email="secret.person@example.com", name="")
    template = PromptTemplateFactory(name="Shared idea", is_official=False, created_by=author)
    for url in (reverse("templates:list") + "?q=shared+idea", _detail(template)):
        page = client.get(url).content.decode()
        assert "Shared idea" in page
        assert "secret.person" not in page
        assert "A PromptVault user" in page


def test_the_detail_page_runs_the_same_queries_with_one_rating_and_thirty(alice_client, alice):
    counts = []
    for ratings in (1, 30):
        template = PromptTemplateFactory(is_official=False, created_by=UserFactory())
        for _ in range(ratings):
            TemplateRatingFactory(template=template)
        TemplateRatingFactory(template=template, user=alice)
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(_detail(template)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_full_vault_is_named_before_the_form_is_filled(client, template):
    user = UserFactory(tier=Tier.FREE)
    for number in range(50):
        PromptFactory(user=user, name=f"p{number}")
    client.force_login(user)
    page = client.get(_detail(template)).content.decode()
    assert 'data-testid="limit-reached"' in page and 'data-testid="upgrade-link"' in page
    client.force_login(UserFactory(tier=Tier.FREE))
    assert 'data-testid="limit-reached"' not in client.get(_detail(template)).content.decode()


def test_the_preview_button_skips_the_browsers_required_check(client, template):
    page = client.get(_detail(template)).content.decode()
    assert 'formnovalidate data-testid="preview-button"' in page


def test_library_searches_are_rate_limited_like_the_gallerys(client, db, settings):
    """A library search reads every template's text: anonymous searches count per address
    against the same limit as the gallery's, and browsing without a search is not counted."""
    settings.GALLERY_SEARCH_RATE_LIMIT_PER_MINUTE = 2
    url = reverse("templates:list")
    assert [client.get(url, {"q": f"word{n}"}).status_code for n in range(3)] == [200, 200, 429]
    assert b"Searches were made from here too often" in client.get(url, {"q": "x"}).content
    assert client.get(url).status_code == 200
