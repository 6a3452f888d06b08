"""Everything that talks to Stripe. The SDK is configured here and nowhere else: the secret key,
the pinned API version and, for a local fake in tests, the API address all come from settings.

Callers get plain values back (ids, URLs, `SubscriptionState`), and two exceptions:
`BillingNotConfigured` when this server has no keys, `BillingUnavailable` when Stripe could not
be reached or refused the request. Nothing else from the SDK leaks out of this module.
"""

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import stripe
from django.conf import settings

from apps.accounts.models import Tier, User

logger = logging.getLogger(__name__)

# Statuses in which a subscription still bills the customer: a second one must not be started.
LIVE_STATUSES = frozenset({"active", "trialing", "past_due", "incomplete", "unpaid", "paused"})
# How many of a customer's subscriptions one list request reads: one page, never more, so a
# customer with a long history costs one request (Stripe lists the newest first).
SUBSCRIPTIONS_PAGE = 10
# How many of a customer's open Checkout Sessions a new checkout expires: one page, for the same
# reason. Each checkout expires the ones before it, so more than one or two are rarely open.
OPEN_CHECKOUTS_PAGE = 10
# Seconds one request to Stripe may take; the SDK retries twice on network errors.
REQUEST_TIMEOUT = 20


class BillingNotConfigured(Exception):
    """This server has no Stripe keys (or no price for the plan asked for)."""


class BillingUnavailable(Exception):
    """Stripe could not be reached or refused the request; the message is fit to show."""


class SubscriptionMissing(BillingUnavailable):
    """Stripe has no subscription with that id (deleted, or from another account)."""


class InvalidEvent(Exception):
    """A webhook request that is not a genuine, well-formed Stripe event."""


@dataclass(frozen=True)
class SubscriptionState:
    """What Stripe says about a subscription right now."""

    id: str
    customer_id: str
    status: str
    price_id: str
    period_end: datetime | None
    cancel_at_period_end: bool
    user_id: str  # from the metadata set at checkout; "" when absent
    created: datetime | None = None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created: datetime
    object: dict
    payload: dict


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def price_for(tier: str) -> str:
    """The configured Stripe price id of a paid tier, or ""."""
    return {
        Tier.PRO: settings.STRIPE_PRICE_PRO,
        Tier.ENTERPRISE: settings.STRIPE_PRICE_ENTERPRISE,
    }.get(tier, "")


def tier_for_price(price_id: str) -> str | None:
    """The tier a configured price buys; None for a price nobody configured."""
    if not price_id:
        return None
    for tier in (Tier.PRO, Tier.ENTERPRISE):
        if price_for(tier) == price_id:
            return tier
    return None


def can_buy(tier: str) -> bool:
    return is_configured() and bool(price_for(tier))


def client() -> stripe.StripeClient:
    if not is_configured():
        raise BillingNotConfigured("Billing isn't set up on this server.")
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=settings.STRIPE_API_VERSION,
        base_addresses=base_addresses,
        max_network_retries=2,
        http_client=stripe.RequestsClient(timeout=REQUEST_TIMEOUT),
    )


def _unavailable(error: stripe.StripeError, doing: str) -> BillingUnavailable:
    logger.warning("Stripe refused or failed while %s: %s", doing, error)
    return BillingUnavailable(
        "We couldn't reach our payment provider just now. Nothing was charged; please try "
        "again in a minute."
    )


def _id_of(value) -> str:
    """An id from a field that may hold the id or the expanded object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


def _timestamp(value) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**37:
        return datetime.fromtimestamp(value, tz=UTC)
    return None


# --- Customers, Checkout, Portal --------------------------------------------------------------


def customer_create(user: User) -> str:
    """Create the Stripe customer for `user`; the idempotency key makes a retried or doubled
    request return the same customer instead of a second one."""
    try:
        customer = client().v1.customers.create(
            params={
                "email": user.email,
                "name": user.name or user.email,
                "metadata": {"user_id": str(user.pk)},
            },
            options={"idempotency_key": f"promptvault-customer-{user.pk}"},
        )
    except stripe.StripeError as error:
        raise _unavailable(error, "creating a customer") from error
    return customer.id


def customer_subscriptions(
    customer_id: str, *, limit: int = SUBSCRIPTIONS_PAGE
) -> list[SubscriptionState]:
    """The customer's newest `limit` subscriptions of every status, newest first, as
    `SubscriptionState`s: one page, never more."""
    try:
        page = client().v1.subscriptions.list(
            params={"customer": customer_id, "status": "all", "limit": limit}
        )
    except stripe.StripeError as error:
        raise _unavailable(error, "listing subscriptions") from error
    subscriptions = page.to_dict().get("data") or []
    return [state_from_subscription(sub) for sub in subscriptions if isinstance(sub, dict)]


def live_subscription_ids(customer_id: str) -> list[str]:
    """The customer's subscriptions that still bill, as Stripe sees them now."""
    return [
        state.id
        for state in customer_subscriptions(customer_id, limit=20)
        if state.status in LIVE_STATUSES
    ]


def checkout_session_create(
    *, user: User, customer_id: str, tier: str, success_url: str, cancel_url: str
) -> str:
    """A Checkout Session in subscription mode for `tier`'s price; returns its URL."""
    price = price_for(tier)
    if not price:
        raise BillingNotConfigured("This plan can't be bought on this server.")
    metadata = {"user_id": str(user.pk), "tier": tier}
    try:
        session = client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer_id,
                "client_reference_id": str(user.pk),
                "line_items": [{"price": price, "quantity": 1}],
                "metadata": metadata,
                "subscription_data": {"metadata": metadata},
                "success_url": success_url,
                "cancel_url": cancel_url,
            }
        )
    except stripe.StripeError as error:
        raise _unavailable(error, "creating a checkout session") from error
    return session.url


def open_checkouts_expire(customer_id: str) -> list[str]:
    """Expire the customer's open subscription Checkout Sessions (the newest page of them), so
    that only the one about to be created can be paid. One Stripe refuses to expire (paid or
    expired since it was listed) is skipped. Returns the ids it expired."""
    stripe_client = client()
    try:
        page = stripe_client.v1.checkout.sessions.list(
            params={"customer": customer_id, "status": "open", "limit": OPEN_CHECKOUTS_PAGE}
        )
    except stripe.StripeError as error:
        raise _unavailable(error, "listing open checkout sessions") from error
    sessions = page.to_dict().get("data") or []
    expired = []
    for session in sessions:
        # Only subscription checkouts can start a second subscription; leave any other kind.
        if not isinstance(session, dict) or session.get("mode") != "subscription":
            continue
        session_id = _id_of(session)
        if not session_id:
            continue
        try:
            stripe_client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError as error:
            # Stripe answered about this session (no longer open, or gone): nothing to undo.
            logger.info("Checkout session %s was not expired: %s", session_id, error)
            continue
        except stripe.StripeError as error:
            raise _unavailable(error, "expiring a checkout session") from error
        expired.append(session_id)
    return expired


def portal_session_create(
    *, customer_id: str, return_url: str, switch_subscription_id: str = ""
) -> str:
    """A Customer Portal session; with `switch_subscription_id` it opens on changing that
    subscription's plan. Returns its URL."""
    params: dict = {"customer": customer_id, "return_url": return_url}
    if switch_subscription_id:
        params["flow_data"] = {
            "type": "subscription_update",
            "subscription_update": {"subscription": switch_subscription_id},
        }
    try:
        session = client().v1.billing_portal.sessions.create(params=params)
    except stripe.InvalidRequestError as error:
        if not switch_subscription_id:
            raise _unavailable(error, "opening the customer portal") from error
        # The portal's configuration may not allow switching plans: open it plainly.
        return portal_session_create(customer_id=customer_id, return_url=return_url)
    except stripe.StripeError as error:
        raise _unavailable(error, "opening the customer portal") from error
    return session.url


# --- Subscriptions ----------------------------------------------------------------------------


def subscription_state(subscription_id: str) -> SubscriptionState:
    """Read the subscription's current state from Stripe."""
    try:
        sub = client().v1.subscriptions.retrieve(subscription_id)
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:
            raise SubscriptionMissing(f"Stripe has no subscription {subscription_id}.") from error
        raise _unavailable(error, "reading a subscription") from error
    except stripe.StripeError as error:
        raise _unavailable(error, "reading a subscription") from error
    return state_from_subscription(sub.to_dict())


def state_from_subscription(sub: dict) -> SubscriptionState:
    items = (sub.get("items") or {}).get("data") or []
    first = items[0] if items and isinstance(items[0], dict) else {}
    price = first.get("price")
    # Since API version 2025-03-31 the billing period lives on each item, not the subscription.
    period_end = _timestamp(first.get("current_period_end")) or _timestamp(
        sub.get("current_period_end")
    )
    metadata = sub.get("metadata") if isinstance(sub.get("metadata"), dict) else {}
    user_id = metadata.get("user_id")
    return SubscriptionState(
        id=_id_of(sub),
        customer_id=_id_of(sub.get("customer")),
        status=str(sub.get("status") or ""),
        price_id=_id_of(price),
        period_end=period_end,
        cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
        user_id=user_id if isinstance(user_id, str) else "",
        created=_timestamp(sub.get("created")),
    )


# --- Webhooks ---------------------------------------------------------------------------------


def event_from_request(*, body: bytes, signature: str | None) -> WebhookEvent:
    """Verify a webhook request's Stripe-Signature with the endpoint's secret (the SDK's check,
    default tolerance for the timestamp) and return the event, or raise InvalidEvent."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise InvalidEvent("Billing webhooks are not configured on this server.")
    try:
        stripe.Webhook.construct_event(body, signature, secret)
        payload = json.loads(body)
    except stripe.SignatureVerificationError as error:
        raise InvalidEvent("The Stripe-Signature header is missing or does not match.") from error
    except (ValueError, TypeError, AttributeError, RecursionError) as error:
        raise InvalidEvent("The body is not a Stripe event.") from error
    if not isinstance(payload, dict):
        raise InvalidEvent("The body is not a Stripe event.")
    data = payload.get("data")
    event_object = data.get("object") if isinstance(data, dict) else None
    created = _timestamp(payload.get("created"))
    event_id, event_type = payload.get("id"), payload.get("type")
    if not (
        isinstance(event_id, str)
        and 0 < len(event_id) <= 255
        and isinstance(event_type, str)
        and 0 < len(event_type) <= 100
        and isinstance(event_object, dict)
        and created is not None
    ):
        raise InvalidEvent("The body is not a Stripe event.")
    return WebhookEvent(
        id=event_id, type=event_type, created=created, object=event_object, payload=payload
    )


def subscription_id_of(event: WebhookEvent) -> str:
    """The subscription an event is about, or "" when it is about none."""
    obj = event.object
    if event.type.startswith("customer.subscription."):
        return _id_of(obj)
    if event.type == "checkout.session.completed":
        return _id_of(obj.get("subscription"))
    if event.type.startswith("invoice."):
        # Before API version 2025-03-31 the invoice named it directly; since, under its parent.
        direct = _id_of(obj.get("subscription"))
        if direct:
            return direct
        parent = obj.get("parent") if isinstance(obj.get("parent"), dict) else {}
        details = parent.get("subscription_details")
        return _id_of(details.get("subscription")) if isinstance(details, dict) else ""
    return ""


def customer_id_of(event: WebhookEvent) -> str:
    return _id_of(event.object.get("customer"))


def dashboard_url(kind: str, object_id: str) -> str:
    """Link to an object in Stripe's dashboard (test-mode keys open the test dashboard)."""
    mode = "test/" if settings.STRIPE_SECRET_KEY.startswith(("sk_test_", "rk_test_")) else ""
    return f"https://dashboard.stripe.com/{mode}{kind}/{quote(object_id, safe='')}"
