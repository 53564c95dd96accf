"""Who is reading, without knowing who: a reader id from the address and browser,
keyed with a secret of the day; and whether the reader is a robot. Pure Python."""

from __future__ import annotations

import hashlib
import hmac
import re

# Crawlers, link previewers, monitors and scripts: their visits are not reads.
_BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|facebot|zalo.*(preview|link)"
    r"|preview|headless|lighthouse|pingdom|uptime|monitor|curl|wget|httpie"
    r"|python-|python/|java/|go-http|okhttp|axios|node-fetch|libwww|scrapy|phantom",
    re.IGNORECASE,
)
MAX_USER_AGENT = 512


def is_robot(user_agent: str) -> bool:
    """A missing, absurd or known robot User-Agent. Browsers always send one."""
    agent = (user_agent or "").strip()
    return not agent or len(agent) > MAX_USER_AGENT or bool(_BOTS.search(agent))


def address_id(ip: str, secret: bytes) -> str:
    """The address as the flood limit knows it: keyed like a reader id, so the
    limit's counter never holds the address itself."""
    return hmac.new(secret, f"address\n{ip}".encode(), hashlib.sha256).hexdigest()[:32]


def reader_id(ip: str, user_agent: str, secret: bytes) -> str:
    """The same reader (address and browser) gives the same id all day; many
    phones behind one carrier address (CGNAT) differ by their browsers."""
    message = f"{ip}\n{user_agent}".encode("utf-8", "replace")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]
