from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import normalize_email
from apps.teams import selectors, services
from apps.teams.access import get_invite_for_owner, get_membership_for_member
from apps.teams.forms import InviteForm, RoleForm
from promptvault import entitlements, form_errors
from promptvault.entitlements import LimitReached


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _confirm(request: HttpRequest, **context) -> HttpResponse:
    """Ask on a page before removing someone, for browsers without the confirmation dialog
    (which sends `confirmed=1` itself)."""
    return render(request, "confirm.html", {"fields": [], **context})


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest) -> HttpResponse:
    owner = request.user
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite = services.invite_create(
                owner=owner,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        except LimitReached as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invited {invite.invited_email}. The link works for 7 days.")
            return redirect("teams:team")
    plan = entitlements.plan_for(owner)
    return render(
        request,
        "teams/team.html",
        {
            "form": form,
            "plan": plan,
            "seat_limit": entitlements.team_seat_limit(owner),
            "fits_plan": selectors.team_fits_plan(owner),
            **selectors.team_overview(owner),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invite_resend(request: HttpRequest, pk) -> HttpResponse:
    invite = get_invite_for_owner(request.user, pk)
    try:
        services.invite_resend(invite=invite, base_url=_base_url(request))
    except (ValidationError, LimitReached) as error:
        messages.error(
            request,
            form_errors.as_text(error) if isinstance(error, ValidationError) else str(error),
        )
    else:
        messages.success(request, f"Sent the invite to {invite.invited_email} again.")
    return redirect("teams:team")


@login_required
@require_POST
def invite_revoke(request: HttpRequest, pk) -> HttpResponse:
    invite = get_invite_for_owner(request.user, pk)
    was_member = invite.accepted
    if request.POST.get("confirmed") != "1":
        if was_member:
            name = invite.accepted_by.display_name
            question = f"Remove {name} from your team?"
            detail = "They lose access at once; prompts they saved to their own vault stay theirs."
        else:
            question = f"Withdraw the invite to {invite.invited_email}?"
            detail = "The link in the email stops working."
        return _confirm(
            request,
            question=question,
            detail=detail,
            action=reverse("teams:revoke", args=[invite.pk]),
            button="Remove" if was_member else "Withdraw invite",
            cancel_url=reverse("teams:team"),
        )
    services.invite_revoke(invite=invite)
    if was_member:
        messages.success(request, f"Removed {invite.accepted_by.display_name} from your team.")
    else:
        messages.success(request, f"Withdrew the invite to {invite.invited_email}.")
    return redirect("teams:team")


@login_required
@require_POST
def member_role(request: HttpRequest, pk) -> HttpResponse:
    membership = get_invite_for_owner(request.user, pk)
    form = RoleForm(request.POST)
    if not form.is_valid() or not membership.accepted or membership.revoked_at:
        messages.error(request, "Choose viewer or editor for a current member.")
        return redirect("teams:team")
    services.member_set_role(membership=membership, role=form.cleaned_data["role"])
    messages.success(
        request,
        f"{membership.accepted_by.display_name} is now a {membership.get_role_display().lower()}.",
    )
    return redirect("teams:team")


@login_required
@require_POST
def leave(request: HttpRequest, pk) -> HttpResponse:
    membership = get_membership_for_member(request.user, pk)
    if request.POST.get("confirmed") != "1":
        return _confirm(
            request,
            question=f"Leave {membership.invited_by.display_name}'s vault?",
            detail="You'll need a new invite to come back.",
            action=reverse("teams:leave", args=[membership.pk]),
            button="Leave vault",
            cancel_url=reverse("teams:shared"),
        )
    services.member_leave(membership=membership, user=request.user)
    messages.success(request, f"You left {membership.invited_by.display_name}'s vault.")
    return redirect("teams:shared")


@login_required
@require_GET
def shared(request: HttpRequest) -> HttpResponse:
    return render(
        request, "teams/shared.html", {"memberships": selectors.vaults_shared_with(request.user)}
    )


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invite email. Anyone may open it; accepting needs the invited account."""
    try:
        invite = services.invite_from_token(token)
    except services.InviteTokenError as error:
        return render(
            request, "teams/invite_invalid.html", {"reason": str(error)}, status=error.status
        )
    user = request.user
    matches = user.is_authenticated and (
        normalize_email(user.email) == normalize_email(invite.invited_email)
    )
    # Only an address shown to reach its owner may accept; the page offers a link to show it.
    confirmed = matches and user.email_confirmed_at is not None
    context = {"invite": invite, "token": token, "matches": matches, "confirmed": confirmed}
    if request.method == "POST":
        if not confirmed:
            return render(
                request, "teams/accept.html", context, status=403 if user.is_authenticated else 401
            )
        try:
            services.invite_accept(invite=invite, user=user)
        except services.InviteTokenError as error:
            return render(
                request, "teams/invite_invalid.html", {"reason": str(error)}, status=error.status
            )
        except (ValidationError, LimitReached) as error:
            text = form_errors.as_text(error) if isinstance(error, ValidationError) else str(error)
            return render(request, "teams/accept.html", {**context, "error": text}, status=409)
        messages.success(request, f"You joined {invite.invited_by.display_name}'s vault.")
        return redirect(f"/prompts/?vault={invite.invited_by_id}")
    return render(request, "teams/accept.html", context)
