"""Mail about accounts, sent by the task worker (`manage.py db_worker`) so a request never
waits on the mail server, nor takes longer for one address than for another."""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import User


def _link(base_url: str, name: str, token: str) -> str:
    return base_url.rstrip("/") + reverse(name, kwargs={"token": token})


@task()
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to every active account with a usable password at `email`. The
    request enqueued this for any address; only here is it looked up."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="accounts/email/password_reset_subject.txt",
        email_template_name="accounts/email/password_reset.txt",
    )


@task()
def send_email_confirmation(*, user_id: str, base_url: str, next_url: str = "") -> None:
    """Mail the account's current address a link that confirms it."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email_confirmed_at is not None:
        return
    token = services.email_confirmation_token(user, next_url=next_url)
    send_mail(
        subject="Confirm your PromptVault email address",
        message=render_to_string(
            "accounts/email/confirm_email.txt",
            {
                "user": user,
                "link": _link(base_url, "accounts:email_confirm", token),
                "days": services.CONFIRM_LIFETIME.days,
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@task()
def send_email_change_link(*, user_id: str, base_url: str) -> None:
    """Mail the address asked for a link that makes it the login address."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.pending_email:
        return
    token = services.email_change_token(user)
    send_mail(
        subject="Confirm your new PromptVault email address",
        message=render_to_string(
            "accounts/email/email_change.txt",
            {
                "user": user,
                "link": _link(base_url, "accounts:email_change_confirm", token),
                "hours": int(services.CHANGE_LIFETIME.total_seconds() // 3600),
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.pending_email],
    )


@task()
def send_email_changed_notice(*, user_id: str, old_email: str) -> None:
    """Tell the address an account used to have that it no longer logs in with it."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    send_mail(
        subject="Your PromptVault email address was changed",
        message=render_to_string(
            "accounts/email/email_changed.txt",
            {"user": user, "old_email": old_email, "site_url": settings.SITE_URL},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[old_email],
    )


@task()
def send_payment_failed_notice(*, user_id: str) -> None:
    """Tell a paying account that its payment failed, and how long its plan is kept."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.subscription_status != "past_due":
        return
    send_mail(
        subject="Your PromptVault payment failed",
        message=render_to_string(
            "accounts/email/payment_failed.txt",
            {
                "user": user,
                "days": settings.BILLING_GRACE_DAYS,
                "billing_url": settings.SITE_URL + reverse("billing:overview"),
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
