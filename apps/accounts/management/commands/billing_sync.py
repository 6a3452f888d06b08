"""Re-read each paying account's subscription from Stripe and fix its plan: after an outage, a
lost webhook, or to end grace periods no payment event has come to end. Safe to run daily."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from apps.accounts import billing, billing_services
from apps.accounts.models import User, normalize_email


class Command(BaseCommand):
    help = "Re-read every paying account's subscription from Stripe and fix its plan."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Only the account with this address.")

    def handle(self, *args, email=None, **options):
        if not billing.is_configured():
            raise CommandError("STRIPE_SECRET_KEY is not set: there is no Stripe to read.")
        accounts = User.objects.exclude(
            Q(stripe_customer_id__isnull=True) | Q(stripe_customer_id="")
        ) | User.objects.exclude(
            Q(stripe_subscription_id__isnull=True) | Q(stripe_subscription_id="")
        )
        if email:
            accounts = User.objects.filter(email=normalize_email(email))
            if not accounts.exists():
                raise CommandError(f"No account uses {email}.")
        changed = failed = 0
        for user in accounts.order_by("email").iterator(chunk_size=200):
            try:
                changes = billing_services.subscription_resync(user=user)
            except billing.BillingUnavailable as error:
                failed += 1
                self.stderr.write(f"{user.email}: not checked ({error})")
                continue
            if changes:
                changed += 1
                self.stdout.write(f"{user.email}: {', '.join(changes)}")
            elif email:
                self.stdout.write(f"{user.email}: up to date")
        self.stdout.write(f"{changed} account(s) changed, {failed} could not be checked.")
        if failed:
            raise CommandError("Stripe could not be read for every account; run again later.")
