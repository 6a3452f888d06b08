"""The invite email can't fail after the invite is saved: whatever the inviter's name holds,
the subject stays one header line, and a refused address or a failed send saves no invite."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.teams import services
from apps.teams.models import TeamInvite
from tests.accounts.factories import UserFactory


@pytest.mark.parametrize(
    "name",
    ["Alice\nBcc: victim@example.com", "Alice\r\nSubject: x", "Al\x0bice", "Alice\u2028Smith"],
)
def test_a_display_name_with_line_breaks_still_sends_one_line_subject(
    owner, django_capture_on_commit_callbacks, name
):
    owner.name = name
    owner.save(update_fields=["name"])
    client = Client()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("teams:team"), {"email": "bob@example.com", "role": "viewer"}
        )
    assert response.status_code == 302
    assert TeamInvite.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0].message()
    subject = message["Subject"]
    assert "\n" not in subject and "\r" not in subject
    assert "invited you" in subject
    assert message["Bcc"] is None
    assert mail.outbox[0].recipients() == ["bob@example.com"]


@pytest.mark.parametrize(
    "email", ["bob@example.com\nBcc: victim@example.com", "not an address", "bob@\x00.com", ""]
)
def test_the_service_refuses_a_bad_address_before_saving(owner, email):
    with pytest.raises(ValidationError) as caught:
        services.invite_create(owner=owner, email=email, role="viewer")
    assert "email" in caught.value.message_dict
    assert not TeamInvite.objects.exists()
    assert not mail.outbox


def test_a_failed_send_leaves_no_invite_holding_a_seat(owner, monkeypatch):
    def broken_send(*args, **kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", broken_send)
    client = Client()
    client.force_login(owner)
    response = client.post(reverse("teams:team"), {"email": "bob@example.com", "role": "viewer"})
    assert response.status_code == 400
    assert "couldn" in response.content.decode()
    assert not TeamInvite.objects.exists()


def test_a_failed_resend_keeps_the_old_link_working(owner, invite, monkeypatch):
    before = invite.expires_at
    token = services.invite_token(invite)
    monkeypatch.setattr(
        "django.core.mail.message.EmailMessage.send",
        lambda *args, **kwargs: (_ for _ in ()).throw(OSError("down")),
    )
    with pytest.raises(services.InviteMailError):
        services.invite_resend(invite=invite)
    invite.refresh_from_db()
    assert invite.expires_at == before
    assert services.invite_from_token(token) == invite


def test_a_member_name_with_line_breaks_is_harmless_elsewhere(owner):
    UserFactory(email="bob@example.com", name="Bob\nBcc: x@example.com")
    assert services.invite_create(owner=owner, email="bob@example.com", role="viewer")
