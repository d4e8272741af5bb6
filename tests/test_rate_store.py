"""Where rate limits count: apart from the page cache, shared by every worker and instance.

Redis (the "ratelimit" cache alias) when REDIS_URL is set, else the database;
while Redis is down, the database. Nothing a visitor does to the page cache
can reset a count, and two gunicorn workers share one count.
"""

import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.conf import settings as site_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from loadtest.server import gunicorn, production_env
from opsguide.models import RateCounter

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/15"
NOWHERE = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
RESET_LIMIT = site_settings.RATE_LIMITS["password_reset"]


def redis_alias(location):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "opsguide-limits-test",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }


@pytest.fixture
def redis_limits(settings):
    settings.CACHES = {**settings.CACHES, "ratelimit": redis_alias(REDIS_URL)}
    from django.core.cache import caches

    caches["ratelimit"].clear()
    yield caches["ratelimit"]
    caches["ratelimit"].clear()


def lock_alice(settings):
    """Make two failed logins for alice under a limit of two; return the client."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_user": (2, 60)}
    client = Client()
    for _ in range(2):
        assert (
            client.post(reverse("login"), {"username": "alice", "password": "x"}).status_code == 200
        )
    return client


def alice_is_locked():
    response = Client().post(reverse("login"), {"username": "alice", "password": "x"})
    return response.status_code == 429


def test_a_flood_of_distinct_page_requests_cannot_reset_a_locked_username(client, settings, clock):
    lock_alice(settings)
    assert alice_is_locked()
    for n in range(700):  # the attack: every query string a new page-cache entry
        client.get(f"/practices/?q=x{n}")
    cache.clear()  # or the page cache emptied outright
    assert alice_is_locked()


def test_without_redis_the_count_is_one_database_row_per_window(settings, clock):
    lock_alice(settings)
    counter = RateCounter.objects.get(key__startswith="ratelimit:login_user:")
    assert counter.count == 2
    assert alice_is_locked()
    counter.refresh_from_db()
    assert counter.count == 3


def test_with_redis_the_count_lives_in_its_own_alias(settings, redis_limits, clock):
    lock_alice(settings)
    assert alice_is_locked()
    assert not RateCounter.objects.exists()
    keys = redis_limits.keys("ratelimit:login_user:*")
    assert [redis_limits.get(key) for key in keys] == [3]
    cache.clear()
    assert alice_is_locked()


def test_while_redis_is_down_the_limits_count_in_the_database(settings, caplog, clock):
    settings.CACHES = {**settings.CACHES, "ratelimit": redis_alias(NOWHERE)}
    lock_alice(settings)
    assert alice_is_locked()
    assert RateCounter.objects.get(key__startswith="ratelimit:login_user:").count == 3
    # Said once, not once per request.
    assert caplog.text.count("Redis cannot be reached") == 1


# Two gunicorn workers, each with its own memory, must share one count.


def reset_requests(base, attempts):
    """POST password-reset requests from one address on new connections; return the statuses."""
    with httpx.Client(base_url=base) as client:
        page = client.get("/accounts/password_reset/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookies = dict(client.cookies)

    def attempt(_):
        response = httpx.post(
            base + "/accounts/password_reset/",
            data={"csrfmiddlewaretoken": token, "email": "nobody@example.org"},
            cookies=cookies,
            headers={"Referer": base + "/accounts/password_reset/", "Connection": "close"},
        )
        return response.status_code

    # The limit counts in fixed windows: start well inside one, so all the
    # requests fall in the same window however slow the machine is.
    _, window = RESET_LIMIT
    left = window - time.time() % window
    if left < 60:
        time.sleep(left + 0.5)
    # Six at a time, so both workers are busy and both take requests.
    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(attempt, range(attempts)))


def redis_is_up():
    return (
        subprocess.run(["redis-cli", "-u", REDIS_URL, "ping"], capture_output=True).returncode == 0
    )


@pytest.mark.parametrize("store", ["database", "redis"])
def test_two_workers_share_one_count(store, tmp_path):
    extra = {}
    if store == "redis":
        assert redis_is_up(), "Redis must run on 127.0.0.1:6379 (.ci/run starts it)"
        subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
        extra["REDIS_URL"] = REDIS_URL
    env = production_env(f"sqlite:///{tmp_path / 'two-workers.sqlite3'}", **extra)
    with gunicorn(env, workers=2) as base:
        statuses = reset_requests(base, 30)
    # password_reset allows 5 per address per window; counted per worker it would be 10.
    limit, _ = RESET_LIMIT
    assert statuses.count(302) == limit and statuses.count(429) == 30 - limit, statuses
