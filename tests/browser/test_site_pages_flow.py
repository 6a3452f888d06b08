"""Pages every visitor meets: the product's 404 with DEBUG on, the colour theme's three states,
and a prompt's history on a phone."""

import re

from playwright.sync_api import expect

from apps.prompts import services
from tests.prompts.factories import PromptFactory

PHONE = {"width": 390, "height": 844}


def test_an_unknown_address_under_debug_shows_the_product_404(logged_in_page, settings):
    settings.DEBUG = True
    page = logged_in_page
    response = page.goto("/no/such/page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We couldn't find that page")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("URLconf")
    page.get_by_role("link", name="Go to your dashboard").click()
    expect(page.get_by_test_id("prompt-count")).to_be_visible()


def test_the_theme_toggle_cycles_through_system_dark_and_light(logged_in_page):
    page = logged_in_page
    html = page.locator("html")
    toggle = page.locator("[data-theme-toggle]")
    page.goto("/")
    expect(toggle).to_have_accessible_name("Colour theme: follow the system")
    expect(html).to_have_attribute("data-theme", "auto")

    toggle.click()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_accessible_name("Colour theme: dark")
    assert page.evaluate("localStorage.getItem('pv-theme')") == "dark"

    toggle.click()
    expect(html).to_have_attribute("data-theme", "light")
    expect(toggle).to_have_accessible_name("Colour theme: light")
    page.reload()
    expect(toggle).to_have_accessible_name("Colour theme: light")

    toggle.click()
    expect(html).to_have_attribute("data-theme", "auto")
    expect(toggle).to_have_accessible_name("Colour theme: follow the system")
    assert page.evaluate("localStorage.getItem('pv-theme')") is None
    page.reload()
    expect(html).to_have_attribute("data-theme", "auto")

    # Following a dark system, the first click shows light at once.
    page.emulate_media(color_scheme="dark")
    toggle.click()
    expect(html).to_have_attribute("data-theme", "light")
    expect(toggle).to_have_accessible_name("Colour theme: light")


def test_a_prompts_history_fits_a_phone_and_still_compares(new_page, ui_log_in, browser_user):
    prompt = PromptFactory(user=browser_user, name="Pitch", content="one", folder="sales/email")
    for content, message in (
        ("two", "Tie each email to the user's goal and add length limits everywhere"),
        ("three", "Skip the feature email for people who already use it"),
    ):
        services.prompt_update(
            prompt=prompt, author=browser_user, content=content, change_message=message
        )
    page = new_page(viewport=PHONE)
    ui_log_in(page, email=browser_user.email)
    page.goto(f"/prompts/{prompt.pk}/history/")
    expect(page.get_by_test_id("history")).to_contain_text("Skip the feature email")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("email")

    page.get_by_label("Compare from version 1").check()
    page.get_by_label("Compare to version 3").check()
    page.get_by_test_id("compare").click()
    expect(page).to_have_url(re.compile(r"/diff/\?(from=1&to=3|to=3&from=1)$"))
    expect(page.get_by_test_id("diff").locator("ins")).to_contain_text(["three"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
