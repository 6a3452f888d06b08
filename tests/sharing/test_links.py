import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.sharing import services
from apps.sharing.models import Share

URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def test_codes_are_long_url_safe_and_never_repeat():
    codes = [services.new_share_code() for _ in range(10_000)]
    assert len(set(codes)) == 10_000
    assert all(len(code) >= 22 and URL_SAFE.match(code) for code in codes)


def test_each_link_gets_its_own_code(prompt, alice):
    shares = [services.share_create(prompt=prompt, shared_by=alice) for _ in range(50)]
    assert len({share.share_code for share in shares}) == 50


def test_a_live_link_counts_each_view(client, share):
    for _ in range(3):
        assert client.get(reverse("sharing:share_page", args=[share.share_code])).status_code == 200
    share.refresh_from_db()
    assert share.view_count == 3


def test_an_expired_link_answers_410_and_counts_nothing(client, share):
    Share.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("sharing:share_page", args=[share.share_code]))
    assert response.status_code == 410
    assert b"expired" in response.content
    share.refresh_from_db()
    assert share.view_count == 0


def test_a_revoked_link_answers_410_and_counts_nothing(client, share):
    services.share_revoke(share=share)
    response = client.get(reverse("sharing:share_page", args=[share.share_code]))
    assert response.status_code == 410
    assert b"turned the link off" in response.content
    share.refresh_from_db()
    assert share.view_count == 0
    assert share.revoked_at is not None


@pytest.mark.parametrize(
    "code", ["unknown-code-that-is-long", "short", "x" * 200, "bad%20code%20here-long-one"]
)
def test_unknown_malformed_or_overlong_codes_answer_404(client, db, code):
    response = client.get(f"/s/{code}/")
    assert response.status_code == 404


def test_expiry_choices_set_the_expiry(prompt, alice):
    before = timezone.now()
    hour = services.share_create(prompt=prompt, shared_by=alice, expires_in="1h")
    never = services.share_create(prompt=prompt, shared_by=alice, expires_in="never")
    month = services.share_create(prompt=prompt, shared_by=alice, expires_in="30d")
    assert timedelta(minutes=59) < hour.expires_at - before <= timedelta(hours=1, seconds=5)
    assert never.expires_at is None
    assert timedelta(days=29) < month.expires_at - before <= timedelta(days=30, seconds=5)


def test_an_expiry_that_is_not_offered_is_a_form_error(alice_client, prompt):
    response = alice_client.post(reverse("sharing:manage", args=[prompt.pk]), {"expires_in": "99y"})
    assert response.status_code == 400
    assert b"Choose one of the offered expiry times" in response.content
    assert not Share.objects.exists()


def test_the_owner_creates_lists_and_revokes_links(alice_client, prompt):
    response = alice_client.post(reverse("sharing:manage", args=[prompt.pk]), {"expires_in": "7d"})
    assert response.status_code == 302
    share = Share.objects.get()
    page = alice_client.get(reverse("sharing:manage", args=[prompt.pk]))
    assert share.share_code.encode() in page.content
    assert b"live" in page.content
    alice_client.post(reverse("sharing:revoke", args=[share.pk]))
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert b"revoked" in alice_client.get(reverse("sharing:manage", args=[prompt.pk])).content


def test_a_pinned_link_keeps_showing_its_version(client, alice, prompt):
    from apps.prompts import services as prompt_services

    pinned = services.share_create(prompt=prompt, shared_by=alice, version=prompt.versions.get())
    following = services.share_create(prompt=prompt, shared_by=alice)
    prompt_services.prompt_update(prompt=prompt, author=alice, content="A brand new text")
    assert b"launch email about" in client.get(f"/s/{pinned.share_code}/").content
    assert b"A brand new text" in client.get(f"/s/{following.share_code}/").content


def test_the_owner_sees_the_sharing_panel_on_the_prompt_page(alice_client, prompt, share):
    page = alice_client.get(reverse("prompts:detail", args=[prompt.pk]))
    assert b'data-testid="share-panel"' in page.content
    assert share.share_code.encode() in page.content
