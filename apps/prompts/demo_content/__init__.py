"""The prompts, tags and folders of the demo vault that `manage.py seed_demo` creates.

A vault a small company's team might really keep: marketing, engineering, support, writing,
data, research, product, people and sales prompts (one module each), many with
`{{variables}}`, aimed at different models, filed in nested folders, a few public, several
with a short history.

Prompts are matched by name when the demo is topped up, so renaming one adds it again: add
new prompts rather than rewording the names of existing ones. The vault lists them in the
order of DEMO_PROMPTS.
"""

from apps.prompts.demo_content import (
    data,
    engineering,
    marketing,
    people,
    product,
    research,
    sales,
    support,
    writing,
)
from apps.prompts.demo_content.definitions import DemoPrompt, Revision

# Each tag's dot colour in the sidebar and on chips; every colour is different.
TAG_COLOURS = {
    "marketing": "#F97316",
    "social": "#EC4899",
    "email": "#8B5CF6",
    "engineering": "#0EA5E9",
    "code-review": "#10B981",
    "support": "#EAB308",
    "writing": "#6366F1",
    "favourite": "#EF4444",
    "data": "#14B8A6",
    "research": "#84CC16",
    "product": "#D946EF",
    "people": "#F59E0B",
    "sales": "#BE123C",
    "seo": "#06B6D4",
    "docs": "#64748B",
    "security": "#2563EB",
}

DEMO_PROMPTS: tuple[DemoPrompt, ...] = (
    *marketing.PROMPTS,
    *engineering.PROMPTS,
    *support.PROMPTS,
    *writing.PROMPTS,
    *data.PROMPTS,
    *research.PROMPTS,
    *product.PROMPTS,
    *people.PROMPTS,
    *sales.PROMPTS,
)

__all__ = ["DEMO_PROMPTS", "TAG_COLOURS", "DemoPrompt", "Revision"]
