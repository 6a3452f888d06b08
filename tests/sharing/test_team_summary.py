"""What the team sees of sharing on a prompt's page: whether it is public and how many links
open it, never the links themselves nor a control that changes them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.prompts.selectors import latest_version
from apps.sharing import services
from tests.sharing.factories import ShareFactory


def _summary(client, prompt) -> str:
    page = client.get(reverse("prompts:detail", args=[prompt.pk])).content.decode()
    found = re.search(r'<section[^>]*data-testid="share-summary".*?</section>', page, re.S)
    assert found, "no sharing summary on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


@pytest.mark.parametrize("member", ["bob", "dana"])
def test_the_team_sees_how_many_links_open_the_prompt_and_which_follow_edits(
    request, client, alice, prompt, member
):
    client.force_login(request.getfixturevalue(member))
    assert "No share link opens it." in _summary(client, prompt)
    assert "Private: only this vault's team can read it." in _summary(client, prompt)
    following = services.share_create(prompt=prompt, shared_by=alice, expires_in="7d")
    assert (
        "1 share link opens it, showing the newest version: a change saved here shows to anyone "
        "who has that link." in _summary(client, prompt)
    )
    # Private, yet not only the team's: the card doesn't say otherwise while a link is live.
    assert (
        "Private: only this vault's team, and anyone with one of its share links, can read it."
        in _summary(client, prompt)
    )
    services.share_create(
        prompt=prompt, shared_by=alice, expires_in="never", version=latest_version(prompt)
    )
    services.share_create(prompt=prompt, shared_by=alice, expires_in="1d")
    assert "3 share links open it, 2 of them showing the newest version" in _summary(client, prompt)
    # Revoked and expired links open nothing, so they aren't counted.
    services.share_revoke(share=following)
    ShareFactory(prompt=prompt, expires_at=timezone.now() - timedelta(minutes=1))
    ShareFactory(prompt=prompt, revoked_at=timezone.now())
    assert "2 share links open it, 1 of them showing the newest version" in _summary(client, prompt)


def test_links_pinned_to_a_version_tell_the_team_their_edits_dont_show_there(
    client, alice, bob, prompt
):
    services.share_create(
        prompt=prompt, shared_by=alice, expires_in="never", version=latest_version(prompt)
    )
    client.force_login(bob)
    assert (
        "1 share link opens it, pinned to a version: changes saved here don't show there."
        in _summary(client, prompt)
    )


def test_the_team_sees_a_public_prompt_is_public_and_who_decides(client, alice, dana, prompt):
    services.prompt_set_visibility(prompt=prompt, author=alice, is_public=True)
    client.force_login(dana)
    summary = _summary(client, prompt)
    assert "Public Anyone can read it on its public page" in summary
    assert "Only Alice makes links and decides who can see it." in summary


def test_the_team_never_gets_a_link_nor_a_control_that_changes_sharing(
    client, alice, bob, prompt, share
):
    client.force_login(bob)
    page = client.get(reverse("prompts:detail", args=[prompt.pk])).content.decode()
    assert share.share_code not in page
    for control in (
        reverse("sharing:manage", args=[prompt.pk]),
        reverse("sharing:visibility", args=[prompt.pk]),
        reverse("sharing:revoke", args=[share.pk]),
    ):
        assert control not in page
