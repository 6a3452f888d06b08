from django.conf import settings


def product(request):
    """Values every page needs: the product name and whether billing is configured."""
    return {
        "PRODUCT_NAME": "PromptVault",
        "BILLING_ENABLED": bool(settings.STRIPE_SECRET_KEY),
    }
