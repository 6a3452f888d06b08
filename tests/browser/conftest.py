"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live
server. Every test here is marked `browser`; `make test` runs them on PostgreSQL.

A page fails its test when the browser reports a console error, a Content-Security-Policy
violation (Chromium reports those as console errors) or an uncaught exception, so a script
broken by the CSP cannot pass unnoticed. Error pages a test opens on purpose (a 404, a 410)
are allowed: only the failed load of the document itself is forgiven, never a subresource.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_TESTS = Path(__file__).resolve().parent
FAILURE_SCREENSHOTS = BROWSER_TESTS.parent.parent / "test-results"
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-staple"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/browser as `browser`, before `-m` selects on it."""
    for item in items:
        if BROWSER_TESTS in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}, and it is not there. "
            "Install it with `apt-get install chromium` (bash .ci/run does this).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread, and Django refuses
    # ORM calls from such a thread unless told the code is really synchronous, as it is here.
    # Set only once a browser starts, so runs without browser tests keep Django's guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Callable]:
    """Open pages, each in a fresh browser context (its own cookies and storage), with relative
    URLs resolved against the live server. Call it twice for two people in one test."""
    contexts = []
    collectors: list[Callable] = []
    problems: list[str] = []

    def open_page(viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, color_scheme="light"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        failed_documents: set[str] = set()
        console_errors: list[tuple[str, str]] = []

        def on_response(response):
            if response.request.resource_type == "document" and response.status >= 400:
                failed_documents.add(response.url)

        def on_console(message):
            if message.type == "error":
                console_errors.append((message.text, message.location.get("url", "")))

        page.on("dialog", lambda dialog: dialog.accept())
        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))

        def collect():
            for text, url in console_errors:
                if text.startswith("Failed to load resource") and url in failed_documents:
                    continue
                problems.append(f"console error at {url or page.url}: {text}")

        collectors.append(collect)
        return page

    yield open_page

    pages = [page for context in contexts for page in context.pages]
    if getattr(request.node, "browser_call_failed", False) and pages:
        FAILURE_SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        pages[-1].screenshot(path=str(FAILURE_SCREENSHOTS / f"{name}.png"), full_page=True)
    for collect in collectors:
        collect()
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page):
    """One desktop-sized page, dialogs accepted, failing the test on any browser error."""
    return new_page()


def sign_up(page, *, email: str, password: str = PASSWORD, name: str = "") -> None:
    """Create an account through the sign-up form and wait until the app has logged it in."""
    from playwright.sync_api import expect

    page.goto("/accounts/signup/")
    if name:
        page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/signup/"))
    expect(page.locator("[data-testid=logout]")).to_be_attached()


def log_in(page, *, email: str, password: str = PASSWORD) -> None:
    """Log in through the log-in form and wait until the app shows the logged-in navigation."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-testid=logout]")).to_be_attached()


@pytest.fixture
def ui_sign_up() -> Callable:
    return sign_up


@pytest.fixture
def ui_log_in() -> Callable:
    return log_in


@pytest.fixture
def browser_user(transactional_db):
    from tests.accounts.factories import UserFactory

    return UserFactory(email="browser@example.com", name="Brooke", password=PASSWORD)


@pytest.fixture
def logged_in_page(page, browser_user):
    """A page logged in as `browser_user` (Brooke, on the free plan) through the log-in form."""
    log_in(page, email=browser_user.email)
    return page
