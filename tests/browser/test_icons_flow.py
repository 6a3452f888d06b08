"""The icon set in the browser: the sprite's symbols really draw beside the navigation's and the
buttons' labels, in light and dark, on a desktop and in the phone menu; copying keeps the icon."""

from playwright.sync_api import expect

from tests.prompts.factories import PromptFactory

PHONE = {"width": 390, "height": 844}
MAIN_LINKS = ("Dashboard", "Prompts", "Import", "Shared with me", "Team", "Explore", "Templates")

# Whether a <use> drew anything: its box stays empty when the sprite or the symbol is missing.
DRAWN = """(svg) => {
  const box = svg.querySelector("use").getBBox();
  return box.width > 0 && box.height > 0;
}"""


def _expect_drawn(locator) -> None:
    expect(locator).to_be_visible()
    locator.page.wait_for_function(DRAWN, arg=locator.element_handle())


def test_the_main_navigation_draws_an_icon_beside_each_label(logged_in_page):
    page = logged_in_page
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    for label in MAIN_LINKS:
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_have_accessible_name(label)
        _expect_drawn(link.locator("svg.icon"))
        box = link.locator("svg.icon").bounding_box()
        assert 14 <= box["width"] <= 20, (label, box)

    # Dark mode: icons take their link's colour, so they change with the theme.
    page.locator("[data-theme-toggle]").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    link = nav.get_by_role("link", name="Templates", exact=True)
    colours = link.evaluate(
        "(a) => [getComputedStyle(a).color, getComputedStyle(a.querySelector('svg')).color]"
    )
    assert colours[0] == colours[1]
    _expect_drawn(page.locator("[data-theme-toggle] .icon--moon"))


def test_the_phone_menu_shows_icons_and_labels(new_page, ui_log_in, browser_user):
    page = new_page(PHONE)
    ui_log_in(page, email=browser_user.email)
    page.goto("/")
    page.locator(".nav-toggle__button").click()
    nav = page.get_by_role("navigation", name="Main")
    for label in (*MAIN_LINKS, "Log out"):
        _expect_drawn(
            nav.get_by_role(
                "button" if label == "Log out" else "link", name=label, exact=True
            ).locator("svg.icon")
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_prompts_buttons_show_icons_and_copy_keeps_its_own(logged_in_page, browser_user):
    prompt = PromptFactory(user=browser_user, name="Greeting", content="Say hello to {{name}}.")
    page = logged_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/prompts/{prompt.pk}/")
    for testid in ("edit", "duplicate", "copy-content"):
        _expect_drawn(page.get_by_test_id(testid).locator("svg.icon"))
    _expect_drawn(page.get_by_role("link", name="Delete…").locator("svg.icon"))

    copy = page.get_by_test_id("copy-content")
    copy.click()
    expect(copy).to_have_text("Copied")
    expect(copy.locator("svg.icon")).to_have_count(1)
    expect(copy).to_have_text("Copy")
    expect(copy.locator("svg.icon")).to_have_count(1)
    assert page.evaluate("navigator.clipboard.readText()") == "Say hello to {{name}}."


def test_an_empty_vault_shows_its_icon(logged_in_page):
    page = logged_in_page
    page.goto("/prompts/")
    empty = page.get_by_test_id("empty-vault")
    _expect_drawn(empty.locator("svg.icon").first)
    expect(empty.get_by_role("link", name="Write your first prompt")).to_be_visible()
