"""The seat rule is asked of the entitlements module alone: "may this owner seat N more people,
counting the invites not yet answered?"."""

import pytest

from apps.teams import selectors
from promptvault import entitlements
from promptvault.entitlements import LimitReached
from tests.accounts.factories import UserFactory
from tests.teams.factories import TeamInviteFactory


def _seats(owner):
    return {
        "members": selectors.active_members(owner.pk),
        "pending": selectors.pending_invites(owner.pk),
    }


def test_a_pro_owner_may_fill_four_seats_counting_pending_invites(db):
    owner = UserFactory(tier="pro")
    TeamInviteFactory.create_batch(2, invited_by=owner)
    TeamInviteFactory(invited_by=owner, accepted=True, accepted_by=UserFactory())
    entitlements.check_can_add_members(owner, **_seats(owner), adding=1)
    with pytest.raises(LimitReached, match="team of 5"):
        entitlements.check_can_add_members(owner, **_seats(owner), adding=2)


def test_a_free_owner_is_told_teams_need_a_paid_plan(db):
    owner = UserFactory(tier="free")
    with pytest.raises(LimitReached, match="Pro and Enterprise"):
        entitlements.check_can_add_members(owner, **_seats(owner))


def test_someone_joining_a_full_team_is_told_whose_it_is(db):
    owner = UserFactory(tier="pro", name="Alice")
    for _ in range(4):
        TeamInviteFactory(invited_by=owner, accepted=True, accepted_by=UserFactory())
    with pytest.raises(LimitReached, match="Alice's team is full"):
        entitlements.check_can_add_members(
            owner, members=selectors.active_members(owner.pk), joining=True
        )


def test_an_enterprise_team_is_never_counted(db, django_assert_num_queries):
    owner = UserFactory(tier="enterprise")
    with django_assert_num_queries(0):
        entitlements.check_can_add_members(owner, **_seats(owner), adding=1000)


def test_whether_a_team_fits_the_plan_counts_members_not_invites(db):
    pro, free = UserFactory(tier="pro"), UserFactory(tier="free")
    for _ in range(4):
        TeamInviteFactory(invited_by=pro, accepted=True, accepted_by=UserFactory())
    TeamInviteFactory(invited_by=pro)
    assert entitlements.team_fits_plan(pro, members=selectors.active_members(pro.pk))
    TeamInviteFactory(invited_by=pro, accepted=True, accepted_by=UserFactory())
    assert not entitlements.team_fits_plan(pro, members=selectors.active_members(pro.pk))
    assert not entitlements.team_fits_plan(free, members=selectors.active_members(free.pk))
