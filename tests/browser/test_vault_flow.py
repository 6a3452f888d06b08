"""A day in the vault: write a prompt with a variable, fill and copy it, edit it twice, read
the diff, restore the first version, find it by search, move it, export everything."""

import io
import re
import zipfile

from playwright.sync_api import expect


def test_a_prompt_from_creation_to_export(logged_in_page, live_server):
    page = logged_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto("/prompts/")
    expect(page.get_by_test_id("empty-vault")).to_be_visible()
    page.get_by_test_id("new-prompt").click()
    page.locator("#id_name").fill("Product pitch")
    page.locator("#id_content").fill("Pitch our kettle to {{audience}} in one paragraph.")
    page.locator("#id_folder").fill("marketing")
    page.locator("#id_tags").fill("sales")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("prompt-name")).to_have_text("Product pitch")
    expect(page.locator("mark.var")).to_have_text("{{audience}}")

    # Fill and copy, live as the user types.
    page.locator("[data-fill-input=audience]").fill("busy parents")
    expect(page.get_by_test_id("fill-output")).to_have_value(
        "Pitch our kettle to busy parents in one paragraph."
    )
    page.get_by_test_id("copy-filled").click()
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Pitch our kettle to busy parents in one paragraph."
    )

    # Two edits with messages.
    for content, message in (
        ("Pitch our kettle to {{audience}} in two sentences.", "shorter"),
        ("Pitch our silent kettle to {{audience}} in two sentences.", "mention silence"),
    ):
        page.get_by_test_id("edit").click()
        page.locator("#id_content").fill(content)
        page.locator("#id_change_message").fill(message)
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("prompt-content")).to_contain_text(content.split("{{")[0])

    # History and the diff between the last two versions.
    page.get_by_role("link", name="History").click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("mention silence")
    expect(history).to_contain_text("shorter")
    page.get_by_test_id("compare").click()
    diff = page.get_by_test_id("diff")
    expect(diff.locator("ins")).to_contain_text(["silent"])
    page.locator("#diff-mode").select_option("side")
    expect(page.locator(".diff--side")).to_be_visible()

    # Restore version 1.
    page.goto(page.url.split("/diff/")[0] + "/versions/1/")
    page.get_by_test_id("restore").click()
    page.get_by_test_id("confirm-dialog-accept").click()
    expect(page.get_by_test_id("prompt-content")).to_have_text(
        "Pitch our kettle to {{audience}} in one paragraph."
    )
    page.get_by_role("link", name="History").click()
    expect(page.get_by_test_id("history")).to_contain_text("Restored from version 1")

    # Find it by a word of its content, as the user types.
    page.goto("/prompts/")
    page.get_by_test_id("search").fill("kettle")
    expect(page.get_by_test_id("prompt-list")).to_contain_text("Product pitch")
    expect(page).to_have_url(re.compile(r"q=kettle"))
    page.get_by_test_id("search").fill("toaster")
    expect(page.get_by_test_id("empty-results")).to_be_visible()

    # Move it to another folder with the bulk bar.
    page.goto("/prompts/")
    page.get_by_label("Select Product pitch").check()
    page.locator("#bulk-folder").fill("sales/pitches")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_test_id("folder-tree")).to_contain_text("pitches")
    expect(page.get_by_test_id("prompt-list")).to_contain_text("sales/pitches")

    # Export the vault as a Markdown zip.
    page.goto("/prompts/export/")
    page.get_by_label("Markdown zip").check()
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    names = archive.namelist()
    assert names == ["promptvault/sales/pitches/Product-pitch.md"]
    text = archive.read(names[0]).decode()
    assert "name: Product pitch" in text
    assert "Pitch our kettle to {{audience}} in one paragraph." in text
