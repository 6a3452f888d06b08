"""What each tier may do. Every question of the form "may this user add N prompts?" is asked
here and nowhere else, so a limit changes in one place.

Counting under concurrency: callers that create prompts lock the owner's row first
(`lock_owner`), then ask `prompt_room`; concurrent creators queue on that lock, so the last
free slot goes to exactly one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

# The plans are project-wide and the apps ask them, so this module imports no app at run time:
# the user model is looked up when a lock is taken, and the tiers are defined here.
if TYPE_CHECKING:
    from apps.accounts.models import User

# Where a person compares the plans and buys one.
UPGRADE_URL = "billing:pricing"


class Tier(models.TextChoices):
    """The plan a person is on, as their account stores it."""

    FREE = "free", "Free"
    PRO = "pro", "Pro"
    ENTERPRISE = "enterprise", "Enterprise"


@dataclass(frozen=True)
class Plan:
    tier: str
    label: str
    price_per_month: int
    max_prompts: int | None  # None: unlimited
    llm_optimization: bool
    max_team_members: int | None  # including the owner; None: unlimited


PLANS: dict[str, Plan] = {
    Tier.FREE: Plan(Tier.FREE, "Free", 0, 50, False, 1),
    Tier.PRO: Plan(Tier.PRO, "Pro", 9, None, True, 5),
    Tier.ENTERPRISE: Plan(Tier.ENTERPRISE, "Enterprise", 29, None, True, None),
}


class LimitReached(Exception):
    """Raised when an action would take a user past their plan. The message is fit to show."""

    def __init__(self, message: str, *, limit: int | None = None, room: int = 0):
        super().__init__(message)
        self.limit = limit
        self.room = room

    def as_html(self) -> SafeString:
        """The message with a link to the plans, for pages and flash messages."""
        return format_html(
            '{} <a href="{}" data-testid="upgrade-link">See plans</a>',
            str(self),
            upgrade_url(),
        )


def upgrade_url() -> str:
    return reverse(UPGRADE_URL)


def plan_for(user: User) -> Plan:
    return PLANS.get(user.tier, PLANS[Tier.FREE])


def prompt_limit(user: User) -> int | None:
    return plan_for(user).max_prompts


def prompt_room(user: User) -> int | None:
    """How many more prompts the user may add now; None when unlimited."""
    limit = prompt_limit(user)
    if limit is None:
        return None
    return max(0, limit - user.prompt_count)


def lock_owner(user: User) -> User:
    """Re-read the owner's row under a lock, so counts checked afterwards stay true.

    FOR NO KEY UPDATE, not FOR UPDATE: creators and deleters still queue on it, but rows that
    merely reference the user (a version's author, a new tag) can be written meanwhile. A full
    FOR UPDATE would deadlock a delete against an edit of the same prompt."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_owner must run inside a transaction")
    return (
        get_user_model()
        .objects.select_for_update(no_key=True)
        .only("id", "tier", "prompt_count")
        .get(pk=user.pk)
    )


def check_can_add_prompts(user: User, count: int = 1) -> None:
    """Raise LimitReached unless `user` (freshly locked) may add `count` prompts."""
    room = prompt_room(user)
    if room is None or count <= room:
        return
    limit = prompt_limit(user)
    raise LimitReached(
        f"Your {plan_for(user).label} plan holds {limit} prompts and this vault has "
        f"{user.prompt_count}. Upgrade to add more, or delete prompts you no longer need.",
        limit=limit,
        room=room,
    )


def can_use_llm_optimization(owner: User) -> bool:
    """Does `owner`'s plan let their vault's prompts be rewritten by a language model? It
    decides for everyone who edits in that vault, so a team's editors get what the owner pays
    for. Whether a person may edit there at all is the vault's access rule, which callers ask
    first: a rewrite is an edit, so a viewer never may."""
    return plan_for(owner).llm_optimization


def llm_optimizations_per_hour(owner: User) -> int:
    """AI rewrites one person may ask for per hour in `owner`'s vault (0 without the feature)."""
    per_tier = {
        Tier.PRO: settings.LLM_OPTIMIZATIONS_PER_HOUR_PRO,
        Tier.ENTERPRISE: settings.LLM_OPTIMIZATIONS_PER_HOUR_ENTERPRISE,
    }
    if not plan_for(owner).llm_optimization:
        return 0
    return per_tier.get(owner.tier, 0)


def team_seat_limit(user: User) -> int | None:
    """Members (owner included) the user's plan allows; None when unlimited."""
    return plan_for(user).max_team_members


def team_fits_plan(owner: User, *, members) -> bool:
    """Whether the owner's plan allows a team with these `members` (a queryset of memberships,
    counted only when the plan has a limit, or their number when the caller has read it
    already). Pending invites don't count here."""
    limit = team_seat_limit(owner)
    if limit is None:
        return True
    count = members if isinstance(members, int) else members.count()
    return limit > 1 and count + 1 <= limit


def check_can_add_members(
    owner: User, *, members, pending=None, adding: int = 1, joining: bool = False
) -> None:
    """Raise LimitReached unless `owner` (freshly locked) may seat `adding` more people beside
    the team's `members` and the `pending` invites, which hold their seats until answered.
    Both are querysets, counted only when the plan has a limit. `joining` is for a person
    accepting an invite: the message then speaks to them rather than to the owner."""
    limit = team_seat_limit(owner)
    if limit is None:
        return
    taken = 0 if limit <= 1 else members.count() + (pending.count() if pending is not None else 0)
    if limit > 1 and taken + adding <= limit - 1:
        return
    if joining:
        raise LimitReached(
            f"{owner.display_name}'s team is full. Ask them to make room or upgrade their plan."
        )
    if limit <= 1:
        raise LimitReached(
            "Teams are part of the Pro and Enterprise plans. Upgrade to invite people."
        )
    raise LimitReached(
        f"Your {plan_for(owner).label} plan allows a team of {limit} "
        f"(you and {limit - 1} others), counting invites not yet answered. Revoke an invite "
        "or remove a member first, or upgrade to Enterprise."
    )


def usage(user: User) -> dict:
    """Figures for a usage bar: used, limit (None when unlimited) and percent."""
    limit = prompt_limit(user)
    used = user.prompt_count
    percent = 0 if not limit else min(100, round(100 * used / limit))
    return {"used": used, "limit": limit, "percent": percent, "plan": plan_for(user)}
