"""Sharing by link: the owner creates a one-day link, a visitor without an account uses it,
the owner revokes it and the visitor sees that it's gone."""

from playwright.sync_api import expect

from apps.prompts import services as prompt_services


def test_a_link_is_shared_used_and_revoked(new_page, ui_log_in, browser_user, live_server):
    prompt = prompt_services.prompt_create(
        owner=browser_user,
        author=browser_user,
        name="Cover letter",
        content="Write a cover letter for {{role}} at {{company}}.",
        tags=["jobs"],
    )
    owner = new_page()
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    ui_log_in(owner, email=browser_user.email)
    owner.goto(f"/prompts/{prompt.pk}/")
    panel = owner.get_by_test_id("share-panel")
    panel.get_by_test_id("share-expiry").select_option("1d")
    panel.get_by_test_id("create-link").click()
    expect(owner.get_by_test_id("share-links")).to_contain_text("live")
    owner.get_by_test_id("copy-link").first.click()
    link = owner.evaluate("navigator.clipboard.readText()")
    assert "/s/" in link

    visitor = new_page()
    visitor.goto(link)
    expect(visitor.get_by_test_id("prompt-name")).to_have_text("Cover letter")
    expect(visitor.get_by_test_id("author")).to_have_text("Brooke")
    expect(visitor.get_by_role("link", name="Edit")).to_have_count(0)
    visitor.locator("[data-fill-input=role]").fill("a barista")
    visitor.locator("[data-fill-input=company]").fill("Bean There")
    expect(visitor.get_by_test_id("fill-output")).to_have_value(
        "Write a cover letter for a barista at Bean There."
    )
    with visitor.expect_download() as download_info:
        visitor.get_by_test_id("download-md").click()
    download = download_info.value
    assert download.suggested_filename == "cover-letter.md"
    text = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    assert text.startswith("---\nname: Cover letter\n")
    assert "Write a cover letter for {{role}} at {{company}}." in text

    owner.reload()
    owner.get_by_test_id("revoke").first.click()
    owner.get_by_test_id("confirm-dialog-accept").click()
    expect(owner.get_by_test_id("share-links")).to_contain_text("revoked")

    visitor.reload()
    expect(visitor.get_by_test_id("gone")).to_contain_text("no longer available")
