"""Per-client request limits kept in the cache (Redis when REDIS_URL is set).

A fixed window per client and scope: simple, shared by every process that
shares the cache, and forgiving — the count starts again each window.
"""

import hashlib
import time
import unicodedata
from functools import wraps

from django.conf import settings
from django.core.cache import cache

from .proxies import client_ip
from .responses import refusal

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
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return 0
    return max(1, int((bucket + 1) * window - now))


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
            if request.method in methods:
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
