from django.core.files.base import ContentFile
from django.urls import reverse

from apps.accounts.models import User
from apps.imports.models import ImportSession
from apps.prompts import services
from apps.prompts.models import Prompt, PromptVersion, Tag
from apps.sharing.models import Share
from apps.teams.models import TeamInvite
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory
from tests.sharing.factories import ShareFactory
from tests.teams.factories import TeamInviteFactory

DELETE = reverse("accounts:delete")


def test_deleting_the_account_asks_for_the_password(alice_client, alice):
    response = alice_client.get(DELETE)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="password"' in body
    assert alice.email in body


def test_a_wrong_password_deletes_nothing(alice_client, alice):
    PromptFactory(user=alice)
    response = alice_client.post(DELETE, {"password": "not-my-password"})
    assert response.status_code == 200
    assert "That password is not correct." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert Prompt.objects.filter(user=alice).count() == 1
    assert "_auth_user_id" in alice_client.session


def test_deleting_the_account_removes_everything_it_owns(
    alice_client, alice, charlie, password, django_capture_on_commit_callbacks
):
    prompt = PromptFactory(user=alice, tags=["mine"])
    services.prompt_update(prompt=prompt, author=alice, content="Second")
    ShareFactory(prompt=prompt)
    TeamInviteFactory(invited_by=alice)
    upload = ImportSessionFactory(user=alice)
    upload.file.save("export.json", ContentFile(b"[]"))
    storage, upload_name = upload.file.storage, upload.file.name
    theirs = PromptFactory(user=charlie)
    services.prompt_update(prompt=theirs, author=alice, content="Alice helped")

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(DELETE, {"password": password}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account and everything in it were deleted." in response.content.decode()
    assert "home/landing.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in alice_client.session
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Prompt.objects.filter(pk=prompt.pk).exists()
    assert not PromptVersion.objects.filter(prompt_id=prompt.pk).exists()
    assert not Tag.objects.filter(user_id=alice.pk).exists()
    assert not Share.objects.filter(prompt_id=prompt.pk).exists()
    assert not TeamInvite.objects.filter(invited_by_id=alice.pk).exists()
    assert not ImportSession.objects.filter(user_id=alice.pk).exists()
    assert not storage.exists(upload_name)
    # What alice wrote in charlie's vault stays, without an author.
    assert theirs.versions.get(version=2).created_by is None
    assert User.objects.filter(pk=charlie.pk).exists()


def test_a_deleted_account_cannot_log_in(client, alice, password):
    client.force_login(alice)
    client.post(DELETE, {"password": password})
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": password}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_visitors_cannot_reach_account_deletion(client, db):
    assert client.post(DELETE, {"password": "x"}).status_code == 302


def test_an_empty_delete_form_asks_for_the_password(alice_client, alice):
    response = alice_client.post(DELETE, {})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=alice.pk).exists()
