from django.urls import path

from apps.accounts import billing_views

app_name = "billing"

urlpatterns = [
    path("pricing/", billing_views.pricing, name="pricing"),
    path("billing/", billing_views.overview, name="overview"),
    path("billing/checkout/", billing_views.checkout, name="checkout"),
    path("billing/portal/", billing_views.portal, name="portal"),
    path("billing/webhook/", billing_views.webhook, name="webhook"),
]
