"""Every write to the template library: the official catalogue's sync, using a template,
rating one, and publishing a prompt as a community template."""

import re
import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils.text import slugify

from apps.accounts.models import User
from apps.prompts import validation
from apps.prompts.models import Prompt
from apps.prompts.services import prompt_create
from apps.prompts.variables import VARIABLE_RE, declared_variables, find_variables
from apps.templates.declarations import check_declarations, clean_values, read_declarations
from apps.templates.models import PromptTemplate, TemplateRating

CATALOGUE_FIELDS = ("category", "name", "description", "content", "variables")
SLUG_BASE_MAX = 60


def categories() -> dict[str, str]:
    """The library's categories, slug → label, as the official catalogue defines them."""
    from apps.templates.catalogue import CATEGORIES

    return CATEGORIES


def fill_template(content: str, values: Mapping[str, str]) -> str:
    """`content` with each placeholder that has a non-empty value replaced by it, in one pass:
    a value is inserted literally, never scanned for placeholders again. Refused, before any
    text is built, when the result would be longer than a prompt may be."""
    matches = list(VARIABLE_RE.finditer(content))
    length = len(content) + sum(
        len(values[match.group(1)]) - len(match.group(0))
        for match in matches
        if values.get(match.group(1))
    )
    if length > validation.CONTENT_MAX:
        raise ValidationError(
            {
                "content": f"Filled in, this template would be {length:,} characters; a prompt "
                f"can hold {validation.CONTENT_MAX:,}. Shorten the longest values."
            }
        )
    return VARIABLE_RE.sub(lambda match: values.get(match.group(1)) or match.group(0), content)


@transaction.atomic
def catalogue_sync(*, model=PromptTemplate, entries: Iterable[dict] | None = None) -> int:
    """Upsert the official catalogue by slug; returns how many templates were added or changed.

    `model` is passed in by data migrations (their historical model). Running it again changes
    nothing. A community template holding an official slug moves to a new slug first."""
    if entries is None:
        from apps.templates.catalogue import OFFICIAL_TEMPLATES

        entries = OFFICIAL_TEMPLATES
    entries = list(entries)
    existing = {
        row.slug: row for row in model.objects.filter(slug__in=[e["slug"] for e in entries])
    }
    changed = 0
    for entry in entries:
        wanted = {field: entry[field] for field in CATALOGUE_FIELDS}
        wanted["description"] = wanted.get("description") or ""
        row = existing.get(entry["slug"])
        if row is not None and row.created_by_id is not None:
            row.slug = _free_slug(model, row.name)
            row.save(update_fields=["slug"])
            row = None
        if row is None:
            model.objects.create(slug=entry["slug"], is_official=True, **wanted)
            changed += 1
            continue
        differs = [field for field, value in wanted.items() if getattr(row, field) != value]
        if not row.is_official:
            differs.append("is_official")
            row.is_official = True
        if differs:
            for field in differs:
                setattr(row, field, wanted.get(field, getattr(row, field)))
            row.save(update_fields=[*differs, "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def template_use(
    *,
    template: PromptTemplate,
    user: User,
    values: Mapping[str, str],
    name: str | None = None,
    folder: str = "",
    tags: Iterable[str] = (),
) -> Prompt:
    """Make a prompt in `user`'s vault from `template` filled with `values` (checked against
    the declared types and required flags), counted against their plan like any new prompt,
    and count the use. Placeholders left empty stay in the prompt, with their declarations in
    its metadata, for its fill-and-copy panel."""
    declarations = read_declarations(template.content, template.variables)
    cleaned = clean_values(declarations, values)
    content = fill_template(template.content, cleaned)
    remaining = set(find_variables(content))
    prompt = prompt_create(
        owner=user,
        author=user,
        name=name or template.name,
        content=content,
        description=template.description,
        folder=folder,
        tags=tags,
        metadata={
            "template": template.slug,
            "variables": [item for item in declarations if item["name"] in remaining],
        },
        change_message=f"Made from the template “{template.name}”"[: validation.CHANGE_MESSAGE_MAX],
    )
    PromptTemplate.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1)
    return prompt


@transaction.atomic
def template_rate(*, template: PromptTemplate, user: User, score) -> TemplateRating:
    """Record `user`'s 1–5 rating (a second rating replaces the first) and set the template's
    average and count from its ratings. Ratings of one template queue on its row lock, so the
    figures stay exact when many arrive at once."""
    try:
        score = int(str(score).strip())
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": "Rate from 1 to 5 stars."})
    locked = PromptTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if locked is None:
        raise ValidationError("This template no longer exists.")
    rating, _ = TemplateRating.objects.update_or_create(
        template=locked, user=user, defaults={"score": score}
    )
    figures = TemplateRating.objects.filter(template=locked).aggregate(
        average=Avg("score"), total=Count("id")
    )
    PromptTemplate.objects.filter(pk=locked.pk).update(
        rating=figures["average"], rating_count=figures["total"]
    )
    template.rating, template.rating_count = figures["average"], figures["total"]
    return rating


@transaction.atomic
def template_publish(
    *, prompt: Prompt, user: User, category: str, description: str = ""
) -> PromptTemplate:
    """Publish the user's own prompt as a community template (never official), its variables
    taken from the content and typed as the prompt declares them. Publishing the same prompt
    again updates the template."""
    if prompt.user_id != user.pk:
        raise PermissionDenied("Only a prompt's owner can publish it as a template.")
    if category not in categories():
        raise ValidationError({"category": "Choose one of the library's categories."})
    declared = declared_variables(prompt.metadata)
    variables = [
        {
            "name": name,
            "label": declared.get(name, {}).get("label", ""),
            "description": declared.get(name, {}).get("description", ""),
            "type": declared.get(name, {}).get("type", "text"),
            "options": declared.get(name, {}).get("options", []),
            "default": "",
            "required": False,
        }
        for name in find_variables(prompt.content)
    ]
    fields = validation.clean_template(
        {
            "name": prompt.name,
            "category": category,
            "description": description or prompt.description,
            "content": prompt.content,
            "variables": check_declarations(prompt.content, variables),
        }
    )
    template = (
        PromptTemplate.objects.select_for_update()
        .filter(source_prompt=prompt, created_by=user, is_official=False)
        .first()
    )
    if template is not None:
        for field, value in fields.items():
            setattr(template, field, value)
        template.save(update_fields=[*fields, "updated_at"])
        return template
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return PromptTemplate.objects.create(
                    slug=_free_slug(PromptTemplate, fields["name"]),
                    is_official=False,
                    created_by=user,
                    source_prompt=prompt,
                    **fields,
                )
        except IntegrityError:
            continue  # another template took the slug a moment ago
    raise ValidationError("Couldn't find a free address for this template; try again.")


@transaction.atomic
def template_unpublish(*, template: PromptTemplate, user: User) -> None:
    """Take the author's community template out of the library, with its ratings."""
    if template.created_by_id != user.pk or template.is_official:
        raise PermissionDenied("Only the author can remove a community template.")
    PromptTemplate.objects.filter(pk=template.pk).delete()


@transaction.atomic
def templates_mark(
    *,
    templates: QuerySet[PromptTemplate],
    official: bool | None = None,
    featured: bool | None = None,
) -> int:
    """Staff marking templates official or featured (or neither); how many changed."""
    changes = {}
    if official is not None:
        changes["is_official"] = official
    if featured is not None:
        changes["is_featured"] = featured
    if not changes:
        return 0
    unchanged = Q(**changes)
    return templates.exclude(unchanged).update(**changes)


def _free_slug(model, name: str) -> str:
    base = slugify(name)[:SLUG_BASE_MAX].strip("-") or "template"
    base = re.sub(r"-+", "-", base)
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        if not model.objects.filter(slug=slug).exists():
            return slug
