"""The official template catalogue: the starting points every PromptVault install ships with.

Each template is written for this product. It gives the model a role or context, a clear task,
its inputs as `{{variable}}` placeholders inside delimiters, constraints stated positively, and
an explicit output format. Each declares its variables exactly matching the placeholders in its
content, with a type (`text`, `multiline`, `choice` with `options`, or `number`), a default and
a required flag, so the template page can build a form and a prompt made from it keeps them.

Official templates are matched by slug when they are loaded: reword a text freely, but keep its
slug, or it is added again as a new template. CATEGORIES lists the categories in display order.
"""

CATEGORIES: dict[str, str] = {
    "writing": "Writing",
    "marketing": "Marketing",
    "sales": "Sales",
    "support": "Customer support",
    "engineering": "Engineering",
    "data": "Data & analytics",
    "research": "Research",
    "education": "Education",
    "product": "Product",
    "productivity": "Productivity",
}


def _text(name: str, label: str, description: str, *, default: str = "", required: bool = True):
    """A one-line text variable."""
    return _variable(name, label, description, "text", default, required)


def _multiline(
    name: str, label: str, description: str, *, default: str = "", required: bool = True
):
    """A variable for pasted material: notes, code, transcripts, tables."""
    return _variable(name, label, description, "multiline", default, required)


def _number(name: str, label: str, description: str, *, default: str = "", required: bool = True):
    """A whole number, kept as a string of digits (or "" when it has no default)."""
    return _variable(name, label, description, "number", default, required)


def _choice(
    name: str,
    label: str,
    description: str,
    options: list[str],
    *,
    default: str = "",
    required: bool = True,
):
    """One of a fixed list of options; the form shows it as a select."""
    variable = _variable(name, label, description, "choice", default, required)
    variable["options"] = list(options)
    return variable


def _variable(
    name: str, label: str, description: str, kind: str, default: str, required: bool
) -> dict:
    return {
        "name": name,
        "label": label,
        "description": description,
        "type": kind,
        "default": default,
        "required": required,
    }


TONES = ["plain", "warm", "formal", "confident", "playful"]
LANGUAGES = ["English", "Spanish", "French", "German", "Portuguese", "Italian", "Dutch"]
LEVELS = ["beginner", "intermediate", "expert"]

OFFICIAL_TEMPLATES: tuple[dict, ...] = (
    # Writing
    {
        "slug": "line-edit-for-clarity",
        "category": "writing",
        "name": "Line edit for clarity",
        "description": (
            "Tighten a draft sentence by sentence without changing what it says. Use it on "
            "anything you are about to send that feels wordy or hard to follow."
        ),
        "content": """\
You are a careful line editor. Your job is to make the draft below easier to read while
keeping the author's meaning, facts and voice.

<draft>
{{draft}}
</draft>

Who will read it: {{audience}}
Tone to aim for: {{tone}}

How to edit:
- Cut filler words, repeated ideas and throat-clearing openings.
- Prefer short sentences and active verbs; split any sentence longer than about 30 words.
- Keep every fact, number, name and commitment exactly as written.
- Keep the author's structure unless a paragraph is clearly out of order; if you move one,
  say so in the notes.
- Where a sentence is ambiguous, choose the most likely reading and flag it.

Output format:
1. The edited text, ready to paste, under the heading "Edited".
2. Under "Notes", at most five bullets naming the biggest changes and any sentence whose
   meaning you had to guess.""",
        "variables": [
            _multiline("draft", "Draft", "The text to edit, pasted as it is."),
            _text(
                "audience",
                "Audience",
                "Who will read it, e.g. the whole company, a customer, a hiring panel.",
                default="colleagues who know the subject",
            ),
            _choice(
                "tone", "Tone", "The voice the edited text should have.", TONES, default="plain"
            ),
        ],
    },
    {
        "slug": "blog-post-outline",
        "category": "writing",
        "name": "Blog post outline",
        "description": (
            "Turn a topic and a few key points into a structured outline with a working title, "
            "section headings and the point each section makes."
        ),
        "content": """\
You are an editor at a publication that explains things well to busy readers. Plan a blog
post before anyone writes it.

Topic: {{topic}}
Reader: {{audience}}, at a {{reader_level}} level
Target length: about {{word_count}} words

Points the author wants to make (may be empty):
<key_points>
{{key_points}}
</key_points>

Plan the post so that a reader who only reads the headings still learns the main idea.
Open with the reader's problem, not with background. Give each section one job. Include
the author's points where they fit best, and add what is missing for the argument to hold.
Budget the word count across sections so the total matches the target.

Output format (Markdown):
- **Working title** and two alternatives
- **One-sentence promise**: what the reader will be able to do or understand afterwards
- **Outline**: numbered sections, each with a heading, two or three bullets of content,
  and an approximate word count
- **Examples or data to find**: a short list the author should gather before drafting""",
        "variables": [
            _text("topic", "Topic", "What the post is about, in a phrase."),
            _text(
                "audience",
                "Reader",
                "Who the post is for, e.g. engineering managers at small companies.",
            ),
            _choice(
                "reader_level",
                "Reader's level",
                "How much the reader already knows about the topic.",
                LEVELS,
                default="intermediate",
            ),
            _number(
                "word_count",
                "Length in words",
                "Roughly how long the post should be.",
                default="1200",
            ),
            _multiline(
                "key_points",
                "Key points",
                "Arguments, examples or facts you want included, one per line.",
                required=False,
            ),
        ],
    },
    {
        "slug": "executive-summary",
        "category": "writing",
        "name": "Executive summary",
        "description": (
            "Condense a long document into a summary a senior reader can act on in two minutes: "
            "the bottom line, the evidence, and what they need to decide."
        ),
        "content": """\
You write summaries for senior leaders who read dozens of documents a week. They want the
conclusion first and only the detail that changes a decision.

Summarise the document below in at most {{max_words}} words.

<document>
{{document}}
</document>

Pay particular attention to: {{focus}}

Rules:
- Lead with the single most important conclusion, in one sentence.
- Use the document's own numbers and names; add nothing that is not in it.
- Where the document is uncertain or the evidence is thin, say so in plain words.
- If a decision or approval is requested, state exactly what, by whom and by when.

Output format:
**Bottom line:** one sentence.
**Key points:** three to five bullets, most important first.
**Decisions needed:** bullets, or "None" if the document asks for nothing.
**Risks and open questions:** up to three bullets.""",
        "variables": [
            _multiline("document", "Document", "The full text to summarise."),
            _number("max_words", "Maximum words", "Upper limit for the summary.", default="250"),
            _text(
                "focus",
                "Focus",
                "An angle the reader cares about most, e.g. cost, timeline, customer impact.",
                default="cost, timeline and risks",
                required=False,
            ),
        ],
    },
    {
        "slug": "rewrite-for-reading-level",
        "category": "writing",
        "name": "Rewrite for a reading level",
        "description": (
            "Rewrite specialist text for a different reader, in the language of your choice, "
            "keeping the facts intact. Good for policies, medical or legal notices and "
            "technical explanations."
        ),
        "content": """\
You are a plain-language specialist. Rewrite the text below for a new reader without losing
any fact that matters to them.

Original text:
```
{{source_text}}
```

Reader: {{reading_level}}
Write the result in: {{language}}

Guidelines:
- Explain or replace every term the reader is unlikely to know; keep a term only when the
  reader will meet it again elsewhere, and then define it the first time.
- Keep all numbers, dates, deadlines, amounts and obligations exactly as in the original.
- Use short paragraphs and, where the original lists steps or conditions, a numbered list.
- Keep a respectful, direct tone; the reader is capable, just not a specialist.

Output format:
1. The rewritten text.
2. A line of three dashes.
3. "Terms explained:" followed by each term you replaced or defined and the wording you
   used, one per line.""",
        "variables": [
            _multiline("source_text", "Original text", "The text to rewrite."),
            _choice(
                "reading_level",
                "Reader",
                "Who the rewrite is for.",
                [
                    "a 10-year-old",
                    "a general adult reader",
                    "a reader new to the language",
                    "a professional from another field",
                ],
                default="a general adult reader",
            ),
            _choice(
                "language",
                "Language",
                "The language to write the result in.",
                LANGUAGES,
                default="English",
            ),
        ],
    },
    {
        "slug": "headline-options",
        "category": "writing",
        "name": "Headline options with angles",
        "description": (
            "Get a spread of headlines for a finished piece, each taking a different angle, "
            "so you can pick one or test two."
        ),
        "content": """\
You are a headline editor. Read the piece below and propose {{count}} headlines for it,
written for {{platform}}.

<article>
{{article}}
</article>

What makes a good headline here:
- It makes a promise the article keeps; nothing the article does not support.
- It is specific: a number, a name, a concrete outcome or a clear question.
- Each option takes a different angle (benefit, surprise, how-to, question, contrast,
  story), so the set is genuinely varied rather than reworded copies.
- Length suits the platform; stay under 70 characters unless the platform rewards longer.

Output format: a Markdown table with columns
| # | Headline | Angle | Characters |
then one line naming the option you would choose and why, in one sentence.""",
        "variables": [
            _multiline("article", "Article", "The finished text, or a detailed summary of it."),
            _number("count", "How many headlines", "Number of options to propose.", default="8"),
            _choice(
                "platform",
                "Platform",
                "Where the headline will appear.",
                ["a blog", "an email newsletter", "a news site", "LinkedIn", "a YouTube video"],
                default="a blog",
            ),
        ],
    },
    # Marketing
    {
        "slug": "product-launch-email",
        "category": "marketing",
        "name": "Product launch email",
        "description": (
            "Announce a new product or feature to existing customers by email, leading with "
            "the benefit to them and ending with one clear call to action."
        ),
        "content": """\
You are a lifecycle marketer writing to people who already use our product. They signed up
for updates, but they skim: the first two lines decide whether they read on.

Write a launch email for {{product_name}}.

Audience: {{audience}}
The main benefit for them: {{key_benefit}}
Call to action: {{cta}}
Tone: {{tone}}

What is launching (facts to draw on; do not invent others):
<details>
{{details}}
</details>

Requirements:
- Open with what the reader can now do, not with "We're excited to announce".
- One idea per short paragraph; 120 to 200 words in the body.
- Mention at most three features, each tied to a concrete outcome for the reader.
- One call to action, repeated once as a button label at the end.

Output format:
Subject line options: three, each under 50 characters
Preview text: one line under 90 characters
Body: the email in plain text
Button label: two to four words""",
        "variables": [
            _text("product_name", "Product or feature", "The name of what is launching."),
            _text("audience", "Audience", "Which customers receive the email."),
            _text(
                "key_benefit",
                "Main benefit",
                "The outcome customers care about most, in their words.",
            ),
            _multiline("details", "Launch details", "Features, availability, pricing, links."),
            _text("cta", "Call to action", "What the reader should do next.", default="Try it now"),
            _choice("tone", "Tone", "The voice of the email.", TONES, default="warm"),
        ],
    },
    {
        "slug": "landing-page-copy",
        "category": "marketing",
        "name": "Landing page copy",
        "description": (
            "Draft the full copy for a single-purpose landing page: hero, benefits, proof, "
            "objections and call to action, built around one audience's problem."
        ),
        "content": """\
You are a conversion copywriter. Write the copy for a landing page whose only goal is to get
{{audience}} to {{conversion_goal}}.

Product: {{product}}
The problem it solves, as the visitor would describe it: {{problem}}

Proof we can use (testimonials, numbers, logos, awards); use only what is here:
<proof>
{{proof}}
</proof>

Principles:
- Speak to the visitor's situation before talking about the product.
- Every benefit answers "so what?" for this audience; features appear only as support.
- Use the visitor's vocabulary, not internal product names.
- If the proof section is empty, write placeholders in [square brackets] instead of
  inventing claims.

Output format (Markdown, one heading per section):
## Hero: headline (under 10 words), subheadline (under 25 words), button label
## Three benefits: a short heading and two sentences each
## Proof: how to present the proof above
## Objections: the three likeliest doubts, each with a two-sentence answer
## Closing call to action: one line and the button label""",
        "variables": [
            _text("product", "Product", "What you are selling, in a sentence."),
            _text("audience", "Audience", "The one kind of visitor this page is for."),
            _text(
                "conversion_goal",
                "Goal",
                "The single action the page asks for.",
                default="start a free trial",
            ),
            _text("problem", "Problem", "The pain or need that brings the visitor here."),
            _multiline(
                "proof", "Proof", "Testimonials, metrics or customer names.", required=False
            ),
        ],
    },
    {
        "slug": "social-post-series",
        "category": "marketing",
        "name": "Social post series",
        "description": (
            "Turn one announcement into a short series of posts for a chosen network, each "
            "with its own hook, so the news gets more than one chance to be seen."
        ),
        "content": """\
You manage social media for a small brand with a recognisable voice: {{voice}}.

Turn the announcement below into {{post_count}} distinct posts for {{platform}}, to be
published over a week or two.

<announcement>
{{announcement}}
</announcement>

Each post should:
- Start with a hook that works on its own in a crowded feed.
- Take a different angle: the news itself, a customer's point of view, a behind-the-scenes
  detail, a practical tip, a question to the audience, a short story.
- Respect the platform's conventions for length, line breaks and hashtags (at most three).
- End with a light call to action or question, varied across the series.

Output format: a numbered list. For each post give
Angle: a few words
Post: the text exactly as it would be published
Visual idea: one sentence describing an image or short clip to pair with it""",
        "variables": [
            _multiline("announcement", "Announcement", "The news, release or story to share."),
            _choice(
                "platform",
                "Platform",
                "Where the posts will be published.",
                ["LinkedIn", "X", "Instagram", "Threads", "Mastodon", "Bluesky"],
                default="LinkedIn",
            ),
            _number("post_count", "Number of posts", "How many posts in the series.", default="5"),
            _text(
                "voice",
                "Brand voice",
                "Three or four words describing how the brand sounds.",
                default="friendly, direct and a little nerdy",
            ),
        ],
    },
    {
        "slug": "persona-from-research",
        "category": "marketing",
        "name": "Customer persona from research notes",
        "description": (
            "Extract a grounded customer persona as JSON from interview notes, survey answers "
            "or sales call notes, with every trait traced back to the evidence."
        ),
        "content": """\
You are a marketing researcher. Build one customer persona for {{product}} strictly from the
research material below. A persona is only useful if it is true to the evidence, so every
trait must be supported by something in the material.

<research>
{{research_notes}}
</research>

Instructions:
- Describe the most common pattern in the material, not an average of everyone.
- Use the participants' own words for goals and frustrations where possible.
- If the material says nothing about a field, use null rather than guessing.
- Quote short evidence for each goal and frustration, exactly as it appears.

Return only valid JSON in this shape, with no text before or after it:
{
  "name": "a memorable label, e.g. 'Overstretched Ops Lead'",
  "role": "job title or situation",
  "context": "one or two sentences",
  "goals": [{"goal": "...", "evidence": "..."}],
  "frustrations": [{"frustration": "...", "evidence": "..."}],
  "triggers_to_buy": ["..."],
  "objections": ["..."],
  "channels": ["where they look for solutions"],
  "confidence": "high | medium | low, given how much evidence there is"
}""",
        "variables": [
            _text("product", "Product", "The product or service the persona is for."),
            _multiline(
                "research_notes",
                "Research notes",
                "Interview notes, survey responses or call notes; the more the better.",
            ),
        ],
    },
    {
        "slug": "seo-title-and-meta",
        "category": "marketing",
        "name": "SEO title and meta description",
        "description": (
            "Write search-result titles and meta descriptions for a page that match what it "
            "really offers and fit within the lengths search engines display."
        ),
        "content": """\
You are an SEO editor who cares about readers first. Write the search snippet for the page
below: the title tag and the meta description people see in search results.

Brand: {{brand}}
Primary search phrase: {{primary_keyword}}

Page content:
<page>
{{page_content}}
</page>

Requirements:
- Titles: at most 60 characters, the primary phrase near the start, the brand at the end
  after a separator.
- Meta descriptions: 140 to 155 characters, a concrete benefit, and a reason to click that
  the page actually delivers.
- Natural language only: use the phrase once, without stuffing variants.
- Describe this page, not the company in general.

Output format: a Markdown table with three options:
| Option | Title | Title length | Meta description | Description length |
Count characters exactly, including spaces. Below the table, one sentence on which option
best matches the search intent and why.""",
        "variables": [
            _multiline("page_content", "Page content", "The page's text or a detailed summary."),
            _text("primary_keyword", "Search phrase", "The main query the page should rank for."),
            _text("brand", "Brand", "The brand name to append to titles."),
        ],
    },
    # Sales
    {
        "slug": "first-touch-outreach-email",
        "category": "sales",
        "name": "First-touch outreach email",
        "description": (
            "Write a short, researched first email to a prospect that earns a reply by being "
            "about them, not about us."
        ),
        "content": """\
You are an account executive who writes outreach people actually answer. Write a first email
to {{prospect_name}}, {{prospect_role}} at {{company}}.

What we know about them and their company (use only this, do not invent facts):
<research>
{{research}}
</research>

What we offer, in one line: {{offer}}

Guidelines:
- At most {{word_limit}} words in the body.
- The first sentence is about something specific to them from the research.
- Connect that to one problem we solve; one sentence of proof if the research supports it.
- Ask for something small and easy: a reply, a yes or no, or 15 minutes; never a demo on
  the first touch.
- No flattery, no "I hope this finds you well", no attachments or more than one link.

Output format:
Subject: under 45 characters, lowercase is fine
Body: the email, signed "[Your name]"
Why it should work: two bullets naming the personal hook and the ask""",
        "variables": [
            _text("prospect_name", "Prospect's name", "First name is enough."),
            _text("prospect_role", "Prospect's role", "Their job title."),
            _text("company", "Company", "Where they work."),
            _multiline(
                "research",
                "Research",
                "Recent news, posts, job ads, tech stack or anything specific to them.",
            ),
            _text("offer", "Our offer", "What we sell and the outcome it brings."),
            _number("word_limit", "Word limit", "Maximum words in the body.", default="90"),
        ],
    },
    {
        "slug": "discovery-call-plan",
        "category": "sales",
        "name": "Discovery call plan",
        "description": (
            "Prepare for a discovery call: hypotheses about the account, the questions worth "
            "asking in the time you have, and the signals that would disqualify the deal."
        ),
        "content": """\
You are a sales coach helping a rep prepare for a {{meeting_minutes}}-minute discovery call.
The goal of discovery is to learn whether there is a real problem we can solve, who owns it,
and what it costs them, not to pitch.

Product we sell: {{product}}

Account notes so far:
<account_notes>
{{account_notes}}
</account_notes>

Prepare the call:
1. State three hypotheses about the prospect's situation, each tied to a line in the notes.
2. Write open questions that test those hypotheses, grouped under Situation, Problem,
   Impact, Decision process and Timing. Fit the number of questions to the call length;
   mark the must-ask ones with an asterisk.
3. Suggest a two-sentence opening that sets the agenda and asks permission to ask questions.
4. List the answers that would tell us to walk away or to involve someone else.

Output format: Markdown with the four numbered parts above as headings. Keep questions
short and neutral; no leading questions.""",
        "variables": [
            _text("product", "Product", "What we sell, in a sentence."),
            _multiline(
                "account_notes",
                "Account notes",
                "CRM notes, earlier emails, company facts, who is attending.",
            ),
            _number(
                "meeting_minutes", "Call length (minutes)", "How long the call is.", default="30"
            ),
        ],
    },
    {
        "slug": "objection-handling-guide",
        "category": "sales",
        "name": "Objection handling guide",
        "description": (
            "Build a reference of honest, specific responses to the objections you hear most, "
            "tailored to one buyer role."
        ),
        "content": """\
You are a senior sales engineer known for handling objections honestly. Write a guide a new
rep can use on calls with a {{buyer_role}} evaluating {{product}}.

Objections we hear, one per line:
<objections>
{{objections}}
</objections>

Facts about our product the responses may rely on:
<facts>
{{facts}}
</facts>

For each objection:
- Name the concern that usually sits underneath it.
- Give one clarifying question to ask before answering.
- Give a response of two to four sentences that acknowledges the concern and answers it
  with a fact from the list above. When no fact supports an answer, say so and suggest how
  the rep can follow up instead.
- Note when the objection is a valid reason not to buy, so the rep can qualify out.

Output format: a Markdown table with columns
| Objection | Underlying concern | Question to ask | Response | Valid reason to walk away? |""",
        "variables": [
            _text("product", "Product", "What we are selling."),
            _text(
                "buyer_role",
                "Buyer role",
                "The person raising the objections, e.g. head of IT, CFO.",
            ),
            _multiline("objections", "Objections", "The objections, one per line."),
            _multiline(
                "facts",
                "Product facts",
                "Pricing, security certifications, integrations, case-study numbers.",
            ),
        ],
    },
    {
        "slug": "call-notes-to-crm",
        "category": "sales",
        "name": "Call notes to CRM fields",
        "description": (
            "Extract structured CRM fields as JSON from messy call notes or a transcript, with a "
            "deal stage chosen from your pipeline's stages."
        ),
        "content": """\
You are a sales operations assistant. Read the notes of a sales call and extract the fields
our CRM needs. Accuracy matters more than completeness: leave a field null when the notes do
not say.

Our pipeline stages, in order: {{pipeline_stages}}

<call_notes>
{{call_notes}}
</call_notes>

Rules:
- Pick the stage from the list above that the evidence supports; when torn between two,
  choose the earlier one and explain in "stage_reason".
- Amounts as numbers without currency symbols, plus a separate currency code.
- Dates in ISO format (YYYY-MM-DD); relative dates like "next Friday" stay as written in
  "next_step_when" if the call date is unknown.
- People: everyone named in the notes, with role and stance when stated.

Return only JSON in this shape:
{
  "account": "...",
  "stage": "...",
  "stage_reason": "...",
  "amount": null,
  "currency": null,
  "close_date": null,
  "people": [{"name": "...", "role": "...", "stance": "champion | neutral | blocker | unknown"}],
  "pains": ["..."],
  "competitors": ["..."],
  "next_step": "...",
  "next_step_when": "...",
  "risks": ["..."]
}""",
        "variables": [
            _multiline("call_notes", "Call notes", "Notes or transcript from the call."),
            _text(
                "pipeline_stages",
                "Pipeline stages",
                "Your deal stages in order, separated by commas.",
                default="Qualify, Discovery, Solution fit, Proposal, Negotiation, Closed won, "
                "Closed lost",
            ),
        ],
    },
    # Customer support
    {
        "slug": "customer-reply-draft",
        "category": "support",
        "name": "Customer reply draft",
        "description": (
            "Draft a reply to a customer that answers every question they asked, follows your "
            "policy, and sounds like a person rather than a script."
        ),
        "content": """\
You are {{agent_name}}, a support specialist at {{company}}. Draft a reply to the customer
message below.

<customer_message>
{{customer_message}}
</customer_message>

Facts, account details and policy that apply (rely only on these):
<context>
{{context}}
</context>

Tone: {{tone}}

How to reply:
- Answer every question the customer asked, in the order they asked them.
- If they are upset, acknowledge the specific problem in one sentence, then move to the fix.
- Give steps as a numbered list when there is more than one.
- When the policy does not allow what they want, say what you can do instead.
- Promise only what the context supports; if something needs checking, say who will check
  and when they will hear back.
- Write in the customer's language if it is not English.

Output format:
Reply: the message, ready to send, signed with your first name
Internal note: one or two sentences for the ticket history; write None if there is
nothing to add""",
        "variables": [
            _multiline("customer_message", "Customer message", "What the customer wrote."),
            _multiline(
                "context",
                "Context and policy",
                "Order details, account status, relevant policy, known issues.",
            ),
            _choice(
                "tone",
                "Tone",
                "How the reply should sound.",
                ["warm", "plain", "formal", "apologetic"],
                default="warm",
            ),
            _text("company", "Company", "Your company or product name."),
            _text("agent_name", "Agent name", "The name to sign with.", default="Sam"),
        ],
    },
    {
        "slug": "ticket-triage",
        "category": "support",
        "name": "Ticket triage with examples",
        "description": (
            "Classify an incoming ticket by category, urgency and sentiment, as JSON, guided by "
            "a few worked examples. Useful for routing rules and queue reports."
        ),
        "content": """\
You triage incoming support tickets for {{product}}. Classify the ticket below into exactly
one category and one urgency level.

Categories: billing, bug, how_to, account_access, feature_request, cancellation, other
Urgency:
- urgent: the customer cannot work, is losing money or data, or mentions a security issue
- high: a key feature is broken or a payment failed, but there is a workaround
- normal: questions, minor bugs and requests
- low: feedback and ideas with no action needed soon

Examples:
Ticket: "I was charged twice this month, please refund one."
{"category": "billing", "urgency": "high", "sentiment": "negative"}
Ticket: "Since this morning nobody on our team can log in, we get an error 500."
{"category": "account_access", "urgency": "urgent", "sentiment": "negative"}
Ticket: "Love the app! Would be great to have a dark mode."
{"category": "feature_request", "urgency": "low", "sentiment": "positive"}
Ticket: "How do I export my data to CSV?"
{"category": "how_to", "urgency": "normal", "sentiment": "neutral"}

Now the ticket to classify:
<ticket>
{{ticket}}
</ticket>

Return only one JSON object with the keys category, urgency, sentiment (positive, neutral or
negative) and reason (one short sentence quoting the words that decided the category).""",
        "variables": [
            _text("product", "Product", "The product the tickets are about."),
            _multiline("ticket", "Ticket", "The ticket's subject and body."),
        ],
    },
    {
        "slug": "help-article-from-tickets",
        "category": "support",
        "name": "Help article from resolved tickets",
        "description": (
            "Turn a handful of resolved tickets about the same problem into a help-centre "
            "article, so the next customer can solve it alone."
        ),
        "content": """\
You write the help centre for {{product}}. Several customers had the same problem; the
resolved tickets below show what they asked and how support solved it.

<resolved_tickets>
{{tickets}}
</resolved_tickets>

Write one help article that lets a {{reader_level}} user solve this on their own.

Guidelines:
- Title it with the problem as customers describe it, e.g. "Invoices don't show my VAT
  number", not with internal feature names.
- Start with a one-sentence answer for readers in a hurry.
- Then numbered steps, one action per step, naming buttons and menus exactly as in the
  tickets.
- Cover the variations the tickets reveal (different plans, browsers, roles) under short
  subheadings.
- End with what to include when contacting support if the steps don't work.
- Remove every customer name, email address and account detail.

Output format: the article in Markdown, followed by "Suggested search keywords:" and five
phrases customers used in the tickets.""",
        "variables": [
            _text("product", "Product", "The product name."),
            _multiline(
                "tickets",
                "Resolved tickets",
                "Three or more tickets about the same problem, with the agents' replies.",
            ),
            _choice(
                "reader_level",
                "Reader's level",
                "How experienced the readers usually are.",
                LEVELS,
                default="beginner",
            ),
        ],
    },
    {
        "slug": "escalation-handoff",
        "category": "support",
        "name": "Escalation handoff summary",
        "description": (
            "Summarise a long support thread for the team taking it over, so nobody has to "
            "read forty messages or ask the customer to repeat themselves."
        ),
        "content": """\
You are a support lead handing a case over to {{escalate_to}}. They have not seen the thread
and need to act on it quickly and without asking the customer to repeat anything.

<thread>
{{thread}}
</thread>

Write a handoff that is complete but short. Stick to what the thread shows; mark anything
you infer with "(inferred)". Quote error messages, IDs and timestamps exactly.

Output format:
**Customer and account:** who, which plan, anything special about the account
**Problem in one sentence:**
**Impact:** what the customer cannot do, since when, how many users
**What has been tried:** numbered, with the result of each attempt
**Evidence:** error messages, IDs, screenshots mentioned, reproduction steps if known
**What the customer was promised:** and by when
**What we need from {{escalate_to}}:** a specific question or action
**Customer's mood:** one line, with a short quote if it helps""",
        "variables": [
            _multiline("thread", "Thread", "The whole conversation, oldest message first."),
            _choice(
                "escalate_to",
                "Escalate to",
                "The team taking over the case.",
                ["engineering", "billing", "the account manager", "security", "legal"],
                default="engineering",
            ),
        ],
    },
    {
        "slug": "incident-status-update",
        "category": "support",
        "name": "Incident status update",
        "description": (
            "Write a clear public status update during an outage or degradation, matched to the "
            "incident's current stage."
        ),
        "content": """\
You are the communications lead during a live incident at {{company}}. Write the next
public update for the status page and for customers who contacted support.

Incident stage: {{stage}}
Who or what is affected: {{impact}}
Next update promised in: {{next_update_minutes}} minutes

What the engineers have told us so far (internal, may be technical):
<internal_notes>
{{internal_notes}}
</internal_notes>

Write for customers, not engineers:
- Say what is affected and what still works, in terms of what customers do, e.g. "sending
  invoices", not "queue workers".
- Match the stage: while investigating, admit what we don't know yet; when resolved, say
  what happened, what we changed, and whether any data or action is needed from customers.
- Give times with their time zone; no speculation about causes that are not confirmed.
- Keep a calm, accountable tone; apologise once, sincerely, and move on to facts.

Output format:
Status page title: under 80 characters
Status page update: under 120 words
Reply for support agents: two or three sentences they can paste into open tickets""",
        "variables": [
            _text("company", "Company", "Your company or product."),
            _choice(
                "stage",
                "Stage",
                "Where the incident stands now.",
                ["investigating", "identified", "monitoring", "resolved"],
                default="investigating",
            ),
            _text("impact", "Impact", "Which customers or features are affected."),
            _number(
                "next_update_minutes",
                "Next update (minutes)",
                "When the next update will be posted.",
                default="30",
            ),
            _multiline(
                "internal_notes", "Internal notes", "What the incident channel knows so far."
            ),
        ],
    },
    # Engineering
    {
        "slug": "code-review",
        "category": "engineering",
        "name": "Code review",
        "description": (
            "Get a focused review of a change, with findings ranked by severity and a concrete "
            "fix for each, the way a thoughtful senior colleague would give it."
        ),
        "content": """\
You are a senior {{language}} engineer reviewing a colleague's change. Be direct and
specific, and assume the author is competent: explain why something matters, not just that
it is wrong.

What the change is meant to do: {{intent}}
Review focus: {{focus}}

```
{{code}}
```

How to review:
- Check first that the code does what the intent says, including edge cases: empty input,
  very large input, concurrency, failure of external calls.
- Then look for problems in the focus area above with particular care.
- Point to exact lines or identifiers. Suggest a fix for every finding, as a short code
  snippet when that is clearer than words.
- Skip pure style preferences that a formatter or linter would settle.
- If the change is good, say so briefly; do not invent problems to fill the list.

Output format:
**Summary:** two sentences: overall assessment and whether you would approve.
**Findings:** a numbered list, most severe first, each tagged [blocker], [should fix] or
[nit], with location, problem, why it matters, and suggested fix.
**Questions for the author:** anything you could not judge from the code alone.""",
        "variables": [
            _text("language", "Language", "Programming language and framework.", default="Python"),
            _text("intent", "Intent", "What the change should achieve, in a sentence or two."),
            _choice(
                "focus",
                "Focus",
                "The kind of problem to look for most carefully.",
                ["correctness", "security", "performance", "readability", "everything"],
                default="everything",
            ),
            _multiline("code", "Code", "The diff or the code to review."),
        ],
    },
    {
        "slug": "explain-unfamiliar-code",
        "category": "engineering",
        "name": "Explain unfamiliar code",
        "description": (
            "Understand code you inherited or found: what it does, how data flows through it, "
            "and what to be careful about when changing it."
        ),
        "content": """\
You are a patient staff engineer onboarding a colleague who is {{reader_level}} with
{{language}}. Explain the code below so they can safely change it afterwards.

```
{{code}}
```

What they want to do with it (may be empty): {{goal}}

Explain in this order:
1. **Purpose:** what the code is for, in two sentences, without jargon.
2. **Walkthrough:** the main path from input to output, step by step, naming the functions
   and variables involved. Skip boilerplate.
3. **Key ideas:** any pattern, library feature or language construct the reader may not
   know, each explained in a sentence or two with a tiny example.
4. **Watch out:** side effects, hidden assumptions, error handling gaps and anything that
   would surprise someone changing it.
5. **Where to start:** if a goal was given, the exact places to change and what to test.

Match the depth to the reader's level. Use short code quotes to anchor each point. If
something cannot be known from this code alone (for example what a called function does),
say so instead of guessing.""",
        "variables": [
            _multiline("code", "Code", "The code to explain."),
            _text("language", "Language", "Language and framework.", default="Python"),
            _choice(
                "reader_level",
                "Reader's level",
                "How familiar the reader is with the language.",
                ["new", "comfortable", "very experienced"],
                default="comfortable",
            ),
            _text(
                "goal",
                "Goal",
                "What you want to change or build with this code.",
                required=False,
            ),
        ],
    },
    {
        "slug": "unit-tests-for-function",
        "category": "engineering",
        "name": "Unit tests for a function",
        "description": (
            "Design and write unit tests for a piece of code: first the list of behaviours and "
            "edge cases worth testing, then the test code in your framework."
        ),
        "content": """\
You are a test-minded {{language}} engineer. Write unit tests for the code below using
{{framework}}.

```
{{code}}
```

Project conventions to follow (may be empty):
<conventions>
{{conventions}}
</conventions>

Approach:
1. First list the behaviours worth testing: the normal cases, boundaries (empty, one, many,
   maximum), invalid input, and error paths. One line each.
2. Then write the tests, one test per behaviour, named so the name reads as the behaviour,
   for example test_it_rejects_an_empty_title.
3. Keep each test independent and deterministic: no real network, clock or randomness;
   use the framework's fixtures or fakes for those.
4. Assert on outcomes the caller can observe rather than on private details.
5. Where the code looks wrong, write the test for the correct behaviour and mark it with a
   comment starting "Likely bug:".

Output format: the list of behaviours, then one code block with the complete test file,
then at most three lines on what you could not test and why.""",
        "variables": [
            _multiline("code", "Code", "The function or class under test."),
            _text("language", "Language", "The programming language.", default="Python"),
            _text("framework", "Test framework", "The test runner or library.", default="pytest"),
            _multiline(
                "conventions",
                "Conventions",
                "Fixtures, factories or style rules the tests should follow.",
                required=False,
            ),
        ],
    },
    {
        "slug": "debug-an-error",
        "category": "engineering",
        "name": "Debug an error",
        "description": (
            "Work out the likely causes of an error from the message, the code and what you "
            "already tried, with a ranked list of checks instead of a single guess."
        ),
        "content": """\
You are an experienced engineer helping a colleague debug. Think like a detective: form
hypotheses from the evidence, then propose the cheapest checks that tell them apart.

Error message and stack trace:
```
{{error}}
```

Relevant code:
```
{{code}}
```

Environment: {{environment}}

Already tried (may be empty):
<tried>
{{tried}}
</tried>

Instructions:
- Read the stack trace from the innermost frame that belongs to our code.
- List up to four hypotheses, most likely first, each with the evidence for and against it.
- For each, give one concrete check: a command, a log line to add, a value to print.
- Skip anything the "already tried" section rules out.
- Finish with the fix for the most likely cause and how to confirm it worked.

Output format:
**What the error means:** two sentences in plain words
**Hypotheses:** numbered, each with Evidence / Check
**Most likely fix:** code or steps
**How to confirm:** one or two lines""",
        "variables": [
            _multiline("error", "Error", "The error message and stack trace."),
            _multiline("code", "Code", "The code around where it fails."),
            _text(
                "environment",
                "Environment",
                "Language and library versions, OS, where it runs.",
            ),
            _multiline("tried", "Already tried", "What you have checked so far.", required=False),
        ],
    },
    {
        "slug": "pull-request-description",
        "category": "engineering",
        "name": "Pull request description",
        "description": (
            "Write a pull request description from a diff that tells reviewers why the change "
            "exists, what to look at closely, and how it was tested."
        ),
        "content": """\
You are the author of the change below, writing its pull request description for
{{reviewers}}. A good description saves reviewers from reverse-engineering the diff.

Why this change (ticket, bug report or a sentence of context):
<context>
{{context}}
</context>

```diff
{{diff}}
```

Write it so that:
- The title is imperative and under 72 characters, e.g. "Cache exchange rates for an hour".
- The first paragraph explains the problem and the chosen approach, including alternatives
  rejected and why, if the diff hints at them.
- Risky parts are pointed out explicitly so reviewers spend their attention there.
- Testing describes what was run and what was not, honestly.
- Describe only what the diff shows; list anything unclear as a question.

Output format (Markdown):
Title
## Why
## What changed (bullets grouped by area)
## Where to look closely
## How it was tested
## Rollout and follow-ups (migrations, flags, config, docs; "None" if none)""",
        "variables": [
            _multiline("diff", "Diff", "The output of git diff, or the changed files."),
            _multiline("context", "Context", "Why the change was made."),
            _text(
                "reviewers",
                "Reviewers",
                "Who will review, e.g. the payments team.",
                default="teammates who know the codebase",
            ),
        ],
    },
    {
        "slug": "architecture-decision-record",
        "category": "engineering",
        "name": "Architecture decision record",
        "description": (
            "Turn a technical decision and its options into an architecture decision record "
            "that future engineers can read to understand why things are the way they are."
        ),
        "content": """\
You are a principal engineer writing an architecture decision record (ADR). The reader is an
engineer joining in two years who wonders why the system looks like this.

Decision to record: {{decision}}

Context (system, constraints, deadlines, team):
<context>
{{context}}
</context>

Options considered, with notes:
<options>
{{options}}
</options>

Status: {{status}}

Guidelines:
- Describe the forces at play neutrally before saying what was chosen.
- Compare options on the same criteria: cost, complexity, risk, reversibility, and how well
  each meets the constraints.
- Be honest about the downsides of the chosen option and what would make us revisit it.
- Plain language; explain acronyms once.

Output format (Markdown):
# ADR: short title
Status, Date: [today]
## Context
## Options (a table of options against criteria, then a paragraph on each)
## Decision
## Consequences (positive, negative, and what we will monitor)
## When to revisit""",
        "variables": [
            _text("decision", "Decision", "The question being decided, in a sentence."),
            _multiline("context", "Context", "The situation and constraints."),
            _multiline("options", "Options", "Each option with pros, cons and notes."),
            _choice(
                "status",
                "Status",
                "Where the decision stands.",
                ["proposed", "accepted", "superseded"],
                default="proposed",
            ),
        ],
    },
    # Data & analytics
    {
        "slug": "sql-from-a-question",
        "category": "data",
        "name": "SQL from a question",
        "description": (
            "Turn a business question into a correct, readable SQL query for your schema and "
            "database, with the assumptions it makes spelled out."
        ),
        "content": """\
You are an analytics engineer fluent in {{dialect}}. Write one query that answers the
question below using only the tables and columns in the schema.

Question: {{question}}

Schema:
```sql
{{schema}}
```

Rules:
- Use only tables and columns that appear in the schema; if the question needs data that
  isn't there, say so instead of inventing columns.
- Use CTEs with descriptive names for each logical step, rather than nested subqueries.
- Be explicit about joins (no implicit comma joins), about how NULLs are treated, and about
  time zones and date boundaries (is the end date inclusive?).
- Watch for fan-out: when a join can multiply rows, aggregate before joining.
- Follow {{dialect}} syntax exactly for dates, string functions and limits.

Output format:
1. **Assumptions:** bullets for every interpretation you made of the question.
2. **Query:** one SQL code block, formatted with one clause per line, with short comments.
3. **Check:** one simple query or sanity check that would reveal if the result is wrong.""",
        "variables": [
            _text("question", "Question", "The business question, in plain words."),
            _multiline("schema", "Schema", "CREATE TABLE statements or a list of columns."),
            _choice(
                "dialect",
                "Database",
                "The SQL dialect to write in.",
                ["PostgreSQL", "MySQL", "SQLite", "BigQuery", "Snowflake", "SQL Server"],
                default="PostgreSQL",
            ),
        ],
    },
    {
        "slug": "sql-query-review",
        "category": "data",
        "name": "SQL query review",
        "description": (
            "Review an existing query for wrong results and slow plans: double counting, NULL "
            "traps, missing indexes, and a cleaner rewrite."
        ),
        "content": """\
You are a database specialist reviewing a query that a colleague wrote for {{dialect}}.
They want to know whether the results can be trusted and whether it will stay fast.

```sql
{{query}}
```

What the query is supposed to return: {{purpose}}

Table sizes, indexes or a query plan, if available:
<table_info>
{{table_info}}
</table_info>

Review in two passes:
1. Correctness: joins that duplicate rows, filters in the wrong place (WHERE versus ON for
   outer joins), NULL comparisons, integer division, time zone and date boundary errors,
   GROUP BY that hides mistakes, non-deterministic ORDER BY with LIMIT.
2. Performance: full scans on large tables, functions on indexed columns, correlated
   subqueries, SELECT *, sorts and DISTINCT that aren't needed. Relate each point to the
   table information when it is given.

Output format:
**Verdict:** trustworthy / needs fixes / wrong, in one line with the main reason.
**Issues:** a numbered list, each with Kind (correctness or performance), Location, Problem,
Fix.
**Rewritten query:** one SQL block with every fix applied.
**Indexes to consider:** CREATE INDEX statements, or "None".""",
        "variables": [
            _multiline("query", "Query", "The SQL query to review."),
            _text("purpose", "Purpose", "What the query should return, in a sentence."),
            _choice(
                "dialect",
                "Database",
                "The database the query runs on.",
                ["PostgreSQL", "MySQL", "SQLite", "BigQuery", "Snowflake", "SQL Server"],
                default="PostgreSQL",
            ),
            _multiline(
                "table_info",
                "Table information",
                "Row counts, indexes, or EXPLAIN output.",
                required=False,
            ),
        ],
    },
    {
        "slug": "dataset-first-look",
        "category": "data",
        "name": "First look at a dataset",
        "description": (
            "Get a structured first assessment of a new dataset from a sample: what each column "
            "seems to be, quality problems to fix, and analyses worth running."
        ),
        "content": """\
You are a careful data analyst meeting a dataset for the first time. Below is a sample of
rows and whatever documentation exists. The goal of the analysis is: {{goal}}

Sample (first rows, may be CSV, TSV or a table):
```
{{sample}}
```

Documentation or notes about the data (may be empty):
<notes>
{{notes}}
</notes>

Work through it methodically:
1. For each column: its likely meaning, type, unit, and whether it looks like an ID, a
   category, a measure or a timestamp.
2. Quality problems visible in the sample: missing values, inconsistent formats, outliers,
   duplicate-looking rows, suspicious defaults such as 0 or 1970-01-01.
3. Questions to ask the data's owner before trusting it.
4. Analyses that would serve the goal, in order, each with the columns it needs and the
   chart or table it would produce.

Only describe what the sample shows; a sample can't prove a column is complete, so phrase
such points as things to verify.

Output format: Markdown with the four numbered headings above; use a table for part 1 with
columns Column | Meaning | Type | Role | Notes.""",
        "variables": [
            _multiline("sample", "Sample rows", "A few dozen rows including the header."),
            _text("goal", "Goal", "What you want to learn from the data."),
            _multiline(
                "notes",
                "Documentation",
                "Data dictionary, source description, known issues.",
                required=False,
            ),
        ],
    },
    {
        "slug": "metric-definition",
        "category": "data",
        "name": "Metric definition",
        "description": (
            "Write an unambiguous definition for a business metric, with inclusions, "
            "exclusions, edge cases and a reference query, so every team counts it the same way."
        ),
        "content": """\
You are the analytics lead establishing a single definition of a metric that several teams
currently compute differently.

Metric: {{metric_name}}
The decision it should inform: {{business_question}}

Available data (tables, events, columns):
<data>
{{available_data}}
</data>

How teams compute it today, if known:
<current_versions>
{{current_versions}}
</current_versions>

Define the metric so that two analysts working independently would get the same number:
- State the unit of analysis, the numerator and denominator, and the time window.
- Decide explicitly on test accounts, internal users, refunds, cancellations, trials,
  duplicates and late-arriving data; give the reason for each choice.
- Explain where today's versions differ from the new definition and which way they bias
  the number.

Output format (Markdown):
## Definition (one sentence a non-analyst understands)
## Formula
## Included and excluded (a two-column table)
## Edge cases (bullets with the rule for each)
## Reference SQL (a code block using the data above)
## Differences from current versions""",
        "variables": [
            _text("metric_name", "Metric", "The metric's name, e.g. weekly active teams."),
            _text(
                "business_question",
                "Decision it informs",
                "The question the metric answers for the business.",
            ),
            _multiline("available_data", "Available data", "Tables, events and columns."),
            _multiline(
                "current_versions",
                "Current versions",
                "Existing queries or descriptions of how it is counted now.",
                required=False,
            ),
        ],
    },
    {
        "slug": "chart-choice-and-caption",
        "category": "data",
        "name": "Chart choice and caption",
        "description": (
            "Pick the right chart for a finding and write the title, caption and alt text, so "
            "the chart says one thing clearly to the people who will see it."
        ),
        "content": """\
You are a data visualisation designer. A colleague has a finding and the data behind it, and
needs one chart that makes the point clearly to {{audience}}.

The message the chart must convey: {{message}}

The data (a table or a description of it):
```
{{data}}
```

Decide:
- The chart type, and why it suits this message better than the two most obvious
  alternatives.
- The encoding: what goes on each axis, colour, ordering, and what to highlight.
- What to leave out or group as "Other" to keep the chart readable.
- Any transformation first: percentages, indexing to 100, a log scale, a rolling average.

Write:
- A title that states the finding, not the variables, e.g. "Refunds halved after the new
  checkout", not "Refunds by month".
- A caption of one or two sentences giving context and the data source.
- Alt text of at most 50 words describing the pattern for screen-reader users.

Output format: Markdown with the headings Chart, Encoding, Simplifications, Transformations,
Title, Caption, Alt text.""",
        "variables": [
            _text("message", "Message", "The one thing viewers should take away."),
            _multiline("data", "Data", "The numbers, or a description of columns and rows."),
            _choice(
                "audience",
                "Audience",
                "Who will look at the chart.",
                ["executives", "a product team", "the general public", "fellow analysts"],
                default="a product team",
            ),
        ],
    },
    # Research
    {
        "slug": "paper-summary",
        "category": "research",
        "name": "Research paper summary",
        "description": (
            "Summarise a paper or report for a reader with a given background: the question, "
            "the method, what was found, and how far the findings can be trusted."
        ),
        "content": """\
You are a research analyst who reads papers so others don't have to. Summarise the paper
below for a reader who is {{reader_background}}.

<paper>
{{paper}}
</paper>

Why the reader cares (may be empty): {{reader_interest}}

Be faithful to the paper:
- Report effect sizes, sample sizes and confidence intervals as the paper states them.
- Separate what the authors found from what they speculate.
- Judge the strength of the evidence yourself: design, sample, confounders, whether the
  conclusions go beyond the data. Be fair; every study has limits.
- Explain any method or term the reader is unlikely to know, in one sentence.

Output format:
**In one sentence:** the main finding.
**Question:** what the authors set out to learn.
**Method:** who or what was studied, how, and how many.
**Findings:** three to five bullets with the numbers.
**Limitations:** the most important ones, in order of how much they matter.
**How much to trust it:** strong / moderate / weak, with a one-sentence reason.
**Relevance:** what it means for the reader's interest, if one was given.""",
        "variables": [
            _multiline("paper", "Paper", "The paper's text, or at least abstract and results."),
            _choice(
                "reader_background",
                "Reader's background",
                "What the reader already knows.",
                [
                    "new to the field",
                    "a practitioner in the field",
                    "a researcher in a neighbouring field",
                ],
                default="a practitioner in the field",
            ),
            _text(
                "reader_interest",
                "Reader's interest",
                "Why they are reading it, e.g. deciding whether to adopt a method.",
                required=False,
            ),
        ],
    },
    {
        "slug": "interview-synthesis",
        "category": "research",
        "name": "User interview synthesis",
        "description": (
            "Find the themes across several user interviews, with supporting quotes and how "
            "many participants mentioned each, to answer a research question."
        ),
        "content": """\
You are a user researcher synthesising interviews. The research question is:
{{research_question}}

Interview notes or transcripts, each starting with a participant label:
<interviews>
{{interviews}}
</interviews>

Method:
1. Read every interview before naming any theme.
2. A theme is a pattern that appears in at least two interviews; single mentions go into
   "Outliers worth a look".
3. For each theme, count the participants who expressed it and quote the clearest example
   word for word, with its participant label.
4. Note contradictions between participants rather than smoothing them over.
5. Keep observations (what people said and did) apart from your interpretation.

Output format (Markdown):
## Answer to the research question (three sentences at most)
## Themes
A table: Theme | Participants (count and labels) | Representative quote | Interpretation
## Contradictions
## Outliers worth a look
## What we still don't know (questions for the next round)""",
        "variables": [
            _text("research_question", "Research question", "What the study set out to learn."),
            _multiline(
                "interviews",
                "Interviews",
                "Notes or transcripts, each labelled P1, P2 and so on.",
            ),
        ],
    },
    {
        "slug": "interview-guide",
        "category": "research",
        "name": "Interview guide",
        "description": (
            "Plan a research interview: warm-up, open questions about past behaviour, probes "
            "and timings that fit the session length."
        ),
        "content": """\
You are an experienced qualitative researcher. Write an interview guide for sessions of
{{session_minutes}} minutes with {{participants}}.

Research goal: {{research_goal}}

What we already believe and want to test (may be empty):
<assumptions>
{{assumptions}}
</assumptions>

Principles for the questions:
- Ask about specific past experiences ("Tell me about the last time you...") rather than
  opinions or hypothetical futures.
- Open questions only; no question that can be answered yes or no, and none that reveals
  the answer we hope for.
- Follow each main question with two or three neutral probes such as "What happened
  next?" or "How did you decide?".
- Test the assumptions above indirectly, without naming them to the participant.

Output format:
1. **Introduction script:** consent, recording, "there are no wrong answers", under 100 words.
2. **Sections** with a time budget each that adds up to the session length: warm-up, main
   topics, wrap-up. Each question numbered, with its probes indented below it.
3. **Closing script:** thanks and next steps.
4. **Note-taker's sheet:** the signals to listen for, one per assumption.""",
        "variables": [
            _text("research_goal", "Research goal", "What you need to learn."),
            _text("participants", "Participants", "Who you are interviewing."),
            _number(
                "session_minutes",
                "Session length (minutes)",
                "How long each session is.",
                default="45",
            ),
            _multiline(
                "assumptions",
                "Assumptions",
                "Beliefs or hypotheses the interviews should test.",
                required=False,
            ),
        ],
    },
    {
        "slug": "evidence-check",
        "category": "research",
        "name": "Evidence check for a claim",
        "description": (
            "Check whether a set of sources really supports a claim, with a verdict, the "
            "passages that decide it, and what evidence is missing."
        ),
        "content": """\
You are a fact-checker. Judge whether the sources below support the claim. Use only the
sources given; your own background knowledge may suggest what to look for, but the verdict
must rest on the sources.

<claim>
{{claim}}
</claim>

<sources>
{{sources}}
</sources>

Verdict scale:
- Supported: the sources state it, or it follows directly from what they state.
- Partly supported: true in part, or only under conditions the claim leaves out.
- Not supported: the sources contradict it.
- Cannot tell: the sources don't address it, or are too weak to decide.

Examples of the reasoning expected:
Claim "Remote workers are 13% more productive" with a source reporting a 13% gain among
call-centre staff in one company: Partly supported, because the claim generalises beyond
the population studied.
Claim "The law took effect in 2021" with a source saying it was passed in 2021 and took
effect in 2022: Not supported.

Output format:
**Verdict:** one of the four labels
**Reasoning:** three to five sentences
**Key passages:** exact quotes with the source they come from
**Missing evidence:** what would settle it if the verdict is not Supported""",
        "variables": [
            _text("claim", "Claim", "The statement to check, as it was made."),
            _multiline(
                "sources",
                "Sources",
                "The texts to check against, each with its title or link.",
            ),
        ],
    },
    # Education
    {
        "slug": "lesson-plan",
        "category": "education",
        "name": "Lesson plan",
        "description": (
            "Plan a single lesson around clear learning objectives, with timed activities, "
            "checks for understanding and a way to adapt it for different learners."
        ),
        "content": """\
You are an experienced teacher and instructional designer. Plan one lesson.

Subject: {{subject}}
Topic: {{topic}}
Learners: {{learner_level}}
Length: {{duration_minutes}} minutes

What learners should be able to do by the end (may be empty, then propose two or three):
<objectives>
{{objectives}}
</objectives>

Design principles:
- Objectives are observable: "explain", "calculate", "compare", not "understand".
- Start by activating what learners already know, then introduce new material in small
  steps with a worked example before independent practice.
- Include at least two quick checks for understanding during the lesson, not only at the
  end.
- Vary the activity every 10 to 15 minutes.
- Timings must add up to the lesson length.

Output format (Markdown):
## Objectives
## Materials
## Lesson flow: a table with Minutes | Activity | What the teacher does | What learners do
## Checks for understanding (with the answer you expect)
## Adapting: one idea for learners who need more support and one for those who finish early
## Homework or follow-up (optional, one line)""",
        "variables": [
            _text("subject", "Subject", "The course or discipline."),
            _text("topic", "Topic", "The specific topic of this lesson."),
            _choice(
                "learner_level",
                "Learners",
                "Who the lesson is for.",
                [
                    "primary school",
                    "secondary school",
                    "university",
                    "adult professionals",
                ],
                default="secondary school",
            ),
            _number(
                "duration_minutes", "Length (minutes)", "How long the lesson lasts.", default="50"
            ),
            _multiline(
                "objectives",
                "Objectives",
                "What learners should be able to do.",
                required=False,
            ),
        ],
    },
    {
        "slug": "quiz-from-material",
        "category": "education",
        "name": "Quiz from course material",
        "description": (
            "Write a quiz that checks understanding of a text or set of notes, with an answer "
            "key that explains why each answer is right."
        ),
        "content": """\
You are an assessment writer. Write a quiz of {{question_count}} questions based only on the
material below, for {{learner_level}} learners.

<material>
{{material}}
</material>

Question format: {{question_type}}

Good questions:
- Test understanding and application, not the recall of an isolated word; at least half
  should ask learners to apply an idea to a new example.
- Cover the whole material in proportion to its importance, not only the first pages.
- For multiple choice: four options, one clearly correct, three plausible distractors based
  on common misconceptions; no "all of the above".
- Stand alone: a question never gives away the answer to another.
- Use only facts found in the material.

Output format:
Part 1, "Quiz": the numbered questions as learners will see them.
Part 2, "Answer key": for each question, the correct answer, a one-sentence explanation,
and the section of the material it comes from.""",
        "variables": [
            _multiline("material", "Material", "The text, notes or transcript to quiz on."),
            _number("question_count", "Number of questions", "How many questions.", default="10"),
            _choice(
                "question_type",
                "Question type",
                "The kind of questions to write.",
                ["multiple choice", "short answer", "true or false with justification", "mixed"],
                default="multiple choice",
            ),
            _choice(
                "learner_level",
                "Level",
                "How advanced the learners are.",
                LEVELS,
                default="intermediate",
            ),
        ],
    },
    {
        "slug": "socratic-tutor",
        "category": "education",
        "name": "Socratic tutor",
        "description": (
            "Start a tutoring session where the model guides a learner to the answer with "
            "questions and hints instead of handing it over."
        ),
        "content": """\
You are a patient tutor in {{subject}} working with a {{learner_level}} learner. Your aim is
for the learner to reach the answer through their own reasoning, so you teach with questions
and hints rather than solutions.

The problem the learner is working on:
<problem>
{{problem}}
</problem>

What the learner has tried or believes so far (may be empty):
<learner_attempt>
{{learner_attempt}}
</learner_attempt>

How to tutor:
- Begin by asking the learner to explain their current thinking, unless it is given above.
- Ask one question at a time and wait for the answer.
- When they are stuck, give the smallest hint that lets them take the next step; increase
  the help gradually.
- When they make a mistake, ask a question that lets them notice it themselves.
- Praise specific reasoning, not the person.
- Give the full solution only if the learner asks for it three times or after they have
  solved it, to compare approaches.

Format of each of your turns:
- At most three sentences, in plain language suited to the learner's level.
- End with exactly one question for the learner, on its own line.
- No headings or lists; write as you would speak in a one-to-one session.

Start the session now with your first message to the learner.""",
        "variables": [
            _text("subject", "Subject", "The subject area, e.g. algebra, chemistry, Spanish."),
            _choice(
                "learner_level",
                "Learner's level",
                "How advanced the learner is.",
                LEVELS,
                default="beginner",
            ),
            _multiline("problem", "Problem", "The exercise or question being worked on."),
            _multiline(
                "learner_attempt",
                "Learner's attempt",
                "Their working so far, or what they think the answer is.",
                required=False,
            ),
        ],
    },
    {
        "slug": "explain-a-concept-three-ways",
        "category": "education",
        "name": "Explain a concept three ways",
        "description": (
            "Explain one concept with a plain definition, an analogy and a worked example, then "
            "check understanding, in the learner's language."
        ),
        "content": """\
You are a gifted explainer. Explain the concept below to a {{learner_level}} learner, writing
in {{language}}.

The concept, and where the learner came across it (the context may be empty):
<concept>{{concept}}</concept>
<context>{{context}}</context>

Explain it three ways, because different explanations click for different people:
1. **Plain definition:** two or three sentences with no jargon; if a technical term is
   unavoidable, define it right away.
2. **Analogy:** one everyday comparison, followed by one sentence on where the analogy
   breaks down, so it doesn't mislead.
3. **Worked example:** a concrete, small example walked through step by step, with the
   numbers or details filled in.

Then:
4. **Common misconception:** the mistake people most often make about this concept and why
   it is wrong.
5. **Check yourself:** two short questions the learner can answer to test their grasp,
   with the answers hidden under a line reading "Answers".

Keep the whole explanation under 450 words. Adjust vocabulary and example difficulty to the
learner's level.""",
        "variables": [
            _text("concept", "Concept", "The idea to explain, e.g. compound interest."),
            _choice(
                "learner_level",
                "Learner's level",
                "How much the learner already knows.",
                LEVELS,
                default="beginner",
            ),
            _choice(
                "language",
                "Language",
                "The language to write in.",
                LANGUAGES,
                default="English",
            ),
            _text(
                "context",
                "Context",
                "Where the learner came across it, e.g. a statistics course.",
                required=False,
            ),
        ],
    },
    {
        "slug": "feedback-on-student-writing",
        "category": "education",
        "name": "Feedback on student writing",
        "description": (
            "Give a student rubric-based feedback on a piece of writing: strengths, the two or "
            "three changes that would help most, and a provisional score."
        ),
        "content": """\
You are a supportive but honest teacher giving written feedback on a student's work. The
student is in {{grade_level}}, and the assignment was: {{assignment}}

Rubric:
<rubric>
{{rubric}}
</rubric>

Student's work:
<student_work>
{{student_work}}
</student_work>

Feedback principles:
- Speak to the student directly, in encouraging, plain language suited to their age.
- Start with two specific strengths, quoting the student's own words.
- Focus on the two or three changes that would improve the work most, ordered by impact;
  for each, show where in the text and give an example of how it could be done, without
  rewriting the whole piece.
- Score each rubric criterion and justify each score in one sentence that refers to the
  work.
- Leave spelling and grammar to a single line at the end, unless the rubric weighs them.

Output format:
**What works well:** two bullets
**To improve next:** numbered, two or three items
**Rubric scores:** a table with Criterion | Score | Why
**One thing to try in your next piece:** one sentence""",
        "variables": [
            _text("grade_level", "Grade level", "The student's year or level."),
            _text("assignment", "Assignment", "The task the student was given."),
            _multiline("rubric", "Rubric", "Criteria and score levels."),
            _multiline("student_work", "Student's work", "The text to give feedback on."),
        ],
    },
    # Product
    {
        "slug": "product-requirements-draft",
        "category": "product",
        "name": "Product requirements draft",
        "description": (
            "Turn a problem statement and scattered notes into a first product requirements "
            "document with goals, non-goals, requirements and open questions."
        ),
        "content": """\
You are a senior product manager. Draft a one-page product requirements document (PRD) from
the material below. It will be discussed with design and engineering, so clarity about the
problem matters more than detail about the solution.

Problem: {{problem}}
Target users: {{target_users}}

Notes, research, requests and ideas collected so far:
<notes>
{{notes}}
</notes>

Constraints (deadline, platform, budget, compliance; may be empty):
<constraints>
{{constraints}}
</constraints>

Guidelines:
- Ground the problem in evidence from the notes; mark assumptions as assumptions.
- Success metrics are measurable, with a baseline where the notes give one.
- Requirements are phrased as user needs and prioritised as must, should or could.
- Non-goals are explicit, so the scope is clear.
- Where the notes disagree, record the disagreement as an open question.

Output format (Markdown):
## Problem and evidence
## Users and their jobs to be done
## Goals and success metrics
## Non-goals
## Requirements (a table: ID | Requirement | Priority | Notes)
## Risks and dependencies
## Open questions""",
        "variables": [
            _text("problem", "Problem", "The user problem to solve, in a sentence."),
            _text("target_users", "Target users", "Who has the problem."),
            _multiline("notes", "Notes", "Everything gathered so far."),
            _multiline(
                "constraints",
                "Constraints",
                "Limits the solution must respect.",
                required=False,
            ),
        ],
    },
    {
        "slug": "user-stories-with-acceptance-criteria",
        "category": "product",
        "name": "User stories with acceptance criteria",
        "description": (
            "Split a feature into small, independent user stories, each with testable "
            "acceptance criteria written as Given, When, Then."
        ),
        "content": """\
You are a product owner preparing a feature for sprint planning. Break it into at most
{{max_stories}} user stories that can each be built and shipped on its own.

Feature:
<feature>
{{feature}}
</feature>

Primary user: {{persona}}

Rules for the stories:
- Format: "As a [user], I want [capability], so that [benefit]."
- Slice vertically: each story delivers something a user can see or use, end to end.
- Order them so the first story is the thinnest useful version and each later one adds to it.
- Acceptance criteria in Given / When / Then form, three to six per story, covering the happy
  path, at least one error case and any permission rule.
- Note any story that depends on another, and anything to clarify with design.

Output format: for each story,
### Story N: short title
Story sentence
**Acceptance criteria:** the Given / When / Then list
**Depends on:** story numbers or "None"
**Questions:** bullets or "None"
Finish with a one-line suggestion of which stories make a first release.""",
        "variables": [
            _multiline("feature", "Feature", "The feature description or brief."),
            _text("persona", "Primary user", "The main kind of user, e.g. a team admin."),
            _number(
                "max_stories",
                "Maximum stories",
                "Upper limit on the number of stories.",
                default="6",
            ),
        ],
    },
    {
        "slug": "feedback-tagging",
        "category": "product",
        "name": "Feedback tagging with examples",
        "description": (
            "Tag a batch of customer feedback by product area and type, one JSON line per item, "
            "guided by worked examples, ready to count in a spreadsheet."
        ),
        "content": """\
You are a product analyst tagging customer feedback so the team can see which areas generate
the most requests and complaints.

Product areas (use exactly these names): {{product_areas}}

Feedback types:
- bug: something does not work as intended
- request: a new capability or a change to an existing one
- usability: it works, but is confusing or slow to use
- praise: positive feedback with no request
- question: the customer needs help, not a change

Examples, using the areas "billing, editor, sharing":
"I can't find where to download last month's invoice" ->
{"id": 1, "area": "billing", "type": "usability", "summary": "Invoice download hard to find"}
"Please let me share a folder with read-only access" ->
{"id": 2, "area": "sharing", "type": "request", "summary": "Read-only folder sharing"}
"The editor freezes when I paste a long document" ->
{"id": 3, "area": "editor", "type": "bug", "summary": "Editor freezes on large paste"}

Feedback to tag, one item per line:
<feedback>
{{feedback_items}}
</feedback>

Output format: one JSON object per line, in the same order as the input, with keys id
(the line number), area (one of the areas, or "other"), type, and summary (at most eight
words). No other text.""",
        "variables": [
            _text(
                "product_areas",
                "Product areas",
                "Your product's areas, separated by commas.",
            ),
            _multiline("feedback_items", "Feedback", "Feedback items, one per line."),
        ],
    },
    {
        "slug": "release-notes",
        "category": "product",
        "name": "Release notes",
        "description": (
            "Write release notes from a list of merged changes, grouped and worded for the "
            "audience who will read them."
        ),
        "content": """\
You write release notes for {{product_name}} version {{version}}, aimed at {{audience}}.

Merged changes (pull request titles, ticket summaries or commit messages):
<changes>
{{changes}}
</changes>

Guidelines:
- Describe each change by what the reader can now do or what no longer goes wrong, e.g.
  "Exports now include tags", not "Refactor exporter".
- Group into New, Improved, Fixed and, if any, Breaking changes; leave out purely internal
  changes unless the audience is developers.
- Breaking changes come first, each with what the reader must do.
- Merge small related changes into one line; keep each line under 25 words.
- Match the audience: customers get benefits in plain words; developers get exact names of
  endpoints, settings and flags.

Output format (Markdown):
# {{product_name}} {{version}}
One-sentence highlight of the release
## Breaking changes (only if there are any)
## New
## Improved
## Fixed""",
        "variables": [
            _text("product_name", "Product", "The product's name."),
            _text("version", "Version", "The version or release date.", default="1.0"),
            _choice(
                "audience",
                "Audience",
                "Who reads the notes.",
                ["customers", "developers using our API", "the internal team"],
                default="customers",
            ),
            _multiline("changes", "Changes", "The merged changes, one per line."),
        ],
    },
    # Productivity
    {
        "slug": "meeting-notes-to-actions",
        "category": "productivity",
        "name": "Meeting notes to decisions and actions",
        "description": (
            "Turn raw meeting notes or a transcript into a short record of decisions, action "
            "items with owners and dates, and open questions."
        ),
        "content": """\
You are an efficient chief of staff. Turn the notes of the meeting "{{meeting_title}}" into a
record people will actually read.

Raw notes or transcript:
<notes>
{{notes}}
</notes>

Rules:
- A decision is something the group agreed on; discussions without agreement go under open
  questions.
- Every action item has an owner and a due date. Use the names and dates in the notes; when
  either is missing, write "unassigned" or "no date" so the gap is visible.
- Keep each item to one line, starting with a verb.
- Leave out small talk and repeated points; keep numbers, names and deadlines exactly.

Output format (Markdown):
**{{meeting_title}}: summary** (two sentences)
**Decisions**
- ...
**Action items**
| Action | Owner | Due |
**Open questions**
- ...
**Next meeting:** date and purpose if mentioned""",
        "variables": [
            _text("meeting_title", "Meeting", "The meeting's name or topic."),
            _multiline("notes", "Notes", "Raw notes or a transcript."),
        ],
    },
    {
        "slug": "weekly-plan",
        "category": "productivity",
        "name": "Weekly plan from a task list",
        "description": (
            "Turn a messy task list into a realistic week that fits your available hours, "
            "with priorities, time blocks and what to drop or delegate."
        ),
        "content": """\
You are a pragmatic productivity coach. Help me plan my week realistically.

My tasks, in no particular order (estimates in brackets where I know them):
<tasks>
{{tasks}}
</tasks>

Hours I can spend on focused work this week: {{hours_available}}
What matters most this week: {{priorities}}
Fixed commitments (meetings, appointments; may be empty):
<commitments>
{{commitments}}
</commitments>

How to plan:
- Estimate tasks that have no estimate, and add 20% buffer to every estimate.
- Rank by impact on the priorities, then by deadline.
- Fill the available hours only up to about 80%; what doesn't fit goes to "Not this week",
  each with a suggestion: drop, delegate, or schedule later.
- Put demanding work in mornings and shallow tasks together in batches.
- Respect the fixed commitments.

Output format:
**Top three outcomes for the week**
**Plan:** a table with Day | Time block | Task | Hours
**Not this week:** task and suggestion
**Risks:** one or two things that could blow up the plan, and how to notice early""",
        "variables": [
            _multiline("tasks", "Tasks", "Everything on your list, one per line."),
            _number(
                "hours_available",
                "Focus hours",
                "Hours available for focused work this week.",
                default="20",
            ),
            _text("priorities", "Priorities", "The one or two things that matter most."),
            _multiline(
                "commitments",
                "Fixed commitments",
                "Meetings and appointments with their times.",
                required=False,
            ),
        ],
    },
    {
        "slug": "inbox-triage",
        "category": "productivity",
        "name": "Inbox triage",
        "description": (
            "Sort a batch of emails into reply, delegate, schedule or archive, and draft the "
            "short replies, so you can clear your inbox in one pass."
        ),
        "content": """\
You are my executive assistant. I am {{my_role}}. Sort the emails below so I can deal with
my inbox in one sitting.

<emails>
{{emails}}
</emails>

Sort each email into exactly one group:
- Reply now: needs my answer and takes under five minutes.
- Delegate: someone else should handle it; say who, by role.
- Schedule: needs real work or a meeting; suggest how long to block.
- Archive: no action needed (newsletters, FYIs, automated notices).

For every "Reply now" email, draft the reply: {{reply_style}}, at most four sentences,
answering what was actually asked. If you would need information I haven't given, write
the reply with a [placeholder] rather than inventing it.

Output format:
A table with # | From | Subject | Group | Why (one line)
Then, under "Drafts", each reply headed by the email's number and subject.
Finally, under "Watch out", anything that looks urgent, contractual or sensitive, or
"Nothing".""",
        "variables": [
            _multiline(
                "emails", "Emails", "The emails with sender, subject and body, one after another."
            ),
            _text("my_role", "My role", "Your job, so priorities are judged correctly."),
            _choice(
                "reply_style",
                "Reply style",
                "How the drafted replies should sound.",
                ["brief and friendly", "brief and formal", "warm and detailed"],
                default="brief and friendly",
            ),
        ],
    },
    {
        "slug": "decision-matrix",
        "category": "productivity",
        "name": "Decision with trade-offs",
        "description": (
            "Think through a decision between options with weighted criteria, a scored "
            "matrix, a recommendation, and what would change it."
        ),
        "content": """\
You are a clear-thinking adviser helping me make a decision. Be structured and honest, and
tell me if the question itself seems to be the wrong one.

The decision: {{decision}}

Options I'm considering:
<options>
{{options}}
</options>

What matters to me, most important first:
<criteria>
{{criteria}}
</criteria>

Deadline or constraints: {{constraints}}

Steps:
1. Restate the decision in one sentence and name any option I seem to have missed.
2. Give each criterion a weight from 1 to 5, following my order, and explain any weight that
   departs from it.
3. Score each option from 1 to 5 on each criterion, with a short reason per score.
4. Compute weighted totals and show the arithmetic.
5. Recommend an option, then test it: what would have to be true for the runner-up to be
   better? How reversible is each choice?

Output format: the five numbered steps as headings, with the scores in a table of options
against criteria, and a final line starting "Recommendation:".""",
        "variables": [
            _text("decision", "Decision", "What you need to decide."),
            _multiline("options", "Options", "The options, one per line with any notes."),
            _multiline("criteria", "Criteria", "What matters, most important first."),
            _text(
                "constraints",
                "Constraints",
                "Deadline, budget or other limits.",
                default="none",
                required=False,
            ),
        ],
    },
)
