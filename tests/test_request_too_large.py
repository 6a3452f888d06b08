"""Form data over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413 page in the product's layout that says
what the limit is, in DEBUG too, and nothing saved. The largest prompt the editor accepts
always fits under it, however its characters are encoded."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.prompts import validation
from apps.prompts.models import Prompt
from tests.prompts.factories import PromptFactory

TOO_MUCH = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)


def _assert_friendly_413(response):
    assert response.status_code == 413
    body = response.content.decode()
    assert "too large" in body
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g} MB" in body
    assert f"{validation.CONTENT_MAX:,}" in body
    assert 'class="error-page"' in body and "<nav" in body


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_an_oversized_prompt_gets_the_413_page(alice_client, alice, settings, debug, encoding):
    settings.DEBUG = debug
    data = {"name": "Huge", "content": TOO_MUCH, "model": "gpt-4"}
    url = reverse("prompts:create")
    if encoding == "multipart":
        response = alice_client.post(url, data)
    else:
        response = alice_client.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    _assert_friendly_413(response)
    assert not Prompt.objects.exists()


def test_the_413_page_is_shown_when_csrf_is_checked_too(alice, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("prompts:create"), {"content": TOO_MUCH})
    _assert_friendly_413(response)


def test_an_oversized_edit_changes_nothing(alice_client, alice):
    prompt = PromptFactory(user=alice, content="before")
    response = alice_client.post(
        reverse("prompts:edit", args=[prompt.pk]),
        {"name": "n", "content": TOO_MUCH, "model": "gpt-4"},
    )
    _assert_friendly_413(response)
    prompt.refresh_from_db()
    assert prompt.content == "before"


def test_oversized_fields_beside_an_import_upload_get_the_413_page(alice_client):
    response = alice_client.post(reverse("imports:list"), {"source": TOO_MUCH})
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_the_largest_editor_form_fits_under_the_request_limit():
    # Four-byte characters, each percent-encoded, and line breaks sent as CR LF: the most
    # bytes a browser can send for each character the editor accepts.
    widest = "😀"
    form = {
        "name": widest * validation.NAME_MAX,
        "description": widest * validation.DESCRIPTION_MAX,
        "content": widest * validation.CONTENT_MAX,
        "metadata": widest * validation.METADATA_TEXT_MAX,
        "change_message": widest * validation.CHANGE_MESSAGE_MAX,
        "folder": widest * validation.FOLDER_MAX,
        "tags": widest * 2_000,
        "model": "gpt-4",
        "seen_at": "2026-01-01T00:00:00+00:00",
        "csrfmiddlewaretoken": "x" * 64,
    }
    size = len(urlencode(form))
    assert size * 1.25 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert len(urlencode({"content": "\r\n" * validation.CONTENT_MAX})) < size


def test_a_prompt_at_every_limit_saves(alice_client, alice):
    widest = "😀"
    response = alice_client.post(
        reverse("prompts:create"),
        urlencode(
            {
                "name": widest * validation.NAME_MAX,
                "description": widest * validation.DESCRIPTION_MAX,
                "content": widest * validation.CONTENT_MAX,
                "metadata": '{"a": "' + widest * (validation.METADATA_MAX - 10) + '"}',
                "model": "gpt-4",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    prompt = Prompt.objects.get()
    assert len(prompt.content) == validation.CONTENT_MAX
