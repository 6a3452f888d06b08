"""Marketing: social posts, email, search and campaigns."""

from apps.prompts.demo_content.definitions import DemoPrompt, Revision

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

PROMPTS = (
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
)
