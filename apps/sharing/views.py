from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.prompts import selectors as prompt_selectors
from apps.prompts.access import Action, get_prompt_for
from apps.prompts.export import markdown_document, prompt_record
from apps.prompts.models import Prompt, model_label
from apps.prompts.search import mark_snippets
from apps.prompts.selectors import with_tags
from apps.prompts.variables import (
    fill_variables,
    find_variables,
    highlight_variables,
    variable_fields,
)
from apps.sharing import selectors, services
from apps.sharing.access import get_public_prompt, get_share_for, valid_code
from apps.sharing.forms import GalleryFilterForm, ShareCreateForm
from apps.sharing.models import Share
from apps.sharing.ratelimit import rate_limited, search_rate_limited
from promptvault import form_errors
from promptvault.entitlements import LimitReached

GALLERY_PAGE_SIZE = 24
LINKS_PAGE_SIZE = 50
DOWNLOAD_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def private_to_visitors(view):
    """Headers for pages reached by link: kept out of search engines, no referrer sent off-site.

    `same-origin`, not `no-referrer`: that one makes browsers send `Origin: null` with the
    page's own forms (save to vault), which the CSRF check refuses."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(request, "errors/404.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    # Only a path: redirect() would take a bare word for a URL name and fail to reverse it.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return fallback


# --- Managing links (the prompt's owner) ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def share_manage(request: HttpRequest, pk) -> HttpResponse:
    prompt = get_prompt_for(request.user, pk, action=Action.SHARE).prompt
    form = ShareCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            version = None
            if form.cleaned_data["pin_version"]:
                version = prompt_selectors.latest_version(prompt)
            share = services.share_create(
                prompt=prompt,
                shared_by=request.user,
                expires_in=form.cleaned_data["expires_in"],
                version=version,
            )
            messages.success(request, "Share link created. Copy it and send it to anyone.")
            fallback = reverse("sharing:manage", kwargs={"pk": prompt.pk}) + f"#share-{share.pk}"
            return redirect(_back(request, fallback))
        if request.POST.get("next"):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(_back(request, reverse("sharing:manage", kwargs={"pk": prompt.pk})))
    page = Paginator(selectors.shares_of(prompt), LINKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/manage.html",
        {
            "prompt": prompt,
            "page": page,
            "shares": page.object_list,
            "form": form,
            "now": services.timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk) -> HttpResponse:
    share = get_share_for(request.user, pk)
    services.share_revoke(share=share)
    messages.success(request, "The link was revoked. Anyone opening it now sees that it's gone.")
    return redirect(_back(request, reverse("sharing:manage", kwargs={"pk": share.prompt_id})))


@login_required
@require_POST
def prompt_visibility(request: HttpRequest, pk) -> HttpResponse:
    prompt = get_prompt_for(request.user, pk, action=Action.SHARE).prompt
    make_public = request.POST.get("is_public") == "true"
    services.prompt_set_visibility(prompt=prompt, author=request.user, is_public=make_public)
    if make_public:
        messages.success(
            request, "The prompt is public: anyone can open it and find it in Explore."
        )
    else:
        messages.success(request, "The prompt is private again. It left the public gallery.")
    return redirect(_back(request, reverse("prompts:detail", kwargs={"pk": prompt.pk})))


# --- What visitors see --------------------------------------------------------------------------


def _visitor_context(request: HttpRequest, prompt: Prompt, content: str, **extra) -> dict:
    variables = find_variables(content)
    values = {name: request.GET.get(f"var_{name}", "") for name in variables}
    return {
        "prompt": prompt,
        "content": content,
        "highlighted": highlight_variables(content),
        "variables": variable_fields(content, prompt.metadata, values),
        "filled": fill_variables(content, values),
        "author_name": services.public_name(prompt.user),
        "model_label": model_label(prompt.model),
        "tags": list(prompt.tags.all()),
        **extra,
    }


def _gone(request: HttpRequest, share: Share) -> HttpResponse:
    reason = "revoked" if share.revoked_at else "expired"
    return render(request, "sharing/gone.html", {"reason": reason}, status=410)


def _live_share(code: str) -> Share:
    """The link for `code`, or 404 for a code that is malformed or unknown."""
    if not valid_code(code):
        raise Http404("No such link.")
    share = selectors.share_by_code(code)
    if share is None:
        raise Http404("No such link.")
    return share


def _snapshot(prompt: Prompt, **changes) -> Prompt:
    """An unsaved copy of `prompt` with `changes`, for showing it as it was at some point."""
    snapshot = Prompt(
        **{
            f.attname: getattr(prompt, f.attname)
            for f in Prompt._meta.concrete_fields
            if not f.generated
        }
    )
    snapshot.user = prompt.user
    for name, value in changes.items():
        setattr(snapshot, name, value)
    return snapshot


def _shared_prompt(share: Share) -> tuple[Prompt, int | None]:
    """The prompt as the link shows it, and the version it is pinned to (None when it follows
    the prompt). A pinned link shows its version's content and metadata, last updated when
    that version was saved; what versions don't record (name, model, folder, tags) is current."""
    if not share.version_id:
        return share.prompt, None
    pinned = share.version
    prompt = _snapshot(
        share.prompt,
        content=pinned.content,
        metadata=pinned.metadata,
        updated_at=pinned.created_at,
    )
    return prompt, pinned.version


@private_to_visitors
@rate_limited("share")
@require_GET
def share_page(request: HttpRequest, code: str) -> HttpResponse:
    if not valid_code(code):
        raise Http404("No such link.")
    counted = services.share_record_view(code=code)
    share = _live_share(code)
    if not counted:
        return _gone(request, share)
    prompt, version = _shared_prompt(share)
    context = _visitor_context(
        request,
        prompt,
        prompt.content,
        share=share,
        pinned_version=version,
        download_urls={
            fmt: reverse("sharing:share_download", kwargs={"code": code, "fmt": fmt})
            for fmt in DOWNLOAD_TYPES
        },
        save_url=reverse("sharing:share_save", kwargs={"code": code}),
    )
    return render(request, "sharing/public_prompt.html", context)


def _download(prompt: Prompt, content: str, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOAD_TYPES:
        raise Http404("No such format.")
    snapshot = _snapshot(prompt, content=content)
    tags = [{"name": tag.name, "color": tag.color} for tag in prompt.tags.all()]
    if fmt == "txt":
        body = content
    elif fmt == "md":
        body = markdown_document(snapshot, tags)
    else:
        record = prompt_record(snapshot, tags)
        record.pop("id", None)
        record.pop("is_public", None)
        record["author"] = services.public_name(prompt.user)
        return JsonResponse(
            record,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
            headers={"Content-Disposition": _attachment(prompt, "json")},
        )
    response = HttpResponse(body, content_type=DOWNLOAD_TYPES[fmt])
    response["Content-Disposition"] = _attachment(prompt, fmt)
    return response


def _attachment(prompt: Prompt, fmt: str) -> str:
    return f'attachment; filename="{slugify(prompt.name)[:80] or "prompt"}.{fmt}"'


@private_to_visitors
@rate_limited("share")
@require_GET
def share_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    share = _live_share(code)
    if not Share.objects.filter(services.live_shares_q(), pk=share.pk).exists():
        return _gone(request, share)
    prompt, _version = _shared_prompt(share)
    return _download(prompt, prompt.content, fmt)


@private_to_visitors
@login_required
@require_POST
def share_save(request: HttpRequest, code: str) -> HttpResponse:
    share = _live_share(code)
    if not Share.objects.filter(services.live_shares_q(), pk=share.pk).exists():
        return _gone(request, share)
    prompt, version = _shared_prompt(share)
    return _fork(
        request,
        prompt,
        prompt.content,
        via="share",
        version=version,
        back=reverse("sharing:share_page", kwargs={"code": code}),
    )


def _fork(request, prompt: Prompt, content: str, *, via: str, version, back: str) -> HttpResponse:
    try:
        copy = services.prompt_fork(
            prompt=prompt, user=request.user, content=content, via=via, version=version
        )
    except LimitReached as error:
        messages.error(request, error.as_html())
        return redirect(back)
    except ValidationError as error:
        messages.error(request, form_errors.as_text(error))
        return redirect(back)
    messages.success(request, f"Saved “{copy.name}” to your vault.")
    return redirect("prompts:detail", pk=copy.pk)


@private_to_visitors
@rate_limited("public")
@require_GET
def public_page(request: HttpRequest, pk) -> HttpResponse:
    prompt = get_public_prompt(request.user, pk)
    context = _visitor_context(
        request,
        prompt,
        prompt.content,
        is_owner_preview=not prompt.is_public,
        download_urls={
            fmt: reverse("sharing:public_download", kwargs={"pk": pk, "fmt": fmt})
            for fmt in DOWNLOAD_TYPES
        },
        save_url=reverse("sharing:public_save", kwargs={"pk": pk}),
    )
    return render(request, "sharing/public_prompt.html", context)


@private_to_visitors
@rate_limited("public")
@require_GET
def public_download(request: HttpRequest, pk, fmt: str) -> HttpResponse:
    prompt = get_public_prompt(request.user, pk)
    return _download(prompt, prompt.content, fmt)


@login_required
@require_POST
def public_save(request: HttpRequest, pk) -> HttpResponse:
    prompt = get_public_prompt(request.user, pk)
    return _fork(
        request,
        prompt,
        prompt.content,
        via="public",
        version=None,
        back=reverse("sharing:public_page", kwargs={"pk": pk}),
    )


@search_rate_limited
@require_GET
def explore(request: HttpRequest) -> HttpResponse:
    form = GalleryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {key: filters.get(key) or "" for key in ("q", "model", "tag", "sort")}
    queryset = selectors.gallery_prompts(**filters)
    page = Paginator(queryset, GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_tags(page.object_list)
    mark_snippets(page.object_list, filters["q"])
    context = {
        "page": page,
        "filters": filters,
        "models": selectors.gallery_models(),
        "public_name": services.public_name,
    }
    if request.htmx and request.htmx.target == "gallery":
        return render(request, "sharing/explore.html#gallery", context)
    return render(request, "sharing/explore.html", context)
