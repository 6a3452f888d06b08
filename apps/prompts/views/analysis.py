"""The prompt check: the offline analyzer's panel, live in the editor and read-only on the
prompt page. Free on every plan: it reads only the text it is sent and stores nothing."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from apps.prompts.analyzer import Analysis, analyze
from apps.prompts.validation import CONTENT_MAX, MODEL_MAX, clean_metadata
from apps.prompts.variables import declared_variables
from apps.sharing.ratelimit import take

PANEL = "prompts/analysis.html#panel"


def analysis_panel(content, model=None, metadata=None, *, editable: bool) -> dict:
    """The panel's context for `content` as typed or saved: its analysis, or why there is none.
    `metadata` may be a dict or the editor's JSON text; declared variables are read from it
    when it parses."""
    text = _normalised(content)
    context = {"analysis_editable": editable, "analysis": None, "analysis_error": ""}
    if len(text) > CONTENT_MAX:
        context["analysis_error"] = (
            f"The content has {len(text):,} characters, more than the {CONTENT_MAX:,} a "
            "prompt may hold: shorten it to see the check."
        )
        return context
    if not text.strip():
        return context
    analysis = analyze(text, model=_model(model), declared=_declared(metadata))
    context["analysis"] = analysis
    context["analysis_band"] = _band(analysis)
    return context


def _normalised(content) -> str:
    # As the editor's textarea holds it (and as clean_content saves it): \n line ends only, so
    # the findings' offsets point at the same characters in the browser.
    text = content if isinstance(content, str) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _model(model) -> str | None:
    return model.strip()[:MODEL_MAX] or None if isinstance(model, str) else None


def _declared(metadata) -> list[str] | None:
    if isinstance(metadata, str):
        try:
            metadata = clean_metadata(metadata)
        except ValidationError:
            return None  # the editor shows the metadata's own error; the check goes on without
    names = list(declared_variables(metadata))
    return names or None


def _band(analysis: Analysis) -> str:
    if analysis.score >= 80:
        return "good"
    if analysis.score >= 50:
        return "fair"
    return "poor"


@login_required
@require_POST
def prompt_analyze(request: HttpRequest) -> HttpResponse:
    """Check the text posted from the editor (saved or not) and answer the panel; a plain POST
    gets it as a page of its own. Limited per account to ANALYZER_RATE_LIMIT_PER_MINUTE, which
    typing with the editor's pause never reaches."""
    template = PANEL if request.htmx else "prompts/analysis.html"
    retry_after = take(
        f"analyze:account:{request.user.pk}", limit=settings.ANALYZER_RATE_LIMIT_PER_MINUTE
    )
    if retry_after:
        context = {
            "analysis_editable": True,
            "analysis": None,
            "analysis_error": f"Checking paused: too many checks in a minute. It resumes in "
            f"{retry_after} s; your text is untouched.",
        }
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    context = analysis_panel(
        request.POST.get("content", ""),
        request.POST.get("model", ""),
        request.POST.get("metadata", ""),
        editable=True,
    )
    status = 400 if context["analysis_error"] else 200
    return render(request, template, context, status=status)
