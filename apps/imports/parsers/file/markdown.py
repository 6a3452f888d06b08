"""Markdown and plain text: one prompt per file, or several when the file is a collection.

A file may be a single prompt or many, separated by `---` lines or `##` headings; only the
person knows. So the whole file is offered, and when it splits the parts are offered too, with
`reference["split"]` saying which reading each candidate belongs to and `kept` marking the
default: the parts, unless front matter names the file as one prompt.

VS Code / Copilot prompt files (`*.prompt.md`) are always one prompt: their `##` headings
structure the instructions, not a collection. The name is the file's, without `.prompt.md`.
"""

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from apps.imports.parsers.base import Bundle, Candidate, Member, clean_text, name_from_text
from apps.imports.parsers.file.common import (
    SOURCE,
    json_safe,
    moment,
    read_text,
    split_front_matter,
    stem_name,
    tag_names,
    text_value,
)

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
RULE = re.compile(r"^ {0,3}-{3,}[ \t]*$")
H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
H2 = re.compile(r"^ {0,3}##[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
TRAILING_RULES = re.compile(r"(?:\n[ \t]*-{3,}[ \t]*)+\Z")
VSCODE_PROMPT = re.compile(r"\.prompt\.md$", re.IGNORECASE)


def fields_from(meta: dict) -> dict:
    """The prompt's fields that front matter may set (PromptVault's own Markdown export
    writes the same keys)."""
    metadata = meta.get("metadata")
    metadata = json_safe(metadata) if isinstance(metadata, dict) else None
    model = meta.get("model")
    return {
        "description": text_value(meta.get("description")),
        "tags": tag_names(meta.get("tags")),
        "folder": text_value(meta.get("folder"), 500),
        "model": text_value(model, 100) if isinstance(model, str) else "",
        "metadata": metadata if isinstance(metadata, dict) else {},
        "created_at": moment(meta.get("created_at")),
    }


def _in_code(lines: list[str]) -> list[bool]:
    """For each line, whether it sits in a fenced code block (fences included): rules and
    headings there are the prompt's content, not separators."""
    flags = []
    fence = None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            flags.append(True)
        elif fence is not None:
            flags.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        else:
            flags.append(False)
    return flags


def _rule_parts(lines: list[str], code: list[bool]) -> list[str]:
    parts: list[list[str]] = [[]]
    previous_blank = True
    for line, in_code in zip(lines, code, strict=True):
        # Right under a line of text, `---` underlines a heading; after a blank line it is a
        # break between prompts.
        if not in_code and previous_blank and RULE.match(line):
            parts.append([])
            continue
        parts[-1].append(line)
        previous_blank = not line.strip()
    texts = (clean_text("\n".join(part)) for part in parts)
    return [text for text in texts if text]


def _heading_parts(lines: list[str], code: list[bool]) -> list[tuple[str, str]]:
    sections: list[tuple[str, list[str]]] = []
    for line, in_code in zip(lines, code, strict=True):
        match = None if in_code else H2.match(line)
        if match:
            sections.append((match.group(1).strip(), []))
        elif sections:
            sections[-1][1].append(line)
    parts = []
    for title, body in sections:
        content = TRAILING_RULES.sub("", clean_text("\n".join(body))).strip()
        if content:
            parts.append((title, content))
    return parts


def _named_part(text: str) -> tuple[str, str] | None:
    """A part's own heading, when it opens with one, is its name."""
    first, _, rest = text.partition("\n")
    match = HEADING.match(first)
    if not match:
        return name_from_text(text), text
    rest = clean_text(rest)
    return (match.group(1).strip(), rest) if rest else None


def _vscode_prompt(member: Member, meta: dict, body: str) -> Iterator[Candidate]:
    content = clean_text(body)
    if not content:
        return
    fields = fields_from(meta)
    tools = meta.get("tools")
    extra = {
        "mode": text_value(meta.get("mode"), 50),
        "tools": [tool for tool in tools if isinstance(tool, str)][:100]
        if isinstance(tools, list)
        else [],
    }
    fields["metadata"] = {
        "format": "vscode-prompt",
        **fields["metadata"],
        **{key: value for key, value in extra.items() if value},
    }
    yield Candidate(
        # The file's own name, as VS Code shows it and as it is run (`/react-form`).
        name=text_value(meta.get("name"), 255) or _vscode_name(member.name),
        content=content,
        source=SOURCE,
        reference={"path": member.name, "split": "whole"},
        **fields,
    )


def _vscode_name(path: str) -> str:
    """`prompts/react-form.prompt.md` → `react-form`."""
    name = VSCODE_PROMPT.sub("", PurePosixPath(path).name)
    return " ".join(name.split())[:255] or "Imported prompt"


def parse_markdown(bundle: Bundle, member: Member) -> Iterator[Candidate]:
    text = read_text(bundle, member.name)
    meta, body = split_front_matter(text)
    if VSCODE_PROMPT.search(member.name):
        yield from _vscode_prompt(member, meta or {}, body)
        return
    fields = fields_from(meta or {})
    declared = text_value((meta or {}).get("name"), 255)

    lines = body.split("\n")
    code = _in_code(lines)
    title = ""
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is not None and not code[first] and (match := H1.match(lines[first])):
        title = match.group(1).strip()
        if not declared:
            # The heading became the name: the rest is the prompt.
            del lines[first]
            del code[first]
    content = clean_text("\n".join(lines))
    if not content:
        return

    rule_parts = [part for part in map(_named_part, _rule_parts(lines, code)) if part]
    heading_parts = _heading_parts(lines, code)
    splits = []
    if len(rule_parts) >= 2:
        splits.append(("rule", rule_parts))
    if len(heading_parts) >= 2 and [c for _, c in heading_parts] != [c for _, c in rule_parts]:
        splits.append(("heading", heading_parts))
    # Front matter with a name says "this file is one prompt" (PromptVault's own export
    # writes files that way): then the whole file is the default even if it would split.
    default = "whole" if declared or not splits else splits[0][0]

    reference = {"path": member.name}
    yield Candidate(
        name=(declared or title or stem_name(member.name))[:255],
        content=content,
        source=SOURCE,
        reference={**reference, "split": "whole"},
        kept=default == "whole",
        **fields,
    )
    shared = {key: fields[key] for key in ("tags", "folder", "model", "created_at")}
    for split, parts in splits:
        for number, (name, part) in enumerate(parts, start=1):
            yield Candidate(
                name=name[:255],
                content=part,
                source=SOURCE,
                reference={**reference, "split": split, "part": number, "parts": len(parts)},
                kept=default == split,
                **shared,
            )
