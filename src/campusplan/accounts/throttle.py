"""Login throttling: after LOGIN_MAX_FAILURES failed attempts for one user name from one
address, that pair is locked for LOGIN_LOCK_SECONDS. Counted in the database cache, so every
server process sees the same count."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.lower()}|{address}".encode()).hexdigest()[:32]
    return f"login-fail:{digest}"


def locked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.LOGIN_MAX_FAILURES


def failed(username: str, address: str) -> None:
    key = _key(username, address)
    cache.set(key, cache.get(key, 0) + 1, timeout=settings.LOGIN_LOCK_SECONDS)


def succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))
