"""Synthetic ChatGPT and Claude exports for the import benchmark.

Both are written a conversation at a time, so a 200 MB export costs no more memory to make than
a small one. The shapes follow real exports (see the import formats notes): ChatGPT's message
tree with a hidden system node, edited prompts (a draft branch beside the kept one), image
attachments; Claude's single-line array with content blocks duplicating the legacy text.
Every prompt is unique, so de-duplication doesn't shrink what the benchmark writes.

    python bench/import_data.py chatgpt /tmp/chatgpt.zip --conversations 20000  # ≈ 200 MB
    python bench/import_data.py claude /tmp/claude.zip --conversations 20000    # ≈ 100 MB

A path ending in `.zip` gets an archive laid out like the real download; any other path gets
the bare conversations file.
"""

import argparse
import json
import random
import uuid
import zipfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2024, 1, 1, tzinfo=UTC)

TOPICS = [
    "a product launch email",
    "the quarterly sales figures",
    "a Django view that handles file uploads",
    "a weekly meal plan for two",
    "a cover letter for a data analyst role",
    "the onboarding guide for new engineers",
    "a bedtime story about a lighthouse",
    "a SQL query that finds duplicate customers",
    "a training plan for a first half marathon",
    "the release notes for version 2.4",
    "a polite reminder about an unpaid invoice",
    "a lesson plan on photosynthesis",
    "a budget for a three-day trip to Lisbon",
    "the privacy section of our terms of service",
    "a regular expression for ISO dates",
    "a short speech for a colleague's farewell",
]
ASKS = [
    "Write {topic}.",
    "Summarise {topic} in five bullet points.",
    "Review {topic} and list every problem you find.",
    "Rewrite {topic} so a twelve-year-old understands it.",
    "Give me three different versions of {topic}.",
    "Explain the trade-offs in {topic} step by step.",
    "Turn {topic} into a table with clear column names.",
    "Draft {topic} in a friendly but professional tone.",
]
DETAILS = [
    "Keep it under 200 words.",
    "Use British spelling.",
    "Start with the most important point.",
    "Avoid jargon and passive voice.",
    "Add a one-line summary at the end.",
    "Assume the reader has five minutes.",
    "Include one concrete example.",
    "Mention the deadline of Friday the 14th.",
    "Point out anything that might be wrong in my assumptions.",
    "Format the answer as Markdown.",
]
REPLY_SENTENCES = [
    "Here is a first version that follows your constraints closely.",
    "I kept the structure simple so it is easy to adapt later.",
    "The main risk is that the numbers in the second paragraph are estimates.",
    "You could shorten the introduction if space is tight.",
    "Each step below builds on the previous one, so read them in order.",
    "If you share more context I can tailor the tone further.",
    "The table groups related items together and sorts them by priority.",
    "I avoided technical terms except where they are unavoidable.",
    "Consider testing this with a small group before sending it widely.",
    "The example at the end shows how the pieces fit together.",
    "Note that the regular expression does not validate the day of the month.",
    "A shorter alternative is included after the main answer.",
]
MODELS = ["gpt-4o", "gpt-4o-mini", "o3", "gpt-4.1", "gpt-5"]


def _prompt(rng: random.Random, number: int) -> str:
    ask = rng.choice(ASKS).format(topic=rng.choice(TOPICS))
    details = " ".join(rng.sample(DETAILS, rng.randint(1, 4)))
    # The number keeps every prompt distinct from all others.
    return f"{ask} {details} (Request {number}.)"


def _reply(rng: random.Random, sentences: int) -> str:
    paragraphs = []
    while sentences > 0:
        size = min(sentences, rng.randint(3, 6))
        paragraphs.append(" ".join(rng.choice(REPLY_SENTENCES) for _ in range(size)))
        sentences -= size
    return "\n\n".join(paragraphs)


def _title(rng: random.Random) -> str:
    return rng.choice(TOPICS).capitalize()


@contextmanager
def _output(path: Path, member: str, companions: dict[str, str]):
    """A binary stream for the conversations file: a bare file, or a member of a zip (deflated
    while written) laid out like the real download."""
    if path.suffix.lower() != ".zip":
        with path.open("wb") as stream:
            yield stream
        return
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in companions.items():
            archive.writestr(name, text)
        with archive.open(member, "w", force_zip64=True) as stream:
            yield stream


def _write_array(stream, items) -> int:
    """Write a JSON array an item at a time; returns the bytes written."""
    written = stream.write(b"[")
    for index, item in enumerate(items):
        if index:
            written += stream.write(b",")
        written += stream.write(
            json.dumps(item, ensure_ascii=False, separators=(", ", ": ")).encode()
        )
    return written + stream.write(b"]")


# --- ChatGPT ---------------------------------------------------------------------------------


def bench_chatgpt_export(path, conversations: int = 20_000, *, seed: int = 1) -> dict:
    """Write a ChatGPT export of `conversations` conversations (about 10 KB each) to `path`.
    Returns the counts a full import should find (conversations, prompts with drafts, drafts)
    and the sizes written (`json_bytes` uncompressed, `file_bytes` on disk)."""
    rng = random.Random(seed)
    counts = {"conversations": conversations, "prompts": 0, "drafts": 0}

    def generate():
        for index in range(conversations):
            conversation, prompts, drafts = _chatgpt_conversation(rng, index)
            counts["prompts"] += prompts
            counts["drafts"] += drafts
            yield conversation

    path = Path(path)
    manifest = json.dumps({"export_version": 1, "files": ["conversations.json"]})
    user = json.dumps({"id": "user-bench", "email": "bench@example.com"})
    with _output(
        path, "conversations.json", {"export_manifest.json": manifest, "user.json": user}
    ) as stream:
        counts["json_bytes"] = _write_array(stream, generate())
    counts["file_bytes"] = path.stat().st_size
    return counts


def _chatgpt_message(node_id, role, parts, created, *, content_type="text", metadata=None):
    return {
        "id": node_id,
        "author": {"role": role, "name": None, "metadata": {}},
        "create_time": created,
        "update_time": None,
        "content": {"content_type": content_type, "parts": parts},
        "status": "finished_successfully",
        "end_turn": role == "assistant" or None,
        "weight": 1.0,
        "metadata": metadata or {},
        "recipient": "all",
        "channel": None,
    }


def _chatgpt_conversation(rng: random.Random, index: int) -> tuple[dict, int, int]:
    created = (START + timedelta(minutes=37 * index)).timestamp()
    model = rng.choice(MODELS)
    mapping = {}

    def add(node_id, parent, message):
        mapping[node_id] = {"id": node_id, "message": message, "parent": parent, "children": []}
        if parent is not None:
            mapping[parent]["children"].append(node_id)

    root = str(uuid.UUID(int=rng.getrandbits(128)))
    add(root, None, None)
    system = f"{root[:8]}-system"
    add(
        system,
        root,
        _chatgpt_message(
            system, "system", [""], None, metadata={"is_visually_hidden_from_conversation": True}
        ),
    )
    parent = system
    turns = rng.choice((1, 2, 3, 3, 4, 5))
    edited_turn = rng.randrange(turns) if rng.random() < 0.1 else None
    prompts = drafts = 0
    clock = created
    for turn in range(turns):
        number = index * 10 + turn
        if turn == edited_turn:
            draft = f"{root[:8]}-draft-{turn}"
            clock += 20
            add(draft, parent, _chatgpt_message(draft, "user", [_prompt(rng, number)], clock))
            answer = f"{draft}-reply"
            add(
                answer,
                draft,
                _chatgpt_message(
                    answer,
                    "assistant",
                    [_reply(rng, 6)],
                    clock + 5,
                    metadata={"model_slug": model},
                ),
            )
            prompts += 1
            drafts += 1
            number += 5  # the edited wording is a different prompt
        node = f"{root[:8]}-user-{turn}"
        clock += 40
        text = _prompt(rng, number)
        if turn == 0 and rng.random() < 0.1:
            message = _chatgpt_message(
                node,
                "user",
                [
                    {
                        "content_type": "image_asset_pointer",
                        "asset_pointer": f"file-service://file-{index}",
                        "size_bytes": 120_000,
                        "width": 1024,
                        "height": 768,
                    },
                    text,
                ],
                clock,
                content_type="multimodal_text",
                metadata={
                    "attachments": [
                        {"name": "photo.jpg", "mime_type": "image/jpeg", "size": 120_000}
                    ]
                },
            )
        else:
            message = _chatgpt_message(node, "user", [text], clock)
        add(node, parent, message)
        prompts += 1
        reply = f"{node}-reply"
        add(
            reply,
            node,
            _chatgpt_message(
                reply,
                "assistant",
                [_reply(rng, rng.randint(22, 36))],
                clock + 10,
                metadata={"model_slug": model, "finish_details": {"type": "stop"}},
            ),
        )
        parent = reply
    conversation = {
        "title": _title(rng),
        "create_time": created,
        "update_time": clock + 10,
        "mapping": mapping,
        "moderation_results": [],
        "current_node": parent,
        "plugin_ids": None,
        "conversation_id": root,
        "conversation_template_id": None,
        "gizmo_id": None,
        "is_archived": False,
        "safe_urls": [],
        "default_model_slug": model,
        "id": root,
    }
    return conversation, prompts, drafts


# --- Claude ----------------------------------------------------------------------------------


def bench_claude_export(path, conversations: int = 20_000, *, seed: int = 2) -> dict:
    """Write a Claude export of `conversations` conversations (about 5 KB each) to `path`, as
    Claude does: one JSON array on a single line. Returns the counts a full import should
    find and the sizes written, as `bench_chatgpt_export` does."""
    rng = random.Random(seed)
    counts = {"conversations": conversations, "prompts": 0}

    def generate():
        for index in range(conversations):
            conversation, prompts = _claude_conversation(rng, index)
            counts["prompts"] += prompts
            yield conversation

    path = Path(path)
    users = json.dumps([{"uuid": "bench-user", "full_name": "Bench", "email_address": "b@e.x"}])
    with _output(path, "conversations.json", {"users.json": users, "projects.json": "[]"}) as (
        stream
    ):
        counts["json_bytes"] = _write_array(stream, generate())
    counts["file_bytes"] = path.stat().st_size
    return counts


def _claude_message(rng, sender, text, created):
    moment = created.isoformat().replace("+00:00", "Z")
    blocks = [{"start_timestamp": moment, "stop_timestamp": moment, "type": "text", "text": text}]
    if sender == "assistant" and rng.random() < 0.3:
        blocks.insert(0, {"type": "thinking", "thinking": _reply(rng, 2), "summaries": []})
    return {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "text": text,
        "content": blocks,
        "sender": sender,
        "created_at": moment,
        "updated_at": moment,
        "attachments": [],
        "files": [],
    }


def _claude_conversation(rng: random.Random, index: int) -> tuple[dict, int]:
    created = START + timedelta(minutes=41 * index)
    messages = []
    turns = rng.choice((1, 2, 3, 3, 4))
    for turn in range(turns):
        moment = created + timedelta(minutes=2 * turn)
        human = _claude_message(rng, "human", _prompt(rng, index * 10 + turn), moment)
        if rng.random() < 0.05:
            human["attachments"].append(
                {
                    "file_name": "notes.txt",
                    "file_size": 600,
                    "file_type": "txt",
                    "extracted_content": _reply(rng, 5),
                }
            )
        messages.append(human)
        reply = _reply(rng, rng.randint(5, 9))
        messages.append(_claude_message(rng, "assistant", reply, moment + timedelta(seconds=20)))
    conversation = {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "name": _title(rng),
        "summary": "",
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "updated_at": (created + timedelta(minutes=2 * turns)).isoformat().replace("+00:00", "Z"),
        "account": {"uuid": "bench-user"},
        "chat_messages": messages,
    }
    return conversation, turns


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic chat export.")
    parser.add_argument("source", choices=("chatgpt", "claude"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--conversations", type=int, default=20_000)
    args = parser.parse_args(argv)
    write = bench_chatgpt_export if args.source == "chatgpt" else bench_claude_export
    counts = write(args.path, conversations=args.conversations)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
