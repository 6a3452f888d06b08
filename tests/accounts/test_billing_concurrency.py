"""Stripe delivers one event to several servers at once (a retry racing the first delivery):
the event is recorded once and applied once. Each thread has its own database connection and
closes it when done, as in tests/prompts/test_concurrency.py."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.accounts.models import StripeEvent, Tier
from tests.accounts import fake_stripe as fake
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


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
