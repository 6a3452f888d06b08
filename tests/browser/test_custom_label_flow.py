"""An editor puts a custom label on a version from the history page's form, no script needed;
a label the product can't store is refused with the reason shown."""

from playwright.sync_api import expect

from apps.prompts import services
from tests.prompts.factories import PromptFactory


def test_an_editor_puts_a_custom_label_on_a_version(logged_in_page, browser_user):
    page = logged_in_page
    prompt = PromptFactory(user=browser_user, name="Greeting", content="v1")
    services.prompt_update(prompt=prompt, author=browser_user, content="v2")
    page.goto(f"/prompts/{prompt.pk}/history/")
    page.get_by_test_id("custom-label").fill("eu-customers")
    page.get_by_test_id("custom-label-version").select_option("1")
    page.get_by_test_id("custom-label-submit").click()
    expect(page.get_by_text("The label “eu-customers” now points at version 1.")).to_be_visible()
    expect(page.get_by_test_id("label")).to_have_text("eu-customers")
    expect(page.get_by_test_id("label-history")).to_contain_text("eu-customers set on v1")

    # The browser checks the pattern first; the server says why when it is bypassed.
    page.get_by_test_id("custom-label").fill("Not Valid")
    page.get_by_test_id("custom-label-form").evaluate("form => form.noValidate = true")
    page.get_by_test_id("custom-label-submit").click()
    expect(page.get_by_text("A label is 1 to 50 lowercase letters")).to_be_visible()
