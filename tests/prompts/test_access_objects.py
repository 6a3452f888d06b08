"""The access helpers answer the object with the person's role and what it allows, read in one
query: 404 for what they can't see, 403 for an action their role lacks."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from apps.prompts import access, services
from apps.prompts.access import Action
from apps.teams.models import TeamInvite
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory, PromptOptimizationFactory
from tests.teams.factories import TeamInviteFactory

# role, can_edit, can_delete, can_share, is_owner
EXPECTED = {
    "alice": (access.OWNER, True, True, True, True),
    "bob": (access.EDITOR, True, False, False, False),
    "dana": (access.VIEWER, False, False, False, False),
}


@pytest.fixture
def prompt(alice, bob, dana):
    prompt = PromptFactory(user=alice, tags=["mine"], content="one")
    services.prompt_update(prompt=prompt, author=alice, content="two", change_message="m")
    return prompt


def _flags(granted):
    return (granted.role, granted.can_edit, granted.can_delete, granted.can_share, granted.is_owner)


@pytest.mark.parametrize("who", EXPECTED)
def test_each_role_gets_the_rights_of_the_table(request, prompt, who):
    user = request.getfixturevalue(who)
    granted = access.get_prompt_for(user, prompt.pk)
    assert granted.prompt == prompt
    assert granted.owner == prompt.user
    assert _flags(granted) == EXPECTED[who]
    assert [granted.allows(action) for action in Action] == [
        access.allows(EXPECTED[who][0], action) for action in Action
    ]


@pytest.mark.parametrize("who", EXPECTED)
def test_every_helper_carries_the_same_role(request, prompt, alice, who):
    user = request.getfixturevalue(who)
    tag = prompt.tags.get()
    optimization = PromptOptimizationFactory(prompt=prompt, requested_by=alice)
    version = access.get_version_for(user, prompt.pk, 2)
    assert version.version.content == "two" and version.prompt == prompt
    rewrite = access.get_optimization_for(user, prompt.pk, optimization.pk)
    assert rewrite.optimization == optimization and rewrite.prompt == prompt
    vault = access.get_vault_owner_for(user, alice.pk)
    assert vault.owner == alice
    helpers = [version, rewrite, vault]
    if EXPECTED[who][1]:
        tag_access = access.get_tag_for(user, tag.pk)
        assert tag_access.tag == tag and tag_access.vault == vault
        helpers.append(tag_access)
    assert [_flags(granted) for granted in helpers] == [EXPECTED[who]] * len(helpers)


@pytest.mark.parametrize("who", EXPECTED)
def test_a_prompt_and_its_role_are_read_in_one_query(
    request, prompt, who, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    with django_assert_num_queries(1):
        granted = access.get_prompt_for(user, prompt.pk)
    with django_assert_num_queries(0):
        assert _flags(granted) == EXPECTED[who]
        assert granted.owner.pk == prompt.user_id


def test_ones_own_vault_costs_no_query_and_a_shared_one_a_single_query(
    alice, bob, django_assert_num_queries
):
    with django_assert_num_queries(0):
        own = access.get_vault_owner_for(alice, None, action=Action.DELETE)
    assert own.owner == alice and own.is_owner
    with django_assert_num_queries(1):
        shared = access.get_vault_owner_for(bob, str(alice.pk), action=Action.EDIT)
    assert shared.owner == alice and shared.role == access.EDITOR


def test_charlie_gets_404_from_every_helper(prompt, alice, charlie):
    optimization = PromptOptimizationFactory(prompt=prompt, requested_by=alice)
    tag = prompt.tags.get()
    attempts = [
        lambda: access.get_prompt_for(charlie, prompt.pk),
        lambda: access.get_version_for(charlie, prompt.pk, 1),
        lambda: access.get_optimization_for(charlie, prompt.pk, optimization.pk),
        lambda: access.get_tag_for(charlie, tag.pk),
        lambda: access.get_vault_owner_for(charlie, alice.pk),
    ]
    for attempt in attempts:
        with pytest.raises(Http404):
            attempt()


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("dana", Action.EDIT),
        ("dana", Action.DELETE),
        ("dana", Action.SHARE),
        ("bob", Action.DELETE),
        ("bob", Action.SHARE),
    ],
)
def test_a_member_whose_role_lacks_the_action_gets_403(request, prompt, alice, who, action):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        access.get_prompt_for(user, prompt.pk, action=action)
    with pytest.raises(PermissionDenied):
        access.get_version_for(user, prompt.pk, 1, action=action)
    with pytest.raises(PermissionDenied):
        access.get_vault_owner_for(user, alice.pk, action=action)
    if action != Action.EDIT or who == "dana":
        with pytest.raises(PermissionDenied):
            access.get_tag_for(user, prompt.tags.get().pk, action=action)


def test_missing_and_malformed_ids_are_404(alice, prompt):
    for pk in ["not-a-uuid", None, "00000000-0000-0000-0000-000000000000"]:
        with pytest.raises(Http404):
            access.get_prompt_for(alice, pk)
        with pytest.raises(Http404):
            access.get_vault_owner_for(alice, pk or "x")
    for number in [3, "x", 2**80]:
        with pytest.raises(Http404):
            access.get_version_for(alice, prompt.pk, number)


def test_an_ended_membership_is_no_access(prompt, bob):
    TeamInvite.objects.filter(accepted_by=bob).update(revoked_at=timezone.now())
    with pytest.raises(Http404):
        access.get_prompt_for(bob, prompt.pk)
    assert access.role_in_vault(bob, prompt.user_id) is None


def test_a_team_the_owners_plan_no_longer_allows_loses_its_access_until_it_fits_again(
    prompt, alice, bob, dana
):
    # Pro seats four members beside the owner; a fifth is over the plan, a pending invite isn't.
    for _ in range(2):
        TeamInviteFactory(invited_by=alice, accepted=True, accepted_by=UserFactory())
    TeamInviteFactory(invited_by=alice)
    assert access.get_prompt_for(bob, prompt.pk).role == access.EDITOR
    fifth = TeamInviteFactory(invited_by=alice, accepted=True, accepted_by=UserFactory())
    with pytest.raises(Http404):
        access.get_prompt_for(bob, prompt.pk)
    with pytest.raises(Http404):
        access.get_vault_owner_for(dana, alice.pk)
    assert access.role_in_vault(bob, alice.pk) is None
    fifth.delete()
    assert access.get_prompt_for(bob, prompt.pk).role == access.EDITOR
    alice.tier = "free"
    alice.save(update_fields=["tier"])
    with pytest.raises(Http404):
        access.get_prompt_for(bob, prompt.pk)
    assert access.get_prompt_for(alice, prompt.pk).is_owner


def test_a_membership_of_another_vault_gives_nothing_here(prompt, charlie):
    charlie.tier = "pro"
    charlie.save(update_fields=["tier"])
    stranger = UserFactory()
    TeamInviteFactory(invited_by=charlie, accepted=True, accepted_by=stranger, role="editor")
    assert access.get_vault_owner_for(stranger, charlie.pk).role == access.EDITOR
    with pytest.raises(Http404):
        access.get_prompt_for(stranger, prompt.pk)


def test_an_access_object_cannot_be_changed(prompt, dana):
    granted = access.get_prompt_for(dana, prompt.pk)
    with pytest.raises(dataclasses.FrozenInstanceError):
        granted.role = access.OWNER
