"""The offline prompt analyzer: a score from 0 to 100 and concrete findings, computed from the
prompt's text alone, with no network and no model, so it can run on every keystroke pause.

The rules restate, in our own terms, the advice of two published guides:

- OpenAI's prompt engineering guide (platform docs) and its help-centre article of best
  practices for prompting its API: put the instructions first and set inserted text apart with
  delimiters such as triple quotes or ### ; be specific about the outcome, length, format and
  style; show the output format by example; replace vague, "fluffy" wording with precise
  terms; say what to do rather than only what not to do; reasoning models need no
  "think step by step".
- Anthropic's prompt engineering docs for Claude: be clear and direct and give the purpose and
  audience; give the model a role; wrap documents and other inserted material in XML tags so
  it is read as data, not instructions; use a few well-chosen examples; in long prompts keep
  sections separate; tell the model what to do instead of what not to do; put very long
  documents (about 20,000 tokens) at the top and the question at the end.

Each criterion scores what the text does, never how long it is: missing essentials (a task,
an output format) cost points, and every vague word, contradiction or unsafe insertion costs
more, so padding a prompt can only keep its score or lower it. Every rule is a single pass of
a regular expression without nested repetition, or a loop over at most MATCHES_EXAMINED of its
matches, so the work is linear in the text and bounded per rule; at most ANALYSED_MAX
characters (the content limit) are read, and each rule lists at most FINDINGS_SHOWN findings
(its score counts them all, up to MATCHES_EXAMINED; Analysis.capped says when one stopped).

`analyze` never raises: any string, with NUL characters, lone surrogates or a megabyte of
text, gets an Analysis. Spans are offsets in code points into the text analysed.
"""

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from apps.prompts.validation import CONTENT_MAX
from apps.prompts.variables import VARIABLE_RE

ANALYSED_MAX = CONTENT_MAX
FINDINGS_SHOWN = 20
SUGGESTIONS_SHOWN = 60
# A prompt this long (characters or lines) needs visible sections.
LONG_PROMPT_CHARS = 1_500
LONG_PROMPT_LINES = 25
WALL_OF_TEXT_CHARS = 1_200
# Repeated lines shorter than this are headings, separators or list stems, not repetition.
REPEATED_LINE_MIN = 25
REPEATED_LINE_FIX_MAX = 500
# Inserted material before the task: a delimited block this long is material, not a label, and
# text before the task this long is a long document, which Anthropic advises to put first
# (about 20,000 tokens).
MATERIAL_BLOCK_CHARS = 200
LONG_DOCUMENT_CHARS = 80_000
# Safety looks at this many placeholders; beyond it the score already says enough.
PLACEHOLDERS_CHECKED = 200
# A rule that counts its matches looks at this many at most: every score has reached its floor
# long before, nobody acts on thousands of findings, and text made of nothing but matches
# ("{{é}}" 14,000 times) would otherwise cost a loop in Python per match.
MATCHES_EXAMINED = 1_000


@dataclass(frozen=True)
class Finding:
    """One concrete problem or suggestion."""

    criterion: str
    message: str
    span: tuple[int, int] | None = None
    fix: str | None = None

    def as_dict(self) -> dict:
        return {
            "criterion": self.criterion,
            "message": self.message,
            "span": list(self.span) if self.span is not None else None,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    score: int
    weight: int
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "score": self.score,
            "weight": self.weight,
            "findings": [finding.as_dict() for finding in self.findings],
        }


@dataclass(frozen=True)
class Analysis:
    score: int
    criteria: tuple[Criterion, ...]
    suggestions: tuple[Finding, ...]
    # Characters read, and whether the text was longer than that.
    analysed_chars: int = 0
    truncated: bool = False
    # Whether a rule stopped counting its matches at MATCHES_EXAMINED.
    capped: bool = False

    def criterion(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "analysed_chars": self.analysed_chars,
            "truncated": self.truncated,
            "capped": self.capped,
            "criteria": [criterion.as_dict() for criterion in self.criteria],
            "suggestions": [finding.as_dict() for finding in self.suggestions],
        }


# key, label, weight: the order is the order shown.
CRITERIA = (
    ("task", "Clear task", 15),
    ("context", "Context", 8),
    ("format", "Output format", 12),
    ("constraints", "Constraints", 10),
    ("specificity", "Specificity", 14),
    ("structure", "Structure", 10),
    ("examples", "Examples", 7),
    ("consistency", "Consistency", 10),
    ("variables", "Variables", 7),
    ("safety", "Injection safety", 7),
)
LABELS = {key: label for key, label, _ in CRITERIA}

# Models that reason before answering; their makers advise against asking for the reasoning.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
REASONING_MODEL_RE = re.compile(r"^(?:o[134](?:$|[-_.])|gpt-5|deepseek-r1)", re.IGNORECASE)


@dataclass
class _Found:
    """A finding while it is being worked out: `cost` is the points it takes from its
    criterion, which also ranks it among the suggestions."""

    message: str
    cost: int
    span: tuple[int, int] | None = None
    fix: str | None = None


@dataclass
class _Result:
    score: int
    found: list[_Found] = field(default_factory=list)
    # Whether the rule stopped at MATCHES_EXAMINED matches.
    capped: bool = False


def _words(*alternatives: str) -> str:
    return "|".join(alternatives)


class _WordRule:
    r"""A word rule's expression, which starts at a word boundary: `\b(?:write|list…)…`.

    Python's engine tries an expression that starts with \b at every position of the text, but
    skips in C to the next possible first letter when every branch starts with a letter. So the
    rule is first searched without its leading \b, which matches wherever the rule does, and
    the rule itself only from there: text with none of the words (digits, markup, another
    script) is passed over in a fraction of a millisecond instead of 2 to 25 ms per rule for
    100 KB. Keep each branch starting with a letter, or the skip is lost (not the result).
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)
        self.skip = re.compile(pattern.removeprefix(r"\b"))

    def search(self, low: str, pos: int = 0) -> re.Match | None:
        first = self.skip.search(low, pos)
        return self.pattern.search(low, first.start()) if first else None

    def finditer(self, low: str, pos: int = 0) -> Iterator[re.Match]:
        first = self.skip.search(low, pos)
        return self.pattern.finditer(low, first.start()) if first else iter(())


def _by_first_letter(*alternatives: str) -> str:
    """The alternatives, each starting with a letter, as one branch per first letter: the
    engine tests the branches of an alternation one by one, so at each word the 110 task
    verbs cost 110 tests, and about 20 this way (finding the task in "<a>" repeated over
    100 KB: 9.4 ms, 1.7 ms). Only branches that can't match at the same place change order,
    so every match is the same."""
    rests: dict[str, list[str]] = {}
    for alternative in alternatives:
        rests.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{letter}(?:{'|'.join(rest)})" for letter, rest in rests.items())


def _upto(items: Iterator, limit: int = MATCHES_EXAMINED) -> tuple[list, bool]:
    """The first `limit` items, and whether there were more."""
    taken = list(_first(items, limit + 1))
    return taken[:limit], len(taken) > limit


def _more(hidden: int, capped: bool, what: str) -> _Found:
    """The line that stands for the findings not listed."""
    return _Found(f"…and {'more than ' if capped else ''}{hidden} more {what}.", 0)


# --- Task ------------------------------------------------------------------------------------

TASK_VERBS = _words(
    "write",
    "rewrite",
    "summari[sz]e",
    "classify",
    "categori[sz]e",
    "translate",
    "extract",
    "list",
    "explain",
    "generate",
    "create",
    "draft",
    "compose",
    "describe",
    "identify",
    "compare",
    "convert",
    "suggest",
    "give",
    "produce",
    "return",
    "find",
    "check",
    "evaluate",
    "rate",
    "score",
    "review",
    "analy[sz]e",
    "answer",
    "respond",
    "reply",
    "edit",
    "proofread",
    "correct",
    "fix",
    "improve",
    "outline",
    "plan",
    "design",
    "build",
    "implement",
    "refactor",
    "debug",
    "test",
    "tell",
    "show",
    "name",
    "recommend",
    "rank",
    "sort",
    "group",
    "label",
    "tag",
    "detect",
    "determine",
    "decide",
    "choose",
    "select",
    "calculate",
    "estimate",
    "predict",
    "brainstorm",
    "propose",
    "paraphrase",
    "simplify",
    "shorten",
    "expand",
    "format",
    "fill",
    "complete",
    "continue",
    "read",
    "use",
    "make",
    "prepare",
    "turn",
    "map",
    "match",
    "verify",
    "assess",
    "critique",
    "grade",
    "ask",
    "output",
    "provide",
    "act",
    "help",
    "imagine",
    "pretend",
    "reword",
    "split",
    "merge",
    "parse",
    "document",
    "note",
    "highlight",
    "flag",
    "interview",
    "teach",
    "quiz",
    "draw",
    "code",
    "search",
    "collect",
    "count",
    "measure",
    "clean",
    "normali[sz]e",
)
# A task is one of these at the start of a sentence, a line or a list item (TASK_LEAD_RE).
TASK_WORD_RE = _WordRule(
    r"\b(?:"
    + _by_first_letter(
        *(verb + r"\b" for verb in TASK_VERBS.split("|")),
        r"your (?:task|job|goal|role) is\b",
        r"you (?:will|must|should) \w",
    )
    + ")"
)
TASK_LEAD_RE = re.compile(
    r"(?:[.!?:;)\]>][ \t]+|\n)[ \t]*(?:[-*•>]+[ \t]*|\d{1,3}[.)][ \t]*)?"
    r"(?:please[ \t]+|now[ \t]+|then[ \t]+|first,?[ \t]+)?$"
)
TASK_LEAD_CHARS = 24
REQUEST_RE = _WordRule(
    r"\b(?:can you|could you|would you|i (?:want|need|would like) you to|i(?:'d| would) like"
    r"|help me|i need|i want)\b",
)
WEAK_VERB_RE = _WordRule(
    r"\b(?:deal with|look (?:at|into)|work on|do something(?: about| with)?|handle|take care"
    r" of)\b",
)
STEP_BY_STEP_RE = re.compile(
    r"\b(?:think|reason|work(?: it)? out|go)(?: through it)? step[- ]by[- ]step\b"
    r"|\bchain[- ]of[- ]thought\b|\bshow your (?:reasoning|thinking|work)\b",
)


def _find_task(low: str, start: int = 0) -> re.Match | None:
    """The first task instruction at or after `start`, in the lowered text. Past
    MATCHES_EXAMINED verbs none of which starts a sentence, the text is not a prompt that has
    one ("a write " repeated over 100 KB: 16.6 ms, 0.9 ms)."""
    for match in _first(TASK_WORD_RE.finditer(low, start), MATCHES_EXAMINED):
        at = match.start()
        lead = ("\n" if at <= TASK_LEAD_CHARS else "") + low[max(0, at - TASK_LEAD_CHARS) : at]
        if TASK_LEAD_RE.search(lead):
            return match
    return None


def _task(text: str, low: str, model: str | None, task: re.Match | None) -> _Result:
    found = []
    score = 100
    if not task:
        request = REQUEST_RE.search(low)
        if request:
            score = 70
            found.append(
                _Found(
                    "The task is asked for indirectly; state it as a direct instruction that "
                    "starts with a verb, for example “Summarize the report below in three "
                    "bullet points.”",
                    30,
                    request.span(),
                )
            )
        elif "?" in text:
            score = 60
            found.append(
                _Found(
                    "The prompt asks a question but gives no instruction: say what the answer "
                    "should contain and for whom.",
                    40,
                )
            )
        else:
            score = 15
            found.append(
                _Found(
                    "No task found: say what the model should do, starting with a verb "
                    "(Summarize, Write, Classify, Extract…).",
                    85,
                )
            )
    weak = list(_first(WEAK_VERB_RE.finditer(low), FINDINGS_SHOWN))
    for match in weak:
        found.append(
            _Found(
                f"“{_quote(text, match)}” doesn't say what to do: name the action (summarize, fix, "
                "rank, rewrite…).",
                10,
                match.span(),
            )
        )
    score -= 10 * min(len(weak), 3)
    if model and REASONING_MODEL_RE.match(model):
        for match in _first(STEP_BY_STEP_RE.finditer(low), 3):
            found.append(
                _Found(
                    f"{model} reasons on its own before answering; asking it to “"
                    f"{_quote(text, match)}” adds nothing and can make answers worse. Say what the "
                    "result must be instead.",
                    15,
                    match.span(),
                )
            )
            score -= 15
    return _Result(max(0, score), found)


# --- Context ---------------------------------------------------------------------------------

ROLE_RE = _WordRule(
    r"\b(?:you are|you're|act as|acting as|your role|take (?:on )?the role|play the role"
    r"|persona|as an? (?:expert|senior|experienced|professional|seasoned)\b)",
)
AUDIENCE_RE = _WordRule(
    r"\b(?:audience|readers?|readership|for (?:an? |the |our |my )?(?:[\w-]+ )?(?:beginners?"
    r"|experts?|executives?|children|kids|students?|customers?|developers?|engineers?"
    r"|managers?|users?|clients?|stakeholders?|team|staff|patients?|parents?|teachers?"
    r"|leaders?|newcomers?|novices?|professionals?|investors?|buyers?|visitors?|subscribers?"
    r"|employees?|colleagues?|lawyers?|doctors?|recruiters?|candidates?)|non-technical"
    r"|laypeople|layperson)\b",
)
PURPOSE_RE = _WordRule(
    r"\b(?:so that|so (?:they|we|i|you|it|he|she) can|in order to|the goal|goal is|purpose"
    r"|because|will be used|is used|to help (?:me|us|them|you)|we want|we need|i'm trying to"
    r"|i am trying to|aim is|objective|intended|the point is)\b",
)


def _context(low: str) -> _Result:
    found = []
    score = 25
    checks = (
        (
            ROLE_RE,
            "No role: one line such as “You are a support lead who…” sets the voice and the "
            "expertise to draw on.",
        ),
        (
            AUDIENCE_RE,
            "No audience: say who will read the answer (executives, beginners, customers…).",
        ),
        (
            PURPOSE_RE,
            "No purpose: say what the answer is for, so the model can judge what matters "
            "(“…so the on-call engineer can triage it”).",
        ),
    )
    for pattern, message in checks:
        if pattern.search(low):
            score += 25
        else:
            found.append(_Found(message, 25))
    return _Result(score, found)


# --- Format ----------------------------------------------------------------------------------

NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|a single|single"
# A kind of document is a format when it is what the prompt asks for, not what it reads.
DOCUMENT_ASKED = (
    r"[ \t]+(?:(?:an?|the|one|two|three|\d+|short|brief|new)[ \t]+)?(?:[a-z-]+[ \t]+)?"
    r"(?:email|tweet|memo|letter|essay|report|haiku|poem|outline|summary|slogan|tagline"
    r"|headline|title|script|function|query|regex|diagram|post|story|speech|reply)s?"
)
FORMAT_RE = _WordRule(
    r"\b(?:json|jsonl|markdown|table|csv|tsv|yaml|xml|html|bullet(?:ed)?s?|bullet points?"
    r"|numbered|checklist|list of|as a list|in a list|headings?|headers?|sections?"
    r"|format(?:ted)?|schema|template|code block|plain text|prose|paragraphs?|sentences?"
    r"|respond (?:with|in|only)|reply (?:with|in|only)|answer (?:with|in|only)"
    r"|output (?:as|in|only|format|a|an|the)|return (?:a|an|the|only|it as|just)|"
    # One branch per verb, each starting with its letter (see _WordRule).
    + "|".join(
        verb + DOCUMENT_ASKED
        for verb in (
            "write",
            "draft",
            "compose",
            "create",
            "generate",
            "produce",
            "make",
            "give me",
            "turn (?:it|this) into",
        )
    )
    + r")\b",
)


def _format(low: str) -> _Result:
    if FORMAT_RE.search(low):
        return _Result(100)
    return _Result(
        25,
        [
            _Found(
                "The answer's shape isn't stated: say whether you want prose, a list, a table "
                "or JSON (show the fields), and how long.",
                75,
            )
        ],
    )


# --- Constraints -----------------------------------------------------------------------------

UNITS = (
    r"(?:words?|characters?|chars|sentences?|paragraphs?|lines?|bullets?|bullet points?"
    r"|items?|pages?|tokens?|points?|examples?|options?|ideas?|questions?|steps?|tweets?"
    r"|sections?|minutes?)"
)
# A length is a count of units, or a word that bounds it.
COUNTED_LENGTH_RE = re.compile(
    rf"\b(?:\d[\d,]*(?:\s*(?:-|–|to)\s*\d[\d,]*)?|{NUMBER_WORDS})\s+(?:\w+\s+)?{UNITS}\b"
)
# Text without a unit has no count of one: looking for the unit first skips trying the count
# at every digit (21 ms for "1 " repeated over 100 KB, 0.2 ms now).
UNIT_RE = re.compile(UNITS)
LENGTH_WORD_RE = _WordRule(
    r"\b(?:brief(?:ly)?|concise(?:ly)?|short|succinct|one-liner|tl;?dr|max(?:imum)?|at most"
    r"|no more than|no longer than|under \d|fewer than|less than|limit(?:ed)? to|at least)\b",
)
TONE_WORDS = (
    "formal",
    "informal",
    "casual",
    "friendly",
    "professional",
    "neutral",
    "warm",
    "playful",
    "serious",
    "persuasive",
    "empathetic",
    "objective",
    "upbeat",
    "direct",
    "polite",
    "humorous",
    "academic",
    "conversational",
    "confident",
)
TONE_RE = _WordRule(
    r"\b(?:"
    + _by_first_letter(
        "tone",
        "voice",
        "style",
        "register",
        "plain (?:language|english|words)",
        *(word + "(?:ly)?" for word in TONE_WORDS),
    )
    + r")\b",
)
NEGATIVE_RE = _WordRule(
    r"\b(?:don['’]t|do not|never|avoid|must not|mustn['’]t|should not|shouldn['’]t)\b",
)


def _constraints(text: str, low: str) -> _Result:
    found = []
    score = 40
    if LENGTH_WORD_RE.search(low) or (UNIT_RE.search(low) and COUNTED_LENGTH_RE.search(low)):
        score += 30
    else:
        found.append(
            _Found(
                "No length: give a bound the model can meet (“under 150 words”, “three "
                "bullet points”).",
                30,
            )
        )
    if TONE_RE.search(low):
        score += 30
    else:
        found.append(
            _Found("No tone or style: say how it should sound (formal, warm, plain…).", 20)
        )
    # The penalty is full at four and the findings listed stop at FINDINGS_SHOWN, so later
    # negatives change nothing ("never " repeated over 100 KB: 10.4 ms, 4.7 ms).
    negatives = list(_first(NEGATIVE_RE.finditer(low), FINDINGS_SHOWN))
    penalty = min(30, 8 * len(negatives))
    for match in negatives:
        found.append(
            _Found(
                f"“{_quote(text, match)}” says what to avoid; also say what to do instead (“Don't "
                "use jargon” → “Use words a newcomer knows”).",
                8,
                match.span(),
            )
        )
    return _Result(max(0, score - penalty), found)


# --- Specificity -----------------------------------------------------------------------------

# Hedges: dropping them loses nothing, so their fix is mechanical.
HEDGE_RE = _WordRule(
    r"\b(?:maybe|perhaps|possibly|probably|kind of|sort of|somewhat|basically|just|try to"
    r"|i think|i guess|i suppose|feel free to|if possible|if you can|where possible|ideally)\b",
)
# Open-ended lists: the items meant are not named.
OPEN_LIST_RE = re.compile(r"\b(?:etc\b\.?|and so on|and so forth|and the like)")
OPEN_LIST_STEMS = ("etc", "and so ", "and the like")
VAGUE_WORDS = {
    "good": "say what good means here: accurate, brief, friendly, persuasive?",
    "nice": "say which quality you mean.",
    "great": "say which quality you mean.",
    "better": "say better in what way, and than what.",
    "appropriate": "say what is appropriate here.",
    "interesting": "say what should make it interesting.",
    "some": "give the number or name the items.",
    "several": "give the number.",
    "various": "name the kinds you mean.",
    "many": "give the number.",
    "few": "give the number.",
    "something": "name the thing you want.",
    "anything": "name what is allowed.",
    "stuff": "name the things you mean.",
    "things": "name the things you mean.",
    "whatever": "say what you want.",
    "relevant": "say what counts as relevant.",
    "properly": "say what proper means here.",
    "reasonable": "give the bound you have in mind.",
    "fairly": "drop it, or give the measure.",
    "quite": "drop it, or give the measure.",
    "really": "drop it, or give the measure.",
    "very": "drop it, or give the measure.",
    "lots": "give the number.",
    "somehow": "say how.",
}
VAGUE_RE = _WordRule(r"\b(?:" + _by_first_letter(*VAGUE_WORDS, "a lot") + r")\b")
# Each vague word keeps this share of the criterion's score: five leave about 70, twenty 23.
VAGUE_KEEP = 0.93


def _specificity(text: str, low: str) -> _Result:
    found: list[_Found] = []
    count = 0
    capped = False
    open_lists = OPEN_LIST_RE.finditer(low) if _any_in(OPEN_LIST_STEMS, low) else iter(())
    for matches, finding in (
        (HEDGE_RE.finditer(low), _hedge_finding),
        (open_lists, _open_list_finding),
        (VAGUE_RE.finditer(low), _vague_finding),
    ):
        # The score is 0 from 73 words on, so counting stops at MATCHES_EXAMINED ("maybe "
        # repeated over 100 KB: 6.6 ms, 1.9 ms).
        examined, more = _upto(matches)
        capped |= more
        count += len(examined)
        found += [finding(text, match) for match in examined[: FINDINGS_SHOWN - len(found)]]
    score = round(100 * VAGUE_KEEP**count)
    if count > len(found):
        found.append(_more(count - len(found), capped, "vague or hedging words"))
    return _Result(score, found, capped)


def _vague_finding(text: str, match: re.Match) -> _Found:
    word = _quote(text, match)
    advice = VAGUE_WORDS.get(word.lower(), "give the number or name the items.")
    return _Found(f"“{word}” is vague: {advice}", 7, match.span())


def _hedge_finding(text: str, match: re.Match) -> _Found:
    """The hedge, and how to drop it without leaving a stray comma or space: "short, if
    possible." becomes "short."; "Maybe add…" becomes "Add…"; elsewhere no fix is offered."""
    start, end = match.span()
    words = text[start:end]
    fix: str | None = None
    following = text[end : end + 2]
    if text[max(0, start - 2) : start] == ", " and (end == len(text) or not text[end].isalnum()):
        start -= 2
        fix = ""
    elif following[:1] in {" ", ","}:
        end += 2 if following == ", " else 1
        fix = ""
        # The next word takes the capital the hedge had.
        if words[:1].isupper() and end < len(text) and text[end].isalpha():
            fix = text[end].upper()
            end += 1
    return _Found(
        f"“{words}” hedges: state the instruction plainly, or drop it if it is optional.",
        7,
        (start, end),
        fix,
    )


def _open_list_finding(text: str, match: re.Match) -> _Found:
    start, end = match.span()
    # The comma and spaces before it go with it.
    lead = len(text[max(0, start - 10) : start]) - len(text[max(0, start - 10) : start].rstrip())
    start -= lead
    if text[start - 1 : start] == ",":
        start -= 1
    removed = text[start:end]
    # "pears, etc." at the end of a sentence keeps its full stop.
    fix = "." if removed.endswith(".") and (end == len(text) or text[end].isspace()) else ""
    return _Found(
        f"“{removed.strip(', ')}” leaves the list open: name every item you mean, or say "
        "“only these”.",
        7,
        (start, end),
        fix,
    )


# --- Structure -------------------------------------------------------------------------------

SECTION_RE = re.compile(
    r"```|\"\"\"|'''|^[ \t]*(?:#{1,6}[ \t]|-{3,}[ \t]*$|={3,}[ \t]*$|[-*•][ \t]|\d{1,3}[.)][ \t]"
    r"|[A-Z][A-Za-z /&-]{1,40}:[ \t]*$)",
    re.MULTILINE,
)
OPEN_TAG_RE = re.compile(r"<([A-Za-z_][A-Za-z0-9_.-]{0,63})(?:[ \t][^<>\n]{0,200})?>")
CLOSE_TAG_RE = re.compile(r"</([A-Za-z_][A-Za-z0-9_.-]{0,63})[ \t]*>")
PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")
# str.casefold makes a line at most three times longer ("ﬃ" → "ffi"), so a line shorter than
# a third of REPEATED_LINE_MIN can't be one that counts.
REPEATABLE_LINE_RE = re.compile(rf"[^\n]{{{-(-REPEATED_LINE_MIN // 3)},}}")


def _structure(text: str, tags: "_Tags", task: re.Match | None) -> _Result:
    found: list[_Found] = []
    score = 100
    long = len(text) >= LONG_PROMPT_CHARS or text.count("\n") + 1 >= LONG_PROMPT_LINES
    if long and not tags.paired and not SECTION_RE.search(text):
        score -= 40
        found.append(
            _Found(
                "A long prompt with no sections: put the instructions, the context and any "
                "inserted material under headings, or inside tags such as "
                "<document>…</document>, so each part is read for what it is.",
                40,
            )
        )
    walls = 0
    start = 0
    # Only a paragraph longer than WALL_OF_TEXT_CHARS can be a wall, and the longest is found
    # in C: no loop over every paragraph when none is (14 ms for 100 KB of blank lines).
    if max(map(len, PARAGRAPH_BREAK_RE.split(text))) <= WALL_OF_TEXT_CHARS:
        breaks = ()
    else:
        breaks = (*PARAGRAPH_BREAK_RE.finditer(text), None)
    for match in breaks:
        end = match.start() if match else len(text)
        if end - start > WALL_OF_TEXT_CHARS and "\n" not in text[start:end].strip():
            walls += 1
            if walls <= 3:
                found.append(
                    _Found(
                        f"A {end - start:,}-character paragraph: break it into short "
                        "paragraphs or a list, one instruction each.",
                        10,
                        (start, end),
                    )
                )
        start = match.end() if match else len(text)
    score -= 10 * min(walls, 3)
    material = _material_before(text, tags, task)
    if material:
        opening = not text[: material[0]].strip()
        score -= 20
        found.append(
            _Found(
                (
                    "The prompt opens with inserted material and gives the task after it"
                    if opening
                    else f"“{_short(text[material[0] : material[1]])}” is inserted before "
                    "the task is given"
                )
                + ": state the task first, so the material is read with it in mind (with "
                "very long material, repeat the question at the end too).",
                20,
                material,
            )
        )
    seen: dict[str, int] = {}
    repeats = 0
    number, counted_to = 1, 0
    # Only lines long enough to count are visited, found in C (10 ms saved on 100 KB of
    # blank lines); the penalty is full and the list stops at FINDINGS_SHOWN repeats.
    for line in REPEATABLE_LINE_RE.finditer(text):
        line_start, line_end = line.span()
        number += text.count("\n", counted_to, line_start)
        counted_to = line_start
        key = " ".join(line.group().split()).casefold()
        if len(key) < REPEATED_LINE_MIN:
            continue
        if key not in seen:
            seen[key] = number
            continue
        repeats += 1
        removable = line_end - line_start <= REPEATED_LINE_FIX_MAX
        # The line goes with its line break, so no empty line is left behind.
        end = line_end + 1 if line_end < len(text) else line_end
        found.append(
            _Found(
                f"This line repeats line {seen[key]} word for word: say it once.",
                8,
                (line_start, end),
                "" if removable else None,
            )
        )
        if repeats == FINDINGS_SHOWN:
            break
    score -= min(40, 8 * repeats)
    return _Result(max(0, score), found)


def _material_before(text: str, tags: "_Tags", task: re.Match | None) -> tuple[int, int] | None:
    """The span of the first inserted material that comes before the first task instruction,
    unless the task is stated before any.

    OpenAI's guide puts the instructions first, with the material after them; Anthropic's puts
    very long documents (about 20,000 tokens and more) first and the question at the end. So
    material before the task is a finding unless what precedes the task is that long. The
    material is a placeholder that opens the prompt, one named for outside text that ends its
    line ("Here is the article: {{article}}"), or a tag pair (not markup or an example) or a
    fenced block that holds a placeholder or at least MATERIAL_BLOCK_CHARS characters.
    """
    if task is None or task.start() >= LONG_DOCUMENT_CHARS:
        return None
    before = task.start()
    candidates = []
    opening = re.match(r"\s*", text).end()
    for match in _first(VARIABLE_RE.finditer(text, 0, before), PLACEHOLDERS_CHECKED):
        start, end = match.span()
        line_end = text.find("\n", end)
        ends_line = not text[end : before if line_end < 0 else min(line_end, before)].strip()
        if start == opening or (ends_line and OUTSIDE_TEXT_RE.search(match.group(1))):
            candidates.append(match.span())
            break
    fences = tags.fences
    for index in range(0, len(fences) - 1, 2):
        if fences[index + 1] >= before:
            break
        if _is_material(text, fences[index], fences[index + 1] + 3):
            candidates.append((fences[index], fences[index + 1] + 3))
            break
    for start, opened_end, name in _first(iter(tags.opened), MATCHES_EXAMINED):
        if start >= before:
            break
        close = tags.close_after(name, opened_end)
        # Markup and examples are not material (HTML_TAGS holds both).
        if close is not None and close < before and name.lower() not in HTML_TAGS:
            block_end = text.index(">", close) + 1
            if _is_material(text, start, block_end):
                candidates.append((start, block_end))
                break
    return min(candidates) if candidates else None


def _is_material(text: str, start: int, end: int) -> bool:
    return end - start >= MATERIAL_BLOCK_CHARS or VARIABLE_RE.search(text, start, end) is not None


# --- Examples --------------------------------------------------------------------------------

NEEDS_EXAMPLES_RE = _WordRule(
    r"\b(?:classify|classification|categori[sz]e|categori[sz]ation|label(?:s|ling|ing)?"
    r"|sentiment|extract|extraction|parse|json|yaml|csv|schema|in the style of|match the"
    r"(?: same)? style|same format|following format)\b",
)
EXAMPLES_RE = re.compile(
    r"\b(?:examples?|e\.g\.|for instance|such as|sample|like this)\b|<examples?>"
    r"|^[ \t]*(?:input|output|q|a|user|assistant|text|label|answer|example)[ \t]*\d*[ \t]*:",
    re.MULTILINE,
)


def _examples(text: str, low: str) -> _Result:
    need = NEEDS_EXAMPLES_RE.search(low)
    if not need or EXAMPLES_RE.search(low):
        return _Result(100)
    return _Result(
        35,
        [
            _Found(
                f"The task asks to “{_quote(text, need)}” but shows no example: add one to three "
                "short input → expected output pairs, in <example> tags, covering a tricky "
                "case.",
                65,
                need.span(),
            )
        ],
    )


# --- Consistency -----------------------------------------------------------------------------

OPPOSITES = (
    (
        "brevity",
        r"concise(?:ly)?|brief(?:ly)?|short|succinct|terse|one sentence|one line|in a few words",
        r"detailed|thorough(?:ly)?|comprehensive|in-depth|in depth|exhaustive|elaborate|extensive"
        r"|long-form|at length|every detail",
    ),
    ("register", r"formal", r"casual|informal|slangy|slang|chatty"),
    ("mood", r"serious", r"humorous|funny|jokes|joke|jokey|playful"),
    ("stance", r"objective|neutral|unbiased|impartial", r"persuasive|opinionated|one-sided"),
)


def _stems(alternation: str) -> tuple[str, ...]:
    """The literal start of each alternative: text without any of them can't match."""
    return tuple(re.split(r"[(\[?\\]", alternative)[0] for alternative in alternation.split("|"))


OPPOSITE_STEMS = {
    name: (_stems(one_side), _stems(other_side)) for name, one_side, other_side in OPPOSITES
}
# For each pair: either side (its group names which), then each side alone.
OPPOSITE_RES = {
    name: (
        re.compile(rf"\b(?:(?P<one>{one_side})|(?P<other>{other_side}))\b"),
        re.compile(rf"\b(?:{one_side})\b"),
        re.compile(rf"\b(?:{other_side})\b"),
    )
    for name, one_side, other_side in OPPOSITES
}
# Words that name a thing rather than ask for a length: "the brief", "in short", "short story".
NOT_A_LENGTH_RE = re.compile(
    r"(?:the|a|this|your|our) brief\b|in short\b|short[- ](?:story|stories|film|term|list|cut)",
)
# A count and its unit; the words before it say whether it is a maximum or a minimum. Starting
# at the digit lets the engine skip ahead quickly to the few places that can match.
COUNT_RE = re.compile(rf"(\d[\d,]{{0,9}})\s+({UNITS})\b")
MAXIMUM_RE = re.compile(
    r"\b(?:at most|no more than|not more than|under|fewer than|less than|maximum(?: of)?|max"
    r"|up to|within)\s+$",
)
MINIMUM_RE = re.compile(
    r"\b(?:at least|no fewer than|no less than|more than|minimum(?: of)?|min)\s+$",
)
QUALIFIER_CHARS = 20


def _consistency(text: str, low: str) -> _Result:
    found = []
    for name, _, _ in OPPOSITES:
        one_stems, other_stems = OPPOSITE_STEMS[name]
        if not (_any_in(one_stems, low) and _any_in(other_stems, low)):
            continue
        first = _first_meant(OPPOSITE_RES[name][0], low, 0)
        if not first:
            continue
        # Whichever side came first, the other is looked for after it.
        other = OPPOSITE_RES[name][2 if first.lastgroup == "one" else 1]
        second = _first_meant(other, low, first.end())
        if second:
            earlier, later = sorted((first, second), key=lambda match: match.start())
            found.append(
                _Found(
                    f"“{_quote(text, later)}” pulls against “{_quote(text, earlier)}” earlier: "
                    "keep one, or say which part of the answer gets which.",
                    35,
                    later.span(),
                )
            )
    maximums: dict[str, tuple[int, int, int]] = {}
    minimums: list[tuple[int, int, str, int]] = []
    counts = COUNT_RE.finditer(low) if UNIT_RE.search(low) else ()
    for match in _first(counts, 500):
        before = low[max(0, match.start() - QUALIFIER_CHARS) : match.start()]
        bound = MAXIMUM_RE.search(before) or MINIMUM_RE.search(before)
        if not bound:
            continue
        start = match.start() - len(before) + bound.start()
        unit, number = _unit(match.group(2)), _number(match.group(1))
        if bound.re is MAXIMUM_RE:
            maximums.setdefault(unit, (start, match.end(), number))
        else:
            minimums.append((start, match.end(), unit, number))
    for start, end, unit, number in minimums:
        if unit in maximums and number > maximums[unit][2]:
            most_start, most_end, _ = maximums.pop(unit)
            found.append(
                _Found(
                    f"“{_short(text[start:end])}” can't be met together with “"
                    f"{_short(text[most_start:most_end])}”.",
                    35,
                    (start, end),
                )
            )
    return _Result(max(0, 100 - sum(item.cost for item in found)), found)


def _any_in(stems: tuple[str, ...], low: str) -> bool:
    return any(stem in low for stem in stems)


def _first_meant(pattern: re.Pattern, low: str, start: int) -> re.Match | None:
    """The first match from `start` that isn't part of a name such as "the brief"."""
    for match in pattern.finditer(low, start):
        window_start = max(0, match.start() - 6)
        window = low[window_start : match.end() + 10]
        if not any(
            window_start + name.start() <= match.start() < window_start + name.end()
            for name in NOT_A_LENGTH_RE.finditer(window)
        ):
            return match
    return None


def _unit(word: str) -> str:
    word = word.lower().split()[-1]
    return word[:-1] if word.endswith("s") else word


def _number(digits: str) -> int:
    return int(digits.replace(",", "") or 0)


# --- Variables -------------------------------------------------------------------------------

VALID_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}")
EMPTY_PLACEHOLDER_RE = re.compile(r"\{\{[ \t]*\}\}")
# Double braces that aren't blank and that VARIABLE_RE doesn't read as a placeholder. Saying so
# in the expression (and SINGLE_BRACE_RE's surroundings in its own) spares a check in Python of
# every good placeholder (the variables rule on "{{x}} " repeated over 100 KB: 16.6 ms, 2.4 ms).
BAD_PLACEHOLDER_RE = re.compile(
    rf"\{{\{{(?!\s*(?:{VALID_NAME_RE.pattern}\s*)?\}}\}})([^{{}}\n]{{1,100}})\}}\}}"
)
DOLLAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}")
# Inside {{x}} or ${x} it is not a single-brace placeholder.
SINGLE_BRACE_RE = re.compile(r"(?<![{$])\{([A-Za-z_][A-Za-z0-9_]{0,63})\}(?!\})")
ANGLE_RE = re.compile(r"<([A-Za-z_][A-Za-z0-9_]{0,63})>")
# Tags that are markup, not placeholders, even without a closing tag.
HTML_TAGS = frozenset(
    "a abbr b br code div em hr i img kbd li ol p pre s small span strong sub sup table td th"
    " tr u ul example examples".split()
)


def _variables(text: str, declared: Sequence[str] | None, tags: "_Tags") -> _Result:
    found: list[_Found] = []
    count = 0
    capped = False

    def add(problems: Iterator, finding: Callable[..., _Found]) -> None:
        """Count each problem (MATCHES_EXAMINED at most); list the first ones."""
        nonlocal count, capped
        examined, more = _upto(problems)
        capped |= more
        count += len(examined)
        found.extend(finding(problem) for problem in examined[: FINDINGS_SHOWN - len(found)])

    add(
        EMPTY_PLACEHOLDER_RE.finditer(text),
        lambda match: _Found("An empty placeholder: name it, or remove it.", 25, match.span(), ""),
    )
    add(BAD_PLACEHOLDER_RE.finditer(text), _bad_placeholder_finding)
    if VARIABLE_RE.search(text):
        others = _first(DOLLAR_RE.finditer(text), MATCHES_EXAMINED)
        others = [*others, *_first(SINGLE_BRACE_RE.finditer(text), MATCHES_EXAMINED)]
        others += [
            match
            for match in _first(ANGLE_RE.finditer(text), MATCHES_EXAMINED)
            if match.group(1).lower() not in HTML_TAGS and match.group(1) not in tags.closed
        ]
        others.sort(key=lambda match: match.start())
        add(iter(others), _other_syntax_finding)
    names = [name for name in (declared or ()) if isinstance(name, str)]
    if names:
        declared_set = set(names)
        # Every name used, in C; the span is looked for only for those listed.
        used = dict.fromkeys(VARIABLE_RE.findall(text))
        add(
            iter([name for name in used if name not in declared_set]),
            lambda name: _Found(
                f"“{{{{{name}}}}}” isn't among the variables declared in the metadata: "
                "declare it, or fix its spelling.",
                25,
                _placeholder_of(text, name).span(),
            ),
        )
        for name in dict.fromkeys(names):
            if name not in used:
                count += 1
                if count <= FINDINGS_SHOWN:
                    found.append(
                        _Found(
                            f"“{name}” is declared in the metadata but the prompt never uses "
                            f"it: add “{{{{{name}}}}}” where it belongs, or remove the "
                            "declaration.",
                            25,
                        )
                    )
    if count > len(found):
        found.append(_more(count - len(found), capped, "placeholder problems"))
    return _Result(max(0, 100 - 25 * count), found, capped)


def _bad_placeholder_finding(match: re.Match) -> _Found:
    candidate = re.sub(r"\s+", "_", match.group(1).strip())
    fix = "{{" + candidate + "}}" if VALID_NAME_RE.fullmatch(candidate) else None
    return _Found(
        f"“{_short(match.group(0))}” can't be filled in: names are letters, digits, "
        "_ . and -, starting with a letter or _, with no spaces.",
        25,
        match.span(),
        fix,
    )


def _other_syntax_finding(match: re.Match) -> _Found:
    name = match.group(1)
    syntax = {"$": "${name}", "{": "{name}", "<": "<name>"}[match.group(0)[0]]
    return _Found(
        f"“{match.group(0)}” uses the {syntax} syntax beside double-brace placeholders; only "
        f"double braces are filled in, so write it as “{{{{{name}}}}}”.",
        25,
        match.span(),
        "{{" + name + "}}",
    )


def _placeholder_of(text: str, name: str) -> re.Match:
    """The first placeholder that names `name`."""
    return re.search(r"\{\{\s*" + re.escape(name) + r"\s*\}\}", text)


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- Safety ----------------------------------------------------------------------------------

# Placeholder names that usually carry text from outside: what a user, a customer or a web page
# wrote. Instructions inside such text must not be obeyed.
OUTSIDE_TEXT_RE = re.compile(
    r"(?:^|[_.\-])(?:input|user|message|msg|query|question|text|email|mail|document|doc|article"
    r"|content|comment|review|feedback|ticket|transcript|conversation|chat|code|snippet|data"
    r"|context|notes?|post|request|body|page|html|source|essay|reply|description|bio|resume"
    r"|cv|letter|tweet|report|file|paste|excerpt|passage)s?(?:$|[_.\-])",
    re.IGNORECASE,
)
FENCE_RE = re.compile(r"```|\"\"\"|'''")
QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "«": "»", "[": "]", "`": "`"}


class _Tags:
    """XML-like tags and fences of the text, each worked out when a rule first asks: the
    closing positions of each name, whether any opening tag has a closing one, every opening
    tag in order, and where the fences and triple quotes are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.closes: dict[str, list[int]] = {}
        for match in CLOSE_TAG_RE.finditer(text):
            self.closes.setdefault(match.group(1), []).append(match.start())
        self.closed = frozenset(self.closes)

    @cached_property
    def paired(self) -> bool:
        # With no closing tag there is no pair: no list of every opening tag ("<a>" 33,000
        # times took 14 ms).
        return bool(self.closed) and any(
            match.group(1) in self.closed for match in OPEN_TAG_RE.finditer(self.text)
        )

    @cached_property
    def opened(self) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group(1)) for m in OPEN_TAG_RE.finditer(self.text)]

    @cached_property
    def fences(self) -> list[int]:
        return [match.start() for match in FENCE_RE.finditer(self.text)]

    def close_after(self, name: str, position: int) -> int | None:
        """Where the first closing tag of `name` at or after `position` starts."""
        positions = self.closes.get(name, [])
        after = bisect_left(positions, position)
        return positions[after] if after < len(positions) else None

    def encloses(self, start: int, end: int) -> bool:
        """Whether [start, end) is inside a tag pair or a fenced or triple-quoted block."""
        if bisect_left(self.fences, start) % 2 == 1:
            return True
        index = bisect_left(self.opened, (start,))
        # The nearest few opening tags before the span: one of them should be its wrapper.
        for _opened_at, opened_end, name in reversed(self.opened[max(0, index - 20) : index]):
            if opened_end > start:
                continue
            close = self.close_after(name, opened_end)
            if close is not None and close >= end:
                return True
        return False


def _safety(text: str, tags: _Tags) -> _Result:
    found: list[_Found] = []
    count = 0
    seen: set[str] = set()
    for index, match in enumerate(VARIABLE_RE.finditer(text)):
        if index >= PLACEHOLDERS_CHECKED:
            break
        name = match.group(1)
        if name in seen or not OUTSIDE_TEXT_RE.search(name):
            continue
        start, end = match.span()
        if tags.encloses(start, end) or _quoted(text, start, end):
            seen.add(name)
            continue
        seen.add(name)
        count += 1
        if len(found) < FINDINGS_SHOWN:
            tag = name.replace(".", "_")
            found.append(
                _Found(
                    f"“{match.group(0)}” is pasted in as is: wrap it in tags and treat it as "
                    "data, so instructions hidden in it aren't followed.",
                    30,
                    (start, end),
                    f"<{tag}>\n{match.group(0)}\n</{tag}>",
                )
            )
    return _Result(max(0, 100 - 30 * count), found)


def _quoted(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    return bool(before) and QUOTE_PAIRS.get(before) == after


# --- Putting it together ---------------------------------------------------------------------


def analyze(
    text: str, *, model: str | None = None, declared: Sequence[str] | None = None
) -> Analysis:
    """Score `text` as a prompt for `model` against the criteria above. `declared` names the
    variables declared in the prompt's metadata, when it has any."""
    text = text if isinstance(text, str) else ""
    model = model if isinstance(model, str) else None
    truncated = len(text) > ANALYSED_MAX
    text = text[:ANALYSED_MAX]
    if text.isspace() or not text:
        # Nothing to read: the rules are not run at all (72 ms for 100 KB of line breaks).
        results = {key: _Result(0) for key, _, _ in CRITERIA}
        results["task"] = _Result(0, [_Found("The prompt is empty.", 100)])
    else:
        results = _results(text, model, declared)
    criteria = []
    ranked = []
    for position, (key, label, weight) in enumerate(CRITERIA):
        result = results[key]
        findings = tuple(
            Finding(criterion=key, message=item.message, span=item.span, fix=item.fix)
            for item in result.found
        )
        criteria.append(
            Criterion(
                key=key,
                label=label,
                score=min(100, max(0, int(result.score))),
                weight=weight,
                findings=findings,
            )
        )
        for order, (item, finding) in enumerate(zip(result.found, findings, strict=True)):
            if item.cost > 0:
                ranked.append((-item.cost * weight, position, order, finding))
    ranked.sort(key=lambda entry: entry[:3])
    total_weight = sum(criterion.weight for criterion in criteria)
    score = round(sum(c.score * c.weight for c in criteria) / total_weight)
    return Analysis(
        score=min(100, max(0, score)),
        criteria=tuple(criteria),
        suggestions=tuple(entry[3] for entry in ranked[:SUGGESTIONS_SHOWN]),
        analysed_chars=len(text),
        truncated=truncated,
        capped=any(result.capped for result in results.values()),
    )


def _results(text: str, model: str | None, declared: Sequence[str] | None) -> dict[str, _Result]:
    low = _lowered(text)
    tags = _Tags(text)
    task = _find_task(low)
    return {
        "task": _task(text, low, model, task),
        "context": _context(low),
        "format": _format(low),
        "constraints": _constraints(text, low),
        "specificity": _specificity(text, low),
        "structure": _structure(text, tags, task),
        "examples": _examples(text, low),
        "consistency": _consistency(text, low),
        "variables": _variables(text, declared, tags),
        "safety": _safety(text, tags),
    }


def _lowered(text: str) -> str:
    r"""The text with ASCII capitals lowered, at the same offsets, which lets the word rules
    match without IGNORECASE, many times faster in Python's engine.

    str.lower also lowers other letters, which no rule can tell apart (\w, \s, \d and the
    boundaries stay the same), except two: "İ" becomes two characters and the Kelvin sign a
    "k". Without them it gives the same matches as lowering ASCII alone, which str.translate
    does character by character on text that isn't all ASCII (11 ms for 100 KB, 0.3 ms).
    """
    if "\u0130" in text or "\u212a" in text:
        return text.translate(ASCII_LOWER)
    return text.lower()


def _quote(text: str, match: re.Match) -> str:
    """What a match on the lowered text covers, as written."""
    return _short(text[match.start() : match.end()])


def _first(iterator, count: int):
    for index, item in enumerate(iterator):
        if index >= count:
            return
        yield item
