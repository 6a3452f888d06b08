"""Settings for the test suite: the development profile made fast and self-contained.

The database comes from DATABASE_URL (PostgreSQL in `make test`), or SQLite when unset.
"""

import os

os.environ.setdefault("DJANGO_ENV", "test")

from promptvault.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages read the sidebar from the database, as without Redis; the sidebar's tests turn the
# cache on for themselves.
VAULT_SIDEBAR_CACHE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
DEBUG = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
