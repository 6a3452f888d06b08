"""The prompt check as people use it: the score follows the typing, a finding selects its text,
"Apply" puts a fix in place, and the prompt page shows the same check, read-only."""

from playwright.sync_api import expect


def test_the_check_follows_the_typing_and_applies_a_fix(logged_in_page):
    page = logged_in_page
    page.goto("/prompts/new/")
    panel = page.get_by_test_id("analysis")
    expect(panel).to_contain_text("Start typing")

    content = page.locator("#id_content")
    content.fill("Maybe write something good about tea.")
    score = page.get_by_test_id("analysis-score")
    expect(score).to_be_visible()
    first = int(score.locator("[data-score]").inner_text())

    content.press_sequentially(
        " You are a tea sommelier. Summarize it for beginners in 3 bullet points, so that they "
        "can choose one, in a warm tone."
    )
    expect(score.locator("[data-score]")).not_to_have_text(str(first))
    assert int(score.locator("[data-score]").inner_text()) > first

    # A finding with a span selects its text in the textarea. A criterion opened by hand
    # stays open as the panel is redrawn.
    specificity = panel.locator("[data-criterion=specificity] details")
    if not specificity.evaluate("details => details.open"):
        specificity.locator("summary").click()
    page.get_by_role("button", name="“something” is vague").click()
    selected = page.evaluate(
        "(() => { const a = document.getElementById('id_content');"
        " return a.value.slice(a.selectionStart, a.selectionEnd); })()"
    )
    assert selected == "something"

    # "Apply" drops the hedge and gives its capital to the next word, then the check reruns.
    hedge = page.get_by_test_id("finding").filter(has_text="“Maybe” hedges")
    hedge.get_by_test_id("apply-fix").click()
    expect(content).to_have_value(
        "Write something good about tea. You are a tea sommelier. Summarize it for beginners in "
        "3 bullet points, so that they can choose one, in a warm tone."
    )
    expect(page.get_by_test_id("finding").filter(has_text="“Maybe” hedges")).to_have_count(0)
    expect(panel.locator("[data-criterion=specificity] details")).to_have_attribute("open", "")

    page.locator("#id_name").fill("Tea guide")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("prompt-name")).to_have_text("Tea guide")
    panel = page.get_by_test_id("analysis")
    expect(panel.get_by_test_id("analysis-score")).to_be_visible()
    expect(panel.get_by_test_id("apply-fix")).to_have_count(0)
