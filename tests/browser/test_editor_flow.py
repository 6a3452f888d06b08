"""Writing a prompt: the editor finds variables and counts as you type, with the server's rules;
Ctrl+S saves and the page says which version it made. And the prompt page's columns."""

import re

import pytest
from playwright.sync_api import expect

from tests.prompts.factories import PromptFactory

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}

# Edge cases of apps/prompts/variables.py's VARIABLE_RE that a JavaScript copy could get wrong.
SAMPLES = [
    "",
    "no variables at all",
    "{{a}} {{b}}",
    "{{ name }} and {{name}} again, {{Name}} differs",
    "{{first.last}} {{with-dash}} {{_private}} {{9lives}} {{a b}} {{}}",
    "{{{triple}}} {{ {nested}} }} {{x}}}",
    "{{" + "n" * 64 + "}} {{" + "m" * 65 + "}}",
    "{{\tTab\t}} {{\nnewline\n}} {{\x0bvt\x0c}}",
    "{{\x1cfile_sep\x1f}} {{\x85nel}} {{\xa0nbsp\u3000}} {{\u2003em\u2029}}",
    "{{\ufeffbom}} {{\u200bzero_width}}",
    "{{café}} {{naïve}} {{ok}}",
    "emoji 😀 count {{smile}} 👍🏽",
    "windows\r\nline\r\nends {{w}}\r\n",
    "{{a}}" * 30,
    "{{ a }}{{ b }}{{ a }}",
]


def test_the_editor_shows_variables_and_counts_as_you_type(logged_in_page):
    page = logged_in_page
    page.goto("/prompts/new/")
    stats = page.get_by_test_id("content-stats")
    expect(stats).to_contain_text("No variables")
    page.locator("#id_content").press_sequentially("{{a}} {{b}}")
    chips = stats.locator("[data-variable-chips] .var")
    expect(chips).to_have_text(["a", "b"])
    expect(stats.locator("[data-variable-count]")).to_have_text("2 variables:")
    expect(stats.locator("[data-char-count]")).to_have_text("11")
    expect(stats.locator("[data-token-count]")).to_have_text("3")
    expect(stats).to_contain_text("tokens (estimate")

    page.locator("#id_content").press("End")
    page.locator("#id_content").press_sequentially(" {{a}}")
    expect(chips).to_have_count(2)
    page.locator("#id_content").fill("")
    expect(stats.locator("[data-variable-count]")).to_have_text("No variables")
    expect(chips).to_have_count(0)


def test_the_editor_counts_exactly_as_the_server_does(logged_in_page):
    from apps.prompts.templatetags.prompt_extras import content_stats

    page = logged_in_page
    page.goto("/prompts/new/")
    in_browser = page.evaluate(
        "samples => samples.map(s => window.PromptVault.contentStats(s))", SAMPLES
    )
    for sample, counted in zip(SAMPLES, in_browser, strict=True):
        server = content_stats(sample)
        assert counted == {
            "variables": server["variables"],
            "characters": server["characters"],
            "tokens": server["tokens"],
        }, repr(sample)


def test_the_edit_page_counts_what_the_prompt_already_holds(logged_in_page, browser_user):
    prompt = PromptFactory(user=browser_user, content="Hi {{who}}, see {{what}} 😀")
    page = logged_in_page
    page.goto(f"/prompts/{prompt.pk}/edit/")
    stats = page.get_by_test_id("content-stats")
    expect(stats.locator("[data-variable-chips] .var")).to_have_text(["who", "what"])
    expect(stats.locator("[data-char-count]")).to_have_text("26")


@pytest.mark.parametrize("where", ["textarea", "name"])
def test_ctrl_s_saves_the_prompt_and_says_the_new_version(logged_in_page, browser_user, where):
    prompt = PromptFactory(user=browser_user, name="Pitch", content="one")
    page = logged_in_page
    page.goto(f"/prompts/{prompt.pk}/edit/")
    expect(page.locator("[data-save-hint]")).to_be_visible()
    page.locator("#id_content").fill("two {{audience}}")
    field = page.locator("#id_content" if where == "textarea" else "#id_name")
    field.focus()
    field.press("Control+s")
    expect(page).to_have_url(re.compile(rf"/prompts/{prompt.pk}/$"))
    expect(page.locator("#messages")).to_contain_text("“Pitch” was saved as version 2.")
    expect(page.get_by_test_id("prompt-content")).to_have_text("two {{audience}}")
    assert prompt.versions.count() == 2


def test_ctrl_s_creates_a_new_prompt(logged_in_page, browser_user):
    page = logged_in_page
    page.goto("/prompts/new/")
    page.locator("#id_name").fill("Fresh")
    page.locator("#id_content").fill("Say hello to {{name}}")
    page.locator("#id_content").press("Control+s")
    expect(page.get_by_test_id("prompt-name")).to_have_text("Fresh")
    expect(page.locator("#messages")).to_contain_text("“Fresh” was saved as version 1.")
    assert browser_user.prompts.count() == 1


def test_the_prompt_page_puts_content_and_fill_in_side_by_side_on_wide_screens(
    new_page, ui_log_in, browser_user
):
    prompt = PromptFactory(user=browser_user, content="Write to {{audience}} about {{topic}}.")
    for viewport, side_by_side in ((WIDE, True), (PHONE, False)):
        page = new_page(viewport=viewport)
        ui_log_in(page, email=browser_user.email)
        page.goto(f"/prompts/{prompt.pk}/")
        content = page.get_by_role("region", name=re.compile("^Content")).bounding_box()
        fill = page.get_by_role("region", name="Fill and copy").bounding_box()
        if side_by_side:
            assert fill["x"] >= content["x"] + content["width"]
            assert abs(fill["y"] - content["y"]) < 1
        else:
            assert fill["y"] >= content["y"] + content["height"]
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
