import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def forget_failed_logins():
    """Failed log-ins are counted in the cache, which outlives a test: start from zero."""
    cache.clear()
    yield
    cache.clear()
