"""Line and word diffs between two versions, shaped for inline and side-by-side views.

The cost is bounded whatever the two texts are (difflib's matcher grows with the square of
the text). Lines are matched first, by patience diff: lines that occur once on each side
anchor the match, and the gaps between anchors are matched the same way; a gap with no such
line gets an exact longest common subsequence when small, and is anchored on its repeated
lines when large. Changed lines are then paired by similarity, and only a pair is compared
word by word, by the same matcher on word tokens. Every stage spends from a budget of work
units; what a budget cannot pay for is shown at line level, and the `Diff` says so. At most
SHOWN_LINES_LIMIT lines are built for the views.
"""

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
_WORD_RE = re.compile(r"\w+|[^\w\s]")

# Work units: one per item (line or token) looked at, REGION_COST per gap matched (counting
# and ordering its items has a fixed cost however small the gap), CELL_COST per cell of an
# exact comparison table, COMPARE_COST per pair of lines compared for similarity. Weighted so
# that a spent budget costs about the same time whatever spent it (about 0.5 µs a unit).
REGION_COST = 64
CELL_COST = 4
COMPARE_COST = 8
LINE_WORK_LIMIT = 400_000
WORD_WORK_LIMIT = 600_000
# One pair may not take more than this, so one huge pair can't starve the rest of the diff.
PAIR_WORK_LIMIT = 100_000
# Lines built for the views: rendering costs far more per line than diffing, and a version
# may have hundreds of thousands of lines. Past the limit, the diff still counts what was
# added and removed.
SHOWN_LINES_LIMIT = 10_000
# Longer lines are shown whole rather than compared word by word.
PAIR_CHAR_LIMIT = 10_000
# A gap with no anchor gets an exact comparison only up to this many cells (items × items).
EXACT_CELLS = 10_000
# Changed lines are paired by an exact alignment up to this many line pairs per block, and
# beyond it by looking this many lines ahead on either side.
PAIRING_CELLS = 2_500
PAIRING_WINDOW = 8
# Lines whose word sets overlap less than this (Dice coefficient) are not paired.
SIMILAR = 0.5


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

    # What the templates print, ready-made: a diff can have thousands of rows, and each
    # comparison or filter in a template row costs more than the line's whole share of the diff.
    @property
    def old_label(self) -> str:
        return "" if self.old_number is None else str(self.old_number)

    @property
    def new_label(self) -> str:
        return "" if self.new_number is None else str(self.new_number)

    @property
    def sign(self) -> str:
        return _SIGNS[self.kind]

    @property
    def mark(self) -> str:
        """The element that marks a changed segment of this line."""
        return _MARKS[self.kind]


_SIGNS = {"equal": "", "insert": "+", "delete": "−"}
_MARKS = {"equal": "", "insert": "ins", "delete": "del"}


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
    # Work spent matching lines, and pairing and comparing words (see the limits above).
    line_work: int = 0
    word_work: int = 0
    # Changed line pairs shown whole because they were too long or the work ran out.
    whole_line_pairs: int = 0
    # True when only the first SHOWN_LINES_LIMIT lines were built.
    cut: bool = False
    # True when the diff was cut short: some lines were matched roughly (unchanged lines may
    # show as removed and added) or changed lines were left unpaired.
    approximate: bool = False

    @property
    def unchanged(self) -> bool:
        return not self.added and not self.removed


class _Budget:
    """Work units a stage may still spend. Once a request is refused, every later one is too,
    so a diff never depends on the order in which small and large requests arrive."""

    def __init__(self, limit: int):
        self.limit = limit
        self.spent = 0
        self.exhausted = False

    def take(self, units: int) -> bool:
        if self.exhausted or self.spent + units > self.limit:
            self.exhausted = True
            return False
        self.spent += units
        return True


# --- Matching sequences ---------------------------------------------------------------------


def _matching_blocks(a: list, b: list, budget: _Budget) -> list[tuple[int, int, int]]:
    """Runs (i, j, size) where a[i:i + size] == b[j:j + size], in order on both sides. When
    the budget runs out, the gaps not yet matched stay unmatched and show as changed.

    A stack, not recursion: thousands of nested gaps must not reach Python's recursion limit.
    """
    found: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        if alo >= ahi or blo >= bhi:
            continue
        if not budget.take(REGION_COST + ahi - alo + bhi - blo):
            break
        start_a, start_b = alo, blo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start_a:
            found.append((start_a, start_b, alo - start_a))
        end_a = ahi
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if ahi < end_a:
            found.append((ahi, bhi, end_a - ahi))
        if alo >= ahi or blo >= bhi:
            continue
        cells = (ahi - alo) * (bhi - blo)
        anchors = _anchors(a, alo, ahi, b, blo, bhi, repeated=cells > EXACT_CELLS)
        if anchors:
            previous_a, previous_b = alo, blo
            for i, j in anchors:
                found.append((i, j, 1))
                stack.append((previous_a, i, previous_b, j))
                previous_a, previous_b = i + 1, j + 1
            stack.append((previous_a, ahi, previous_b, bhi))
        elif cells <= EXACT_CELLS:
            if not budget.take(cells * CELL_COST):
                break
            found.extend(_common_subsequence(a, alo, ahi, b, blo, bhi))
        # Otherwise the two ranges have no item in common: nothing to match.
    return _merged(found)


def _anchors(a, alo, ahi, b, blo, bhi, *, repeated: bool) -> list[tuple[int, int]]:
    """Where the two ranges are surely alike: the items found exactly once on each side, as
    the longest run in order on both sides. With `repeated` (for a range too large to compare
    exactly) and no such item, repeated items stand in, the first occurrence on one side
    paired with the first on the other, and so on: blank lines between moved paragraphs."""
    a_counts = Counter(a[alo:ahi])
    b_counts = Counter(b[blo:bhi])
    in_b = {
        item: j
        for j, item in enumerate(b[blo:bhi], blo)
        if b_counts[item] == 1 and a_counts.get(item) == 1
    }
    if in_b:
        pairs = [(i, in_b[item]) for i, item in enumerate(a[alo:ahi], alo) if item in in_b]
        return _longest_increasing(pairs)
    if not repeated:
        return []
    later: dict = {}  # each item's positions in b, the first one last
    for j in range(bhi - 1, blo - 1, -1):
        if b[j] in a_counts:
            later.setdefault(b[j], []).append(j)
    pairs = []
    for i in range(alo, ahi):
        positions = later.get(a[i])
        if positions:
            pairs.append((i, positions.pop()))
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (in order of their first value) whose second values
    increase too: patience sorting, O(n log n)."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        position = bisect_left(tails, j)
        if position == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[position] = j
            tail_at[position] = index
        previous[index] = tail_at[position - 1] if position else -1
    run = []
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    run.reverse()
    return run


def _common_subsequence(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int, int]]:
    """An exact longest common subsequence of two small ranges, as one-item runs."""
    width = bhi - blo
    lengths = [[0] * (width + 1) for _ in range(ahi - alo + 1)]
    for i in range(ahi - alo - 1, -1, -1):
        item, row, below = a[alo + i], lengths[i], lengths[i + 1]
        for j in range(width - 1, -1, -1):
            if item == b[blo + j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = below[j] if below[j] >= row[j + 1] else row[j + 1]
    runs = []
    i = j = 0
    while i < ahi - alo and j < width:
        if a[alo + i] == b[blo + j]:
            runs.append((alo + i, blo + j, 1))
            i += 1
            j += 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return runs


def _merged(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for i, j, size in sorted(runs):
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged


def _opcodes(runs: list[tuple[int, int, int]], a_length: int, b_length: int):
    """("equal" | "change", i1, i2, j1, j2) covering both sequences in order."""
    i = j = 0
    for run_a, run_b, size in [*runs, (a_length, b_length, 0)]:
        if i < run_a or j < run_b:
            yield "change", i, run_a, j, run_b
        if size:
            yield "equal", run_a, run_a + size, run_b, run_b + size
        i, j = run_a + size, run_b + size


# --- Pairing changed lines ------------------------------------------------------------------


def _pair_lines(old_words: list[set], new_words: list[set], budget: _Budget) -> list[tuple]:
    """The changed lines of one block in order, as (old index, new index) for a pair and with
    None on the side a line has no partner. Pairs keep their order on both sides and join
    lines whose word sets are similar, wherever they sit in the block. Once the budget is
    spent, the rest of the lines stay unpaired."""
    old_count, new_count = len(old_words), len(new_words)

    def similarity(i: int, j: int) -> float:
        old, new = old_words[i], new_words[j]
        if not budget.take(COMPARE_COST + min(len(old), len(new)) // 8):
            return 0.0
        if not old or not new:
            return 1.0 if old == new else 0.0  # two blank lines are alike
        return 2 * len(old & new) / (len(old) + len(new))

    if old_count * new_count <= PAIRING_CELLS:
        return _align_best(old_count, new_count, similarity)
    return _align_nearby(old_count, new_count, similarity, budget)


def _unpaired_steps(old_start: int, old_end: int, new_start: int, new_end: int) -> list[tuple]:
    return [(i, None) for i in range(old_start, old_end)] + [
        (None, j) for j in range(new_start, new_end)
    ]


def _align_best(old_count: int, new_count: int, similarity) -> list[tuple]:
    """The order-keeping pairing with the highest total similarity."""
    score = [[0.0] * (new_count + 1) for _ in range(old_count + 1)]
    similar = [[0.0] * new_count for _ in range(old_count)]
    for i in range(old_count - 1, -1, -1):
        for j in range(new_count - 1, -1, -1):
            value = similarity(i, j)
            best = max(score[i + 1][j], score[i][j + 1])
            if value >= SIMILAR:
                similar[i][j] = value
                best = max(best, score[i + 1][j + 1] + value)
            score[i][j] = best
    steps: list[tuple] = []
    i = j = 0
    while i < old_count and j < new_count:
        value = similar[i][j]
        if value and score[i][j] == score[i + 1][j + 1] + value:
            steps.append((i, j))
            i += 1
            j += 1
        elif score[i + 1][j] >= score[i][j + 1]:
            steps.append((i, None))
            i += 1
        else:
            steps.append((None, j))
            j += 1
    return steps + _unpaired_steps(i, old_count, j, new_count)


def _align_nearby(old_count: int, new_count: int, similarity, budget: _Budget) -> list[tuple]:
    """For large blocks: from the current position, the nearest similar pair within
    PAIRING_WINDOW lines on either side, so an inserted or removed line shifts nothing."""
    steps: list[tuple] = []
    i = j = 0
    while i < old_count and j < new_count and not budget.exhausted:
        found = None
        for distance in range(PAIRING_WINDOW):
            candidates = [(i, j)] if not distance else [(i + distance, j), (i, j + distance)]
            for x, y in candidates:
                if x < old_count and y < new_count:
                    value = similarity(x, y)
                    if value >= SIMILAR and (found is None or value > found[0]):
                        found = (value, x, y)
            if found:
                break
        if found is None:
            steps += [(i, None), (None, j)]
            i += 1
            j += 1
            continue
        _, x, y = found
        steps += _unpaired_steps(i, x, j, y)
        steps.append((x, y))
        i, j = x + 1, y + 1
    return steps + _unpaired_steps(i, old_count, j, new_count)


# --- Words within a pair --------------------------------------------------------------------


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if segments and segments[-1].changed == changed:
        segments[-1].text += text
    else:
        segments.append(Segment(text, changed))


def _word_segments(
    old_tokens: list[str], new_tokens: list[str], runs: list[tuple[int, int, int]]
) -> tuple[list[Segment], list[Segment]]:
    left: list[Segment] = []
    right: list[Segment] = []
    operations = list(_opcodes(runs, len(old_tokens), len(new_tokens)))
    last = len(operations) - 1
    for index, (tag, i1, i2, j1, j2) in enumerate(operations):
        old_text = "".join(old_tokens[i1:i2])
        new_text = "".join(new_tokens[j1:j2])
        # Runs alternate, so an equal run inside the list lies between two changes: when it is
        # only a space, one marked change reads better than two with a gap.
        changed = tag != "equal" or (0 < index < last and old_text.isspace())
        _append(left, old_text, changed)
        _append(right, new_text, changed)
    return left, right


# --- Assembling the diff --------------------------------------------------------------------


class _Builder:
    """Turns matched and changed ranges into lines and rows, building at most
    SHOWN_LINES_LIMIT lines; past that it only counts what was added and removed."""

    def __init__(self, old_lines: list[str], new_lines: list[str]):
        self.old_lines = old_lines
        self.new_lines = new_lines
        self.lines: list[Line] = []
        self.rows: list[Row] = []
        self.added = self.removed = 0
        self.words = _Budget(WORD_WORK_LIMIT)
        self.whole_line_pairs = 0
        self.cut = False

    def _room_for(self, count: int) -> bool:
        if not self.cut and len(self.lines) + count > SHOWN_LINES_LIMIT:
            self.cut = True
        return not self.cut

    def equal(self, i: int, j: int, count: int = 1) -> None:
        if self.cut:
            return
        shown = min(count, SHOWN_LINES_LIMIT - len(self.lines))
        for offset in range(shown):
            text = self.old_lines[i + offset]
            line = Line("equal", i + offset + 1, j + offset + 1, [Segment(text)])
            self.lines.append(line)
            self.rows.append(Row(line, line))
        self.cut = shown < count

    def changed(self, i1: int, i2: int, j1: int, j2: int) -> None:
        if self.words.exhausted or not self._room_for(1):
            self._unpaired(list(range(i1, i2)), list(range(j1, j2)))
            return
        room = SHOWN_LINES_LIMIT - len(self.lines)
        beyond = i2 - i1 > room or j2 - j1 > room
        if beyond:
            # Lines past the limit are never shown: count them, and pair only what can be.
            self.removed += max(i2 - i1 - room, 0)
            self.added += max(j2 - j1 - room, 0)
            i2, j2 = min(i2, i1 + room), min(j2, j1 + room)
        old_words = [set(_WORD_RE.findall(self.old_lines[i])) for i in range(i1, i2)]
        new_words = [set(_WORD_RE.findall(self.new_lines[j])) for j in range(j1, j2)]
        gap_old: list[int] = []
        gap_new: list[int] = []
        for old, new in _pair_lines(old_words, new_words, self.words):
            if old is not None and new is not None:
                self._unpaired(gap_old, gap_new)
                gap_old, gap_new = [], []
                self._pair(i1 + old, j1 + new)
            elif old is not None:
                gap_old.append(i1 + old)
            else:
                gap_new.append(j1 + new)
        self._unpaired(gap_old, gap_new)
        self.cut = self.cut or beyond

    def _unpaired(self, olds: list[int], news: list[int]) -> None:
        self.removed += len(olds)
        self.added += len(news)
        if not self._room_for(len(olds) + len(news)):
            # Show what fits, so the lines shown are the diff's beginning, in order.
            room = SHOWN_LINES_LIMIT - len(self.lines)
            olds, news = olds[:room], news[: max(room - len(olds), 0)]
        deleted = [self._whole("delete", i) for i in olds]
        inserted = [self._whole("insert", j) for j in news]
        self.lines += deleted + inserted
        self.rows += [Row(left, right) for left, right in zip_longest(deleted, inserted)]

    def _whole(self, kind: str, index: int) -> Line:
        if kind == "delete":
            return Line(kind, index + 1, None, [Segment(self.old_lines[index], changed=True)])
        return Line(kind, None, index + 1, [Segment(self.new_lines[index], changed=True)])

    def _pair(self, i: int, j: int) -> None:
        old, new = self.old_lines[i], self.new_lines[j]
        if old == new:
            # A repeated line, or one the line budget did not reach, can meet its twin here.
            self.equal(i, j)
            return
        self.removed += 1
        self.added += 1
        if not self._room_for(2):
            return
        segments = self._compare_words(old, new)
        if segments is None:
            self.whole_line_pairs += 1
            deleted, inserted = self._whole("delete", i), self._whole("insert", j)
        else:
            deleted = Line("delete", i + 1, None, segments[0])
            inserted = Line("insert", None, j + 1, segments[1])
        self.lines += [deleted, inserted]
        self.rows.append(Row(deleted, inserted))

    def _compare_words(self, old: str, new: str):
        if len(old) > PAIR_CHAR_LIMIT or len(new) > PAIR_CHAR_LIMIT or self.words.exhausted:
            return None
        old_tokens, new_tokens = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
        budget = _Budget(min(PAIR_WORK_LIMIT, self.words.limit - self.words.spent))
        runs = _matching_blocks(old_tokens, new_tokens, budget)
        self.words.spent += budget.spent
        if budget.exhausted:
            return None
        return _word_segments(old_tokens, new_tokens, runs)


def diff_texts(old: str, new: str) -> Diff:
    """The diff from `old` to `new`, line by line with the changed words marked in each pair
    of similar changed lines. An empty text has no lines."""
    old_lines = old.split("\n") if old else []
    new_lines = new.split("\n") if new else []
    line_budget = _Budget(LINE_WORK_LIMIT)
    runs = _matching_blocks(old_lines, new_lines, line_budget)
    builder = _Builder(old_lines, new_lines)
    for tag, i1, i2, j1, j2 in _opcodes(runs, len(old_lines), len(new_lines)):
        if tag == "equal":
            builder.equal(i1, j1, i2 - i1)
        else:
            builder.changed(i1, i2, j1, j2)
    return Diff(
        lines=builder.lines,
        rows=builder.rows,
        added=builder.added,
        removed=builder.removed,
        line_work=line_budget.spent,
        word_work=builder.words.spent,
        whole_line_pairs=builder.whole_line_pairs,
        approximate=line_budget.exhausted or builder.words.exhausted,
        cut=builder.cut,
    )
