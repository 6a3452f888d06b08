"""Support: triage, replies, the knowledge base and quality reviews."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

HELP_ARTICLE_V1 = """\
Turn these resolved support tickets into a help-centre article:

{{tickets}}"""

HELP_ARTICLE_V2 = """\
Turn these resolved support tickets about {{topic}} into one help-centre article.

{{tickets}}

Title as the question customers ask. Start with the answer in two sentences, then numbered
steps. Leave out customer names, order numbers and anything internal. End with "Still stuck?"
and what to send us so we can help faster."""

PROMPTS = (
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
)
