"""The pricing page lists what each plan includes: the analyzer on every plan, AI optimization
only where the plan has it (a paid plan must not seem to lose the analyzer)."""

import re

from django.urls import reverse

from promptvault import entitlements


def test_every_plan_lists_the_analyzer_and_only_paid_plans_list_ai_optimization(client, db):
    html = client.get(reverse("billing:pricing")).content.decode()

    for plan in entitlements.PLANS.values():
        card = re.search(rf'data-testid="plan-{plan.tier}".*?</section>', html, re.S).group(0)
        assert "Built-in prompt analyzer" in card
        assert ("AI optimization" in card) == plan.llm_optimization
