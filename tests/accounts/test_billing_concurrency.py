"""Stripe delivers one event to several servers at once (a retry racing the first delivery):
the event is recorded once and applied once. Each thread has its own database connection and
closes it when done, as in tests/prompts/test_concurrency.py."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import StripeEvent, Tier
from tests.accounts import fake_stripe as fake
from tests.accounts.factories import UserFactory
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_six_simultaneous_deliveries_of_one_event_record_it_once(fake_stripe):
    alice = UserFactory(stripe_customer_id="cus_alice")
    sub = fake_stripe.set_subscription("sub_alice", customer="cus_alice", price=fake.PRICE_PRO)
    body = json.dumps(fake.event("customer.subscription.created", sub))
    signature = fake.sign(body)

    def deliver():
        response = Client().post(
            reverse("billing:webhook"),
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": signature},
        )
        return response.status_code, response.json()["outcome"]

    results, errors = run_together([deliver] * 6)

    assert errors == [None] * 6
    assert [status for status, _ in results] == [200] * 6
    outcomes = sorted(outcome for _, outcome in results)
    assert outcomes.count("duplicate") == 5
    assert StripeEvent.objects.count() == 1
    # The one delivery that was applied read the subscription once.
    assert len(fake_stripe.calls("GET", "/v1/subscriptions/sub_alice")) == 1
    alice.refresh_from_db()
    assert (alice.tier, alice.subscription_status) == (Tier.PRO, "active")
