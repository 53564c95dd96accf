"""Failed logins counted per account and per address, in the cache (Redis in
production, the process's memory otherwise).

An account that fails TOASOAN_LOGIN_ACCOUNT_FAILURES times within
TOASOAN_LOGIN_LOCK_MINUTES is refused for as long, from every address and even
with the right password: guessing one person's password stays slow whatever the
number of machines. An address is refused only after
TOASOAN_LOGIN_ADDRESS_FAILURES, many times more, because a whole office or every
phone behind a carrier's shared address (CGNAT) may come from one; IPv6
addresses count by their /64, what one subscriber is given. A count starts at its
first failure and lasts the window; a successful login clears its account's
count, never its address's."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

ACCOUNT_REFUSED = (
    "Tài khoản này tạm bị khóa đăng nhập vì nhập sai mật khẩu quá nhiều lần; "
    "mời thử lại sau {minutes} phút. / This account is locked after too many "
    "failed logins: try again in {minutes} minutes."
)
ADDRESS_REFUSED = (
    "Địa chỉ mạng của bạn tạm bị chặn đăng nhập vì có quá nhiều lần đăng nhập "
    "sai; mời thử lại sau {minutes} phút. / Too many failed logins from your "
    "network address: try again in {minutes} minutes."
)


def account_key(username: str) -> str:
    """One key per account, whatever the case, width or spaces typed; hashed, so
    that any input (10,000 characters, control characters) makes a short key."""
    folded = unicodedata.normalize("NFKC", str(username)).strip().casefold()
    return "account:" + hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest()


def address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        digest = hashlib.sha256(address.encode("utf-8", "replace")).hexdigest()
        return "address:" + digest
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"address:{ip}"


def login_refusal(username: str, address: str) -> str | None:
    """Why a login is refused before its password is checked, or None."""
    keys = {"login-refused:" + account_key(username): ACCOUNT_REFUSED}
    if address:
        keys["login-refused:" + address_key(address)] = ADDRESS_REFUSED
    found = cache.get_many(list(keys))
    now = time.time()
    for key, message in keys.items():
        until = found.get(key)
        if until is not None and until > now:
            return message.format(minutes=max(1, math.ceil((until - now) / 60)))
    return None


def record_failed_login(username: str, address: str) -> None:
    limits = [(account_key(username), settings.TOASOAN_LOGIN_ACCOUNT_FAILURES)]
    if address:
        limits.append((address_key(address), settings.TOASOAN_LOGIN_ADDRESS_FAILURES))
    seconds = settings.TOASOAN_LOGIN_LOCK_MINUTES * 60
    for key, limit in limits:
        if _count("login-failures:" + key, seconds) >= limit:
            cache.set("login-refused:" + key, time.time() + seconds, seconds)
            cache.delete("login-failures:" + key)  # after the lock, a fresh count
            logger.warning(
                "Login refused for %d minutes after %d failures: %s (last tried "
                "%r from %s)",
                seconds // 60, limit, key.split(":")[0], str(username)[:80], address,
            )  # fmt: skip


def forget_failed_logins(username: str) -> None:
    cache.delete("login-failures:" + account_key(username))


def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return 1
