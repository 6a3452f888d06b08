"""The shape of a demo prompt and of a later version of it."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Revision:
    """A later content of a demo prompt, saved as a new version with its change message."""

    content: str
    message: str
    # Written by the demo team's editor rather than the owner, so histories show two people.
    by_editor: bool = False


@dataclass(frozen=True)
class DemoPrompt:
    name: str
    content: str
    folder: str
    tags: tuple[str, ...]
    description: str = ""
    model: str = "gpt-4o"
    is_public: bool = False
    revisions: tuple[Revision, ...] = field(default=())
