"""Adding a member directly, without an invite mail: the same seat rules as an invite."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from apps.prompts.access import role_in_vault
from apps.teams import selectors, services
from promptvault.entitlements import LimitReached
from tests.accounts.factories import UserFactory


def test_a_member_added_directly_is_on_the_team_with_no_mail(owner, invitee):
    membership = services.member_add(owner=owner, user=invitee, role="editor")
    assert list(selectors.active_members(owner.pk)) == [membership]
    assert membership.accepted_by == invitee and membership.role == "editor"
    assert role_in_vault(invitee, owner.pk) == "editor"
    assert not selectors.pending_invites(owner.pk).exists()
    assert mail.outbox == []


def test_adding_someone_twice_or_yourself_is_refused(owner, invitee):
    services.member_add(owner=owner, user=invitee, role="viewer")
    with pytest.raises(ValidationError):
        services.member_add(owner=owner, user=invitee, role="editor")
    with pytest.raises(ValidationError):
        services.member_add(owner=owner, user=owner, role="editor")
    with pytest.raises(ValidationError):
        services.member_add(owner=owner, user=UserFactory(), role="admin")


def test_the_plan_seat_rules_apply(owner):
    owner.tier = "free"
    owner.save()
    with pytest.raises(LimitReached):
        services.member_add(owner=owner, user=UserFactory(), role="editor")
    owner.tier = "pro"
    owner.save()
    for _ in range(4):
        services.member_add(owner=owner, user=UserFactory(), role="viewer")
    with pytest.raises(LimitReached):
        services.member_add(owner=owner, user=UserFactory(), role="viewer")
