"""AI optimization from a prompt's page: ask for a rewrite, watch it finish, review the diff and
the scores, accept it, and find it as the next version in the history. The model is the fake
OpenAI-compatible server (tests/prompts/fake_openai.py), reached through the real SDK."""

import re

from playwright.sync_api import expect

from apps.accounts.models import Tier
from tests.prompts.factories import PromptFactory
from tests.prompts.fake_openai import rewrite

CONTENT = "Write something good about {{product}}, maybe with some examples etc."
BETTER = (
    "You are a product copywriter. Write three bullet points about {{product}}, "
    "each under 20 words, in a friendly tone."
)


def test_optimize_review_the_diff_and_accept_as_the_next_version(
    logged_in_page, browser_user, fake_openai
):
    browser_user.tier = Tier.PRO
    browser_user.save(update_fields=["tier"])
    prompt = PromptFactory(user=browser_user, name="Product blurb", content=CONTENT)
    fake_openai.reply(rewrite(BETTER, ["Named a role", "Bounded the length"]))
    page = logged_in_page

    page.goto(f"/prompts/{prompt.pk}/")
    page.get_by_test_id("optimize").click()

    review = page.get_by_test_id("optimization")
    expect(review).to_have_attribute("data-status", "ready")
    expect(page.get_by_test_id("optimization-improvements")).to_contain_text("Named a role")
    expect(page.get_by_test_id("diff").locator("ins").first).to_be_visible()
    expect(page.get_by_test_id("score-after")).not_to_be_empty()
    page.get_by_test_id("optimization-accept").click()

    expect(page).to_have_url(re.compile(rf"/prompts/{prompt.pk}/$"))
    expect(page.get_by_text("The rewrite is now version 2.")).to_be_visible()
    expect(page.get_by_test_id("prompt-content")).to_contain_text("You are a product copywriter")
    page.goto(f"/prompts/{prompt.pk}/history/")
    expect(page.get_by_text(re.compile(r"Optimized with AI \(score \d+ → \d+\)"))).to_be_visible()
    assert prompt.versions.count() == 2
    [request] = fake_openai.requests
    assert request.sent["prompt"] == CONTENT
