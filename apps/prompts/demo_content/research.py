"""Research: literature, user interviews, the market and surveys."""

from apps.prompts.demo_content.definitions import DemoPrompt

PROMPTS = (
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
)
