"""Mail printed to the terminal in development (`make run`) is readable as written: a link in
it is whole on one line, so it can be copied and followed, and non-ASCII text is shown as is.

The development profile's MAILERS is read in a fresh interpreter, as settings are read once per
process, and then used to send a real invite."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from apps.teams import services as team_services
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
SITE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def development_mailers() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_ENV="development",
        DJANGO_SETTINGS_MODULE="promptvault.settings",
        DATABASE_URL="sqlite:///:memory:",
        # Empty wins over a developer's own .env file, which the settings read too.
        EMAIL_URL="",
    )
    probe = "import json; from django.conf import settings; print(json.dumps(settings.MAILERS))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def terminal(settings, development_mailers) -> io.StringIO:
    """What the development mailer prints, captured instead of reaching the terminal."""
    stream = io.StringIO()
    mailer = development_mailers["default"]
    settings.MAILERS = {
        "default": {**mailer, "OPTIONS": {**mailer.get("OPTIONS", {}), "stream": stream}}
    }
    return stream


def test_an_invite_link_is_printed_whole_on_one_line(
    db, terminal, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="zoe@example.com", name="Zoë Ångström", tier="pro")
    with django_capture_on_commit_callbacks(execute=True):
        invite = team_services.invite_create(
            owner=owner, email="eve@example.com", role="viewer", base_url=SITE
        )
    printed = terminal.getvalue()
    prefix = SITE + reverse("teams:accept", kwargs={"token": "TOKEN"}).split("TOKEN")[0]
    links = [line for line in printed.splitlines() if line.startswith(prefix)]

    assert len(links) == 1, printed
    assert len(links[0]) > 78  # longer than a mail line, which is what used to split it
    token = links[0].removeprefix(prefix).removesuffix("/")
    assert team_services.invite_from_token(token) == invite
    assert "Zoë Ångström invited you to their PromptVault as viewer." in printed
    assert "quoted-printable" not in printed.lower()
    assert "base64" not in printed.lower()


def test_a_password_reset_link_is_printed_whole_on_one_line(
    db, client, terminal, django_capture_on_commit_callbacks
):
    UserFactory(email="zoe@example.com", name="Zoë")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "zoe@example.com"})
    lines = terminal.getvalue().splitlines()

    links = [line.strip() for line in lines if "/accounts/password/reset/" in line]
    assert links, "no reset link was printed"
    assert all(link.startswith("http") and not link.endswith("=") for link in links)
    assert client.get(links[0].split("testserver", 1)[1], follow=True).status_code == 200
