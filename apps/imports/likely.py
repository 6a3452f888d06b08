"""Which chat turns are worth offering as prompts.

Chats hold many turns that are not prompts anyone would keep ("hi", "thanks", "continue",
"try again"), and people re-ask the same prompt with small edits. Both stay in the preview,
unselected: an unlikely prompt with its reason, and the older near-copies grouped under the
newest, which stays selected.
"""

import re
import zlib
from array import array
from collections import defaultdict

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

# Texts are compared by a sketch: the SKETCH smallest hashes of their character shingles. Two
# texts whose sketches agree this much are the same prompt with small edits.
SHINGLE = 4
SKETCH = 48
SIMILAR = 0.6
# Only the start of a long text is compared, so one prompt costs bounded work.
COMPARED_CHARACTERS = 4000
# Texts shorter than this are too short to call one an edit of another.
MIN_CHARACTERS = 20
# A text is compared only with the texts that share one of its BUCKET_KEYS smallest hashes,
# and with at most BUCKET_SIZE of them each: bounded work however large the file.
BUCKET_KEYS = 4
BUCKET_SIZE = 20


def sketch(text: str) -> array | None:
    """The text's sketch, or None when it is too short to compare."""
    plain = " ".join(WORD.findall(text[:COMPARED_CHARACTERS].lower()))
    if len(plain) < MIN_CHARACTERS:
        return None
    shingles = {plain[i : i + SHINGLE] for i in range(len(plain) - SHINGLE + 1)}
    hashes = sorted({zlib.crc32(shingle.encode()) for shingle in shingles})[:SKETCH]
    return array("I", hashes)


def resemblance(first: array, second: array) -> float:
    """How alike two texts are (0 to 1), estimated from their sketches."""
    size = min(SKETCH, len(set(first) | set(second)))
    union = sorted(set(first) | set(second))[:size]
    shared = set(first) & set(second)
    return sum(1 for value in union if value in shared) / max(size, 1)


class NearDuplicates:
    """Groups texts that are the same prompt with small edits. Add them one by one with a key
    each; `groups()` then gives each group of two or more keys."""

    def __init__(self):
        self._sketches: dict = {}
        self._buckets: dict[int, list] = defaultdict(list)
        self._parent: dict = {}

    def add(self, key, text: str) -> None:
        signature = sketch(text)
        if signature is None:
            return
        self._sketches[key] = signature
        self._parent[key] = key
        compared = set()
        for value in signature[:BUCKET_KEYS]:
            bucket = self._buckets[value]
            for other in bucket:
                if other in compared:
                    continue
                compared.add(other)
                if resemblance(signature, self._sketches[other]) >= SIMILAR:
                    self._join(key, other)
            if len(bucket) < BUCKET_SIZE:
                bucket.append(key)

    def _root(self, key):
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def _join(self, first, second) -> None:
        self._parent[self._root(first)] = self._root(second)

    def groups(self) -> list[list]:
        members: dict = defaultdict(list)
        for key in self._parent:
            members[self._root(key)].append(key)
        return [group for group in members.values() if len(group) > 1]
