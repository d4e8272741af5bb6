"""Whole-page caching for the public content pages, with conditional GET.

Anonymous visitors all see the same content pages, so each is rendered once
per content version and served from the cache after that. The version is a
counter in the database, bumped whenever an editor saves content, so every
process and every machine stops serving the old page at once. Each page also
carries an ETag: a browser that has it gets an empty 304.
"""

import hashlib
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

PAGE_TIMEOUT = 60 * 60 * 24


def _templates_version():
    """Return a short hash of the templates on disk, so a deploy never serves old markup."""
    digest = hashlib.md5(usedforsecurity=False)
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:8]


TEMPLATES_VERSION = _templates_version()


def content_version():
    """Return the current content version: one indexed read of a one-row table.

    Written as SQL because it runs on every page and every quiz request; built
    by the ORM the same read cost several times as much Python (`make bench`).
    """
    from .models import ContentVersion

    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_content_version(**kwargs):
    """Make every cached content page stale (connected to content models' signals)."""
    from .models import ContentVersion

    if not ContentVersion.objects.filter(pk=1).update(value=F("value") + 1):
        ContentVersion.objects.get_or_create(pk=1)


def cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def cached_page(view):
    """Serve an anonymous GET from the cache, keyed by content version, path and htmx target."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else "-"
        identity = f"{TEMPLATES_VERSION}:{content_version()}:{target}:{request.get_full_path()}"
        digest = hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()
        etag = f'"{digest}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            key = f"page:{digest}"
            cached = cache.get(key)
            if cached is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
            else:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag
        # Revalidate every time: the ETag makes that a cheap 304.
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Cookie", "HX-Request", "HX-Target"])
        return response

    return wrapped
