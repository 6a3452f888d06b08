"""Using the API from the browser's side: make a key, see its secret once, call the API with
it, revoke it through the confirmation dialog; the API's docs page runs under our CSP; a
version is promoted to production from the history page."""

from playwright.sync_api import expect

from apps.prompts import services
from tests.prompts.factories import PromptFactory


def test_a_key_is_made_used_and_revoked(logged_in_page, browser_user, live_server):
    page = logged_in_page
    PromptFactory(user=browser_user, name="Refund reply", content="Hi {{name}}")
    page.goto("/accounts/profile/")
    page.get_by_test_id("api-keys-link").click()
    page.get_by_label("Name").fill("Checkout app")
    page.get_by_label("Access").select_option("read write")
    page.get_by_test_id("create-key").click()
    secret = page.get_by_test_id("new-key-secret").input_value()
    assert secret.startswith("pv_")
    expect(page.get_by_test_id("api-keys")).to_contain_text("Checkout app")

    api = page.context.request
    headers = {"Authorization": f"Bearer {secret}"}
    fetched = api.get(f"{live_server.url}/api/v1/prompts/refund-reply", headers=headers)
    assert fetched.status == 200 and fetched.json()["content"] == "Hi {{name}}"

    page.goto("/accounts/api-keys/")
    expect(page.get_by_test_id("new-key-secret")).to_have_count(0)
    page.get_by_test_id("revoke-key").click()
    page.get_by_test_id("confirm-dialog-accept").click()
    expect(page.get_by_test_id("api-keys")).to_contain_text("revoked")
    refused = api.get(f"{live_server.url}/api/v1/prompts/refund-reply", headers=headers)
    assert refused.status == 401


def test_the_api_docs_page_runs_from_our_static_files(page):
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("/api/v1/prompts/{key_or_id}").first).to_be_visible()


def test_an_editor_promotes_a_version_to_production(logged_in_page, browser_user):
    page = logged_in_page
    prompt = PromptFactory(user=browser_user, name="Greeting", content="v1")
    services.prompt_update(prompt=prompt, author=browser_user, content="v2")
    page.goto(f"/prompts/{prompt.pk}/history/")
    page.locator('[data-testid="move-production"][value="production 1"]').click()
    expect(page.get_by_test_id("label")).to_have_text("production")
    expect(page.get_by_test_id("label-history")).to_contain_text("production set on v1")
