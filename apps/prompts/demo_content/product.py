"""Product: specs, discovery and launches."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

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

PROMPTS = (
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
)
