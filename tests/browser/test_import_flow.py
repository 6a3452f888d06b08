"""Importing a ChatGPT export: upload the zip, watch the reading progress, leave one prompt
out, import into a folder, open the result and find an imported prompt by search.

The reading and the import run in a real task worker (`manage.py db_worker`) beside the live
server, on the same test database, as they do in production; that needs PostgreSQL."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from apps.prompts.models import Prompt
from bench.import_data import bench_chatgpt_export

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


@pytest.fixture
def task_worker(settings, transactional_db):
    """Send tasks to the database queue and run a worker process against the test database."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "promptvault.settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "false",
    }
    worker = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_a_chatgpt_export_is_uploaded_reviewed_and_imported(
    logged_in_page, browser_user, task_worker, tmp_path
):
    from apps.accounts.models import Tier

    browser_user.tier = Tier.PRO  # room for every prompt in the export
    browser_user.save(update_fields=["tier"])
    export = tmp_path / "chatgpt-export.zip"
    counts = bench_chatgpt_export(export, conversations=2000)

    page = logged_in_page
    page.goto("/imports/")
    page.locator("#id_files").set_input_files(str(export))
    page.get_by_test_id("upload").click()

    # The reading shows a progress bar that polls until the preview replaces it.
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    expect(page.get_by_test_id("candidates")).to_be_visible(timeout=90_000)
    assert task_worker.poll() is None, task_worker.stderr.read().decode()
    expect(page.get_by_role("heading", name="Found")).to_contain_text(f"{counts['prompts']:,}")

    # Leave one prompt out: the checkbox saves the choice at once.
    candidates = page.get_by_test_id("candidates")
    selected_before = page.get_by_test_id("selection-count").inner_text()
    candidates.locator("input[type=checkbox]:checked").first.uncheck()
    expect(page.get_by_test_id("selection-count")).not_to_have_text(selected_before)
    selected = int(page.get_by_test_id("selection-count").inner_text().split()[0].replace(",", ""))

    form = page.get_by_test_id("import-form")
    form.get_by_label("Into folder").fill("imports/chatgpt-2024")
    form.get_by_test_id("start-import").click()
    expect(page.get_by_test_id("import-result")).to_be_visible(timeout=90_000)
    imported = int(page.get_by_test_id("imported-count").inner_text().replace(",", ""))
    # Earlier drafts and the older near-copies of re-asked prompts start unselected.
    assert imported == selected
    assert imported <= counts["prompts"] - counts["drafts"] - 1

    # The result links to the prompts; search finds one by the words of its content.
    page.get_by_role("link", name="Open the folder →").click()
    expect(page.get_by_test_id("folder-tree")).to_contain_text("chatgpt-2024")
    some_prompt = Prompt.objects.filter(user=browser_user).order_by("name").last()
    number = re.search(r"\(Request (\d+)\.\)", some_prompt.content).group(1)
    page.get_by_test_id("search").fill(f'"request {number}"')
    # The folder's own list may already show that prompt further down, so wait until the
    # search's answer has replaced it: its first row is the prompt searched for.
    expect(page).to_have_url(re.compile(r"[?&]q="))
    first_row = page.get_by_test_id("prompt-list").locator(".prompt-row").first
    expect(first_row).to_contain_text(f"Request {number}.")
    first_row.locator(".prompt-row__name").click()
    expect(page.get_by_test_id("prompt-content")).to_contain_text(f"Request {number}.")
