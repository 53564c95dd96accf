"""The address a request came from, as the view counter and login throttling
see it."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or the header the proxy in front of us sets
    (VIEWS_CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP) when it is trusted."""
    header = getattr(settings, "VIEWS_CLIENT_IP_HEADER", None)
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", ""))[:64]
