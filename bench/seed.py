"""Fill the benchmark database with a large, consistent data set.

The services create one prompt per transaction, which would take far too long for 100,000
prompts, so rows are bulk-inserted here. They must still look exactly like what the services
produce: versions numbered 1..N without gaps, each prompt's content equal to its newest
version, `prompt_count` equal to the real number of prompts, tag names unique per owner.
`verify` checks those invariants in SQL after every seeding.

Generation is deterministic (a fixed random seed) and done in batches, so memory stays flat.
"""

import contextlib
import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import ApiKey, User
from apps.prompts.keys import key_from_name
from apps.prompts.models import Prompt, PromptLabel, PromptTag, PromptVersion, Tag
from apps.prompts.services import labels as label_services
from apps.sharing import services as sharing_services
from apps.sharing.models import Share
from apps.teams import selectors as team_selectors
from apps.teams import services as team_services
from apps.teams.models import Role
from bench import corpus

EMAIL_DOMAIN = "bench.promptvault.test"
HEAVY_EMAIL = f"heavy@{EMAIL_DOMAIN}"
SAMPLE_NAME = "Launch announcement (benchmark sample)"
HISTORY_NAME = "Support reply with a long history"
# Two of the other users are on the heavy user's team, so every signed-in page can be counted
# as the vault's owner, an editor and a viewer.
MEMBER_EMAILS = {
    Role.EDITOR: f"user001@{EMAIL_DOMAIN}",
    Role.VIEWER: f"user002@{EMAIL_DOMAIN}",
}
PRODUCTION_LABEL = "production"
API_KEY_NAME = "Benchmark"
BATCH = 1_000
RANDOM_SEED = 20_251_125


@dataclass(frozen=True)
class DataSetSize:
    users: int
    prompts: int
    heavy_prompts: int
    heavy_versions: int = 5
    heavy_tags_per_prompt: int = 3
    heavy_tag_pool: int = 40
    other_tag_pool: int = 12
    long_history_versions: int = 50
    heavy_rare_prompts: int = 5
    other_rare_prompts: int = 5
    common_share: float = 0.7  # share of prompts whose content holds the common word
    public_share: float = 0.05  # share of every user's prompts marked public
    heavy_shared_prompts: int = 300  # the heavy user's prompts with share links
    other_shared_share: float = 0.01  # share of other users' prompts with share links


FULL = DataSetSize(users=100, prompts=100_000, heavy_prompts=10_000)
QUICK = DataSetSize(users=10, prompts=2_000, heavy_prompts=1_000, heavy_shared_prompts=30)


@contextlib.contextmanager
def explicit_timestamps():
    """Let bulk_create keep the timestamps we set: the data spans two years of edits, and the
    vault's ordering by `updated_at` is only realistic if the values differ."""
    fields = [
        field
        for model in (User, Prompt, PromptVersion, Tag, Share)
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def is_seeded(size: DataSetSize) -> bool:
    users = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    if users.count() != size.users or Prompt.objects.count() != size.prompts:
        return False
    heavy = users.filter(email=HEAVY_EMAIL).first()
    if heavy is None or heavy.prompts.count() != size.heavy_prompts:
        return False
    history = heavy.prompts.filter(name=HISTORY_NAME).first()
    return history is not None and history.versions.count() == size.long_history_versions


def wipe() -> None:
    """Remove every user and everything that hangs off them (the bench database only)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE TABLE {User._meta.db_table} CASCADE")  # noqa: S608
        cursor.execute("TRUNCATE TABLE django_session")


def _prompts_per_user(size: DataSetSize) -> list[int]:
    others = size.users - 1
    share, extra = divmod(size.prompts - size.heavy_prompts, others)
    return [size.heavy_prompts] + [share + (1 if n < extra else 0) for n in range(others)]


def _make_users(size: DataSetSize, counts: list[int], now) -> list[User]:
    password = make_password(None)
    users = []
    for index, count in enumerate(counts):
        joined = now - timedelta(days=800 - index)
        users.append(
            User(
                email=HEAVY_EMAIL if index == 0 else f"user{index:03d}@{EMAIL_DOMAIN}",
                name="Heavy User" if index == 0 else f"Bench User {index}",
                password=password,
                tier="pro",
                prompt_count=count,
                created_at=joined,
                updated_at=joined,
            )
        )
    return User.objects.bulk_create(users, batch_size=BATCH)


def _make_tags(rng: random.Random, users: list[User], size: DataSetSize, now) -> dict:
    tags_by_user: dict = {}
    rows = []
    for index, user in enumerate(users):
        pool = size.heavy_tag_pool if index == 0 else size.other_tag_pool
        names = corpus.TAG_WORDS[:pool] if index == 0 else rng.sample(corpus.TAG_WORDS, pool)
        user_tags = [
            Tag(
                user=user,
                name=name,
                color=rng.choice(corpus.TAG_COLORS),
                created_at=now - timedelta(days=700),
            )
            for name in names
        ]
        tags_by_user[user.pk] = user_tags
        rows.extend(user_tags)
    Tag.objects.bulk_create(rows, batch_size=BATCH)
    return tags_by_user


@dataclass
class PlannedPrompt:
    owner: User
    number: int
    versions: int
    tag_count: int
    common: bool
    rare: bool
    name: str = ""


def _plan(rng: random.Random, users: list[User], counts: list[int], size: DataSetSize):
    """Yield what each prompt will be, owner by owner, without building any text yet."""
    heavy_rare = set(rng.sample(range(2, size.heavy_prompts), size.heavy_rare_prompts))
    other_total = size.prompts - size.heavy_prompts
    other_rare = set(rng.sample(range(other_total), size.other_rare_prompts))
    other_index = 0
    for index, (user, count) in enumerate(zip(users, counts, strict=True)):
        for number in range(count):
            if index == 0:
                planned = PlannedPrompt(
                    owner=user,
                    number=number,
                    versions=size.heavy_versions,
                    tag_count=size.heavy_tags_per_prompt,
                    common=rng.random() < size.common_share,
                    rare=number in heavy_rare,
                )
                if number == 0:
                    planned.name = SAMPLE_NAME
                elif number == 1:
                    planned.name = HISTORY_NAME
                    planned.versions = size.long_history_versions
            else:
                planned = PlannedPrompt(
                    owner=user,
                    number=number,
                    versions=rng.choice((1, 1, 2, 3)),
                    tag_count=rng.randint(0, 3),
                    common=rng.random() < size.common_share,
                    rare=other_index in other_rare,
                )
                other_index += 1
            yield planned


def _build(
    rng: random.Random, planned: PlannedPrompt, user_tags: list[Tag], now, size: DataSetSize
):
    contents = corpus.version_contents(
        rng, planned.versions, common=planned.common, rare=planned.rare
    )
    metadata = {}
    if rng.random() < 0.2:
        metadata = {"temperature": round(rng.uniform(0.1, 1.0), 1)}
    created = now - timedelta(days=rng.uniform(20, 730))
    # Spread the edits between creation and a moment before now, oldest first.
    span = (now - timedelta(hours=1) - created).total_seconds()
    offsets = sorted(rng.uniform(0, span) for _ in range(planned.versions - 1))
    times = [created] + [created + timedelta(seconds=offset) for offset in offsets]
    name = planned.name or corpus.prompt_name(rng, planned.number + 1)
    # Unique per owner without a look-up: the first prompt keeps the plain key made from its
    # name (the API scenarios fetch it), every other one ends in its own number.
    key = key_from_name(name)
    if planned.number:
        key = f"{key[:80]}-{planned.number + 1}"
    prompt = Prompt(
        id=uuid.uuid4(),
        user=planned.owner,
        name=name,
        key=key,
        description=rng.choice(corpus.DESCRIPTIONS),
        content=contents[-1],
        model=rng.choices(corpus.MODEL_NAMES, corpus.MODEL_WEIGHTS)[0],
        is_public=rng.random() < size.public_share,
        folder=rng.choice(corpus.FOLDERS),
        metadata=metadata,
        created_at=created,
        updated_at=times[-1],
    )
    versions = [
        PromptVersion(
            id=uuid.uuid4(),
            prompt=prompt,
            version=number,
            content=content,
            metadata=metadata,
            change_message="Initial version" if number == 1 else rng.choice(corpus.CHANGE_MESSAGES),
            created_at=moment,
            created_by=planned.owner,
        )
        for number, (content, moment) in enumerate(zip(contents, times, strict=True), start=1)
    ]
    links = [
        PromptTag(id=uuid.uuid4(), prompt=prompt, tag=tag)
        for tag in rng.sample(user_tags, planned.tag_count)
    ]
    return prompt, versions, links


def seed(size: DataSetSize, *, report=print) -> float:
    """Insert the whole data set in one transaction; returns the seconds it took."""
    started = time.monotonic()
    rng = random.Random(RANDOM_SEED)
    now = timezone.now()
    counts = _prompts_per_user(size)
    with explicit_timestamps(), transaction.atomic():
        with connection.cursor() as cursor:
            # A crash mid-seed leaves nothing behind anyway: it is all one transaction.
            cursor.execute("SET LOCAL synchronous_commit = off")
        users = _make_users(size, counts, now)
        tags_by_user = _make_tags(rng, users, size, now)
        prompts, versions, links = [], [], []
        done = 0

        def flush():
            Prompt.objects.bulk_create(prompts, batch_size=BATCH)
            PromptVersion.objects.bulk_create(versions, batch_size=BATCH)
            PromptTag.objects.bulk_create(links, batch_size=BATCH)
            prompts.clear()
            versions.clear()
            links.clear()

        for planned in _plan(rng, users, counts, size):
            prompt, prompt_versions, prompt_links = _build(
                rng, planned, tags_by_user[planned.owner.pk], now, size
            )
            prompts.append(prompt)
            versions.extend(prompt_versions)
            links.extend(prompt_links)
            if len(prompts) >= BATCH:
                flush()
                done += BATCH
                if done % 10_000 == 0:
                    report(f"  {done:,} / {size.prompts:,} prompts")
        flush()
    seed_shares(size)
    seed_team()
    seed_labels(size)
    verify()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.monotonic() - started


# --- Share links ------------------------------------------------------------------------------

SHARE_RANDOM_SEED = RANDOM_SEED + 1
# How long people let links live: most never expire, and short ones are mostly expired by now.
EXPIRY_WEIGHTS = {"never": 60, "1h": 5, "1d": 10, "7d": 10, "30d": 15}
PINNED_SHARE = 0.2  # links pinned to the version current when they were made
REVOKED_SHARE = 0.08
LINKS_PER_PROMPT = (1, 1, 1, 1, 2, 3)


def has_shares() -> bool:
    """Whether the share links are in place (data sets seeded before sharing existed have
    none; `seed_shares` adds them without touching anything else)."""
    return target_share() is not None


def target_share() -> Share | None:
    """The link the share page scenario opens: live, unpinned, never expiring, made by the
    sharing service itself for the heavy user's sample prompt."""
    return (
        Share.objects.filter(
            prompt__user__email=HEAVY_EMAIL,
            prompt__name=SAMPLE_NAME,
            version__isnull=True,
            expires_at__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("created_at")
        .first()
    )


def _planned_links(rng: random.Random, prompt_rows: list[tuple], now) -> list[Share]:
    """Links for (prompt id, owner id, created_at) rows, as people would have made them over
    time with the share form: codes from the sharing service, the chosen expiry counted from
    the moment the link was made, some pinned to the version current then, some revoked."""
    prompt_ids = [row[0] for row in prompt_rows]
    versions: dict = {}
    for prompt_id, version_id, created_at in (
        PromptVersion.objects.filter(prompt_id__in=prompt_ids)
        .order_by("prompt_id", "version")
        .values_list("prompt_id", "id", "created_at")
        .iterator(chunk_size=BATCH)
    ):
        versions.setdefault(prompt_id, []).append((version_id, created_at))
    choices, weights = list(EXPIRY_WEIGHTS), list(EXPIRY_WEIGHTS.values())
    links = []
    for prompt_id, owner_id, prompt_created in prompt_rows:
        for _link in range(rng.choice(LINKS_PER_PROMPT)):
            made = prompt_created + (now - prompt_created) * rng.random()
            lifetime = sharing_services.EXPIRY_CHOICES[rng.choices(choices, weights)[0]]
            expires_at = made + lifetime if lifetime else None
            version_id = None
            if rng.random() < PINNED_SHARE:
                current = [pk for pk, created in versions[prompt_id] if created <= made]
                version_id = current[-1] if current else versions[prompt_id][0][0]
            revoked_at = None
            if rng.random() < REVOKED_SHARE:
                end = min(now, expires_at) if expires_at else now
                revoked_at = made + (end - made) * rng.random()
            links.append(
                Share(
                    id=uuid.uuid4(),
                    prompt_id=prompt_id,
                    shared_by_id=owner_id,
                    share_code=sharing_services.new_share_code(),
                    version_id=version_id,
                    expires_at=expires_at,
                    revoked_at=revoked_at,
                    # Views only accrue while a link is live; older links have had more time.
                    view_count=int(rng.expovariate(1 / 25) * (1 if revoked_at is None else 0.5)),
                    created_at=made,
                )
            )
    return links


def seed_shares(size: DataSetSize) -> int:
    """Add share links to a seeded data set: `heavy_shared_prompts` of the heavy user's
    prompts and `other_shared_share` of everyone else's, plus one link made through the
    sharing service for the sample prompt (the one the benchmark opens). Returns how many."""
    rng = random.Random(SHARE_RANDOM_SEED)
    now = timezone.now()
    heavy = User.objects.get(email=HEAVY_EMAIL)
    rows = list(
        Prompt.objects.filter(user__email__endswith="@" + EMAIL_DOMAIN)
        .order_by("created_at", "id")
        .values_list("id", "user_id", "created_at")
    )
    heavy_rows = [row for row in rows if row[1] == heavy.pk]
    other_rows = [row for row in rows if row[1] != heavy.pk]
    chosen = rng.sample(heavy_rows, min(size.heavy_shared_prompts, len(heavy_rows)))
    chosen += rng.sample(other_rows, round(len(other_rows) * size.other_shared_share))
    with transaction.atomic():
        Share.objects.filter(prompt__user__email__endswith="@" + EMAIL_DOMAIN).delete()
        with explicit_timestamps():
            links = _planned_links(rng, chosen, now)
            Share.objects.bulk_create(links, batch_size=BATCH)
        sample = heavy.prompts.get(name=SAMPLE_NAME)
        sharing_services.share_create(prompt=sample, shared_by=heavy, expires_in="never")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Share._meta.db_table}")  # noqa: S608
    return len(links) + 1


# --- The heavy user's team, labels and API key -------------------------------------------------


def members() -> dict[str, User]:
    """The heavy user's editor and viewer, by role."""
    return {role: User.objects.get(email=email) for role, email in MEMBER_EMAILS.items()}


def has_team() -> bool:
    heavy = User.objects.get(email=HEAVY_EMAIL)
    roles = dict(team_selectors.active_members(heavy.pk).values_list("accepted_by__email", "role"))
    return all(roles.get(email) == role for role, email in MEMBER_EMAILS.items())


def seed_team() -> None:
    """Seat the editor and the viewer on the heavy user's team through the teams service, with
    the plan's seat rules (the heavy user is on the pro plan, which allows a team of five)."""
    heavy = User.objects.get(email=HEAVY_EMAIL)
    current = {
        membership.accepted_by_id: membership
        for membership in team_selectors.active_members(heavy.pk)
    }
    for role, member in members().items():
        membership = current.get(member.pk)
        if membership is None:
            team_services.member_add(owner=heavy, user=member, role=role)
        elif membership.role != role:
            team_services.member_set_role(membership=membership, role=role)


def has_labels(size: DataSetSize) -> bool:
    return PromptLabel.objects.filter(
        prompt__user__email=HEAVY_EMAIL,
        prompt__name=SAMPLE_NAME,
        name=PRODUCTION_LABEL,
        version__version=size.heavy_versions - 1,
    ).exists()


def seed_labels(size: DataSetSize) -> None:
    """Point the sample prompt's `production` label at the version before its newest, as a
    team does that checks a change before promoting it; the API scenario fetches by it."""
    heavy = User.objects.get(email=HEAVY_EMAIL)
    label_services.label_set(
        prompt=heavy.prompts.get(name=SAMPLE_NAME),
        label=PRODUCTION_LABEL,
        version=size.heavy_versions - 1,
        user=heavy,
    )


def fresh_api_key() -> str:
    """A read key for the heavy user, made by the accounts service; returns its secret. The
    service never stores a secret, so each run revokes the previous run's key and makes one."""
    heavy = User.objects.get(email=HEAVY_EMAIL)
    for key in ApiKey.objects.filter(user=heavy, name=API_KEY_NAME, revoked_at__isnull=True):
        account_services.api_key_revoke(key=key)
    _key, secret = account_services.api_key_create(
        user=heavy, name=API_KEY_NAME, scopes=(ApiKey.READ,)
    )
    return secret


CHECKS = {
    "prompt_count differs from the real count": """
        SELECT count(*) FROM users u
        WHERE u.prompt_count <> (SELECT count(*) FROM prompts p WHERE p.user_id = u.id)
    """,
    "membership_count differs from the real number of teams": """
        SELECT count(*) FROM users u
        WHERE u.membership_count <> (
            SELECT count(*) FROM team_invites i
            WHERE i.accepted_by_id = u.id AND i.accepted AND i.revoked_at IS NULL
        )
    """,
    "version numbers are not 1..N": """
        SELECT count(*) FROM (
            SELECT prompt_id FROM prompt_versions GROUP BY prompt_id
            HAVING min(version) <> 1 OR max(version) <> count(*)
        ) gaps
    """,
    "a prompt has no version": """
        SELECT count(*) FROM prompts p
        WHERE NOT EXISTS (SELECT 1 FROM prompt_versions v WHERE v.prompt_id = p.id)
    """,
    "content differs from the newest version": """
        SELECT count(*) FROM prompts p
        JOIN LATERAL (
            SELECT content FROM prompt_versions v WHERE v.prompt_id = p.id
            ORDER BY version DESC LIMIT 1
        ) newest ON true
        WHERE newest.content <> p.content
    """,
    "a prompt carries another owner's tag": """
        SELECT count(*) FROM prompt_tags pt
        JOIN prompts p ON p.id = pt.prompt_id JOIN tags t ON t.id = pt.tag_id
        WHERE p.user_id <> t.user_id
    """,
    "a share link was made by someone other than the prompt's owner": """
        SELECT count(*) FROM shares s JOIN prompts p ON p.id = s.prompt_id
        WHERE s.shared_by <> p.user_id
    """,
    "a share link is pinned to another prompt's version": """
        SELECT count(*) FROM shares s JOIN prompt_versions v ON v.id = s.version_id
        WHERE v.prompt_id <> s.prompt_id
    """,
    "a share code is not in the sharing service's format": """
        SELECT count(*) FROM shares WHERE share_code !~ '^[A-Za-z0-9_-]{22}$'
    """,
    "a share link expires or is revoked before it was made": """
        SELECT count(*) FROM shares
        WHERE expires_at <= created_at OR revoked_at < created_at
    """,
    # Unique per owner is the prompt_user_key_unique constraint's job; the form is not.
    "a prompt's key is missing or not in the keys' format": """
        SELECT count(*) FROM prompts
        WHERE key !~ '^[a-z0-9][a-z0-9._-]*$' OR length(key) > 100
    """,
    "a label points at another prompt's version": """
        SELECT count(*) FROM prompt_labels l JOIN prompt_versions v ON v.id = l.version_id
        WHERE v.prompt_id <> l.prompt_id
    """,
}


def verify() -> None:
    """Fail loudly if the seeded rows break an invariant the services guarantee."""
    problems = []
    with connection.cursor() as cursor:
        for problem, sql in CHECKS.items():
            cursor.execute(sql)
            (count,) = cursor.fetchone()
            if count:
                problems.append(f"{problem}: {count}")
    if problems:
        raise RuntimeError("Seeded data is inconsistent: " + "; ".join(problems))


def data_set_counts() -> dict:
    heavy = User.objects.get(email=HEAVY_EMAIL)
    return {
        "users": User.objects.count(),
        "prompts": Prompt.objects.count(),
        "versions": PromptVersion.objects.count(),
        "tags": Tag.objects.count(),
        "prompt_tags": PromptTag.objects.count(),
        "heavy_prompts": heavy.prompts.count(),
        "heavy_versions": PromptVersion.objects.filter(prompt__user=heavy).count(),
        "heavy_tags": heavy.tags.count(),
        "heavy_prompt_tags": PromptTag.objects.filter(prompt__user=heavy).count(),
        "common_word_prompts": Prompt.objects.filter(
            user=heavy, content__contains=corpus.COMMON_WORD
        ).count(),
        "rare_word_prompts": Prompt.objects.filter(
            user=heavy, content__contains=corpus.RARE_WORD
        ).count(),
        "public_prompts": Prompt.objects.filter(is_public=True).count(),
        "shares": Share.objects.count(),
        "live_shares": Share.objects.filter(sharing_services.live_shares_q()).count(),
        "pinned_shares": Share.objects.filter(version__isnull=False).count(),
        "heavy_shares": Share.objects.filter(shared_by=heavy).count(),
        "heavy_editors": team_selectors.active_members(heavy.pk).filter(role=Role.EDITOR).count(),
        "heavy_viewers": team_selectors.active_members(heavy.pk).filter(role=Role.VIEWER).count(),
        "labels": PromptLabel.objects.count(),
        "heavy_api_keys": ApiKey.objects.filter(user=heavy, revoked_at__isnull=True).count(),
    }
