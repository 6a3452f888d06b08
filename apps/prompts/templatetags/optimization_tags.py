from django import template

from apps.prompts.access import PromptAccess
from apps.prompts.services.optimization import refusal_reason

register = template.Library()

# Rewrites listed on a prompt's page, newest first.
HISTORY_SHOWN = 10
LISTED_FIELDS = (
    "prompt_id",
    "created_at",
    "status",
    "score_before",
    "score_after",
    "result_version__version",
)


@register.inclusion_tag("prompts/_optimization_panel.html", takes_context=True)
def optimization_panel(context, access: PromptAccess):
    """The "Optimize with AI" card on a prompt's page, with its history of rewrites. Editors get
    the button, or the reason they can't use it; viewers see only the history. The role comes
    from the page's access object, so the card asks nothing more about it."""
    request = context["request"]
    prompt = access.prompt
    # The card lists when, how it went and the version it made: not the texts themselves,
    # which are up to two copies of the prompt per rewrite.
    history = list(
        prompt.optimizations.select_related("result_version")
        .only(*LISTED_FIELDS)
        .order_by("-created_at")[:HISTORY_SHOWN]
    )
    if not access.can_edit and not history:
        return {"hidden": True}
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "access": access,
        "prompt": prompt,
        "refusal": refusal_reason(prompt=prompt, user=request.user, can_edit=True)
        if access.can_edit
        else None,
        "running": any(item.status == "running" for item in history),
        "history": history,
    }
