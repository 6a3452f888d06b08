"""Production settings refuse to start without their secrets, name what is missing, and pass
Django's deployment checks once everything is set. Each case starts a fresh interpreter,
because settings are read once per process."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.local_redis import needs_redis

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SETTINGS_MODULE": "promptvault.settings",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "vault.example.com",
    # Never connected to: `check` without --database does not open a connection.
    "DATABASE_URL": "postgres://promptvault:unused@db.invalid:5432/promptvault",
}
# Anything the surrounding shell or CI exports that would change what is being tested.
CLEARED = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_URL",
    "DATABASE_URL_UNPOOLED",
    "DEBUG",
    "DATABASE_POOL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)


def run_in_production(args: list[str], **overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(PRODUCTION)
    # An empty value counts as missing, and also wins over a developer's own .env file.
    env.update(overrides)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = run_in_production(
        ["-c", "import django; django.setup()"],
        **{missing: ""},
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert re.search(rf"\b{missing} must be set\b", result.stderr), result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_in_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_use_secure_cookies_and_hsts():
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS]))"
    )
    result = run_in_production(["-c", probe])

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '[false, true, true, true, true, ["vault.example.com"]]'


def test_production_cookies_carry_the_host_prefix_and_meet_its_rules():
    """A __Host- cookie is refused unless it is Secure, has Path=/ and names no Domain."""
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([[s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN], [s.CSRF_COOKIE_NAME, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_PATH, s.CSRF_COOKIE_DOMAIN]]))"
    )
    result = run_in_production(["-c", probe])

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        ["__Host-sessionid", True, "/", None],
        ["__Host-csrftoken", True, "/", None],
    ]


# Signs in through the production middleware on a throwaway in-memory database and reports
# the cookies and headers each response carried. Static files come from the source folders,
# since the probe runs without collectstatic.
SIGN_IN_PROBE = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
from apps.accounts.models import User

call_command("migrate", verbosity=0)
User.objects.create_user(email="ada@example.com", password="a long pass phrase 42")
plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def seen(response):
    return {
        "status": response.status_code,
        "cookies": {
            name: {"secure": bool(c["secure"]), "path": c["path"], "domain": c["domain"]}
            for name, c in response.cookies.items()
        },
        "permissions_policy": response.get("Permissions-Policy", ""),
        "cache_control": response.get("Cache-Control", ""),
    }


with override_settings(STORAGES=plain):
    client = Client(headers={"host": "vault.example.com"})
    visitor = seen(client.get("/accounts/login/", secure=True))
    signed_in = seen(client.post(
        "/accounts/login/",
        {"username": "ada@example.com", "password": "a long pass phrase 42"},
        secure=True,
    ))
    dashboard = seen(client.get("/", secure=True))
print(json.dumps({"visitor": visitor, "sign_in": signed_in, "dashboard": dashboard}))
"""


def test_production_sets_host_prefixed_cookies_and_the_privacy_headers():
    result = run_in_production(["-c", SIGN_IN_PROBE], DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    host_only = {"secure": True, "path": "/", "domain": ""}

    assert seen["visitor"]["status"] == 200
    assert seen["visitor"]["cookies"] == {"__Host-csrftoken": host_only}
    assert "private" in seen["visitor"]["cache_control"]
    assert seen["sign_in"]["status"] == 302
    assert seen["sign_in"]["cookies"]["__Host-sessionid"] == host_only
    assert "sessionid" not in seen["sign_in"]["cookies"]
    assert seen["dashboard"]["status"] == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in seen["dashboard"]["cache_control"].split(",")
    }
    for response in seen.values():
        assert "camera=()" in response["permissions_policy"]
        assert "clipboard-write=(self)" in response["permissions_policy"]


def test_every_variable_the_settings_read_is_documented_in_env_example():
    source = (ROOT / "promptvault" / "settings.py").read_text()
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    read |= set(re.findall(r"""required\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))

    assert read, "no variables found in settings.py: the pattern above needs updating"
    assert read - documented == set()


def test_with_redis_the_cache_is_shared_and_holds_sessions_and_the_vault_sidebar():
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.VAULT_SIDEBAR_CACHE, "
        "s.SESSION_ENGINE.rsplit('.', 1)[1]]))"
    )
    result = run_in_production(["-c", probe], REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["promptvault.cache.SharedClientRedisCache", true, "cached_db"]'
    )
    result = run_in_production(["-c", probe])
    assert result.stdout.strip() == (
        '["django.core.cache.backends.locmem.LocMemCache", false, "db"]'
    )


@needs_redis
def test_the_redis_cache_works_with_the_installed_client():
    probe = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('promptvault-probe', 41); cache.incr('promptvault-probe'); "
        "print(cache.get('promptvault-probe')); cache.delete('promptvault-probe')"
    )
    result = run_in_production(["-c", probe], REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"
