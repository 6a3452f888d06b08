import pytest
from django.urls import reverse

from apps.sharing.models import Share


def _manage_urls(prompt, share):
    return [
        ("get", reverse("sharing:manage", args=[prompt.pk]), {}),
        ("post", reverse("sharing:manage", args=[prompt.pk]), {"expires_in": "1d"}),
        ("post", reverse("sharing:revoke", args=[share.pk]), {}),
        ("post", reverse("sharing:visibility", args=[prompt.pk]), {"is_public": "true"}),
    ]


def test_a_stranger_gets_404_on_every_management_url(charlie_client, prompt, share):
    for method, url, data in _manage_urls(prompt, share):
        response = getattr(charlie_client, method)(url, data)
        assert response.status_code == 404, url
    share.refresh_from_db()
    prompt.refresh_from_db()
    assert share.revoked_at is None
    assert not prompt.is_public
    assert Share.objects.count() == 1


def test_a_team_editor_can_read_but_not_manage_links(client, bob, prompt, share):
    client.force_login(bob)
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 200
    for method, url, data in _manage_urls(prompt, share):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, url
    share.refresh_from_db()
    assert share.revoked_at is None
    assert (
        b'data-testid="share-panel"'
        not in client.get(reverse("prompts:detail", args=[prompt.pk])).content
    )


def test_anonymous_visitors_are_sent_to_log_in_for_management(client, prompt, share):
    for method, url, data in _manage_urls(prompt, share):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_anonymous_page_shows_no_edit_control_and_no_email(client, share, prompt):
    response = client.get(reverse("sharing:share_page", args=[share.share_code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert prompt.name in body
    assert "alice@example.com" not in body
    assert "alice@" not in body
    assert reverse("prompts:edit", args=[prompt.pk]) not in body
    assert reverse("prompts:detail", args=[prompt.pk]) not in body
    assert 'data-testid="revoke"' not in body
    assert "Alice" in body  # the sharer's display name


def test_share_pages_send_privacy_headers(client, share):
    response = client.get(reverse("sharing:share_page", args=[share.share_code]))
    assert response["X-Robots-Tag"].startswith("noindex")
    # No referrer leaves the site; the page's own forms still carry their Origin (CSRF).
    assert response["Referrer-Policy"] == "same-origin"
    assert b'<meta name="referrer" content="same-origin">' in response.content
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert b'<meta name="robots" content="noindex' in response.content


def test_a_sharer_without_a_name_is_never_shown_by_email(client, alice, share):
    alice.name = ""
    alice.save(update_fields=["name"])
    body = client.get(reverse("sharing:share_page", args=[share.share_code])).content.decode()
    assert "alice" not in body.lower().replace("alice's", "")
    assert "A PromptVault user" in body


@pytest.mark.parametrize("limit", [3])
def test_views_are_rate_limited_per_address(client, share, settings, limit):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = limit
    url = reverse("sharing:share_page", args=[share.share_code])
    statuses = [client.get(url).status_code for _ in range(limit + 1)]
    assert statuses == [200] * limit + [429]
    assert b"Too many requests" in client.get(url).content
    other = client.get(url, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
    cache.clear()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client, share, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("sharing:share_page", args=[share.share_code])
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = [
        client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code for _ in range(3)
    ]
    assert first == [200, 200, 429]
    # Another client through the same proxy is counted on its own; a forged leftmost entry
    # doesn't let the first one escape its limit.
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 200
    forged = client.get(url, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", **proxy)
    assert forged.status_code == 429
