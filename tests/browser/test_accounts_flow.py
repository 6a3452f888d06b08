"""The first minutes of a new person: sign up, arrive on the dashboard, pick a colour theme,
log out; and the navigation on a phone-sized screen."""

import re

from playwright.sync_api import expect

from apps.accounts.models import Tier, User

PHONE = {"width": 375, "height": 740}


def test_a_visitor_signs_up_lands_on_the_dashboard_and_logs_out(page, live_server, ui_sign_up):
    page.goto("/")
    expect(
        page.get_by_role("heading", name="Your prompts deserve version control.")
    ).to_be_visible()

    ui_sign_up(page, email="nora@example.com", name="Nora")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Hello, Nora")).to_be_visible()
    expect(page.get_by_test_id("prompt-count")).to_have_text("0")
    user = User.objects.get(email="nora@example.com")
    assert user.tier == Tier.FREE

    page.get_by_test_id("logout").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(
        page.get_by_role("heading", name="Your prompts deserve version control.")
    ).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_count(0)


def test_the_dark_mode_toggle_flips_the_theme_and_remembers_it(logged_in_page):
    page = logged_in_page
    html = page.locator("html")
    toggle = page.locator("[data-theme-toggle]")
    page.goto("/")
    expect(html).not_to_have_attribute("data-theme", "dark")

    toggle.click()
    expect(html).to_have_attribute("data-theme", "dark")
    assert page.evaluate("localStorage.getItem('pv-theme')") == "dark"

    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")

    toggle.click()
    expect(html).to_have_attribute("data-theme", "light")
    page.goto("/prompts/")
    expect(html).to_have_attribute("data-theme", "light")


def test_a_phone_sized_screen_shows_the_navigation_behind_a_toggle(
    new_page, ui_log_in, browser_user
):
    page = new_page(viewport=PHONE)
    ui_log_in(page, email=browser_user.email)
    menu = page.locator(".nav-toggle__button")
    logout = page.get_by_test_id("logout")

    expect(menu).to_be_visible()
    expect(logout).to_be_hidden()

    menu.click()
    expect(logout).to_be_visible()
    expect(page.get_by_role("link", name="Prompts", exact=True)).to_be_visible()


def test_a_desktop_screen_shows_the_navigation_without_a_toggle(page, live_server):
    page.goto("/")
    expect(page.locator(".nav-toggle__button")).to_be_hidden()
    expect(page.locator("nav.nav").get_by_role("link", name="Log in")).to_be_visible()


def test_a_wrong_password_keeps_the_visitor_on_the_log_in_page(page, browser_user):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(browser_user.email)
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("don't match an account")).to_be_visible()
