"""The read API: prompts by key or id, ETags, rendering, versions, pages, errors, rate limit."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services as account_services
from apps.accounts.models import ApiKey
from apps.prompts import services
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory, fill_vault

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(alice):
    _key, secret = account_services.api_key_create(user=alice, name="app")
    return secret


@pytest.fixture
def api(secret):
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _detail(key_or_id, query=""):
    return reverse("api:prompt_detail", kwargs={"key_or_id": str(key_or_id)}) + query


def test_it_fetches_the_newest_version_by_key_with_an_etag(alice, api):
    prompt = PromptFactory(user=alice, name="Refund reply", content="Hi {{name}}", tags=["b", "a"])
    services.prompt_update(prompt=prompt, author=alice, content="Hello {{name}}, {{order}}")
    response = api.get(_detail("refund-reply"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(prompt.pk) and body["key"] == "refund-reply"
    assert body["version"] == 2 and body["content"] == "Hello {{name}}, {{order}}"
    assert body["variables"] == ["name", "order"] and body["tags"] == ["a", "b"]
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"].startswith('"')
    older = api.get(_detail(prompt.pk, "?version=1")).json()
    assert (older["version"], older["content"]) == (1, "Hi {{name}}")


def test_if_none_match_answers_304_until_the_prompt_changes(alice, api):
    prompt = PromptFactory(user=alice, name="Refund reply", content="One")
    etag = api.get(_detail("refund-reply"))["ETag"]
    again = api.get(_detail("refund-reply"), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "private, no-cache"
    services.prompt_update(prompt=prompt, author=alice, content="Two")
    changed = api.get(_detail("refund-reply"), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    etag = changed["ETag"]
    services.prompt_update(prompt=prompt, author=alice, tags=["new"])
    assert api.get(_detail("refund-reply"), headers={"If-None-Match": etag}).status_code == 200
    pinned = api.get(_detail("refund-reply", "?version=1"))["ETag"]
    assert pinned != etag


def test_render_fills_variables_literally_and_names_missing_ones(alice, api):
    PromptFactory(user=alice, name="Greeting", content="Hi {{name}}, about {{ topic }}.")
    url = reverse("api:prompt_render", kwargs={"key_or_id": "greeting"})
    response = api.post(
        url,
        {"variables": {"name": "{{topic}} \\1 $&", "topic": "x"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"text": "Hi {{topic}} \\1 $&, about x.", "version": 1}
    missing = api.post(url, {"variables": {"name": "a"}}, content_type="application/json")
    assert missing.status_code == 422
    assert "topic" in missing.json()["error"]["message"]
    bad = api.post(url, {"variables": {"name": 3}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    assert api.post(url, "not json", content_type="application/json").status_code in (400, 422)


def test_versions_are_listed_newest_first_in_pages(alice, api):
    prompt = PromptFactory(user=alice, name="Notes", content="v1")
    for n in range(2, 6):
        services.prompt_update(prompt=prompt, author=alice, content=f"v{n}", change_message=f"m{n}")
    url = reverse("api:prompt_versions", kwargs={"key_or_id": "notes"})
    first = api.get(url + "?limit=3").json()
    assert [item["version"] for item in first["items"]] == [5, 4, 3]
    assert first["items"][0]["change_message"] == "m5" and first["items"][0]["author"]
    rest = api.get(url + f"?limit=3&cursor={first['next_cursor']}").json()
    assert [item["version"] for item in rest["items"]] == [2, 1] and rest["next_cursor"] is None


def test_the_list_pages_with_a_cursor_and_filters(alice, api):
    for n in range(5):
        PromptFactory(
            user=alice, name=f"P{n}", folder="ops" if n % 2 else "", tags=["t"] if n < 2 else []
        )
    url = reverse("api:prompt_list")
    seen, cursor = [], ""
    while True:
        page = api.get(url + f"?limit=2&cursor={cursor}").json()
        seen += [item["key"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == ["p0", "p1", "p2", "p3", "p4"] and len(seen) == 5
    assert {i["key"] for i in api.get(url + "?folder=ops").json()["items"]} == {"p1", "p3"}
    assert {i["key"] for i in api.get(url + "?tag=t").json()["items"]} == {"p0", "p1"}
    assert {i["key"] for i in api.get(url + "?q=P3").json()["items"]} == {"p3"}


def test_the_list_costs_the_same_queries_for_20_and_200_prompts(
    alice, api, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(reverse("api:prompt_list") + "?limit=100").status_code == 200
        return len(queries)

    fill_vault(alice, 20)
    count()  # the first call also records the key's use
    small = (count(), _made_again(count))
    fill_vault(alice, 180)
    assert count() == 2  # the vault changed: the page is made again
    assert (count(), _made_again(count)) == small == (1, 2)


def _made_again(count) -> int:
    from apps.prompts.api.cached import answers

    answers.clear()
    return count()


def test_a_team_member_reaches_the_shared_vault_with_vault(alice):
    from apps.teams import services as team_services

    alice.tier = "pro"
    alice.save()
    bob = UserFactory(email="bob@example.com")
    invite = team_services.invite_create(owner=alice, email=bob.email, role="viewer")
    team_services.invite_accept(invite=invite, user=bob)
    PromptFactory(user=alice, name="Shared")
    PromptFactory(user=bob, name="Shared")
    _key, bob_secret = account_services.api_key_create(user=bob, name="bob's")
    bob_api = Client(headers={"Authorization": f"Bearer {bob_secret}"})
    own = bob_api.get(_detail("shared")).json()
    theirs = bob_api.get(_detail("shared", f"?vault={alice.pk}")).json()
    assert own["id"] != theirs["id"]
    listed = bob_api.get(reverse("api:prompt_list") + f"?vault={alice.pk}").json()["items"]
    assert [item["id"] for item in listed] == [theirs["id"]]


@pytest.mark.parametrize(
    "path",
    [
        _detail("refund-reply", "?version=99999999999999999999"),
        _detail("refund-reply", "?version=0"),
        _detail("no-such-key"),
        _detail("a%00b"),
        _detail("x" * 500),
        _detail("refund-reply", "?vault=not-a-uuid"),
        _detail("refund-reply", "?vault=00000000-0000-0000-0000-000000000000"),
    ],
)
def test_what_cant_be_found_is_a_json_404(alice, api, path):
    PromptFactory(user=alice, name="Refund reply")
    response = api.get(path)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "query",
    [
        "?cursor=%%%",
        "?cursor=bm90IGpzb24",
        "?cursor=WyJ4IiwgInkiXQ==",
        "?cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwgIjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJd",
        "?limit=0",
        "?limit=101",
        "?limit=abc",
        "?folder=" + "x" * 600,
        "?tag=" + "x" * 300,
    ],
)
def test_bad_list_input_is_a_json_422(api, query):
    response = api.get(reverse("api:prompt_list") + query)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"


def test_hostile_search_text_is_no_500(api):
    for q in ["%00", "a%00b", '"unclosed', "-", "x" * 5000, "or or or"]:
        assert api.get(reverse("api:prompt_list") + f"?q={q}").status_code == 200


def test_past_the_rate_limit_it_answers_429_with_retry_after(alice, api, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    url = reverse("api:prompt_list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    _key, other = account_services.api_key_create(user=alice, name="other")
    other_api = Client(headers={"Authorization": f"Bearer {other}"})
    assert other_api.get(url).status_code == 200  # the limit is per key


def test_use_is_recorded_on_the_key(alice, api, secret):
    api.get(reverse("api:prompt_list"))
    assert ApiKey.objects.get(user=alice).last_used_at is not None


def test_the_schema_and_docs_are_served_from_our_own_files(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/prompts/", "/api/v1/prompts/{key_or_id}"} <= set(schema["paths"])
    page = client.get(reverse("api:openapi-view")).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


@pytest.fixture
def writer(alice):
    _key, secret = account_services.api_key_create(
        user=alice, name="writer", scopes=("read", "write")
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_create_makes_version_one_and_counts_it(alice, writer):
    response = writer.post(
        reverse("api:prompt_list"),
        {"name": "Refund reply", "content": "Hi {{name}}", "tags": ["support"], "folder": "ops"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["key"], body["version"], body["tags"]) == ("refund-reply", 1, ["support"])
    assert response["Location"].endswith(body["id"])
    alice.refresh_from_db()
    assert alice.prompt_count == 1
    taken = writer.post(
        reverse("api:prompt_list"),
        {"name": "Other", "content": "x", "key": "refund-reply"},
        content_type="application/json",
    )
    assert taken.status_code == 422
    assert taken.json()["error"]["fields"][0]["field"] == "key"


def test_create_respects_the_plan_limit(alice, writer):
    from promptvault import entitlements

    for n in range(entitlements.prompt_limit(alice)):
        PromptFactory(user=alice, name=f"P{n}")
    response = writer.post(
        reverse("api:prompt_list"),
        {"name": "One more", "content": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "limit_reached"


def test_patch_makes_a_version_for_new_content_only(alice, writer):
    prompt = PromptFactory(user=alice, name="Notes", content="v1")
    url = _detail("notes")
    response = writer.patch(
        url, {"content": "v2", "change_message": "Shorter"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    assert prompt.versions.get(version=2).change_message == "Shorter"
    renamed = writer.patch(url, {"name": "Notes, renamed"}, content_type="application/json")
    assert renamed.json()["version"] == 2 and renamed.json()["key"] == "notes"
    for body in [{"name": None}, {"name": ""}, {"key": "Bad Key"}, {"content": "x" * 2_000_000}]:
        refused = writer.patch(url, body, content_type="application/json")
        assert refused.status_code == 422, (body, refused.content)
    assert prompt.versions.count() == 2


def test_delete_removes_the_prompt_and_its_count(alice, writer):
    PromptFactory(user=alice, name="Gone")
    assert writer.delete(_detail("gone")).status_code == 204
    alice.refresh_from_db()
    assert alice.prompt_count == 0
    assert writer.delete(_detail("gone")).status_code == 404


def test_a_read_key_cannot_write(alice, api):
    PromptFactory(user=alice, name="Kept")
    response = api.patch(_detail("kept"), {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_fetch_and_render_by_label(alice, api):
    prompt = PromptFactory(user=alice, name="Greeting", content="Hi {{name}}")
    services.prompt_update(prompt=prompt, author=alice, content="Hello {{name}}")
    services.label_set(prompt=prompt, label="production", version=1, user=alice)
    body = api.get(_detail("greeting", "?label=production")).json()
    assert (body["version"], body["content"]) == (1, "Hi {{name}}")
    assert body["labels"] == {"production": 1}
    assert api.get(_detail("greeting", "?label=latest")).json()["version"] == 2
    etag = api.get(_detail("greeting", "?label=production"))["ETag"]
    services.label_set(prompt=prompt, label="production", version=2, user=alice)
    moved = api.get(_detail("greeting", "?label=production"), headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert api.get(_detail("greeting", "?label=staging")).status_code == 404
    assert api.get(_detail("greeting", "?label=production&version=1")).status_code == 422
    rendered = api.post(
        reverse("api:prompt_render", kwargs={"key_or_id": "greeting"}),
        {"variables": {"name": "Ann"}, "label": "production"},
        content_type="application/json",
    )
    assert rendered.json() == {"text": "Hello Ann", "version": 2}
    listed = api.get(reverse("api:prompt_list") + "?label=production").json()["items"]
    assert [item["key"] for item in listed] == ["greeting"]


def test_labels_are_moved_and_their_history_read_through_the_api(alice, writer):
    prompt = PromptFactory(user=alice, name="Greeting", content="v1")
    services.prompt_update(prompt=prompt, author=alice, content="v2")
    url = reverse("api:prompt_labels", kwargs={"key_or_id": "greeting"})
    post = lambda body: writer.post(url, body, content_type="application/json")  # noqa: E731
    assert post({"label": "production", "version": 1}).json() == {"labels": {"production": 1}}
    assert post({"label": "production", "version": 2}).json() == {"labels": {"production": 2}}
    assert post({"label": "staging", "version": 1}).status_code == 200
    assert post({"label": "staging", "version": None}).json() == {"labels": {"production": 2}}
    for bad in [
        {"label": "latest", "version": 1},
        {"label": "Prod", "version": 1},
        {"label": "x", "version": 9},
    ]:
        assert post(bad).status_code == 422
    history_url = reverse("api:prompt_label_history", kwargs={"key_or_id": "greeting"})
    first = writer.get(history_url + "?limit=3").json()
    moves = [(m["label"], m["from_version"], m["to_version"]) for m in first["items"]]
    assert moves == [("staging", 1, None), ("staging", None, 1), ("production", 1, 2)]
    assert first["items"][0]["moved_by"] == alice.display_name
    rest = writer.get(history_url + f"?limit=3&cursor={first['next_cursor']}").json()
    assert [(m["label"], m["to_version"]) for m in rest["items"]] == [("production", 1)]
    assert rest["next_cursor"] is None
