"""The vault as a person uses it on a phone and from the keyboard: filters folded away on a
narrow screen, the bulk bar only while prompts are selected, a skip link to the results, and
the list shortcuts (j/k, arrows, Enter, e, x, /, ?)."""

import re

import pytest
from playwright.sync_api import expect

from tests.prompts.factories import PromptFactory

PHONE = {"width": 390, "height": 664}
FOLDERS = ["marketing/social", "marketing/email", "engineering/review", "support", "writing"]


@pytest.fixture
def vault(browser_user):
    """Eight prompts over several folders and tags, as a vault in use looks."""
    return [
        PromptFactory(
            user=browser_user,
            name=f"Prompt number {n}",
            folder=FOLDERS[n % len(FOLDERS)],
            tags=[f"topic-{n % 4}", "draft"],
        )
        for n in range(8)
    ]


def _row_links(page) -> list[str]:
    return page.locator(".prompt-row__name").evaluate_all("links => links.map(a => a.href)")


def _focused(page, selector: str) -> bool:
    return page.evaluate(
        "s => document.activeElement && document.activeElement.matches(s)", selector
    )


# Phone


def test_on_a_phone_the_first_prompt_is_in_the_first_screen(new_page, browser_user, vault):
    from tests.browser.conftest import log_in

    page = new_page(PHONE)
    log_in(page, email=browser_user.email)
    page.goto("/prompts/")

    first = page.locator(".prompt-row").first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    expect(page.get_by_text("to search", exact=False)).to_be_hidden()
    expect(page.get_by_role("button", name="Delete…")).to_be_hidden()

    # The filters are one tap away, and say so.
    toggle = page.locator("summary", has_text="Filters")
    expect(page.locator("#id_folder_filter")).to_be_hidden()
    toggle.click()
    expect(page.locator("#id_folder_filter")).to_be_visible()
    page.locator("#id_folder_filter").select_option("support")
    expect(page.get_by_test_id("result-count")).to_contain_text("match")
    expect(page).to_have_url(re.compile(r"folder=support"))


def test_on_a_desktop_the_filters_stay_in_view(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    expect(page.locator("#id_folder_filter")).to_be_visible()
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()
    expect(page.get_by_text("to search", exact=False)).to_be_visible()


# Bulk actions


def test_the_bulk_bar_shows_with_a_selection_and_clears_after_tagging(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    delete = page.get_by_role("button", name="Delete…")
    expect(delete).to_be_hidden()

    page.get_by_label("Select Prompt number 1", exact=True).check()
    page.get_by_label("Select Prompt number 2", exact=True).check()
    expect(delete).to_be_visible()
    expect(page.get_by_test_id("selected-count")).to_have_text("2 selected")

    page.locator("#bulk-tag").fill("archived")
    page.get_by_role("button", name="Add tag").click()

    expect(page.get_by_text("Added the tag “archived” to 2 prompts.")).to_be_visible()
    expect(delete).to_be_hidden()
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)
    expect(page.get_by_test_id("tag-chips")).to_contain_text("archived")


def test_the_selection_clears_after_moving_and_after_deleting(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    delete = page.get_by_role("button", name="Delete…")

    page.get_by_label("Select Prompt number 1", exact=True).check()
    page.get_by_label("Select Prompt number 2", exact=True).check()
    page.locator("#bulk-folder").fill("archive/2026")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Moved 2 prompts to")
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)
    expect(delete).to_be_hidden()

    page.get_by_label("Select Prompt number 3", exact=True).check()
    delete.click()
    # Deleting asks on a page of its own, naming the prompts, and comes back to the vault.
    page.get_by_test_id("confirm-bulk-delete").click()
    expect(page.get_by_role("status").first).to_contain_text("Deleted 1 prompt.")
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)
    expect(delete).to_be_hidden()
    expect(page.get_by_label("Select Prompt number 3", exact=True)).to_have_count(0)


def test_clear_empties_the_selection(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    page.get_by_label("Select every prompt on this page").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("8 selected")
    page.get_by_role("button", name="Clear selection").click()
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)
    expect(page.get_by_role("button", name="Delete…")).to_be_hidden()
    expect(page.get_by_label("Select every prompt on this page")).not_to_be_checked()


# Keyboard


def test_the_skip_link_reaches_the_first_prompt_in_a_few_tabs(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to results")
    page.keyboard.press("Enter")
    for _ in range(4):
        page.keyboard.press("Tab")
        if _focused(page, ".prompt-row__name"):
            break
    assert _focused(page, ".prompt-row__name")
    assert page.evaluate("document.activeElement.href") == _row_links(page)[0]


def test_the_menu_checkbox_is_no_tab_stop_on_a_desktop(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    for _ in range(4):
        page.keyboard.press("Tab")
        assert not _focused(page, "#nav-toggle")


def test_the_focus_ring_fits_inside_the_folder_tree(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    link = page.get_by_test_id("folder-tree").locator(".tree__link").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
    overflow = page.evaluate(
        """() => {
          const link = document.activeElement, tree = link.closest('.tree');
          const style = getComputedStyle(link);
          const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
          const a = link.getBoundingClientRect(), t = tree.getBoundingClientRect();
          return Math.max(t.left - (a.left - reach), (a.right + reach) - t.right,
                          t.top - (a.top - reach), (a.bottom + reach) - t.bottom);
        }"""
    )
    assert overflow <= 0


def test_j_j_enter_opens_the_second_prompt(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    second = _row_links(page)[1]
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(".prompt-row.is-current")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page).to_have_url(second)


def test_arrows_k_x_and_e_act_on_the_current_row(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    links = _row_links(page)
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.href") == links[1]
    page.keyboard.press("x")
    expect(page.locator('input[name="ids"]:checked')).to_have_count(1)
    expect(page.get_by_test_id("selected-count")).to_have_text("1 selected")
    page.keyboard.press("x")
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)
    page.keyboard.press("e")
    expect(page).to_have_url(links[1] + "edit/")


def test_question_mark_opens_the_shortcuts_and_escape_closes_them(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Open the highlighted prompt")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_shortcuts_stay_quiet_while_typing_or_with_modifiers(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    page.keyboard.press("/")
    assert _focused(page, "#id_q")
    page.keyboard.type("jx?")
    expect(page.locator("#id_q")).to_have_value("jx?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)

    page.locator("#id_q").fill("")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Control+j")
    page.keyboard.press("Alt+x")
    expect(page.locator(".prompt-row.is-current")).to_have_count(0)
    expect(page.locator('input[name="ids"]:checked')).to_have_count(0)


def test_enter_in_the_tag_field_adds_the_tag_and_moves_nothing(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/?folder=support")
    page.get_by_label("Select every prompt on this page").check()
    page.locator("#bulk-tag").fill("urgent")
    page.locator("#bulk-tag").press("Enter")
    expect(page.get_by_text("Added the tag “urgent” to 1 prompt.")).to_be_visible()
    assert _folders(vault) == [FOLDERS[n % len(FOLDERS)] for n in range(8)]


def test_enter_on_a_selected_row_opens_it_and_submits_nothing(logged_in_page, vault):
    page = logged_in_page
    page.goto("/prompts/")
    link = _row_links(page)[0]
    box = page.locator('input[name="ids"]').first
    box.check()
    box.press("Enter")
    expect(page).to_have_url(link)
    assert _folders(vault) == [FOLDERS[n % len(FOLDERS)] for n in range(8)]


def _folders(prompts) -> list[str]:
    for prompt in prompts:
        prompt.refresh_from_db()
    return [prompt.folder for prompt in prompts]
