"""Buying Pro: the plans page, Checkout (the fake Stripe's page), the signed webhook that
Stripe sends when the payment is done, then the billing page shows Pro and the team page lets
the owner invite."""

import json
import re

import requests
from playwright.sync_api import expect

from apps.accounts.models import Tier
from tests.accounts import fake_stripe as fake


def test_upgrading_to_pro_through_checkout_opens_the_team(
    logged_in_page, browser_user, fake_stripe, live_server, settings
):
    page = logged_in_page
    # In production the checkout form is redirected to checkout.stripe.com; here, to the fake.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], fake_stripe.base_url],
    }

    page.goto("/team/")
    page.get_by_test_id("team-upsell").get_by_role("link", name="See plans").click()
    expect(page).to_have_url(re.compile(r"/pricing/$"))
    expect(page.get_by_test_id("plan-free").get_by_test_id("current-plan")).to_be_visible()

    page.get_by_test_id("choose-pro").click()
    expect(page).to_have_url(re.compile(re.escape(fake_stripe.base_url) + r"/pay/cs_test_\w+"))
    [session] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert session.params["line_items"]["0"]["price"] == fake.PRICE_PRO

    # Stripe reports the finished checkout to the webhook, signed with the endpoint's secret.
    browser_user.refresh_from_db()
    fake_stripe.set_subscription(
        "sub_browser", customer=browser_user.stripe_customer_id, price=fake.PRICE_PRO
    )
    event = fake.event(
        "checkout.session.completed",
        {
            "id": "cs_test_browser",
            "object": "checkout.session",
            "mode": "subscription",
            "customer": browser_user.stripe_customer_id,
            "subscription": "sub_browser",
            "client_reference_id": str(browser_user.pk),
        },
    )
    body = json.dumps(event)
    response = requests.post(
        live_server.url + "/billing/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": fake.sign(body)},
        timeout=30,
    )
    assert response.status_code == 200
    browser_user.refresh_from_db()
    assert browser_user.tier == Tier.PRO

    page.goto("/billing/?checkout=success")
    expect(page.get_by_test_id("billing-tier")).to_have_text("Pro")
    expect(page.get_by_test_id("subscription-status")).to_have_text("Active")
    expect(page.get_by_test_id("checkout-pending")).to_have_count(0)

    page.goto("/team/")
    form = page.get_by_test_id("invite-form")
    form.get_by_label("Email address").fill("teammate@example.com")
    form.get_by_label("Role").select_option("viewer")
    form.get_by_role("button", name="Send invite").click()
    expect(page.get_by_test_id("pending")).to_contain_text("teammate@example.com")
