"""A team: the owner invites Bob as editor, Bob signs up from the link and edits a shared
prompt, the owner sees Bob in the history, removes him, and Bob's vault view is gone."""

import re

from django.core import mail
from playwright.sync_api import expect

from apps.accounts.models import Tier
from apps.prompts import services as prompt_services
from apps.sharing import services as share_services


def test_an_editor_joins_edits_and_is_removed(new_page, ui_log_in, ui_sign_up, browser_user):
    browser_user.tier = Tier.PRO
    browser_user.save(update_fields=["tier"])
    prompt = prompt_services.prompt_create(
        owner=browser_user, author=browser_user, name="Weekly update", content="Summarise the week."
    )

    share_services.share_create(prompt=prompt, shared_by=browser_user, expires_in="7d")

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
    # The owner's link follows the newest version: the editor is told the change shows there.
    expect(bob.get_by_test_id("share-link-count")).to_contain_text(
        "1 share link opens it, showing the newest version"
    )
    expect(bob.get_by_test_id("share-panel")).to_have_count(0)

    owner.goto(f"/prompts/{prompt.pk}/history/")
    expect(owner.get_by_test_id("history").locator("tbody tr").first).to_contain_text("Bob")

    owner.goto("/team/")
    owner.get_by_test_id("remove-member").click()
    owner.get_by_test_id("confirm-dialog-accept").click()
    expect(owner.get_by_test_id("members")).to_have_count(0)

    bob.reload()
    expect(bob.get_by_role("heading", name="We couldn't find that page")).to_be_visible()


def ui_sign_up_here(page) -> None:
    """Finish the sign-up form the invite link opened (the email is already filled in)."""
    page.locator("#id_name").fill("Bob")
    page.locator("#id_password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("accept-invite")).to_be_visible()


def test_an_unconfirmed_invitee_confirms_from_the_invite_page_then_accepts(
    new_page, ui_log_in, browser_user
):
    from apps.teams import services as team_services
    from tests.accounts.factories import UserFactory

    browser_user.tier = Tier.PRO
    browser_user.save(update_fields=["tier"])
    UserFactory(email="erin@example.com", name="Erin", email_confirmed_at=None)
    invite = team_services.invite_create(
        owner=browser_user, email="erin@example.com", role="viewer"
    )
    path = re.search(r"https?://[^/\s]+(/invites/\S+/)", mail.outbox[-1].body).group(1)

    erin = new_page()
    ui_log_in(erin, email="erin@example.com")
    erin.goto(path)
    expect(erin.get_by_test_id("accept-invite")).to_have_count(0)
    erin.get_by_test_id("send-confirmation").click()
    expect(erin.get_by_text("We sent a confirmation link to erin@example.com")).to_be_visible()

    confirm = re.search(r"https?://\S+/accounts/email/confirm/\S+/", mail.outbox[-1].body).group(0)
    erin.goto(confirm)
    erin.get_by_test_id("confirm-email").click()
    erin.get_by_test_id("accept-invite").click()
    expect(erin.get_by_text("You joined Brooke's vault.")).to_be_visible()
    invite.refresh_from_db()
    assert invite.accepted
