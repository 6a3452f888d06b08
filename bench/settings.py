"""The production settings, served with one extra page: `bench.urls` adds a bare signed-in
page so the report can show what any page costs a signed-in user before its own work."""

from promptvault.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
