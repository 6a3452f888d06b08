"""Billing through Stripe: Checkout, the Customer Portal and the webhook that sets each
account's plan from its subscription's price and status, whatever order, timing or number of
times Stripe delivers the events. Stripe is the fake in tests/accounts/fake_stripe.py, reached
by the real SDK over HTTP; webhook bodies are signed with the test secret as Stripe signs them.
"""

import html
import json
import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from apps.accounts import billing
from apps.accounts.models import StripeEvent, Tier
from apps.prompts import services as prompt_services
from apps.prompts.models import Prompt
from promptvault import entitlements
from promptvault.entitlements import LimitReached
from tests.accounts import fake_stripe as fake
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory

WEBHOOK = reverse("billing:webhook")
CHECKOUT = reverse("billing:checkout")
PORTAL = reverse("billing:portal")
PRICING = reverse("billing:pricing")
OVERVIEW = reverse("billing:overview")


def deliver(payload, *, secret=fake.WEBHOOK_SECRET, timestamp=None, header=True, raw=None):
    body = raw if raw is not None else json.dumps(payload)
    headers = {}
    if header:
        text = body if isinstance(body, str) else body.decode("utf-8", "replace")
        headers["Stripe-Signature"] = fake.sign(text, secret=secret, timestamp=timestamp)
    return Client().post(WEBHOOK, data=body, content_type="application/json", headers=headers)


def subscription_event(event_type, sub, **kwargs):
    return fake.event(event_type, sub, **kwargs)


def invoice_event(event_type, *, customer, subscription, **kwargs):
    invoice = {
        "id": f"in_{subscription}",
        "object": "invoice",
        "customer": customer,
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription},
        },
    }
    return fake.event(event_type, invoice, **kwargs)


@pytest.fixture
def customer(alice):
    alice.stripe_customer_id = "cus_alice"
    alice.save()
    return "cus_alice"


@pytest.fixture
def pro_alice(alice, customer, fake_stripe):
    """alice paying for Pro: the subscription at Stripe and the webhook applied."""
    sub = fake_stripe.set_subscription("sub_alice", customer=customer, price=fake.PRICE_PRO)
    assert deliver(subscription_event("customer.subscription.created", sub)).status_code == 200
    alice.refresh_from_db()
    assert alice.tier == Tier.PRO
    return alice


# --- Checkout and the Portal ------------------------------------------------------------------


def test_checkout_creates_a_session_for_the_price_and_the_user_then_redirects(
    alice_client, alice, fake_stripe
):
    response = alice_client.post(CHECKOUT, {"plan": "pro"})

    assert response.status_code == 303
    assert response["Location"].startswith(fake_stripe.base_url + "/pay/cs_test_")
    [created] = fake_stripe.calls("POST", "/v1/customers")
    assert created.params["email"] == alice.email
    assert created.params["metadata"] == {"user_id": str(alice.pk)}
    [session] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    params = session.params
    assert params["mode"] == "subscription"
    assert params["line_items"]["0"] == {"price": fake.PRICE_PRO, "quantity": "1"}
    assert params["client_reference_id"] == str(alice.pk)
    assert params["metadata"]["user_id"] == str(alice.pk)
    assert params["subscription_data"]["metadata"]["user_id"] == str(alice.pk)
    assert params["success_url"].endswith(OVERVIEW + "?checkout=success")
    assert params["cancel_url"].endswith(OVERVIEW + "?checkout=cancelled")
    # The pinned API version is asked for on every request.
    assert session.headers["Stripe-Version"] == "2026-10-28.endive"
    alice.refresh_from_db()
    assert alice.stripe_customer_id == params["customer"]


def test_checkout_for_enterprise_uses_its_price_and_reuses_the_customer(
    alice_client, customer, fake_stripe
):
    response = alice_client.post(CHECKOUT, {"plan": "enterprise"})

    assert response.status_code == 303
    assert fake_stripe.calls("POST", "/v1/customers") == []
    [session] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert session.params["customer"] == customer
    assert session.params["line_items"]["0"]["price"] == fake.PRICE_ENTERPRISE


@pytest.mark.parametrize("plan", ["", "free", "platinum", "pro'--", "x" * 5000])
def test_an_unknown_plan_is_a_400_with_a_message(alice_client, fake_stripe, plan):
    response = alice_client.post(CHECKOUT, {"plan": plan})

    assert response.status_code == 400
    assert "Choose the Pro or the Enterprise plan." in response.content.decode()
    assert fake_stripe.requests == []


def test_a_paying_customer_changes_plan_in_the_portal_never_a_second_subscription(
    alice_client, pro_alice, fake_stripe
):
    response = alice_client.post(CHECKOUT, {"plan": "enterprise"})

    assert response.status_code == 303
    assert response["Location"].startswith(fake_stripe.base_url + "/portal/")
    assert fake_stripe.calls("POST", "/v1/checkout/sessions") == []
    [portal] = fake_stripe.calls("POST", "/v1/billing_portal/sessions")
    assert portal.params["flow_data"]["type"] == "subscription_update"
    assert portal.params["flow_data"]["subscription_update"]["subscription"] == "sub_alice"


def session_id_of(response) -> str:
    """The Checkout Session a checkout redirected to."""
    assert response.status_code == 303
    return response["Location"].rsplit("/pay/", 1)[1]


def test_a_second_checkout_expires_the_first_so_two_tabs_cant_pay_twice(
    alice_client, customer, fake_stripe
):
    first = session_id_of(alice_client.post(CHECKOUT, {"plan": "pro"}))
    fake_stripe.requests.clear()

    second = session_id_of(alice_client.post(CHECKOUT, {"plan": "enterprise"}))

    assert second != first
    assert fake_stripe.checkout_sessions[first]["status"] == "expired"
    assert fake_stripe.checkout_sessions[second]["status"] == "open"
    # One page of the customer's open sessions, then the expiry, before the new session.
    steps = [(r.method, r.path) for r in fake_stripe.requests]
    assert steps == [
        ("GET", "/v1/subscriptions"),
        ("GET", "/v1/checkout/sessions"),
        ("POST", f"/v1/checkout/sessions/{first}/expire"),
        ("POST", "/v1/checkout/sessions"),
    ]
    [listing] = fake_stripe.calls("GET", "/v1/checkout/sessions")
    assert listing.params == {"customer": customer, "status": "open", "limit": "10"}
    [expiry] = fake_stripe.calls("POST", f"/v1/checkout/sessions/{first}/expire")
    assert expiry.params == {}


def test_a_checkout_expires_only_its_customers_open_subscription_sessions(
    alice_client, customer, fake_stripe
):
    now = int(time.time())
    fake_stripe.set_checkout_session("cs_paid", customer=customer, status="complete", created=now)
    fake_stripe.set_checkout_session("cs_gone", customer=customer, status="expired", created=now)
    fake_stripe.set_checkout_session("cs_open", customer=customer, created=now - 60)
    fake_stripe.set_checkout_session("cs_invoice", customer=customer, mode="payment")
    fake_stripe.set_checkout_session("cs_charlie", customer="cus_charlie")

    new = session_id_of(alice_client.post(CHECKOUT, {"plan": "pro"}))

    statuses = {key: value["status"] for key, value in fake_stripe.checkout_sessions.items()}
    assert statuses == {
        "cs_paid": "complete",
        "cs_gone": "expired",
        "cs_open": "expired",
        "cs_invoice": "open",
        "cs_charlie": "open",
        new: "open",
    }
    [expiry] = [r for r in fake_stripe.requests if r.path.endswith("/expire")]
    assert expiry.path == "/v1/checkout/sessions/cs_open/expire"


def test_the_new_checkout_is_created_even_when_an_open_one_cannot_be_expired(
    alice_client, customer, fake_stripe
):
    now = int(time.time())
    fake_stripe.set_checkout_session("cs_abandoned", customer=customer, created=now)
    # Listed open, then paid in its tab before the expiry reaches Stripe: Stripe answers 400.
    fake_stripe.set_checkout_session("cs_paying", customer=customer, created=now - 60)
    fake_stripe.paid_before_expire.add("cs_paying")

    new = session_id_of(alice_client.post(CHECKOUT, {"plan": "pro"}))

    assert fake_stripe.checkout_sessions[new]["status"] == "open"
    assert fake_stripe.checkout_sessions["cs_paying"]["status"] == "complete"
    assert fake_stripe.checkout_sessions["cs_abandoned"]["status"] == "expired"
    assert [r.path for r in fake_stripe.requests if r.path.startswith("/v1/checkout/")] == [
        "/v1/checkout/sessions",
        "/v1/checkout/sessions/cs_abandoned/expire",
        "/v1/checkout/sessions/cs_paying/expire",
        "/v1/checkout/sessions",
    ]


def test_stripe_unreachable_while_expiring_open_checkouts_is_a_message_to_show(
    alice, customer, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_promptvault"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing answers

    with pytest.raises(billing.BillingUnavailable, match="couldn't reach our payment provider"):
        billing.open_checkouts_expire(customer)


def test_the_portal_opens_for_the_customer_and_returns_to_billing(
    alice_client, customer, fake_stripe
):
    response = alice_client.post(PORTAL)

    assert response.status_code == 303
    assert response["Location"].startswith(fake_stripe.base_url + "/portal/")
    [portal] = fake_stripe.calls("POST", "/v1/billing_portal/sessions")
    assert portal.params["customer"] == customer
    assert portal.params["return_url"].endswith(OVERVIEW)


def test_an_anonymous_visitor_cannot_reach_the_portal_or_checkout(client, fake_stripe):
    for url in (PORTAL, CHECKOUT):
        response = client.post(url, {"plan": "pro"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert fake_stripe.requests == []


def test_the_portal_without_a_customer_sends_to_the_plans(alice_client, fake_stripe):
    response = alice_client.post(PORTAL)

    assert response.status_code == 302
    assert response["Location"] == PRICING
    assert fake_stripe.requests == []


def test_stripe_unreachable_at_checkout_is_a_message_not_an_error(alice_client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_promptvault"
    settings.STRIPE_PRICE_PRO = fake.PRICE_PRO
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing answers

    response = alice_client.post(CHECKOUT, {"plan": "pro"}, follow=True)

    assert response.status_code == 200
    assert "couldn't reach our payment provider" in html.unescape(response.content.decode())


# --- Pages ------------------------------------------------------------------------------------


def test_pricing_shows_every_plan_and_marks_the_current_one(alice_client, fake_stripe):
    page = alice_client.get(PRICING).content.decode()

    for plan in entitlements.PLANS.values():
        assert f'data-testid="plan-{plan.tier}"' in page
        assert f"${plan.price_per_month}" in page
    assert page.count('data-testid="current-plan"') == 1
    assert 'data-testid="choose-pro"' in page
    assert 'data-testid="choose-enterprise"' in page


def test_without_keys_pricing_still_shows_the_plans_and_says_billing_is_not_set_up(
    client, settings
):
    settings.STRIPE_SECRET_KEY = ""
    page = client.get(PRICING).content.decode()

    assert 'data-testid="plan-pro"' in page
    assert "Billing isn't set up on this server" in page
    assert page.count('data-testid="plan-unavailable"') == 2
    assert 'action="/billing/checkout/"' not in page


def test_every_upgrade_link_leads_to_pricing():
    assert entitlements.upgrade_url() == PRICING
    assert PRICING in LimitReached("Full.").as_html()


def shown_date(moment) -> str:
    """A date as the billing page shows it."""
    return dateformat.format(timezone.localtime(moment), "j F Y")


def payment_failing(user, *, days_ago: int, tier: str):
    """Put `user`'s subscription on record in past_due since `days_ago` days, holding `tier`."""
    user.tier = tier
    user.subscription_status = "past_due"
    user.past_due_since = timezone.now() - timedelta(days=days_ago)
    user.save()
    return user.past_due_since


def banner(page: str) -> str:
    start = page.index('data-testid="payment-failing"')
    return " ".join(html.unescape(page[start : page.index("</div>", start)]).split())


def test_billing_page_during_the_grace_says_until_when_the_plan_is_kept(
    alice_client, pro_alice, settings
):
    since = payment_failing(pro_alice, days_ago=2, tier=Tier.PRO)
    ends = shown_date(since + timedelta(days=settings.BILLING_GRACE_DAYS))

    text = banner(alice_client.get(OVERVIEW).content.decode())

    assert f"Your last payment failed. Your Pro plan is kept until {ends}" in text
    assert "Update your card in Manage billing to keep it." in text
    assert "Free" not in text


def test_billing_page_after_the_grace_says_the_plan_moved_to_free_and_how_to_get_it_back(
    alice_client, pro_alice, settings
):
    since = payment_failing(pro_alice, days_ago=settings.BILLING_GRACE_DAYS + 3, tier=Tier.FREE)
    ends = shown_date(since + timedelta(days=settings.BILLING_GRACE_DAYS))

    page = alice_client.get(OVERVIEW).content.decode()
    text = banner(page)

    assert f"Your plan moved to Free because your payment failed and wasn't made by {ends}." in (
        text
    )
    assert "Update your card in Manage billing: once the payment goes through, your Pro plan" in (
        text
    )
    assert "kept until" not in text
    assert 'data-testid="billing-tier">Free<' in page
    assert 'data-testid="manage-billing"' in page


def test_billing_page_after_the_grace_before_the_plan_changed_says_it_is_moving_to_free(
    alice_client, pro_alice, settings
):
    # The grace ran out but no event or billing_sync has applied it yet: still Pro for now.
    since = payment_failing(pro_alice, days_ago=settings.BILLING_GRACE_DAYS + 1, tier=Tier.PRO)
    ends = shown_date(since + timedelta(days=settings.BILLING_GRACE_DAYS))

    text = banner(alice_client.get(OVERVIEW).content.decode())

    assert f"wasn't made by {ends}, so your Pro plan is moving to Free." in text
    assert "Update your card in Manage billing to keep it." in text
    assert "kept until" not in text


def test_billing_page_shows_when_a_subscription_set_to_cancel_ends(
    alice_client, pro_alice, fake_stripe
):
    period_end = int(time.time()) + 12 * 86400
    sub = fake_stripe.set_subscription(
        "sub_alice", customer="cus_alice", cancel_at_period_end=True, period_end=period_end
    )
    deliver(subscription_event("customer.subscription.updated", sub))

    page = alice_client.get(OVERVIEW).content.decode()

    ends = shown_date(datetime.fromtimestamp(period_end, tz=UTC))
    assert f'<dt>Ends on</dt>\n        <dd data-testid="period-end">{ends}</dd>' in page
    assert "Renews on" not in page
    assert 'data-testid="billing-tier">Pro<' in page


def test_billing_page_shows_plan_status_and_renewal(alice_client, pro_alice):
    page = alice_client.get(OVERVIEW).content.decode()

    assert 'data-testid="billing-tier">Pro<' in page
    assert 'data-testid="subscription-status">Active<' in page
    assert "Renews on" in page
    assert 'data-testid="manage-billing"' in page
    assert 'data-testid="downgrade-notice"' in page
    assert 'data-testid="payment-failing"' not in page


# --- The webhook: which events change what ----------------------------------------------------


def test_the_completed_checkout_and_the_subscription_make_the_user_pro(
    alice, customer, fake_stripe
):
    sub = fake_stripe.set_subscription("sub_new", customer=customer, price=fake.PRICE_PRO)
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "mode": "subscription",
        "customer": customer,
        "subscription": "sub_new",
        "client_reference_id": str(alice.pk),
    }

    assert deliver(fake.event("checkout.session.completed", session)).status_code == 200
    alice.refresh_from_db()
    assert alice.tier == Tier.PRO
    assert alice.stripe_subscription_id == "sub_new"
    assert alice.subscription_status == "active"
    assert alice.subscription_period_end is not None

    assert deliver(subscription_event("customer.subscription.created", sub)).status_code == 200
    alice.refresh_from_db()
    assert alice.tier == Tier.PRO
    assert StripeEvent.objects.count() == 2


def test_a_checkout_for_an_account_without_a_stored_customer_binds_it(alice, fake_stripe):
    fake_stripe.set_subscription("sub_new", customer="cus_fresh", price=fake.PRICE_ENTERPRISE)
    session = {
        "id": "cs_test_2",
        "object": "checkout.session",
        "customer": "cus_fresh",
        "subscription": "sub_new",
        "client_reference_id": str(alice.pk),
    }

    deliver(fake.event("checkout.session.completed", session))

    alice.refresh_from_db()
    assert (alice.tier, alice.stripe_customer_id) == (Tier.ENTERPRISE, "cus_fresh")


def test_three_replays_of_an_event_record_it_once_and_change_nothing(pro_alice, fake_stripe):
    sub = fake_stripe.subscriptions["sub_alice"]
    cancelled = subscription_event("customer.subscription.updated", sub)
    assert deliver(cancelled).status_code == 200
    recorded = StripeEvent.objects.get(event_id=cancelled["id"])
    # Stripe's state moves on; a replay of the old event must not be applied again.
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="canceled")

    for _ in range(3):
        response = deliver(cancelled)
        assert response.status_code == 200
        assert response.json()["outcome"] == "duplicate"

    assert StripeEvent.objects.filter(event_id=cancelled["id"]).count() == 1
    assert StripeEvent.objects.get(event_id=cancelled["id"]).processed_at == recorded.processed_at
    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.PRO


def test_an_older_event_after_a_newer_one_changes_nothing(pro_alice, fake_stripe):
    now = int(time.time())
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="canceled")
    newer = subscription_event(
        "customer.subscription.deleted", fake_stripe.subscriptions["sub_alice"], created=now
    )
    assert deliver(newer).status_code == 200
    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.FREE

    # A late "updated" from before the cancellation, while Stripe (wrongly, for the test) would
    # report the subscription active again: its age alone keeps it from being applied.
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="active")
    older = subscription_event(
        "customer.subscription.updated",
        fake_stripe.subscriptions["sub_alice"],
        created=now - 120,
    )
    response = deliver(older)

    assert response.status_code == 200
    assert response.json()["outcome"] == "older than the state already applied"
    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.FREE


def test_an_event_is_never_trusted_over_the_subscription_stripe_reports_now(
    alice, customer, fake_stripe
):
    fake_stripe.set_subscription("sub_alice", customer=customer, status="canceled")
    stale_copy = {
        "id": "sub_alice",
        "object": "subscription",
        "customer": customer,
        "status": "active",
        "items": {"data": [{"price": {"id": fake.PRICE_ENTERPRISE}}]},
    }

    deliver(subscription_event("customer.subscription.updated", stale_copy))

    alice.refresh_from_db()
    assert alice.tier == Tier.FREE
    assert alice.subscription_status == "canceled"


def test_enterprise_to_pro_through_the_portal_lands_on_pro(alice, customer, fake_stripe):
    sub = fake_stripe.set_subscription("sub_alice", customer=customer, price=fake.PRICE_ENTERPRISE)
    deliver(subscription_event("customer.subscription.created", sub))
    alice.refresh_from_db()
    assert alice.tier == Tier.ENTERPRISE

    switched = fake_stripe.set_subscription("sub_alice", customer=customer, price=fake.PRICE_PRO)
    event = subscription_event("customer.subscription.updated", switched)
    event["data"]["previous_attributes"] = {
        "items": {"data": [{"price": {"id": fake.PRICE_ENTERPRISE}}]}
    }
    deliver(event)

    alice.refresh_from_db()
    assert alice.tier == Tier.PRO
    assert alice.stripe_price_id == fake.PRICE_PRO


def test_past_due_keeps_the_tier_with_a_banner_and_a_mail_then_drops_it_after_the_grace(
    pro_alice, fake_stripe, alice_client, django_capture_on_commit_callbacks, settings
):
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="past_due")
    with django_capture_on_commit_callbacks(execute=True):
        deliver(
            invoice_event("invoice.payment_failed", customer="cus_alice", subscription="sub_alice")
        )

    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.PRO
    assert pro_alice.past_due_since is not None
    assert 'data-testid="payment-failing"' in alice_client.get(OVERVIEW).content.decode()
    [notice] = mail.outbox
    assert notice.to == [pro_alice.email]
    assert f"for {settings.BILLING_GRACE_DAYS} days" in notice.body

    # Stripe retries and fails again within the grace: still Pro, no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        deliver(
            invoice_event("invoice.payment_failed", customer="cus_alice", subscription="sub_alice")
        )
    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.PRO
    assert len(mail.outbox) == 1

    # A day past the grace period, the next failure drops the account to Free.
    pro_alice.past_due_since = timezone.now() - timedelta(days=settings.BILLING_GRACE_DAYS + 1)
    pro_alice.save()
    deliver(invoice_event("invoice.payment_failed", customer="cus_alice", subscription="sub_alice"))
    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.FREE
    assert pro_alice.subscription_status == "past_due"


def test_a_paid_invoice_after_past_due_restores_the_plan_and_clears_the_grace(
    pro_alice, fake_stripe
):
    pro_alice.tier = Tier.FREE
    pro_alice.subscription_status = "past_due"
    pro_alice.past_due_since = timezone.now() - timedelta(days=30)
    pro_alice.save()
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="active")

    deliver(invoice_event("invoice.paid", customer="cus_alice", subscription="sub_alice"))

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.past_due_since) == (Tier.PRO, None)


@pytest.mark.parametrize("status", ["canceled", "unpaid", "incomplete_expired"])
def test_a_cancellation_makes_the_account_free_keeping_sixty_prompts_and_refusing_more(
    pro_alice, fake_stripe, alice_client, status
):
    for number in range(60):
        PromptFactory(user=pro_alice, name=f"Kept {number}")
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status=status)

    deliver(
        subscription_event("customer.subscription.deleted", fake_stripe.subscriptions["sub_alice"])
    )

    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.FREE
    assert Prompt.objects.filter(user=pro_alice).count() == 60
    assert pro_alice.prompt_count == 60
    with pytest.raises(LimitReached):
        prompt_services.prompt_create(owner=pro_alice, author=pro_alice, name="61", content="x")
    response = alice_client.post(
        reverse("prompts:create"), {"name": "61", "content": "x", "model": "gpt-4"}
    )
    assert Prompt.objects.filter(user=pro_alice).count() == 60
    assert PRICING in response.content.decode()


def test_an_ended_old_subscription_does_not_displace_the_current_one(pro_alice, fake_stripe):
    old = fake_stripe.set_subscription("sub_old", customer="cus_alice", status="canceled")

    deliver(subscription_event("customer.subscription.deleted", old))

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_subscription_id) == (Tier.PRO, "sub_alice")


def test_an_unknown_price_is_logged_answered_200_and_changes_nothing(
    pro_alice, fake_stripe, caplog
):
    sub = fake_stripe.set_subscription("sub_alice", customer="cus_alice", price="price_other")

    response = deliver(subscription_event("customer.subscription.updated", sub))

    assert response.status_code == 200
    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_price_id) == (Tier.PRO, fake.PRICE_PRO)
    assert "price_other" in caplog.text


def test_an_event_for_a_customer_nobody_has_is_recorded_and_ignored(alice, fake_stripe):
    sub = fake_stripe.set_subscription("sub_x", customer="cus_nobody")

    response = deliver(subscription_event("customer.subscription.created", sub))

    assert response.status_code == 200
    assert response.json()["outcome"] == "no account for this customer"
    alice.refresh_from_db()
    assert alice.tier == Tier.FREE


def test_an_event_type_not_handled_is_acknowledged(db, fake_stripe):
    response = deliver(fake.event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.status_code == 200
    assert response.json()["outcome"] == "not handled"
    assert fake_stripe.requests == []


def test_stripe_unreachable_during_an_event_asks_for_redelivery_and_records_nothing(
    pro_alice, fake_stripe, settings
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    event = subscription_event(
        "customer.subscription.updated", fake_stripe.subscriptions["sub_alice"]
    )

    response = deliver(event)

    assert response.status_code == 503
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()
    settings.STRIPE_API_BASE = fake_stripe.base_url
    assert deliver(event).json()["outcome"] == "no change"


# --- The webhook: requests that are not Stripe's ---------------------------------------------


def _unchanged(alice):
    alice.refresh_from_db()
    return alice.tier == Tier.PRO and StripeEvent.objects.count() == 1


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "missing header", "stale timestamp", "future-dated garbage header"],
)
def test_a_request_not_signed_by_stripe_is_a_400_and_changes_nothing(pro_alice, fake_stripe, how):
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="canceled")
    event = subscription_event(
        "customer.subscription.deleted", fake_stripe.subscriptions["sub_alice"]
    )
    if how == "wrong secret":
        response = deliver(event, secret="whsec_someone_else")
    elif how == "missing header":
        response = deliver(event, header=False)
    elif how == "stale timestamp":
        response = deliver(event, timestamp=int(time.time()) - 3600)
    else:
        response = Client().post(
            WEBHOOK,
            data=json.dumps(event),
            content_type="application/json",
            headers={"Stripe-Signature": "t=,v1=\x00,,=="},
        )

    assert response.status_code == 400
    assert _unchanged(pro_alice)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2, 3]",
        '"a string"',
        "{}",
        '{"id": "evt_1", "type": "customer.subscription.deleted"}',
        '{"id": "evt_1", "type": "x", "created": "yesterday", "data": {"object": {}}}',
        '{"id": 7, "type": "x", "created": 1, "data": {"object": {}}}',
        '{"id": "evt_1", "type": "x", "created": 1, "data": []}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=lambda body: body[:40],
)
def test_a_signed_body_that_is_not_an_event_is_a_400(pro_alice, fake_stripe, body):
    response = deliver(None, raw=body)

    assert response.status_code == 400
    assert _unchanged(pro_alice)


def test_a_body_that_is_not_utf8_is_a_400(pro_alice, fake_stripe):
    body = b"\xff\xfe{}"
    response = Client().post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": fake.sign("{}")},
    )
    assert response.status_code == 400
    assert _unchanged(pro_alice)


def test_the_webhook_takes_no_get_and_needs_no_csrf_token(db, fake_stripe):
    assert Client().get(WEBHOOK).status_code == 405
    csrf_client = Client(enforce_csrf_checks=True)
    event = fake.event("customer.created", {"id": "cus_1"})
    body = json.dumps(event)
    response = csrf_client.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": fake.sign(body)},
    )
    assert response.status_code == 200


def test_a_webhook_secret_without_an_api_key_asks_for_redelivery(pro_alice, fake_stripe, settings):
    settings.STRIPE_SECRET_KEY = ""
    event = subscription_event(
        "customer.subscription.updated", fake_stripe.subscriptions["sub_alice"]
    )

    assert deliver(event).status_code == 503
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()


def test_without_a_webhook_secret_every_delivery_is_refused(pro_alice, fake_stripe, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(fake.event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 400


# --- billing_sync -----------------------------------------------------------------------------


def test_billing_sync_fixes_every_paying_account_and_says_what_changed(pro_alice, fake_stripe):
    lost = UserFactory(email="lost@example.com", stripe_customer_id="cus_lost")
    fake_stripe.set_subscription("sub_lost", customer="cus_lost", price=fake.PRICE_ENTERPRISE)
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="canceled")
    out = StringIO()

    call_command("billing_sync", stdout=out)

    pro_alice.refresh_from_db()
    lost.refresh_from_db()
    assert pro_alice.tier == Tier.FREE
    assert (lost.tier, lost.stripe_subscription_id) == (Tier.ENTERPRISE, "sub_lost")
    text = out.getvalue()
    assert "alice@example.com: plan pro → free" in text
    assert "lost@example.com: plan free → enterprise" in text


def test_billing_sync_for_one_address(pro_alice, fake_stripe):
    UserFactory(email="other@example.com", stripe_customer_id="cus_other")
    out = StringIO()

    call_command("billing_sync", "--email", "ALICE@example.com", stdout=out)

    assert "alice@example.com: up to date" in out.getvalue()
    assert not [r for r in fake_stripe.requests if "cus_other" in str(r.params)]


def test_billing_sync_ends_a_grace_period_that_is_over(pro_alice, fake_stripe, settings):
    payment_failing(pro_alice, days_ago=settings.BILLING_GRACE_DAYS + 1, tier=Tier.PRO)
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="past_due")
    out = StringIO()

    call_command("billing_sync", stdout=out)

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.subscription_status) == (Tier.FREE, "past_due")
    assert "alice@example.com: plan pro → free" in out.getvalue()


def test_billing_sync_keeps_the_paid_plan_while_the_grace_lasts(pro_alice, fake_stripe, settings):
    since = payment_failing(pro_alice, days_ago=settings.BILLING_GRACE_DAYS - 1, tier=Tier.PRO)
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="past_due")
    out = StringIO()

    call_command("billing_sync", "--email", "alice@example.com", stdout=out)

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.past_due_since) == (Tier.PRO, since)
    assert "alice@example.com: up to date" in out.getvalue()


@pytest.mark.parametrize("ended", ["canceled", "incomplete_expired", "unpaid"])
def test_billing_sync_adopts_the_newest_billing_subscription_when_the_one_on_record_ended(
    pro_alice, fake_stripe, ended
):
    now = int(time.time())
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status=ended)
    deliver(
        subscription_event("customer.subscription.updated", fake_stripe.subscriptions["sub_alice"])
    )
    pro_alice.refresh_from_db()
    assert pro_alice.tier == Tier.FREE
    # alice subscribed again while the webhooks were lost; an older trial also still bills,
    # and the newest of all never got its first payment.
    fake_stripe.set_subscription(
        "sub_trial", customer="cus_alice", status="trialing", created=now - 500
    )
    fake_stripe.set_subscription(
        "sub_again", customer="cus_alice", price=fake.PRICE_ENTERPRISE, created=now - 100
    )
    fake_stripe.set_subscription(
        "sub_abandoned", customer="cus_alice", status="incomplete_expired", created=now
    )
    fake_stripe.set_subscription("sub_bob", customer="cus_bob", created=now)
    out = StringIO()

    call_command("billing_sync", stdout=out)

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_subscription_id) == (Tier.ENTERPRISE, "sub_again")
    assert (pro_alice.subscription_status, pro_alice.stripe_price_id) == (
        "active",
        fake.PRICE_ENTERPRISE,
    )
    assert (
        f"alice@example.com: plan free → enterprise, subscription {ended} → active, "
        "moved from subscription sub_alice to sub_again"
    ) in out.getvalue()
    # One page of the customer's subscriptions, of every status, and no more.
    [listing] = fake_stripe.calls("GET", "/v1/subscriptions")
    assert listing.params == {"customer": "cus_alice", "status": "all", "limit": "10"}


def test_billing_sync_adopts_a_billing_subscription_when_the_one_on_record_is_gone(
    pro_alice, fake_stripe
):
    del fake_stripe.subscriptions["sub_alice"]
    fake_stripe.set_subscription("sub_again", customer="cus_alice", price=fake.PRICE_ENTERPRISE)
    out = StringIO()

    call_command("billing_sync", stdout=out)

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_subscription_id) == (Tier.ENTERPRISE, "sub_again")
    assert (
        "alice@example.com: plan pro → enterprise, moved from subscription sub_alice to sub_again"
    ) in out.getvalue()


def test_billing_sync_keeps_an_ended_subscription_when_no_other_bills_in_one_page(
    pro_alice, fake_stripe
):
    now = int(time.time())
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="canceled")
    fake_stripe.set_subscription(
        "sub_abandoned", customer="cus_alice", status="incomplete", created=now + 60
    )
    for number in range(12):
        fake_stripe.set_subscription(
            f"sub_older_{number}", customer="cus_alice", status="canceled", created=now - 600
        )
    # Older than a page of the list: Stripe would say has_more, and it is not read.
    fake_stripe.set_subscription("sub_oldest", customer="cus_alice", created=now - 6000)

    call_command("billing_sync", stdout=StringIO())

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_subscription_id) == (Tier.FREE, "sub_alice")
    assert pro_alice.subscription_status == "canceled"
    [listing] = fake_stripe.calls("GET", "/v1/subscriptions")
    assert "starting_after" not in listing.params


def test_billing_sync_reports_a_missing_subscription_when_no_other_bills(pro_alice, fake_stripe):
    del fake_stripe.subscriptions["sub_alice"]
    out = StringIO()

    call_command("billing_sync", stdout=out)

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_subscription_id) == (Tier.PRO, "sub_alice")
    assert "subscription sub_alice not found at Stripe; left as it is" in out.getvalue()


def test_an_adopted_past_due_subscription_starts_a_grace_of_its_own(
    pro_alice, fake_stripe, settings
):
    # The record still says the old subscription is failing, long past its grace; Stripe has
    # since ended it, and alice's new subscription has just had its first payment fail.
    payment_failing(pro_alice, days_ago=settings.BILLING_GRACE_DAYS + 5, tier=Tier.FREE)
    fake_stripe.set_subscription("sub_alice", customer="cus_alice", status="canceled")
    fake_stripe.set_subscription("sub_again", customer="cus_alice", status="past_due")
    before = timezone.now()

    call_command("billing_sync", stdout=StringIO())

    pro_alice.refresh_from_db()
    assert (pro_alice.tier, pro_alice.stripe_subscription_id) == (Tier.PRO, "sub_again")
    assert pro_alice.past_due_since >= before


# --- Elsewhere in the product -----------------------------------------------------------------


def test_the_landing_pages_paid_plans_lead_to_pricing(client, fake_stripe):
    page = client.get(reverse("home")).content.decode()

    assert page.count(f'href="{PRICING}" data-testid="plan-link"') == 2


def test_the_admin_links_stripe_ids_to_the_dashboard(db, client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_promptvault"
    staff = UserFactory(is_staff=True, is_superuser=True)
    paying = UserFactory(stripe_customer_id="cus_123", stripe_subscription_id="sub_../x")
    client.force_login(staff)

    page = client.get(reverse("admin:accounts_user_change", args=[paying.pk])).content.decode()

    assert "https://dashboard.stripe.com/test/customers/cus_123" in page
    assert "https://dashboard.stripe.com/test/subscriptions/sub_..%2Fx" in page
