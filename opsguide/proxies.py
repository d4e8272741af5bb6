"""Which peer may speak for the client: forwarded headers count only from a trusted proxy.

Anyone can send X-Forwarded-For or X-Request-ID. Only the proxies listed in
DJANGO_TRUSTED_PROXIES (addresses or networks) are believed, and of the
forwarded chain only the part they added.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(text):
    """Return True if text is the address of a configured trusted proxy."""
    address = _address(text)
    if address is None:
        return False
    return any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_ip(request):
    """Return the client's address, reading X-Forwarded-For only when a trusted proxy sent it.

    Each proxy appends the address it received the request from, so the chain
    is read from the right, past the trusted proxies, to the first address that
    is not one: the client as the outermost trusted proxy saw it.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(peer):
        return peer or "unknown"
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(chain):
        if _address(hop) is None:
            break  # garbage in the chain: stop at the last trustworthy hop
        if not is_trusted_proxy(hop):
            return hop.strip()
    return peer
