"""People: hiring and onboarding."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

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

PROMPTS = (
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
)
