"""The demo as a newcomer meets it: the landing page says what is still to come, and the
team editor that `seed_demo` creates logs in, opens the shared vault, pages through it,
searches it and reads a history the two demo people wrote together."""

import io

from django.core.management import call_command
from playwright.sync_api import expect

from apps.prompts.demo_content import DEMO_PROMPTS
from apps.prompts.management.commands.seed_demo import DEMO_PASSWORD, EDITOR_EMAIL
from apps.prompts.views.vault import PAGE_SIZE

PHONE = {"width": 390, "height": 844}


def test_the_demo_editor_browses_pages_and_searches_the_team_vault(
    page, ui_log_in, transactional_db
):
    call_command("seed_demo", stdout=io.StringIO())

    ui_log_in(page, email=EDITOR_EMAIL, password=DEMO_PASSWORD)
    page.get_by_role("link", name="Shared with me").click()
    shared = page.get_by_test_id("shared-vaults")
    expect(shared).to_contain_text("You're an editor.")
    shared.get_by_role("link", name="Demo's vault").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Demo's vault")
    expect(page.get_by_test_id("result-count")).to_have_text(f"{len(DEMO_PROMPTS)} prompts")
    expect(page.get_by_test_id("prompt-list").locator("li")).to_have_count(PAGE_SIZE)
    expect(page.get_by_test_id("new-prompt")).to_be_visible()
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_test_id("prompt-list").locator("li")).to_have_count(
        len(DEMO_PROMPTS) - PAGE_SIZE
    )

    page.get_by_test_id("search").fill("postmortem")
    results = page.get_by_test_id("prompt-list")
    expect(results).to_contain_text("Incident postmortem")
    results.get_by_role("link", name="Incident postmortem").click()
    page.get_by_role("link", name="History").click()
    history = page.get_by_test_id("history")
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history.locator("tbody tr").first).to_contain_text("Sam")
    expect(history).to_contain_text("Initial version")


def test_a_visitor_sees_the_features_and_how_to_upgrade_on_a_phone(new_page, live_server):
    page = new_page(PHONE)
    page.goto("/")

    improve = page.get_by_test_id("improve")
    for feature in ("Prompt analyzer", "AI optimization", "Template library"):
        expect(improve.get_by_role("heading", name=feature, exact=True)).to_be_visible()
    expect(page.get_by_text("Coming soon")).to_have_count(0)
    plans = page.get_by_test_id("plan")
    expect(plans).to_have_count(3)
    expect(plans.get_by_text("Built-in prompt analyzer")).to_have_count(3)
    expect(page.get_by_test_id("plan-note")).to_have_count(2)
    expect(page.get_by_test_id("plan-note").first).to_contain_text("Ask your administrator")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
