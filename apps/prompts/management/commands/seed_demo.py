"""Create (or top up) a demo account with a small, varied vault to click through.

Safe to run any number of times: the account, its tags and its prompts are matched by email
and name, so a second run adds only what is missing and never duplicates anything. The
password is set back to the known one on every run, so the printed credentials always work.
"""

from dataclasses import dataclass, field

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.prompts import services
from apps.prompts.models import Prompt, Tag

DEMO_EMAIL = "demo@promptvault.local"
DEMO_PASSWORD = "try-promptvault"  # noqa: S105 - a published demo credential, on purpose
DEMO_NAME = "Demo"

TAG_COLOURS = {
    "marketing": "#F97316",
    "social": "#EC4899",
    "email": "#8B5CF6",
    "engineering": "#0EA5E9",
    "code-review": "#10B981",
    "support": "#EAB308",
    "writing": "#6366F1",
    "favourite": "#EF4444",
}


@dataclass(frozen=True)
class DemoPrompt:
    name: str
    content: str
    folder: str
    tags: tuple[str, ...]
    description: str = ""
    model: str = "gpt-4o"
    is_public: bool = False
    # Later contents, each applied as a new version with its change message.
    revisions: tuple[tuple[str, str], ...] = field(default=())


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

DEMO_PROMPTS = (
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
            (CODE_REVIEW_V2, "Ask for a severity and the quoted line for each finding"),
            (CODE_REVIEW_V3, "Add a security pass and a clear verdict"),
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
)


class Command(BaseCommand):
    help = "Create or top up the demo account and its example vault (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, email: str, password: str, **options):
        user, created_user, created_prompts = seed_demo(email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo account {'created' if created_user else 'ready'}: "
                f"{user.prompts.count()} prompts ({created_prompts} added by this run)."
            )
        )
        self.stdout.write(f"  email:    {user.email}")
        self.stdout.write(f"  password: {password}")


@transaction.atomic
def seed_demo(*, email: str, password: str) -> tuple[User, bool, int]:
    """Make sure the demo account, its tags and its prompts exist. Returns the user, whether
    the account was created, and how many prompts were added."""
    user = User.objects.filter(email__iexact=email).first()
    created_user = user is None
    if created_user:
        user = account_services.user_create(email=email, password=password, name=DEMO_NAME)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])

    existing_tags = {
        name.casefold() for name in Tag.objects.filter(user=user).values_list("name", flat=True)
    }
    for name, colour in TAG_COLOURS.items():
        if name.casefold() not in existing_tags:
            services.tag_create(owner=user, name=name, color=colour)

    existing = set(Prompt.objects.filter(user=user).values_list("name", flat=True))
    added = 0
    for demo in DEMO_PROMPTS:
        if demo.name in existing:
            continue
        prompt = services.prompt_create(
            owner=user,
            author=user,
            name=demo.name,
            description=demo.description,
            content=demo.content,
            model=demo.model,
            folder=demo.folder,
            tags=demo.tags,
            is_public=demo.is_public,
        )
        for content, message in demo.revisions:
            services.prompt_update(
                prompt=prompt, author=user, content=content, change_message=message
            )
        added += 1
    return user, created_user, added
