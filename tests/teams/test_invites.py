import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.prompts import services as prompt_services
from apps.prompts.models import Prompt
from apps.teams import services
from apps.teams.models import TeamInvite
from promptvault.entitlements import LimitReached
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory

LINK = re.compile(r"https?://[^\s]+/invites/[^\s/]+/")


def _link_path(message) -> str:
    url = LINK.search(message.body).group(0)
    return "/" + url.split("/", 3)[3]


def test_an_invite_is_emailed_with_a_signed_link(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite = services.invite_create(owner=owner, email="Bob@Example.com", role="viewer")
    assert invite.invited_email == "bob@example.com"
    assert invite.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.com"]
    assert "Alice invited you" in mail.outbox[0].subject
    assert LINK.search(mail.outbox[0].body)


def test_the_whole_flow_from_email_to_shared_vault_and_back_to_viewer(
    owner, django_capture_on_commit_callbacks
):
    prompt = PromptFactory(user=owner, name="Shared brief", content="Original")
    alice = Client()
    alice.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("teams:team"), {"email": "bob@example.com", "role": "editor"})
    path = _link_path(mail.outbox[-1])

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and b"Sign up" in page.content
    signup = visitor.post(
        reverse("accounts:signup") + f"?next={path}",
        {
            "name": "Bob",
            "email": "bob@example.com",
            "password": "a-long-unusual-passphrase",
            "next": path,
        },
    )
    assert signup["Location"] == path
    accepted = visitor.post(path)
    assert accepted.status_code == 302
    invite = TeamInvite.objects.get()
    assert invite.accepted and invite.accepted_by.email == "bob@example.com" and invite.accepted_at

    shared = visitor.get(reverse("teams:shared")).content.decode()
    assert "Alice's vault" in shared
    assert "Shared brief" in visitor.get(f"/prompts/?vault={owner.pk}").content.decode()

    edit = reverse("prompts:edit", args=[prompt.pk])
    form = visitor.get(edit)
    assert form.status_code == 200
    visitor.post(
        edit,
        {
            "name": "Shared brief",
            "content": "Edited by Bob",
            "model": "gpt-4",
            "change_message": "tighter",
        },
    )
    prompt.refresh_from_db()
    assert prompt.content == "Edited by Bob"
    assert prompt.versions.get(version=2).created_by == invite.accepted_by

    alice.post(reverse("teams:role", args=[invite.pk]), {"role": "viewer"})
    refused = visitor.post(edit, {"name": "x", "content": "Viewer edit", "model": "gpt-4"})
    assert refused.status_code == 403
    prompt.refresh_from_db()
    assert prompt.content == "Edited by Bob"


def test_an_editors_edits_are_authored_by_them_and_count_against_the_owner(owner, invite, invitee):
    services.invite_accept(invite=invite, user=invitee)
    client = Client()
    client.force_login(invitee)
    response = client.post(
        reverse("prompts:create") + f"?vault={owner.pk}",
        {"name": "From Bob", "content": "Bob's words", "model": "gpt-4", "vault": str(owner.pk)},
    )
    assert response.status_code == 302
    created = Prompt.objects.get(name="From Bob")
    assert created.user == owner
    assert created.versions.get().created_by == invitee
    owner.refresh_from_db()
    invitee.refresh_from_db()
    assert owner.prompt_count == 1 and invitee.prompt_count == 0


def test_the_owners_limit_not_the_editors_governs_creates_in_a_shared_vault(owner, invite, invitee):
    services.invite_accept(invite=invite, user=invitee)
    for index in range(50):
        PromptFactory(user=invitee, name=f"Bob's own {index}")  # Bob's own free vault is full
    client = Client()
    client.force_login(invitee)
    response = client.post(
        reverse("prompts:create"),
        {"name": "Into Alice's", "content": "x", "model": "gpt-4", "vault": str(owner.pk)},
    )
    assert response.status_code == 302
    assert Prompt.objects.filter(user=owner, name="Into Alice's").exists()
    # A free owner at the limit refuses any author's create, an editor's included. (On the
    # free plan the team is also suspended, so the editor can't reach the form at all.)
    for index in range(49):
        PromptFactory(user=owner, name=f"Alice {index}")
    owner.tier = "free"
    owner.save(update_fields=["tier"])
    with pytest.raises(LimitReached):
        prompt_services.prompt_create(owner=owner, author=invitee, name="More", content="x")
    assert client.get(reverse("prompts:create") + f"?vault={owner.pk}").status_code == 404


def test_members_keep_their_forks_and_lose_access_after_a_downgrade(owner, invite, invitee):
    services.invite_accept(invite=invite, user=invitee)
    prompt = PromptFactory(user=owner, content="Team text")
    client = Client()
    client.force_login(invitee)
    client.post(reverse("prompts:duplicate", args=[prompt.pk]))  # editor: copies inside the vault
    owner.tier = "free"
    owner.save(update_fields=["tier"])
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 404
    assert TeamInvite.objects.filter(pk=invite.pk, accepted=True, revoked_at__isnull=True).exists()
    assert Prompt.objects.filter(user=owner).count() == 2
    owner.tier = "pro"
    owner.save(update_fields=["tier"])
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 200


def test_a_team_larger_than_the_plan_is_suspended_until_trimmed(owner):
    owner.tier = "enterprise"
    owner.save(update_fields=["tier"])
    members = []
    for index in range(5):
        member = UserFactory(email=f"m{index}@example.com")
        invite = services.invite_create(owner=owner, email=member.email, role="viewer")
        services.invite_accept(invite=invite, user=member)
        members.append((member, invite))
    prompt = PromptFactory(user=owner)
    owner.tier = "pro"
    owner.save(update_fields=["tier"])
    client = Client()
    client.force_login(members[0][0])
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 404
    services.invite_revoke(invite=members[4][1])
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 200


def test_removal_and_leaving_take_effect_on_the_next_request(owner, invite, invitee):
    services.invite_accept(invite=invite, user=invitee)
    prompt = PromptFactory(user=owner)
    client = Client()
    client.force_login(invitee)
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 200
    alice = Client()
    alice.force_login(owner)
    alice.post(reverse("teams:revoke", args=[invite.pk]), {"confirmed": "1"})
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 404


def test_a_member_can_leave(owner, invite, invitee):
    services.invite_accept(invite=invite, user=invitee)
    client = Client()
    client.force_login(invitee)
    client.post(reverse("teams:leave", args=[invite.pk]), {"confirmed": "1"})
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    assert "Alice's vault" not in client.get(reverse("teams:shared")).content.decode()


def test_removing_and_leaving_ask_on_a_page_first_without_the_dialog(owner, invite, invitee):
    """Without JavaScript the form posts without `confirmed`: the answer is a question, and
    nothing changes until it is answered."""
    services.invite_accept(invite=invite, user=invitee)
    alice = Client()
    alice.force_login(owner)
    asked = alice.post(reverse("teams:revoke", args=[invite.pk]))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "from your team?" in page
    assert 'name="confirmed" value="1"' in page
    member = Client()
    member.force_login(invitee)
    asked = member.post(reverse("teams:leave", args=[invite.pk]))
    assert "Leave Alice" in asked.content.decode()
    invite.refresh_from_db()
    assert invite.revoked_at is None


def test_withdrawing_a_pending_invite_asks_first(owner):
    pending = services.invite_create(
        owner=owner, email="later@example.com", role="viewer", base_url="http://testserver/"
    )
    alice = Client()
    alice.force_login(owner)
    asked = alice.post(reverse("teams:revoke", args=[pending.pk]))
    assert "Withdraw the invite to later@example.com?" in asked.content.decode()
    pending.refresh_from_db()
    assert pending.revoked_at is None
    alice.post(reverse("teams:revoke", args=[pending.pk]), {"confirmed": "1"})
    pending.refresh_from_db()
    assert pending.revoked_at is not None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("alice@example.com", "your own address"),
        ("not-an-email", "Enter a valid email address"),
    ],
)
def test_bad_invites_are_form_errors(owner, email, message):
    client = Client()
    client.force_login(owner)
    response = client.post(reverse("teams:team"), {"email": email, "role": "viewer"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TeamInvite.objects.exists()


def test_inviting_an_existing_member_or_pending_invitee_is_refused(owner, invite, invitee):
    with pytest.raises(ValidationError, match="already has an invite"):
        services.invite_create(owner=owner, email="bob@example.com", role="viewer")
    services.invite_accept(invite=invite, user=invitee)
    with pytest.raises(ValidationError, match="already a member"):
        services.invite_create(owner=owner, email="bob@example.com", role="viewer")


def test_roles_other_than_viewer_or_editor_are_refused(owner, invite, invitee):
    client = Client()
    client.force_login(owner)
    response = client.post(reverse("teams:team"), {"email": "x@example.com", "role": "admin"})
    assert response.status_code == 400
    assert "Choose viewer or editor" in response.content.decode()
    services.invite_accept(invite=invite, user=invitee)
    client.post(reverse("teams:role", args=[invite.pk]), {"role": "owner"})
    invite.refresh_from_db()
    assert invite.role == "editor"


def test_pro_teams_hold_four_others_counting_pending_invites(owner):
    for index in range(4):
        services.invite_create(owner=owner, email=f"p{index}@example.com", role="viewer")
    with pytest.raises(LimitReached, match="team of 5"):
        services.invite_create(owner=owner, email="fifth@example.com", role="viewer")
    client = Client()
    client.force_login(owner)
    response = client.post(reverse("teams:team"), {"email": "fifth@example.com", "role": "viewer"})
    assert "team of 5" in response.content.decode()


def test_free_users_see_what_teams_offer_and_cannot_invite(db):
    free = UserFactory(tier="free")
    client = Client()
    client.force_login(free)
    page = client.get(reverse("teams:team")).content.decode()
    assert 'data-testid="team-upsell"' in page
    with pytest.raises(LimitReached, match="Pro and Enterprise"):
        services.invite_create(owner=free, email="x@example.com", role="viewer")


def test_resend_renews_the_expiry_and_retires_the_old_link(owner, invite, invitee):
    TeamInvite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() + timedelta(days=1))
    invite.refresh_from_db()
    old_token = services.invite_token(invite)
    services.invite_resend(invite=invite)
    invite.refresh_from_db()
    assert invite.expires_at - timezone.now() > timedelta(days=6)
    with pytest.raises(services.InviteTokenError):
        services.invite_from_token(old_token)
    assert services.invite_from_token(services.invite_token(invite)) == invite
