"""PATCH with If-Match or base_version: two programs changing one prompt can't silently
overwrite each other; a stale one is refused with the version the prompt is at now."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services as account_services
from apps.prompts import services
from apps.prompts.models import Prompt
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prompt(alice):
    return PromptFactory(user=alice, name="Refund reply", content="One")


@pytest.fixture
def api(alice):
    _key, secret = account_services.api_key_create(user=alice, name="app", scopes=("read", "write"))
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _url(prompt) -> str:
    return reverse("api:prompt_detail", kwargs={"key_or_id": str(prompt.pk)})


def _patch(api, prompt, body, **headers):
    return api.patch(_url(prompt), body, content_type="application/json", headers=headers)


def test_a_patch_with_the_current_etag_goes_through(api, prompt):
    etag = api.get(_url(prompt))["ETag"]
    response = _patch(api, prompt, {"content": "Two"}, **{"If-Match": etag})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert response["ETag"] != etag


def test_a_stale_etag_is_refused_with_412_naming_the_current_version(alice, api, prompt):
    etag = api.get(_url(prompt))["ETag"]
    services.prompt_update(prompt=prompt, author=alice, content="Someone else's")
    response = _patch(api, prompt, {"content": "Mine"}, **{"If-Match": etag})
    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == "precondition_failed" and error["current_version"] == 2
    assert "version 2" in error["message"]
    assert error["etag"] == api.get(_url(prompt))["ETag"] != etag
    assert Prompt.objects.get(pk=prompt.pk).content == "Someone else's"
    again = _patch(api, prompt, {"content": "Mine"}, **{"If-Match": error["etag"]})
    assert again.status_code == 200 and again.json()["version"] == 3


def test_a_label_move_or_tag_change_also_makes_an_etag_stale(alice, api, prompt):
    etag = api.get(_url(prompt))["ETag"]
    services.label_set(prompt=prompt, label="production", version=1, user=alice)
    assert _patch(api, prompt, {"name": "X"}, **{"If-Match": etag}).status_code == 412


def test_if_match_star_and_a_list_of_etags_match(alice, api, prompt):
    etag = api.get(_url(prompt))["ETag"]
    assert _patch(api, prompt, {"description": "a"}, **{"If-Match": "*"}).status_code == 200
    fresh = api.get(_url(prompt))["ETag"]
    listed = f'"old", {fresh}'
    assert _patch(api, prompt, {"description": "b"}, **{"If-Match": listed}).status_code == 200
    assert _patch(api, prompt, {"description": "c"}, **{"If-Match": etag}).status_code == 412


def test_a_stale_base_version_is_refused_with_409(alice, api, prompt):
    ok = _patch(api, prompt, {"content": "Two", "base_version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = _patch(api, prompt, {"content": "Three", "base_version": 1})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict" and error["current_version"] == 2
    assert Prompt.objects.get(pk=prompt.pk).content == "Two"


def test_without_either_the_last_write_wins_as_before(alice, api, prompt):
    services.prompt_update(prompt=prompt, author=alice, content="Someone else's")
    assert _patch(api, prompt, {"content": "Mine"}).json()["version"] == 3
