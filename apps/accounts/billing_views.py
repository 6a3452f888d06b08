"""Billing pages: the plans, the account's subscription, Checkout and the Customer Portal, and
the webhook through which Stripe reports every change."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.accounts import billing, billing_services
from apps.accounts.models import Tier
from apps.teams import selectors as team_selectors
from promptvault import entitlements

logger = logging.getLogger(__name__)

PAID_TIERS = (Tier.PRO, Tier.ENTERPRISE)
STATUS_LABELS = {
    "active": "Active",
    "trialing": "Trial",
    "past_due": "Payment failing",
    "unpaid": "Unpaid",
    "canceled": "Cancelled",
    "incomplete": "Waiting for the first payment",
    "incomplete_expired": "First payment never made",
    "paused": "Paused",
}


def _plans_for(user) -> list[dict]:
    current = user.tier if user.is_authenticated else None
    return [
        {
            "plan": plan,
            "current": plan.tier == current,
            "buyable": billing.can_buy(plan.tier),
        }
        for plan in entitlements.PLANS.values()
    ]


def _pricing(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    paying = (
        user.is_authenticated
        and user.tier in PAID_TIERS
        and bool(user.stripe_customer_id)
        and user.subscription_status not in billing_services.ENDED_STATUSES
    )
    return render(
        request,
        "billing/pricing.html",
        {
            "plans": _plans_for(user),
            "billing_configured": billing.is_configured(),
            "paying": paying,
            "error": error,
        },
        status=status,
    )


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    return _pricing(request)


def _absolute(request: HttpRequest, name: str, query: str = "") -> str:
    return request.build_absolute_uri(reverse(name)) + query


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    free = entitlements.PLANS[Tier.FREE]
    grace_ends = (
        user.past_due_since + billing_services.grace_period() if user.past_due_since else None
    )
    # Past the grace the plan is Free, or moves to Free at the next event or billing_sync.
    grace_over = user.subscription_status == "past_due" and (
        user.tier == Tier.FREE or (grace_ends is not None and grace_ends <= timezone.now())
    )
    subscribed_tier = billing.tier_for_price(user.stripe_price_id)
    members = team_selectors.active_members(user.pk).count()
    return render(
        request,
        "billing/overview.html",
        {
            "usage": entitlements.usage(user),
            "free_plan": free,
            "over_free_limit": user.prompt_count > free.max_prompts,
            "team_members": members,
            "grace_ends": grace_ends,
            "grace_over": grace_over,
            "subscribed_plan": entitlements.PLANS.get(subscribed_tier) if subscribed_tier else None,
            "status_label": STATUS_LABELS.get(user.subscription_status, user.subscription_status),
            "billing_configured": billing.is_configured(),
            "checkout": request.GET.get("checkout", "")[:20],
        },
    )


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    tier = request.POST.get("plan", "")
    if tier not in PAID_TIERS:
        return _pricing(request, error="Choose the Pro or the Enterprise plan.", status=400)
    try:
        url = billing_services.checkout_start(
            user=request.user,
            tier=tier,
            success_url=_absolute(request, "billing:overview", "?checkout=success"),
            cancel_url=_absolute(request, "billing:overview", "?checkout=cancelled"),
        )
    except billing.BillingNotConfigured as error:
        messages.error(request, f"{error} An administrator can change your plan.")
        return redirect("billing:pricing")
    except billing.BillingUnavailable as error:
        messages.error(request, str(error))
        return redirect("billing:pricing")
    return HttpResponseRedirect(url, status=303)


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    customer_id = request.user.stripe_customer_id
    if not customer_id:
        messages.info(request, "You have no billing account yet: choose a plan first.")
        return redirect("billing:pricing")
    try:
        url = billing.portal_session_create(
            customer_id=customer_id, return_url=_absolute(request, "billing:overview")
        )
    except billing.BillingNotConfigured as error:
        messages.error(request, f"{error} An administrator can change your plan.")
        return redirect("billing:overview")
    except billing.BillingUnavailable as error:
        messages.error(request, str(error))
        return redirect("billing:overview")
    return HttpResponseRedirect(url, status=303)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events. Signed with the endpoint's secret (no session, no CSRF token); any
    answer but 2xx makes Stripe deliver the event again later."""
    try:
        event = billing.event_from_request(
            body=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except billing.InvalidEvent as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    try:
        outcome = billing_services.stripe_event_process(event=event)
    except (billing.BillingUnavailable, billing.BillingNotConfigured) as error:
        # Nothing was recorded: Stripe's next delivery is processed in full.
        logger.warning("Event %s left for Stripe to deliver again: %s", event.id, error)
        return HttpResponse(
            "Stripe could not be read; deliver the event again.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return JsonResponse({"received": True, "outcome": outcome})
