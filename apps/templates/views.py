"""The template library: browse, read, preview, use, rate, and publish a prompt as a template.
Browsing and previewing are open to everyone; using and rating ask signed-out visitors to log
in first and bring them back with what they typed."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.prompts.access import Action, get_prompt_for
from apps.prompts.variables import highlight_variables
from apps.sharing.ratelimit import search_rate_limited
from apps.sharing.services import public_name
from apps.templates import selectors, services
from apps.templates.declarations import read_declarations
from apps.templates.forms import LibraryFilterForm, PublishForm
from apps.templates.models import PromptTemplate, TemplateRating
from promptvault import entitlements, form_errors
from promptvault.entitlements import LimitReached

PAGE_SIZE = 24
# Values carried through the log-in page travel in its URL; past this they are left out.
NEXT_URL_MAX = 2_000


def get_template_for(slug) -> PromptTemplate:
    """The library is public: any template can be read by anyone; an unknown slug is a 404."""
    template = PromptTemplate.objects.select_related("created_by").filter(slug=slug).first()
    if template is None:
        raise Http404("No such template.")
    return template


@search_rate_limited
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    filters = LibraryFilterForm(request.GET or None).filters()
    page = Paginator(selectors.library(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = services.categories()
    page.object_list = list(page.object_list)
    for template in page.object_list:
        template.category_label = labels.get(template.category, template.category)
        template.author_name = public_name(template.created_by)
    context = {
        "page": page,
        "filters": filters,
        "category_label": labels.get(filters["category"], filters["category"]),
        "categories": [
            {"slug": slug, "label": label, "count": count}
            for slug, label, count in _with_counts(labels, selectors.category_counts())
        ],
    }
    if request.htmx and request.htmx.target == "library":
        return render(request, "prompt_templates/list.html#library", context)
    return render(request, "prompt_templates/list.html", context)


def _with_counts(labels: dict[str, str], counts: dict[str, int]):
    for slug, label in labels.items():
        yield slug, label, counts.get(slug, 0)
    for slug in sorted(set(counts) - set(labels)):
        yield slug, slug.replace("-", " ").capitalize(), counts[slug]


@require_GET
def template_detail(request: HttpRequest, slug) -> HttpResponse:
    template = get_template_for(slug)
    return _render_detail(request, template, _typed_values(request.GET, template))


@require_POST
def template_preview(request: HttpRequest, slug) -> HttpResponse:
    """The template filled with the form's values: the live preview's partial for htmx, the
    whole page (form kept) without JavaScript."""
    template = get_template_for(slug)
    values = _typed_values(request.POST, template)
    if request.htmx:
        return render(
            request,
            "prompt_templates/detail.html#preview",
            _detail_context(request, template, values),
        )
    return _render_detail(request, template, values)


@require_POST
def template_use(request: HttpRequest, slug) -> HttpResponse:
    template = get_template_for(slug)
    values = _typed_values(request.POST, template)
    if not request.user.is_authenticated:
        return redirect_to_login(_detail_url_with(template, values))
    try:
        prompt = services.template_use(template=template, user=request.user, values=values)
    except LimitReached as error:
        return _render_detail(request, template, values, limit_error=error)
    except ValidationError as error:
        return _render_detail(
            request, template, values, errors=form_errors.messages_by_field(error)
        )
    messages.success(request, f"“{prompt.name}” was added to your vault from the template.")
    return redirect("prompts:detail", pk=prompt.pk)


@require_POST
def template_rate(request: HttpRequest, slug) -> HttpResponse:
    template = get_template_for(slug)
    detail_url = reverse("templates:detail", kwargs={"slug": template.slug})
    if not request.user.is_authenticated:
        return redirect_to_login(detail_url)
    try:
        services.template_rate(
            template=template, user=request.user, score=request.POST.get("score")
        )
    except ValidationError as error:
        messages.error(request, form_errors.as_text(error))
    else:
        messages.success(request, "Thanks: your rating was saved.")
    return redirect(detail_url + "#rating")


@login_required
@require_http_methods(["GET", "POST"])
def template_publish(request: HttpRequest, pk) -> HttpResponse:
    prompt = get_prompt_for(request.user, pk, action=Action.SHARE).prompt
    labels = services.categories()
    existing = prompt.published_templates.filter(created_by=request.user, is_official=False).first()
    initial = {"category": existing.category if existing else "", "description": ""}
    form = PublishForm(request.POST or None, initial=initial, categories=labels)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_publish(
                prompt=prompt,
                user=request.user,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        else:
            messages.success(request, f"“{template.name}” is in the template library.")
            return redirect("templates:detail", slug=template.slug)
    return render(
        request,
        "prompt_templates/publish.html",
        {"form": form, "prompt": prompt, "existing": existing},
    )


@login_required
@require_POST
def template_unpublish(request: HttpRequest, slug) -> HttpResponse:
    template = get_template_for(slug)
    services.template_unpublish(template=template, user=request.user)
    messages.success(request, f"“{template.name}” was taken out of the template library.")
    return redirect("templates:list")


def _typed_values(data: QueryDict, template: PromptTemplate) -> dict[str, str]:
    """The var_<name> values of the template's variables present in `data`."""
    values = {}
    for declaration in read_declarations(template.content, template.variables):
        value = data.get(f"var_{declaration['name']}")
        if value is not None:
            values[declaration["name"]] = value
    return values


def _detail_url_with(template: PromptTemplate, values: dict[str, str]) -> str:
    """The template's page with the values in its query, as many as fit in a sane URL; those
    that don't are named in `left_out`, so the page can ask for them again."""
    url = reverse("templates:detail", kwargs={"slug": template.slug})
    # Room for naming every value left out, which the page then asks for again.
    room = NEXT_URL_MAX - len(urlencode({"left_out": ",".join(values)}))
    kept: dict[str, str] = {}
    left_out: list[str] = []
    for name, value in values.items():
        trial = {**kept, f"var_{name}": value}
        if len(url) + 1 + len(urlencode(trial)) <= room:
            kept = trial
        else:
            left_out.append(name)
    if left_out:
        kept["left_out"] = ",".join(left_out)
    return f"{url}?{urlencode(kept)}" if kept else url


def _detail_context(
    request: HttpRequest,
    template: PromptTemplate,
    values: dict[str, str],
    *,
    errors: dict[str, list[str]] | None = None,
    limit_error: LimitReached | None = None,
) -> dict:
    errors = errors or {}
    declarations = read_declarations(template.content, template.variables)
    shown = {
        item["name"]: values[item["name"]] if item["name"] in values else item["default"]
        for item in declarations
    }
    fields = [
        {**item, "value": shown[item["name"]], "error": " ".join(errors.get(item["name"], []))}
        for item in declarations
    ]
    # Values too long to come back through logging in (`_detail_url_with`), by their labels.
    left_out_names = set(request.GET.get("left_out", "").split(","))
    left_out = [
        item["label"] or item["name"] for item in declarations if item["name"] in left_out_names
    ]
    try:
        preview = services.fill_template(template.content, shown)
        preview_error = ""
    except ValidationError as error:
        preview, preview_error = template.content, " ".join(error.messages)
    form_errors = [
        message
        for field, field_messages in errors.items()
        if field not in shown
        for message in field_messages
    ]
    my_score = None
    if request.user.is_authenticated:
        my_score = (
            TemplateRating.objects.filter(template=template, user=request.user)
            .values_list("score", flat=True)
            .first()
        )
    return {
        "template": template,
        "category_label": services.categories().get(template.category, template.category),
        "author_name": public_name(template.created_by),
        "highlighted": highlight_variables(template.content),
        "fields": fields,
        "preview": preview,
        "preview_error": preview_error,
        "form_errors": form_errors,
        "limit_error": limit_error,
        "left_out": left_out,
        "upgrade_url": entitlements.upgrade_url(),
        "room": entitlements.prompt_room(request.user) if request.user.is_authenticated else None,
        "my_score": my_score,
        "stars": range(1, 6),
        "is_author": request.user.is_authenticated and template.created_by_id == request.user.pk,
    }


def _render_detail(request: HttpRequest, template: PromptTemplate, values, **extra) -> HttpResponse:
    return render(
        request, "prompt_templates/detail.html", _detail_context(request, template, values, **extra)
    )
