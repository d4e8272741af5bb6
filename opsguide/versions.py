"""What a deploy changes: the templates on disk, hashed once per process."""

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings


@once
def templates_version():
    """Return a short hash of the templates on disk, so a deploy never serves old markup."""
    digest = hashlib.md5(usedforsecurity=False)
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]
