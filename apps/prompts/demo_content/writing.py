"""Writing: editing, outlines, headlines and explanations."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

PLAIN_LANGUAGE_V1 = """\
Rewrite the text below in plain language.

{{text}}"""

PLAIN_LANGUAGE_V2 = """\
Rewrite the text below in plain language for {{audience}}.

{{text}}

Short sentences, common words, active voice. Keep every fact, number and obligation; do not
soften a requirement into a suggestion. After the rewrite, list any term you had to keep
and explain it in one line."""

PROMPTS = (
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
)
