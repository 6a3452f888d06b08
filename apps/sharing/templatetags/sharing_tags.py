from django import template
from django.utils import timezone

from apps.prompts.access import PromptAccess
from apps.sharing import selectors
from apps.sharing.forms import ShareCreateForm

register = template.Library()


@register.inclusion_tag("sharing/_share_panel.html", takes_context=True)
def share_panel(context, access: PromptAccess):
    """The sharing card on a prompt's page. The owner manages visibility and links; the team
    sees whether the prompt is public and how many links show it, since an edit they save shows
    through every link that follows the newest version. The role comes from the page's access
    object."""
    request = context["request"]
    prompt = access.prompt
    if not access.can_share:
        return {"prompt": prompt, "links": selectors.live_link_counts(prompt)}
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "prompt": prompt,
        "shares": list(selectors.shares_of(prompt)[:10]),
        "form": ShareCreateForm(),
        "now": timezone.now(),
        "next": request.get_full_path(),
    }
