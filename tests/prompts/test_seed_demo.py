"""`manage.py seed_demo`: a Pro demo account whose vault pages and searches, a second account
on its team as an editor, and runs that add only what is missing."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import Tier, User
from apps.prompts import access, services
from apps.prompts.demo_content import DEMO_PROMPTS, TAG_COLOURS
from apps.prompts.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD, EDITOR_EMAIL
from apps.prompts.models import Prompt, PromptVersion, Tag
from apps.prompts.variables import find_variables
from apps.prompts.views.vault import PAGE_SIZE
from apps.teams import services as team_services
from apps.teams.models import Role, TeamInvite
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db

# The eight prompts the demo held before it grew.
FIRST_DEMO_NAMES = {
    "Launch post for LinkedIn",
    "Tweet thread from a blog post",
    "Product announcement email",
    "Code review checklist",
    "Explain a stack trace",
    "SQL from a question",
    "Support reply with empathy",
    "Meeting notes summary",
}


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def owner() -> User:
    return User.objects.get(email=DEMO_EMAIL)


def editor() -> User:
    return User.objects.get(email=EDITOR_EMAIL)


def snapshot() -> dict:
    """Everything a run could add to or change."""
    return {
        "users": sorted(
            User.objects.values_list(
                "email", "tier", "password", "email_confirmed_at", "prompt_count", "updated_at"
            )
        ),
        "prompts": sorted(Prompt.objects.values_list("pk", "name", "updated_at")),
        "versions": PromptVersion.objects.count(),
        "tags": sorted(Tag.objects.values_list("name", "color")),
        "invites": sorted(TeamInvite.objects.values_list("pk", "role", "accepted", "revoked_at")),
    }


# --- What a first run makes -------------------------------------------------------------------


def test_it_puts_the_demo_owner_on_the_pro_plan_and_prints_both_logins():
    output = run_seed()

    assert owner().tier == Tier.PRO
    for user in (owner(), editor()):
        assert user.check_password(DEMO_PASSWORD)
        assert user.email_confirmed_at is not None
        assert user.email in output
    assert DEMO_PASSWORD in output
    assert "Pro plan" in output


def test_the_second_account_edits_the_owners_vault_as_a_team_editor():
    run_seed()

    assert access.role_in_vault(editor(), owner().pk) == access.EDITOR
    assert access.can(editor(), owner().pk, access.Action.EDIT)
    assert not access.can(editor(), owner().pk, access.Action.DELETE)
    membership = TeamInvite.objects.get(invited_by=owner(), accepted_by=editor())
    assert (membership.role, membership.accepted, membership.revoked_at) == (
        Role.EDITOR,
        True,
        None,
    )


def test_seeding_sends_no_invite_mail():
    run_seed()

    assert mail.outbox == []


def test_the_vault_holds_more_prompts_than_one_page_shows():
    run_seed()

    prompts = Prompt.objects.filter(user=owner())
    assert prompts.count() == len(DEMO_PROMPTS) >= 60
    assert len(DEMO_PROMPTS) > PAGE_SIZE
    assert owner().prompt_count == prompts.count()


def test_the_vault_is_varied_like_a_real_teams():
    run_seed()

    prompts = list(Prompt.objects.filter(user=owner()).prefetch_related("tags"))
    nested = {prompt.folder for prompt in prompts if "/" in prompt.folder}
    assert len({folder.split("/")[0] for folder in nested}) >= 6
    assert len(nested) >= 10
    assert sum(bool(find_variables(prompt.content)) for prompt in prompts) >= 40
    assert len({prompt.model for prompt in prompts}) >= 8
    assert 3 <= sum(prompt.is_public for prompt in prompts) <= 10
    assert all(prompt.tags.all() for prompt in prompts)
    tags = dict(Tag.objects.filter(user=owner()).values_list("name", "color"))
    assert tags == {name: colour.upper() for name, colour in TAG_COLOURS.items()}
    assert len(set(tags.values())) == len(tags)


def test_several_prompts_have_a_history_with_messages_some_written_by_the_editor():
    run_seed()

    with_history = Prompt.objects.filter(user=owner(), versions__version=2).distinct()
    assert with_history.count() >= 6
    for prompt in with_history:
        versions = list(prompt.versions.order_by("version"))
        assert 2 <= len(versions) <= 4
        assert versions[0].change_message == "Initial version"
        assert all(version.change_message for version in versions)
        assert versions[-1].content == prompt.content
        assert len({version.content for version in versions}) == len(versions)
    editors_versions = PromptVersion.objects.filter(prompt__user=owner(), created_by=editor())
    assert editors_versions.count() >= 3


def test_the_demo_texts_have_unique_names_and_coloured_tags():
    names = [demo.name for demo in DEMO_PROMPTS]
    assert len(names) == len(set(names))
    assert {tag for demo in DEMO_PROMPTS for tag in demo.tags} == set(TAG_COLOURS)


def test_the_editor_pages_through_and_searches_the_team_vault(client):
    run_seed()
    client.force_login(editor())
    url = reverse("prompts:list")
    vault = str(owner().pk)

    first = client.get(url, {"vault": vault})
    second = client.get(url, {"vault": vault, "page": 2})
    found = client.get(url, {"vault": vault, "q": "postmortem"})

    assert first.status_code == second.status_code == found.status_code == 200
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert first.context["can_edit"] and not first.context["can_delete"]
    assert "Launch post for LinkedIn" in first.content.decode()
    assert len(second.context["page"].object_list) == len(DEMO_PROMPTS) - PAGE_SIZE
    assert "Incident postmortem" in [prompt.name for prompt in found.context["page"].object_list]


# --- Later runs -------------------------------------------------------------------------------


def test_a_second_run_adds_nothing_and_changes_nothing():
    run_seed()
    before = snapshot()

    output = run_seed()

    assert snapshot() == before
    assert "0 added" in output


def test_a_later_run_restores_the_known_passwords():
    run_seed()
    for user in (owner(), editor()):
        user.set_password("changed-by-someone")
        user.save()

    run_seed()

    assert owner().check_password(DEMO_PASSWORD)
    assert editor().check_password(DEMO_PASSWORD)


def test_a_later_run_restores_the_editors_membership_and_role():
    run_seed()
    membership = TeamInvite.objects.get(invited_by=owner(), accepted_by=editor())
    team_services.member_set_role(membership=membership, role=Role.VIEWER)
    run_seed()
    assert access.role_in_vault(editor(), owner().pk) == access.EDITOR

    team_services.member_leave(membership=membership, user=editor())
    run_seed()

    assert access.role_in_vault(editor(), owner().pk) == access.EDITOR
    assert TeamInvite.objects.filter(invited_by=owner(), revoked_at__isnull=True).count() == 1


def test_it_tops_up_a_vault_missing_some_prompts_without_touching_others(alice):
    run_seed()
    Prompt.objects.filter(user=owner(), name="Meeting notes summary").delete()
    PromptFactory(user=alice, name="Meeting notes summary")

    run_seed()

    assert Prompt.objects.filter(user=owner()).count() == len(DEMO_PROMPTS)
    assert Prompt.objects.filter(user=alice).count() == 1


def test_it_upgrades_the_older_eight_prompt_free_demo_adding_only_what_is_missing():
    from apps.accounts import services as account_services

    old = account_services.user_create(email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo")
    for name, colour in list(TAG_COLOURS.items())[:8]:
        services.tag_create(owner=old, name=name, color=colour)
    for demo in (demo for demo in DEMO_PROMPTS if demo.name in FIRST_DEMO_NAMES):
        services.prompt_create(
            owner=old,
            author=old,
            name=demo.name,
            content=demo.content,
            folder=demo.folder,
            tags=demo.tags,
        )
    kept = dict(Prompt.objects.filter(user=old).values_list("pk", "updated_at"))
    assert len(kept) == len(FIRST_DEMO_NAMES)

    output = run_seed()

    assert owner().pk == old.pk and owner().tier == Tier.PRO
    assert owner().email_confirmed_at is not None
    assert f"{len(DEMO_PROMPTS) - 8} added" in output
    assert Prompt.objects.filter(user=old).count() == owner().prompt_count == len(DEMO_PROMPTS)
    assert dict(Prompt.objects.filter(pk__in=kept).values_list("pk", "updated_at")) == kept
    assert Tag.objects.filter(user=old).count() == len(TAG_COLOURS)
