"""Which chat turns are worth offering as prompts.

Chats hold many turns that are not prompts anyone would keep ("hi", "thanks", "continue",
"try again"), and people re-ask the same prompt with small edits. Both stay in the preview,
unselected: an unlikely prompt with its reason, and the older near-copies grouped under the
newest, which stays selected.
"""

import re
import zlib
from collections import OrderedDict

VERY_SHORT = "Very short"
CONVERSATIONAL = "A conversational reply"

# Whole turns that carry no prompt of their own, compared in lower case without punctuation.
CONVERSATIONAL_TURNS = frozenset(
    {
        "hi", "hello", "hey", "hiya", "yo", "good morning", "morning",
        "thanks", "thank you", "thanks a lot", "thank you so much", "thx", "ty", "cheers",
        "many thanks", "thanks again", "ok thanks", "okay thanks", "ok thank you",
        "ok", "okay", "k", "kk", "got it", "understood", "i see", "makes sense", "cool",
        "great", "nice", "perfect", "awesome", "excellent", "good", "very good", "good job",
        "well done", "amazing", "wonderful", "great thanks", "perfect thanks", "nice thanks",
        "yes", "yeah", "yep", "yup", "sure", "of course", "yes please", "please",
        "no", "nope", "no thanks", "not really",
        "continue", "go on", "go ahead", "keep going", "carry on", "proceed", "next", "more",
        "more please", "continue please", "please continue", "do it", "do that", "yes do it",
        "try again", "again", "retry", "redo", "one more", "one more time", "again please",
        "regenerate", "and then", "what else", "anything else", "why", "how", "so", "what",
        "really", "lol", "haha", "wow", "hmm", "hm", "oh", "ah", "bye", "goodbye", "stop",
        "done", "thats it", "that works", "it works", "works now", "fixed", "still not working",
        "not working", "doesnt work", "wrong", "same error", "still the same",
    }
)  # fmt: skip
WORD = re.compile(r"\w+")
# Fewer words than this and shorter than SHORT_CHARACTERS: too short to be a prompt to keep.
SHORT_WORDS = 2
SHORT_CHARACTERS = 12


def unlikely_reason(text: str) -> str:
    """Why a turn is unlikely to be a prompt worth keeping, or "" when it may well be one."""
    words = WORD.findall(text.lower())
    if " ".join(words) in CONVERSATIONAL_TURNS or (
        not words and len(text.strip()) < SHORT_CHARACTERS
    ):
        return CONVERSATIONAL
    if len(words) < SHORT_WORDS and len(text.strip()) < SHORT_CHARACTERS:
        return VERY_SHORT
    return ""


# --- Near-duplicates ------------------------------------------------------------------------

# Texts are compared by a sketch: the SKETCH smallest hashes of their character shingles, whose
# overlap estimates how much of the texts they share. Texts that agree this much are the same
# prompt with small edits.
SHINGLE = 4
SKETCH = 48
SIMILAR = 0.6
# Only the start of a long text is compared, so one prompt costs bounded work.
COMPARED_CHARACTERS = 1000
# Texts shorter than this are too short to call one an edit of another.
MIN_CHARACTERS = 20
# A text is compared only with the groups whose first text shares one of its BUCKET_KEYS
# smallest hashes, the BUCKET_SIZE latest groups a hash (people re-ask soon after): bounded
# work however large the file.
BUCKET_KEYS = 4
BUCKET_SIZE = 8
# And only with the WINDOW latest groups: older ones are complete and handed over, so the
# memory the grouping holds doesn't grow with the file (a sketch is about 3 KB in memory).
WINDOW = 5_000


def sketch(text: str) -> frozenset | None:
    """The text's sketch, or None when it is too short to compare."""
    plain = " ".join(WORD.findall(text[:COMPARED_CHARACTERS].lower())).encode()
    if len(plain) < MIN_CHARACTERS:
        return None
    hashes = {zlib.crc32(plain[i : i + SHINGLE]) for i in range(len(plain) - SHINGLE + 1)}
    return frozenset(sorted(hashes)[:SKETCH])


def resemblance(first: frozenset, second: frozenset) -> float:
    """How alike two texts are (0 to 1), estimated from their sketches: the share of the
    smallest hashes of both together that each of them has."""
    shared = len(first & second)
    # An upper bound, which rules most pairs out before the union is built.
    bound = shared / min(SKETCH, len(first) + len(second) - shared)
    if bound < SIMILAR:
        return bound
    size = min(SKETCH, len(first) + len(second) - shared)
    common = first & second
    return sum(1 for value in sorted(first | second)[:size] if value in common) / size


class NearDuplicates:
    """Groups texts that are the same prompt with small edits. Add them one by one in the
    file's order, each with a key and any data of the caller's; each group of two or more goes
    to `complete`, as a list of `(key, data)`, once no text can join it any more (it has left
    the window), and `finish()` hands over the rest. Every text in a group is like the group's
    first text, so small edits never chain into one large group of loosely related prompts."""

    def __init__(self, complete):
        self._complete = complete
        # first key of a group -> (its sketch, its BUCKET_KEYS smallest hashes, its data),
        # oldest first
        self._leaders: OrderedDict = OrderedDict()
        self._buckets: dict[int, list] = {}  # hash -> first keys of its latest groups
        self._members: dict = {}  # first key of a group -> the others' (key, data)

    def add(self, key, text: str, data=None) -> None:
        signature = sketch(text)
        if signature is None:
            return
        smallest = sorted(signature)[:BUCKET_KEYS]
        best, best_score = None, SIMILAR
        seen = set()
        for value in smallest:
            for leader in self._buckets.get(value, ()):
                if leader in seen:
                    continue
                seen.add(leader)
                score = resemblance(signature, self._leaders[leader][0])
                if score >= best_score:
                    best, best_score = leader, score
        if best is not None:
            self._members.setdefault(best, []).append((key, data))
            return
        self._leaders[key] = (signature, smallest, data)
        for value in smallest:
            bucket = self._buckets.setdefault(value, [])
            bucket.append(key)
            if len(bucket) > BUCKET_SIZE:
                del bucket[0]
        if len(self._leaders) > WINDOW:
            self._retire(*self._leaders.popitem(last=False))

    def _retire(self, leader, entry) -> None:
        for value in entry[1]:
            bucket = self._buckets.get(value)
            if bucket is not None and leader in bucket:
                bucket.remove(leader)
                if not bucket:
                    del self._buckets[value]
        members = self._members.pop(leader, None)
        if members:
            self._complete([(leader, entry[2]), *members])

    def finish(self) -> None:
        """Hand over the groups still open."""
        while self._leaders:
            self._retire(*self._leaders.popitem(last=False))


def near_duplicate_groups(items) -> list[list]:
    """The keys of each group among `(key, text)` pairs, all at once."""
    found = []
    groups = NearDuplicates(lambda group: found.append([key for key, _data in group]))
    for key, text in items:
        groups.add(key, text)
    groups.finish()
    return found
