"""The prompts, tags and folders of the demo vault that `manage.py seed_demo` creates.

A vault a small company's team might really keep: marketing, engineering, support, writing,
data, research, product, people and sales prompts, many with `{{variables}}`, aimed at
different models, filed in nested folders, a few public, several with a short history.

Prompts are matched by name when the demo is topped up, so renaming one here adds it again:
add new prompts rather than rewording the names of existing ones.
"""

from dataclasses import dataclass, field

# Each tag's dot colour in the sidebar and on chips; every colour is different.
TAG_COLOURS = {
    "marketing": "#F97316",
    "social": "#EC4899",
    "email": "#8B5CF6",
    "engineering": "#0EA5E9",
    "code-review": "#10B981",
    "support": "#EAB308",
    "writing": "#6366F1",
    "favourite": "#EF4444",
    "data": "#14B8A6",
    "research": "#84CC16",
    "product": "#D946EF",
    "people": "#F59E0B",
    "sales": "#BE123C",
    "seo": "#06B6D4",
    "docs": "#64748B",
    "security": "#2563EB",
}


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


# --- Texts with a history -----------------------------------------------------------------

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

ONBOARDING_EMAILS_V1 = """\
Write three onboarding emails for new {{product}} users.

Email 1 (day 0): welcome and the one thing to do first.
Email 2 (day 2): a feature most people miss.
Email 3 (day 7): ask how it's going."""

ONBOARDING_EMAILS_V2 = """\
Write three onboarding emails for new {{product}} users who signed up to {{goal}}.

Email 1 (day 0): welcome, and the one action that gets them to {{goal}} fastest.
Email 2 (day 2): a feature most people miss, shown through a short example.
Email 3 (day 7): ask how it's going, and offer a 15-minute call with {{sender_name}}.

For each email give a subject line (under 45 characters), a preview text (under 90
characters) and a body of at most 120 words. One link per email. Plain text, no images."""

ONBOARDING_EMAILS_V3 = """\
Write three onboarding emails for new {{product}} users who signed up to {{goal}}.

Email 1 (day 0): welcome, and the one action that gets them to {{goal}} fastest.
Email 2 (day 2): a feature most people miss, shown through a short example.
Email 3 (day 7): ask how it's going, and offer a 15-minute call with {{sender_name}}.

For each email give a subject line (under 45 characters), a preview text (under 90
characters) and a body of at most 120 words. One link per email. Plain text, no images.
Write to one person, in the second person. Skip email 2 for anyone who already used the
feature, and say in one line what the skip condition is."""

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

HELP_ARTICLE_V1 = """\
Turn these resolved support tickets into a help-centre article:

{{tickets}}"""

HELP_ARTICLE_V2 = """\
Turn these resolved support tickets about {{topic}} into one help-centre article.

{{tickets}}

Title as the question customers ask. Start with the answer in two sentences, then numbered
steps. Leave out customer names, order numbers and anything internal. End with "Still stuck?"
and what to send us so we can help faster."""

PLAIN_LANGUAGE_V1 = """\
Rewrite the text below in plain language.

{{text}}"""

PLAIN_LANGUAGE_V2 = """\
Rewrite the text below in plain language for {{audience}}.

{{text}}

Short sentences, common words, active voice. Keep every fact, number and obligation; do not
soften a requirement into a suggestion. After the rewrite, list any term you had to keep
and explain it in one line."""

AB_READOUT_V1 = """\
Write up the results of our A/B test.

{{results}}"""

AB_READOUT_V2 = """\
Write up the results of the A/B test "{{test_name}}" for the product team.

Results table:
{{results}}

Say which variant won on {{primary_metric}}, by how much, and with what confidence interval.
Mention guardrail metrics that moved."""

AB_READOUT_V3 = """\
Write up the results of the A/B test "{{test_name}}" for the product team.

Results table:
{{results}}

1. Say which variant won on {{primary_metric}}, by how much, and give the 95% confidence
   interval. If the interval crosses zero, say plainly that we can't tell.
2. Mention every guardrail metric that moved, even if it moved the wrong way.
3. Check the sample ratio: if the split is off by more than 1%, warn before anything else.
4. Recommend ship, iterate or stop, in one sentence, and what you would test next."""

AB_READOUT_V4 = """\
Write up the results of the A/B test "{{test_name}}" for the product team.

Results table:
{{results}}

1. Say which variant won on {{primary_metric}}, by how much, and give the 95% confidence
   interval. If the interval crosses zero, say plainly that we can't tell.
2. Mention every guardrail metric that moved, even if it moved the wrong way.
3. Check the sample ratio: if the split is off by more than 1%, warn before anything else.
4. Recommend ship, iterate or stop, in one sentence, and what you would test next.

Write for readers who are not statisticians: no p-values in the first paragraph, and a
one-line summary at the top they can paste into Slack."""

PRD_V1 = """\
Write a product requirements document for this idea: {{idea}}"""

PRD_V2 = """\
Write a one-page product requirements document for this idea: {{idea}}

Target users: {{users}}

Sections: Problem, Who has it and how often, Goals and non-goals, Proposed solution,
Success metrics, Open questions."""

PRD_V3 = """\
Write a one-page product requirements document for this idea: {{idea}}

Target users: {{users}}
Evidence we have so far: {{evidence}}

Sections: Problem, Who has it and how often, Goals and non-goals, Proposed solution,
Success metrics (with today's baseline where the evidence gives one), Risks, Open questions.
Keep the solution section to what a first release needs; put everything else under
"Later". Flag any claim the evidence does not support."""

JOB_DESCRIPTION_V1 = """\
Write a job description for a {{role}} at {{company}}.

Responsibilities: {{responsibilities}}
Requirements: {{requirements}}"""

JOB_DESCRIPTION_V2 = """\
Write a job description for a {{role}} at {{company}}, a {{company_size}} team working
{{work_setup}}.

What the person will do in their first year: {{responsibilities}}
What they need on day one: {{requirements}}

Use "you" throughout. Separate must-haves (at most five) from nice-to-haves. Include the
salary range {{salary_range}} and the interview steps. Avoid gendered words, "rockstar",
"ninja" and "fast-paced"; if a requirement is a degree, ask whether experience could
replace it."""

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


# --- The vault ----------------------------------------------------------------------------

DEMO_PROMPTS = (
    # The first eight, from the original demo: kept word for word so a top-up finds them.
    DemoPrompt(
        name="Launch post for LinkedIn",
        description="Announces a launch to a professional audience.",
        folder="marketing/social",
        tags=("marketing", "social", "favourite"),
        content=(
            "Write a LinkedIn post announcing {{product}} to {{audience}}.\n\n"
            "Tone: {{tone}}. Open with the problem it solves, give one concrete example, "
            "and end with a question that invites comments. At most 1,200 characters, "
            "no hashtags in the body, three relevant hashtags at the end."
        ),
    ),
    DemoPrompt(
        name="Tweet thread from a blog post",
        description="Turns an article into a thread that stands on its own.",
        folder="marketing/social",
        tags=("marketing", "social"),
        model="claude-sonnet-4",
        content=(
            "Turn the article below into a thread of {{tweet_count}} posts.\n"
            "Each post under 270 characters; the first must make sense without the rest.\n\n"
            "Article:\n{{article}}"
        ),
    ),
    DemoPrompt(
        name="Product announcement email",
        description="A short customer email for a new feature.",
        folder="marketing/email",
        tags=("marketing", "email"),
        content=(
            "Write a product announcement email to {{customer_name}} about {{feature}}, "
            "available from {{launch_date}}.\n\n"
            "Subject line under 50 characters. Three short paragraphs: what changed, why it "
            "matters to them, how to try it. Plain words, no exclamation marks."
        ),
    ),
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
        name="Support reply with empathy",
        description="Answers an upset customer within the rules.",
        folder="support",
        tags=("support", "email"),
        model="gpt-4o",
        content=(
            "A customer wrote:\n\n{{customer_message}}\n\n"
            "Reply as {{agent_name}} from the support team. Acknowledge the problem in one "
            "sentence, explain what we will do under this policy: {{policy}}, and give a "
            "concrete next step with a date. Warm, brief, no blame."
        ),
    ),
    DemoPrompt(
        name="Meeting notes summary",
        description="Decisions, owners and open questions from a transcript.",
        folder="writing",
        tags=("writing",),
        model="gemini-2.5-pro",
        content=(
            "Summarise this {{meeting_type}} meeting for people who missed it.\n\n"
            "{{transcript}}\n\n"
            "Sections: Decisions, Action items (owner and due date), Open questions. "
            "Bullet points only, at most 200 words."
        ),
    ),
    # --- Marketing ------------------------------------------------------------------------
    DemoPrompt(
        name="Instagram captions for a product photo",
        description="Three caption options in different voices.",
        folder="marketing/social",
        tags=("marketing", "social"),
        model="gpt-4o",
        content="""\
Write three Instagram captions for a photo of {{product}}: {{photo_description}}.

1. Playful, with one emoji at most.
2. Practical: one tip for using the product.
3. A question to the audience.

Each under 150 characters before the hashtags. Then suggest eight hashtags, mixing broad
and niche ones, none banned or spammy.""",
    ),
    DemoPrompt(
        name="Webinar into a week of posts",
        description="Five posts cut from one recording, each with its own hook.",
        folder="marketing/social",
        tags=("marketing", "social"),
        model="claude-sonnet-4",
        content="""\
Here is the transcript of our webinar "{{webinar_title}}":

{{transcript}}

Pick the five most useful moments and turn each into a LinkedIn post for Monday to Friday.
Each post: a hook line that works without context, the insight in three to five short lines,
and a closing line pointing to the recording at {{recording_url}}. Quote the speaker exactly
when you use their words.""",
    ),
    DemoPrompt(
        name="Onboarding email sequence",
        description="Three emails that get a new sign-up to their first success.",
        folder="marketing/email",
        tags=("marketing", "email", "favourite"),
        model="claude-sonnet-4",
        content=ONBOARDING_EMAILS_V1,
        revisions=(
            Revision(ONBOARDING_EMAILS_V2, "Tie each email to the user's goal; add length limits"),
            Revision(
                ONBOARDING_EMAILS_V3,
                "Skip the feature email for people who already use it",
                by_editor=True,
            ),
        ),
    ),
    DemoPrompt(
        name="Win-back email for lapsed customers",
        description="A low-pressure note to customers who stopped using the product.",
        folder="marketing/email",
        tags=("marketing", "email"),
        content="""\
Write a win-back email to {{customer_name}}, who used {{product}} until {{last_active}}
and then stopped.

Don't guilt them. Mention one thing that changed since they left: {{whats_new}}.
Offer {{offer}} with a clear end date. Subject line under 40 characters, body under
100 words, and an easy one-click way to say "not interested" that we will respect.""",
    ),
    DemoPrompt(
        name="Newsletter opening paragraph",
        description="A warm first paragraph that leads into the month's stories.",
        folder="marketing/email",
        tags=("marketing", "email", "writing"),
        model="gpt-4.1",
        content="""\
Write the opening paragraph of our {{month}} newsletter. The stories this month are:

{{story_list}}

Sound like a person, not a brand: start from a small, specific observation about the month,
connect it to the first story, and end by promising what the reader will get from the rest.
At most 80 words.""",
    ),
    DemoPrompt(
        name="SEO brief for a blog article",
        description="Search intent, outline and questions to answer for a writer.",
        folder="marketing/seo",
        tags=("marketing", "seo"),
        model="gpt-4.1",
        is_public=True,
        content="""\
Prepare an SEO brief for an article targeting the keyword "{{keyword}}" for
{{audience}}.

Include: the search intent in one sentence, a working title under 60 characters, an
outline with H2 and H3 headings, the five questions the article must answer, related terms
to use naturally, and two internal pages to link to from this list: {{internal_pages}}.
Do not suggest keyword stuffing or word counts for their own sake.""",
    ),
    DemoPrompt(
        name="Meta title and description",
        description="Search snippets that fit the limits and say what the page gives.",
        folder="marketing/seo",
        tags=("seo",),
        model="claude-haiku-4",
        content="""\
Page content:
{{page_content}}

Write three pairs of meta title (at most 60 characters) and meta description (at most 155
characters) for this page. Put the main keyword "{{keyword}}" near the start of each title.
Each description states a concrete benefit and ends with a verb. Show the character count
after each line.""",
    ),
    DemoPrompt(
        name="Cluster keywords by intent",
        description="Groups a raw keyword export into topics a page can own.",
        folder="marketing/seo",
        tags=("seo", "data"),
        model="gemini-2.5-flash",
        content="""\
Here is a keyword export with monthly volumes:

{{keywords_csv}}

Group the keywords into clusters that one page could rank for. For each cluster give a name,
the intent (informational, commercial, transactional or navigational), the primary keyword,
the total volume, and the other keywords in it. Put keywords you can't place in a final
"Unclear" group rather than forcing them.""",
    ),
    DemoPrompt(
        name="Campaign brief",
        description="One page a designer, writer and media buyer can all work from.",
        folder="marketing/campaigns",
        tags=("marketing", "product"),
        model="gpt-5",
        content="""\
Write a one-page campaign brief for {{campaign_name}}.

Goal: {{goal}}
Audience: {{audience}}
Budget: {{budget}}
Dates: {{dates}}

Sections: Background, Single-minded message (one sentence), Audience insight, Channels and
why, Deliverables with owners, How we will measure it, What we will not do. Be specific
enough that two people reading it would make the same decisions.""",
    ),
    DemoPrompt(
        name="Headline variants for an A/B test",
        description="Ten headlines that differ in one idea each, ready to test.",
        folder="marketing/campaigns",
        tags=("marketing", "writing"),
        model="claude-haiku-4",
        content="""\
Our current landing page headline is: "{{current_headline}}"
The page sells {{product}} to {{audience}}.

Write ten alternative headlines, each under 70 characters. Vary one thing at a time:
outcome, pain, speed, social proof, curiosity. After each, name the idea it tests in two or
three words, so we know what we learned when one wins.""",
    ),
    # --- Engineering ----------------------------------------------------------------------
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
    # --- Support --------------------------------------------------------------------------
    DemoPrompt(
        name="Triage an incoming ticket",
        description="Category, urgency and the right queue for a new ticket.",
        folder="support",
        tags=("support",),
        model="claude-haiku-4",
        content="""\
Classify this support ticket:

{{ticket}}

Answer in this format:
Category: billing | bug | how-to | account access | feature request | other
Urgency: urgent (customer blocked or data at risk) | normal | low
Queue: {{queues}}
Summary: one sentence in our words, not the customer's
Missing information: what we need to ask for, or none""",
    ),
    DemoPrompt(
        name="Refund request reply",
        description="A clear yes, no or partial refund that follows the policy.",
        folder="support/replies",
        tags=("support", "email"),
        model="gpt-4o",
        content="""\
A customer asks for a refund:

{{customer_message}}

Our refund policy: {{refund_policy}}
Their order: {{order_details}}

Decide what the policy allows and reply as {{agent_name}}. If the answer is no, say so in
the first two sentences and explain why in plain words, then offer what we can do instead.
Never promise anything the policy doesn't allow.""",
    ),
    DemoPrompt(
        name="Bug report acknowledgement",
        description="Thanks the customer, sets expectations, asks for what's missing.",
        folder="support/replies",
        tags=("support", "email"),
        model="claude-haiku-4",
        content="""\
A customer reported this problem:

{{bug_report}}

Reply as {{agent_name}}. Thank them once, confirm in your own words what goes wrong, and
ask only for the details we still need ({{needed_details}}). If there is a workaround, give
it as numbered steps. Don't promise a fix date.""",
    ),
    DemoPrompt(
        name="Saying no to a feature request",
        description="A kind, honest answer when we won't build something.",
        folder="support/replies",
        tags=("support", "product"),
        model="claude-sonnet-4",
        content="""\
A customer asked for this feature:

{{request}}

We are not planning to build it because: {{reason}}

Reply as {{agent_name}}. Show we understood the need behind the request, say honestly that
it isn't planned, and offer the closest thing they can do today. No "we'll pass it on to the
team" unless that is literally true.""",
    ),
    DemoPrompt(
        name="Help-centre article from tickets",
        description="Turns repeated questions into one article customers can follow.",
        folder="support/knowledge-base",
        tags=("support", "docs", "writing"),
        model="gpt-4.1",
        content=HELP_ARTICLE_V1,
        revisions=(
            Revision(
                HELP_ARTICLE_V2,
                "Answer first, numbered steps, and strip customer details",
                by_editor=True,
            ),
        ),
    ),
    DemoPrompt(
        name="Macro from a long thread",
        description="A reusable reply distilled from a thread that solved the problem.",
        folder="support/knowledge-base",
        tags=("support",),
        model="mistral-large",
        content="""\
This email thread ended with the customer's problem solved:

{{thread}}

Write a support macro we can reuse for the same problem. Replace anything specific to this
customer with placeholders in double curly braces. Keep only the steps that actually
helped, in the order that works.""",
    ),
    DemoPrompt(
        name="Translate a support reply",
        description="Keeps the tone and the product's terms, not just the words.",
        folder="support",
        tags=("support", "writing"),
        model="gemini-2.5-pro",
        content="""\
Translate this support reply into {{target_language}}:

{{reply}}

Keep the tone ({{tone}}) and the formality usual for customer support in that language.
Leave product names, button labels in our English-only interface, and code untranslated.
After the translation, list any phrase where a literal translation would have sounded odd
and what you did instead.""",
    ),
    DemoPrompt(
        name="Score a support reply",
        description="Quality review of an agent's reply against our scorecard.",
        folder="support/quality",
        tags=("support",),
        model="o3",
        content="""\
Score this support reply against our scorecard.

Customer message:
{{customer_message}}

Agent reply:
{{agent_reply}}

Criteria, each 1 to 4 with a one-line reason: solved or moved forward, accuracy, tone,
clarity, policy followed. Then give the single change that would have improved the reply
most. Be specific and kind; the agent will read this.""",
    ),
    # --- Writing --------------------------------------------------------------------------
    DemoPrompt(
        name="Tighten a paragraph",
        description="Cuts filler without changing the meaning. Paste text after it.",
        folder="writing/editing",
        tags=("writing", "favourite"),
        model="claude-sonnet-4",
        is_public=True,
        content="""\
You are an editor who cuts filler. Tighten the text I send next:

- remove words that add nothing (really, very, in order to, it is important to note);
- prefer verbs to nouns made from verbs ("decide", not "make a decision");
- keep the author's voice, facts and structure;
- never add new claims.

Return the edited text, then one line saying how many words you cut.""",
    ),
    DemoPrompt(
        name="Rewrite in plain language",
        description="For readers who are busy, tired or reading in a second language.",
        folder="writing/editing",
        tags=("writing",),
        model="gpt-4o",
        content=PLAIN_LANGUAGE_V1,
        revisions=(
            Revision(
                PLAIN_LANGUAGE_V2,
                "Name the audience and keep every obligation as strong as written",
            ),
        ),
    ),
    DemoPrompt(
        name="Copy-edit to the house style",
        description="Applies the style guide and lists every change.",
        folder="writing/editing",
        tags=("writing", "docs"),
        model="claude-haiku-4",
        content="""\
Copy-edit the text below to our house style:

{{style_rules}}

Text:
{{text}}

Fix spelling, punctuation, capitalisation and consistency only; don't rewrite sentences
that are correct. Return the edited text, then a list of changes as "before → after".""",
    ),
    DemoPrompt(
        name="Blog post outline",
        description="An outline with the argument visible before any drafting.",
        folder="writing",
        tags=("writing", "marketing"),
        model="gpt-5",
        content="""\
Outline a blog post on "{{topic}}" for {{audience}}. The one thing a reader should take
away: {{takeaway}}.

Give a title, a two-sentence introduction, and four to six sections, each with its heading,
the point it makes in one sentence, and the example or data that supports it. End with the
conclusion in one sentence. Mark any claim that needs a source with [source needed].""",
    ),
    DemoPrompt(
        name="Headline options",
        description="Twelve headlines, sorted from safe to bold.",
        folder="writing",
        tags=("writing",),
        model="claude-haiku-4",
        content="""\
Suggest twelve headlines for this piece:

{{summary}}

Order them from safest to boldest. At most 12 words each. No clickbait: every headline
must be something the article actually delivers.""",
    ),
    DemoPrompt(
        name="Explain a concept to a beginner",
        description="An explanation with an analogy and a check for understanding.",
        folder="writing",
        tags=("writing", "research"),
        model="gemini-2.5-flash",
        content="""\
Explain {{concept}} to someone who knows {{what_they_know}} but nothing about
{{field}}.

Start with an everyday analogy, then the real explanation in at most 150 words, then one
common misconception and why it's wrong. Finish with a question the reader can answer to
check they understood.""",
    ),
    # --- Data -----------------------------------------------------------------------------
    DemoPrompt(
        name="Explain a slow query plan",
        description="Reads EXPLAIN ANALYZE output and proposes fixes.",
        folder="data/sql",
        tags=("data", "engineering"),
        model="o3",
        content="""\
This PostgreSQL query is slow:

{{query}}

EXPLAIN (ANALYZE, BUFFERS) output:
{{plan}}

Point to the node where most time goes and explain why (estimates far off, sequential scan,
sort spilling to disk, nested loop over many rows). Propose fixes in order of effort: query
rewrite, index (give the CREATE INDEX), statistics, configuration. Say how to verify each.""",
    ),
    DemoPrompt(
        name="dbt model from a spec",
        description="A tested dbt model from a written definition of a metric.",
        folder="data/sql",
        tags=("data",),
        model="claude-sonnet-4",
        content="""\
Write a dbt model for this metric:

Definition: {{metric_definition}}
Source tables: {{source_tables}}
Grain: one row per {{grain}}

Give the SQL model using CTEs (import, logic, final), the schema.yml with descriptions and
tests (unique, not_null, accepted_values where they fit), and one sentence on how the model
handles late-arriving data.""",
    ),
    DemoPrompt(
        name="Summarise a CSV extract",
        description="First look at an unfamiliar dataset.",
        folder="data/analysis",
        tags=("data",),
        model="gpt-4.1",
        content="""\
Here are the first rows of a CSV export from {{source_system}}:

{{csv_sample}}

Describe each column: likely meaning, type, and anything suspicious (mixed formats, empty
values, outliers, IDs that look like numbers). Then list three questions this data could
answer and three it can't, and what we would need to clean before analysing it.""",
    ),
    DemoPrompt(
        name="Choose the right chart",
        description="Picks a chart for a message, and says what to avoid.",
        folder="data/analysis",
        tags=("data", "writing"),
        model="gemini-2.5-flash",
        content="""\
I want to show {{audience}} that {{message}}.

The data: {{data_description}}

Recommend one chart type and explain why it fits this message. Specify axes, sort order,
what to highlight, and the title as a sentence stating the finding. Name one chart type
that would mislead here and why.""",
    ),
    DemoPrompt(
        name="A/B test readout",
        description="Results written for people who will act on them.",
        folder="data/analysis",
        tags=("data", "product", "favourite"),
        model="claude-opus-4",
        content=AB_READOUT_V1,
        revisions=(
            Revision(AB_READOUT_V2, "Name the test, the metric and the confidence interval"),
            Revision(
                AB_READOUT_V3, "Check sample ratio first; end with a recommendation", by_editor=True
            ),
            Revision(AB_READOUT_V4, "Add a one-line summary for people who skim"),
        ),
    ),
    DemoPrompt(
        name="Retention cohort commentary",
        description="The story behind a cohort table, in a few sentences.",
        folder="data/analysis",
        tags=("data", "product"),
        model="gpt-5",
        content="""\
Here is our monthly retention cohort table for {{product}}:

{{cohort_table}}

Write five sentences of commentary for the monthly business review: the overall trend, the
best and worst cohorts with a plausible reason for each (we shipped: {{changes}}), and
what we should look into next. Don't claim causes the data can't show; say "may" where you
are guessing.""",
    ),
    # --- Research -------------------------------------------------------------------------
    DemoPrompt(
        name="Literature summary with citations",
        description="What a set of papers agrees and disagrees on.",
        folder="research",
        tags=("research", "writing"),
        model="gemini-2.5-pro",
        content="""\
Summarise what these papers say about {{research_question}}:

{{paper_abstracts}}

Group findings into: what most agree on, where they disagree, and what nobody has tested.
Cite each claim as (Author, year) using only the papers above; never invent a reference.
Note the sample size and method when a finding rests on one study.""",
    ),
    DemoPrompt(
        name="User interview guide",
        description="Open questions about past behaviour, not opinions about the future.",
        folder="research/user-interviews",
        tags=("research", "product"),
        model="claude-sonnet-4",
        content="""\
Write a 30-minute interview guide to learn how {{participant_profile}} currently
{{job_to_be_done}}.

Sections: warm-up (2 questions), the last time they did it (walk me through…),
workarounds and pain, tools and who else is involved, wrap-up. Ask about specific past
events, not hypotheticals; no leading questions; never mention our product before the
wrap-up. Add a follow-up prompt under each main question.""",
    ),
    DemoPrompt(
        name="Synthesise interview notes",
        description="Themes across interviews, each with quotes and counts.",
        folder="research/user-interviews",
        tags=("research", "product"),
        model="claude-opus-4",
        content="""\
Here are notes from {{interview_count}} user interviews about {{topic}}:

{{notes}}

Find the recurring themes. For each: a one-line statement, how many participants it came up
with, two short verbatim quotes, and what it suggests we do. List surprising one-off
comments separately. Keep participants anonymous (P1, P2…).""",
    ),
    DemoPrompt(
        name="Competitor one-pager",
        description="A fair, sourced summary of one competitor.",
        folder="research/market",
        tags=("research", "marketing", "sales"),
        model="gpt-5",
        content="""\
Write a one-page summary of {{competitor}} for our sales and product teams, using only this
material:

{{source_material}}

Sections: who they sell to, pricing, strengths (be fair), weaknesses, where we win, where
we lose, and what to say when a prospect mentions them. Mark anything older than a year as
possibly out of date.""",
    ),
    DemoPrompt(
        name="Review survey questions",
        description="Finds leading, double-barrelled and ambiguous questions.",
        folder="research",
        tags=("research",),
        model="mistral-large",
        content="""\
Review these survey questions before we send them to {{audience}}:

{{questions}}

For each problem question, name the issue (leading, double-barrelled, ambiguous, loaded,
missing an answer option, too long) and give a rewrite. Say whether the order of the
questions could bias the answers.""",
    ),
    # --- Product --------------------------------------------------------------------------
    DemoPrompt(
        name="Product requirements from an idea",
        description="A one-page PRD that separates the first release from later.",
        folder="product/specs",
        tags=("product", "docs", "favourite"),
        model="gpt-5",
        content=PRD_V1,
        revisions=(
            Revision(PRD_V2, "One page, with users and fixed sections"),
            Revision(PRD_V3, "Ground it in evidence and keep the first release small"),
        ),
    ),
    DemoPrompt(
        name="User stories with acceptance criteria",
        description="Stories a team can estimate, with testable criteria.",
        folder="product/specs",
        tags=("product", "engineering"),
        model="claude-sonnet-4",
        is_public=True,
        content="""\
Break this feature into user stories: {{feature}}

For each story: "As a {{persona}}, I want … so that …", then acceptance criteria written
as Given / When / Then, including at least one error case. Keep each story small enough for
one person to finish in a few days; split any that aren't. List the stories in the order
they should be built.""",
    ),
    DemoPrompt(
        name="Problem statement from feedback",
        description="Turns a pile of feedback into one problem worth solving.",
        folder="product/discovery",
        tags=("product", "research"),
        model="gemini-2.5-pro",
        content="""\
Here is customer feedback collected over {{period}}:

{{feedback}}

Write one problem statement: who has the problem, when it happens, what they do today, and
what it costs them. Support it with three quotes. Then list the feedback that doesn't fit
this problem, so we don't lose it.""",
    ),
    DemoPrompt(
        name="Prioritise a backlog with RICE",
        description="Scores and ranks candidate work, showing the assumptions.",
        folder="product/discovery",
        tags=("product", "data"),
        model="o3",
        content="""\
Score these backlog items with RICE (reach per quarter, impact 0.25–3, confidence %,
effort in person-weeks):

{{backlog_items}}

What we know about reach and effort: {{context}}

Show a table with each factor, the score, and the assumption behind the least certain
number. Then say which ranking would change if that assumption were wrong.""",
    ),
    DemoPrompt(
        name="Release notes from merged pull requests",
        description="Customer-facing notes from an engineering changelog.",
        folder="product/launch",
        tags=("product", "writing"),
        model="claude-haiku-4",
        content="""\
Write release notes for version {{version}} from these merged pull requests:

{{pull_requests}}

Group into New, Improved and Fixed. Write for customers: what they can do now, not how we
built it. Leave out internal refactors and dependency bumps. One line per item, starting
with a verb.""",
    ),
    DemoPrompt(
        name="Internal launch FAQ",
        description="Answers support and sales will be asked on launch day.",
        folder="product/launch",
        tags=("product", "support", "sales"),
        model="gpt-4.1",
        content="""\
We are launching {{feature}} on {{launch_date}}. Details:

{{launch_details}}

Write an internal FAQ for support and sales: the fifteen questions customers will most
likely ask, each with a short answer we can paste. Include pricing, availability by plan,
limits, what happens to existing data, and how to turn it off. Mark answers we still need
to confirm with [TBC].""",
    ),
    # --- People ---------------------------------------------------------------------------
    DemoPrompt(
        name="Job description",
        description="An inclusive job ad with a salary range and clear must-haves.",
        folder="people/hiring",
        tags=("people", "writing"),
        model="claude-sonnet-4",
        content=JOB_DESCRIPTION_V1,
        revisions=(
            Revision(
                JOB_DESCRIPTION_V2,
                "Inclusive wording, salary range, and must-haves apart from nice-to-haves",
                by_editor=True,
            ),
        ),
    ),
    DemoPrompt(
        name="Structured interview questions",
        description="Questions tied to the role's criteria, with what good looks like.",
        folder="people/hiring",
        tags=("people",),
        model="gpt-4o",
        content="""\
Write structured interview questions for a {{role}}. The criteria we assess are:

{{criteria}}

For each criterion: two behavioural questions ("Tell me about a time…"), a follow-up for
each, and what a strong, adequate and weak answer sounds like. No questions about age,
family, health, religion or nationality.""",
    ),
    DemoPrompt(
        name="Candidate rejection email",
        description="A respectful no, with feedback when we can give it.",
        folder="people/hiring",
        tags=("people", "email"),
        model="claude-haiku-4",
        content="""\
Write an email to {{candidate_name}}, who interviewed for {{role}} and will not get an
offer.

Stage reached: {{stage}}
Feedback we can share: {{feedback}}

Thank them specifically for their time, say the decision clearly in the first paragraph,
give the feedback kindly if there is any, and say whether we'd welcome a future application.
No "we went with a stronger candidate".""",
    ),
    DemoPrompt(
        name="30-60-90 day plan for a new hire",
        description="What a new teammate learns, owns and delivers in three months.",
        folder="people/onboarding",
        tags=("people", "product"),
        model="gemini-2.5-pro",
        content="""\
Draft a 30-60-90 day plan for {{name}}, joining as {{role}} in the {{team}} team.

Team context: {{context}}

For each phase: what they should learn, who they should meet, what they should own, and
one visible result. Keep the first 30 days light on delivery. End with three questions the
manager should ask at each check-in.""",
    ),
    DemoPrompt(
        name="Welcome message for a new teammate",
        description="A short team-channel welcome that isn't generic.",
        folder="people/onboarding",
        tags=("people", "writing"),
        model="gpt-4o",
        content="""\
Write a welcome message for our team channel introducing {{name}}, who joins as {{role}}.

About them: {{about}}
Their buddy for the first month: {{buddy}}

Warm and specific, at most 80 words, one emoji at most. End with an easy question the team
can answer to start a conversation.""",
    ),
    DemoPrompt(
        name="Self-review helper",
        description="Turns a messy list of work into a clear self-assessment.",
        folder="people",
        tags=("people", "writing"),
        model="claude-sonnet-4",
        content="""\
Help me write my self-review for {{review_period}}. My role: {{role}}.

What I did (rough notes):
{{notes}}

Group my work under {{competencies}}. For each item, state the result and its effect on the
team or customers, with numbers where my notes have them. Add one honest paragraph on what
I want to get better at. Don't exaggerate; keep my own words where they are good.""",
    ),
    # --- Sales ----------------------------------------------------------------------------
    DemoPrompt(
        name="Cold email first touch",
        description="A short, relevant first email, not a template blast.",
        folder="sales/outreach",
        tags=("sales", "email"),
        model="gpt-4o",
        content="""\
Write a first cold email to {{prospect_name}}, {{prospect_role}} at {{company}}.

What we noticed about them: {{trigger}}
What we offer: {{value_proposition}}

At most 90 words. Open with the observation, not with us. One specific, low-effort ask.
No "I hope this finds you well", no fake familiarity, no attachments.""",
    ),
    DemoPrompt(
        name="Follow-up after a demo",
        description="Recaps the prospect's words and agrees the next step.",
        folder="sales/outreach",
        tags=("sales", "email"),
        model="claude-sonnet-4",
        content="""\
Write a follow-up email after today's demo with {{prospect_name}} at {{company}}.

Call notes:
{{call_notes}}

Recap their goals in their own words, the two features that matter most to them, the open
questions with who will answer each, and the agreed next step with a date. Under 150
words.""",
    ),
    DemoPrompt(
        name="Objection handling practice",
        description="Role-play a tough prospect to rehearse a call.",
        folder="sales",
        tags=("sales",),
        model="llama-4",
        content="""\
Role-play a {{prospect_role}} at a {{company_type}} who is sceptical about buying
{{product}}. Their main objection: {{objection}}.

Stay in character and push back realistically; don't give in after one good answer. After
I write "end", step out of character and give me feedback: what worked, what didn't, and
one better way to answer the objection.""",
    ),
)
