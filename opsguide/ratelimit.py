"""Per-client request limits, counted where every worker and instance sees one count.

A fixed window per client and scope: simple, and forgiving (the count starts
again each window). The counts live in Redis when REDIS_URL is set (the
"ratelimit" cache alias, apart from the page cache, so no traffic can evict
them), else in the database. While Redis is down they count in the database,
so the limits keep holding through the outage (each count restarts there).

Why our own module rather than django-ratelimit: that library needs a cache
with atomic increments, and the database cache has none. Counting in a table
with UPDATE ... SET count = count + 1 is atomic on SQLite and PostgreSQL.
"""

import hashlib
import logging
import time
import unicodedata
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from .models import RateCounter
from .proxies import client_ip
from .responses import refusal

logger = logging.getLogger(__name__)

__all__ = ["client_ip", "client_key", "login_username", "ratelimit"]


def client_key(request):
    """Return who is asking: the account, else the browser session, else the address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if request.session.session_key:
        return f"session:{request.session.session_key}"
    return f"ip:{client_ip(request)}"


def hit(scope, ident, limit, window):
    """Count one request; return the seconds to wait if it is over the limit, else 0."""
    now = time.time()
    bucket = int(now // window)
    key = f"ratelimit:{scope}:{ident}:{bucket}"
    expires = (bucket + 1) * window
    count = None
    if "ratelimit" in settings.CACHES:
        count = _count_in_cache(caches["ratelimit"], key, window)
    if count is None:
        count = _count_in_database(key, expires)
    if count <= limit:
        return 0
    return max(1, int(expires - now))


def _count_in_cache(store, key, window):
    """Add one to the key in Redis (INCR is atomic); None if Redis cannot be reached."""
    try:
        try:
            return store.incr(key)  # one round trip once the window has its key
        except ValueError:  # the window's first request
            if store.add(key, 1, timeout=window + 1):
                return 1
            return store.incr(key)  # another request added it first
    except (ConnectionInterrupted, RedisError):
        _warn_redis_down()
        return None


def _warn_redis_down():
    """Log that Redis is down at most once a minute per process, not once per request.

    The "local" cache is each process's own memory: the right place for a note
    that only throttles this process's log lines.
    """
    if caches["local"].add("ratelimit:redis-down-warned", True, timeout=60):
        logger.warning("Redis cannot be reached: rate limits count in the database")


def _count_in_database(key, expires):
    """Add one to the key's row, creating it for a new window; return the count."""
    counters = RateCounter.objects.filter(key=key)
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(
                    key=key, count=1, expires_at=datetime.fromtimestamp(expires, UTC)
                )
            return 1
        except IntegrityError:  # another request created it first
            counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).get()


def too_many(request, retry_after):
    message = (
        "Too many requests in a short time. Please wait a moment and try again "
        f"(about {retry_after} second{'s' if retry_after != 1 else ''})."
    )
    response = refusal(request, 429, message, "429.html")
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope, key=client_key, methods=("POST",)):
    """Refuse with 429 once a client makes more than settings.RATE_LIMITS[scope] requests."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and not settings.RATE_LIMITS_OFF:
                limit, window = settings.RATE_LIMITS[scope]
                wait = hit(scope, key(request), limit, window)
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def login_username(request):
    """Return the username being tried, hashed: a cache key holds no raw input.

    Typed text may hold spaces, control characters or anything else; memcached
    refuses such keys and Django warns about them for every backend.
    """
    # The name Django would look up: its login form applies NFKC and strips
    # spaces, so " alice " and fullwidth "ａｌｉｃｅ" are alice; case is folded too.
    username = unicodedata.normalize("NFKC", request.POST.get("username", "")[:150])
    username = username.strip().casefold()
    return "username:" + hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:32]
