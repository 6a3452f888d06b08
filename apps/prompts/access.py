"""Who may see and change which prompt. Every view reaches prompts, versions and tags through
these helpers: an object the user may not see answers 404 (so ids don't leak), an action their
role doesn't allow answers 403."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.accounts.models import User
from apps.prompts.models import Prompt, PromptOptimization, PromptVersion, Tag


class Action(StrEnum):
    VIEW = "view"  # read, history, diff, fill-and-copy, export, fork
    EDIT = "edit"  # content, name, folder, tags
    DELETE = "delete"  # owner only
    SHARE = "share"  # share links and public visibility: owner only


OWNER = "owner"
EDITOR = "editor"
VIEWER = "viewer"

_ALLOWED = {
    OWNER: set(Action),
    EDITOR: {Action.VIEW, Action.EDIT},
    VIEWER: {Action.VIEW},
}


def role_in_vault(user: User, owner_id) -> str | None:
    """The user's role in the vault of `owner_id`, or None when they have no access."""
    if not user.is_authenticated:
        return None
    if user.pk == owner_id:
        return OWNER
    from apps.teams.selectors import member_role

    return member_role(user=user, owner_id=owner_id)


def can(user: User, owner_id, action: Action) -> bool:
    role = role_in_vault(user, owner_id)
    return role is not None and action in _ALLOWED[role]


def _check(user: User, owner_id, action: Action) -> None:
    role = role_in_vault(user, owner_id)
    if role is None:
        raise Http404("No such prompt.")
    if action not in _ALLOWED[role]:
        raise PermissionDenied(f"Your role in this vault can't {action.value} prompts.")


def get_prompt_for(user: User, pk, *, action: Action = Action.VIEW) -> Prompt:
    try:
        prompt = Prompt.objects.select_related("user").get(pk=pk)
    except (Prompt.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404("No such prompt.") from error
    _check(user, prompt.user_id, action)
    return prompt


def get_version_for(
    user: User, prompt_pk, number, *, action: Action = Action.VIEW
) -> PromptVersion:
    prompt = get_prompt_for(user, prompt_pk, action=action)
    try:
        return prompt.versions.select_related("created_by").get(version=int(number))
    except (PromptVersion.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404("No such version.") from error


def get_tag_for(user: User, pk, *, action: Action = Action.EDIT) -> Tag:
    try:
        tag = Tag.objects.get(pk=pk)
    except (Tag.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404("No such tag.") from error
    _check(user, tag.user_id, action)
    return tag


def get_vault_owner_for(user: User, owner_pk=None, *, action: Action = Action.VIEW) -> User:
    """The owner of the vault being browsed: the user's own, or one shared with them."""
    if owner_pk is None or str(owner_pk) == str(user.pk):
        return user
    try:
        owner = User.objects.get(pk=owner_pk)
    except (User.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404("No such vault.") from error
    _check(user, owner.pk, action)
    return owner


def get_optimization_for(
    user: User, prompt_pk, optimization_pk, *, action: Action = Action.VIEW
) -> PromptOptimization:
    """An AI rewrite of a prompt the user may `action`, its prompt (with owner) attached."""
    prompt = get_prompt_for(user, prompt_pk, action=action)
    try:
        optimization = prompt.optimizations.select_related(
            "requested_by", "base_version", "result_version"
        ).get(pk=optimization_pk)
    except (PromptOptimization.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        raise Http404("No such optimization.") from error
    optimization.prompt = prompt
    return optimization
