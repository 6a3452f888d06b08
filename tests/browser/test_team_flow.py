"""A team: the owner invites Bob as editor, Bob signs up from the link and edits a shared
prompt, the owner sees Bob in the history, removes him, and Bob's vault view is gone."""

import re

from django.core import mail
from playwright.sync_api import expect

from apps.accounts.models import Tier
from apps.prompts import services as prompt_services


def test_an_editor_joins_edits_and_is_removed(new_page, ui_log_in, ui_sign_up, browser_user):
    browser_user.tier = Tier.PRO
    browser_user.save(update_fields=["tier"])
    prompt = prompt_services.prompt_create(
        owner=browser_user, author=browser_user, name="Weekly update", content="Summarise the week."
    )

    owner = new_page()
    ui_log_in(owner, email=browser_user.email)
    owner.goto("/team/")
    form = owner.get_by_test_id("invite-form")
    form.get_by_label("Email address").fill("bob@example.com")
    form.get_by_label("Role").select_option("editor")
    form.get_by_role("button", name="Send invite").click()
    expect(owner.get_by_test_id("pending")).to_contain_text("bob@example.com")
    link = re.search(r"https?://\S+/invites/\S+/", mail.outbox[-1].body).group(0)

    bob = new_page()
    bob.goto(link)
    bob.get_by_test_id("signup-to-accept").click()
    expect(bob.locator("#id_email")).to_have_value("bob@example.com")
    ui_sign_up_here(bob)
    bob.get_by_test_id("accept-invite").click()
    expect(bob.get_by_test_id("prompt-list")).to_contain_text("Weekly update")

    bob.goto(f"/prompts/{prompt.pk}/edit/")
    bob.locator("#id_content").fill("Summarise the week in five bullet points.")
    bob.locator("#id_change_message").fill("bullets")
    bob.get_by_test_id("save").click()
    expect(bob.get_by_test_id("prompt-content")).to_have_text(
        "Summarise the week in five bullet points."
    )

    owner.goto(f"/prompts/{prompt.pk}/history/")
    expect(owner.get_by_test_id("history").locator("tbody tr").first).to_contain_text("Bob")

    owner.goto("/team/")
    owner.get_by_test_id("remove-member").click()
    expect(owner.get_by_test_id("members")).to_have_count(0)

    bob.reload()
    expect(bob.get_by_role("heading", name="We couldn't find that page")).to_be_visible()


def ui_sign_up_here(page) -> None:
    """Finish the sign-up form the invite link opened (the email is already filled in)."""
    page.locator("#id_name").fill("Bob")
    page.locator("#id_password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("accept-invite")).to_be_visible()
