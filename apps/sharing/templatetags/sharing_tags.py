from django import template
from django.utils import timezone

from apps.prompts.access import PromptAccess
from apps.sharing import selectors
from apps.sharing.forms import ShareCreateForm

register = template.Library()


@register.inclusion_tag("sharing/_share_panel.html", takes_context=True)
def share_panel(context, access: PromptAccess):
    """The sharing card on a prompt's page; empty for anyone but the owner. The role comes from
    the page's access object."""
    request = context["request"]
    if not access.can_share:
        return {"hidden": True}
    prompt = access.prompt
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "prompt": prompt,
        "shares": list(selectors.shares_of(prompt)[:10]),
        "form": ShareCreateForm(),
        "now": timezone.now(),
        "next": request.get_full_path(),
    }
