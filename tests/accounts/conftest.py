import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """DRF throttles count in the cache, which outlives each test's transaction."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
