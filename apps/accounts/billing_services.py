"""Writes that billing makes: the Stripe customer on an account, and the plan decided from a
subscription's state.

The tier always comes from the subscription's current price and status as Stripe reports them
when the change is applied, never from an event's type or the copy inside an event: events
arrive late, twice, at the same moment, or out of order. Each change runs with the account's
row locked, so two deliveries for one account are applied one after the other, and each reads
the subscription afresh. The newest applied event's creation time is kept as a second guard.
"""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import billing, tasks
from apps.accounts.models import StripeEvent, Tier, User

logger = logging.getLogger(__name__)

HANDLED_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "invoice.paid",
        "invoice.payment_failed",
    }
)
# Statuses that give the price's tier; past_due gives it for the grace period only.
PAYING_STATUSES = frozenset({"active", "trialing"})
# Statuses after which the account is on Free. (`incomplete`: the first payment is still being
# made; the account keeps whatever plan it has until Stripe says how that ended.)
ENDED_STATUSES = frozenset({"canceled", "unpaid", "incomplete_expired", "paused"})
# Statuses in which a subscription gives its price's plan, past_due for the grace period only.
BILLING_STATUSES = PAYING_STATUSES | {"past_due"}
# Statuses in which Stripe has stopped billing a subscription. Resync then looks for a newer one
# of the customer's that bills: a person may have subscribed again while webhooks were lost.
STOPPED_STATUSES = frozenset({"canceled", "unpaid", "incomplete_expired"})

BILLING_FIELDS = [
    "tier",
    "stripe_customer_id",
    "stripe_subscription_id",
    "stripe_price_id",
    "subscription_status",
    "subscription_period_end",
    "subscription_cancel_at_period_end",
    "past_due_since",
    "stripe_event_created",
    "updated_at",
]


def grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_GRACE_DAYS)


def _lock(user: User) -> User:
    # FOR NO KEY UPDATE, the mode entitlements.lock_owner takes: prompt creators queue behind a
    # plan change instead of deadlocking with it.
    return User.objects.select_for_update(no_key=True).get(pk=user.pk)


def tier_decision(
    *, status: str, price_tier: str, current_tier: str, past_due_since: datetime | None
) -> str:
    """The tier an account holds given its subscription's status and its price's tier."""
    if status in PAYING_STATUSES:
        return price_tier
    if status == "past_due":
        if past_due_since is not None and timezone.now() - past_due_since >= grace_period():
            return Tier.FREE
        return price_tier
    if status in ENDED_STATUSES:
        return Tier.FREE
    return current_tier


@transaction.atomic
def billing_customer_ensure(*, user: User) -> str:
    """The account's Stripe customer id, created at Stripe and stored on first use. The row
    lock makes two simultaneous first checkouts share one customer."""
    locked = _lock(user)
    if not locked.stripe_customer_id:
        locked.stripe_customer_id = billing.customer_create(locked)
        locked.save(update_fields=["stripe_customer_id", "updated_at"])
    user.stripe_customer_id = locked.stripe_customer_id
    return locked.stripe_customer_id


def subscription_apply(*, user: User, state: billing.SubscriptionState) -> list[str]:
    """Set the account's plan from `state`, the subscription as Stripe reports it now. `user`
    must be locked by the caller's transaction. Returns what changed, in words."""
    if state.id != user.stripe_subscription_id and user.stripe_subscription_id:
        if state.status in ENDED_STATUSES:
            # A subscription that has ended never displaces the one the account holds now.
            return []
        logger.info(
            "Account %s moves from subscription %s to %s",
            user.pk,
            user.stripe_subscription_id,
            state.id,
        )
    price_tier = billing.tier_for_price(state.price_id)
    if price_tier is None:
        logger.warning(
            "Subscription %s of account %s has price %r, which no plan is configured with: "
            "the account was left as it is.",
            state.id,
            user.pk,
            state.price_id,
        )
        return []

    before = (user.tier, user.subscription_status, user.stripe_subscription_id)
    if state.status == "past_due":
        # The grace counts from this subscription's first failed payment, not another's.
        same_subscription = state.id == user.stripe_subscription_id
        past_due_since = (user.past_due_since if same_subscription else None) or timezone.now()
    else:
        past_due_since = None
    user.tier = tier_decision(
        status=state.status,
        price_tier=price_tier,
        current_tier=user.tier,
        past_due_since=past_due_since,
    )
    user.stripe_subscription_id = state.id
    if state.customer_id and not user.stripe_customer_id:
        user.stripe_customer_id = state.customer_id
    user.stripe_price_id = state.price_id
    user.subscription_status = state.status
    user.subscription_period_end = state.period_end
    user.subscription_cancel_at_period_end = state.cancel_at_period_end
    user.past_due_since = past_due_since
    user.save(update_fields=BILLING_FIELDS)

    changes = []
    if before[0] != user.tier:
        changes.append(f"plan {before[0]} → {user.tier}")
    if before[1] != user.subscription_status:
        changes.append(f"subscription {before[1] or 'none'} → {user.subscription_status}")
    if before[2] and before[2] != user.stripe_subscription_id:
        changes.append(f"moved from subscription {before[2]} to {user.stripe_subscription_id}")
    if state.status == "past_due" and before[1] != "past_due" and user.tier != Tier.FREE:
        user_id = str(user.pk)
        transaction.on_commit(lambda: tasks.send_payment_failed_notice.enqueue(user_id=user_id))
    return changes


def _account_for_event(event: billing.WebhookEvent) -> User | None:
    """The account an event is about, locked; None when it is about no account of ours."""
    customer_id = billing.customer_id_of(event)
    accounts = User.objects.select_for_update(no_key=True)
    if event.type == "checkout.session.completed":
        reference = event.object.get("client_reference_id")
        try:
            user_id = uuid.UUID(str(reference))
        except ValueError:
            return None
        user = accounts.filter(pk=user_id).first()
        if user is None:
            return None
        if user.stripe_customer_id and customer_id and user.stripe_customer_id != customer_id:
            logger.warning(
                "Checkout %s names account %s but customer %s, not its own %s: ignored.",
                event.object.get("id"),
                user.pk,
                customer_id,
                user.stripe_customer_id,
            )
            return None
        return user
    if not customer_id:
        return None
    return accounts.filter(stripe_customer_id=customer_id).first()


def _apply_event(event: billing.WebhookEvent) -> str:
    if event.type not in HANDLED_EVENTS:
        return "not handled"
    subscription_id = billing.subscription_id_of(event)
    if not subscription_id:
        return "not about a subscription"
    user = _account_for_event(event)
    if user is None:
        return "no account for this customer"
    if user.stripe_event_created and event.created < user.stripe_event_created:
        return "older than the state already applied"
    try:
        state = billing.subscription_state(subscription_id)
    except billing.SubscriptionMissing:
        logger.warning(
            "Event %s names subscription %s, unknown to Stripe", event.id, subscription_id
        )
        return "subscription not found at Stripe"
    if (
        state.customer_id
        and user.stripe_customer_id
        and state.customer_id != user.stripe_customer_id
    ):
        return "subscription of another customer"
    changes = subscription_apply(user=user, state=state)
    user.stripe_event_created = max(event.created, user.stripe_event_created or event.created)
    user.save(update_fields=["stripe_event_created"])
    return "; ".join(changes) if changes else "no change"


@transaction.atomic
def stripe_event_process(*, event: billing.WebhookEvent) -> str:
    """Apply a verified webhook event once. Its row is inserted first: a redelivery, even one
    arriving at the same moment, finds it (or waits on its unique id and then finds it) and
    changes nothing. If Stripe can't be read, BillingUnavailable rolls everything back so
    Stripe's retry is processed in full. Returns what was done, in words."""
    if StripeEvent.objects.filter(event_id=event.id).exists():
        return "duplicate"
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(
                event_id=event.id, event_type=event.type, payload=event.payload
            )
    except IntegrityError:
        return "duplicate"
    outcome = _apply_event(event)[:255]
    record.outcome = outcome
    record.save(update_fields=["outcome"])
    return outcome


def newest_billing_subscription(customer_id: str) -> billing.SubscriptionState | None:
    """The customer's most recently created subscription that bills, among the newest page of
    them at Stripe; None when none of those does."""
    billing_states = [
        state
        for state in billing.customer_subscriptions(customer_id)
        if state.status in BILLING_STATUSES
    ]
    # Stripe lists the newest first; sorting again keeps that true whatever order comes back.
    billing_states.sort(
        key=lambda state: state.created or datetime.min.replace(tzinfo=UTC), reverse=True
    )
    return billing_states[0] if billing_states else None


@transaction.atomic
def subscription_resync(*, user: User) -> list[str]:
    """Re-read the account's subscription from Stripe and fix its plan (after an outage or a
    lost webhook). When there is none on record, or it has stopped billing or is gone at
    Stripe, the customer's newest subscription that bills takes its place, so a person who
    subscribed again while webhooks were lost gets their plan back. Returns what changed, in
    words."""
    user = _lock(user)
    state = None
    missing = ""
    if user.stripe_subscription_id:
        try:
            state = billing.subscription_state(user.stripe_subscription_id)
        except billing.SubscriptionMissing:
            missing = user.stripe_subscription_id
    if (state is None or state.status in STOPPED_STATUSES) and user.stripe_customer_id:
        state = newest_billing_subscription(user.stripe_customer_id) or state
    if state is None:
        return [f"subscription {missing} not found at Stripe; left as it is"] if missing else []
    return subscription_apply(user=user, state=state)


def checkout_start(*, user: User, tier: str, success_url: str, cancel_url: str) -> str:
    """Where to send a person who asked to buy `tier`: a new Checkout Session, or, when the
    customer already has a subscription that bills, the Portal to change that one's plan
    instead (one subscription per account, never two). The customer's other open checkouts are
    expired first, so two tabs can't pay for two subscriptions."""
    if not billing.can_buy(tier):
        raise billing.BillingNotConfigured("This plan can't be bought on this server.")
    customer_id = billing_customer_ensure(user=user)
    live = billing.live_subscription_ids(customer_id)
    if live:
        return billing.portal_session_create(
            customer_id=customer_id, return_url=cancel_url, switch_subscription_id=live[0]
        )
    # A checkout opened earlier (another tab, an abandoned attempt) could still be paid and
    # start a second subscription: expire it first, so only the new one can be paid.
    billing.open_checkouts_expire(customer_id)
    return billing.checkout_session_create(
        user=user,
        customer_id=customer_id,
        tier=tier,
        success_url=success_url,
        cancel_url=cancel_url,
    )
