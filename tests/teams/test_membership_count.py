"""Each person's count of teams (`User.membership_count`): kept by the teams services, put right
by the cleanup and by the admin, and only ever a hint for the access helpers, which skip
reading a role for someone on no team."""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.prompts.access import Action, get_prompt_for
from apps.teams import services
from apps.teams.cleanup import cleanup
from apps.teams.models import TeamInvite
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory
from tests.teams.factories import TeamInviteFactory

migration = importlib.import_module("apps.teams.migrations.0002_membership_counts")


def _count(user: User) -> int:
    return User.objects.values_list("membership_count", flat=True).get(pk=user.pk)


def _real(user: User) -> int:
    return TeamInvite.objects.filter(
        accepted_by=user, accepted=True, revoked_at__isnull=True
    ).count()


def _set_count(user: User, value: int) -> None:
    User.objects.filter(pk=user.pk).update(membership_count=value)
    user.refresh_from_db(fields=["membership_count"])


# --- Kept by the services --------------------------------------------------------------------


def test_joining_and_leaving_teams_moves_the_count(db):
    person = UserFactory(email="joiner@example.com")
    first, second = UserFactory(tier="pro"), UserFactory(tier="pro")
    invite = services.invite_create(owner=first, email=person.email, role="viewer")
    assert _count(person) == 0  # a pending invite is not a team
    membership = services.invite_accept(invite=invite, user=person)
    assert _count(person) == 1
    other = services.member_add(owner=second, user=person, role="editor")
    assert _count(person) == 2
    services.member_set_role(membership=other, role="viewer")
    assert _count(person) == 2
    services.member_leave(membership=membership, user=person)
    assert _count(person) == 1
    services.invite_revoke(invite=other)
    assert _count(person) == 0
    # Ending what has already ended changes nothing.
    services.invite_revoke(invite=other)
    services.invite_revoke(invite=membership)
    assert _count(person) == 0


def test_withdrawing_an_invite_never_answered_leaves_the_count_alone(db):
    owner = UserFactory(tier="pro")
    person = UserFactory(email="waiting@example.com")
    services.member_add(owner=UserFactory(tier="pro"), user=person, role="viewer")
    invite = services.invite_create(owner=owner, email=person.email, role="viewer")
    services.invite_revoke(invite=invite)
    assert _count(person) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_count_stays_exact_when_people_join_and_leave_at_once():
    owners = [UserFactory(tier="enterprise") for _ in range(3)]
    people = [UserFactory(email=f"busy{index}@example.com") for index in range(4)]
    # Everyone is already on the first team; they join the other two and leave the first,
    # all at the same moment.
    first = {
        person.pk: services.member_add(owner=owners[0], user=person, role="viewer")
        for person in people
    }
    invites = [
        (person, services.invite_create(owner=owner, email=person.email, role="editor"))
        for owner in owners[1:]
        for person in people
    ]
    barrier = threading.Barrier(len(invites) + len(people))
    errors = []

    def run(work):
        try:
            barrier.wait()
            work()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    work = [
        (lambda person=person, invite=invite: services.invite_accept(invite=invite, user=person))
        for person, invite in invites
    ] + [
        (lambda person=person: services.member_leave(membership=first[person.pk], user=person))
        for person in people
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for person in people:
        assert _count(person) == _real(person) == 2


# --- Put right where something else changed a membership --------------------------------------


def test_the_cleanup_corrects_counts_left_wrong(db):
    member = UserFactory(email="member@example.com")
    services.member_add(owner=UserFactory(tier="pro"), user=member, role="viewer")
    stranger = UserFactory(email="stranger@example.com")
    _set_count(member, 0)
    _set_count(stranger, 3)
    assert "Would correct the team count of 2 people." in cleanup(dry_run=True)
    assert (_count(member), _count(stranger)) == (0, 3)
    assert "Corrected the team count of 2 people." in cleanup(dry_run=False)
    assert (_count(member), _count(stranger)) == (1, 0)
    assert "Corrected the team count of 0 people." in cleanup(dry_run=False)


def test_an_owner_deleted_with_the_team_leaves_counts_the_cleanup_corrects(db):
    owner = UserFactory(tier="pro")
    member = UserFactory(email="orphan@example.com")
    services.member_add(owner=owner, user=member, role="viewer")
    owner.delete()
    assert _count(member) == 1 and _real(member) == 0
    cleanup(dry_run=False)
    assert _count(member) == 0


def test_memberships_changed_in_the_admin_are_counted_again(admin_client, db):
    owner = UserFactory(tier="pro")
    member = UserFactory(email="admin-edited@example.com")
    invite = TeamInviteFactory(invited_by=owner, invited_email=member.email)
    url = reverse("admin:teams_teaminvite_change", args=[invite.pk])
    form = {
        "invited_by": owner.pk,
        "invited_email": member.email,
        "role": "editor",
        "accepted": "on",
        "accepted_by": member.pk,
        "accepted_at_0": "2026-12-01",
        "accepted_at_1": "10:00:00",
        "revoked_at_0": "",
        "revoked_at_1": "",
        "expires_at_0": "2026-12-30",
        "expires_at_1": "10:00:00",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _count(member) == 1
    # Moving the membership to someone else counts both people again.
    other = UserFactory(email="admin-moved@example.com")
    response = admin_client.post(url, {**form, "accepted_by": other.pk})
    assert response.status_code == 302
    assert (_count(member), _count(other)) == (0, 1)
    response = admin_client.post(
        reverse("admin:teams_teaminvite_delete", args=[invite.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _count(other) == 0


def test_the_migration_counts_the_memberships_there_are(db):
    member = UserFactory(email="counted@example.com")
    for _ in range(2):
        TeamInviteFactory(invited_by=UserFactory(tier="pro"), accepted=True, accepted_by=member)
    TeamInviteFactory(invited_by=UserFactory(tier="pro"), invited_email="x@example.com")
    ended = TeamInviteFactory(invited_by=UserFactory(tier="pro"), accepted=True, accepted_by=member)
    TeamInvite.objects.filter(pk=ended.pk).update(revoked_at=ended.created_at)
    _set_count(member, 0)
    migration.count_memberships(apps, None)
    assert _count(member) == 2
    migration.count_memberships(apps, None)
    assert _count(member) == 2


# --- Only a hint for the access helpers -------------------------------------------------------


def test_someone_on_no_team_reads_their_prompt_without_asking_for_a_role(alice):
    prompt = PromptFactory(user=alice)
    with CaptureQueriesContext(connection) as queries:
        access = get_prompt_for(alice, prompt.pk, action=Action.DELETE)
    assert access.is_owner
    assert len(queries) == 1
    assert "team_invites" not in queries[0]["sql"]


def test_a_member_whose_count_went_stale_keeps_their_role(alice, bob, dana):
    prompt = PromptFactory(user=alice)
    _set_count(bob, 0)
    assert get_prompt_for(bob, prompt.pk, action=Action.EDIT).role == "editor"
    _set_count(dana, 0)
    access = get_prompt_for(dana, prompt.pk)
    assert access.role == "viewer" and not access.can_edit


def test_a_stranger_whose_count_went_stale_still_sees_nothing(client, alice, charlie, password):
    prompt = PromptFactory(user=alice)
    _set_count(charlie, 4)
    client.login(email=charlie.email, password=password)
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 404
    _set_count(charlie, 0)
    assert client.get(reverse("prompts:detail", args=[prompt.pk])).status_code == 404
    vault = reverse("prompts:list") + f"?vault={alice.pk}"
    assert client.get(vault).status_code == 404
