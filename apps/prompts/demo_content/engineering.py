"""Engineering: reviews, debugging, documentation, tests and operations."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

CODE_REVIEW_V1 = """\
Review this {{language}} change as a senior engineer.

{{diff}}

List the problems you find, most important first."""

CODE_REVIEW_V2 = """\
Review this {{language}} change as a senior engineer.

{{diff}}

List the problems you find, most important first. Label each one
blocker, should-fix or nit, and quote the line it refers to."""

CODE_REVIEW_V3 = """\
Review this {{language}} change as a senior engineer who cares about security.

{{diff}}

1. List the problems you find, most important first. Label each one
   blocker, should-fix or nit, and quote the line it refers to.
2. Then check specifically for injection, missing authorisation checks and secrets
   in code or logs.
3. End with one sentence: would you approve this change as it is?"""

README_V1 = """\
Write a README for our internal {{language}} library {{library_name}}.

Source of the main module:
{{source}}"""

README_V2 = """\
Write a README for our internal {{language}} library {{library_name}}, for engineers on
other teams who have never seen it.

Source of the main module:
{{source}}

Sections: What it does (two sentences), Install, A first example that runs as written,
Configuration (a table of options with defaults), Who to ask."""

README_V3 = """\
Write a README for our internal {{language}} library {{library_name}}, for engineers on
other teams who have never seen it.

Source of the main module:
{{source}}

Sections: What it does (two sentences), Install, A first example that runs as written,
Configuration (a table of options with defaults), Limits and known problems, Who to ask.
Only describe behaviour you can see in the source; where you are guessing, write
"(unverified)" so we can check it."""

POSTMORTEM_V1 = """\
Draft a postmortem for this incident.

Timeline:
{{timeline}}"""

POSTMORTEM_V2 = """\
Draft a blameless postmortem for the incident "{{incident_title}}".

Timeline (UTC):
{{timeline}}

Impact: {{impact}}

Sections: Summary, Impact, Timeline, Root cause, What went well, What went badly,
Action items (each with an owner and a due date)."""

POSTMORTEM_V3 = """\
Draft a blameless postmortem for the incident "{{incident_title}}".

Timeline (UTC):
{{timeline}}

Impact: {{impact}}

Sections: Summary, Impact, Timeline, Root cause, Contributing factors, What went well,
What went badly, Action items (each with an owner and a due date).
Describe what systems and processes allowed the mistake, never who made it. Separate
detection time from resolution time, and mark each action item as prevent, detect or
mitigate."""

PROMPTS = (
    DemoPrompt(
        name="Code review checklist",
        description="A structured review of a diff, with severities.",
        folder="engineering/code-review",
        tags=("engineering", "code-review", "favourite"),
        model="claude-sonnet-4",
        content=CODE_REVIEW_V1,
        revisions=(
            Revision(CODE_REVIEW_V2, "Ask for a severity and the quoted line for each finding"),
            Revision(CODE_REVIEW_V3, "Add a security pass and a clear verdict"),
        ),
    ),
    DemoPrompt(
        name="Explain a stack trace",
        description="From an error to its most likely cause and a fix.",
        folder="engineering",
        tags=("engineering",),
        model="gpt-4.1",
        content=(
            "I am working on a {{framework}} application. Explain this error to me:\n\n"
            "{{stack_trace}}\n\n"
            "Say which frame is most likely at fault and why, give the smallest change that "
            "would fix it, and one way to confirm the fix."
        ),
    ),
    DemoPrompt(
        name="SQL from a question",
        description="Writes a PostgreSQL query against a given schema.",
        folder="engineering",
        tags=("engineering",),
        is_public=True,
        content=(
            "Given this PostgreSQL schema:\n\n{{schema}}\n\n"
            "Write one query that answers: {{question}}\n"
            "Use explicit JOINs, name every column, and explain any index the query relies on."
        ),
    ),
    DemoPrompt(
        name="Pull request description from a diff",
        description="A description reviewers can read before the code.",
        folder="engineering/code-review",
        tags=("engineering", "code-review", "docs"),
        model="claude-sonnet-4",
        content="""\
Write a pull request description for this diff:

{{diff}}

Related issue: {{issue_link}}

Sections: Why (the problem in two sentences), What changed (bullets, grouped by area),
How to test (steps a reviewer can follow), Risks and rollback. Mention any migration,
new setting or changed default explicitly. Don't describe code line by line.""",
    ),
    DemoPrompt(
        name="Review a database migration",
        description="Locks, rewrites and rollback risks before a migration ships.",
        folder="engineering/code-review",
        tags=("engineering", "code-review", "data"),
        model="o3",
        content="""\
Review this {{database}} migration before it runs on a table with {{row_count}} rows that
serves live traffic:

{{migration}}

For each operation say whether it takes a lock that blocks reads or writes, for how long it
may hold it, and whether it rewrites the table. Suggest a safer sequence if there is one
(for example: add the column nullable, backfill in batches, then add the constraint).
State how to roll it back.""",
    ),
    DemoPrompt(
        name="Investigate a flaky test",
        description="Likely causes of a test that fails one run in twenty.",
        folder="engineering/debugging",
        tags=("engineering",),
        model="claude-opus-4",
        content="""\
This {{language}} test passes locally and fails on CI about {{failure_rate}} of the time.

Test:
{{test_code}}

Failure output:
{{failure_output}}

List the most likely causes in order (shared state, ordering, time, randomness, network,
concurrency, resource limits), with the evidence for each from the code and output above.
For the top two, give a change that would make the test deterministic.""",
    ),
    DemoPrompt(
        name="Find a performance regression",
        description="A plan to locate what made an endpoint slower.",
        folder="engineering/debugging",
        tags=("engineering", "data"),
        model="gpt-5",
        content="""\
The endpoint {{endpoint}} got slower after release {{release}}: p95 went from
{{before_ms}} ms to {{after_ms}} ms. Changes in that release:

{{changelog}}

Rank the changes by how likely each is to explain it and why. For the top three, say what to
measure to confirm or rule it out (query counts, query plans, payload sizes, cache hit rates)
and the quickest experiment that would tell us.""",
    ),
    DemoPrompt(
        name="Read a production log excerpt",
        description="What happened, in order, from a noisy log.",
        folder="engineering/debugging",
        tags=("engineering",),
        model="gemini-2.5-pro",
        content="""\
Here are production logs from {{service}} around {{time_window}}:

{{logs}}

Reconstruct what happened as a short timeline. Separate what the logs show from what you
infer. Point out the first line that looks abnormal, and any request id or user id that
appears in more than one error. Ignore routine health-check lines.""",
    ),
    DemoPrompt(
        name="README for an internal library",
        description="A README other teams can use without asking the authors.",
        folder="engineering/docs",
        tags=("engineering", "docs", "writing"),
        model="claude-sonnet-4",
        content=README_V1,
        revisions=(
            Revision(README_V2, "Write for engineers on other teams; fix the sections"),
            Revision(README_V3, "Add known limits and mark guesses as unverified"),
        ),
    ),
    DemoPrompt(
        name="Architecture decision record",
        description="Records a technical decision with its context and trade-offs.",
        folder="engineering/docs",
        tags=("engineering", "docs"),
        model="claude-opus-4",
        is_public=True,
        content="""\
Write an architecture decision record.

Decision: {{decision}}
Context: {{context}}
Options we considered: {{options}}

Use the sections Title, Status ({{status}}), Context, Decision, Consequences (good and bad),
Alternatives considered and why they lost. Write it so someone joining in two years
understands why we chose this, not only what we chose.""",
    ),
    DemoPrompt(
        name="Docstrings for a module",
        description="Short docstrings that say why, added without changing code.",
        folder="engineering/docs",
        tags=("engineering", "docs"),
        model="deepseek-v3",
        content="""\
Add docstrings to every public function and class in this {{language}} module, following
{{style_guide}}:

{{source}}

One or two lines each: what it returns or does, and anything surprising (side effects,
exceptions, performance). Don't restate the parameter names as prose. Return the whole
module with no other changes.""",
    ),
    DemoPrompt(
        name="Unit tests for a function",
        description="Tests that pin behaviour, including the awkward cases.",
        folder="engineering/testing",
        tags=("engineering",),
        model="gpt-4.1",
        content="""\
Write unit tests with {{test_framework}} for this function:

{{function_source}}

Cover the normal case, boundaries, empty and invalid input, and any error it raises. One
behaviour per test, with names that read as sentences. Use no mocks unless the function
talks to the network or the clock. Explain in one line any case you think is a bug.""",
    ),
    DemoPrompt(
        name="Edge cases for a form field",
        description="Hostile and unusual inputs a field should survive.",
        folder="engineering/testing",
        tags=("engineering", "security"),
        model="o3",
        content="""\
The field "{{field_name}}" accepts {{field_description}} and is stored in {{storage}}.

List inputs we should test it with: empty, whitespace only, very long, Unicode (combining
marks, right-to-left text, emoji), look-alike characters, control characters, HTML and
script fragments, SQL fragments, and values just inside and outside each limit. For each,
state the behaviour you would expect from a careful implementation.""",
    ),
    DemoPrompt(
        name="Regular expression with an explanation",
        description="A regex, tests for it, and what each part does.",
        folder="engineering",
        tags=("engineering",),
        model="gpt-4o",
        is_public=True,
        content="""\
Write a {{regex_flavour}} regular expression that matches {{what_to_match}}.

Then: explain each part on its own line, give five strings it must match and five it must
not, and say what input could make it slow (catastrophic backtracking) and how you avoided
that.""",
    ),
    DemoPrompt(
        name="Refactor for readability",
        description="Same behaviour, clearer code, explained change by change.",
        folder="engineering",
        tags=("engineering", "code-review"),
        model="claude-sonnet-4",
        content="""\
Refactor this {{language}} code for readability without changing its behaviour:

{{code}}

Prefer clear names, early returns and small functions over clever tricks. Keep the public
interface unchanged. After the code, list each change and why it helps. If a behaviour
looks like a bug, point it out but don't fix it.""",
    ),
    DemoPrompt(
        name="Explain a shell command",
        description="What a pasted command does, piece by piece, before you run it.",
        folder="engineering",
        tags=("engineering", "security"),
        model="llama-4",
        content="""\
Explain what this shell command does, piece by piece, before I run it:

{{command}}

Say what it reads, what it changes or deletes, and whether it needs root. Warn clearly if it
downloads and runs code, changes permissions widely, or can't be undone.""",
    ),
    DemoPrompt(
        name="Incident postmortem",
        description="A blameless write-up with owned action items.",
        folder="engineering/operations",
        tags=("engineering", "writing"),
        model="claude-opus-4",
        content=POSTMORTEM_V1,
        revisions=(
            Revision(POSTMORTEM_V2, "Make it blameless; add impact and owned action items"),
            Revision(
                POSTMORTEM_V3,
                "Add contributing factors and label actions prevent/detect/mitigate",
                by_editor=True,
            ),
        ),
    ),
    DemoPrompt(
        name="Dockerfile review",
        description="Smaller, safer, faster-building images.",
        folder="engineering/operations",
        tags=("engineering", "security"),
        model="gpt-4.1",
        content="""\
Review this Dockerfile for a {{language}} service:

{{dockerfile}}

Look at: base image choice and pinning, layer order for caching, build dependencies left in
the final image, running as root, secrets in layers, health checks and signal handling.
Give the improved Dockerfile, then the expected effect of each change on size and build
time.""",
    ),
    DemoPrompt(
        name="On-call handover note",
        description="What the next person on call needs to know, in two minutes.",
        folder="engineering/operations",
        tags=("engineering", "writing"),
        model="gemini-2.5-flash",
        content="""\
Write an on-call handover note from {{from_engineer}} to {{to_engineer}} from these notes:

{{raw_notes}}

Sections: Ongoing (with next step and who is waiting), Watch out for, Resolved this shift
(one line each), Links. Lead with anything that could page them tonight.""",
    ),
)
