"""Line and word diffs between two versions, shaped for inline and side-by-side views."""

import difflib
import re
from dataclasses import dataclass, field

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class Line:
    kind: str  # "equal", "insert", "delete"
    old_number: int | None
    new_number: int | None
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Row:
    """One row of the side-by-side view: the old line on the left, the new on the right."""

    left: Line | None
    right: Line | None


@dataclass
class Diff:
    lines: list[Line]
    rows: list[Row]
    added: int
    removed: int

    @property
    def unchanged(self) -> bool:
        return not self.added and not self.removed


def _word_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    old_tokens = _TOKEN_RE.findall(old)
    new_tokens = _TOKEN_RE.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(Segment("".join(old_tokens[i1:i2])))
            right.append(Segment("".join(new_tokens[j1:j2])))
        else:
            if i2 > i1:
                left.append(Segment("".join(old_tokens[i1:i2]), changed=True))
            if j2 > j1:
                right.append(Segment("".join(new_tokens[j1:j2]), changed=True))
    return left, right


def diff_texts(old: str, new: str) -> Diff:
    old_lines = (old or "").split("\n")
    new_lines = (new or "").split("\n")
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[Line] = []
    rows: list[Row] = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                text = old_lines[i1 + offset]
                line = Line("equal", i1 + offset + 1, j1 + offset + 1, [Segment(text)])
                lines.append(line)
                rows.append(Row(line, line))
            continue
        olds = [
            Line("delete", i + 1, None, [Segment(old_lines[i], changed=True)])
            for i in range(i1, i2)
        ]
        news = [
            Line("insert", None, j + 1, [Segment(new_lines[j], changed=True)])
            for j in range(j1, j2)
        ]
        if tag == "replace":
            # Pair lines up and mark only the words that changed inside each pair.
            for old_line, new_line in zip(olds, news, strict=False):
                old_line.segments, new_line.segments = _word_segments(
                    old_line.segments[0].text, new_line.segments[0].text
                )
        removed += len(olds)
        added += len(news)
        lines.extend(olds)
        lines.extend(news)
        for index in range(max(len(olds), len(news))):
            rows.append(
                Row(
                    olds[index] if index < len(olds) else None,
                    news[index] if index < len(news) else None,
                )
            )
    return Diff(lines=lines, rows=rows, added=added, removed=removed)
