"""Login throttling, counted per account and per address, atomically.

Every password check first *reserves* a failure on each counter that applies, with one
conditional UPDATE (`count < limit`), so parallel attempts can never check more passwords than
the limit; a success gives the reservations back. The counters (LoginCounter rows, shared by
every server process) are:

* the account from this address: LOGIN_MAX_FAILURES per LOGIN_LOCK_SECONDS, then that pair is
  refused without checking the password — the same account from another address is not;
* the address, whatever account it names: LOGIN_ADDRESS_MAX_FAILURES (password spraying);
* the account from all addresses that are not its known devices:
  LOGIN_ACCOUNT_MAX_FAILURES (guessing spread over many addresses).

A browser that signed in to an account before carries a signed *device cookie* for it; its
attempts count on their own counter (LOGIN_MAX_FAILURES) instead of the three above, so
someone failing from the same school NAT, or from many addresses, never locks the real user
out of their own browser.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campusplan.accounts.models import LoginCounter

DEVICE_COOKIE = "campusplan_device"
DEVICE_SALT = "campusplan.accounts.throttle.device"
DEVICE_DAYS = 180


def _key(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _norm(username: str) -> str:
    return username.strip().lower()


def reserve(key: str, limit: int, seconds: int) -> bool:
    """Count one more failure on `key` unless it is at `limit` (then False: locked)."""
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    for _ in range(3):
        counters = LoginCounter.objects.filter(key=key)
        if counters.filter(until__lte=now).update(count=1, until=until, noted=False):
            return True  # an expired window starts again
        if counters.filter(until__gt=now, count__lt=limit).update(count=F("count") + 1):
            return True
        if counters.exists():
            return False
        try:
            with transaction.atomic():
                LoginCounter.objects.create(key=key, count=1, until=until, limit=limit)
            return True
        except IntegrityError:  # another attempt created it first: count on it
            continue
    return False


def release(key: str) -> None:
    LoginCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def clear(key: str) -> None:
    LoginCounter.objects.filter(key=key).delete()


@dataclass
class Attempt:
    """One login attempt's reservations: given back on success, kept on failure."""

    username: str
    device: str
    keys: list[tuple[str, int]] = field(default_factory=list)  # (key, limit) reserved
    locked_now: bool = False

    def succeeded(self) -> None:
        first, *others = self.keys
        clear(first[0])  # the pair (or device) starts again; the wider counters lose one
        for key, _limit in others:
            release(key)

    def failed(self) -> None:
        """Keep the reservations; `locked_now` for the one failure that is first to find a
        counter full (a conditional UPDATE of `noted`: exactly one lockout event each)."""
        self.locked_now = any([
            LoginCounter.objects.filter(key=key, count__gte=limit, noted=False)
            .update(noted=True) for key, limit in self.keys])


def counters_for(username: str, address: str, device: str) -> list[tuple[str, int]]:
    """The counters an attempt reserves, the narrowest first."""
    user = _norm(username)
    per_pair = settings.LOGIN_MAX_FAILURES
    if device:
        return [(_key("device", user, device), per_pair)]
    return [(_key("pair", user, address), per_pair),
            (_key("address", address), settings.LOGIN_ADDRESS_MAX_FAILURES),
            (_key("account", user), settings.LOGIN_ACCOUNT_MAX_FAILURES)]


def begin(username: str, address: str, device: str = "") -> Attempt | None:
    """Reserve this attempt on every counter, or None (and nothing reserved) when one is full."""
    attempt = Attempt(username, device)
    for key, limit in counters_for(username, address, device):
        if not reserve(key, limit, settings.LOGIN_LOCK_SECONDS):
            for taken, _limit in attempt.keys:
                release(taken)
            return None
        attempt.keys.append((key, limit))
    return attempt


def locked(username: str, address: str, device: str = "") -> bool:
    """Whether an attempt now would be refused (without reserving anything)."""
    now = timezone.now()
    counts = dict(LoginCounter.objects.filter(
        key__in=[k for k, _ in counters_for(username, address, device)], until__gt=now)
        .values_list("key", "count"))
    return any(counts.get(k, 0) >= limit for k, limit in counters_for(username, address, device))


# --- the device cookie ------------------------------------------------------------------------


def device_of(request, username: str) -> str:
    """The device id of this browser for `username`, if its signed cookie is for that account."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        data = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        return ""
    if not isinstance(data, dict) or data.get("u") != _norm(username):
        return ""
    return str(data.get("d", ""))[:64]


def new_device_cookie(username: str) -> str:
    return signing.dumps({"u": _norm(username), "d": secrets.token_urlsafe(16)}, salt=DEVICE_SALT)


def active_locks() -> list[LoginCounter]:
    """Counters at or over their limit now (for the security administrator's page)."""
    return list(LoginCounter.objects.filter(until__gt=timezone.now(), count__gte=F("limit"))
                .order_by("-until"))
