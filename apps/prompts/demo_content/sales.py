"""Sales: outreach and practice."""

from apps.prompts.demo_content.definitions import DemoPrompt

PROMPTS = (
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
