"""Export the vault, a folder or a selection, streamed."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.prompts import export, selectors, validation
from apps.prompts.access import get_vault_owner_for
from apps.prompts.forms import ExportForm

CONTENT_TYPES = {
    "json": ("application/json; charset=utf-8", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "markdown": ("application/zip", "zip"),
}


@login_required
@require_http_methods(["GET", "POST"])
def prompt_export(request: HttpRequest) -> HttpResponse:
    """Without a format, the page to choose one; with it, the download.

    The vault's selection arrives by POST (the bulk form carries a CSRF token, which must not
    end up in a URL); that only shows the page, whose own form then downloads by GET."""
    params = request.POST if request.method == "POST" else request.GET
    owner = get_vault_owner_for(request.user, params.get("vault") or request.GET.get("vault")).owner
    ids = validation.well_formed_ids(params.getlist("ids"))
    page = {
        "owner": owner,
        "ids": ids,
        "folders": selectors.folder_tree(owner),
        "formats": ExportForm.FORMATS,
        "selected_folder": params.get("folder", ""),
        "selected_format": params.get("format")
        if params.get("format") in CONTENT_TYPES
        else "json",
    }
    if request.method == "POST" or "format" not in request.GET:
        return render(request, "prompts/export.html", {**page, "form": ExportForm()})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "prompts/export.html", {**page, "form": form}, status=400)
    scope = "selection" if ids else form.cleaned_data["scope"]
    folder = form.cleaned_data["folder"] if scope == "folder" else ""
    queryset = selectors.vault_prompts(owner, folder=folder)
    if scope == "selection":
        queryset = queryset.filter(pk__in=ids)
    fmt = form.cleaned_data["format"]
    content_type, extension = CONTENT_TYPES[fmt]
    if fmt == "json":
        body = export.stream_json(queryset, owner_name=owner.display_name)
    elif fmt == "csv":
        body = export.stream_csv(queryset)
    else:
        body = export.stream_markdown_zip(queryset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="promptvault-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response
