"""Reaching shares and public prompts. Only a prompt's owner manages its links (404 for people
who can't see the prompt, 403 for team members who can); anyone may open a live link."""

import re

from django.http import Http404

from apps.accounts.models import User
from apps.prompts.access import Action, get_prompt_for
from apps.prompts.models import Prompt
from apps.sharing.models import Share

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def get_share_for(user: User, pk) -> Share:
    """A share link its owner manages (revoke, list)."""
    try:
        share = Share.objects.select_related("prompt").defer("prompt__search_vector").get(pk=pk)
    except (Share.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such link.") from error
    get_prompt_for(user, share.prompt_id, action=Action.SHARE)
    return share


def valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code or ""))


def get_public_prompt(user: User, pk) -> Prompt:
    """A public prompt for anyone; a private one only for its owner (404 for everyone else)."""
    try:
        prompt = Prompt.objects.select_related("user").prefetch_related("tags").get(pk=pk)
    except (Prompt.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such prompt.") from error
    if not prompt.is_public and not (user.is_authenticated and user.pk == prompt.user_id):
        raise Http404("No such prompt.")
    return prompt
