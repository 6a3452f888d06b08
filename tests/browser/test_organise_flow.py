"""Tidying a vault: rename a tag in its row, delete one through the page's own confirmation
dialog (never the browser's), and rename a folder onto an existing one, answering the merge
question. Also without JavaScript: the rows open as pages and deleting asks on a page."""

import re

from playwright.sync_api import expect

from apps.prompts import services
from tests.prompts.factories import PromptFactory


def _focused_test_id(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.dataset.testid")


def test_tags_are_renamed_in_place_and_deleted_through_the_styled_dialog(
    logged_in_page, browser_user
):
    page = logged_in_page
    native_dialogs = []
    page.on("dialog", lambda dialog: native_dialogs.append(dialog.message))
    PromptFactory(user=browser_user, name="Letter", tags=["drafts", "keep"])

    page.goto("/prompts/tags/")
    row = page.locator("li.organise-row", has_text="drafts")
    expect(row.locator('input[name="name"]')).to_have_count(0)

    # Rename opens the form in the row, focused; Esc closes it again and focus goes back.
    row.get_by_role("link", name="Rename").click()
    name = page.get_by_role("textbox", name="Rename drafts")
    expect(name).to_be_focused()
    expect(page).to_have_url(re.compile(r"/prompts/tags/$"))
    page.keyboard.press("Escape")
    expect(name).to_have_count(0)
    expect(page.get_by_role("link", name="Rename “drafts”")).to_be_focused()

    # Renaming: the name starts selected, so typing replaces it.
    page.keyboard.press("Enter")
    expect(name).to_be_focused()
    page.keyboard.type("Drafts 2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Saved the tag “Drafts 2026”.")
    renamed = page.locator("li.organise-row", has_text="Drafts 2026")
    expect(renamed).to_contain_text("1 prompt")

    # Delete asks in the page's dialog; Esc cancels and keeps the tag.
    delete = renamed.get_by_role("button", name="Delete")
    delete.click()
    dialog = page.get_by_role("dialog", name="Delete the tag “Drafts 2026”?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("It comes off 1 prompt; the prompts stay.")
    expect(page.get_by_test_id("confirm-dialog-cancel")).to_be_focused()
    # Focus stays in the dialog: Tab runs round its two buttons.
    page.keyboard.press("Tab")
    assert _focused_test_id(page) == "confirm-dialog-accept"
    page.keyboard.press("Tab")
    assert _focused_test_id(page) == "confirm-dialog-cancel"
    page.keyboard.press("Shift+Tab")
    assert _focused_test_id(page) == "confirm-dialog-accept"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(delete).to_be_focused()
    expect(renamed).to_be_visible()

    delete.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Delete tag").click()
    expect(page.get_by_role("status").first).to_contain_text("Deleted the tag “Drafts 2026”.")
    expect(page.locator("li.organise-row", has_text="Drafts 2026")).to_have_count(0)
    expect(page.locator("li.organise-row", has_text="keep")).to_be_visible()
    assert native_dialogs == []


# Opens the rename row and presses Esc in its field the moment the row is in the page, before
# htmx has settled it (a fast keyboard user, or a busy machine): the row must still close in
# place, without a whole-page load, and give focus back to its Rename link.
ESC_BEFORE_SETTLE = """label => new Promise(resolve => {
  const observer = new MutationObserver(() => {
    const field = document.querySelector("[data-inline-edit] input[name=name]");
    if (!field) return;
    observer.disconnect();
    field.focus();
    const esc = {key: "Escape", bubbles: true, cancelable: true};
    field.dispatchEvent(new KeyboardEvent("keydown", esc));
    resolve(document.querySelector("[data-inline-edit]").classList.contains("htmx-added"));
  });
  observer.observe(document.body, {childList: true, subtree: true});
  document.querySelector(`a[aria-label="${label}"]`).click();
})"""


def test_esc_straight_after_the_rename_row_opens_still_closes_it_in_place(
    logged_in_page, browser_user
):
    page = logged_in_page
    PromptFactory(user=browser_user, name="Letter", tags=["drafts"])
    page.goto("/prompts/tags/")
    page.evaluate("window.stillThisPage = true")

    not_yet_settled = page.evaluate(ESC_BEFORE_SETTLE, "Rename “drafts”")

    assert not_yet_settled
    expect(page.get_by_role("textbox", name="Rename drafts")).to_have_count(0)
    expect(page.get_by_role("link", name="Rename “drafts”")).to_be_focused()
    assert page.evaluate("window.stillThisPage === true")


def test_merging_tags_starts_with_nothing_chosen_and_asks_in_the_page(logged_in_page, browser_user):
    page = logged_in_page
    native_dialogs = []
    page.on("dialog", lambda dialog: native_dialogs.append(dialog.message))
    PromptFactory(user=browser_user, name="Letter", tags=["old"])
    services.tag_create(owner=browser_user, name="new")

    page.goto("/prompts/tags/")
    source, target = page.get_by_label("Merge this tag"), page.get_by_label("into")
    expect(source).to_have_value("")
    expect(target).to_have_value("")
    source.select_option(label="old")
    target.select_option(label="old")
    page.get_by_role("button", name="Merge", exact=True).click()
    page.get_by_test_id("confirm-dialog-accept").click()
    expect(page.get_by_test_id("merge-errors")).to_contain_text("A tag can’t be merged into itself")

    page.get_by_label("into").select_option(label="new")
    page.get_by_role("button", name="Merge", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Merge tags").click()
    expect(page.get_by_role("status").first).to_contain_text("Merged “old” into “new”.")
    assert native_dialogs == []


def test_a_folder_renamed_onto_an_existing_one_asks_before_merging(logged_in_page, browser_user):
    page = logged_in_page
    PromptFactory(user=browser_user, name="First draft", folder="drafts")
    PromptFactory(user=browser_user, name="Sent", folder="final")

    page.goto("/prompts/folders/")
    row = page.locator("li.organise-row", has_text="drafts")
    row.get_by_role("link", name="Rename").click()
    path = page.get_by_role("textbox", name="Rename or move “drafts”")
    expect(path).to_be_focused()
    path.fill("final")
    path.press("Enter")

    question = page.get_by_test_id("folder-merge-question")
    expect(question).to_contain_text(
        "A folder named “final” already exists with 1 prompt. Merge into it?"
    )
    expect(page.locator("li.organise-row", has_text="drafts")).to_be_visible()
    question.get_by_role("button", name="Merge folders").click()
    expect(page.get_by_role("status").first).to_contain_text("Merged “drafts” into “final”")
    expect(page.locator("li.organise-row")).to_have_count(1)
    expect(page.locator("li.organise-row")).to_contain_text("2 prompts")


def test_without_javascript_rows_open_as_pages_and_deleting_asks_on_a_page(
    browser, live_server, browser_user, ui_log_in
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        services.tag_create(owner=browser_user, name="solo")
        ui_log_in(page, email=browser_user.email)
        page.goto("/prompts/tags/")
        page.get_by_role("link", name="Rename").click()
        expect(page).to_have_url(re.compile(r"\?edit=name$"))
        page.get_by_role("textbox", name="Rename solo").fill("duo")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").first).to_contain_text("Saved the tag “duo”.")

        page.get_by_role("button", name="Delete").click()
        expect(page.get_by_role("heading", name="Delete the tag “duo”?")).to_be_visible()
        page.get_by_test_id("confirm-action").click()
        expect(page.get_by_role("status").first).to_contain_text("Deleted the tag “duo”.")
        expect(page.get_by_role("heading", name="No tags yet")).to_be_visible()
    finally:
        context.close()
