"""Serve anonymous visitors' content pages from Django's cache, keyed by the content version.

Everyone who is not signed in sees the same comparison pages, and those change
only when an editor saves, which bumps the content version. So each page is
rendered once per version and kept in the cache (Redis when REDIS_URL is set,
shared by every instance). A browser that already has the page revalidates with
its ETag and gets an empty 304.

What is cached is decided by what was rendered, never by raw request text: the
whole page, or an htmx fragment whose target the view names; only the query
parameters the view reads. A response that sets a cookie or varies on Cookie
(a CSRF token, a message) is never stored, as Django's UpdateCacheMiddleware
refuses to store one.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_protect

from opsguide.versions import templates_version

from .models import content_version

PAGE_TIMEOUT = 60 * 60 * 24


def cached_for_anonymous(params=(), fragment=None):
    """Cache a content view's responses to anonymous visitors.

    `params` are the query parameters the view reads. `fragment(request)`, for
    a view that answers htmx with part of its page, names the partial it
    renders (or None for the whole page, which htmx asks for to restore a page
    on Back); the cache keys by that name, so no header text reaches the key.
    """

    def decorator(view):
        # csrf_protect sits inside the cache, so a page that prints a CSRF
        # token carries its cookie and "Vary: Cookie" when the cache sees it.
        protected = csrf_protect(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            part = fragment(request) if request.htmx and fragment else None
            variant = f"#{part}" if part else "page"
            if request.user.is_authenticated or request.COOKIES.get("messages"):
                return protected(request, *args, **kwargs)
            known = sorted((name, request.GET[name]) for name in params if name in request.GET)
            identity = "|".join(
                [
                    templates_version(),
                    str(content_version()),
                    request.path,
                    variant,
                    urlencode(known),
                ]
            )
            digest = hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()
            etag = f'"{digest}"'
            response = get_conditional_response(request, etag=etag)
            if response is None:
                key = f"page:{digest}"
                stored = cache.get(key)
                if stored is None:
                    response = protected(request, *args, **kwargs)
                    if not _storable(response):
                        return response
                    cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
                else:
                    content, content_type = stored
                    response = HttpResponse(content, content_type=content_type)
            response["ETag"] = etag
            # Revalidate every time: the ETag makes that a cheap 304.
            patch_cache_control(response, no_cache=True)
            patch_vary_headers(
                response, ["Cookie", "HX-Request", "HX-Target", "HX-History-Restore-Request"]
            )
            return response

        return wrapped

    return decorator


def _storable(response):
    return (
        response.status_code == 200
        and not response.cookies
        and not has_vary_header(response, "Cookie")
    )
