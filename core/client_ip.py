"""The client's IP address: log-in throttling (axes), and the sign-up and password-reset limits."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind BEHIND_PROXY's PROXY_COUNT proxies, the address the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    trustworthy entry is counted from the right: anything further left came from the client
    and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < settings.PROXY_COUNT:
        return remote
    return hops[-settings.PROXY_COUNT]
