"""The people every access test uses, as the root conftest defines them."""

from apps.prompts.access import Action, can
from apps.teams.selectors import member_role


def test_bob_edits_in_alices_vault_and_dana_only_reads(alice, bob, dana, charlie):
    assert member_role(user=bob, owner_id=alice.pk) == "editor"
    assert member_role(user=dana, owner_id=alice.pk) == "viewer"
    assert member_role(user=charlie, owner_id=alice.pk) is None
    assert can(bob, alice.pk, Action.EDIT)
    assert can(dana, alice.pk, Action.VIEW) and not can(dana, alice.pk, Action.EDIT)
    assert not can(charlie, alice.pk, Action.VIEW)


def test_each_person_can_sign_in_with_the_shared_password(alice, bob, dana, charlie, password):
    for person in (alice, bob, dana, charlie):
        assert person.check_password(password)
