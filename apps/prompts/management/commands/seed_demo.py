"""Create (or top up) the demo: a Pro account with a vault large enough to page through and
search, and a second account on its team as an editor.

Safe to run any number of times: accounts are matched by email, tags and prompts by name, and
the editor's membership by the team, so a second run adds only what is missing and changes
nothing that is already right. Passwords are set back to the known one on every run, so the
printed credentials always work. The texts live in apps/prompts/demo_content/.
"""

from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import services as account_services
from apps.accounts.models import Tier, User
from apps.prompts import services
from apps.prompts.demo_content import DEMO_PROMPTS, TAG_COLOURS
from apps.prompts.models import Prompt, Tag
from apps.teams import selectors as team_selectors
from apps.teams import services as team_services
from apps.teams.models import Role

DEMO_EMAIL = "demo@promptvault.local"
DEMO_PASSWORD = "try-promptvault"  # noqa: S105 - a published demo credential, on purpose
DEMO_NAME = "Demo"
DEMO_TIER = Tier.PRO
EDITOR_EMAIL = "sam@promptvault.local"
EDITOR_NAME = "Sam"


@dataclass(frozen=True)
class DemoSeed:
    owner: User
    editor: User
    accounts_created: int
    prompts_added: int


class Command(BaseCommand):
    help = (
        "Create or top up the demo account (Pro, with an example vault) and its team editor "
        "(safe to run repeatedly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL, help="the vault owner's login")
        parser.add_argument("--editor-email", default=EDITOR_EMAIL, help="the editor's login")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="for both accounts")

    def handle(self, *args, email: str, editor_email: str, password: str, **options):
        seed = seed_demo(email=email, editor_email=editor_email, password=password)
        owner, editor = seed.owner, seed.editor
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo vault ready: {owner.prompt_count} prompts "
                f"({seed.prompts_added} added by this run), on the "
                f"{owner.get_tier_display()} plan."
            )
        )
        width = max(len(owner.email), len(editor.email))
        self.stdout.write(f"  owner:  {owner.email:<{width}}  password: {password}")
        self.stdout.write(f"  editor: {editor.email:<{width}}  password: {password}")


@transaction.atomic
def seed_demo(
    *, email: str = DEMO_EMAIL, editor_email: str = EDITOR_EMAIL, password: str = DEMO_PASSWORD
) -> DemoSeed:
    """Make sure both demo accounts, the owner's plan, the editor's membership, the tags and
    the prompts exist. Writes only what is missing or wrong."""
    owner, owner_created = _account(email=email, password=password, name=DEMO_NAME)
    editor, editor_created = _account(email=editor_email, password=password, name=EDITOR_NAME)
    if owner.tier != DEMO_TIER:
        account_services.user_set_tier(user=owner, tier=DEMO_TIER)
    _editor_membership(owner=owner, editor=editor)
    _tags(owner)
    added = _prompts(owner=owner, editor=editor)
    owner.refresh_from_db(fields=["prompt_count"])
    return DemoSeed(
        owner=owner,
        editor=editor,
        accounts_created=owner_created + editor_created,
        prompts_added=added,
    )


def _account(*, email: str, password: str, name: str) -> tuple[User, bool]:
    user = User.objects.filter(email=User.objects.normalize_email(email)).first()
    created = user is None
    if created:
        user = account_services.user_create(
            email=email, password=password, name=name, email_confirmed=True
        )
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    if user.email_confirmed_at is None:
        # An account left by an older demo: the address is ours, so confirm it as a link would.
        account_services.email_confirm(token=account_services.email_confirmation_token(user))
        user.refresh_from_db(fields=["email_confirmed_at"])
    return user, created


def _editor_membership(*, owner: User, editor: User) -> None:
    membership = team_selectors.active_members(owner.pk).filter(accepted_by=editor).first()
    if membership is None:
        membership = team_services.member_add(owner=owner, user=editor, role=Role.EDITOR)
    if membership.role != Role.EDITOR:
        team_services.member_set_role(membership=membership, role=Role.EDITOR)


def _tags(owner: User) -> None:
    existing = {
        name.casefold() for name in Tag.objects.filter(user=owner).values_list("name", flat=True)
    }
    for name, colour in TAG_COLOURS.items():
        if name.casefold() not in existing:
            services.tag_create(owner=owner, name=name, color=colour)


def _prompts(*, owner: User, editor: User) -> int:
    """Add the demo prompts the vault lacks, with their histories. Created last to first, so
    the vault (newest first) lists them in the order demo_content gives."""
    existing = set(Prompt.objects.filter(user=owner).values_list("name", flat=True))
    added = 0
    for demo in reversed(DEMO_PROMPTS):
        if demo.name in existing:
            continue
        prompt = services.prompt_create(
            owner=owner,
            author=owner,
            name=demo.name,
            description=demo.description,
            content=demo.content,
            model=demo.model,
            folder=demo.folder,
            tags=demo.tags,
            is_public=demo.is_public,
        )
        for revision in demo.revisions:
            services.prompt_update(
                prompt=prompt,
                author=editor if revision.by_editor else owner,
                content=revision.content,
                change_message=revision.message,
            )
        added += 1
    return added
