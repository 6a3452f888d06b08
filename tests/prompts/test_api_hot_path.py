"""Fetching a prompt by key and label, the API's hot path: while nothing changed, one query
whatever the vault holds (the key confirmed and the vault's data version read), plus the role
for a team member; after a change, the answer is made again by one more. The key is
remembered for half a minute yet refused the moment it is revoked, expires, or its person is
deactivated, and ETags follow every change of what is served."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import ApiKey, User
from apps.prompts import services
from apps.prompts.models import Prompt, PromptLabel, PromptVersion, Tag
from apps.teams import services as team_services
from apps.teams.models import TeamInvite
from tests.prompts.factories import PromptFactory, fill_vault

pytestmark = pytest.mark.django_db


def _client(user, **kwargs) -> tuple[ApiKey, Client]:
    key, secret = account_services.api_key_create(user=user, name="app", **kwargs)
    return key, Client(headers={"Authorization": f"Bearer {secret}"})


def _url(key="refund-reply", query="?label=production") -> str:
    return reverse("api:prompt_detail", kwargs={"key_or_id": key}) + query


@pytest.fixture
def refund(alice):
    prompt = PromptFactory(user=alice, name="Refund reply", content="v1 {{name}}", tags=["b", "a"])
    services.prompt_update(prompt=prompt, author=alice, content="v2 {{name}}")
    services.prompt_update(prompt=prompt, author=alice, content="v3")
    services.label_set(prompt=prompt, label="production", version=2, user=alice)
    services.label_set(prompt=prompt, label="staging", version=3, user=alice)
    return prompt


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), response.content
    return len(queries)


def test_the_owner_fetches_by_key_and_label_in_one_query(alice, refund, django_assert_num_queries):
    _key, api = _client(alice)
    first = api.get(_url())  # recognises the key and records its use
    body = first.json()
    assert (body["version"], body["content"]) == (2, "v2 {{name}}")
    assert body["tags"] == ["a", "b"] and body["labels"] == {"production": 2, "staging": 3}
    with django_assert_num_queries(1):
        assert api.get(_url()).json() == body
    with django_assert_num_queries(1):
        assert api.get(_url(), headers={"If-None-Match": first["ETag"]}).status_code == 304
    with django_assert_num_queries(2):  # the first time: the answer is made
        assert api.get(_url(query="?label=staging")).json()["version"] == 3
    with django_assert_num_queries(1):
        assert api.get(_url(query="?label=staging")).json()["version"] == 3
    by_id = _url(str(refund.pk))
    with django_assert_num_queries(2):  # by id: made the first time
        assert api.get(by_id).json()["version"] == 2
    with django_assert_num_queries(1):
        assert api.get(by_id).json()["version"] == 2


def test_a_change_is_served_at_once(alice, refund, django_assert_num_queries):
    _key, api = _client(alice)
    assert api.get(_url()).json()["version"] == 2
    services.label_set(prompt=refund, label="production", version=3, user=alice)
    with django_assert_num_queries(2):
        assert api.get(_url()).json()["version"] == 3
    services.prompt_update(prompt=refund, author=alice, name="Refund answer")
    assert api.get(_url()).json()["name"] == "Refund answer"
    # Written without any service: the database still moves the vault's data version.
    Prompt.objects.filter(pk=refund.pk).update(description="by hand")
    assert api.get(_url()).json()["description"] == "by hand"
    PromptVersion.objects.filter(prompt=refund, version=3).update(metadata={"temperature": 0.2})
    assert api.get(_url()).json()["metadata"] == {"temperature": 0.2}
    Tag.objects.filter(user=alice, name="a").update(name="renamed")
    assert api.get(_url()).json()["tags"] == ["b", "renamed"]
    PromptLabel.objects.filter(prompt=refund, name="production").delete()
    assert api.get(_url()).status_code == 404


def test_a_team_member_fetches_from_the_shared_vault_with_its_role_checked(
    alice, bob, refund, django_assert_num_queries
):
    _key, api = _client(bob)
    url = _url(query=f"?label=production&vault={alice.pk}")
    assert api.get(url).json()["version"] == 2
    with django_assert_num_queries(2):  # the key and the vault's version; the role
        assert api.get(url).json()["id"] == str(refund.pk)
    by_id = _url(str(refund.pk))
    with django_assert_num_queries(2):  # not in bob's own vault: never kept
        assert api.get(by_id).json()["key"] == "refund-reply"
    with django_assert_num_queries(2):
        assert api.get(by_id).json()["key"] == "refund-reply"


def test_the_fetch_costs_the_same_however_big_the_vault(alice, bob, refund):
    fill_vault(alice, 10)
    _key, own = _client(alice)
    _key, member = _client(bob)
    shared = _url(query=f"?label=production&vault={alice.pk}")
    own.get(_url()), member.get(shared)
    before = (_queries(own, _url()), _queries(member, shared))
    fill_vault(alice, 150)
    for n in range(15):
        services.label_set(prompt=refund, label=f"custom-{n}", version=1, user=alice)
    services.prompt_update(prompt=refund, author=alice, tags=[f"t{n}" for n in range(20)])
    changed = (_queries(own, _url()), _queries(member, shared))
    assert (_queries(own, _url()), _queries(member, shared)) == before == (1, 2)
    assert changed == (2, 3)


def test_the_list_costs_the_same_queries_for_owner_and_member_as_the_vault_grows(alice, bob):
    fill_vault(alice, 20)
    _key, own = _client(alice)
    _key, member = _client(bob)
    own_url = reverse("api:prompt_list") + "?limit=100"
    shared = own_url + f"&vault={alice.pk}"
    own.get(own_url), member.get(shared)
    before = (_queries(own, own_url), _queries(member, shared))
    fill_vault(alice, 180)
    changed = (_queries(own, own_url), _queries(member, shared))
    assert (_queries(own, own_url), _queries(member, shared)) == before == (1, 2)
    assert changed == (2, 3)  # the key and version, (the role,) the page with its tags


def test_a_revoked_key_is_refused_at_once_though_remembered(alice, refund):
    key, api = _client(alice)
    assert api.get(_url()).status_code == 200
    account_services.api_key_revoke(key=key)
    assert api.get(_url()).status_code == 401
    assert api.get(_url("no-such-prompt")).status_code == 401


def test_a_key_revoked_where_this_process_cant_forget_it_is_refused_too(alice, refund):
    # Another process revoked it: this one's cache still holds the key, the database doesn't.
    key, api = _client(alice)
    assert api.get(_url()).status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    refused = api.get(_url())
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert api.get(_url("no-such-prompt")).status_code == 401
    assert api.get(_url(query="?label=nope")).status_code == 401


def test_a_deactivated_or_deleted_person_is_refused_at_once(alice, bob, refund):
    _key, api = _client(alice)
    _key, member = _client(bob)
    shared = _url(query=f"?label=production&vault={alice.pk}")
    assert api.get(_url()).status_code == member.get(shared).status_code == 200
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert api.get(_url()).status_code == 401
    User.objects.filter(pk=alice.pk).update(is_active=True)
    User.objects.filter(pk=bob.pk).update(is_active=False)
    assert member.get(shared).status_code == 401
    account_services.user_delete(user=bob)
    assert member.get(shared).status_code == 401


def test_an_expired_key_is_refused_the_moment_it_expires(alice, refund):
    key, api = _client(alice, expires_at=timezone.now() + timedelta(days=1))
    assert api.get(_url()).status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get(_url()).status_code == 401


def test_a_removed_team_member_loses_access_at_once(alice, bob, refund):
    _key, member = _client(bob)
    shared = _url(query=f"?label=production&vault={alice.pk}")
    by_id = _url(str(refund.pk))
    assert member.get(shared).status_code == member.get(by_id).status_code == 200
    membership = TeamInvite.objects.get(invited_by=alice, accepted_by=bob)
    team_services.invite_revoke(invite=membership)
    assert member.get(shared).status_code == 404
    assert member.get(by_id).status_code == 404


def test_the_etag_follows_every_change_of_what_is_served(alice, refund):
    _key, api = _client(alice)

    def etag():
        return api.get(_url())["ETag"]

    seen = [etag()]
    assert api.get(_url(), headers={"If-None-Match": seen[0]}).status_code == 304
    services.label_set(prompt=refund, label="production", version=3, user=alice)
    seen.append(etag())
    services.label_set(prompt=refund, label="canary", version=1, user=alice)
    seen.append(etag())
    tag = refund.tags.get(name="a")
    services.tag_update(tag=tag, name="renamed")
    seen.append(etag())
    services.prompt_update(prompt=refund, author=alice, description="Now described")
    seen.append(etag())
    services.prompt_update(prompt=refund, author=alice, content="v4")  # labels stay put
    assert api.get(_url()).json()["version"] == 3
    seen.append(etag())  # updated_at is served, and moved
    assert len(set(seen)) == len(seen)
    assert api.get(_url(), headers={"If-None-Match": seen[-1]}).status_code == 304
    assert api.get(_url(), headers={"If-None-Match": seen[0]}).status_code == 200


def test_a_missing_label_or_version_is_a_json_404(alice, refund):
    _key, api = _client(alice)
    for query in ("?label=nope", "?version=9", "?label=" + "x" * 80):
        response = api.get(_url(query=query))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api.get(_url(query="?label=latest")).json()["version"] == 3
    assert api.get(_url(query="?version=1&label=production")).status_code == 422


@pytest.mark.postgres
def test_the_fetch_uses_the_indexes_on_key_and_label(alice, refund):
    from apps.prompts.api import queries
    from apps.prompts.models import Prompt, PromptLabel

    fill_vault(alice, 200)
    PromptLabel.objects.bulk_create(
        PromptLabel(prompt=prompt, name=name, version=prompt.versions.get())
        for prompt in Prompt.objects.exclude(pk=refund.pk)
        for name in ("production", "staging")
    )
    key, _secret = account_services.api_key_create(user=alice, name="app")
    rows = queries.served_prompts(
        number=None, label="production", owner_id=alice.pk, key="refund-reply"
    )
    sql, params = rows[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "prompt_user_key_unique" in plan, plan
    assert "prompt_label_unique" in plan, plan


def test_a_remembered_key_carries_no_password_hash(alice, refund):
    from apps.accounts.api_keys import memory

    key, api = _client(alice)
    assert api.get(_url()).status_code == 200
    remembered = memory.get(key.hash)
    assert remembered is not None and remembered.user.pk == alice.pk
    assert "password" not in remembered.user.__dict__
    assert alice.password not in repr(remembered.user.__dict__)


def test_each_request_gets_its_own_copy_of_the_remembered_person(alice, refund):
    from apps.accounts.api_keys import memory, remembered_key_for_secret

    key, secret = account_services.api_key_create(user=alice, name="app")
    first = remembered_key_for_secret(secret)
    first.user.name = "changed by one request"
    second = remembered_key_for_secret(secret)
    assert second.user.name == alice.name and memory.get(key.hash).user.name == alice.name


def test_the_served_prompt_query_is_never_unscoped():
    from apps.prompts.api import queries

    with pytest.raises(ValueError):
        queries.served_prompts(number=None, label=None)
    with pytest.raises(ValueError):
        queries.served_prompts(number=None, label=None, key="refund-reply")
