from django import template
from django.utils import timezone

from apps.prompts.access import Action, can
from apps.sharing import selectors
from apps.sharing.forms import ShareCreateForm

register = template.Library()


@register.inclusion_tag("sharing/_share_panel.html", takes_context=True)
def share_panel(context, prompt):
    """The sharing card on a prompt's page; empty for anyone but the owner."""
    request = context["request"]
    if not can(request.user, prompt.user_id, Action.SHARE):
        return {"hidden": True}
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "prompt": prompt,
        "shares": list(selectors.shares_of(prompt)[:10]),
        "form": ShareCreateForm(),
        "now": timezone.now(),
        "next": request.get_full_path(),
    }
