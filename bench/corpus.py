"""Plausible prompt text for the benchmark data set.

The search scenarios need one word that most prompts contain and one that only a handful do.
COMMON_WORD appears only through the style lines below and RARE_WORD only through RARE_LINE,
so their frequencies are exactly what the seeder decides; no other phrase may contain either
word or a word with the same stem.
"""

import random

COMMON_WORD = "concise"
RARE_WORD = "marzipan"
RARE_LINE = "Use the marzipan example from the style guide when you illustrate the point."

ROLES = [
    "You are a senior copywriter for a small software company.",
    "You are an experienced customer support agent who answers politely.",
    "You are a careful code reviewer focused on correctness and security.",
    "You are a data analyst who explains numbers to non-specialists.",
    "You are a patient tutor helping a student prepare for an exam.",
    "You are a product manager writing for engineers and designers.",
    "You are a technical writer documenting a public API.",
    "You are a recruiter writing to candidates with respect for their time.",
    "You are a travel planner who knows budget options well.",
    "You are an editor improving the flow of long articles.",
    "You are a marketing strategist planning a product launch.",
    "You are a research assistant summarising academic papers.",
    "You are a legal assistant drafting plain-language summaries.",
    "You are a chef writing recipes for busy families.",
    "You are a fitness coach designing weekly training plans.",
]

TASKS = [
    "Write a launch announcement for {{product}} aimed at {{audience}}.",
    "Summarise the following meeting notes into decisions and action items.",
    "Review the pull request below and list every bug you can find.",
    "Draft a reply to the customer message below about a delayed order.",
    "Explain the chart data below and point out the three largest changes.",
    "Turn these bullet points into a friendly newsletter section.",
    "Propose five subject lines for an email about {{topic}}.",
    "Rewrite the paragraph below for a reading age of twelve.",
    "Generate test cases for the function described below.",
    "Translate the text below into {{language}} and keep the formatting.",
    "Outline a blog post about {{topic}} with an introduction and four sections.",
    "Write a SQL query that answers the question below for the schema given.",
    "Create a study plan for {{subject}} covering the next four weeks.",
    "Compare the two product descriptions and recommend one.",
    "List the risks in the project plan below and how to reduce each.",
    "Draft interview questions for a {{role}} position.",
    "Suggest a seven-day meal plan for {{diet}} eaters.",
    "Write release notes from the list of merged changes below.",
    "Extract every date, amount and party from the contract excerpt below.",
    "Plan a three-day itinerary in {{city}} for a family of four.",
]

DETAILS = [
    "Mention the main benefit in the first sentence.",
    "Use British spelling throughout.",
    "Avoid jargon unless the audience uses it daily.",
    "Group related points under short headings.",
    "Finish with one question that invites a reply.",
    "Quote the original text when you point out a problem.",
    "Give each recommendation a short justification.",
    "Flag anything you are unsure about instead of guessing.",
    "Prefer active voice and plain verbs.",
    "Include a realistic example for every rule you state.",
    "Keep numbers exact and state the unit each time.",
    "Do not invent facts that are not in the input.",
    "Order the items from most to least important.",
    "Address the reader directly as you.",
    "Point out missing information and ask for it.",
    "Respect the word limit of {{limit}} words.",
    "Write for someone reading on a phone.",
    "Add a one-line summary at the very top.",
    "Use a warm tone without exclamation marks.",
    "Separate facts from opinions explicitly.",
    "Suggest a follow-up step the reader can take today.",
    "Highlight any deadline in bold.",
    "Check the arithmetic twice before answering.",
    "Keep code samples short and runnable.",
    "Cite the section of the input each claim comes from.",
]

FORMATS = [
    "Answer in Markdown with a table where it helps.",
    "Return valid JSON with the keys summary, items and next_steps.",
    "Reply as a numbered list.",
    "Use at most three paragraphs.",
    "Return plain text without any formatting.",
    "Start with a heading, then bullet points.",
]

STYLE_LINES = [
    "Keep the answer concise and specific.",
    "Be concise: every sentence must earn its place.",
    "Prefer a concise answer over a complete one.",
]

INPUT_BLOCKS = [
    "Input:\n{{input}}",
    'Text:\n"""\n{{text}}\n"""',
    "Notes:\n{{notes}}",
    "Data:\n{{data}}",
]

NAME_ACTIONS = [
    "Launch email",
    "Meeting summary",
    "Code review",
    "Support reply",
    "Chart explainer",
    "Newsletter section",
    "Subject lines",
    "Plain-language rewrite",
    "Test case generator",
    "Translation",
    "Blog outline",
    "SQL helper",
    "Study plan",
    "Product comparison",
    "Risk review",
    "Interview questions",
    "Meal plan",
    "Release notes",
    "Contract extraction",
    "Trip itinerary",
]

NAME_SUBJECTS = [
    "for startups",
    "for the sales team",
    "weekly",
    "v2",
    "short form",
    "detailed",
    "for beginners",
    "for executives",
    "internal",
    "customer facing",
    "draft",
    "experimental",
]

DESCRIPTIONS = [
    "",
    "",
    "Used every Monday.",
    "Works best with a low temperature.",
    "Shared with the team as a starting point.",
    "Tested on long inputs; trims well.",
    "Good first draft, needs a human pass.",
    "The one we use for the newsletter.",
    "Handles messy notes surprisingly well.",
    "Keep in sync with the style guide.",
]

CHANGE_MESSAGES = [
    "Tighten the wording",
    "Add an output format",
    "Clarify the audience",
    "Fix a typo",
    "Add a constraint about facts",
    "Reorder the instructions",
    "Shorter role description",
    "Add an example",
    "Remove a duplicate rule",
    "Ask for a summary line",
]

FOLDERS = [
    "",
    "",
    "marketing",
    "marketing/social",
    "marketing/email",
    "marketing/email/launches",
    "engineering",
    "engineering/code-review",
    "engineering/docs",
    "engineering/sql",
    "support",
    "support/replies",
    "support/escalations",
    "research",
    "research/papers",
    "writing/blog",
    "writing/newsletters",
    "hiring",
    "personal/health",
    "personal/travel",
]

TAG_WORDS = [
    "draft",
    "final",
    "email",
    "code",
    "review",
    "summary",
    "translation",
    "sql",
    "blog",
    "support",
    "launch",
    "internal",
    "client",
    "research",
    "hiring",
    "travel",
    "health",
    "weekly",
    "urgent",
    "experimental",
    "favourite",
    "long-input",
    "json",
    "markdown",
    "gpt",
    "claude",
    "gemini",
    "tested",
    "needs-work",
    "archived",
    "team",
    "onboarding",
    "legal",
    "finance",
    "product",
    "design",
    "data",
    "education",
    "cooking",
    "fitness",
]

TAG_COLORS = ["#3B82F6", "#10B981", "#F59E0B", "#EF4444", "#8B5CF6", "#EC4899", "#6B7280"]

MODELS = [
    ("gpt-4", 6),
    ("gpt-4o", 5),
    ("gpt-4.1", 3),
    ("gpt-5", 2),
    ("claude-sonnet-4", 4),
    ("claude-opus-4", 1),
    ("gemini-2.5-pro", 2),
    ("llama-4", 1),
    ("other", 1),
]
MODEL_NAMES = [name for name, _ in MODELS]
MODEL_WEIGHTS = [weight for _, weight in MODELS]


def prompt_name(rng: random.Random, number: int) -> str:
    return f"{rng.choice(NAME_ACTIONS)} {rng.choice(NAME_SUBJECTS)} #{number}"


def body_lines(rng: random.Random) -> list[str]:
    """The editable middle of a prompt: a task and some details."""
    return [rng.choice(TASKS), *rng.sample(DETAILS, rng.randint(2, 6))]


def render(role: str, body: list[str], tail: list[str]) -> str:
    """Assemble a prompt: role, instructions, then the fixed tail (format, style, input)."""
    return "\n\n".join([role, "\n".join(body), *tail])


def edit_body(rng: random.Random, body: list[str]) -> list[str]:
    """One plausible edit: add, replace, drop or move a line of the instructions."""
    body = list(body)
    unused = [line for line in DETAILS if line not in body]
    choice = rng.random()
    if (choice < 0.45 or len(body) < 3) and unused:
        body.insert(rng.randint(1, len(body)), rng.choice(unused))
    elif choice < 0.75 and unused:
        body[rng.randint(1, len(body) - 1)] = rng.choice(unused)
    elif choice < 0.9 and len(body) > 2:
        del body[rng.randint(1, len(body) - 1)]
    else:
        line = body.pop(rng.randint(1, len(body) - 1))
        body.append(line + " This matters most.")
    return body


def version_contents(
    rng: random.Random, count: int, *, common: bool, rare: bool = False
) -> list[str]:
    """Contents of versions 1..count of one prompt; the last one is the prompt's content."""
    role = rng.choice(ROLES)
    tail = [rng.choice(FORMATS)]
    if common:
        tail.append(rng.choice(STYLE_LINES))
    tail.append(rng.choice(INPUT_BLOCKS))
    body = body_lines(rng)
    contents = [render(role, body, tail)]
    for _ in range(count - 1):
        body = edit_body(rng, body)
        contents.append(render(role, body, tail))
    if rare:
        # The rare word arrives with the newest version, as a late addition would.
        contents[-1] = render(role, [*body, RARE_LINE], tail)
    return contents
