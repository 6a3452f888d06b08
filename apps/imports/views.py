import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from apps.imports import services, tasks
from apps.imports.access import get_session_for
from apps.imports.forms import ImportChoicesForm, SourceForm, UploadForm
from apps.imports.models import ImportSession, ImportSource
from apps.imports.uploads import SizeLimitedUploadHandler, declared_too_large
from promptvault import entitlements

PREVIEW_PAGE_SIZE = 50
FINISHED = {
    ImportSession.Status.DONE,
    ImportSession.Status.FAILED,
    ImportSession.Status.CANCELLED,
    ImportSession.Status.EXPIRED,
}


def _history(user):
    return ImportSession.objects.filter(user=user).order_by("-created_at")[:20]


@csrf_exempt
@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    """The upload form and past imports. The upload handler is installed before the body is
    read, which is why CSRF is checked inside rather than by the middleware."""
    if request.method == "POST":
        if declared_too_large(request):
            return _upload_page(request, UploadForm(), status=413, error=services.too_big_message())
        limiter = SizeLimitedUploadHandler(request)
        request.upload_handlers.insert(0, limiter)
        return _upload(request, limiter)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return _upload_page(request, UploadForm())


@csrf_protect
def _upload(request: HttpRequest, limiter: SizeLimitedUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if limiter.exceeded:
        return _upload_page(request, UploadForm(), status=413, error=services.too_big_message())
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    try:
        session = services.session_create(
            user=request.user, files=form.cleaned_data["files"], source=form.cleaned_data["source"]
        )
    except services.ImportRefused as error:
        return _upload_page(request, form, status=400, error=str(error))
    transaction.on_commit(lambda: tasks.extract_upload.enqueue(str(session.pk)))
    return redirect("imports:detail", pk=session.pk)


def _upload_page(request, form, *, status: int = 200, error: str = "") -> HttpResponse:
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "upload_error": error,
            "sessions": _history(request.user),
            "max_upload_mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def import_detail(request: HttpRequest, pk) -> HttpResponse:
    session = get_session_for(request.user, pk)
    context = {"session": session}
    if request.htmx and request.htmx.target == "import-progress":
        response = render(request, "imports/detail.html#progress", context)
        if session.status not in (
            ImportSession.Status.UPLOADED,
            ImportSession.Status.EXTRACTING,
            ImportSession.Status.IMPORTING,
        ):
            response["HX-Refresh"] = "true"
        return response
    if session.status == ImportSession.Status.READY:
        context.update(_preview_context(request, session))
    elif session.status == ImportSession.Status.DONE:
        imported = (
            session.candidates.filter(prompt__isnull=False)
            .select_related("prompt")
            .defer("prompt__search_vector")
            .order_by("position")
        )
        context["imported_page"] = Paginator(imported, PREVIEW_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["skipped"] = session.metadata.get("skipped", {})
    return render(request, "imports/detail.html", context)


def _preview_context(request, session: ImportSession) -> dict:
    candidates = session.candidates.order_by("position").defer("versions", "metadata")
    # "Likely prompts only" hides small talk and the older near-copies from the list.
    likely_only = request.GET.get("show") == "likely"
    if likely_only:
        candidates = candidates.filter(unlikely_reason="", near_duplicate_of__isnull=True)
    page = Paginator(candidates, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = session.candidates.aggregate(**_count_fields())
    room = entitlements.prompt_room(request.user)
    default_folder = f"imports/{session.source}" if session.source else "imports"
    if session.metadata.get("own_export"):
        default_folder = ""  # PromptVault's own export: each prompt keeps its folder
    return {
        "page": page,
        "likely_only": likely_only,
        "counts": counts,
        "room": room,
        "choices_form": ImportChoicesForm(initial={"folder": default_folder}),
        "source_form": SourceForm(initial={"source": session.source}),
        "sources": ImportSource.choices,
    }


def _count_fields() -> dict:
    from django.db.models import Count, Q

    return {
        "total": Count("id"),
        "selected": Count("id", filter=Q(selected=True)),
        "duplicates": Count("id", filter=~Q(duplicate="")),
        "drafts": Count("id", filter=Q(kept=False)),
        "unlikely": Count("id", filter=~Q(unlikely_reason="")),
        "near_duplicates": Count("id", filter=Q(near_duplicate_of__isnull=False)),
    }


@login_required
@require_POST
def import_select(request: HttpRequest, pk) -> HttpResponse:
    session = get_session_for(request.user, pk)
    back = reverse("imports:detail", kwargs={"pk": session.pk})
    if session.status != ImportSession.Status.READY:
        messages.error(request, "This import is not waiting for your choice any more.")
        return redirect(back)
    mode = request.POST.get("mode", "")
    try:
        if mode:
            services.candidates_select_all(session=session, mode=mode)
        else:
            services.candidates_select(
                session=session,
                ids_on_page=_candidate_ids(request.POST.getlist("on_page")),
                selected_ids=_candidate_ids(request.POST.getlist("selected")),
            )
    except services.ImportRefused as error:
        messages.error(request, str(error))
    if request.htmx:
        counts = session.candidates.aggregate(**_count_fields())
        return render(
            request, "imports/detail.html#selection_count", {"counts": counts, "session": session}
        )
    page = request.POST.get("page", "")
    query = {"page": page} if page.isdigit() else {}
    if request.POST.get("show") == "likely":
        query["show"] = "likely"
    return redirect(f"{back}?{urlencode(query)}" if query else back)


def _candidate_ids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed ids among the checkboxes sent; anything else names no candidate."""
    ids = []
    for value in values[: PREVIEW_PAGE_SIZE * 2]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    return ids


@login_required
@require_POST
def import_source(request: HttpRequest, pk) -> HttpResponse:
    """Read the upload again as another source than the one detected."""
    session = get_session_for(request.user, pk)
    form = SourceForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ImportRefused(
                "Choose one of the offered sources for a file still waiting for review."
            )
        services.session_reread(session=session, source=form.cleaned_data["source"])
    except services.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("imports:detail", pk=session.pk)
    transaction.on_commit(lambda: tasks.extract_upload.enqueue(str(session.pk)))
    return redirect("imports:detail", pk=session.pk)


@login_required
@require_POST
def import_start(request: HttpRequest, pk) -> HttpResponse:
    session = get_session_for(request.user, pk)
    form = ImportChoicesForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("imports:detail", pk=session.pk)
    try:
        services.session_start_import(
            session=session, folder=form.cleaned_data["folder"], tags=form.cleaned_data["tags"]
        )
    except services.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("imports:detail", pk=session.pk)
    transaction.on_commit(lambda: tasks.import_selected.enqueue(str(session.pk)))
    return redirect("imports:detail", pk=session.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk) -> HttpResponse:
    session = get_session_for(request.user, pk)
    if session.status in FINISHED or session.status == ImportSession.Status.IMPORTING:
        messages.error(request, "This import can't be cancelled now.")
        return redirect("imports:detail", pk=session.pk)
    services.session_discard(session=session)
    messages.success(request, "The upload was discarded. Nothing was imported.")
    return redirect("imports:list")
