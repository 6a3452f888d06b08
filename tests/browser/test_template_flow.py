"""The template library as a visitor meets it: browse the catalogue, filter by category, search,
open a template, fill its form while the preview follows, use it (logging in on the way, with the
values kept), land on the new prompt with the values in place, and rate the template."""

import re

from playwright.sync_api import expect

from apps.prompts.models import Prompt
from apps.templates import services
from apps.templates.models import PromptTemplate
from tests.templates.factories import PromptTemplateFactory


def _library() -> PromptTemplate:
    services.catalogue_sync()
    return PromptTemplateFactory(
        slug="refund-reply",
        category="support",
        name="Refund reply",
        description="Answer a refund request kindly and clearly.",
        content=(
            "You answer customers of a bakery. Reply to the message between the markers in a "
            "{{tone}} tone, in at most {{words}} words.\n<message>\n{{message}}\n</message>"
        ),
        variables=[
            {
                "name": "tone",
                "label": "Tone",
                "type": "choice",
                "options": ["warm", "formal"],
                "default": "warm",
                "required": True,
            },
            {"name": "words", "label": "Length", "type": "number", "default": "120"},
            {"name": "message", "label": "Message", "type": "multiline", "required": True},
        ],
    )


def test_browse_filter_search_preview_use_and_rate(page, live_server, browser_user):
    template = _library()
    page.goto("/")
    page.get_by_role("link", name="Templates", exact=True).first.click()
    expect(page.get_by_role("heading", name="Template library")).to_be_visible()
    expect(page.get_by_test_id("template-card")).to_have_count(24)

    page.locator(".library__categories").get_by_role(
        "link", name=re.compile("Customer support")
    ).click()
    expect(page).to_have_url(re.compile(r"category=support"))
    cards = page.get_by_test_id("template-card")
    expect(cards.filter(has_text="Refund reply")).to_have_count(1)
    support = PromptTemplate.objects.filter(category="support").count()
    expect(cards).to_have_count(min(support, 24))

    page.get_by_test_id("template-search").fill("bakery")
    expect(cards).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=bakery"))
    cards.get_by_role("link", name="Refund reply").click()
    expect(page.get_by_test_id("template-name")).to_have_text("Refund reply")

    preview = page.get_by_test_id("template-preview")
    expect(preview).to_contain_text("in a warm tone, in at most 120 words")
    page.locator("#var-tone").select_option("formal")
    page.locator("#var-words").fill("80")
    page.locator("#var-message").fill("My cake arrived squashed.")
    expect(preview).to_contain_text("in a formal tone, in at most 80 words")
    expect(preview).to_contain_text("My cake arrived squashed.")

    page.get_by_test_id("use-template").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(browser_user.email)
    page.locator("#id_password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("template-name")).to_have_text("Refund reply")
    expect(page.locator("#var-tone")).to_have_value("formal")
    expect(page.locator("#var-words")).to_have_value("80")
    expect(page.locator("#var-message")).to_have_value("My cake arrived squashed.")

    page.get_by_test_id("use-template").click()
    expect(page).to_have_url(re.compile(r"/prompts/[0-9a-f-]+/$"))
    prompt = Prompt.objects.get(user=browser_user)
    expect(page.get_by_test_id("prompt-content")).to_contain_text(
        "in a formal tone, in at most 80 words"
    )
    expect(page.get_by_test_id("prompt-content")).to_contain_text("My cake arrived squashed.")
    assert prompt.versions.count() == 1

    page.goto(f"/templates/{template.slug}/")
    expect(page.get_by_test_id("template-usage")).to_have_text("1 use")
    page.get_by_test_id("star-4").click()
    expect(page.get_by_text("You rated it 4 out of 5.")).to_be_visible()
    expect(page.get_by_test_id("template-rating")).to_have_text("★ 4.0 from 1 rating")


def test_a_prompt_from_a_template_fills_its_choice_from_a_select(logged_in_page, browser_user):
    page = logged_in_page
    template = PromptTemplateFactory(
        slug="status-update",
        content="Write a status update for {{team}} in a {{tone}} tone.",
        variables=[
            {"name": "team", "type": "text", "required": True},
            {"name": "tone", "type": "choice", "options": ["calm", "upbeat"]},
        ],
    )
    page.goto(f"/templates/{template.slug}/")
    page.locator("#var-team").fill("Platform")
    page.get_by_test_id("use-template").click()
    expect(page).to_have_url(re.compile(r"/prompts/[0-9a-f-]+/$"))
    select = page.get_by_test_id("fill-form").locator("select#var-tone")
    select.select_option("upbeat")
    expect(page.get_by_test_id("fill-output")).to_have_value(
        "Write a status update for Platform in a upbeat tone."
    )
