"""Each test starts with empty allowances: user ids repeat from test to test, so a count left
in the shared cache by one test would rate-limit a namesake id in the next."""

from core.cache import shared_cache

KEY = "threads:post-rate:1"


def test_a_test_that_uses_up_an_allowance():
    shared_cache.set(KEY, 10_000, timeout=600)
    assert shared_cache.get(KEY) == 10_000


def test_the_next_test_starts_with_it_empty():
    assert shared_cache.get(KEY) is None
