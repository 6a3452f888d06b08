"""Prompt templates with YAML front matter: Prompty (`.prompty`, Microsoft) and Dotprompt
(`.prompt`, Google's Genkit). The body is the template and is kept as written, `{{var}}`
placeholders included, which PromptVault reads as variables too."""

from collections.abc import Iterator

from apps.imports.parsers.base import Bundle, Candidate, Member, clean_text
from apps.imports.parsers.file.common import (
    FRONT_MATTER,
    SOURCE,
    json_safe,
    read_text,
    split_front_matter,
    stem_name,
    tag_names,
    text_value,
)


def _compact(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "", {}, [])}


def _prompty_model(model) -> tuple[str, dict]:
    """The model or deployment name, and the rest of the model section as metadata. The
    current layout says `model.id`, `model.connection` and `model.options`; the older one
    `model.configuration` and `model.parameters`."""
    if isinstance(model, str):
        return model.strip()[:100], {}
    if not isinstance(model, dict):
        return "", {}
    configuration = model.get("configuration")
    configuration = configuration if isinstance(configuration, dict) else {}
    connection = model.get("connection")
    connection = connection if isinstance(connection, dict) else {}
    name = text_value(model.get("id"), 100)
    for key in ("name", "model", "azure_deployment", "deployment"):
        if name:
            break
        name = text_value(configuration.get(key), 100)
    extra = _compact(
        {
            "api": text_value(model.get("api")),
            "provider": text_value(configuration.get("type") or connection.get("type")),
            "parameters": json_safe(model.get("parameters") or model.get("options")),
        }
    )
    return name, extra


def _dotprompt_model(model) -> tuple[str, dict]:
    """Dotprompt names models `provider/name`."""
    text = text_value(model)
    if "/" in text:
        provider, _, name = text.partition("/")
        return name.strip()[:100], {"provider": provider.strip()}
    return text[:100], {}


def parse_template(bundle: Bundle, member: Member, kind: str) -> Iterator[Candidate]:
    text = read_text(bundle, member.name)
    meta, body = split_front_matter(text)
    if meta is None and FRONT_MATTER.match(text):
        return  # front matter that isn't a YAML mapping: not a template we can read
    meta = meta or {}
    content = clean_text(body)
    if not content:
        return
    if kind == "prompty":
        model, model_extra = _prompty_model(meta.get("model"))
        extra = {"sample": json_safe(meta.get("sample")), "inputs": json_safe(meta.get("inputs"))}
        extra["authors"] = json_safe(meta.get("authors"))
    else:
        model, model_extra = _dotprompt_model(meta.get("model"))
        extra = {
            "config": json_safe(meta.get("config")),
            "input": json_safe(meta.get("input")),
            "output": json_safe(meta.get("output")),
            "variant": text_value(meta.get("variant")),
        }
    yield Candidate(
        name=(text_value(meta.get("name"), 255) or stem_name(member.name)),
        content=content,
        source=SOURCE,
        model=model,
        description=text_value(meta.get("description")),
        tags=tag_names(meta.get("tags")),
        metadata=_compact({"format": kind, **model_extra, **extra}),
        reference={"path": member.name, "format": kind},
    )
