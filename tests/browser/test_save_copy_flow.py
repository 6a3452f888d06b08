"""Saving someone else's prompt: from a share link or a public page, a signed-in visitor saves
a copy to their vault; a visitor without a session logs in (or signs up) from the page and
comes back to it to save. Chromium sends the page's Origin with the form, as people's browsers
do, so the pages' referrer policy must leave their own forms working."""

import re

from playwright.sync_api import expect

from apps.accounts.models import User
from apps.prompts.models import Prompt
from apps.sharing import services as sharing_services
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory


def _owner_prompt(*, is_public: bool = False) -> Prompt:
    owner = UserFactory(email="olive@example.com", name="Olive")
    return PromptFactory(
        user=owner,
        name="Release notes",
        content="Summarise the changes in {{version}} for {{audience}}.",
        is_public=is_public,
    )


def _share_path(prompt: Prompt) -> str:
    share = sharing_services.share_create(prompt=prompt, shared_by=prompt.user, expires_in="7d")
    return f"/s/{share.share_code}/"


def _expect_saved_copy(page, user) -> None:
    expect(page.get_by_text("Saved “Release notes” to your vault.")).to_be_visible()
    copy = Prompt.objects.get(user=user, name="Release notes")
    expect(page).to_have_url(re.compile(rf"/prompts/{copy.pk}/$"))


def test_a_signed_in_visitor_saves_a_shared_prompt(logged_in_page, browser_user):
    page = logged_in_page
    page.goto(_share_path(_owner_prompt()))
    page.get_by_test_id("save-to-vault").click()
    _expect_saved_copy(page, browser_user)


def test_a_signed_in_visitor_saves_a_public_prompt(logged_in_page, browser_user):
    page = logged_in_page
    page.goto(f"/p/{_owner_prompt(is_public=True).pk}/")
    page.get_by_test_id("save-to-vault").click()
    _expect_saved_copy(page, browser_user)


def test_logging_in_from_a_share_page_comes_back_to_it(page, live_server, browser_user):
    path = _share_path(_owner_prompt())
    page.goto(path)
    page.get_by_role("link", name="Log in to save a copy").click()
    page.locator("#id_username").fill(browser_user.email)
    page.locator("#id_password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}{path}")
    page.get_by_test_id("save-to-vault").click()
    _expect_saved_copy(page, browser_user)


def _sign_up_as_nora(page) -> None:
    page.locator("#id_name").fill("Nora")
    page.locator("#id_email").fill("nora@example.com")
    page.locator("#id_password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Create account").click()


def test_signing_up_from_the_log_in_page_comes_back_to_the_filled_in_page(
    page, live_server, transactional_db
):
    path = _share_path(_owner_prompt()) + "?var_version=2.0&var_audience=users"
    page.goto(path)
    page.get_by_role("link", name="Log in to save a copy").click()
    page.get_by_role("link", name="Create a free account").click()
    _sign_up_as_nora(page)

    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_test_id("fill-output")).to_have_value(
        "Summarise the changes in 2.0 for users."
    )
    page.get_by_test_id("save-to-vault").click()
    _expect_saved_copy(page, User.objects.get(email="nora@example.com"))


def test_signing_up_from_a_public_page_comes_back_to_it(page, live_server, transactional_db):
    path = f"/p/{_owner_prompt(is_public=True).pk}/"
    page.goto(path)
    page.get_by_role("main").get_by_role("link", name="Create a free account").click()
    _sign_up_as_nora(page)

    expect(page).to_have_url(f"{live_server.url}{path}")
    page.get_by_test_id("save-to-vault").click()
    _expect_saved_copy(page, User.objects.get(email="nora@example.com"))
